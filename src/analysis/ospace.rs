//! O-space fitting: GCFF's labelling with a radius per group.
//!
//! GCFF puts every person's focal point one fixed stride ahead, so one stride must serve a pair
//! standing 0.8 m apart and six people in two rows 2 m apart: the public recordings need
//! strides from 0.1 to 0.7 m, chosen per recording. Here each label is an o-space, a centre
//! `c` and a radius `r`: person k with position `p` and facing unit vector `f` fits it with the
//! cost `|p + r·f − c|²`, and each label's centre and radius are refitted by least squares
//! over its people (the radius within `[r_min, r_max]`). The labelling is optimised as GCFF's
//! (expansion moves with a cost per label in use, then refitting), starting from every
//! person's focal point at a few radii; GCFF's soft visibility penalty keeps people from
//! joining a group through others.

use crate::analysis::gcff::{add_visibility, expand};
use crate::analysis::groups::Group;
use crate::physics::geometry::Point;
use crate::scene::Scene;
use std::ops::{Add, Sub};

/// The fitted o-space detector's parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FitParams {
    /// The least radius of an o-space, metres.
    pub r_min_m: f64,
    /// The greatest radius, metres.
    pub r_max_m: f64,
    /// The cost of a label in use, square metres.
    pub mdl_m2: f64,
    /// Costs relative to the radius: `|p + r·f − c|² · (r_ref / r)²`, so that a large circle
    /// tolerates proportionally larger deviations.
    pub relative: bool,
    /// The radius at which relative costs equal absolute ones, metres.
    pub r_ref_m: f64,
}

impl Default for FitParams {
    fn default() -> Self {
        FitParams {
            r_min_m: 0.3,
            r_max_m: 1.3,
            mdl_m2: 0.3,
            relative: false,
            r_ref_m: 0.6,
        }
    }
}

/// Rounds of expansion and refitting.
const ROUNDS: usize = 10;

/// The radii every person's first labels start at, metres.
const START_RADII_M: [f64; 4] = [0.35, 0.6, 0.9, 1.2];

/// An o-space: centre and radius.
#[derive(Debug, Clone, Copy)]
struct Label {
    c: Point,
    r: f64,
}

/// Detects the groups of `phase` by fitting o-spaces.
pub fn detect(scene: &Scene, phase: usize, params: &FitParams) -> Vec<Group> {
    let present = scene.present_in(phase);
    let pos: Vec<Point> = present.iter().map(|(_, p)| p.pos).collect();
    let dir: Vec<Point> = present
        .iter()
        .map(|(_, p)| {
            p.facing_deg
                .map_or(Point::new(0.0, 0.0), Point::from_angle_deg)
        })
        .collect();
    let n = pos.len();
    if n == 0 {
        return vec![];
    }
    let radii: Vec<f64> = START_RADII_M
        .iter()
        .map(|r| r.clamp(params.r_min_m, params.r_max_m))
        .collect();
    let mut labels: Vec<Label> = (0..n)
        .flat_map(|k| {
            let (p, f) = (pos[k], dir[k]);
            radii.iter().map(move |&r| Label {
                c: p.add(f.scale(r)),
                r,
            })
        })
        .collect();
    // each person starts on their own label at the middle radius
    let mut seg: Vec<usize> = (0..n).map(|k| k * radii.len() + radii.len() / 2).collect();
    let mut unary = costs(&pos, &dir, &labels, params);
    for _ in 0..ROUNDS {
        let old = seg.clone();
        expand(&unary, &mut seg, params.mdl_m2);
        labels = refit(&pos, &dir, &labels, &mut seg, params);
        unary = costs(&pos, &dir, &labels, params);
        if seg == old {
            break;
        }
    }
    let mut out: Vec<Group> = (0..labels.len())
        .filter_map(|l| {
            let members: Vec<usize> = (0..n).filter(|&k| seg[k] == l).collect();
            if members.len() < 2 {
                return None;
            }
            let mut ids: Vec<usize> = members.iter().map(|&k| present[k].0).collect();
            ids.sort_unstable();
            let fit = members
                .iter()
                .map(|&k| (-unary[k][l] / params.mdl_m2).exp())
                .sum::<f64>()
                / members.len() as f64;
            Some(Group {
                members: ids,
                centre: labels[l].c,
                confidence: (fit * 100.0).round() / 100.0,
            })
        })
        .collect();
    out.sort_by(|a, b| a.members.cmp(&b.members));
    out
}

/// Each person's cost under each label: the fit, plus the visibility penalty among the people
/// the label could hold.
fn costs(pos: &[Point], dir: &[Point], labels: &[Label], params: &FitParams) -> Vec<Vec<f64>> {
    let n = pos.len();
    let mut unary = vec![vec![0.0; labels.len()]; n];
    for (l, label) in labels.iter().enumerate() {
        let scale = if params.relative {
            (params.r_ref_m / label.r.max(params.r_ref_m).max(1e-3)).powi(2)
        } else {
            1.0
        };
        for k in 0..n {
            let d = pos[k].add(dir[k].scale(label.r)).sub(label.c);
            unary[k][l] = d.dot(d) * scale;
        }
        let mask: Vec<usize> = (0..n).filter(|&k| unary[k][l] < params.mdl_m2).collect();
        for &k in &mask {
            add_visibility(pos, &mask, k, label.c, &mut unary[k][l]);
        }
    }
    unary
}

/// The labels in use, renumbered in order, each refitted to its people: the radius that
/// minimises their summed squared deviation (within the bounds), then the mean of their
/// focal points at that radius.
fn refit(
    pos: &[Point],
    dir: &[Point],
    labels: &[Label],
    seg: &mut [usize],
    params: &FitParams,
) -> Vec<Label> {
    let mut used: Vec<usize> = seg.to_vec();
    used.sort_unstable();
    used.dedup();
    let out = used
        .iter()
        .map(|&u| {
            let members: Vec<usize> = (0..seg.len()).filter(|&k| seg[k] == u).collect();
            let m = members.len() as f64;
            let mean = |v: &[Point]| {
                let s = members
                    .iter()
                    .fold(Point::new(0.0, 0.0), |s, &k| s.add(v[k]));
                s.scale(1.0 / m)
            };
            let (pm, fm) = (mean(pos), mean(dir));
            let (mut num, mut den) = (0.0, 0.0);
            for &k in &members {
                let (dp, df) = (pos[k].sub(pm), dir[k].sub(fm));
                num -= dp.dot(df);
                den += df.dot(df);
            }
            let r = if members.len() >= 2 && den > 1e-9 {
                (num / den).clamp(params.r_min_m, params.r_max_m)
            } else {
                labels[u].r
            };
            Label {
                c: pm.add(fm.scale(r)),
                r,
            }
        })
        .collect();
    for l in seg.iter_mut() {
        *l = used.binary_search(l).unwrap_or(0);
    }
    out
}

/// How a union of groups must look to be one F-formation: every member within `radii` of
/// the members' centroid and facing it within `cone_deg` (when their facing is known), and
/// nobody else nearer the centroid than `empty` times the nearest member.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MergeRule {
    /// Nearest and farthest a member may stand from the centre, metres.
    pub radii: (f64, f64),
    /// Half-width of the cone around a member's facing in which the centre must lie, degrees.
    pub cone_deg: f64,
    /// The empty o-space, as a fraction of the nearest member's distance.
    pub empty: f64,
}

/// The largest angle, degrees, between a member's facing and the direction to the union's
/// centre, or `None` when the union is not one F-formation by `rule`.
fn union_fit(
    pos: &[Point],
    dir: &[Option<Point>],
    members: &[usize],
    rule: &MergeRule,
) -> Option<f64> {
    let m = members.len() as f64;
    let c = members
        .iter()
        .fold(Point::new(0.0, 0.0), |s, &k| s.add(pos[k]))
        .scale(1.0 / m);
    let mut worst: f64 = 0.0;
    let mut nearest = f64::INFINITY;
    for &k in members {
        let to = c.sub(pos[k]);
        let d = to.norm();
        if d < rule.radii.0 || d > rule.radii.1 {
            return None;
        }
        nearest = nearest.min(d);
        if let Some(f) = dir[k] {
            let cos = (to.dot(f) / d).clamp(-1.0, 1.0);
            let angle = cos.acos().to_degrees();
            if angle > rule.cone_deg {
                return None;
            }
            worst = worst.max(angle);
        }
    }
    let inside = (0..pos.len())
        .filter(|k| !members.contains(k))
        .any(|k| pos[k].distance(c) < rule.empty * nearest);
    (!inside).then_some(worst)
}

/// Merges groups (of which at least one has two people or more) whose union is one
/// F-formation by `rule`, best fits first: a group too wide for a detector's fixed reach,
/// such as two facing rows, is found whole.
pub fn merge_wide(pos: &[Point], dir: &[Option<Point>], label: &mut [usize], rule: &MergeRule) {
    loop {
        let mut ids: Vec<usize> = label.to_vec();
        ids.sort_unstable();
        ids.dedup();
        let groups: Vec<Vec<usize>> = ids
            .iter()
            .map(|&id| (0..label.len()).filter(|&k| label[k] == id).collect())
            .collect();
        let mut best: Option<(f64, usize, usize)> = None;
        for a in 0..groups.len() {
            for b in a + 1..groups.len() {
                if groups[a].len() + groups[b].len() < 3 {
                    continue;
                }
                let union: Vec<usize> = groups[a].iter().chain(&groups[b]).copied().collect();
                if let Some(worst) = union_fit(pos, dir, &union, rule) {
                    if best.is_none_or(|(w, _, _)| worst < w) {
                        best = Some((worst, a, b));
                    }
                }
            }
        }
        let Some((_, a, b)) = best else {
            return;
        };
        let into = label[groups[a][0]];
        for &k in &groups[b] {
            label[k] = into;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_facing_rows_share_one_wide_ospace() {
        // three people at x = 0 facing east and three at x = 2 facing west, 0.6 m apart in y
        let mut pos = vec![];
        let mut dir = vec![];
        for y in [-0.6, 0.0, 0.6] {
            pos.push(Point::new(0.0, y));
            dir.push(Point::new(1.0, 0.0));
            pos.push(Point::new(2.0, y));
            dir.push(Point::new(-1.0, 0.0));
        }
        let labels = vec![Label {
            c: Point::new(0.3, 0.0),
            r: 0.3,
        }];
        let mut seg = vec![0; 6];
        let fitted = refit(&pos, &dir, &labels, &mut seg, &FitParams::default());
        assert!((fitted[0].r - 1.0).abs() < 1e-9, "{:?}", fitted[0]);
        assert!(fitted[0].c.distance(Point::new(1.0, 0.0)) < 1e-9);
    }
}
