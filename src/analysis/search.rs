//! Every pair in a phase at or above a band, or within a distance, found through the spatial
//! index so that only pairs within the model's reach are examined.
//!
//! The work is split in stages that the command line times separately: [`PhaseIndex::new`]
//! (index), [`PhaseIndex::search`] (the bare candidate-pair search), and
//! [`PhaseIndex::assess`] or [`PhaseIndex::contacts`] (the model).

use crate::analysis::index::Grid;
use crate::analysis::pair::{co_presence, geometry_between};
use crate::analysis::plausibility::{Band, band_over_time, reach_m};
use crate::physics::geometry::Point;
use crate::scene::{Placement, Scene};
use rayon::prelude::*;
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

/// A pair within a distance, and for how long both were there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Contact {
    /// Attendee index of the first person (the smaller index).
    pub a: usize,
    /// Attendee index of the second person.
    pub b: usize,
    /// Straight-line distance, metres.
    pub distance_m: f64,
    /// Whether their presence overlapped.
    pub co_present: bool,
    /// Minutes of overlap, when both ends are known.
    pub minutes: Option<f64>,
}

/// The people of one phase in a spatial index.
pub struct PhaseIndex<'a> {
    scene: &'a Scene,
    phase: usize,
    present: Vec<(usize, &'a Placement)>,
    points: Vec<Point>,
    radius_m: f64,
    grid: Option<Grid>,
    bodies: std::sync::OnceLock<Grid>,
}

impl<'a> PhaseIndex<'a> {
    /// Indexes the people present in `phase` for a search within `radius_m` (infinite: all
    /// pairs).
    pub fn new(scene: &'a Scene, phase: usize, radius_m: f64) -> Self {
        let present = scene.present_in(phase);
        let points: Vec<Point> = present.iter().map(|(_, p)| p.pos).collect();
        let grid = radius_m
            .is_finite()
            .then(|| Grid::new(&points, radius_m.max(0.05)));
        let bodies = std::sync::OnceLock::new();
        PhaseIndex {
            scene,
            phase,
            present,
            points,
            radius_m,
            grid,
            bodies,
        }
    }

    /// Indexes a phase for the pairs that can reach `worst` or better: the radius is the
    /// model's reach for that band (the farthest a pair facing each other with nothing in
    /// between can be and still reach it).
    pub fn for_band(scene: &'a Scene, phase: usize, worst: Band) -> Self {
        let reach = reach_m(&scene.phases[phase].acoustics, worst.min(Band::Implausible));
        // a small margin: the reach is found by bisection
        PhaseIndex::new(scene, phase, reach * 1.000_001 + 1e-6)
    }

    /// Number of people present.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// True when no one is present.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The candidate pairs: every pair of present people at most the radius apart, as indices
    /// into the present list, in a deterministic order. Rows of the grid are searched in
    /// parallel.
    pub fn search(&self) -> Vec<(u32, u32)> {
        let Some(grid) = &self.grid else {
            let n = self.points.len() as u32;
            return (0..n)
                .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
                .collect();
        };
        let r2 = self.radius_m * self.radius_m;
        let chunks: Vec<Vec<(u32, u32)>> = (0..grid.rows())
            .into_par_iter()
            .map(|row| {
                let mut v = Vec::new();
                grid.row_pairs(&self.points, r2, row, &mut |i, j| v.push((i, j)));
                v
            })
            .collect();
        let mut out = Vec::with_capacity(chunks.iter().map(Vec::len).sum());
        for c in chunks {
            out.extend(c);
        }
        out
    }

    /// The model on each candidate: the pairs whose band is `worst` or better.
    pub fn assess(&self, candidates: &[(u32, u32)], worst: Band) -> Vec<PairBand> {
        let params = &self.scene.phases[self.phase].acoustics;
        let radius = params.body_radius_m.value;
        let ph = &self.scene.phases[self.phase];
        let bodies = self.bodies.get_or_init(|| Grid::new(&self.points, 2.0));
        candidates
            .par_chunks(4096)
            .flat_map_iter(|chunk| {
                let mut others: Vec<(usize, Point)> = Vec::new();
                let mut out = Vec::new();
                for &(i, j) in chunk {
                    let (i, j) = (i as usize, j as usize);
                    let (pa, pb) = (self.present[i].1, self.present[j].1);
                    let (a, b) = (
                        self.present[i].0.min(self.present[j].0),
                        self.present[i].0.max(self.present[j].0),
                    );
                    let d = pa.pos.distance(pb.pos);
                    let cp = co_presence(ph, pa, pb);
                    if !cp.co_present {
                        if worst >= Band::NeverCoPresent {
                            out.push(PairBand {
                                a,
                                b,
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
                            others.push((self.present[k].0, self.points[k]));
                        }
                    });
                    let g = geometry_between(self.scene, pa, pb, &others, radius);
                    // A and B swap when the present order differs from the index order: the
                    // verdict is symmetric, so the band and score do not change
                    let (band, score) = band_over_time(self.scene, self.phase, &g, &cp);
                    if band <= worst {
                        out.push(PairBand {
                            a,
                            b,
                            band,
                            score,
                            distance_m: d,
                        });
                    }
                }
                out
            })
            .collect()
    }

    /// Distance and co-presence of each candidate (for contact tracing: no acoustics).
    pub fn contacts(&self, candidates: &[(u32, u32)]) -> Vec<Contact> {
        let ph = &self.scene.phases[self.phase];
        candidates
            .par_iter()
            .map(|&(i, j)| {
                let (pa, pb) = (self.present[i as usize].1, self.present[j as usize].1);
                let (x, y) = (self.present[i as usize].0, self.present[j as usize].0);
                let cp = co_presence(ph, pa, pb);
                Contact {
                    a: x.min(y),
                    b: x.max(y),
                    distance_m: pa.pos.distance(pb.pos),
                    co_present: cp.co_present,
                    minutes: cp.minutes,
                }
            })
            .collect()
    }
}

/// Every pair present in `phase` whose band is `worst` or better, sorted by attendee indices.
pub fn phase_pairs(scene: &Scene, phase: usize, worst: Band) -> Vec<PairBand> {
    let index = PhaseIndex::for_band(scene, phase, worst);
    let mut out = index.assess(&index.search(), worst);
    out.sort_by_key(|p| (p.a, p.b));
    out
}

/// Every pair present in `phase` at most `radius_m` apart (inclusive), sorted by attendee
/// indices.
pub fn phase_contacts(scene: &Scene, phase: usize, radius_m: f64) -> Vec<Contact> {
    let index = PhaseIndex::new(scene, phase, radius_m);
    let mut out = index.contacts(&index.search());
    out.sort_by_key(|p| (p.a, p.b));
    out
}

/// How many pairs fall in each band, best first (for reports).
pub fn band_counts(pairs: &[PairBand]) -> [(Band, usize); 5] {
    Band::ALL.map(|b| (b, pairs.iter().filter(|p| p.band == b).count()))
}
