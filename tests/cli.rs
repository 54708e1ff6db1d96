//! The real binary on real scene files: shipped scenes, malformed inputs, tricky but valid files.

mod common;

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn earshot() -> Command {
    Command::cargo_bin("earshot").unwrap_or_else(|e| panic!("binary not built: {e}"))
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shipped_scenes() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join("scenes"))
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir() || p.extension().is_some_and(|e| e == "csv"))
        .collect();
    v.sort();
    v
}

fn bad_cases() -> Vec<PathBuf> {
    common::bad_inputs()
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str]) -> Run {
    let out = earshot()
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run earshot: {e}"));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap_or_default()
}

#[test]
fn every_shipped_scene_validates() {
    let scenes = shipped_scenes();
    assert!(
        scenes.len() >= 5,
        "expected the five example scenes, found {scenes:?}"
    );
    for scene in scenes {
        let r = run(&["validate", s(&scene)]);
        assert_eq!(
            r.code,
            Some(0),
            "{}: {}{}",
            scene.display(),
            r.stdout,
            r.stderr
        );
        assert!(r.stdout.contains("ok"), "{}", r.stdout);
    }
}

#[test]
fn every_bad_input_exits_2_with_file_and_line() {
    let cases = bad_cases();
    assert!(
        cases.len() >= 20,
        "expected at least 20 bad inputs, found {}",
        cases.len()
    );
    let line = regex_line();
    for case in cases {
        let r = run(&["validate", s(&case)]);
        assert_eq!(r.code, Some(2), "{}: {}", case.display(), r.stderr);
        let first = r.stderr.lines().next().unwrap_or("");
        let name = case.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        assert!(
            first.contains(name),
            "{}: message does not name the file: {first}",
            case.display()
        );
        assert!(
            line(first),
            "{}: message has no :line: {first}",
            case.display()
        );
        assert!(
            !r.stderr.contains("panicked") && !r.stderr.contains("internal error"),
            "{}",
            r.stderr
        );
        // every other command refuses the scene and points to validate
        let q = run(&["query", s(&case), "Ann", "Ben"]);
        assert_eq!(q.code, Some(2), "{}: {}", case.display(), q.stderr);
        assert!(q.stderr.contains("earshot validate"), "{}", q.stderr);
    }
}

/// True when the text holds `:N:` or `:N ` after a file name, N a line number.
fn regex_line() -> impl Fn(&str) -> bool {
    |t: &str| {
        t.split(':').skip(1).any(|part| {
            let digits: String = part.chars().take_while(|c| c.is_ascii_digit()).collect();
            !digits.is_empty()
                && digits.len() == part.trim_end().len().min(digits.len())
                && part.starts_with(&digits)
        })
    }
}

#[test]
fn expected_messages_for_some_bad_inputs() {
    let cases = [
        (
            "x-abc.csv",
            ":2:2: column `x`: expected a number, found \"abc\"",
        ),
        ("x-nan.csv", "expected a finite number"),
        // lines ended by a carriage return alone (Excel for the old Mac OS): Ben is on line 3
        (
            "x-mac-line-ends.csv",
            ":3:3: column `y`: expected a number, found \"abc\"",
        ),
        // blank lines count: Ben is on line 6 (the CSV reader's own count said 4)
        (
            "x-after-blank-lines.csv",
            ":6:3: column `y`: expected a number, found \"abc\"",
        ),
        ("x-1e400.csv", "too large"),
        ("empty.csv", ":1: the file is empty"),
        ("header-only.csv", ":1: a header but no rows"),
        ("invalid-utf8.csv", ":2:4: invalid UTF-8"),
        (
            "single-8mb-line.csv",
            ":1:1: header field is longer than 4096 bytes",
        ),
        (
            "zero-seats",
            "scene.toml:10:1: seat block \"floor\" has 0 seats",
        ),
        ("negative-pitch", "seat_pitch_m must be a positive number"),
        ("table-zero-chairs", "has 0 chairs"),
        ("self-intersecting-outline", "crosses itself"),
        ("wall-one-point", "has 1 point(s)"),
        (
            "unknown-seat-label",
            "people.csv:3:2: column `seat`: unknown seat label \"Z99\"",
        ),
        ("seat-taken-twice", "people.csv:3: seat A1 is taken twice"),
        (
            "outside-venue",
            "people.csv:3: \"Ben\" at (12.00, 2.00) m lies outside",
        ),
        ("inside-obstacle", "inside the obstacle \"pillar\""),
        ("unknown-phase", "unknown phase \"dinner\""),
        (
            "backwards-window.csv",
            "presence window ends (13:00) before it starts (14:00)",
        ),
        ("toml-syntax-error", "scene.toml:2:7: TOML"),
        ("duplicate-without-id", "add an `id` column"),
        (
            "bad-seat-set",
            "people.csv:3:2: column `seat`: seat set \"A2|Z99\": \"Z99\" names no seat",
        ),
        (
            "bad-noise-range",
            "noise_dba = [60, 200]: the range is out of bounds",
        ),
        (
            "bad-presence-probability.csv",
            ":2:4: column `presence`: expected `confirmed`, `uncertain` or a probability",
        ),
        (
            "bad-facing-range.csv",
            ":2:4: column `facing`: facing range \"90..up\"",
        ),
    ];
    for (case, expected) in cases {
        let path = if case == "single-8mb-line.csv" {
            common::long_line_csv()
        } else {
            root().join("tests/bad").join(case)
        };
        let r = run(&["validate", s(&path)]);
        assert!(
            r.stderr.contains(expected),
            "{case}: expected {expected:?} in\n{}",
            r.stderr
        );
    }
}

#[test]
fn validate_lists_every_problem_at_once() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("many.csv");
    std::fs::write(&f, "name,x,y\nAnn,abc,1\nBen,1,NaN\n,1,1\nDan,1\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&["validate", s(&f)]);
    assert_eq!(r.code, Some(2));
    for l in [":2:2:", ":3:3:", ":4:1:", ":5:"] {
        assert!(r.stderr.contains(l), "missing {l} in {}", r.stderr);
    }
}

#[test]
fn tricky_but_valid_csv_loads() {
    let f = root().join("tests/good/tricky.csv");
    let r = run(&["validate", s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let r = run(&["query", s(&f), "Smith", "Ann", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout));
    assert_eq!(v["a"], "Smith, John \"Jack\"\r\nJr.");
}

#[test]
fn semicolons_and_decimal_commas_are_read() {
    let f = root().join("tests/good/semicolon.csv");
    let r = run(&["query", s(&f), "Ann", "Ben", "--format", "json"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}"));
    let d = v["verdicts"][0]["geometry"]["distance_m"]
        .as_f64()
        .unwrap_or(f64::NAN);
    let expect = (1.5f64.powi(2) + 2.25f64.powi(2)).sqrt();
    assert!((d - expect).abs() < 1e-9, "{d} vs {expect}");
}

#[test]
fn feet_are_converted_at_the_edge() {
    let f = root().join("tests/good/feet.csv");
    let r = run(&[
        "--units",
        "ft",
        "query",
        s(&f),
        "Ann",
        "Ben",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}"));
    let d = v["verdicts"][0]["geometry"]["distance_m"]
        .as_f64()
        .unwrap_or(f64::NAN);
    assert!((d - 3.048).abs() < 1e-9, "{d}");
}

#[test]
fn unknown_names_get_suggestions() {
    let r = run(&["query", "scenes/mayflower-2016", "Jef Sesions", "Kislyak"]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("did you mean Jeff Sessions"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "query",
        "scenes/mayflower-2016",
        "SERGEY KISLYAK",
        "jeff sessions",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
}

#[test]
fn unknown_phase_is_bad_input() {
    let r = run(&[
        "query",
        "scenes/mayflower-2016",
        "Sessions",
        "Kislyak",
        "--phase",
        "lunch",
    ]);
    assert_eq!(r.code, Some(2));
    assert!(
        r.stderr.contains("reception") && r.stderr.contains("speech"),
        "{}",
        r.stderr
    );
}

fn query_json(args: &[&str]) -> serde_json::Value {
    let r = run(args);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

#[test]
fn mayflower_sessions_kislyak_json_has_every_fact_per_phase() {
    let v = query_json(&[
        "query",
        "scenes/mayflower-2016",
        "Jeff Sessions",
        "Sergey Kislyak",
        "--format",
        "json",
    ]);
    let verdicts = v["verdicts"].as_array().cloned().unwrap_or_default();
    assert_eq!(verdicts.len(), 2);
    for p in &verdicts {
        let g = &p["geometry"];
        assert!(g["distance_m"].as_f64().is_some(), "{p}");
        assert!(g["walking_m"].as_f64().is_some(), "{p}");
        assert!(g["bodies_between"].is_array(), "{p}");
        assert!(p["co_presence"]["minutes"].as_f64().is_some(), "{p}");
        assert!(p["summary"].as_str().is_some_and(|s| !s.is_empty()));
    }
    let speech = &verdicts[1];
    assert_eq!(speech["phase"], "speech");
    assert!(
        speech["geometry"]["rows_between"]
            .as_u64()
            .is_some_and(|r| r >= 1),
        "{speech}"
    );
    assert_ne!(
        speech["band"], "easy",
        "Sessions–Kislyak during the speech must not be easy"
    );
    assert_eq!(speech["co_presence"]["minutes"].as_f64(), Some(40.0));
}

#[test]
fn mayflower_front_row_neighbours_can_talk() {
    let v = query_json(&[
        "query",
        "scenes/mayflower-2016",
        "Sergey Kislyak",
        "Ambassador C",
        "--phase",
        "speech",
        "--format",
        "json",
    ]);
    let band = v["verdicts"][0]["band"].as_str().unwrap_or("");
    assert!(band == "easy" || band == "raised", "{band}");
}

#[test]
fn mayflower_reception_walk_over_is_plausible_for_everyone_present() {
    let v = query_json(&[
        "neighbors",
        "scenes/mayflower-2016",
        "Jeff Sessions",
        "--phase",
        "reception",
        "--band",
        "all",
        "--format",
        "json",
    ]);
    let list = v["phases"][0]["neighbors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(list.len() >= 20, "{}", list.len());
    for n in list {
        assert_eq!(n["walk_over"]["possible"], true, "{n}");
        let after = n["walk_over"]["band_face_to_face"].as_str().unwrap_or("");
        assert!(after == "easy" || after == "raised", "{n}");
    }
}

#[test]
fn uncertain_presence_is_shown() {
    let r = run(&[
        "query",
        "scenes/cni-dinner-2016-05-23",
        "Sessions",
        "Kislyak",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // the scene gives his attendance as a probability: the answer leads with it
    let first = r.stdout.lines().next().unwrap_or("");
    assert!(
        first.contains("whether Sergey Kislyak was there (50 %)")
            && first.contains("one of them not there 50 %"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("Attendance unconfirmed: Sergey Kislyak"),
        "{}",
        r.stdout
    );
}

#[test]
fn neighbors_are_sorted_best_first() {
    let v = query_json(&[
        "neighbors",
        "scenes/wedding-banquet",
        "Bride",
        "--phase",
        "dinner",
        "--band",
        "all",
        "--format",
        "json",
    ]);
    let list = v["phases"][0]["neighbors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!list.is_empty());
    let ranks: Vec<(usize, f64)> = list
        .iter()
        .map(|n| {
            let order = [
                "easy",
                "raised",
                "shouting",
                "implausible",
                "never_co_present",
            ];
            let b = order.iter().position(|b| n["band"] == *b).unwrap_or(9);
            (b, n["score"].as_f64().unwrap_or(f64::NAN))
        })
        .collect();
    for w in ranks.windows(2) {
        assert!(
            w[0].0 < w[1].0 || (w[0].0 == w[1].0 && w[0].1 >= w[1].1),
            "{ranks:?}"
        );
    }
}

#[test]
fn csv_output_neutralises_formulas() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("f.csv");
    std::fs::write(&f, "name,x,y\nAnn,0,0\n=HYPERLINK(\"http://x\"),1,0\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&["neighbors", s(&f), "Ann", "--format", "csv"]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    assert!(r.stdout.contains("'=HYPERLINK"), "{}", r.stdout);
    assert!(!r.stdout.contains(",=HYPERLINK"), "{}", r.stdout);
}

#[test]
fn missing_paths_and_folders_are_clear_errors() {
    let r = run(&["validate", "no/such/scene.csv"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
    let r = run(&["validate", "tests"]);
    assert_eq!(r.code, Some(2));
    assert!(r.stderr.contains("folder"), "{}", r.stderr);
}

#[test]
fn the_readme_quick_start_output_is_current() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap_or_default();
    let r = run(&[
        "query",
        "scenes/mayflower-2016",
        "Jeff Sessions",
        "Sergey Kislyak",
    ]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    for line in r.stdout.lines().take(2) {
        assert!(
            readme.contains(&format!("    {line}")),
            "README.md does not show: {line}"
        );
    }
}

#[test]
fn a_scene_in_feet_is_converted() {
    use earshot::scene::{LoadOptions, load_scene_bytes};
    let toml = b"units = \"ft\"\n[venue]\noutline = [[0, 0], [100, 0], [100, 50], [0, 50]]\n";
    let people = b"name,x,y\nAnn,10,10\nBen,20,10\n";
    let scene = load_scene_bytes(
        Path::new("scene.toml"),
        toml,
        people,
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let d = scene.attendees[0].placements[0]
        .pos
        .distance(scene.attendees[1].placements[0].pos);
    assert!((d - 3.048).abs() < 1e-9, "{d}");
    assert!((scene.venue.area_m2() - 5000.0 * 0.3048 * 0.3048).abs() < 1e-6);
}

#[test]
fn unknown_columns_are_warned_about() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let f = dir.path().join("typo.csv");
    std::fs::write(&f, "name,x,y,facng\nAnn,1,1,90\nBen,2,1,270\n")
        .unwrap_or_else(|e| panic!("{e}"));
    let r = run(&["validate", s(&f)]);
    assert_eq!(r.code, Some(0), "{}", r.stderr);
    // the column, where it is, what it probably meant, and that it is ignored
    assert!(
        r.stdout.contains(
            "typo.csv:1:4: unknown column \"facng\": did you mean `facing`? It is ignored"
        ),
        "{}",
        r.stdout
    );
}
