//! `earshot export --format geojson`: read back by serde_json, and by GDAL (a real GeoJSON
//! reader) where it is installed; CI installs it, so there it must be.

mod common;
use common::{earshot, root};
use earshot::analysis::plausibility::Band;
use earshot::analysis::search::phase_pairs;
use earshot::scene::{LoadOptions, load};
use serde_json::Value;
use std::collections::BTreeMap;
use std::process::Command;

fn export(args: &[&str]) -> (Value, String) {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out = dir.path().join("x.geojson");
    let o = out.to_string_lossy().to_string();
    let mut all = vec!["export"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-o", &o]);
    let (code, _, err) = earshot(&all);
    assert_eq!(code, Some(0), "{err}");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
    std::mem::forget(dir);
    (v, o)
}

fn kinds(v: &Value) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for f in v["features"].as_array().into_iter().flatten() {
        *m.entry(f["properties"]["kind"].as_str().unwrap_or("?").to_string())
            .or_insert(0) += 1;
    }
    m
}

/// Whether a tool is there; in CI (`CI` set) a missing tool fails the test instead.
fn have(tool: &str) -> bool {
    let ok = Command::new(tool).arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "{tool} is missing: .ci/run installs it (gdal-bin)"
        );
        eprintln!("skipping the {tool} check: {tool} is not installed");
    }
    ok
}

fn ogr_sql(file: &str, sql: &str) -> String {
    let o = Command::new("ogrinfo")
        .args(["-ro", "-q", "-dialect", "sqlite", "-sql", sql, file])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `name (Type) = value` lines of ogrinfo's output, in order.
fn ogr_values(text: &str, name: &str) -> Vec<String> {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix(&format!("{name} (")))
        .filter_map(|l| l.split_once(") = ").map(|(_, v)| v.to_string()))
        .collect()
}

#[test]
fn the_mayflower_on_a_map_with_the_expected_features() {
    let scene = load(
        &root().join("scenes/mayflower-2016"),
        &LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (v, file) = export(&["scenes/mayflower-2016", "--format", "geojson"]);
    let k = kinds(&v);
    let present: usize = (0..scene.phases.len())
        .map(|p| scene.present_in(p).len())
        .sum();
    let pairs: usize = (0..scene.phases.len())
        .map(|p| phase_pairs(&scene, p, Band::Shouting).len())
        .sum();
    assert_eq!(k.get("venue"), Some(&1));
    assert_eq!(k.get("wall"), Some(&scene.venue.walls.len()));
    assert_eq!(k.get("obstacle"), Some(&scene.venue.obstacles.len()));
    assert_eq!(k.get("seat"), Some(&scene.seats.len()));
    assert_eq!(k.get("attendee"), Some(&present));
    assert_eq!(k.get("pair"), Some(&pairs));
    assert!(pairs > 100, "{pairs}");
    // WGS84 around the hotel, which the scene anchors at (-77.0411, 38.9044)
    for f in v["features"].as_array().into_iter().flatten() {
        let c = f["geometry"]["coordinates"].to_string();
        let nums: Vec<f64> = c
            .split(|ch: char| !(ch.is_ascii_digit() || ch == '.' || ch == '-'))
            .filter_map(|s| s.parse().ok())
            .collect();
        for xy in nums.chunks(2) {
            assert!(
                (xy[0] + 77.0411).abs() < 0.001 && (xy[1] - 38.9044).abs() < 0.001,
                "{c}"
            );
        }
    }
    let sessions = v["features"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|f| {
            f["properties"]["name"] == "Jeff Sessions" && f["properties"]["phase"] == "speech"
        })
        .unwrap_or_else(|| panic!("no Sessions"));
    assert_eq!(
        sessions["properties"]["candidate_seats"]
            .as_array()
            .map(Vec::len),
        Some(19)
    );
    if !have("ogrinfo") {
        return;
    }
    // GDAL reads it as WGS84 with every feature, and every geometry valid
    let info = Command::new("ogrinfo")
        .args(["-ro", "-so", "-al", &file])
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    let info = String::from_utf8_lossy(&info.stdout);
    assert!(info.contains("GeoJSON"), "{info}");
    assert!(info.contains("EPSG\",4326"), "{info}");
    let total = k.values().sum::<usize>();
    assert!(info.contains(&format!("Feature Count: {total}")), "{info}");
    let layer = std::path::Path::new(&file)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let out = ogr_sql(
        &file,
        &format!("SELECT count(*) AS n, sum(ST_IsValid(geometry)) AS valid FROM \"{layer}\""),
    );
    assert_eq!(ogr_values(&out, "n"), vec![total.to_string()], "{out}");
    assert_eq!(ogr_values(&out, "valid"), vec![total.to_string()], "{out}");
    // on the ellipsoid, the venue has the plan's area and each pair line the pair's distance
    let out = ogr_sql(
        &file,
        &format!(
            "SELECT ST_Area(geometry, 1) AS geodesic, area_m2 FROM \"{layer}\" WHERE kind = 'venue'"
        ),
    );
    let (g, a) = (&ogr_values(&out, "geodesic"), &ogr_values(&out, "area_m2"));
    let (g, a): (f64, f64) = (g[0].parse().unwrap_or(0.0), a[0].parse().unwrap_or(1.0));
    assert!((g / a - 1.0).abs() < 0.001, "geodesic {g} m², plan {a} m²");
    let out = ogr_sql(
        &file,
        &format!(
            "SELECT max(abs(ST_Length(geometry, 1) - distance_m)) AS err FROM \"{layer}\" WHERE kind = 'pair'"
        ),
    );
    let err: f64 = ogr_values(&out, "err")[0].parse().unwrap_or(1.0);
    assert!(
        err < 0.01,
        "pair lines differ from their distances by up to {err} m"
    );
}

#[test]
fn a_bare_csv_stays_in_plan_metres_and_names_stay_data() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let csv = dir.path().join("p.csv");
    let hostile = r#"</script><img src=x onerror=alert(1)>"},{"#;
    let text = format!(
        "name,x,y\n\"{}\",0,0\nBob,1,0\nAda,9,9\n",
        hostile.replace('"', "\"\"")
    );
    std::fs::write(&csv, text).unwrap_or_else(|e| panic!("{e}"));
    let (v, _) = export(&[&csv.to_string_lossy(), "--band", "raised", "--noise", "70"]);
    assert!(
        v["earshot"]["coordinates"]
            .as_str()
            .unwrap_or("")
            .contains("local")
    );
    let people: Vec<&Value> = v["features"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["properties"]["kind"] == "attendee")
        .collect();
    assert_eq!(people.len(), 3);
    assert_eq!(people[0]["properties"]["name"], hostile);
    assert_eq!(
        people[2]["geometry"]["coordinates"],
        serde_json::json!([9.0, 9.0])
    );
    let pairs = kinds(&v).get("pair").copied();
    assert_eq!(pairs, Some(1), "only the two neighbours talk");
}

#[test]
fn a_bad_anchor_is_refused_with_its_place() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let toml = dir.path().join("scene.toml");
    std::fs::write(dir.path().join("people.csv"), "name,x,y\nA,1,1\nB,2,1\n")
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        &toml,
        "title = \"t\"\npeople = \"people.csv\"\n[venue]\noutline = [[0,0],[5,0],[5,5],[0,5]]\norigin_lonlat = [38.9, -177.0]\nnorth = 90\nrotation_deg = 30\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (code, _, err) = earshot(&["validate", &toml.to_string_lossy()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("scene.toml:5:") && err.contains("longitude comes first"),
        "{err}"
    );
    assert!(
        err.contains("scene.toml:7:") && err.contains("give one of them"),
        "{err}"
    );
}
