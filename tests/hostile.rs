//! Hostile and broken input: every command on every malformed case ends with a message and
//! exit code 1 or 2 (never a panic's 101); hostile names stay inert in every output format;
//! inputs found by fuzzing stay fixed.

mod common;
use common::*;
use std::path::{Path, PathBuf};

#[test]
fn every_command_on_every_malformed_case_exits_1_or_2() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = tmp.path().join("x.svg");
    let out = out.to_str().unwrap_or("");
    let all = bad_inputs();
    assert!(all.len() >= 20, "{}", all.len());
    let mut runs = 0;
    for case in all {
        let c = case.to_str().unwrap_or("");
        let commands: Vec<Vec<&str>> = vec![
            vec!["validate", c],
            vec!["query", c, "Ann", "Ben"],
            vec!["neighbors", c, "Ann"],
            vec!["chart", c, "-o", out],
            vec!["plot", c, "heatmap", "-o", out],
            vec!["pairs", c, "--within", "2"],
            vec!["groups", c],
        ];
        for args in commands {
            let (code, _, err) = earshot(&args);
            assert!(
                matches!(code, Some(1) | Some(2)),
                "{args:?} exited {code:?}: {err}"
            );
            assert!(
                err.starts_with("error:")
                    || err.contains(".csv")
                    || err.contains(".toml")
                    || err.contains(c),
                "{args:?}: {err}"
            );
            assert!(
                !err.contains("panicked") && !err.contains("internal error"),
                "{args:?}: {err}"
            );
            runs += 1;
        }
    }
    assert!(runs >= 140, "{runs}");
}

#[test]
fn the_attendee_limit_is_enforced_with_a_clear_error() {
    let (code, _, err) = earshot(&["--max-attendees", "10", "validate", "scenes/open-floor.csv"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("more than 10 rows"), "{err}");
}

const NAMES: [&str; 6] = [
    "<script>alert(1)</script>&\"'",
    "=HYPERLINK(\"http://evil\")",
    "@SUM(1+1)",
    "Eve\u{202e}gnp.exe",
    "Bell\u{7}\u{1b}[2J",
    "Multi\nLine, \"Quoted\"",
];

fn hostile_scene(dir: &Path) -> PathBuf {
    let mut csv = String::from("name,x,y,facing,role\n");
    for (i, n) in NAMES.iter().enumerate() {
        csv.push_str(&format!(
            "\"{}\",{},{},0,\"{}\"\n",
            n.replace('"', "\"\""),
            i as f64 * 0.8,
            (i % 2) as f64 * 0.8,
            n.replace('"', "\"\"")
        ));
    }
    let long = "L".repeat(500);
    csv.push_str(&format!("{long},5,0,180,guest\n"));
    let path = dir.join("hostile.csv");
    std::fs::write(&path, csv).unwrap_or_else(|e| panic!("{e}"));
    path
}

#[test]
fn hostile_names_are_inert_in_every_format() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scene = hostile_scene(tmp.path());
    let s = scene.to_str().unwrap_or("");
    let (code, _, err) = earshot(&["validate", s]);
    assert_eq!(code, Some(0), "{err}");
    // text: no raw escape or bidi control reaches the terminal
    let (code, text, err) = earshot(&["neighbors", s, "=HYPERLINK", "--band", "all"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        !text.contains('\u{1b}') && !text.contains('\u{202e}') && !text.contains('\u{7}'),
        "{text}"
    );
    assert!(text.contains("\\u{202e}"), "{text}");
    // CSV: formulas neutralised, quoting intact (the file parses back to the same names)
    let (_, csv, _) = earshot(&["neighbors", s, "Multi", "--band", "all", "--format", "csv"]);
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let others: Vec<String> = r
        .records()
        .filter_map(|x| x.ok())
        .map(|x| x[2].to_string())
        .collect();
    assert!(
        others.contains(&"'=HYPERLINK(\"http://evil\")".to_string()),
        "{others:?}"
    );
    assert!(others.contains(&"'@SUM(1+1)".to_string()), "{others:?}");
    assert!(
        others.iter().all(|o| !o.starts_with(['=', '+', '-', '@'])),
        "{others:?}"
    );
    let (_, pairs, _) = earshot(&["pairs", s, "--band", "all"]);
    let mut r = csv::Reader::from_reader(pairs.as_bytes());
    for rec in r.records() {
        let rec = rec.unwrap_or_else(|e| panic!("{e}: {pairs}"));
        assert_eq!(rec.len(), 6);
        assert!(
            !rec[1].starts_with(['=', '+', '-', '@']) && !rec[2].starts_with(['=', '+', '-', '@'])
        );
    }
    // JSON: parses back to the exact names
    let (_, json, _) = earshot(&["query", s, "script", "Multi", "--format", "json"]);
    let v: serde_json::Value =
        serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"));
    assert_eq!(v["a"], NAMES[0]);
    assert_eq!(v["b"], NAMES[5]);
    // SVG: well-formed, no markup from names
    let svg_path = tmp.path().join("h.svg");
    let (code, _, err) = earshot(&[
        "chart",
        s,
        "--focus",
        "script",
        "-o",
        svg_path.to_str().unwrap_or(""),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let svg = std::fs::read_to_string(&svg_path).unwrap_or_default();
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    assert!(!svg.contains('\u{202e}') && !svg.contains('\u{1b}'));
}

#[test]
fn fuzz_regression_inputs_never_panic() {
    use earshot::scene::{LoadOptions, load_csv_bytes, load_scene_bytes};
    let mut n = 0;
    for case in entries("tests/fuzz") {
        let bytes = std::fs::read(&case).unwrap_or_else(|e| panic!("{e}"));
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("csv") {
            let _ = load_csv_bytes(Path::new("fuzz.csv"), &bytes, &LoadOptions::default());
        } else {
            let split = bytes.windows(5).position(|w| w == b"\n---\n");
            let (toml, people) = match split {
                Some(i) => (&bytes[..i], &bytes[i + 5..]),
                None => (&bytes[..], &b"name,x,y\nAnn,1,1\nBen,2,2\n"[..]),
            };
            if let Ok(scene) = load_scene_bytes(
                Path::new("scene.toml"),
                toml,
                people,
                &LoadOptions::default(),
            ) {
                for p in 0..scene.phases.len() {
                    let _ = earshot::analysis::search::phase_pairs(
                        &scene,
                        p,
                        earshot::analysis::plausibility::Band::NeverCoPresent,
                    );
                    let _ = earshot::output::render::chart::seating_chart(
                        &scene,
                        p,
                        &Default::default(),
                    );
                    if scene.attendees.len() >= 2 {
                        let opts = earshot::analysis::uncertainty::Options {
                            samples: 50,
                            seed: 1,
                        };
                        let _ = earshot::analysis::uncertainty::analyse(&scene, p, 0, 1, opts);
                    }
                }
            }
        }
        n += 1;
    }
    assert!(n >= 10, "the fuzz regression corpus is missing: {n}");
}
