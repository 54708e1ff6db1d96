//! Hot functions of the model and the pair search. Run with `cargo bench --bench model`.

use earshot::analysis::index::{Grid, pairs_within};
use earshot::analysis::plausibility::{PairInput, quick_band};
use earshot::physics::geometry::Point;
use earshot::scene::Acoustics;

fn main() {
    divan::main();
}

/// Points on a jittered grid at stadium density (0.5 m by 0.8 m per seat), deterministic.
fn seats(n: usize) -> Vec<Point> {
    let cols = (n as f64).sqrt() as usize + 1;
    (0..n)
        .map(|i| {
            let (r, c) = (i / cols, i % cols);
            let j = ((i as f64) * 12.9898).sin() * 0.05;
            Point::new(c as f64 * 0.5 + j, r as f64 * 0.8 - j)
        })
        .collect()
}

/// Build the grid and count every pair within 2 m (one thread, as the R-tree below).
#[divan::bench(args = [10_000, 100_000])]
fn grid_pairs_within_2m(bencher: divan::Bencher, n: usize) {
    let pts = seats(n);
    bencher.bench(|| {
        let mut count = 0usize;
        Grid::new(&pts, 2.0).for_each_pair_within(&pts, 2.0, |_, _| count += 1);
        count
    });
}

/// The same, collected and sorted (what `pairs_within` returns).
#[divan::bench(args = [100_000])]
fn grid_pairs_within_2m_sorted(bencher: divan::Bencher, n: usize) {
    let pts = seats(n);
    bencher.bench(|| pairs_within(&pts, 2.0).len());
}

/// A pair 2.3 m apart, half turned away, with two people in between.
fn typical_pair() -> PairInput {
    PairInput {
        distance_m: 2.3,
        facing_a_deg: Some(30.0),
        facing_b_deg: Some(170.0),
        walls_db: 0.0,
        obstacles_db: 0.0,
        bodies: 2,
        side_reflections_m2: 0.0,
    }
}

#[divan::bench]
fn quick_band_one_pair(bencher: divan::Bencher) {
    let params = Acoustics::defaults(4500.0);
    let input = typical_pair();
    bencher.bench(|| quick_band(divan::black_box(&input), &params));
}

/// The same search with an R-tree (rstar), for comparison with the grid.
#[divan::bench(args = [10_000, 100_000])]
fn rstar_pairs_within_2m(bencher: divan::Bencher, n: usize) {
    let pts = seats(n);
    bencher.bench(|| {
        let tree = rstar::RTree::bulk_load(
            pts.iter()
                .enumerate()
                .map(|(i, p)| rstar::primitives::GeomWithData::new([p.x, p.y], i))
                .collect(),
        );
        let mut count = 0usize;
        for (i, p) in pts.iter().enumerate() {
            count += tree
                .locate_within_distance([p.x, p.y], 4.0)
                .filter(|o| o.data > i)
                .count();
        }
        count
    });
}

/// The full explained acoustic verdict for one pair (both directions, required levels).
#[divan::bench]
fn acoustic_verdict_one_pair(bencher: divan::Bencher) {
    let params = Acoustics::defaults(4500.0);
    let input = typical_pair();
    bencher.bench(|| {
        earshot::analysis::plausibility::acoustic_verdict(
            divan::black_box(&input),
            &params,
            ["A", "B"],
        )
    });
}

/// 10,000 Latin-hypercube draws for one pair of the shipped Mayflower scene (Sessions's 19
/// candidate seats, the noise between 65 and 70 dB(A)), with the one-at-a-time sweeps:
/// what `query --samples 10000` spends beyond loading.
#[divan::bench(sample_count = 10)]
fn uncertainty_10k_draws_one_pair(bencher: divan::Bencher) {
    use earshot::analysis::uncertainty::{Options, analyse};
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(scene) = earshot::scene::load(
        &root.join("scenes/mayflower-2016"),
        &earshot::scene::LoadOptions::default(),
    ) else {
        return;
    };
    let (Ok(a), Ok(b), Some(p)) = (
        scene.find_attendee("Sessions"),
        scene.find_attendee("Kislyak"),
        scene.phase_index("speech"),
    ) else {
        return;
    };
    let opts = Options {
        samples: 10_000,
        seed: 1,
    };
    bencher.bench(|| analyse(&scene, p, a, b, opts).samples);
}
