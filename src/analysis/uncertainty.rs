//! Verdicts under uncertainty: where people probably sat, how loud the room about was.
//!
//! The uncertain inputs of a pair in a phase are the two people's positions (a set of seats,
//! or a point with a spread), their facings (a range), their attendance (a probability) and
//! the phase's parameters given as ranges. When every input has a few alternatives the cases
//! are enumerated exactly; otherwise they are sampled by Latin hypercube with a seed, so the
//! same seed gives the same answer byte for byte. Other people's uncertainty (someone who may
//! stand between the pair) is not drawn: they stay at their most central position.

use super::pair::{co_presence, geometry_between};
use super::plausibility::{Band, band_over_time_with};
use crate::physics::geometry::Point;
use crate::scene::{Acoustics, Placement, Scene, Spread};
use serde::Serialize;
use std::collections::BTreeMap;

/// How many cases are enumerated rather than sampled, at most.
pub const MAX_ENUMERATED: usize = 10_000;
/// Draws when sampling, unless asked otherwise.
pub const DEFAULT_SAMPLES: usize = 2_000;
/// Seed when sampling, unless asked otherwise.
pub const DEFAULT_SEED: u64 = 1;
/// The key of the outcome "one of them was not there at all".
pub const ABSENT: &str = "absent";

/// How to treat uncertainty.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Draws when the cases are too many to enumerate.
    pub samples: usize,
    /// Seed of the draws.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            samples: DEFAULT_SAMPLES,
            seed: DEFAULT_SEED,
        }
    }
}

/// One uncertain input of a pair's verdict.
#[derive(Debug, Clone)]
pub struct Input {
    /// What a reader calls it: "Jeff Sessions's seat (11 candidates)".
    pub label: String,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    /// Person `who` (0: a, 1: b) in one of these seats.
    Seats { who: usize, seats: Vec<usize> },
    /// Person `who` around the nominal point, normal with this deviation per axis.
    Normal { who: usize, sd_m: f64 },
    /// Person `who` facing somewhere in `[from, to]`, degrees counter-clockwise.
    Facing { who: usize, range: [f64; 2] },
    /// One of them there at all with this probability.
    Presence { p: f64 },
    /// A phase parameter somewhere in `range`.
    Param { name: &'static str, range: [f64; 2] },
}

/// A value of one input in one case.
#[derive(Debug, Clone, Copy)]
enum Value {
    Seat(usize),
    Offset(f64, f64),
    Angle(f64),
    Present(bool),
    Number(f64),
}

/// What the uncertainty does to a verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Uncertainty {
    /// Probability of each band over the uncertain inputs, keyed by band (and `absent` when
    /// one of them may not have been there at all).
    pub band_probabilities: BTreeMap<&'static str, f64>,
    /// The best band in any case where both were there.
    pub best: Option<Band>,
    /// The worst band in any case where both were there.
    pub worst: Option<Band>,
    /// Each uncertain input, the one that moves the verdict most first.
    pub sensitivity: Vec<Sensitivity>,
    /// Cases enumerated, or draws sampled.
    pub samples: usize,
    /// The seed of the draws (`None` when the cases were enumerated).
    pub seed: Option<u64>,
    /// `enumerated` (exact) or `latin hypercube` (sampled).
    pub method: &'static str,
}

/// How much one input moves the verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The input, as a reader calls it.
    pub input: String,
    /// The bands seen when only this input varies, the others at their middle values (one
    /// at a time), best first.
    pub bands_alone: Vec<&'static str>,
    /// Share of the spread of bands over all cases that this input explains alone (a
    /// first-order sensitivity index, 0–1; 0 when the band never changes).
    pub share: f64,
}

impl Sensitivity {
    /// Whether varying this input alone changes the band.
    pub fn moves(&self) -> bool {
        self.bands_alone.len() > 1
    }
}

impl Uncertainty {
    /// Whether any input was uncertain.
    pub fn is_uncertain(&self) -> bool {
        !self.sensitivity.is_empty()
    }

    /// How the cases were found: "11 cases, enumerated" or "2000 Latin-hypercube draws, seed 1".
    pub fn method_text(&self) -> String {
        match self.seed {
            None => format!("{} cases, enumerated", self.samples),
            Some(seed) => format!("{} Latin-hypercube draws, seed {seed}", self.samples),
        }
    }

    /// The probability of `band`.
    pub fn probability(&self, band: Band) -> f64 {
        self.band_probabilities
            .get(band.key())
            .copied()
            .unwrap_or(0.0)
    }
}

/// The uncertain inputs of attendees `a` and `b` in phase `phase`.
pub fn inputs(scene: &Scene, phase: usize, a: usize, b: usize) -> Vec<Input> {
    let mut out = Vec::new();
    for (who, &i) in [a, b].iter().enumerate() {
        let person = &scene.attendees[i];
        let name = person.display_name();
        if let Some(p) = person.presence_probability() {
            out.push(Input {
                label: format!("whether {name} was there ({:.0} %)", 100.0 * p),
                kind: Kind::Presence { p },
            });
        }
        let Some(pl) = person.placement_in(phase) else {
            continue;
        };
        match pl.spread.as_deref() {
            Some(Spread::Seats(seats)) if seats.len() > 1 => out.push(Input {
                label: format!("{name}'s seat ({} candidates)", seats.len()),
                kind: Kind::Seats {
                    who,
                    seats: seats.clone(),
                },
            }),
            Some(Spread::Normal { sd_m }) => out.push(Input {
                label: format!("{name}'s position (± {sd_m:.2} m)"),
                kind: Kind::Normal { who, sd_m: *sd_m },
            }),
            _ => {}
        }
        if let Some(&range) = pl.facing_range_deg.as_deref() {
            out.push(Input {
                label: format!(
                    "{name}'s facing ({:.0}°–{:.0}°)",
                    range[0].rem_euclid(360.0),
                    range[1].rem_euclid(360.0)
                ),
                kind: Kind::Facing { who, range },
            });
        }
    }
    let params = &scene.phases[phase].acoustics;
    for (name, p) in params.named() {
        if let Some(range) = p.range {
            out.push(Input {
                label: param_label(name, range),
                kind: Kind::Param { name, range },
            });
        }
    }
    out
}

fn param_label(name: &str, [lo, hi]: [f64; 2]) -> String {
    match name {
        "noise_dba" => format!("the noise level ({lo:.0}–{hi:.0} dB(A))"),
        "rt60_s" => format!("the reverberation time ({lo}–{hi} s)"),
        _ => format!("{name} ({lo}–{hi})"),
    }
}

/// The verdict's band over the uncertain inputs of `a` and `b` in `phase`.
pub fn analyse(scene: &Scene, phase: usize, a: usize, b: usize, opts: Options) -> Uncertainty {
    let inputs = inputs(scene, phase, a, b);
    let ctx = Context::new(scene, phase, a, b);
    let nominal: Vec<Value> = inputs.iter().map(|i| ctx.nominal(i)).collect();
    let (cases, method, seed) = match enumerate(&inputs) {
        Some(cases) => (cases, "enumerated", None),
        None => (
            sample(&inputs, opts.samples.max(1), opts.seed),
            "latin hypercube",
            Some(opts.seed),
        ),
    };
    let outcomes: Vec<Option<Band>> = cases.iter().map(|(v, _)| ctx.outcome(&inputs, v)).collect();
    let total: f64 = cases.iter().map(|(_, w)| w).sum();
    let mut band_probabilities: BTreeMap<&'static str, f64> = BTreeMap::new();
    for (o, (_, w)) in outcomes.iter().zip(&cases) {
        *band_probabilities.entry(key(*o)).or_default() += w;
    }
    for p in band_probabilities.values_mut() {
        *p /= total;
    }
    let mut seen: Vec<Band> = outcomes.iter().flatten().copied().collect();
    seen.extend(ctx.extremes(&inputs, &nominal).into_iter().flatten());
    let sensitivity = sensitivity(&ctx, &inputs, &nominal, &cases, &outcomes);
    Uncertainty {
        band_probabilities,
        best: seen.iter().min().copied(),
        worst: seen.iter().max().copied(),
        sensitivity,
        samples: cases.len(),
        seed,
        method,
    }
}

fn key(o: Option<Band>) -> &'static str {
    o.map_or(ABSENT, Band::key)
}

/// Ordinal of an outcome, for the spread: the bands in order, absence last.
fn rank(o: Option<Band>) -> f64 {
    o.map_or(Band::ALL.len() as f64, |b| b as usize as f64)
}

/// What stays fixed while the inputs vary.
struct Context<'a> {
    scene: &'a Scene,
    phase: usize,
    placements: [Placement; 2],
    others: Vec<(usize, Point)>,
    params: Acoustics,
}

impl<'a> Context<'a> {
    fn new(scene: &'a Scene, phase: usize, a: usize, b: usize) -> Self {
        let place = |i: usize| {
            scene.attendees[i]
                .placement_in(phase)
                .cloned()
                .unwrap_or_else(|| Placement::at(Point::new(f64::NAN, f64::NAN), None))
        };
        let present = [a, b].map(|i| scene.attendees[i].placement_in(phase).is_some());
        let others = scene
            .present_in(phase)
            .into_iter()
            .filter(|(i, _)| *i != a && *i != b)
            .map(|(i, p)| (i, p.pos))
            .collect();
        let mut placements = [place(a), place(b)];
        for (p, here) in placements.iter_mut().zip(present) {
            if !here {
                p.line = u64::MAX; // marks "not placed in this phase"
            }
        }
        Context {
            scene,
            phase,
            placements,
            others,
            params: scene.phases[phase].acoustics,
        }
    }

    fn nominal(&self, input: &Input) -> Value {
        match &input.kind {
            Kind::Seats { who, seats } => {
                Value::Seat(self.placements[*who].seat_index().unwrap_or(seats[0]))
            }
            Kind::Normal { .. } => Value::Offset(0.0, 0.0),
            Kind::Facing { range, .. } => Value::Angle((range[0] + range[1]) / 2.0),
            Kind::Presence { .. } => Value::Present(true),
            Kind::Param { range, .. } => Value::Number((range[0] + range[1]) / 2.0),
        }
    }

    /// The band in one case; `None` when one of them was not there at all.
    fn outcome(&self, inputs: &[Input], values: &[Value]) -> Option<Band> {
        let mut pl = self.placements.clone();
        let mut params = self.params;
        for (input, value) in inputs.iter().zip(values) {
            match (&input.kind, *value) {
                (Kind::Seats { who, .. }, Value::Seat(s)) => {
                    let seat = &self.scene.seats[s];
                    let p = &mut pl[*who];
                    if p.seat_index()
                        .is_some_and(|n| p.facing_deg == Some(self.scene.seats[n].facing_deg))
                    {
                        p.facing_deg = Some(seat.facing_deg);
                    }
                    p.pos = seat.pos;
                    p.seat = Some(s as u32);
                }
                (Kind::Normal { who, .. }, Value::Offset(dx, dy)) => {
                    let p = &mut pl[*who];
                    p.pos = Point::new(p.pos.x + dx, p.pos.y + dy);
                }
                (Kind::Facing { who, .. }, Value::Angle(f)) => {
                    pl[*who].facing_deg = Some(f.rem_euclid(360.0));
                }
                (Kind::Presence { .. }, Value::Present(false)) => return None,
                (Kind::Param { name, .. }, Value::Number(v)) => {
                    if let Some(p) = params.param_mut(name) {
                        p.value = v;
                    }
                }
                _ => {}
            }
        }
        if pl.iter().any(|p| p.line == u64::MAX) {
            return Some(Band::NeverCoPresent);
        }
        let ph = &self.scene.phases[self.phase];
        let cp = co_presence(ph, &pl[0], &pl[1]);
        if !cp.co_present {
            return Some(Band::NeverCoPresent);
        }
        let radius = params.body_radius_m.value;
        let geo = geometry_between(self.scene, &pl[0], &pl[1], &self.others, radius);
        Some(band_over_time_with(self.scene, self.phase, &geo, &cp, &params).0)
    }

    /// The bands at the corners: every seat with every range at its ends (other inputs at
    /// their middle), when there are not too many; so that the best and worst case do not
    /// depend on the luck of the draw where the model is monotone.
    fn extremes(&self, inputs: &[Input], nominal: &[Value]) -> Vec<Option<Band>> {
        let choices: Vec<Vec<Value>> = inputs
            .iter()
            .zip(nominal)
            .map(|(i, n)| match &i.kind {
                Kind::Seats { seats, .. } => seats.iter().map(|&s| Value::Seat(s)).collect(),
                Kind::Facing { range, .. } => vec![Value::Angle(range[0]), Value::Angle(range[1])],
                Kind::Param { range, .. } => {
                    vec![Value::Number(range[0]), Value::Number(range[1])]
                }
                Kind::Normal { .. } | Kind::Presence { .. } => vec![*n],
            })
            .collect();
        let count = choices
            .iter()
            .map(Vec::len)
            .try_fold(1usize, usize::checked_mul);
        if count.is_none_or(|c| c > 4096) {
            return Vec::new();
        }
        let weighted: Vec<Vec<(Value, f64)>> = choices
            .into_iter()
            .map(|c| c.into_iter().map(|v| (v, 1.0)).collect())
            .collect();
        product(&weighted)
            .iter()
            .map(|(v, _)| self.outcome(inputs, v))
            .collect()
    }

    /// Each input's values one at a time, the others at their middle.
    fn sweep(&self, input: &Input) -> Vec<Value> {
        let steps = |[lo, hi]: [f64; 2]| (0..5).map(move |k| lo + (hi - lo) * k as f64 / 4.0);
        match &input.kind {
            Kind::Seats { seats, .. } => seats.iter().map(|&s| Value::Seat(s)).collect(),
            Kind::Normal { sd_m, .. } => {
                [(-2.0, 0.0), (2.0, 0.0), (0.0, -2.0), (0.0, 2.0), (0.0, 0.0)]
                    .iter()
                    .map(|(x, y)| Value::Offset(x * sd_m, y * sd_m))
                    .collect()
            }
            Kind::Facing { range, .. } => steps(*range).map(Value::Angle).collect(),
            Kind::Presence { .. } => vec![Value::Present(true), Value::Present(false)],
            Kind::Param { range, .. } => steps(*range).map(Value::Number).collect(),
        }
    }
}

/// The full factorial of the choices, each case with the product of its choices' weights.
fn product(choices: &[Vec<(Value, f64)>]) -> Vec<(Vec<Value>, f64)> {
    let mut out: Vec<(Vec<Value>, f64)> = vec![(Vec::new(), 1.0)];
    for c in choices {
        out = out
            .into_iter()
            .flat_map(|(prefix, w)| {
                c.iter().map(move |(v, cw)| {
                    let mut p = prefix.clone();
                    p.push(*v);
                    (p, w * cw)
                })
            })
            .collect();
    }
    out
}

/// Every case with its weight, when all inputs have a few alternatives.
fn enumerate(inputs: &[Input]) -> Option<Vec<(Vec<Value>, f64)>> {
    let mut choices: Vec<Vec<(Value, f64)>> = Vec::new();
    for i in inputs {
        choices.push(match &i.kind {
            Kind::Seats { seats, .. } => {
                let w = 1.0 / seats.len() as f64;
                seats.iter().map(|&s| (Value::Seat(s), w)).collect()
            }
            Kind::Presence { p, .. } => {
                vec![(Value::Present(true), *p), (Value::Present(false), 1.0 - p)]
            }
            _ => return None,
        });
    }
    let count = choices
        .iter()
        .map(Vec::len)
        .try_fold(1usize, usize::checked_mul)?;
    if count > MAX_ENUMERATED {
        return None;
    }
    Some(product(&choices))
}

/// SplitMix64: a small, fast, well-mixed generator; the sequence depends only on the seed.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in (0, 1).
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    /// A random permutation of 0..n (Fisher–Yates).
    fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (self.next_u64() % (i as u64 + 1)) as usize;
            p.swap(i, j);
        }
        p
    }
}

/// `n` Latin-hypercube draws: each input's range cut into `n` equal strata, one draw in each.
fn sample(inputs: &[Input], n: usize, seed: u64) -> Vec<(Vec<Value>, f64)> {
    let mut rng = Rng(seed);
    let strata = |rng: &mut Rng| {
        let perm = rng.permutation(n);
        perm.into_iter()
            .map(|k| (k as f64 + rng.unit()) / n as f64)
            .collect::<Vec<f64>>()
    };
    let columns: Vec<Vec<Value>> = inputs
        .iter()
        .map(|i| match &i.kind {
            Kind::Seats { seats, .. } => strata(&mut rng)
                .into_iter()
                .map(|u| {
                    Value::Seat(seats[((u * seats.len() as f64) as usize).min(seats.len() - 1)])
                })
                .collect(),
            Kind::Presence { p, .. } => strata(&mut rng)
                .into_iter()
                .map(|u| Value::Present(u < *p))
                .collect(),
            Kind::Facing { range, .. } => strata(&mut rng)
                .into_iter()
                .map(|u| Value::Angle(range[0] + u * (range[1] - range[0])))
                .collect(),
            Kind::Param { range, .. } => strata(&mut rng)
                .into_iter()
                .map(|u| Value::Number(range[0] + u * (range[1] - range[0])))
                .collect(),
            Kind::Normal { sd_m, .. } => {
                let (u1, u2) = (strata(&mut rng), strata(&mut rng));
                u1.into_iter()
                    .zip(u2)
                    .map(|(a, b)| {
                        // Box–Muller: two uniforms to two independent normals
                        let r = (-2.0 * a.ln()).sqrt() * sd_m;
                        let t = std::f64::consts::TAU * b;
                        Value::Offset(r * t.cos(), r * t.sin())
                    })
                    .collect()
            }
        })
        .collect();
    (0..n)
        .map(|k| (columns.iter().map(|c| c[k]).collect(), 1.0))
        .collect()
}

/// Each input's effect: the bands it alone produces, and the share of the spread it explains.
fn sensitivity(
    ctx: &Context,
    inputs: &[Input],
    nominal: &[Value],
    cases: &[(Vec<Value>, f64)],
    outcomes: &[Option<Band>],
) -> Vec<Sensitivity> {
    let total: f64 = cases.iter().map(|(_, w)| w).sum();
    let mean = cases
        .iter()
        .zip(outcomes)
        .map(|((_, w), o)| w * rank(*o))
        .sum::<f64>()
        / total;
    let variance = cases
        .iter()
        .zip(outcomes)
        .map(|((_, w), o)| w * (rank(*o) - mean).powi(2))
        .sum::<f64>()
        / total;
    let mut out: Vec<Sensitivity> = inputs
        .iter()
        .enumerate()
        .map(|(k, input)| {
            let mut alone: Vec<Option<Band>> = ctx
                .sweep(input)
                .into_iter()
                .map(|v| {
                    let mut values = nominal.to_vec();
                    values[k] = v;
                    ctx.outcome(inputs, &values)
                })
                .collect();
            alone.sort_by(|x, y| rank(*x).total_cmp(&rank(*y)));
            alone.dedup();
            // first-order index: the variance of the mean rank within each bin of this input
            let mut bins: BTreeMap<u64, (f64, f64)> = BTreeMap::new();
            for ((values, w), o) in cases.iter().zip(outcomes) {
                let e = bins.entry(bin(&input.kind, &values[k])).or_default();
                e.0 += w;
                e.1 += w * rank(*o);
            }
            let between = bins
                .values()
                .map(|(w, s)| w * (s / w - mean).powi(2))
                .sum::<f64>()
                / total;
            Sensitivity {
                input: input.label.clone(),
                bands_alone: alone.into_iter().map(key).collect(),
                share: if variance > 1e-12 {
                    (between / variance).clamp(0.0, 1.0)
                } else {
                    0.0
                },
            }
        })
        .collect();
    out.sort_by(|x, y| {
        y.share
            .total_cmp(&x.share)
            .then(y.bands_alone.len().cmp(&x.bands_alone.len()))
    });
    out
}

/// The bin of a value for the first-order index: a seat, an outcome of presence, a tenth of
/// a range, or a ninth of the plane (terciles of each axis) for a position.
fn bin(kind: &Kind, v: &Value) -> u64 {
    let tenth = |x: f64, [lo, hi]: [f64; 2]| {
        let t = if hi > lo { (x - lo) / (hi - lo) } else { 0.0 };
        (t * 10.0).clamp(0.0, 9.0) as u64
    };
    match (kind, *v) {
        (_, Value::Seat(s)) => s as u64,
        (_, Value::Present(p)) => u64::from(p),
        (
            Kind::Facing { range, .. } | Kind::Param { range, .. },
            Value::Angle(x) | Value::Number(x),
        ) => tenth(x, *range),
        (Kind::Normal { sd_m, .. }, Value::Offset(dx, dy)) => {
            // 0.43 standard deviations cut a normal into thirds
            let third = |z: f64| {
                if z < -0.43 * sd_m {
                    0
                } else if z > 0.43 * sd_m {
                    2
                } else {
                    1
                }
            };
            third(dx) * 3 + third(dy)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::plausibility::{AssessOptions, assess};
    use crate::scene::{LoadOptions, load_scene_bytes};
    use std::path::Path;

    /// A theatre of rows A–H, 12 seats 0.55 m apart and 0.9 m back to back, facing +y.
    const THEATRE: &str = r#"
title = "t"
people = "people.csv"
[venue]
outline = [[0, 0], [20, 0], [20, 20], [0, 20]]
rt60_s = 1.0
[[seating.rows]]
section = "floor"
origin = [2, 14]
rows = "A-H"
seats = 12
seat_pitch_m = 0.55
row_pitch_m = 0.9
facing = 90
[[phase]]
name = "speech"
noise_dba = NOISE
"#;

    fn scene(noise: &str, people: &str) -> Scene {
        let toml = THEATRE.replace("NOISE", noise);
        match load_scene_bytes(
            Path::new("t/scene.toml"),
            toml.as_bytes(),
            people.as_bytes(),
            &LoadOptions::default(),
        ) {
            Ok(s) => s,
            Err(e) => panic!("test scene does not load: {e}"),
        }
    }

    fn band_of(s: &Scene, a: usize, b: usize) -> Band {
        assess(s, 0, a, b, AssessOptions::default()).band
    }

    #[test]
    fn certain_inputs_give_the_deterministic_band_with_probability_one() {
        for seat in ["A2", "C3", "H12"] {
            let s = scene("66", &format!("name,seat\nAnn,A1\nBob,{seat}\n"));
            let u = analyse(&s, 0, 0, 1, Options::default());
            assert!(!u.is_uncertain());
            assert_eq!(u.samples, 1);
            assert_eq!(u.probability(band_of(&s, 0, 1)), 1.0);
            assert_eq!(u.best, Some(band_of(&s, 0, 1)));
            assert_eq!(u.worst, u.best);
        }
    }

    #[test]
    fn a_two_seat_set_gives_each_seats_band_at_one_half() {
        let s = scene("70", "name,seat\nAnn,A1\nBob,A2|H12\n");
        let near = scene("70", "name,seat\nAnn,A1\nBob,A2\n");
        let far = scene("70", "name,seat\nAnn,A1\nBob,H12\n");
        let (bn, bf) = (band_of(&near, 0, 1), band_of(&far, 0, 1));
        assert_ne!(
            bn, bf,
            "the two seats must differ for this test to mean anything"
        );
        let u = analyse(&s, 0, 0, 1, Options::default());
        assert_eq!(u.method, "enumerated");
        assert_eq!(u.seed, None);
        assert_eq!(u.samples, 2);
        assert_eq!(u.probability(bn), 0.5);
        assert_eq!(u.probability(bf), 0.5);
        assert_eq!((u.best, u.worst), (Some(bn.min(bf)), Some(bn.max(bf))));
        assert!(u.sensitivity[0].moves());
        assert!((u.sensitivity[0].share - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_set_whose_seats_agree_is_certain() {
        let s = scene("60", "name,seat\nAnn,A1\nBob,A2|B1|B2\n");
        let u = analyse(&s, 0, 0, 1, Options::default());
        assert!(u.is_uncertain());
        assert_eq!(u.probability(Band::Easy), 1.0);
        assert!(!u.sensitivity[0].moves());
        assert_eq!(u.sensitivity[0].share, 0.0);
    }

    #[test]
    fn a_row_block_expands_to_its_seats() {
        let s = scene("60", "name,seat\nAnn,A1\nBob,B-D:3-4\n");
        let pl = &s.attendees[1].placements[0];
        let Some(Spread::Seats(set)) = pl.spread.as_deref() else {
            panic!("expected a seat set, found {:?}", pl.spread);
        };
        let mut labels: Vec<&str> = set.iter().map(|&i| s.seats[i].label.as_str()).collect();
        labels.sort_unstable();
        assert_eq!(labels, ["B3", "B4", "C3", "C4", "D3", "D4"]);
        // the most central candidate stands for the set elsewhere
        assert!(matches!(
            s.seats[pl.seat_index().unwrap_or(0)].label.as_str(),
            "C3" | "C4"
        ));
    }

    #[test]
    fn presence_probability_is_the_chance_of_absence() {
        let s = scene("60", "name,seat,presence\nAnn,A1,\nBob,A2,0.3\n");
        let u = analyse(&s, 0, 0, 1, Options::default());
        assert!((u.band_probabilities[ABSENT] - 0.7).abs() < 1e-12);
        assert!((u.probability(Band::Easy) - 0.3).abs() < 1e-12);
        assert_eq!(u.best, Some(Band::Easy));
    }

    #[test]
    fn the_same_seed_reproduces_the_draws_and_another_need_not() {
        let s = scene("[60, 80]", "name,seat\nAnn,A1\nBob,A3|C5|E7|H12\n");
        let opts = |seed| Options { samples: 500, seed };
        let u1 = analyse(&s, 0, 0, 1, opts(7));
        let u2 = analyse(&s, 0, 0, 1, opts(7));
        assert_eq!(u1, u2);
        assert_eq!(u1.method, "latin hypercube");
        assert_eq!((u1.samples, u1.seed), (500, Some(7)));
        let total: f64 = u1.band_probabilities.values().sum();
        assert!((total - 1.0).abs() < 1e-12);
        // a noise range moves a far pair's band: louder is never better
        let far = scene("[60, 80]", "name,seat\nAnn,A1\nBob,H12\n");
        let u = analyse(&far, 0, 0, 1, opts(3));
        assert!(u.best < u.worst, "{u:?}");
        assert!(u.sensitivity[0].moves());
    }

    #[test]
    fn a_normal_spread_is_centred_on_the_point() {
        let s = scene("60", "name,x,y,pos_sd_m\nAnn,5,5,\nBob,5.8,5,0.3\n");
        let u = analyse(
            &s,
            0,
            0,
            1,
            Options {
                samples: 400,
                seed: 1,
            },
        );
        assert_eq!(u.samples, 400);
        assert!(u.probability(Band::Easy) > 0.9, "{u:?}");
    }
}
