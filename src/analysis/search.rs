//! Every pair in a phase at or above a band, or within a distance, found through the spatial
//! index so that only pairs within the model's reach are examined.
//!
//! The work is split in stages that the command line times separately: [`PhaseIndex::new`]
//! (index), [`PhaseIndex::search`] (the bare candidate-pair search), and
//! [`PhaseIndex::assess`] or [`PhaseIndex::contacts`] (the model).

use crate::analysis::index::Grid;
use crate::analysis::pair::{CoPresence, LineProbe, PairGeometry, co_presence, geometry_between};
use crate::analysis::plausibility::{
    Band, BandTable, Memo, PairInput, band_over_time, reach_facing_m, reach_m, reach_past_bodies_m,
    steady,
};
use crate::physics::geometry::{Point, SideReflectionBound};
use crate::scene::{Placement, Scene};
use rayon::prelude::*;
use serde::Serialize;

/// How many people on the line between a pair reach the bodies' cap, and the reach for
/// `worst` with that many between (infinite when bodies do not attenuate, or when the cap is
/// not reached by a count a crowd could plausibly hold).
fn body_cap(
    params: &crate::scene::Acoustics,
    worst: Band,
    walls: SideReflectionBound,
) -> (usize, f64) {
    let (each, cap) = (
        params.body_attenuation_db.value,
        params.body_attenuation_cap_db.value,
    );
    if each.is_nan() || each <= 0.0 || !cap.is_finite() || cap / each > 50.0 {
        return (usize::MAX, f64::INFINITY);
    }
    let n = (cap / each).ceil().max(1.0) as usize;
    (
        n,
        reach_past_bodies_m(params, worst.min(Band::Implausible), n, walls),
    )
}

/// The reach for a band by the number of people between (0 to the cap) and the talker's
/// directivity loss (in steps of half a decibel): a pair farther apart than the reach for
/// no more people and no more loss than its own cannot reach the band (the model only gets
/// worse with either), so it is passed over without computing the index.
struct ReachBound {
    /// Each reach found on first use: most scenes need the loss of people facing each
    /// other (or of no facing given) and few others, and each takes a bisection of the model.
    reach: Vec<[std::sync::OnceLock<f64>; 21]>,
    params: crate::scene::Acoustics,
    worst: Band,
    walls: SideReflectionBound,
}

impl ReachBound {
    const STEP_DB: f64 = 0.5;

    /// [`ReachBound::new`], remembered for the last few distinct inputs (the frames of a
    /// recording share them, and a bound takes a hundred bisections of the model).
    fn cached(
        params: &crate::scene::Acoustics,
        worst: Band,
        most_bodies: usize,
        walls: SideReflectionBound,
    ) -> std::sync::Arc<Self> {
        type Key = (crate::scene::Acoustics, Band, usize, SideReflectionBound);
        static CACHE: Memo<Key, std::sync::Arc<ReachBound>> = Memo::new();
        CACHE.get_or((*params, worst, most_bodies, walls), || {
            std::sync::Arc::new(ReachBound::new(params, worst, most_bodies, walls))
        })
    }

    fn new(
        params: &crate::scene::Acoustics,
        worst: Band,
        most_bodies: usize,
        walls: SideReflectionBound,
    ) -> Self {
        ReachBound {
            reach: (0..=most_bodies)
                .map(|_| std::array::from_fn(|_| std::sync::OnceLock::new()))
                .collect(),
            params: *params,
            worst,
            walls,
        }
    }

    /// The reach with `k` people between and `j` steps of loss.
    fn at(&self, k: usize, j: usize) -> f64 {
        *self.reach[k][j].get_or_init(|| {
            // the loss rises linearly from 0 in front to 10 dB behind
            let offset =
                j as f64 * Self::STEP_DB / crate::physics::acoustics::VOICE_FRONT_BACK_DB * 180.0;
            let worst = self.worst.min(Band::Implausible);
            let r = reach_facing_m(&self.params, worst, k, offset, self.walls);
            r * 1.000_001 + 1e-6
        })
    }

    /// The reach for a pair's own people between (only those there the whole phase) and the
    /// talker turned farther away.
    fn reach(&self, scene: &Scene, phase: usize, g: &crate::analysis::pair::PairGeometry) -> f64 {
        let steady = g
            .bodies_between
            .iter()
            .filter(|&&i| {
                scene.attendees[i]
                    .placement_in(phase)
                    .is_some_and(Placement::whole_phase)
            })
            .count();
        let loss = [g.facing_a_deg, g.facing_b_deg]
            .map(|f| crate::physics::acoustics::directivity_loss_db(f.unwrap_or(0.0)));
        let j = ((loss[0].max(loss[1]) / Self::STEP_DB).floor() as usize).min(20);
        self.at(steady.min(self.reach.len() - 1), j)
    }
}

/// The far part of a split search: the people with an opening (see
/// [`PhaseIndex::openings`]), in present order, and a grid over them.
#[derive(Default)]
struct FarPart {
    /// Each present person's place in `open`, `u32::MAX` when they have no opening.
    slot: Vec<u32>,
    /// The open people: present index, and where their arcs end in `arcs` (they start where
    /// the previous person's end).
    open: Vec<(u32, u32)>,
    /// Every open person's open arcs, one after another.
    arcs: Arcs,
    /// How many people between a pair reach the bodies' cap.
    cap: usize,
    /// A grid over them (present indices), none when the reach is infinite: with cells of
    /// half `outer_m` and searched within the cones of their open directions when those are
    /// narrow (`cones`), with cells of `far_m` and searched in the disc of that radius when
    /// not.
    grid: Option<Grid>,
    cones: bool,
    far_m: f64,
    /// Where the open people above are open: pairs farther apart than this are theirs.
    outer_m: f64,
    /// When `outer_m` is beyond the near radius: everyone's openings within the near radius,
    /// for the pairs between it and `outer_m` (see [`Split`]).
    inner: Option<InnerArcs>,
}

/// Every present person's open arcs within the near radius, one after another: person `i`'s
/// end at `end[i]` and start where person `i − 1`'s end.
#[derive(Default)]
struct InnerArcs {
    end: Vec<u32>,
    arcs: Arcs,
}

impl InnerArcs {
    fn of(&self, i: u32) -> &[(f64, f64)] {
        let i = i as usize;
        let start = if i == 0 { 0 } else { self.end[i - 1] as usize };
        self.arcs.range(start, self.end[i] as usize).0
    }
}

impl FarPart {
    /// The open arcs of the open person in `slot`, and their least covers.
    fn arcs_of(&self, slot: u32) -> (&[(f64, f64)], &[u8]) {
        let k = slot as usize;
        let start = if k == 0 {
            0
        } else {
            self.open[k - 1].1 as usize
        };
        self.arcs.range(start, self.open[k].1 as usize)
    }

    /// Calls `f(j)` for every far candidate `(i, j)` with `j > i`, in no set order: farther
    /// apart than the near radius and no farther than `far_m`, and both open towards each
    /// other (within the near radius for pairs up to `outer_m` apart, within `outer_m`
    /// beyond; more than twice `outer_m` apart, with fewer than the cap in the two openings
    /// together).
    fn pairs_after(&self, index: &PhaseIndex, i: u32, mut f: impl FnMut(u32)) {
        let p = index.points[i as usize];
        let d2 = |q: Point| (p.x - q.x) * (p.x - q.x) + (p.y - q.y) * (p.y - q.y);
        if let Some(inner) = &self.inner {
            // between the near radius and `outer_m`: open within the near radius
            let oi = inner.of(i);
            if !oi.is_empty() {
                let (near2, outer2) =
                    (index.radius_m * index.radius_m, self.outer_m * self.outer_m);
                index.body_grid().near(p, self.outer_m, |j| {
                    let q = index.points[j as usize];
                    // the complement of the near search's own test
                    let d = d2(q);
                    if j > i
                        && d > near2
                        && d <= outer2
                        && towards(oi, p, q)
                        && towards(inner.of(j), q, p)
                    {
                        f(j);
                    }
                });
            }
        }
        let Some(&a) = self.slot.get(i as usize).filter(|&&a| a != u32::MAX) else {
            return;
        };
        let (beyond2, far2) = (self.outer_m * self.outer_m, self.far_m * self.far_m);
        // farther apart than twice `outer_m`, the people within it of either end are
        // different people, all on the line: their covers add up
        let apart = 2.0 * self.outer_m * (1.0 + 1e-9);
        let (oi, least_i) = self.arcs_of(a);
        let candidate = |j: u32| {
            let q = index.points[j as usize];
            let d = d2(q);
            // the complement of the near search's own test, or of the pairs above
            if !(j > i && d > beyond2 && d <= far2) {
                return false;
            }
            let Some(ci) = least_towards(oi, least_i, p, q) else {
                return false;
            };
            let (oj, least_j) = self.arcs_of(self.slot[j as usize]);
            if d <= apart * apart {
                towards(oj, q, p)
            } else {
                least_towards(oj, least_j, q, p)
                    .is_some_and(|cj| usize::from(ci) + usize::from(cj) < self.cap)
            }
        };
        let mut keep = |j: u32| {
            if candidate(j) {
                f(j);
            }
        };
        match &self.grid {
            // only the cells within the cones of the open directions
            Some(g) if self.cones => {
                let mut found = Vec::new();
                for &(from, to) in oi {
                    each_cone(p, (from, to), self.far_m, |cone| {
                        g.in_convex(&cone, |j| {
                            if candidate(j) {
                                found.push(j);
                            }
                        })
                    });
                }
                // the cones of neighbouring pieces overlap
                found.sort_unstable();
                found.dedup();
                found.into_iter().for_each(f);
            }
            Some(g) => g.neighbours_after(&index.points, i, far2, &mut keep),
            None => (a + 1..self.open.len() as u32).for_each(|b| keep(self.open[b as usize].0)),
        }
    }
}

/// The direction with [`pseudo_angle`] `p` (any real: whole turns are dropped), as a vector
/// of length 1 to √2.
fn direction(p: f64) -> Point {
    let p = p.rem_euclid(FULL_TURN);
    let (q, f) = (p.floor(), p - p.floor());
    match q as u8 {
        0 => Point::new(1.0 - f, f),
        1 => Point::new(-f, 1.0 - f),
        2 => Point::new(f - 1.0, -f),
        _ => Point::new(f, f - 1.0),
    }
}

/// Calls `f` with triangles that together hold every point within `far_m` of `p` whose
/// direction from it lies in `arc` (of [`pseudo_angle`], with the margin [`towards`] allows
/// and more): the arc in pieces of at most half a unit (at most a radian), each piece's
/// sector inside the triangle of its two edges, long enough for the far side to clear it.
fn each_cone(p: Point, (from, to): (f64, f64), far_m: f64, mut f: impl FnMut([Point; 3])) {
    let (from, to) = (from - 3e-6, to + 3e-6);
    let pieces = ((to - from) / 0.5).ceil().max(1.0);
    let step = (to - from) / pieces;
    for k in 0..pieces as usize {
        let a = direction(from + k as f64 * step).unit();
        let b = direction(from + (k + 1) as f64 * step).unit();
        // the half-angle between the edges: the far side is `far_m` from p at its middle
        let cos_half = ((1.0 + a.dot(b)) / 2.0).max(0.0).sqrt();
        let reach = far_m / cos_half.max(0.5) * (1.0 + 1e-9) + 1e-9;
        f([p, p + a.scale(reach), p + b.scale(reach)]);
    }
}

/// The model of a band search over one phase (see [`PhaseIndex::assessor`]).
pub struct Assessor<'i, 'a> {
    index: &'i PhaseIndex<'a>,
    worst: Band,
    bodies: &'i Grid,
    cap_count: usize,
    past_cap: f64,
    bound: std::sync::Arc<ReachBound>,
    table: Option<std::sync::Arc<BandTable>>,
    enough: usize,
}

impl Assessor<'_, '_> {
    /// The pairs among `candidates` whose band is the search's or better, in the candidates'
    /// order; blocks of candidates are assessed in parallel.
    pub fn assess(&self, candidates: &[(u32, u32)]) -> Vec<PairBand> {
        candidates
            .par_chunks(4096)
            .flat_map_iter(|chunk| self.assess_in_turn(chunk))
            .collect()
    }

    /// [`Assessor::assess`] on this thread alone.
    pub fn assess_in_turn(&self, candidates: &[(u32, u32)]) -> Vec<PairBand> {
        let mut between: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for &(i, j) in candidates {
            if let Some(p) = self.one(i as usize, j as usize, &mut between) {
                out.push(p);
            }
        }
        out
    }

    /// The band and score of present people `i` and `j` when it is the search's or better;
    /// `between` is a reused buffer.
    fn one(&self, i: usize, j: usize, between: &mut Vec<usize>) -> Option<PairBand> {
        let x = self.index;
        let (scene, phase, worst) = (x.scene, x.phase, self.worst);
        let ph = &scene.phases[phase];
        let params = &ph.acoustics;
        let radius = params.body_radius_m.value;
        let band_of = |g: &PairGeometry, cp: &CoPresence| -> (Band, f64) {
            if let Some(t) = &self.table {
                if steady(scene, phase, g) {
                    if let Some(verdict) = t.assess(&PairInput::from_geometry(g), params) {
                        return verdict;
                    }
                }
            }
            band_over_time(scene, phase, g, cp)
        };
        let (Some(pa), Some(pb)) = (x.placement(i), x.placement(j)) else {
            return None;
        };
        let (a, b) = (x.who(i).min(x.who(j)), x.who(i).max(x.who(j)));
        let d = pa.pos.distance(pb.pos);
        let cp = co_presence(ph, pa, pb);
        if !cp.co_present {
            return (worst >= Band::NeverCoPresent).then_some(PairBand {
                a,
                b,
                band: Band::NeverCoPresent,
                score: 0.0,
                distance_m: d,
            });
        }
        let count = |between: &mut Vec<usize>| {
            between.clear();
            let probe = LineProbe::new(pa.pos, pb.pos, radius);
            self.bodies.along_until(pa.pos, pb.pos, radius, |k| {
                let k = k as usize;
                if k != i && k != j && probe.hits(x.points[k]) {
                    between.push(x.who(k));
                }
                between.len() >= self.enough
            });
        };
        let counted = if x.split.is_some() && self.enough == self.cap_count {
            // nobody comes or goes, so the count stops at the cap: count once, and pass over
            // a far pair with the cap between
            count(between);
            if d > self.past_cap && between.len() >= self.cap_count {
                return None;
            }
            true
        } else {
            if d > self.past_cap && x.at_least_bodies(self.bodies, (i, j), radius, self.cap_count) {
                return None;
            }
            false
        };
        // the model never gets better with people in between: without a cap on the search,
        // a pair that misses the band with no one between them is done without looking for
        // anyone (with one, the near pairs nearly all pass)
        let mut g = geometry_between(scene, pa, pb, &[], radius);
        if x.split.is_none() && band_of(&g, &cp).0 > worst {
            return None;
        }
        if !counted {
            count(between);
        }
        g.bodies_between = std::mem::take(between);
        // beyond the reach of a pair as turned away and with as many people between (those
        // there all the time), the band is out of reach: no need to compute
        let out_of_reach = d > self.bound.reach(scene, phase, &g);
        // A and B swap when the present order differs from the index order: the verdict is
        // symmetric, so the band and score do not change
        let verdict = (!out_of_reach).then(|| band_of(&g, &cp));
        *between = std::mem::take(&mut g.bodies_between);
        let (band, score) = verdict.filter(|v| v.0 <= worst)?;
        Some(PairBand {
            a,
            b,
            band,
            score,
            distance_m: d,
        })
    }
}

/// Open directions: intervals of [`pseudo_angle`], each with the fewest people it is open
/// past (the least cover within it).
#[derive(Default)]
struct Arcs {
    spans: Vec<(f64, f64)>,
    least: Vec<u8>,
}

impl Arcs {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn push(&mut self, span: (f64, f64), least: i64) {
        self.spans.push(span);
        self.least.push(least.clamp(0, 255) as u8);
    }

    fn reserve_exact(&mut self, n: usize) {
        self.spans.reserve_exact(n);
        self.least.reserve_exact(n);
    }

    fn extend(&mut self, other: Arcs) {
        self.spans.extend(other.spans);
        self.least.extend(other.least);
    }

    /// The arcs from `from` to `to`, and their least covers.
    fn range(&self, from: usize, to: usize) -> (&[(f64, f64)], &[u8]) {
        (&self.spans[from..to], &self.least[from..to])
    }
}

/// The most open arcs kept for one person: a million people with dozens each would take
/// gigabytes.
const MOST_ARCS: usize = 8;

/// Joins the arcs from `from` on across their narrowest gaps until at most `most` remain:
/// more directions count as open, so the far search finds a few more candidates to count
/// and misses none.
fn merge_to(arcs: &mut Arcs, from: usize, most: usize) {
    let Arcs { spans, least } = arcs;
    while spans.len() - from > most {
        let k = (from..spans.len() - 1)
            .min_by(|&a, &b| {
                let gap = |k: usize| spans[k + 1].0 - spans[k].1;
                gap(a).total_cmp(&gap(b))
            })
            .unwrap_or(from);
        spans[k].1 = spans[k + 1].1;
        spans.remove(k + 1);
        least[k] = least[k].min(least[k + 1]);
        least.remove(k + 1);
    }
}

/// The coverage of the circle around a person as a sweep passes arcs' ends: where it is
/// below the cap, the directions are open.
struct Sweep {
    cover: i64,
    cap: i64,
    /// Where the current opening started, and its least cover so far.
    from: Option<(f64, i64)>,
}

impl Sweep {
    fn new(everywhere: i64, cap: i64) -> Self {
        Sweep {
            cover: everywhere,
            cap,
            from: (everywhere < cap).then_some((0.0, everywhere)),
        }
    }

    /// An arc starts (`step` 1) or ends (−1) at `angle`; an opening that closes goes to `open`.
    fn step(&mut self, angle: f64, step: i64, open: &mut Arcs) {
        self.cover += step;
        match self.from {
            Some((start, least)) if self.cover >= self.cap => {
                open.push((start, angle), least);
                self.from = None;
            }
            Some((start, least)) => self.from = Some((start, least.min(self.cover))),
            None if self.cover < self.cap => self.from = Some((angle, self.cover)),
            _ => {}
        }
    }

    fn finish(&mut self, open: &mut Arcs) {
        if let Some((start, least)) = self.from.take() {
            open.push((start, FULL_TURN), least);
        }
    }
}

/// A number in `[0, 4)` that rises with the angle of `(x, y)` counter-clockwise from +x, as
/// the angle does over `[0, 2π)`: directions are ordered and compared by it with a division
/// where the angle takes an arctangent. Its rate against the angle lies between ½ and 1 per
/// radian, so a margin of `m` in it is a margin of `m` to `2m` radians.
fn pseudo_angle(x: f64, y: f64) -> f64 {
    let s = x.abs() + y.abs();
    if s == 0.0 {
        return 0.0;
    }
    let t = x / s;
    let p = if y >= 0.0 { 1.0 - t } else { 3.0 + t };
    // just below +x, rounding can give 4: the same direction as 0
    if p >= FULL_TURN { 0.0 } else { p }
}

/// A whole turn in [`pseudo_angle`]'s measure.
const FULL_TURN: f64 = 4.0;

/// Whether the direction from `p` to `q` lies in one of `open`, closed intervals of
/// [`pseudo_angle`] in `[0, 4]` (see [`PhaseIndex::openings`]), with a margin of a millionth
/// (a millionth of a radian or more) either side.
fn towards(open: &[(f64, f64)], p: Point, q: Point) -> bool {
    let angle = pseudo_angle(q.x - p.x, q.y - p.y);
    open.iter().any(|&arc| holds(arc, angle))
}

/// Whether the arc `(a, b)` holds `angle`, with [`towards`]'s margin.
fn holds((a, b): (f64, f64), angle: f64) -> bool {
    const MARGIN: f64 = 1e-6;
    (a - MARGIN..=b + MARGIN).contains(&angle)
        || (a < MARGIN && angle > FULL_TURN - MARGIN + a)
        || (b > FULL_TURN - MARGIN && angle < b + MARGIN - FULL_TURN)
}

/// [`towards`], with the least cover of the arcs that let the direction through (`None`
/// when none does): no fewer people than that stand near `p` across the direction.
fn least_towards(open: &[(f64, f64)], least: &[u8], p: Point, q: Point) -> Option<u8> {
    let angle = pseudo_angle(q.x - p.x, q.y - p.y);
    open.iter()
        .zip(least)
        .filter(|&(&arc, _)| holds(arc, angle))
        .map(|(_, &c)| c)
        .min()
}

/// Whether everyone present stays the whole phase (no arrival or departure given).
fn nobody_comes_or_goes(present: &[(usize, &Placement)]) -> bool {
    present.iter().all(|(_, p)| p.whole_phase())
}

/// Attendee numbers, as an index keeps them (4 bytes a person).
fn attendee_number(i: usize) -> u32 {
    // (the row limit keeps a scene far below 2³² attendees)
    u32::try_from(i).unwrap_or(u32::MAX)
}

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

impl Contact {
    /// Attendees `x` and `y` (either order), `distance_m` apart, with their time together.
    fn of((x, y): (usize, usize), distance_m: f64, cp: &CoPresence) -> Contact {
        Contact {
            a: x.min(y),
            b: x.max(y),
            distance_m,
            co_present: cp.co_present,
            minutes: cp.minutes,
        }
    }
}

/// The people of one phase in a spatial index.
pub struct PhaseIndex<'a> {
    scene: &'a Scene,
    phase: usize,
    /// The attendee each person present is (their placement in the phase is looked up when
    /// needed: a million references took 16 MB).
    who: Vec<u32>,
    points: Vec<Point>,
    /// Whether everyone present is there the whole phase (every pair's time together is
    /// then the phase's, found without looking at their placements).
    all_whole_phase: bool,
    radius_m: f64,
    grid: Option<Grid>,
    bodies: std::sync::OnceLock<Grid>,
    /// The far part of a split search, found once.
    far: std::sync::OnceLock<FarPart>,
    /// For a band search: the people between a pair cap its loss; see [`Split`].
    split: Option<Split>,
    /// Whether the far part searches the cones of the open directions (`None`: when they
    /// are narrow; tests set it to cover both searches).
    cones: Option<bool>,
}

/// A band search in two parts. Within `radius_m` every pair is a candidate. Beyond it, out to
/// `far_m`, a pair reaches the band only with fewer than `cap` people on the line between
/// them (with `cap` or more the bodies' loss is at its cap, and the reach with the cap is
/// `radius_m`): such pairs are sought only among the people who are not enclosed, in every
/// direction, by `cap` people within `radius_m` of them, and counted on the line.
///
/// The openings may be taken farther out, within `outer_m`, where fewer people are open: the
/// pairs beyond `outer_m` are then sought among those open within `outer_m`, and the pairs
/// between the near radius and `outer_m` among those open within the near radius (a pair
/// farther apart than a radius has every person within that radius who blocks its direction
/// on its line).
#[derive(Debug, Clone, Copy)]
struct Split {
    far_m: f64,
    cap: usize,
    outer_m: f64,
}

impl<'a> PhaseIndex<'a> {
    /// Indexes the people present in `phase` for a search within `radius_m` (infinite: all
    /// pairs).
    pub fn new(scene: &'a Scene, phase: usize, radius_m: f64) -> Self {
        Self::of(scene, phase, scene.present_in(phase), radius_m)
    }

    /// [`PhaseIndex::new`] for the people already found present.
    fn of(
        scene: &'a Scene,
        phase: usize,
        present: Vec<(usize, &'a Placement)>,
        radius_m: f64,
    ) -> Self {
        let points: Vec<Point> = present.iter().map(|(_, p)| p.pos).collect();
        let all_whole_phase = nobody_comes_or_goes(&present);
        let who: Vec<u32> = present.iter().map(|&(i, _)| attendee_number(i)).collect();
        drop(present);
        let grid = radius_m
            .is_finite()
            .then(|| Grid::new(&points, radius_m.max(0.05)));
        let bodies = std::sync::OnceLock::new();
        PhaseIndex {
            scene,
            phase,
            who,
            points,
            all_whole_phase,
            radius_m,
            grid,
            bodies,
            far: std::sync::OnceLock::new(),
            split: None,
            cones: None,
        }
    }

    /// Indexes a phase for the pairs that can reach `worst` or better: the radius is the
    /// model's reach for that band (the farthest a pair facing each other with nothing in
    /// between can be and still reach it).
    pub fn for_band(scene: &'a Scene, phase: usize, worst: Band) -> Self {
        let params = &scene.phases[phase].acoustics;
        let walls = SideReflectionBound::of(&scene.venue.outline);
        // a small margin: the reaches are found by bisection
        let margin = |r: f64| r * 1.000_001 + 1e-6;
        let reach = margin(reach_m(params, worst.min(Band::Implausible), walls));
        let (cap, past_cap) = body_cap(params, worst, walls);
        let past_cap = margin(past_cap);
        // the openings are taken as far out as the reach with the cap of people between for
        // any venue of as many walls (further than the near radius in a rectangle): there
        // fewer people are open, and the near radius holds fewer pairs
        let any_walls = SideReflectionBound::Images(scene.venue.outline.len());
        let outer_m = margin(body_cap(params, worst, any_walls).1).max(past_cap);
        // people who come and go open time slices with fewer between: no shortcut then
        let present = scene.present_in(phase);
        if nobody_comes_or_goes(&present) && past_cap < reach {
            let mut index = PhaseIndex::of(scene, phase, present, past_cap);
            let outer_m = if outer_m < reach { outer_m } else { past_cap };
            index.split = Some(Split {
                far_m: reach,
                cap,
                outer_m,
            });
            return index;
        }
        PhaseIndex::of(scene, phase, present, reach)
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
        out.extend(self.far_candidates());
        out
    }

    /// The candidate pairs of [`PhaseIndex::search`] whose first person (in the present list)
    /// is in `people`, in the order the sorted search gives: blocks of people taken in turn
    /// give the whole sorted list without ever holding it.
    pub fn pairs_from(&self, people: std::ops::Range<u32>) -> Vec<(u32, u32)> {
        let n = self.points.len() as u32;
        let r2 = self.radius_m * self.radius_m;
        let far = self.far_part();
        let mut pairs = Vec::new();
        match &self.grid {
            Some(grid) => {
                for i in people {
                    let from = pairs.len();
                    grid.neighbours_after(&self.points, i, r2, |j| pairs.push((i, j)));
                    if let Some(far) = far {
                        far.pairs_after(self, i, |j| pairs.push((i, j)));
                    }
                    pairs[from..].sort_unstable();
                }
            }
            None => pairs.extend(people.flat_map(|i| (i + 1..n).map(move |j| (i, j)))),
        }
        pairs
    }

    /// The far part of a split search, found on first use (`None` without one).
    fn far_part(&self) -> Option<&FarPart> {
        let split = self.split?;
        self.grid.as_ref()?;
        Some(self.far.get_or_init(|| self.find_far_part(split)))
    }

    /// The people with an opening, indexed for the far search.
    fn find_far_part(&self, split: Split) -> FarPart {
        // the bodies' fine grid: a disc around a person touches fewer people in its cells
        let grid = self.body_grid();
        let radius = self.scene.phases[self.phase].acoustics.body_radius_m.value;
        let n = self.points.len() as u32;
        let two = split.outer_m > self.radius_m;
        // blocks of people in parallel, each with its arcs in one buffer
        type Block = (Vec<(u32, u32)>, Arcs, InnerArcs);
        const BLOCK: u32 = 512;
        let block = |b: u32| {
            let (mut people, mut arcs, mut events) = (Vec::new(), Arcs::default(), Vec::new());
            let mut inner = InnerArcs::default();
            for i in b * BLOCK..((b + 1) * BLOCK).min(n) {
                let before = arcs.len();
                self.openings(
                    grid,
                    (i as usize, radius, split.cap),
                    (split.outer_m, two.then_some(self.radius_m)),
                    &mut events,
                    (&mut arcs, &mut inner.arcs),
                );
                if arcs.len() > before {
                    people.push((i, arcs.len() as u32));
                }
                inner.end.push(inner.arcs.len() as u32);
            }
            (people, arcs, inner)
        };
        let mut far = FarPart {
            slot: vec![u32::MAX; n as usize],
            cap: split.cap,
            far_m: split.far_m,
            outer_m: split.outer_m,
            inner: two.then(InnerArcs::default),
            ..FarPart::default()
        };
        // a group of blocks at a time, each group appended before the next is found: the
        // blocks of a million people all held at once would double the arcs' room
        let blocks = n.div_ceil(BLOCK);
        let group = 64;
        for g in (0..blocks).step_by(group) {
            let found: Vec<Block> = (g..(g + group as u32).min(blocks))
                .into_par_iter()
                .map(block)
                .collect();
            if g == 0 {
                // room for everyone's arcs, as many a person as in the first group (and a
                // tenth more), so that the lists are seldom moved as they grow
                let people = found.iter().map(|b| b.2.end.len()).sum::<usize>().max(1);
                let scale = |k: usize| k * n as usize / people + k / 10 + 16;
                let total = |f: &dyn Fn(&Block) -> usize| scale(found.iter().map(f).sum());
                far.open.reserve_exact(total(&|b| b.0.len()));
                far.arcs.reserve_exact(total(&|b| b.1.len()));
                if let Some(all) = &mut far.inner {
                    all.end.reserve_exact(n as usize);
                    all.arcs.reserve_exact(total(&|b| b.2.arcs.len()));
                }
            }
            for (people, arcs, inner) in found {
                let base = far.arcs.len() as u32;
                far.open
                    .extend(people.into_iter().map(|(i, end)| (i, base + end)));
                far.arcs.extend(arcs);
                if let Some(all) = &mut far.inner {
                    let base = all.arcs.len() as u32;
                    all.end.extend(inner.end.iter().map(|e| base + e));
                    all.arcs.extend(inner.arcs);
                }
            }
        }
        for (k, (i, _)) in far.open.iter().enumerate() {
            far.slot[*i as usize] = k as u32;
        }
        let open: Vec<u32> = far.open.iter().map(|(i, _)| *i).collect();
        // narrow openings (on average less than a quarter turn) are searched in their cones,
        // over cells of half the openings' radius (a narrow cone out to `far_m` crosses few);
        // wide ones in the disc of `far_m`, over cells that size
        let width: f64 = far.arcs.spans.iter().map(|(a, b)| b - a).sum();
        far.cones = self
            .cones
            .unwrap_or(width < far.open.len() as f64 * FULL_TURN / 4.0);
        let cell = if far.cones {
            (split.outer_m / 2.0).max(0.5)
        } else {
            split.far_m
        };
        far.grid = split
            .far_m
            .is_finite()
            .then(|| Grid::of_subset(&self.points, &open, cell));
        far
    }

    /// The pairs beyond the near radius, out to `far_m`, between people who each have an
    /// opening towards the other: a direction in which fewer than the cap of people stand
    /// within the near radius (see [`Split`]).
    fn far_candidates(&self) -> Vec<(u32, u32)> {
        let Some(far) = self.far_part() else {
            return vec![];
        };
        let pairs_of = |i: u32| {
            let mut v = Vec::new();
            far.pairs_after(self, i, |j| v.push((i, j)));
            v
        };
        match far.inner {
            // everyone may have pairs within `outer_m`
            Some(_) => (0..self.points.len() as u32)
                .into_par_iter()
                .flat_map_iter(pairs_of)
                .collect(),
            None => far
                .open
                .par_iter()
                .flat_map_iter(|&(i, _)| pairs_of(i))
                .collect(),
        }
    }

    /// The directions in which a line from person `i` longer than `within` passes fewer than
    /// `cap` people within that distance: the angles each body blocks (those from which the
    /// line passes closer than `radius` to it), counted around the circle. With `inner`, the
    /// same for the people within that distance, in the same sweep.
    /// Conservative: a body blocks slightly less than it does, and an opening is kept with its
    /// ends. Angles are [`pseudo_angle`]s.
    /// The open arcs are appended to `open.0` (and `open.1`); `events` is a reused buffer.
    fn openings(
        &self,
        grid: &Grid,
        (i, radius, cap): (usize, f64, usize),
        (within, inner): (f64, Option<f64>),
        events: &mut Vec<u64>,
        open: (&mut Arcs, &mut Arcs),
    ) {
        let p = self.points[i];
        let inner_m = inner.unwrap_or(-1.0);
        // `everywhere`: bodies on every line (all of them, and those within `inner`);
        // `events`: where arcs start (+1) and end (−1), each the bits of its angle with the
        // second lowest set for a start and the lowest for a body within `inner` (a change of
        // a few units in the last place, far below the margins), so that sorting them as
        // integers orders them by angle with ends first; arcs across angle 0 count from the
        // start and have no event there
        let event = |angle: f64, start: bool, near: bool| {
            (angle.to_bits() & !3) | (u64::from(start) << 1) | u64::from(near)
        };
        let mut everywhere = [0i64; 2];
        events.clear();
        grid.near(p, within, |k| {
            let k = k as usize;
            let o = self.points[k];
            // a square root rather than `hypot`: the arcs below carry a margin far above its
            // rounding
            let (dx, dy) = (o.x - p.x, o.y - p.y);
            let dist2 = dx * dx + dy * dy;
            if k == i || dist2 > within * within {
                return;
            }
            let dist = dist2.sqrt();
            if dist <= 1e-9 || dist > within {
                return;
            }
            let near = dist <= inner_m;
            if dist < radius * (1.0 - 1e-9) {
                // closer than a body's radius: on every line from p
                everywhere[0] += 1;
                everywhere[1] += i64::from(near);
                return;
            }
            // the arc's ends: the direction to the body turned either way by the angle whose
            // sine is radius / dist, a little less (the ends are exact to rounding)
            let sin = (radius / dist).min(1.0) * (1.0 - 1e-9);
            let cos = (1.0 - sin * sin).sqrt();
            let a = pseudo_angle(dx * cos + dy * sin, dy * cos - dx * sin);
            let b = pseudo_angle(dx * cos - dy * sin, dy * cos + dx * sin);
            // an arc is less than half a turn: ends out of order cross angle 0
            if a > b {
                everywhere[0] += 1;
                everywhere[1] += i64::from(near);
            }
            events.push(event(a, true, near));
            events.push(event(b, false, near));
        });
        // the coverage around the circle; where one arc ends as another starts, the line
        // between them is open (ends first)
        events.sort_unstable();
        let cap = cap as i64;
        let mut sweep = [
            Sweep::new(everywhere[0], cap),
            Sweep::new(everywhere[1], cap),
        ];
        let (all, near) = open;
        let from = (all.len(), near.len());
        for &e in events.iter() {
            let (angle, step) = (f64::from_bits(e & !3), if e & 2 == 2 { 1 } else { -1 });
            sweep[0].step(angle, step, all);
            if inner.is_some() && e & 1 == 1 {
                sweep[1].step(angle, step, near);
            }
        }
        sweep[0].finish(all);
        merge_to(all, from.0, MOST_ARCS);
        if inner.is_some() {
            sweep[1].finish(near);
            merge_to(near, from.1, MOST_ARCS);
        }
    }

    /// The model on each candidate: the pairs whose band is `worst` or better.
    pub fn assess(&self, candidates: &[(u32, u32)], worst: Band) -> Vec<PairBand> {
        self.assessor(worst).assess(candidates)
    }

    /// The model for a band search, set up once for any number of batches of candidates.
    pub fn assessor(&self, worst: Band) -> Assessor<'_, 'a> {
        let params = &self.scene.phases[self.phase].acoustics;
        // beyond the near radius a pair reaches the band only with fewer people between them
        // than it takes to reach the bodies' cap: count them and stop at the cap
        let (cap_count, past_cap) = match self.split {
            Some(s) => (s.cap, self.radius_m),
            None => (usize::MAX, f64::INFINITY),
        };
        let walls = SideReflectionBound::of(&self.scene.venue.outline);
        // when nobody comes or goes, only the number of people between matters, and only up
        // to the number that reaches the bodies' cap: stop counting there
        let all_steady = self.all_whole_phase;
        Assessor {
            index: self,
            worst,
            bodies: self.body_grid(),
            cap_count,
            past_cap,
            bound: ReachBound::cached(params, worst, cap_count.min(8), walls),
            // bands by comparison with the phase's thresholds where the room allows it
            table: BandTable::cached(params),
            enough: if all_steady {
                body_cap(params, worst, walls).0
            } else {
                usize::MAX
            },
        }
    }

    /// The people in a grid of 1 m cells, for finding those on a line.
    fn body_grid(&self) -> &Grid {
        self.bodies.get_or_init(|| Grid::new(&self.points, 1.0))
    }

    /// Whether at least `n` people stand on the line between present people `i` and `j`.
    fn at_least_bodies(
        &self,
        bodies: &Grid,
        (i, j): (usize, usize),
        radius: f64,
        n: usize,
    ) -> bool {
        let (p, q) = (self.points[i], self.points[j]);
        let mut found = 0;
        let probe = LineProbe::new(p, q, radius);
        bodies.along_until(p, q, radius, |k| {
            let k = k as usize;
            if k != i && k != j && probe.hits(self.points[k]) {
                found += 1;
            }
            found >= n
        })
    }

    /// Distance and co-presence of each candidate (for contact tracing: no acoustics).
    pub fn contacts(&self, candidates: &[(u32, u32)]) -> Vec<Contact> {
        candidates
            .par_chunks(1 << 14)
            .flat_map_iter(|c| self.contacts_in_turn(c))
            .collect()
    }

    /// [`PhaseIndex::contacts`] on this thread alone.
    pub fn contacts_in_turn(&self, candidates: &[(u32, u32)]) -> Vec<Contact> {
        let ph = &self.scene.phases[self.phase];
        // with everyone there all the phase, every pair's time together is the phase's: the
        // placements (128 bytes a person, in any order) are not looked at
        let whole = self
            .all_whole_phase
            .then(|| self.placement(0))
            .flatten()
            .map(|p| co_presence(ph, p, p));
        if let Some(cp) = whole {
            // the second people are anywhere in the list (in a file sorted by name, say): their
            // numbers and positions read in one tight loop, many reads under way at once, then
            // the distances (a call each) from what was read
            let seconds: Vec<(u32, Point)> = candidates
                .iter()
                .map(|&(_, j)| (self.who[j as usize], self.points[j as usize]))
                .collect();
            return candidates
                .iter()
                .zip(seconds)
                .map(|(&(i, _), (y, q))| {
                    let d = self.points[i as usize].distance(q);
                    Contact::of((self.who(i as usize), y as usize), d, &cp)
                })
                .collect();
        }
        candidates
            .iter()
            .filter_map(|&(i, j)| {
                let (i, j) = (i as usize, j as usize);
                // (everyone indexed has a placement in the phase)
                let cp = co_presence(ph, self.placement(i)?, self.placement(j)?);
                let d = self.points[i].distance(self.points[j]);
                Some(Contact::of((self.who(i), self.who(j)), d, &cp))
            })
            .collect()
    }

    /// The attendee that present person `k` is.
    fn who(&self, k: usize) -> usize {
        self.who[k] as usize
    }

    /// Present person `k`'s placement in the phase.
    fn placement(&self, k: usize) -> Option<&'a Placement> {
        let scene: &'a Scene = self.scene;
        scene.attendees[self.who(k)].placement_in(self.phase)
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The pseudo-angle orders directions as the angle does, and moves by ½ to 1 of a
        /// radian's change (the margins of the openings rely on both).
        #[test]
        fn pseudo_angle_follows_the_angle(
            a in 0.0..std::f64::consts::TAU,
            b in 0.0..std::f64::consts::TAU,
            len in 1e-3..1e3f64,
        ) {
            // the length does not matter
            let pa = pseudo_angle(len * a.cos(), len * a.sin());
            prop_assert!((0.0..FULL_TURN).contains(&pa));
            prop_assert!((pa - pseudo_angle(a.cos(), a.sin())).abs() < 1e-12);
            if (a - b).abs() > 1e-9 {
                let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                let (plo, phi) = (
                    pseudo_angle(lo.cos(), lo.sin()),
                    pseudo_angle(hi.cos(), hi.sin()),
                );
                prop_assert!(plo < phi, "{lo} {hi}: {plo} {phi}");
                let rate = (phi - plo) / (hi - lo);
                prop_assert!((0.5 - 1e-6..=1.0 + 1e-6).contains(&rate), "rate {rate}");
            }
        }
    }

    /// A jittered grid of people in rows 0.8 m apart with aisles (a bare CSV's stadium), in a
    /// quiet rectangular room of its own size.
    fn rows_of_people(seed: u64, cols: usize, rows: usize) -> Scene {
        use crate::scene::Attendee;
        let mut rng = crate::data::generate::Rng::new(seed);
        let mut people = Vec::new();
        for r in 0..rows {
            for c in 0..cols {
                // an aisle every tenth seat, and some seats empty: lines along them pass few
                if c % 10 == 9 || rng.unit() < 0.1 {
                    continue;
                }
                let pos = Point::new(
                    2.0 + c as f64 * 0.5 + rng.range(-0.02, 0.02),
                    2.0 + r as f64 * 0.8 + rng.range(-0.02, 0.02),
                );
                let name = format!("P{}", people.len());
                people.push(Attendee::new(&name, Placement::at(pos, None)));
            }
        }
        let (w, h) = (4.0 + cols as f64 * 0.5, 4.0 + rows as f64 * 0.8);
        in_a_quiet_hall("rows", people, w, h)
    }

    /// `n` people anywhere in a quiet hall of 70 m by 60 m: few between any two.
    fn scattered(seed: u64, n: usize) -> Scene {
        use crate::scene::Attendee;
        let mut rng = crate::data::generate::Rng::new(seed);
        let people = (0..n)
            .map(|k| {
                let pos = Point::new(rng.range(0.0, 70.0), rng.range(0.0, 60.0));
                Attendee::new(&format!("S{k}"), Placement::at(pos, None))
            })
            .collect();
        in_a_quiet_hall("scattered", people, 70.0, 60.0)
    }

    /// Contacts carry each pair's distance and time together as `co_presence` finds them,
    /// whether everyone is there the whole phase (found once) or some come and go, in a timed
    /// phase and an untimed one.
    #[test]
    fn contacts_carry_distance_and_time_together() {
        use crate::scene::{Attendee, Placement};
        for (timed, windows) in [(false, false), (true, false), (true, true), (false, true)] {
            let people: Vec<Attendee> = (0..40)
                .map(|k| {
                    let mut p = Placement::at(
                        Point::new(f64::from(k % 8) * 0.7, f64::from(k / 8) * 0.9),
                        None,
                    );
                    if windows && k % 3 == 0 {
                        p.set_window(Some(600.0 + f64::from(k)), Some(700.0 - f64::from(k)));
                    }
                    Attendee::new(&format!("P{k}"), p)
                })
                .collect();
            let mut scene = in_a_quiet_hall("contacts", people, 20.0, 20.0);
            if timed {
                scene.phases[0].from_min = Some(610.0);
                scene.phases[0].to_min = Some(690.0);
            }
            let index = PhaseIndex::new(&scene, 0, 2.0);
            let pairs = index.search();
            assert!(pairs.len() > 50, "{}", pairs.len());
            let contacts = index.contacts_in_turn(&pairs);
            for (c, &(i, j)) in contacts.iter().zip(&pairs) {
                let (pa, pb) = (
                    index.placement(i as usize).unwrap_or_else(|| panic!("{i}")),
                    index.placement(j as usize).unwrap_or_else(|| panic!("{j}")),
                );
                let cp = co_presence(&scene.phases[0], pa, pb);
                assert_eq!(c.distance_m, pa.pos.distance(pb.pos));
                assert_eq!(
                    (c.co_present, c.minutes),
                    (cp.co_present, cp.minutes),
                    "{i} {j}"
                );
            }
        }
    }

    fn in_a_quiet_hall(title: &str, people: Vec<crate::scene::Attendee>, w: f64, h: f64) -> Scene {
        use crate::scene::{Acoustics, Mobility, Phase, Venue};
        let venue = Venue::rectangle((0.0, 0.0), (w, h), 3.0);
        // a hall's volume: a weak reverberant field, so that bodies decide the reach
        let mut acoustics = Acoustics::defaults(20_000.0);
        acoustics.noise_dba.value = 45.0;
        let phase = Phase::untimed("p", Mobility::Seated, acoustics);
        Scene::from_parts(title, venue, vec![], vec![phase], people)
    }

    /// In a rectangle the near radius is shorter than where the openings are taken, and the
    /// search has all three parts: every pair within the near radius, and beyond it (both
    /// between the near radius and `outer_m`, and beyond `outer_m`, out to the reach and in
    /// every direction) every pair with fewer than the cap of people on its line is a
    /// candidate.
    #[test]
    fn every_pair_with_few_people_between_is_a_candidate() {
        let scenes = (1..4).map(|seed| rows_of_people(seed, 40, 30));
        for scene in scenes.chain((1..4).map(|seed| scattered(seed, 300))) {
            let index = PhaseIndex::for_band(&scene, 0, Band::Raised);
            let split = index.split.unwrap_or_else(|| panic!("a split search"));
            assert!(
                split.outer_m > index.radius_m + 0.1,
                "{split:?}, {}",
                index.radius_m
            );
            let radius = scene.phases[0].acoustics.body_radius_m.value;
            let found: std::collections::HashSet<(u32, u32)> = index.search().into_iter().collect();
            // the far part searched the other way finds the same
            let mut other = PhaseIndex::for_band(&scene, 0, Band::Raised);
            other.cones = index.far.get().map(|f| !f.cones);
            let mut again = other.search();
            again.sort_unstable();
            let mut first: Vec<(u32, u32)> = found.iter().copied().collect();
            first.sort_unstable();
            assert_eq!(first, again, "{}: cones and discs differ", scene.title);
            let pts = &index.points;
            let mut parts = [0usize; 3];
            for i in 0..pts.len() {
                for j in i + 1..pts.len() {
                    let d = pts[i].distance(pts[j]);
                    let part = if d <= index.radius_m {
                        0
                    } else if d <= split.outer_m {
                        1
                    } else if d <= split.far_m {
                        2
                    } else {
                        continue;
                    };
                    let probe = LineProbe::new(pts[i], pts[j], radius);
                    let between = (0..pts.len())
                        .filter(|&k| k != i && k != j && probe.hits(pts[k]))
                        .take(split.cap)
                        .count();
                    if part == 0 || between < split.cap {
                        let pair = (i as u32, j as u32);
                        assert!(found.contains(&pair), "{pair:?} {d} m, {between} between");
                        parts[part] += 1;
                    }
                }
            }
            assert!(
                parts.iter().all(|&n| n > 0),
                "every part has pairs: {parts:?}"
            );
            if scene.title == "scattered" {
                // out to the reach
                let farthest = found
                    .iter()
                    .map(|&(i, j)| pts[i as usize].distance(pts[j as usize]))
                    .fold(0.0, f64::max);
                assert!(
                    farthest > 0.95 * split.far_m,
                    "{farthest} of {}",
                    split.far_m
                );
            }
        }
    }

    /// Arcs are joined across their narrowest gaps, and every direction open before stays
    /// open.
    #[test]
    fn arcs_join_across_their_narrowest_gaps() {
        let mut arcs = Arcs::default();
        for (span, least) in [
            ((9.0, 9.0), 0),
            ((0.1, 0.2), 4),
            ((0.25, 0.3), 2),
            ((1.0, 1.5), 3),
            ((1.55, 2.0), 4),
            ((3.0, 3.9), 1),
        ] {
            arcs.push(span, least);
        }
        merge_to(&mut arcs, 1, 3);
        assert_eq!(
            arcs.spans,
            vec![(9.0, 9.0), (0.1, 0.3), (1.0, 2.0), (3.0, 3.9)]
        );
        // the least cover of joined arcs is the lesser
        assert_eq!(arcs.least, vec![0, 2, 3, 1]);
        merge_to(&mut arcs, 1, 3);
        assert_eq!(arcs.len(), 4, "already few enough");
        merge_to(&mut arcs, 1, 1);
        assert_eq!(arcs.spans, vec![(9.0, 9.0), (0.1, 3.9)]);
        assert_eq!(arcs.least, vec![0, 1]);
    }

    proptest! {
        /// Every point within reach in a direction [`towards`] lets through lies in one of
        /// the cones' triangles.
        #[test]
        fn the_cones_hold_every_point_towards_an_arc(
            from in 0.0..4.0f64, width in 0.0..4.0f64, far in 0.5..50.0f64,
            at in 0.0..1.0f64, along in 0.0..1.0f64, end in 0u8..3, past in 0.0..1.0f64,
        ) {
            let to = (from + width).min(FULL_TURN);
            let p = Point::new(3.0, -2.0);
            // a point at a fraction of the reach in a direction in the arc, or just beyond
            // either end, within the margin towards() allows
            let angle = match end {
                0 => from + along * (to - from),
                1 => from - past * 1e-6,
                _ => to + past * 1e-6,
            };
            let dir = direction(angle).unit();
            let q = p + dir.scale(far * at);
            prop_assume!(towards(&[(from, to)], p, q) && q.distance(p) <= far);
            let mut inside = false;
            each_cone(p, (from, to), far, |[a, b, c]| {
                let side = |u: Point, v: Point| {
                    (v.x - u.x) * (q.y - u.y) - (v.y - u.y) * (q.x - u.x)
                };
                let s = [side(a, b), side(b, c), side(c, a)];
                let tol = 1e-9 * far * far;
                inside |= s.iter().all(|&v| v >= -tol) || s.iter().all(|&v| v <= tol);
            });
            prop_assert!(inside, "{:?} not in the cones of {}..{} to {} m", q, from, to, far);
        }

        /// [`direction`] is the inverse of [`pseudo_angle`].
        #[test]
        fn direction_inverts_the_pseudo_angle(p in 0.0..4.0f64) {
            let d = direction(p);
            prop_assert!((pseudo_angle(d.x, d.y) - p).abs() < 1e-12 || p > 4.0 - 1e-12);
        }
    }

    #[test]
    fn pseudo_angle_at_the_axes() {
        assert_eq!(pseudo_angle(1.0, 0.0), 0.0);
        assert_eq!(pseudo_angle(0.0, 1.0), 1.0);
        assert_eq!(pseudo_angle(-1.0, 0.0), 2.0);
        assert_eq!(pseudo_angle(0.0, -1.0), 3.0);
        // just below +x it is near the full turn, never at it
        assert!(pseudo_angle(1.0, -1e-300) < FULL_TURN);
        assert_eq!(pseudo_angle(0.0, 0.0), 0.0);
    }
}
