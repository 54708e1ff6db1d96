#![no_main]
//! Any bytes as scene.toml (with a small fixed people CSV): never a panic.
use earshot::scene::{LoadOptions, load_scene_bytes};
use libfuzzer_sys::fuzz_target;
use std::path::Path;

const PEOPLE: &[u8] = b"name,x,y,facing\nAnn,1,1,0\nBen,2,1,180\nCat,1.5,2,270\n";

fuzz_target!(|data: &[u8]| {
    let _ = load_scene_bytes(Path::new("scene.toml"), data, PEOPLE, &LoadOptions::default());
});
