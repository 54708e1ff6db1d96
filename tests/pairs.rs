//! The spatial index never misses a pair: `phase_pairs` against brute force on random scenes,
//! and the `pairs` command's output.

mod common;
use common::*;
use earshot::analysis::pair::{co_presence, pair_geometry};
use earshot::analysis::plausibility::{AssessOptions, Band, SCORE_ERROR, assess, band_over_time};
use earshot::analysis::search::{PhaseIndex, phase_contacts, phase_pairs};
use earshot::data::generate::Rng;
use earshot::physics::geometry::Point;
use earshot::scene::{
    Acoustics, Attendee, Mobility, Obstacle, Phase, Placement, Scene, Venue, Wall,
};

fn random_scene(seed: u64, n: usize, side: f64, noise: f64) -> Scene {
    let mut rng = Rng::new(seed);
    let people = (0..n)
        .map(|i| {
            let arrived = (rng.unit() < 0.2).then(|| rng.range(600.0, 700.0));
            let pos = Point::new(rng.range(0.0, side), rng.range(0.0, side));
            let facing = (rng.unit() < 0.8).then(|| rng.range(0.0, 360.0));
            let mut placement = Placement::at(pos, facing);
            placement.set_window(arrived, arrived.map(|a| a + rng.range(1.0, 60.0)));
            Attendee::new(&format!("P{i}"), placement)
        })
        .collect();
    let mut acoustics = Acoustics::defaults(side * side * 3.0);
    acoustics.noise_dba.value = noise;
    acoustics.rt60_s.value = rng.range(0.4, 1.6);
    let venue = Venue {
        outline: vec![],
        height_m: 3.0,
        walls: vec![Wall {
            name: "w".into(),
            points: vec![
                Point::new(side * 0.5, 0.0),
                Point::new(side * 0.5, side * 0.4),
            ],
            attenuation_db: 25.0,
        }],
        obstacles: vec![Obstacle {
            name: "pillar".into(),
            kind: "pillar".into(),
            polygon: vec![
                Point::new(side * 0.2, side * 0.7),
                Point::new(side * 0.3, side * 0.7),
                Point::new(side * 0.3, side * 0.8),
                Point::new(side * 0.2, side * 0.8),
            ],
            blocks_sight: true,
            attenuation_db: 10.0,
            standable: false,
        }],
        tables: vec![],
        stage_facing_deg: None,
        north_deg: 90.0,
        origin_lonlat: None,
    };
    let phase = Phase {
        from_min: Some(600.0),
        to_min: Some(720.0),
        ..Phase::untimed("p", Mobility::Seated, acoustics)
    };
    Scene::from_parts("random", venue, vec![], vec![phase], people)
}

#[test]
fn indexed_search_equals_brute_force_on_random_scenes() {
    let mut checked = 0;
    for seed in 0..20u64 {
        let noise = [35.0, 50.0, 65.0, 80.0][seed as usize % 4];
        let side = [6.0, 12.0, 25.0][seed as usize % 3];
        let scene = random_scene(seed, 70, side, noise);
        let n = scene.attendees.len();
        // brute force: every pair, with the explained verdict on a few scenes and the same
        // physics through the unindexed geometry (every body checked) on the rest
        let mut full = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                if seed < 3 {
                    let v = assess(&scene, 0, a, b, AssessOptions { walking: false });
                    full.push((a, b, v.band, v.score));
                } else {
                    let (pa, pb) = (
                        &scene.attendees[a].placements[0],
                        &scene.attendees[b].placements[0],
                    );
                    let cp = co_presence(&scene.phases[0], pa, pb);
                    if !cp.co_present {
                        full.push((a, b, Band::NeverCoPresent, 0.0));
                        continue;
                    }
                    let g =
                        pair_geometry(&scene, 0, a, b, false).unwrap_or_else(|| panic!("placed"));
                    // the same physics over time: people between who come and go count only
                    // while they are there
                    let (band, score) = band_over_time(&scene, 0, &g, &cp);
                    full.push((a, b, band, score));
                }
            }
        }
        for worst in [
            Band::Easy,
            Band::Raised,
            Band::Shouting,
            Band::Implausible,
            Band::NeverCoPresent,
        ] {
            let fast: Vec<(usize, usize, Band)> = phase_pairs(&scene, 0, worst)
                .iter()
                .map(|p| (p.a, p.b, p.band))
                .collect();
            let brute: Vec<(usize, usize, Band)> = full
                .iter()
                .filter(|p| p.2 <= worst)
                .map(|p| (p.0, p.1, p.2))
                .collect();
            assert_eq!(fast, brute, "seed {seed}, noise {noise}, band {worst:?}");
            checked += brute.len();
        }
        // scores agree with the explained verdict, to the score table's error (the search
        // interpolates the index where the room allows it)
        for p in phase_pairs(&scene, 0, Band::NeverCoPresent) {
            let f = full
                .iter()
                .find(|x| x.0 == p.a && x.1 == p.b)
                .map_or(f64::NAN, |x| x.3);
            assert!((f - p.score).abs() < SCORE_ERROR, "{f} vs {}", p.score);
        }
    }
    assert!(
        checked > 1000,
        "the test must compare real pairs: {checked}"
    );
}

#[test]
fn within_is_inclusive_and_complete() {
    // a lattice, so that many pairs sit exactly at the distance
    let mut scene = random_scene(99, 0, 10.0, 50.0);
    let mut k = 0;
    for r in 0..15 {
        for c in 0..15 {
            scene.attendees.push(Attendee::new(
                &format!("L{k}"),
                Placement::at(Point::new(c as f64 * 0.5, r as f64 * 0.5), None),
            ));
            k += 1;
        }
    }
    for radius in [0.5, 1.0, 2.0, 3.3] {
        let fast: Vec<(usize, usize)> = phase_contacts(&scene, 0, radius)
            .iter()
            .map(|c| (c.a, c.b))
            .collect();
        let pts: Vec<Point> = scene
            .attendees
            .iter()
            .map(|a| a.placements[0].pos)
            .collect();
        let mut brute = Vec::new();
        for a in 0..pts.len() {
            for b in a + 1..pts.len() {
                if pts[a].distance(pts[b]) <= radius + 1e-12 {
                    brute.push((a, b));
                }
            }
        }
        assert_eq!(fast, brute, "radius {radius}");
    }
}

#[test]
fn pairs_command_streams_sorted_csv_with_timings() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let scene = dir.path().join("stadium");
    let (code, _, err) = earshot(&[
        "generate",
        "stadium",
        "--seats",
        "3000",
        "--seed",
        "3",
        "-o",
        scene.to_str().unwrap_or(""),
    ]);
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = earshot(&[
        "pairs",
        scene.to_str().unwrap_or(""),
        "--within",
        "1",
        "--timings",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let stages: Vec<(&str, f64)> = err
        .lines()
        .map(|l| {
            let parts: Vec<&str> = l.split(' ').collect();
            assert_eq!(parts.len(), 3, "{l}");
            assert_eq!(parts[0], "timing");
            let secs = parts[2].parse::<f64>().unwrap_or(-1.0);
            assert!(secs >= 0.0, "{l}");
            (parts[1], secs)
        })
        .collect();
    let names: Vec<&str> = stages.iter().map(|s| s.0).collect();
    // the parts of loading first, then the stages
    let parts = names.iter().take_while(|n| n.starts_with("load.")).count();
    assert_eq!(
        names[parts..],
        ["load", "index", "search", "model", "write"],
        "{err}"
    );
    assert!(names[..parts].contains(&"load.read_file"), "{err}");
    // the parts add up to no more than the whole (printed rounded to a microsecond)
    let sum: f64 = stages[..parts].iter().map(|s| s.1).sum();
    assert!(sum <= stages[parts].1 + 1e-5 * parts as f64, "{err}");
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("phase,a,b,distance_m,co_present,co_present_min")
    );
    let rows: Vec<(String, String)> = lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let d: f64 = f[3].parse().unwrap_or(f64::NAN);
            assert!(d <= 1.0, "{l}");
            (f[1].to_string(), f[2].to_string())
        })
        .collect();
    assert!(rows.len() > 3000, "{}", rows.len());
    let mut sorted = rows.clone();
    sorted.sort();
    assert_eq!(rows, sorted, "deterministic order");
    // the same command twice gives the same bytes
    let (_, again, _) = earshot(&["pairs", scene.to_str().unwrap_or(""), "--within", "1"]);
    assert_eq!(out, again);
}

#[test]
fn pairs_json_and_bands() {
    let (code, out, err) = earshot(&[
        "pairs",
        "scenes/mayflower-2016",
        "--phase",
        "speech",
        "--band",
        "easy",
        "--format",
        "json",
    ]);
    assert_eq!(code, Some(0), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    let list = v.as_array().cloned().unwrap_or_default();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|p| p["band"] == "easy" && p["score"].as_f64().is_some_and(|s| s >= 0.45))
    );
    let (code, _, err) = earshot(&["pairs", "scenes/mayflower-2016", "--within", "-1"]);
    assert_eq!(code, Some(2), "{err}");
}

/// A steady crowd in rows with aisles, in a quiet walled room: where the search splits into
/// near pairs and far pairs among people not enclosed by bodies (see `PhaseIndex::for_band`).
fn crowd_scene(seed: u64, noise: f64, body_db: f64, cap_db: f64) -> Scene {
    let mut rng = Rng::new(seed);
    let mut people = Vec::new();
    for r in 0..14 {
        for c in 0..22 {
            if c % 8 == 7 || rng.unit() < 0.1 {
                continue; // an aisle every eighth seat, and some empty seats
            }
            let pos = Point::new(
                1.0 + c as f64 * 0.5 + rng.range(-0.03, 0.03),
                1.0 + r as f64 * 0.85 + rng.range(-0.03, 0.03),
            );
            let facing = (rng.unit() < 0.7).then(|| 90.0 + rng.range(-20.0, 20.0));
            people.push(Attendee::new(
                &format!("P{}", people.len()),
                Placement::at(pos, facing),
            ));
        }
    }
    let (w, h) = (13.0, 14.5);
    // the room's volume as a hall's: a weak reverberant field, so that bodies decide the reach
    let mut acoustics = Acoustics::defaults(8000.0);
    acoustics.noise_dba.value = noise;
    acoustics.rt60_s.value = rng.range(0.5, 1.5);
    acoustics.body_attenuation_db.value = body_db;
    acoustics.body_attenuation_cap_db.value = cap_db;
    let venue = Venue {
        stage_facing_deg: Some(90.0),
        ..Venue::rectangle((0.0, 0.0), (w, h), 4.0)
    };
    let phase = Phase::untimed("p", Mobility::Seated, acoustics);
    Scene::from_parts("crowd", venue, vec![], vec![phase], people)
}

#[test]
fn the_split_search_in_a_quiet_crowd_equals_brute_force() {
    let mut checked = 0;
    for (seed, noise, body_db, cap_db) in [
        (1u64, 45.0, 3.0, 14.0),
        (2, 55.0, 3.0, 14.0),
        (3, 65.0, 3.0, 14.0),
        (4, 50.0, 4.0, 8.0),
        (5, 60.0, 6.0, 12.0),
        (6, 40.0, 5.0, 10.0),
    ] {
        let scene = crowd_scene(seed, noise, body_db, cap_db);
        let n = scene.attendees.len();
        let mut full = Vec::new();
        for a in 0..n {
            for b in a + 1..n {
                let g = pair_geometry(&scene, 0, a, b, false).unwrap_or_else(|| panic!("placed"));
                let (pa, pb) = (
                    &scene.attendees[a].placements[0],
                    &scene.attendees[b].placements[0],
                );
                let cp = co_presence(&scene.phases[0], pa, pb);
                full.push((a, b, band_over_time(&scene, 0, &g, &cp)));
            }
        }
        for worst in [Band::Easy, Band::Raised, Band::Shouting] {
            let fast: Vec<(usize, usize, Band, f64)> = phase_pairs(&scene, 0, worst)
                .iter()
                .map(|p| (p.a, p.b, p.band, p.score))
                .collect();
            let brute: Vec<(usize, usize, Band, f64)> = full
                .iter()
                .filter(|p| p.2.0 <= worst)
                .map(|p| (p.0, p.1, p.2.0, p.2.1))
                .collect();
            // the same pairs in the same bands; scores to the score table's error
            let key = |v: &[(usize, usize, Band, f64)]| -> Vec<(usize, usize, Band)> {
                v.iter().map(|p| (p.0, p.1, p.2)).collect()
            };
            assert_eq!(
                key(&fast),
                key(&brute),
                "seed {seed}, noise {noise}, band {worst:?}"
            );
            for (f, b) in fast.iter().zip(&brute) {
                assert!((f.3 - b.3).abs() < SCORE_ERROR, "{f:?} vs {b:?}");
            }
            checked += brute.len();
        }
    }
    assert!(
        checked > 5000,
        "the test must compare real pairs: {checked}"
    );
}

/// The streamed candidates (blocks of people, each person's pairs with those after them) are
/// the whole search's, sorted: near and far parts, in crowds where the split search applies
/// and in random rooms where it does not, and for a distance search.
#[test]
fn candidates_by_blocks_equal_the_sorted_search() {
    let mut scenes: Vec<Scene> = [
        (1u64, 45.0, 3.0, 14.0),
        (4, 50.0, 4.0, 8.0),
        (6, 40.0, 5.0, 10.0),
    ]
    .iter()
    .map(|&(seed, noise, body, cap)| crowd_scene(seed, noise, body, cap))
    .collect();
    scenes.extend((0..4u64).map(|seed| random_scene(seed, 60, 12.0, 35.0 + 10.0 * seed as f64)));
    let mut far_seen = false;
    for scene in &scenes {
        let indexes = [
            PhaseIndex::for_band(scene, 0, Band::Raised),
            PhaseIndex::for_band(scene, 0, Band::Shouting),
            PhaseIndex::new(scene, 0, 1.5),
        ];
        for index in &indexes {
            let mut whole = index.search();
            whole.sort_unstable();
            let n = index.len() as u32;
            let mut blocks = Vec::new();
            for start in (0..n).step_by(7) {
                blocks.extend(index.pairs_from(start..(start + 7).min(n)));
            }
            assert_eq!(blocks, whole, "{}", scene.title);
            let pts: Vec<Point> = scene
                .attendees
                .iter()
                .map(|a| a.placements[0].pos)
                .collect();
            far_seen |= whole
                .iter()
                .any(|&(i, j)| pts[i as usize].distance(pts[j as usize]) > 3.0);
        }
    }
    assert!(far_seen, "no far candidates were compared");
}
