//! Helpers shared by the integration tests: run the real binary from the project folder.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::PathBuf;

/// The project folder.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `earshot` with `args` in the project folder: exit code, stdout, stderr.
pub fn earshot(args: &[&str]) -> (Option<i32>, String, String) {
    let o = Command::cargo_bin("earshot")
        .unwrap_or_else(|e| panic!("binary not built: {e}"))
        .current_dir(root())
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run earshot: {e}"));
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// The entries of a folder under the project, sorted.
pub fn entries(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    v.sort();
    v
}
