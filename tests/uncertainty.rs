//! Verdicts under uncertainty (issue: uncertainty), through the real binary on real scenes.

mod common;
use common::earshot;
use std::path::Path;

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = earshot(args);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn the_mayflower_speech_reports_odds_extremes_and_the_deciding_input() {
    let args = [
        "query",
        "scenes/mayflower-2016",
        "Sessions",
        "Kislyak",
        "--phase",
        "speech",
        "--format",
        "json",
    ];
    let d = json(&args);
    let v = &d["verdicts"][0];
    let odds = v["band_probabilities"]
        .as_object()
        .unwrap_or_else(|| panic!("no band_probabilities: {v}"));
    let total: f64 = odds.values().filter_map(serde_json::Value::as_f64).sum();
    assert!((total - 1.0).abs() < 1e-9, "{odds:?}");
    assert!(odds.len() > 1, "Sessions's seat is uncertain: {odds:?}");
    assert_eq!(v["best"], "easy", "{v}");
    assert_eq!(v["worst"], "implausible", "{v}");
    assert!(v["samples"].as_u64().unwrap_or(0) >= 1000, "{v}");
    assert_eq!(v["seed"], 1);
    let first = &v["sensitivity"][0];
    assert!(
        first["input"]
            .as_str()
            .unwrap_or("")
            .contains("Sessions's seat"),
        "{first}"
    );
    let noise = &v["sensitivity"][1];
    assert!(
        noise["input"].as_str().unwrap_or("").contains("noise"),
        "{noise}"
    );
    assert_eq!(
        noise["bands_alone"].as_array().map(Vec::len),
        Some(1),
        "{noise}"
    );
    // the same seed gives the same bytes; another seed is stated
    let (_, a, _) = earshot(&args);
    let (_, b, _) = earshot(&args);
    assert_eq!(a, b);
    let mut other = args.to_vec();
    other.extend(["--seed", "9", "--samples", "500"]);
    let d = json(&other);
    assert_eq!(d["verdicts"][0]["seed"], 9);
    assert_eq!(d["verdicts"][0]["samples"], 500);
}

#[test]
fn the_text_leads_with_a_quotable_sentence() {
    let (code, out, err) = earshot(&["query", "scenes/mayflower-2016", "Sessions", "Kislyak"]);
    assert_eq!(code, Some(0), "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines[0].starts_with("In every case the inputs allow")
            && lines[0].contains("does not change it"),
        "{out}"
    );
    assert!(
        lines[1].contains("It depends on Jeff Sessions's seat") && lines[1].contains("At best"),
        "{out}"
    );
    assert!(err.contains("candidate seats are taken by others"), "{err}");
}

#[test]
fn neighbours_include_partners_possible_in_some_case() {
    let d = json(&[
        "neighbors",
        "scenes/mayflower-2016",
        "Kislyak",
        "--phase",
        "speech",
        "--format",
        "json",
    ]);
    let list = d["phases"][0]["neighbors"]
        .as_array()
        .unwrap_or_else(|| panic!("{d}"));
    let sessions = list
        .iter()
        .find(|v| v["b"] == "Jeff Sessions")
        .unwrap_or_else(|| panic!("Sessions is missing though he could have sat behind: {d}"));
    assert_eq!(sessions["band"], "implausible");
    assert_eq!(sessions["best"], "easy");
}

#[test]
fn the_chart_draws_candidate_seats_and_says_so() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let svg = dir.path().join("m.svg");
    let (code, _, err) = earshot(&[
        "chart",
        "scenes/mayflower-2016",
        "--phase",
        "speech",
        "--focus",
        "Sessions",
        "--focus",
        "Kislyak",
        "-o",
        &svg.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&svg).unwrap_or_default();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    let candidates = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("candidate"))
        .count();
    assert_eq!(
        candidates, 18,
        "19 allowed seats, one drawn as Sessions himself"
    );
    assert!(
        doc.descendants()
            .any(|n| n.attribute("data-marker") == Some("candidate")),
        "the legend explains the rings"
    );
    let caption = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("pair-verdict"))
        .map(|n| n.descendants().filter_map(|t| t.text()).collect::<String>())
        .unwrap_or_default();
    assert!(caption.contains("It depends on"), "{caption}");
    assert!(text.contains("65–70 dB(A)"), "the noise range is shown");
    // lines of pairs with uncertain inputs carry their chance, and are faded by it
    let weighed: Vec<f64> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("line") && n.attribute("class").is_some_and(|c| c.starts_with("pair"))
        })
        .filter_map(|n| n.attribute("data-probability")?.parse().ok())
        .collect();
    assert!(!weighed.is_empty(), "no weighed pair line");
    assert!(
        weighed.iter().all(|p| (0.0..=1.0).contains(p)),
        "{weighed:?}"
    );
    assert!(
        weighed.iter().any(|p| *p < 1.0),
        "Sessions's lines hold only for some seats"
    );
    assert!(text.contains("of the cases the inputs allow"));
}

fn theatre(dir: &Path, people: &str, noise: &str) -> String {
    let toml = format!(
        "title = \"t\"\npeople = \"people.csv\"\n[venue]\noutline = [[0, 0], [20, 0], [20, 20], [0, 20]]\n\
         [[seating.rows]]\nsection = \"floor\"\norigin = [2, 14]\nrows = \"A-H\"\nseats = 12\n\
         seat_pitch_m = 0.55\nrow_pitch_m = 0.9\nfacing = 90\n[[phase]]\nname = \"speech\"\nnoise_dba = {noise}\n"
    );
    std::fs::write(dir.join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("people.csv"), people).unwrap_or_else(|e| panic!("{e}"));
    dir.to_string_lossy().to_string()
}

#[test]
fn malformed_uncertain_inputs_get_file_line_column_errors() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = theatre(
        dir.path(),
        "name,seat,facing,presence,x,y,pos_sd_m\n\
         Ann,A1|Z9,,,,,\n\
         Bob,B-D:,,,,,\n\
         Cy,C3,north..sideways,,,,\n\
         Di,C4,,1.5,,,\n\
         Ed,,,,5,5,-1\n\
         Fay,C5|C6,,,,,0.5\n",
        "66",
    );
    let (code, _, err) = earshot(&["validate", &d]);
    assert_eq!(code, Some(2), "{err}");
    for (line, what) in [
        (2, "\"Z9\" names no seat"),
        (3, "\"B-D:\" names no seat"),
        (4, "facing range"),
        (5, "a probability between 0 and 1"),
        (6, "pos_sd_m -1"),
        (7, "either several seats or pos_sd_m"),
    ] {
        let needle = format!("people.csv:{line}:");
        let hit = err
            .lines()
            .find(|l| l.contains(&needle))
            .unwrap_or_else(|| panic!("no error at line {line}: {err}"));
        assert!(hit.contains(what), "line {line}: {hit}");
    }
    let d = theatre(dir.path(), "name,seat\nAnn,A1\n", "[70, 200]");
    let (code, _, err) = earshot(&["validate", &d]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("noise_dba = [70, 200]"), "{err}");
}

#[test]
fn a_two_seat_set_is_enumerated_and_a_range_is_sampled() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let d = theatre(dir.path(), "name,seat\nAnn,A1\nBob,A2|H12\n", "70");
    let v = &json(&["query", &d, "Ann", "Bob", "--format", "json"])["verdicts"][0];
    assert_eq!(v["method"], "enumerated", "{v}");
    assert_eq!(v["samples"], 2);
    assert!(v["seed"].is_null());
    let probabilities: Vec<f64> = v["band_probabilities"]
        .as_object()
        .map(|o| o.values().filter_map(serde_json::Value::as_f64).collect())
        .unwrap_or_default();
    assert_eq!(probabilities, [0.5, 0.5], "{v}");
    let d = theatre(dir.path(), "name,seat\nAnn,A1\nBob,E6\n", "[55, 80]");
    let v = &json(&["query", &d, "Ann", "Bob", "--format", "json"])["verdicts"][0];
    assert_eq!(v["method"], "latin hypercube", "{v}");
    assert_eq!(v["samples"], 2000);
    assert_ne!(
        v["best"], v["worst"],
        "a 25 dB range must move a far pair: {v}"
    );
}
