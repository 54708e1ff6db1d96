//! The acoustic model through the real binary: crowd noise, noise spectra, the shipped scenes'
//! field anchors (docs/model.md §3).

mod common;
use common::earshot;

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = earshot(args);
    assert_eq!(code, Some(0), "{err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

/// A room of 15 m × 10 m × 3.5 m (RT60 0.9 s) with 80 people on a fixed lattice.
fn crowd_scene(dir: &std::path::Path, phase_noise: &str) {
    let toml = format!(
        "people = \"people.csv\"\n[venue]\noutline = [[0,0],[15,0],[15,10],[0,10]]\nheight_m = 3.5\nrt60_s = 0.9\n\
         [[phase]]\nname = \"reception\"\nmobility = \"mingling\"\n{phase_noise}\n"
    );
    std::fs::write(dir.join("scene.toml"), toml).unwrap_or_else(|e| panic!("{e}"));
    let mut csv = String::from("name,x,y\n");
    for i in 0..80 {
        csv.push_str(&format!(
            "P{i},{},{}\n",
            1.0 + f64::from(i % 10) * 1.4,
            1.0 + f64::from(i / 10) * 1.1
        ));
    }
    std::fs::write(dir.join("people.csv"), csv).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn crowd_noise_is_predicted_from_the_people_and_the_room() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crowd_scene(dir.path(), "noise = \"crowd\"");
    let d = dir.path().to_string_lossy().to_string();
    let v = json(&["query", &d, "P0", "P1", "--format", "json"]);
    let verdict = &v["verdicts"][0];
    // Rindel: A = 0.16·525/0.9 = 93.3 m², 80/3 talkers: 93 − 20·log10(93.3/26.7) = 82.1 dB(A)
    let noise = verdict["noise_dba"].as_f64().unwrap_or(f64::NAN);
    assert!((noise - 82.1).abs() < 0.1, "{noise}");
    let source = verdict["parameters"]
        .as_array()
        .and_then(|p| p.iter().find(|p| p["name"] == "noise_dba"))
        .map(|p| p["source"].clone());
    assert_eq!(source, Some(serde_json::json!("crowd")));
    let (_, text, _) = earshot(&["query", &d, "P0", "P1"]);
    assert!(
        text.contains("predicted from the crowd: 80 people"),
        "{text}"
    );
    // fewer people, quieter room
    let few = dir.path().join("people.csv");
    let csv = std::fs::read_to_string(&few).unwrap_or_default();
    let short: String = csv.lines().take(21).map(|l| format!("{l}\n")).collect();
    std::fs::write(&few, short).unwrap_or_else(|e| panic!("{e}"));
    let v = json(&["query", &d, "P0", "P1", "--format", "json"]);
    let quieter = v["verdicts"][0]["noise_dba"].as_f64().unwrap_or(f64::NAN);
    assert!(
        (noise - quieter - 20.0 * 4f64.log10()).abs() < 0.1,
        "{quieter}"
    );
}

#[test]
fn a_bare_csv_takes_its_noise_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("p.csv");
    std::fs::write(&csv, "name,x,y\nA,0,0\nB,3,0\nC,6,0\n").unwrap_or_else(|e| panic!("{e}"));
    let c = csv.to_string_lossy().to_string();
    let noise = |extra: &[&str]| {
        let mut args = vec!["query", c.as_str(), "A", "B", "--format", "json"];
        args.extend_from_slice(extra);
        json(&args)["verdicts"][0]["noise_dba"]
            .as_f64()
            .unwrap_or(f64::NAN)
    };
    assert_eq!(noise(&[]), 45.0);
    assert_eq!(noise(&["--noise", "72"]), 72.0);
    assert!(noise(&["--noise", "crowd"]).is_finite());
    let (code, _, err) = earshot(&["query", &c, "A", "B", "--noise", "loud"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("crowd"), "{err}");
}

#[test]
fn babble_masks_less_than_pink_noise_at_the_same_level() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let score = |spectrum: &str| {
        crowd_scene(
            dir.path(),
            &format!("noise_dba = 70\n[phase.acoustics]\nnoise_spectrum = \"{spectrum}\""),
        );
        let d = dir.path().to_string_lossy().to_string();
        let v = json(&["query", &d, "P0", "P2", "--format", "json"]);
        let bands = v["verdicts"][0]["acoustics"]["directions"][0]["bands"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(bands, 7);
        v["verdicts"][0]["score"].as_f64().unwrap_or(f64::NAN)
    };
    let (babble, pink) = (score("babble"), score("pink"));
    assert!(pink < babble, "pink {pink} babble {babble}");
}

#[test]
fn an_unknown_noise_spectrum_is_reported_with_its_line() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    crowd_scene(
        dir.path(),
        "noise_dba = 70\n[phase.acoustics]\nnoise_spectrum = \"brown\"",
    );
    let d = dir.path().to_string_lossy().to_string();
    let (code, out, err) = earshot(&["validate", &d]);
    assert_eq!(code, Some(2));
    let all = format!("{out}{err}");
    assert!(
        all.contains("scene.toml:") && all.contains("noise_spectrum") && all.contains("\"pink\""),
        "{all}"
    );
}

#[test]
fn dinner_neighbours_at_the_wedding_talk_easily_and_across_the_table_at_most_raised() {
    let v = json(&[
        "query",
        "scenes/wedding-banquet",
        "Guest 040",
        "Guest 041",
        "--phase",
        "dinner",
        "--format",
        "json",
    ]);
    assert_eq!(v["verdicts"][0]["band"], "easy");
    // Guest 045 sits across the table from Guest 040 (2.5 m)
    let v = json(&[
        "query",
        "scenes/wedding-banquet",
        "Guest 040",
        "Guest 045",
        "--phase",
        "dinner",
        "--format",
        "json",
    ]);
    let band = v["verdicts"][0]["band"].as_str().unwrap_or("");
    assert!(band == "easy" || band == "raised", "{band}");
}

#[test]
fn walking_over_is_never_worse_than_staying() {
    let (_, out, _) = earshot(&[
        "pairs",
        "scenes/wedding-banquet",
        "--phase",
        "dancing",
        "--band",
        "easy",
        "--format",
        "csv",
    ]);
    for line in out.lines().skip(1).take(20) {
        let mut f = line.split(',');
        let (a, b) = (f.nth(1).unwrap_or(""), f.next().unwrap_or(""));
        let v = json(&[
            "query",
            "scenes/wedding-banquet",
            a,
            b,
            "--phase",
            "dancing",
            "--format",
            "json",
        ]);
        let w = &v["verdicts"][0]["walk_over"]["band_face_to_face"];
        assert_eq!(w, "easy", "{a} – {b}");
    }
}
