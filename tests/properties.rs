//! Invariants of the plausibility model, over random scenes.

use earshot::analysis::plausibility::{AssessOptions, Band, assess};
use earshot::physics::geometry::Point;
use earshot::scene::{Acoustics, Attendee, Mobility, Phase, Placement, Scene, Venue, Wall};
use proptest::prelude::*;
use std::ops::Add;

fn person(name: &str, x: f64, y: f64, facing: Option<f64>) -> Attendee {
    Attendee::new(name, Placement::at(Point::new(x, y), facing))
}

fn scene(people: Vec<Attendee>, walls: Vec<Wall>, noise: f64, mobility: Mobility) -> Scene {
    let mut acoustics = Acoustics::defaults(3000.0);
    acoustics.noise_dba.value = noise;
    acoustics.rt60_s.value = 1.0;
    let venue = Venue {
        outline: vec![],
        height_m: 4.0,
        walls,
        obstacles: vec![],
        tables: vec![],
        stage_facing_deg: None,
        north_deg: 90.0,
        origin_lonlat: None,
    };
    let phase = Phase::untimed("p", mobility, acoustics);
    Scene::from_parts("test", venue, vec![], vec![phase], people)
}

fn verdict(s: &Scene, a: usize, b: usize) -> earshot::analysis::plausibility::Verdict {
    assess(s, 0, a, b, AssessOptions { walking: false })
}

/// Facing from (x1,y1) towards (x2,y2), degrees.
fn towards(x1: f64, y1: f64, x2: f64, y2: f64) -> f64 {
    (y2 - y1).atan2(x2 - x1).to_degrees()
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=N runs more
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn symmetric_when_both_face_each_other(
        x1 in -20.0..20.0f64, y1 in -20.0..20.0f64, x2 in -20.0..20.0f64, y2 in -20.0..20.0f64,
        others in prop::collection::vec((-20.0..20.0f64, -20.0..20.0f64), 0..6),
        noise in 30.0..90.0f64,
    ) {
        let mut people = vec![
            person("A", x1, y1, Some(towards(x1, y1, x2, y2))),
            person("B", x2, y2, Some(towards(x2, y2, x1, y1))),
        ];
        people.extend(others.iter().enumerate().map(|(i, (x, y))| person(&format!("O{i}"), *x, *y, None)));
        let s = scene(people, vec![], noise, Mobility::Seated);
        let (ab, ba) = (verdict(&s, 0, 1), verdict(&s, 1, 0));
        prop_assert_eq!(ab.band, ba.band);
        prop_assert!((ab.score - ba.score).abs() < 1e-12);
    }

    #[test]
    fn score_never_rises_with_distance(
        d1 in 0.05..30.0f64, extra in 0.0..30.0f64, angle in 0.0..360.0f64,
        fa in proptest::option::of(0.0..360.0f64), noise in 30.0..90.0f64,
    ) {
        let score_at = |d: f64| {
            let dir = Point::from_angle_deg(angle);
            let s = scene(vec![
                person("A", 0.0, 0.0, fa.map(|f| f + angle)),
                person("B", dir.x * d, dir.y * d, Some(angle + 180.0)),
            ], vec![], noise, Mobility::Seated);
            let v = verdict(&s, 0, 1);
            (v.score, v.band)
        };
        let (near, far) = (score_at(d1), score_at(d1 + extra));
        prop_assert!(far.0 <= near.0 + 1e-12, "{:?} then {:?}", near, far);
        prop_assert!(far.1 >= near.1);
    }

    #[test]
    fn score_never_rises_with_noise(d in 0.05..20.0f64, n1 in 20.0..100.0f64, extra in 0.0..30.0f64) {
        let at = |n: f64| {
            let s = scene(vec![person("A", 0.0, 0.0, Some(0.0)), person("B", d, 0.0, Some(180.0))], vec![], n, Mobility::Seated);
            let v = verdict(&s, 0, 1);
            (v.score, v.band)
        };
        let (quiet, loud) = (at(n1), at(n1 + extra));
        prop_assert!(loud.0 <= quiet.0 + 1e-12);
        prop_assert!(loud.1 >= quiet.1);
    }

    #[test]
    fn walls_and_bodies_never_help(
        d in 0.5..20.0f64, t in 0.1..0.9f64, att in 0.0..60.0f64, noise in 30.0..90.0f64,
    ) {
        let pair = || vec![person("A", 0.0, 0.0, Some(0.0)), person("B", d, 0.0, Some(180.0))];
        let base = verdict(&scene(pair(), vec![], noise, Mobility::Seated), 0, 1);
        let wall = Wall { name: "w".into(), points: vec![Point::new(d * t, -5.0), Point::new(d * t, 5.0)], attenuation_db: att };
        let walled = verdict(&scene(pair(), vec![wall], noise, Mobility::Seated), 0, 1);
        prop_assert!(walled.score <= base.score + 1e-12);
        prop_assert!(walled.band >= base.band);
        let mut crowd = pair();
        crowd.push(person("C", d * t, 0.0, None));
        let bodied = verdict(&scene(crowd, vec![], noise, Mobility::Seated), 0, 1);
        prop_assert!(bodied.score <= base.score + 1e-12);
        prop_assert!(bodied.band >= base.band);
    }

    #[test]
    fn unchanged_when_the_scene_is_moved_or_rotated(
        pts in prop::collection::vec((-15.0..15.0f64, -15.0..15.0f64, proptest::option::of(0.0..360.0f64)), 2..7),
        wall in (-15.0..15.0f64, -15.0..15.0f64, -15.0..15.0f64, -15.0..15.0f64),
        tx in -1000.0..1000.0f64, ty in -1000.0..1000.0f64, rot in 0.0..360.0f64,
        noise in 30.0..90.0f64,
    ) {
        let build = |f: &dyn Fn(Point) -> Point, turn: f64| {
            let people = pts.iter().enumerate().map(|(i, (x, y, face))| {
                let p = f(Point::new(*x, *y));
                person(&format!("P{i}"), p.x, p.y, face.map(|a| a + turn))
            }).collect();
            let w = Wall { name: "w".into(), points: vec![f(Point::new(wall.0, wall.1)), f(Point::new(wall.2, wall.3))], attenuation_db: 20.0 };
            scene(people, vec![w], noise, Mobility::Seated)
        };
        let original = build(&|p| p, 0.0);
        let moved = build(&|p: Point| p.rotate_deg(rot).add(Point::new(tx, ty)), rot);
        for a in 0..pts.len() {
            for b in a + 1..pts.len() {
                let (v1, v2) = (verdict(&original, a, b), verdict(&moved, a, b));
                prop_assert!((v1.score - v2.score).abs() < 1e-6, "{} vs {}", v1.score, v2.score);
                let (r1, r2) = (
                    v1.acoustics.as_ref().and_then(|x| x.required_level_dba),
                    v2.acoustics.as_ref().and_then(|x| x.required_level_dba),
                );
                match (r1, r2) {
                    (Some(x), Some(y)) => prop_assert!((x - y).abs() < 1e-4),
                    (x, y) => prop_assert_eq!(x.is_some(), y.is_some()),
                }
            }
        }
    }

    #[test]
    fn score_stays_in_range_and_bands_agree(
        d in 0.0..40.0f64, fa in 0.0..360.0f64, fb in 0.0..360.0f64, noise in 0.0..120.0f64,
        bodies in 0usize..6,
    ) {
        let mut people = vec![person("A", 0.0, 0.0, Some(fa)), person("B", d, 0.0, Some(fb))];
        for i in 0..bodies {
            people.push(person(&format!("C{i}"), d * (i as f64 + 1.0) / (bodies as f64 + 1.0), 0.0, None));
        }
        let v = verdict(&scene(people, vec![], noise, Mobility::Seated), 0, 1);
        prop_assert!((0.0..=1.0).contains(&v.score), "{}", v.score);
        prop_assert_eq!(v.band == Band::Easy, v.score >= earshot::physics::acoustics::STI_FAIR);
        if let Some(a) = &v.acoustics {
            match (v.band, a.required_level_dba) {
                (Band::Easy, Some(r)) => prop_assert!(r <= a.natural_level_dba + 1e-9),
                (Band::Raised, Some(r)) => prop_assert!(r > a.natural_level_dba && r <= a.natural_level_dba + 6.0 + 1e-9),
                (Band::Shouting, Some(r)) => prop_assert!(r > a.natural_level_dba + 6.0),
                (Band::Implausible, r) => prop_assert!(r.is_none_or(|r| r > 84.0)),
                (b, r) => prop_assert!(false, "band {:?} with required {:?}", b, r),
            }
        }
    }
}

#[test]
fn never_co_present_scores_zero() {
    let mut a = person("A", 0.0, 0.0, Some(0.0));
    let mut b = person("B", 0.5, 0.0, Some(180.0));
    a.placements[0].set_window(Some(600.0), Some(610.0));
    b.placements[0].set_window(Some(620.0), Some(630.0));
    let v = verdict(&scene(vec![a, b], vec![], 40.0, Mobility::Mingling), 0, 1);
    assert_eq!(v.band, Band::NeverCoPresent);
    assert_eq!(v.score, 0.0);
    assert_eq!(v.walk_over.map(|w| w.possible), Some(false));
}

proptest! {
    #[test]
    fn walking_is_never_shorter_than_the_straight_line(
        a in (-9.0..9.0f64, -9.0..9.0f64), b in (-9.0..9.0f64, -9.0..9.0f64),
        w in (-9.0..9.0f64, -9.0..9.0f64, -9.0..9.0f64, -9.0..9.0f64),
    ) {
        use earshot::physics::geometry::{Barrier, WalkGraph, segment_crosses_polyline};
        let outline = vec![Point::new(-10.0, -10.0), Point::new(10.0, -10.0), Point::new(10.0, 10.0), Point::new(-10.0, 10.0)];
        let wall = vec![Point::new(w.0, w.1), Point::new(w.2, w.3)];
        let (pa, pb) = (Point::new(a.0, a.1), Point::new(b.0, b.1));
        let g = WalkGraph::new(outline, vec![Barrier::Line(wall.clone())]);
        let d = g.distances(pa, &[pb])[0];
        // an open wall inside a room can always be walked round
        let walked = d.unwrap_or(f64::NAN);
        prop_assert!(walked >= pa.distance(pb) - 1e-9, "{walked} < {}", pa.distance(pb));
        if !segment_crosses_polyline(pa, pb, &wall) {
            prop_assert!((walked - pa.distance(pb)).abs() < 1e-9);
        }
    }
}
