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

/// Every text ends inside the drawing, by the generous width estimate the label placer uses
/// (font size and anchor inherited as SVG inherits them; rotated texts left out).
pub fn texts_fit(doc: &roxmltree::Document) {
    let root = doc.root_element();
    let width: f64 = root
        .attribute("width")
        .and_then(|w| w.parse().ok())
        .unwrap_or_else(|| panic!("the SVG has a width"));
    let inherited = |n: roxmltree::Node, name: &str| {
        n.ancestors()
            .find_map(|a| a.attribute(name).map(str::to_string))
    };
    // a text's lines: its tspans that set their own x, or else the text itself
    let lines = doc.descendants().filter(|n| {
        (n.has_tag_name("text")
            && !n
                .children()
                .any(|c| c.has_tag_name("tspan") && c.attribute("x").is_some()))
            || (n.has_tag_name("tspan") && n.attribute("x").is_some())
    });
    for t in lines {
        let text: String = t
            .descendants()
            .filter(|c| c.is_text())
            .filter_map(|c| c.text())
            .collect::<String>()
            .trim()
            .to_string();
        let Some(x) = t.attribute("x").and_then(|x| x.parse::<f64>().ok()) else {
            continue;
        };
        if inherited(t, "transform").is_some_and(|r| r.contains("rotate")) {
            // an axis title on its side: its width runs down the page
            continue;
        }
        let font: f64 = inherited(t, "font-size")
            .and_then(|f| f.parse().ok())
            .unwrap_or(16.0);
        let w = earshot::output::render::labels::text_width(&text, font);
        let (left, right) = match inherited(t, "text-anchor").as_deref() {
            Some("middle") => (x - w / 2.0, x + w / 2.0),
            Some("end") => (x - w, x),
            _ => (x, x + w),
        };
        assert!(
            left >= 0.0 && right <= width,
            "{text:?} runs from {left:.0} to {right:.0} px, outside the drawing's 0 to {width:.0}"
        );
    }
}
