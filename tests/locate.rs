//! `earshot locate`: floor positions from a photograph, through the real binary.

mod common;
use common::earshot;

/// A floor-to-image homography like a camera's looking along +y from y = −4 m (its horizon
/// is the row v ≈ −2714: farther points climb towards it).
const H: [f64; 9] = [1500.0, 50.0, 900.0, 0.0, -380.0, 2900.0, 0.0, 0.14, 0.56];

fn pixel(x: f64, y: f64) -> (f64, f64) {
    let w = H[6] * x + H[7] * y + H[8];
    (
        (H[0] * x + H[1] * y + H[2]) / w,
        (H[3] * x + H[4] * y + H[5]) / w,
    )
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap_or_else(|e| panic!("{e}"));
    p.to_string_lossy().to_string()
}

#[test]
fn people_are_placed_on_the_floor_with_their_spread() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut refs = String::from("u,v,x,y\n");
    for (x, y) in [
        (-3.0, 2.0),
        (3.0, 2.0),
        (-4.0, 8.0),
        (4.0, 8.0),
        (0.0, 5.0),
        (-2.0, 11.0),
    ] {
        let (u, v) = pixel(x, y);
        refs.push_str(&format!("{u:.2},{v:.2},{x},{y}\n"));
    }
    let mut people = String::from("name,u,v,pixel_sd\n");
    let truth = [
        ("Ann", 1.0, 3.0),
        ("Ben", -2.0, 9.0),
        ("Cy, Jr.", 3.5, 12.0),
    ];
    for (n, x, y) in truth {
        let (u, v) = pixel(x, y);
        people.push_str(&format!("\"{n}\",{u:.2},{v:.2},1\n"));
    }
    let r = write(dir.path(), "refs.csv", &refs);
    let p = write(dir.path(), "people.csv", &people);
    let out = dir.path().join("seating.csv");
    let o = out.to_string_lossy().to_string();
    let (code, _, err) = earshot(&["locate", "--refs", &r, "--pixels", &p, "-o", &o]);
    assert_eq!(code, Some(0), "{err}");
    assert!(err.contains("reprojection error"), "{err}");
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = rdr.records().filter_map(Result::ok).collect();
    assert_eq!(rows.len(), 3, "{text}");
    for (row, (n, x, y)) in rows.iter().zip(truth) {
        assert_eq!(&row[0], n);
        let num = |k: usize| row[k].parse::<f64>().unwrap_or(f64::NAN);
        assert!(
            (num(1) - x).abs() < 0.05 && (num(2) - y).abs() < 0.05,
            "{text}"
        );
        assert!(num(3) > 0.0 && num(3) < 0.5, "{text}");
    }
    // and the result is a seating CSV the other commands read, spread included
    let (code, out, err) = earshot(&["query", &o, "Ann", "Ben", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("\"band_probabilities\""), "{out}");
    assert!(out.contains("Ann's position"), "{out}");
}

#[test]
fn too_few_references_and_pixels_above_the_horizon_are_refused() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let mut refs = String::from("u,v,x,y\n");
    for (x, y) in [(-3.0, 2.0), (3.0, 2.0), (-4.0, 8.0)] {
        let (u, v) = pixel(x, y);
        refs.push_str(&format!("{u:.2},{v:.2},{x},{y}\n"));
    }
    let r = write(dir.path(), "refs.csv", &refs);
    let p = write(dir.path(), "people.csv", "name,u,v\nSky,960,-5000\n");
    let (code, _, err) = earshot(&["locate", "--refs", &r, "--pixels", &p]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("3 reference points: expected at least four"),
        "{err}"
    );
    let (u, v) = pixel(4.0, 8.0);
    refs.push_str(&format!("{u:.2},{v:.2},4,8\n"));
    let r = write(dir.path(), "refs.csv", &refs);
    let (code, _, err) = earshot(&["locate", "--refs", &r, "--pixels", &p]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("people.csv:2: Sky:") && err.contains("horizon"),
        "{err}"
    );
    let bad = write(dir.path(), "bad.csv", "u,v,x,y\n1,2,3,four\n");
    let (code, _, err) = earshot(&["locate", "--refs", &bad, "--pixels", &p]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("bad.csv:2:4: column `y`: expected a number"),
        "{err}"
    );
}

#[test]
fn view_then_locate_gives_the_scene_back() {
    use earshot::output::render::view::Camera;
    use earshot::physics::geometry::Point;
    use earshot::physics::homography::Homography;
    let scene = earshot::scene::load(
        &common::root().join("scenes/mayflower-2016"),
        &earshot::scene::LoadOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let phase = scene.phase_index("speech").unwrap_or(0);
    // a camera at the back of the ballroom, looking at the stage
    let cam = Camera {
        pos: Point::new(17.5, 1.0),
        height_m: 1.7,
        heading_deg: 90.0,
        pitch_deg: 8.0,
        focal_mm: 35.0,
        sensor_mm: 36.0,
    };
    // the floor's corners of the seating blocks as references, read off the picture
    let refs: Vec<(f64, f64, f64, f64)> = [
        (10.0, 7.0),
        (25.0, 7.0),
        (10.0, 16.5),
        (25.0, 16.5),
        (17.5, 12.0),
        (13.0, 10.0),
    ]
    .iter()
    .filter_map(|&(x, y)| {
        cam.project(Point::new(x, y), 0.0)
            .map(|(_, u, v)| (u, v, x, y))
    })
    .collect();
    assert_eq!(refs.len(), 6);
    let h = Homography::fit(&refs).unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for (_, p) in scene.present_in(phase) {
        let Some((_, u, v)) = cam.project(p.pos, 0.0) else {
            continue;
        };
        let (x, y, _) = h.locate(u, v, 0.5).unwrap_or_else(|e| panic!("{e}"));
        assert!(
            (x - p.pos.x).abs() < 1e-3 && (y - p.pos.y).abs() < 1e-3,
            "{x},{y} vs {:?}",
            p.pos
        );
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
}
