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

/// The malformed inputs: the files in `tests/bad`, plus one generated here rather than kept in
/// the repository, a single line of 8 MiB without a line break.
pub fn bad_inputs() -> Vec<PathBuf> {
    let mut v = entries("tests/bad");
    v.retain(|p| !p.ends_with("README.md"));
    v.push(long_line_csv());
    v.sort();
    v
}

/// `single-8mb-line.csv`: 8 MiB of one header field, no line break, written once per build
/// into Cargo's temporary folder for integration tests.
pub fn long_line_csv() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("single-8mb-line.csv");
    if std::fs::metadata(&path).map(|m| m.len()).ok() != Some(8 << 20) {
        std::fs::write(&path, vec![b'n'; 8 << 20])
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
    path
}
