//! `earshot view`: the scene through a camera, beside the plan, through the real binary.

mod common;
use common::earshot;

#[test]
fn the_mayflower_speech_through_a_long_lens() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("view.svg");
    let o = out.to_string_lossy().to_string();
    let (code, text, err) = earshot(&[
        "view",
        "scenes/mayflower-2016",
        "--phase",
        "speech",
        "--camera",
        "18.5,20.8,1.8,268,2",
        "--focal-mm",
        "85",
        "--focus",
        "Sessions",
        "--focus",
        "Kislyak",
        "-o",
        &o,
    ]);
    assert_eq!(code, Some(0), "{err}");
    // rows apart on the floor, close in the picture
    let nums: Vec<f64> = text
        .split_whitespace()
        .filter_map(|w| w.parse::<f64>().ok())
        .collect();
    assert_eq!(nums.len(), 2, "{text}");
    assert!(nums[0] < 1.0 && nums[1] > 4.0, "{text}");
    let svg = std::fs::read_to_string(&out).unwrap_or_default();
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    common::texts_fit(&doc);
    let id = |name: &str| doc.descendants().any(|n| n.attribute("id") == Some(name));
    for part in ["picture", "plan", "field-of-view", "camera", "pair-look"] {
        assert!(id(part), "no {part}");
    }
    let figures = doc
        .descendants()
        .filter(|n| {
            n.attribute("class")
                .is_some_and(|c| c.starts_with("figure"))
        })
        .count();
    assert!(figures > 20, "{figures} figures");
    assert_eq!(
        doc.descendants()
            .filter(|n| n.attribute("class") == Some("focus-outline"))
            .count(),
        2
    );
}

#[test]
fn a_bad_camera_is_refused_and_names_stay_text() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("p.csv");
    std::fs::write(
        &csv,
        "name,x,y\n\"<script>alert(1)</script>\",1,5\nBen,2,6\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let c = csv.to_string_lossy().to_string();
    let (code, _, err) = earshot(&["view", &c, "--camera", "0,0,1.6", "--focal-mm", "50"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("x,y,height,heading,pitch"), "{err}");
    let out = dir.path().join("v.svg");
    let o = out.to_string_lossy().to_string();
    let (code, _, err) = earshot(&[
        "view",
        &c,
        "--camera",
        "0,0,1.6,90,0",
        "--focal-mm",
        "50",
        "-o",
        &o,
    ]);
    assert_eq!(code, Some(0), "{err}");
    let svg = std::fs::read_to_string(&out).unwrap_or_default();
    assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
    assert!(roxmltree::Document::parse(&svg).is_ok());
}
