#![no_main]
//! Any bytes as a bare seating CSV: never a panic; a scene that loads can be analysed.
use earshot::scene::{LoadOptions, load_csv_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let mut opts = LoadOptions::default();
    opts.limits.max_rows = 2000;
    if let Ok(scene) = load_csv_bytes(Path::new("fuzz.csv"), data, &opts) {
        earshot_fuzz_common::exercise(&scene);
    }
});

mod earshot_fuzz_common {
    include!("common.rs");
}
