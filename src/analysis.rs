//! Every pair in a phase at or above a band, found through the spatial index so that only
//! pairs within the model's reach are examined.

use crate::geometry::Point;
use crate::index::{Grid, pairs_within};
use crate::pair::{co_presence, geometry_between};
use crate::plausibility::{Band, PairInput, quick_band, reach_m};
use crate::scene::Scene;
use serde::Serialize;

/// A pair's band and score, without the explanation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairBand {
    /// Attendee index of the first person (the smaller index).
    pub a: usize,
    /// Attendee index of the second person.
    pub b: usize,
    /// The band.
    pub band: Band,
    /// The score (speech transmission index at natural effort; 0 if never co-present).
    pub score: f64,
    /// Straight-line distance, metres.
    pub distance_m: f64,
}

/// Every pair present in `phase` whose band is `worst` or better, sorted by attendee indices.
pub fn phase_pairs(scene: &Scene, phase: usize, worst: Band) -> Vec<PairBand> {
    let present = scene.present_in(phase);
    let points: Vec<Point> = present.iter().map(|(_, p)| p.pos).collect();
    let params = &scene.phases[phase].acoustics;
    let reach = reach_m(params, worst.min(Band::Implausible));
    // a small margin: the reach is found by bisection
    let candidates = pairs_within(&points, reach * 1.000_001 + 1e-6);
    let radius = params.body_radius_m.value;
    let bodies = Grid::new(&points, 2.0);
    let ph = &scene.phases[phase];
    let mut out = Vec::new();
    let mut others: Vec<(usize, Point)> = Vec::new();
    for (i, j) in candidates {
        let (i, j) = (i as usize, j as usize);
        let (pa, pb) = (present[i].1, present[j].1);
        let cp = co_presence(ph, pa, pb);
        let d = pa.pos.distance(pb.pos);
        if !cp.co_present {
            if worst >= Band::NeverCoPresent {
                out.push(PairBand {
                    a: present[i].0,
                    b: present[j].0,
                    band: Band::NeverCoPresent,
                    score: 0.0,
                    distance_m: d,
                });
            }
            continue;
        }
        others.clear();
        let mid = Point::new((pa.pos.x + pb.pos.x) / 2.0, (pa.pos.y + pb.pos.y) / 2.0);
        bodies.near(mid, d / 2.0 + radius, |k| {
            let k = k as usize;
            if k != i && k != j {
                others.push((present[k].0, points[k]));
            }
        });
        let g = geometry_between(scene, pa, pb, &others, radius);
        let input = PairInput {
            distance_m: g.distance_m,
            facing_a_deg: g.facing_a_deg,
            facing_b_deg: g.facing_b_deg,
            walls_db: g.walls_db(),
            obstacles_db: g.obstacles_db(),
            bodies: g.bodies_between.len(),
        };
        let (band, score) = quick_band(&input, params);
        if band <= worst {
            let (a, b) = (
                present[i].0.min(present[j].0),
                present[i].0.max(present[j].0),
            );
            out.push(PairBand {
                a,
                b,
                band,
                score,
                distance_m: d,
            });
        }
    }
    out.sort_by_key(|p| (p.a, p.b));
    out
}

/// How many pairs fall in each band, best first (for reports).
pub fn band_counts(pairs: &[PairBand]) -> [(Band, usize); 5] {
    Band::ALL.map(|b| (b, pairs.iter().filter(|p| p.band == b).count()))
}
