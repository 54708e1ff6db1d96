#![no_main]
//! Load → analyse → render: the input is a scene.toml and a people CSV separated by a line
//! `---`. Whatever loads must analyse, chart, plot and report without panicking.
use earshot::scene::{LoadOptions, load_scene_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let split = data.windows(5).position(|w| w == b"\n---\n");
    let (toml, people) = match split {
        Some(i) => (&data[..i], &data[i + 5..]),
        None => (data, &b"name,x,y\nAnn,1,1\nBen,2,2\n"[..]),
    };
    let mut opts = LoadOptions::default();
    opts.limits.max_rows = 300;
    if let Ok(scene) = load_scene_bytes(Path::new("scene.toml"), toml, people, &opts) {
        earshot_fuzz_common::exercise(&scene);
    }
});

mod earshot_fuzz_common {
    include!("common.rs");
}
