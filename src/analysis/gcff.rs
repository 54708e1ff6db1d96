//! GCFF, graph cuts for F-formations (Setti, Russell, Bassetti & Cristani, PLOS ONE 2015), as
//! its authors' code runs it, for comparison with earshot's own detector.
//!
//! - Each person's focal point lies `stride` ahead of them.
//! - A label is a candidate o-space centre: at first every person's focal point, then the mean
//!   of the focal points of the people holding it.
//! - The cost of giving person k the label with centre c is the squared distance from k's
//!   focal point to c, plus a soft visibility penalty: for each person j nearer the centre than
//!   k in nearly the same direction (cosine above 0.75), `100^(cos · |k−c| / |j−c|)` in the
//!   authors' units of centimetres squared (only people whose focal point lies within the label
//!   cost of the centre count). Every label in use costs `mdl`.
//! - The labelling is optimised by expansion moves (each label in turn may take over any set of
//!   people) until none lowers the energy; then the centres are refitted as means and the costs
//!   recomputed, up to ten rounds. With no pairwise terms an expansion move decomposes by label:
//!   each other label either gives up all its people (saving its cost) or keeps those who do
//!   not gain by moving, so the best move is found exactly, as the graph cut finds it.

use crate::analysis::groups::{Group, GroupKind, nearest_in_reach};
use crate::physics::geometry::Point;
use crate::scene::Scene;
use std::ops::{Add, Sub};

/// The visibility penalty's unit: the authors' code works in centimetres, so its
/// `100^x` is in cm²; here lengths are metres.
const PENALTY_M2: f64 = 1e-4;

/// Rounds of expansion and refitting, as in the authors' code.
const ROUNDS: usize = 10;

/// Where each person's o-space centre may lie: from `near_m` to `far_m` ahead, within
/// `cone_deg` of their facing (`quantised_cone_deg` when facings come in quarter turns).
/// GCFF is the point case: `near_m = far_m =` its stride, no cone.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reach {
    /// Nearest, metres.
    pub near_m: f64,
    /// Farthest, metres.
    pub far_m: f64,
    /// Half-width of the cone around a given facing, degrees.
    pub cone_deg: f64,
    /// The same for facings in multiples of 90°.
    pub quantised_cone_deg: f64,
}

impl Reach {
    /// GCFF's focal point, `stride_m` straight ahead.
    pub fn point(stride_m: f64) -> Self {
        Reach {
            near_m: stride_m,
            far_m: stride_m,
            cone_deg: 0.0,
            quantised_cone_deg: 0.0,
        }
    }
}

/// One person's admissible o-space centres.
#[derive(Debug, Clone, Copy)]
struct Segment {
    at: Point,
    facing: Option<f64>,
    near: f64,
    far: f64,
    half_cone: f64,
}

impl Segment {
    /// The admissible centre nearest to `c`: the focal point itself for GCFF's point case, the
    /// person's own position without a facing (as the authors' code has it).
    fn nearest(&self, c: Point) -> Point {
        let Some(f) = self.facing else {
            return self.at;
        };
        if self.near == self.far && self.half_cone == 0.0 {
            return self.at.add(Point::from_angle_deg(f).scale(self.near));
        }
        nearest_in_reach(self.at, f, self.half_cone, (self.near, self.far), c)
    }

    /// The middle of the segment: where a person alone would put the centre.
    fn middle(&self) -> Point {
        self.facing.map_or(self.at, |f| {
            self.at
                .add(Point::from_angle_deg(f).scale((self.near + self.far) / 2.0))
        })
    }
}

/// Detects the groups of `phase` with GCFF: focal points `stride_m` ahead, label cost
/// `mdl_m2`.
pub fn detect(scene: &Scene, phase: usize, stride_m: f64, mdl_m2: f64) -> Vec<Group> {
    detect_with(scene, phase, Reach::point(stride_m), mdl_m2)
}

/// GCFF's optimiser over transactional segments: each person's admissible centres are a
/// segment (or cone) rather than one point.
pub fn detect_with(scene: &Scene, phase: usize, reach: Reach, mdl_m2: f64) -> Vec<Group> {
    let present = scene.present_in(phase);
    let facings: Vec<Option<f64>> = present.iter().map(|(_, p)| p.facing_deg).collect();
    let half_cone = match crate::analysis::groups::facing_mode(&facings) {
        crate::analysis::groups::FacingMode::Quantised => reach.quantised_cone_deg,
        _ => reach.cone_deg,
    };
    let pos: Vec<Point> = present.iter().map(|(_, p)| p.pos).collect();
    let segs: Vec<Segment> = present
        .iter()
        .map(|(_, p)| Segment {
            at: p.pos,
            facing: p.facing_deg,
            near: reach.near_m,
            far: reach.far_m,
            half_cone,
        })
        .collect();
    let n = pos.len();
    let mut seg: Vec<usize> = (0..n).collect();
    let (mut unary, mut centres) = costs(&segs, &pos, &mut seg, mdl_m2);
    for _ in 0..ROUNDS {
        let old = seg.clone();
        expand(&unary, &mut seg, mdl_m2);
        (unary, centres) = costs(&segs, &pos, &mut seg, mdl_m2);
        if seg == old {
            break;
        }
    }
    let labels = centres.len();
    let mut out: Vec<Group> = (0..labels)
        .filter_map(|l| {
            let members: Vec<usize> = (0..n).filter(|&k| seg[k] == l).collect();
            if members.len() < 2 {
                return None;
            }
            let mut ids: Vec<usize> = members.iter().map(|&k| present[k].0).collect();
            ids.sort_unstable();
            let fit = members
                .iter()
                .map(|&k| {
                    (-segs[k].nearest(centres[l]).distance(centres[l]).powi(2) / mdl_m2).exp()
                })
                .sum::<f64>()
                / members.len() as f64;
            Some(Group {
                members: ids,
                kind: GroupKind::Formation,
                centre: centres[l],
                confidence: (fit * 100.0).round() / 100.0,
            })
        })
        .collect();
    out.sort_by(|a, b| a.members.cmp(&b.members));
    out
}

/// The cost of each person under each label in use, labels renumbered 0.. in the order of
/// their old numbers; and each label's centre (the mean of its people's focal points).
fn costs(
    segs: &[Segment],
    pos: &[Point],
    seg: &mut [usize],
    mdl: f64,
) -> (Vec<Vec<f64>>, Vec<Point>) {
    let n = segs.len();
    let mut used: Vec<usize> = seg.to_vec();
    used.sort_unstable();
    used.dedup();
    let mut unary = vec![vec![0.0; used.len()]; n];
    let mut centres = Vec::with_capacity(used.len());
    for (i, &u) in used.iter().enumerate() {
        let members: Vec<usize> = (0..n).filter(|&k| seg[k] == u).collect();
        let c = centre(segs, &members);
        centres.push(c);
        for k in 0..n {
            unary[k][i] = segs[k].nearest(c).distance(c).powi(2);
        }
        // visibility: among the people this centre could hold, the nearer hide the farther
        let mask: Vec<usize> = (0..n).filter(|&k| unary[k][i] < mdl).collect();
        for &j in &mask {
            for &k in &mask {
                let (dj, dk) = (pos[j].sub(c), pos[k].sub(c));
                let (nj, nk) = (dj.norm(), dk.norm());
                if nk > nj && nj > 0.0 {
                    let cos = dk.dot(dj) / (nk * nj);
                    if cos > 0.75 {
                        unary[k][i] += PENALTY_M2 * 100f64.powf(cos * nk / nj);
                    }
                }
            }
        }
    }
    for l in seg.iter_mut() {
        *l = used.binary_search(l).unwrap_or(0);
    }
    (unary, centres)
}

/// The centre that minimises the members' summed squared distance to their segments: the
/// mean of their nearest admissible points, refined from the mean of their middles (for
/// points, the mean of the focal points, as GCFF has it).
fn centre(segs: &[Segment], members: &[usize]) -> Point {
    let m = members.len().max(1) as f64;
    let mean = |pts: &mut dyn Iterator<Item = Point>| {
        let (sx, sy) = pts.fold((0.0, 0.0), |(x, y), p| (x + p.x, y + p.y));
        Point::new(sx / m, sy / m)
    };
    let mut c = mean(&mut members.iter().map(|&k| segs[k].middle()));
    if members
        .iter()
        .all(|&k| segs[k].near == segs[k].far && segs[k].half_cone == 0.0)
    {
        return c;
    }
    for _ in 0..8 {
        c = mean(&mut members.iter().map(|&k| segs[k].nearest(c)));
    }
    c
}

/// Expansion moves with a cost per label in use, until none lowers the energy.
fn expand(unary: &[Vec<f64>], seg: &mut [usize], mdl: f64) {
    let labels = unary.first().map_or(0, Vec::len);
    let energy = |seg: &[usize]| {
        let mut used = vec![false; labels];
        let mut e = 0.0;
        for (k, &l) in seg.iter().enumerate() {
            e += unary[k][l];
            used[l] = true;
        }
        e + mdl * used.iter().filter(|&&u| u).count() as f64
    };
    for _ in 0..100 {
        let mut improved = false;
        for alpha in 0..labels {
            let before = energy(seg);
            let mut next = seg.to_vec();
            for beta in (0..labels).filter(|&b| b != alpha) {
                let members: Vec<usize> = (0..seg.len()).filter(|&k| seg[k] == beta).collect();
                if members.is_empty() {
                    continue;
                }
                let all: f64 = members.iter().map(|&k| unary[k][alpha]).sum();
                let some: f64 = members
                    .iter()
                    .map(|&k| unary[k][alpha].min(unary[k][beta]))
                    .sum::<f64>()
                    + mdl;
                for &k in &members {
                    if all <= some || unary[k][alpha] < unary[k][beta] {
                        next[k] = alpha;
                    }
                }
            }
            if energy(&next) < before - 1e-12 {
                seg.copy_from_slice(&next);
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_takes_the_cheaper_labelling() {
        // two people who fit each other's label well: one label is cheaper than two
        let unary = vec![vec![0.0, 0.1], vec![0.1, 0.0]];
        let mut seg = vec![0, 1];
        expand(&unary, &mut seg, 1.0);
        assert_eq!(seg[0], seg[1]);
        // a poor fit keeps them apart
        let unary = vec![vec![0.0, 5.0], vec![5.0, 0.0]];
        let mut seg = vec![0, 1];
        expand(&unary, &mut seg, 1.0);
        assert_ne!(seg[0], seg[1]);
    }

    #[test]
    fn the_nearer_person_hides_the_centre_from_the_farther() {
        // a centre at the origin, j at 0.5 m and k at 1.5 m behind j on the same ray
        let focal = [Point::new(0.0, 0.0), Point::new(0.1, 0.0)];
        let pos = [Point::new(0.5, 0.0), Point::new(1.5, 0.0)];
        let segs: Vec<Segment> = focal
            .iter()
            .map(|&at| Segment {
                at,
                facing: None,
                near: 0.0,
                far: 0.0,
                half_cone: 0.0,
            })
            .collect();
        let mut seg = vec![0, 0];
        let (u, c) = costs(&segs, &pos, &mut seg, 1.0);
        let plain = focal[1].distance(c[0]).powi(2);
        // 100^(1 · 3) cm² = 100 m²: k cannot join
        assert!(u[1][0] - plain > 50.0, "{:?}", u);
        assert!((u[0][0] - focal[0].distance(c[0]).powi(2)).abs() < 1e-12);
    }
}
