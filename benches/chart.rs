//! Charting a 300-seat scene (`scenes/lecture-hall`) in release mode: the chart must take well
//! under a second. Run with `cargo bench --bench chart`.

use earshot::output::render::chart::{ChartOptions, seating_chart};
use earshot::scene::{LoadOptions, Scene, load};
use std::path::Path;

fn main() {
    divan::main();
}

fn lecture_hall() -> Scene {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenes/lecture-hall");
    load(&path, &LoadOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

#[divan::bench(sample_count = 10)]
fn chart_300_seats(bencher: divan::Bencher) {
    let scene = lecture_hall();
    bencher.bench(|| seating_chart(&scene, 0, &ChartOptions::default()));
}

#[divan::bench(sample_count = 10)]
fn chart_300_seats_with_focus(bencher: divan::Bencher) {
    let scene = lecture_hall();
    let focus = vec![scene.find_attendee("Student 001").unwrap_or(0)];
    let opts = ChartOptions {
        focus,
        groups: vec![],
    };
    bencher.bench(|| seating_chart(&scene, 0, &opts));
}

#[divan::bench(sample_count = 10)]
fn load_300_seats() -> Scene {
    lecture_hall()
}
