//! Charts and plots, checked by parsing the SVG.

mod common;

use assert_cmd::Command;
use common::root;
use earshot::scene::{LoadOptions, load};
use std::collections::BTreeSet;
use std::path::Path;

const HOSTILE: &str = "<script>alert(1)</script>&\"'";

fn chart(scene: &Path, args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("chart.svg");
    let mut cmd = Command::cargo_bin("earshot").unwrap_or_else(|e| panic!("{e}"));
    cmd.arg("chart").arg(scene).args(args).arg("-o").arg(&out);
    let o = cmd.output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"))
}

fn class_has(n: &roxmltree::Node, c: &str) -> bool {
    n.attribute("class")
        .is_some_and(|v| v.split_whitespace().any(|x| x == c))
}

fn present_count(scene: &Path, phase: &str) -> usize {
    let s = load(scene, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let p = s
        .phase_index(phase)
        .unwrap_or_else(|| panic!("no phase {phase}"));
    s.present_in(p).len()
}

fn check_chart(svg: &str, expected_people: usize, focus: usize) {
    let doc = roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not XML: {e}"));
    let people: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && class_has(n, "attendee"))
        .collect();
    assert_eq!(
        people.len(),
        expected_people,
        "one marker group per attendee present"
    );
    let mut ids = BTreeSet::new();
    for g in &people {
        let titles = g.children().filter(|c| c.has_tag_name("title")).count();
        assert_eq!(titles, 1, "one <title> per attendee");
        assert!(
            ids.insert(g.attribute("id").unwrap_or("")),
            "ids are unique"
        );
    }
    // every band drawn is in the legend
    let drawn: BTreeSet<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && class_has(n, "pair"))
        .filter_map(|n| {
            n.attribute("class")?
                .split_whitespace()
                .find_map(|c| c.strip_prefix("band-"))
                .map(str::to_string)
        })
        .collect();
    let legend: BTreeSet<String> = doc
        .descendants()
        .filter(|n| class_has(n, "legend-band"))
        .filter_map(|n| n.attribute("data-band").map(str::to_string))
        .collect();
    assert_eq!(
        drawn, legend,
        "the legend lists every band drawn, and only those"
    );
    let contours: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("path") && class_has(n, "contour"))
        .collect();
    assert_eq!(
        contours.len(),
        focus * 2,
        "natural and raised contour per focus person"
    );
    for c in contours {
        assert!(
            c.attribute("d").is_some_and(|d| d.len() > 20),
            "contour has a path"
        );
    }
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("scale-bar"))
    );
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("legend"))
    );
    assert!(
        doc.descendants()
            .any(|n| n.attribute("id") == Some("title"))
    );
    common::texts_fit(&doc);
}

#[test]
fn mayflower_speech_chart_with_focus() {
    let scene = root().join("scenes/mayflower-2016");
    let svg = chart(
        &scene,
        &[
            "--phase",
            "speech",
            "--focus",
            "Jeff Sessions",
            "--focus",
            "Kislyak",
        ],
    );
    check_chart(&svg, present_count(&scene, "speech"), 2);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    // the focus people are labelled
    let labels: Vec<&str> = doc
        .descendants()
        .filter(|n| class_has(n, "label"))
        .filter_map(|n| n.text())
        .collect();
    assert!(
        labels.contains(&"Jeff Sessions") && labels.contains(&"Sergey Kislyak"),
        "{labels:?}"
    );
    // no pair line joins Sessions and Kislyak: they could not have talked
    let pair_titles: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("line") && class_has(n, "pair"))
        .filter_map(|n| {
            n.children()
                .find(|c| c.has_tag_name("title"))
                .and_then(|t| t.text())
        })
        .collect();
    assert!(
        !pair_titles
            .iter()
            .any(|t| t.contains("Sessions") && t.contains("Kislyak")),
        "{pair_titles:?}"
    );
}

#[test]
fn wedding_chart_labels_do_not_overlap_markers_of_others() {
    let scene = root().join("scenes/wedding-banquet");
    let svg = chart(&scene, &["--phase", "dinner"]);
    check_chart(&svg, present_count(&scene, "dinner"), 0);
}

#[test]
fn uncertain_attendees_are_hollow_and_in_the_legend() {
    let scene = root().join("scenes/cni-dinner-2016-05-23");
    let svg = chart(&scene, &[]);
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    let uncertain: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("g") && class_has(n, "attendee") && class_has(n, "uncertain"))
        .collect();
    assert_eq!(uncertain.len(), 1);
    let circle = uncertain[0].children().find(|c| c.has_tag_name("circle"));
    assert_eq!(
        circle.and_then(|c| c.attribute("fill")),
        Some("#ffffff"),
        "hollow marker"
    );
    assert!(
        doc.descendants()
            .any(|n| class_has(&n, "legend-marker")
                && n.attribute("data-marker") == Some("uncertain"))
    );
}

#[test]
fn hostile_names_appear_only_escaped() {
    let scene = root().join("tests/good/small");
    let svg = chart(&scene, &["--focus", "Ann"]);
    assert!(!svg.contains("<script>"), "raw markup in the SVG");
    assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&apos;"));
    let doc = roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{e}"));
    assert!(!doc.descendants().any(|n| n.has_tag_name("script")));
    let titles: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("title"))
        .filter_map(|n| n.text().map(str::to_string))
        .collect();
    assert!(
        titles.iter().any(|t| t.starts_with(HOSTILE)),
        "the name survives as text: {titles:?}"
    );
    check_chart(&svg, 4, 1);
}

#[test]
fn small_scene_chart_snapshot() {
    let scene = load(&root().join("tests/good/small"), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let ann = scene.find_attendee("Ann").unwrap_or_else(|e| panic!("{e}"));
    let svg = earshot::output::render::chart::seating_chart(
        &scene,
        0,
        &earshot::output::render::chart::ChartOptions {
            focus: vec![ann],
            groups: vec![],
        },
    );
    insta::assert_snapshot!(svg);
}

#[test]
fn plots_are_svg_with_their_content() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for kind in ["heatmap", "decay"] {
        let out = dir.path().join(format!("{kind}.svg"));
        let o = Command::cargo_bin("earshot")
            .unwrap_or_else(|e| panic!("{e}"))
            .args([
                "plot",
                "scenes/mayflower-2016",
                kind,
                "--phase",
                "speech",
                "-o",
            ])
            .arg(&out)
            .output()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let svg = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("{e}"));
        let doc =
            roxmltree::Document::parse(&svg).unwrap_or_else(|e| panic!("{kind}: not XML: {e}"));
        common::texts_fit(&doc);
        let texts: Vec<&str> = doc
            .descendants()
            .filter_map(|n| n.text())
            .map(str::trim)
            .collect();
        match kind {
            "heatmap" => {
                let rects = doc.descendants().filter(|n| n.has_tag_name("rect")).count();
                let n = present_count(&root().join("scenes/mayflower-2016"), "speech");
                assert!(rects >= n * n, "{rects} cells for {n} people");
                assert!(texts.iter().any(|t| t.contains("Jeff Sessions")));
            }
            _ => {
                for effort in ["relaxed", "normal", "raised", "loud", "very loud", "shout"] {
                    let label = format!("ISO 9921 {effort} effort");
                    assert!(
                        texts.iter().any(|t| t.starts_with(&label)),
                        "{effort} curve in the legend"
                    );
                }
            }
        }
    }
}

#[test]
fn a_failed_chart_keeps_the_previous_file() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("chart.svg");
    std::fs::write(&out, "previous good chart").unwrap_or_else(|e| panic!("{e}"));
    // an unknown focus name fails before anything is written
    let o = Command::cargo_bin("earshot")
        .unwrap_or_else(|e| panic!("{e}"))
        .args([
            "chart",
            "scenes/mayflower-2016",
            "--phase",
            "speech",
            "--focus",
            "Nobody Here",
            "-o",
        ])
        .arg(&out)
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        std::fs::read_to_string(&out).unwrap_or_default(),
        "previous good chart"
    );
    assert_eq!(
        std::fs::read_dir(dir.path())
            .map(|d| d.count())
            .unwrap_or(0),
        1,
        "no temporary files"
    );
}
