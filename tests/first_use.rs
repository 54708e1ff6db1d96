//! What a first-time user trips over (issue: first use), each through the real binary.

mod common;
use common::earshot;
use std::path::Path;

/// A gala: one round of eight with accented names, a dinner phase.
fn gala(dir: &Path, people_header: &str, rows: &str) {
    let toml = "title = \"Gala\"\npeople = \"people.csv\"\n[venue]\noutline = [[0, 0], [12, 0], [12, 10], [0, 10]]\nheight_m = 4\nrt60_s = 1.0\n\
                [[seating.table]]\nlabel = \"T1\"\ncenter = [6, 5]\nradius_m = 0.76\nchairs = 8\n\
                [[phase]]\nname = \"dinner\"\nnoise_dba = 66\n";
    std::fs::write(dir.join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(dir.join("people.csv"), format!("{people_header}\n{rows}"))
        .unwrap_or_else(|e| panic!("{e}"));
}

const ROWS: &str = "José Álvarez,T1-1\nRenée Dubois,T1-2\nOmar Haddad,T1-3\nKwame Mensah,T1-5\n";

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn names_match_without_accents_by_surname_and_by_first_name() {
    let dir = tmp();
    gala(dir.path(), "name,seat", ROWS);
    let d = dir.path().to_string_lossy().to_string();
    for (a, b) in [
        ("Jose Alvarez", "Renee"),
        ("alvarez", "DUBOIS"),
        ("José", "renée dubois"),
    ] {
        let (code, out, err) = earshot(&["query", &d, a, b]);
        assert_eq!(code, Some(0), "{a} / {b}: {err}");
        assert!(out.contains("José Álvarez and Renée Dubois"), "{out}");
    }
    let svg = dir.path().join("c.svg");
    let (code, _, err) = earshot(&["chart", &d, "--focus", "Jose", "-o", &svg.to_string_lossy()]);
    assert_eq!(code, Some(0), "{err}");
}

#[test]
fn suggestions_only_when_close() {
    let dir = tmp();
    gala(dir.path(), "name,seat", ROWS);
    let d = dir.path().to_string_lossy().to_string();
    let (code, _, err) = earshot(&["query", &d, "Omar", "Zebedee"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("no attendee named \"Zebedee\""), "{err}");
    assert!(!err.contains("did you mean"), "{err}");
    let (_, _, err) = earshot(&["query", &d, "Omar", "Kwame Mensha"]);
    assert!(err.contains("did you mean Kwame Mensah?"), "{err}");
}

#[test]
fn a_misspelt_header_is_named_once() {
    let dir = tmp();
    gala(dir.path(), "name,seet", ROWS);
    let d = dir.path().to_string_lossy().to_string();
    let (code, out, err) = earshot(&["validate", &d]);
    assert_eq!(code, Some(2));
    let all = format!("{out}{err}");
    assert!(all.contains("\"seet\" meant to be `seat`"), "{all}");
    assert_eq!(all.matches("expected a position").count(), 0, "{all}");
    assert!(all.contains("has 1 problem"), "{all}");
    gala(dir.path(), "name,Seat #", ROWS);
    let (_, out, err) = earshot(&["validate", &d]);
    assert!(
        format!("{out}{err}").contains("meant to be `seat`"),
        "{out}{err}"
    );
}

#[test]
fn query_as_csv_is_csv() {
    let (code, out, err) = earshot(&[
        "query",
        "scenes/mayflower-2016",
        "Sessions",
        "Kislyak",
        "--format",
        "csv",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let mut rd = csv::Reader::from_reader(out.as_bytes());
    let header = rd.headers().cloned().unwrap_or_default();
    assert_eq!(&header[0], "phase");
    assert_eq!(&header[3], "band");
    let rows: Vec<csv::StringRecord> = rd.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), 2, "{out}");
    assert_eq!(&rows[1][0], "speech");
    assert!(rows[1][10].starts_with("In \"speech\""), "{out}");
}

#[cfg(not(feature = "png"))]
#[test]
fn chart_png_without_the_feature_still_writes_the_svg_and_says_how() {
    let dir = tmp();
    let svg = dir.path().join("m.svg");
    let (code, _, err) = earshot(&[
        "chart",
        "scenes/mayflower-2016",
        "--phase",
        "speech",
        "--png",
        "-o",
        &svg.to_string_lossy(),
    ]);
    assert_eq!(code, Some(2), "{err}");
    assert!(svg.is_file(), "no SVG written");
    assert!(
        err.contains("rsvg-convert") && err.contains("--features png"),
        "{err}"
    );
}

#[test]
fn an_unconfirmed_person_is_said_once() {
    let (_, out, _) = earshot(&["neighbors", "scenes/cni-dinner-2016-05-23", "Kislyak"]);
    assert_eq!(out.matches("attendance is unconfirmed").count(), 1, "{out}");
    assert_eq!(out.matches("(attendance unconfirmed)").count(), 0, "{out}");
    let (_, out, _) = earshot(&["neighbors", "scenes/cni-dinner-2016-05-23", "Sessions"]);
    assert_eq!(out.matches("(attendance unconfirmed)").count(), 1, "{out}");
}

#[test]
fn charts_of_the_current_folder_are_named_for_it() {
    let dir = tmp();
    let scene = dir.path().join("spring-gala");
    std::fs::create_dir(&scene).unwrap_or_else(|e| panic!("{e}"));
    gala(&scene, "name,seat", ROWS);
    let o = assert_cmd::Command::cargo_bin("earshot")
        .unwrap_or_else(|e| panic!("{e}"))
        .current_dir(&scene)
        .args(["chart", "."])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(scene.join("output/spring-gala-dinner.svg").is_file());
}

#[test]
fn validate_reports_the_scene_file_and_the_people_file_together() {
    let dir = tmp();
    gala(
        dir.path(),
        "name,seat,arrived",
        "José Álvarez,T1-1,9pm\nRenée Dubois,T1-2,19:00\nOmar Haddad,T2-1,19:00\n",
    );
    let toml = std::fs::read_to_string(dir.path().join("scene.toml")).unwrap_or_default();
    let toml = toml.replace("noise_dba = 66", "noise_dba = 66\nfrom = \"7pm\"")
        + "[[seating.table]]\nlabel = \"T2\"\ncenter = [2, 2]\nradius_m = -1\nchairs = 8\n";
    std::fs::write(dir.path().join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path().to_string_lossy().to_string();
    let (code, out, err) = earshot(&["validate", &d]);
    assert_eq!(code, Some(2));
    let all = format!("{out}{err}");
    // the bad time in the scene file, the bad table, and the bad time in the people file
    assert!(all.contains("scene.toml") && all.contains("7pm"), "{all}");
    assert!(all.contains("radius_m must be a positive number"), "{all}");
    assert!(
        all.contains("people.csv:2:3") && all.contains("9pm"),
        "{all}"
    );
    // a seat of the refused table is not reported again as unknown
    assert!(!all.contains("unknown seat label"), "{all}");
}

#[test]
fn silent_surprises_are_warned_about() {
    let dir = tmp();
    // a row with a seat and x,y
    gala(
        dir.path(),
        "name,seat,x,y",
        "José Álvarez,T1-1,1,1\nRenée Dubois,T1-2,,\nOmar Haddad,T1-3,,\n",
    );
    let d = dir.path().to_string_lossy().to_string();
    let (code, out, err) = earshot(&["validate", &d]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("people.csv:2: this row gives both a seat and x,y"),
        "{out}"
    );
    assert!(out.contains("the seat's position is used"), "{out}");
    // a scene drawn in metres but declared in feet
    gala(dir.path(), "name,seat", ROWS);
    let toml = std::fs::read_to_string(dir.path().join("scene.toml")).unwrap_or_default();
    let toml = toml.replace(
        "people = \"people.csv\"",
        "people = \"people.csv\"\nunits = \"ft\"",
    );
    std::fs::write(dir.path().join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    let (code, out, _) = earshot(&["validate", &d]);
    assert_eq!(code, Some(0));
    assert!(out.contains("table T1 is 0.46 m across"), "{out}");
    assert!(
        out.contains("closer than two people can: are the units right?"),
        "{out}"
    );
}

#[test]
fn hints_name_decimal_commas_and_feet() {
    let dir = tmp();
    let f = dir.path().join("p.csv");
    std::fs::write(&f, "name,x,y\nAnn,12,5,3\nBen,10,12\n").unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = earshot(&["validate", &f.to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("`12,5` looks like a number with a decimal comma"),
        "{err}"
    );
    gala(dir.path(), "name,x,y", "Ann,32.8,16.4\nBen,2,2\n");
    let (code, _, err) = earshot(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("people.csv:2: \"Ann\"") && err.contains("look like feet"),
        "{err}"
    );
    assert!(!err.contains("\"Ben\""), "{err}");
}

#[test]
fn facing_as_a_compass_point_or_a_bearing() {
    let dir = tmp();
    let f = dir.path().join("p.csv");
    let offset = |csv: &str| {
        std::fs::write(&f, csv).unwrap_or_else(|e| panic!("{e}"));
        let (code, out, err) = earshot(&[
            "query",
            &f.to_string_lossy(),
            "Ann",
            "Ben",
            "--format",
            "json",
        ]);
        assert_eq!(code, Some(0), "{err}");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        v["verdicts"][0]["geometry"]["facing_a_deg"]
            .as_f64()
            .map(|d| (d * 1e6).round() / 1e6)
    };
    // Ben is north of Ann (+y), then east (+x)
    assert_eq!(offset("name,x,y,facing\nAnn,0,0,N\nBen,0,2,S\n"), Some(0.0));
    assert_eq!(
        offset("name,x,y,facing\nAnn,0,0,north-east\nBen,0,2,S\n"),
        Some(45.0)
    );
    assert_eq!(
        offset("name,x,y,bearing\nAnn,0,0,90\nBen,2,0,270\n"),
        Some(0.0)
    );
    assert_eq!(
        offset("name,x,y,facing\nAnn,0,0,W\nBen,2,0,E\n"),
        Some(180.0)
    );
}

#[test]
fn efforts_and_bands_are_not_confused() {
    // an easy pair: the least level is said against the natural voice, not as an alarming effort
    let (_, out, _) = earshot(&[
        "query",
        "scenes/wedding-banquet",
        "Guest 040",
        "Guest 041",
        "--phase",
        "dinner",
    ]);
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("required level "))
        .unwrap_or("");
    assert!(line.contains("below the natural voice"), "{line}");
    assert!(!line.contains("loud voice"), "{line}");
    // the decay plot names efforts as ISO efforts and says bands count from the natural voice
    let dir = tmp();
    let svg = dir.path().join("d.svg");
    let (code, _, err) = earshot(&[
        "plot",
        "scenes/mayflower-2016",
        "decay",
        "--phase",
        "speech",
        "-o",
        &svg.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&svg).unwrap_or_default();
    assert!(
        text.contains("ISO 9921 raised effort, 66 dB(A) at 1 m"),
        "no ISO effort label"
    );
    assert!(
        text.contains("bands count from it"),
        "no natural-voice label"
    );
}

#[test]
fn people_who_left_no_longer_stand_in_between() {
    let dir = tmp();
    let toml = "people = \"people.csv\"\n[venue]\noutline = [[0, 0], [20, 0], [20, 12], [0, 12]]\nheight_m = 4\nrt60_s = 1.0\n\
                [[phase]]\nname = \"reception\"\nfrom = \"21:10\"\nto = \"22:30\"\nnoise_dba = 72\nmobility = \"mingling\"\n";
    std::fs::write(dir.path().join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    // Brandt stands between them until 21:40; a crowd of bodies makes the difference count
    let mut csv =
        String::from("name,x,y,facing,arrived,left\nLindqvist,5,6,0,,\nPetrov,7.4,6,180,,\n");
    csv.push_str("Brandt,6.2,6,90,,21:40\n");
    std::fs::write(dir.path().join("people.csv"), csv).unwrap_or_else(|e| panic!("{e}"));
    let d = dir.path().to_string_lossy().to_string();
    let (code, out, err) = earshot(&["query", &d, "Lindqvist", "Petrov", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let verdict = &v["verdicts"][0];
    let slices = verdict["slices"].as_array().cloned().unwrap_or_default();
    assert_eq!(slices.len(), 2, "{out}");
    assert_eq!(slices[0]["from_min"], 1270.0);
    assert_eq!(slices[0]["to_min"], 1300.0);
    assert_eq!(slices[0]["bodies_between"][0], "Brandt");
    assert_eq!(slices[1]["from_min"], 1300.0);
    assert_eq!(
        slices[1]["bodies_between"].as_array().map(Vec::len),
        Some(0)
    );
    let s0 = slices[0]["score"].as_f64().unwrap_or(1.0);
    let s1 = slices[1]["score"].as_f64().unwrap_or(0.0);
    assert!(s1 > s0, "{s0} then {s1}");
    // the headline takes the best slice and says when; nobody is between them then
    assert_eq!(verdict["score"].as_f64(), Some(s1));
    assert_eq!(verdict["bodies_between"].as_array().map(Vec::len), Some(0));
    let summary = verdict["summary"].as_str().unwrap_or("");
    assert!(summary.contains("from 21:40 to 22:30"), "{summary}");
    assert!(!summary.contains("in between"), "{summary}");
}

#[test]
fn charts_a_graphics_editor_could_publish() {
    let dir = tmp();
    let chart = |phase: &str, focus: &[&str]| {
        let out = dir.path().join(format!("{phase}-{}.svg", focus.len()));
        let mut args = vec!["chart", "scenes/mayflower-2016", "--phase", phase];
        for f in focus {
            args.extend(["--focus", f]);
        }
        let o = out.to_string_lossy().to_string();
        args.extend(["-o", &o]);
        let (code, _, err) = earshot(&args);
        assert_eq!(code, Some(0), "{err}");
        std::fs::read_to_string(&out).unwrap_or_default()
    };
    let svg = chart("speech", &["Sessions", "Kislyak"]);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    common::texts_fit(&doc);
    // the pair asked about has its line and its sentence, even when it is implausible
    let asked = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("asked-pair"))
        .and_then(|g| {
            g.children()
                .find(|c| c.attribute("class").is_some_and(|k| k.starts_with("pair")))
        });
    assert!(asked.is_some_and(|n| n.attribute("class") == Some("pair asked band-implausible")));
    let caption: String = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("pair-verdict"))
        .map(|n| {
            n.descendants()
                .filter_map(|t| t.text())
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    // Sessions's seat is a set in this scene: the caption gives the answer over it
    assert!(
        caption.contains("It depends on Jeff Sessions's seat"),
        "{caption}"
    );
    // shouting is drawn faint
    let shouts: Vec<_> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("pair band-shouting"))
        .collect();
    assert!(!shouts.is_empty());
    // at 0.5, or fainter by the line's chance where the inputs are uncertain (the noise range)
    for line in &shouts {
        let opacity: f64 = line
            .attribute("stroke-opacity")
            .and_then(|o| o.parse().ok())
            .unwrap_or(f64::NAN);
        let chance: Option<f64> = line
            .attribute("data-probability")
            .and_then(|p| p.parse().ok());
        let expected = chance.map_or(0.5, |c: f64| 0.5 * c.max(0.25));
        assert!((opacity - expected).abs() < 0.01, "{opacity} vs {expected}");
    }
    // the same room, framed the same way, in every phase
    let view = |svg: &str| {
        roxmltree::Document::parse(svg)
            .ok()
            .and_then(|d| d.root_element().attribute("viewBox").map(str::to_string))
    };
    assert_eq!(view(&chart("speech", &[])), view(&chart("reception", &[])));
}

#[test]
fn the_heat_map_names_both_axes_and_marks_the_band_edge() {
    let dir = tmp();
    let out = dir.path().join("h.svg");
    let (code, _, err) = earshot(&[
        "plot",
        "scenes/cni-dinner-2016-05-23",
        "heatmap",
        "-o",
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let svg = std::fs::read_to_string(&out).unwrap_or_default();
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .map(str::trim)
        .collect();
    assert_eq!(
        texts.iter().filter(|t| **t == "Jeff Sessions").count(),
        2,
        "rows and columns"
    );
    assert!(
        texts.iter().any(|t| t.starts_with("0.45 easy")),
        "band edge on the key"
    );
}

#[test]
fn a_misspelt_seat_beside_x_and_y_is_named_once_and_the_rows_other_problems_still_show() {
    let dir = tmp();
    gala(
        dir.path(),
        "name,seet,x,y,arrived",
        "José Álvarez,T1-1,,,\nRenée Dubois,T1-2,,,9pm\nOmar Haddad,,3,3,\n",
    );
    let (code, out, err) = earshot(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(code, Some(2));
    let all = format!("{out}{err}");
    assert!(
        all.contains("people.csv:1:2: unknown column \"seet\": did you mean `seat`?"),
        "{all}"
    );
    assert_eq!(all.matches("expected a position").count(), 0, "{all}");
    assert!(
        all.contains("people.csv:3:5") && all.contains("9pm"),
        "{all}"
    );
    assert!(all.contains("has 2 problems"), "{all}");
}

#[test]
fn validate_lists_every_wrongly_typed_value_and_the_csv_in_one_run() {
    let dir = tmp();
    let toml = "title = \"Gala\"\npeople = \"people.csv\"\n[venue]\noutline = [[0, 0], [12, 0], [12, 10], [0, 10]]\n\
                height_m = \"four\"\n[[seating.table]]\nlabel = \"T1\"\ncenter = [6, 5]\nradius_m = 0.76\n\
                chairs = \"eight\"\n[[phase]]\nname = \"dinner\"\nfrom = \"7pm\"\nnoise_dba = \"loud\"\ncolour = \"red\"\n";
    std::fs::write(dir.path().join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.path().join("people.csv"),
        "name,seat,arrived\nAnn,T1-1,\nBen,T1-2,9pm\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = earshot(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(code, Some(2), "{err}");
    for expected in [
        "scene.toml:5:12: TOML: invalid type: string \"four\", expected a number",
        "scene.toml:10:10: TOML: invalid type: string \"eight\", expected a whole number",
        "found \"7pm\"",
        "scene.toml:14:13: TOML: invalid type: string \"loud\", expected a number or a range [low, high]",
        "scene.toml:15:1: TOML: unknown field `colour`",
        "people.csv:3:3: column `arrived`",
    ] {
        assert!(err.contains(expected), "missing {expected:?} in\n{err}");
    }
    // the stand-in for `chairs` does not make Ben's seat "unknown"
    assert!(!err.contains("unknown seat label"), "{err}");
}

#[test]
fn decay_curves_are_smooth_not_pixel_stairs() {
    let dir = tmp();
    let svg = dir.path().join("d.svg");
    let (code, _, err) = earshot(&[
        "plot",
        "scenes/wedding-banquet",
        "decay",
        "--phase",
        "dinner",
        "-o",
        &svg.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&svg).unwrap_or_default();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    common::texts_fit(&doc);
    let mut curves = 0;
    for line in doc.descendants().filter(|n| n.has_tag_name("polyline")) {
        let pts: Vec<(f64, f64)> = line
            .attribute("points")
            .unwrap_or("")
            .split_whitespace()
            .filter_map(|p| {
                let (x, y) = p.split_once(',')?;
                Some((x.parse().ok()?, y.parse().ok()?))
            })
            .collect();
        if pts.len() < 20 {
            continue; // axes, grid lines, legend swatches
        }
        curves += 1;
        // a staircase: a step of one pixel up or down after a run of a pixel or two along
        let stairs = pts
            .windows(2)
            .filter(|w| (w[1].0 - w[0].0).abs() <= 2.0 && (w[1].1 - w[0].1).abs() == 1.0)
            .count();
        assert!(stairs <= 2, "{stairs} pixel stairs in a curve");
    }
    assert!(curves >= 6, "expected a curve per effort, found {curves}");
}

#[test]
fn every_partner_of_a_focus_person_is_labelled_in_dense_rows() {
    let dir = tmp();
    let out = dir.path().join("c.svg");
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
        &out.to_string_lossy(),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("{e}"));
    common::texts_fit(&doc);
    let labels: Vec<String> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("label"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    let mut partners: Vec<String> = Vec::new();
    for line in doc.descendants().filter(|n| {
        matches!(
            n.attribute("class"),
            Some("pair band-easy" | "pair band-raised")
        )
    }) {
        let title = line
            .descendants()
            .find(|t| t.has_tag_name("title"))
            .and_then(|t| t.text())
            .unwrap_or("");
        let names = title.split(':').next().unwrap_or("");
        partners.extend(names.split(" – ").map(str::to_string));
    }
    assert!(partners.len() >= 6, "{partners:?}");
    for p in &partners {
        assert!(labels.contains(p), "{p} has no label; labels: {labels:?}");
    }
    // a label set away from its marker is tied to it by a leader line
    assert!(
        doc.descendants()
            .any(|n| n.attribute("class") == Some("leader"))
    );
}

#[test]
fn a_number_in_quotes_is_named_as_such() {
    let dir = tmp();
    gala(dir.path(), "name,seat", ROWS);
    let path = dir.path().join("scene.toml");
    let toml = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, toml.replace("rt60_s = 1.0", "rt60_s = \"1.0\""))
        .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = earshot(&["validate", &dir.path().to_string_lossy()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("scene.toml:6:10: TOML: invalid type: string \"1.0\", expected a number (write 1.0 without quotes)"),
        "{err}"
    );
}
