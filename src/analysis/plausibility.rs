//! The verdict: could two people have talked, at what effort, and why.
//!
//! Conversation runs both ways, so each pair is assessed in both directions (A talking to B and
//! B to A) and the verdict takes the harder one. That makes every verdict symmetric in A and B.
//!
//! The band compares the least talker level that gives *fair* intelligibility (a speech
//! transmission index of 0.45, which in noise alone is speech − SIL ≥ 10 dB, ISO 9921 annex E)
//! with the natural (Lombard) level in the phase's noise. The score is the index at natural
//! effort, so a pair is *easy* exactly when its score is at least 0.45.

use crate::analysis::pair::{
    CoPresence, PairGeometry, TimeSlice, co_presence, pair_geometry, time_slices,
};
use crate::physics::acoustics::{
    Effort, Noise, Quality, STI_FAIR, STI_POOR, SoundPath, Transfer, direct_energy,
    directivity_loss_db, natural_level_dba,
};
use crate::physics::geometry::SideReflectionBound;
use crate::physics::sti::{BandDetail, db_to_power};
use crate::scene::{Acoustics, Mobility, Presence, Scene};
use serde::Serialize;

/// How a conversation between two people could have gone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Band {
    /// A natural voice was enough.
    Easy,
    /// Up to 6 dB above a natural voice.
    Raised,
    /// Only at a shout: overheard by everyone around.
    Shouting,
    /// Not even a sustained shout would do.
    Implausible,
    /// They were not there at the same time.
    NeverCoPresent,
}

impl Band {
    /// Best first.
    pub const ALL: [Band; 5] = [
        Band::Easy,
        Band::Raised,
        Band::Shouting,
        Band::Implausible,
        Band::NeverCoPresent,
    ];

    /// The words a reader sees.
    pub fn label(self) -> &'static str {
        match self {
            Band::Easy => "easy conversation",
            Band::Raised => "raised voices",
            Band::Shouting => "only by shouting",
            Band::Implausible => "implausible",
            Band::NeverCoPresent => "never co-present",
        }
    }

    /// The machine name (as in JSON).
    pub fn key(self) -> &'static str {
        match self {
            Band::Easy => "easy",
            Band::Raised => "raised",
            Band::Shouting => "shouting",
            Band::Implausible => "implausible",
            Band::NeverCoPresent => "never_co_present",
        }
    }

    /// Parses a band name as written on the command line.
    pub fn parse(s: &str) -> Option<Band> {
        let s = s.trim().to_lowercase().replace(['-', ' '], "_");
        Band::ALL.into_iter().find(|b| {
            b.key() == s
                || b.label().replace([' ', '-'], "_") == s
                || (s == "shout" && *b == Band::Shouting)
        })
    }
}

/// The physical inputs for one pair, independent of any scene.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PairInput {
    /// Straight-line distance, metres.
    pub distance_m: f64,
    /// A's facing offset from the direction to B, degrees; `None` if unknown.
    pub facing_a_deg: Option<f64>,
    /// B's facing offset from the direction to A, degrees.
    pub facing_b_deg: Option<f64>,
    /// Attenuation of walls crossed, dB.
    pub walls_db: f64,
    /// Attenuation of obstacles crossed, dB.
    pub obstacles_db: f64,
    /// Number of bodies on the line.
    pub bodies: usize,
    /// First-order reflections off the room's side walls, Σ 1/r² over image sources, m⁻².
    pub side_reflections_m2: f64,
}

impl PairInput {
    /// The inputs for a pair's geometry: distance, facing, what lies between.
    pub fn from_geometry(g: &PairGeometry) -> Self {
        PairInput {
            distance_m: g.distance_m,
            facing_a_deg: g.facing_a_deg,
            facing_b_deg: g.facing_b_deg,
            walls_db: g.walls_db(),
            obstacles_db: g.obstacles_db(),
            bodies: g.bodies_between.len(),
            side_reflections_m2: g.side_reflections_m2,
        }
    }

    /// Two people `distance_m` apart, facing each other, with nothing in between.
    pub fn face_to_face(distance_m: f64) -> Self {
        PairInput {
            distance_m,
            facing_a_deg: Some(0.0),
            facing_b_deg: Some(0.0),
            walls_db: 0.0,
            obstacles_db: 0.0,
            bodies: 0,
            side_reflections_m2: 0.0,
        }
    }
}

/// One direction of the conversation: one talks, the other listens.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Direction {
    /// Who talks (A or B's name).
    pub talker: String,
    /// The talker's facing offset from the listener, degrees, if known.
    pub facing_offset_deg: Option<f64>,
    /// Level lost to the talker facing away, dB.
    pub directivity_db: f64,
    /// Speech level at the listener at natural effort, direct plus reverberant, dB(A).
    pub speech_at_listener_dba: f64,
    /// Speech minus noise at the listener at natural effort, A-weighted, dB.
    pub snr_db: f64,
    /// Speech transmission index at natural effort, 0..1.
    pub sti: f64,
    /// ISO 9921 quality at natural effort.
    pub quality: Quality,
    /// Least talker level at 1 m for fair intelligibility, dB(A); `None` if no level suffices.
    pub required_level_dba: Option<f64>,
    /// Least talker level at 1 m for poor intelligibility (most sentences), dB(A).
    pub required_level_poor_dba: Option<f64>,
    /// The index band by band at natural effort: speech and noise levels, effective SNR, MTI.
    pub bands: [BandDetail; 7],
}

/// The acoustic part of a verdict.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AcousticVerdict {
    /// The band (never `NeverCoPresent`: time is not acoustic).
    pub band: Band,
    /// Speech transmission index at natural effort, the poorer direction: 0..1, at least
    /// 0.45 exactly when the band is `Easy`.
    pub score: f64,
    /// Natural level in the phase's noise, dB(A) at 1 m.
    pub natural_level_dba: f64,
    /// Least level that gives fair intelligibility both ways, dB(A) at 1 m.
    pub required_level_dba: Option<f64>,
    /// Least level that gives poor intelligibility both ways (the poorer tier), dB(A) at 1 m.
    pub required_level_poor_dba: Option<f64>,
    /// The least ISO 9921 effort that reaches it.
    pub required_effort: Option<Effort>,
    /// Mouth-to-ear distance used, metres.
    pub effective_distance_m: f64,
    /// Whether leaning in shortened the distance.
    pub leaned_in: bool,
    /// Attenuation by bodies in between after the cap, dB.
    pub bodies_db: f64,
    /// ISO 9921 quality at natural effort (the poorer direction).
    pub quality: Quality,
    /// The noise's spectrum (`babble`, `pink`, `hvac`, or bands given).
    pub noise_spectrum: &'static str,
    /// Allowance for informational masking added to the noise, dB (0: none).
    pub informational_masking_db: f64,
    /// A to B, then B to A.
    pub directions: [Direction; 2],
}

/// Where two people who walk over to talk stand, metres: face to face at Hall's personal
/// distance.
pub const WALK_OVER_DISTANCE_M: f64 = 1.0;

/// How far leaning in reaches beyond `lean_in_reach_m`, metres: the lean fades to nothing
/// over this much more distance, so that a centimetre more between two seats never flips a
/// verdict.
pub const LEAN_IN_FADE_M: f64 = 1.25;

/// Mouth-to-ear distance of two people `distance_m` apart with nothing in between, metres.
///
/// Within `lean_in_reach_m` they can lean in to `lean_in_m` mouth to ear (dinner neighbours,
/// adjacent seats). Beyond it the lean shrinks linearly to nothing over [`LEAN_IN_FADE_M`],
/// so the distance is continuous and never falls as the seats move apart. Nobody talks closer
/// than `lean_in_m` mouth to ear, however close the seats (at a few centimetres the ear's own
/// masking would otherwise make closer sound worse).
pub fn mouth_to_ear_m(distance_m: f64, params: &Acoustics) -> f64 {
    let (near, reach) = (params.lean_in_m.value, params.lean_in_reach_m.value);
    let full = (reach - near).max(0.0);
    let lean = if distance_m <= reach {
        full
    } else {
        full * ((reach + LEAN_IN_FADE_M - distance_m) / LEAN_IN_FADE_M).clamp(0.0, 1.0)
    };
    (distance_m - lean).max(near)
}

/// The talker levels the bands are judged at, dB(A) at 1 m: natural (Lombard) in the
/// phase's noise, raised (6 dB more), and the sustained shout; none above the shout.
fn voice_levels(params: &Acoustics) -> [f64; 3] {
    let ceiling = params.shout_ceiling_dba.value;
    let natural = natural_level_dba(params.noise_dba.value).min(ceiling);
    [natural, raised_level(natural, ceiling), ceiling]
}

/// A raised voice: 6 dB above the natural one, up to the shout.
fn raised_level(natural: f64, ceiling: f64) -> f64 {
    (natural + 6.0).min(ceiling)
}

/// Where a pair's sound paths start from, before any room acoustics.
struct PathGeometry {
    effective_m: f64,
    leaned_in: bool,
    bodies_db: f64,
    directivity_db: [f64; 2],
    harder: usize,
    /// The path in the harder direction.
    path: SoundPath,
}

/// The mouth-to-ear distance (leaning in where nothing is between), the bodies' loss, each
/// talker's directivity loss, and the harder direction's path.
fn path_geometry(input: &PairInput, params: &Acoustics) -> PathGeometry {
    let clear = input.walls_db <= 0.0 && input.obstacles_db <= 0.0;
    let mut effective_m = if clear {
        mouth_to_ear_m(input.distance_m, params)
    } else {
        input.distance_m
    };
    let leaned_in = clear && effective_m < input.distance_m - 1e-9;
    if input.walls_db > 0.0 {
        // sound through a partition radiates from its surface: no closer than 1 m in effect
        effective_m = effective_m.max(1.0);
    }
    let bodies_db = (input.bodies as f64 * params.body_attenuation_db.value)
        .min(params.body_attenuation_cap_db.value);
    let directivity_db =
        [input.facing_a_deg, input.facing_b_deg].map(|f| directivity_loss_db(f.unwrap_or(0.0)));
    let harder = usize::from(directivity_db[1] > directivity_db[0]);
    PathGeometry {
        effective_m,
        leaned_in,
        bodies_db,
        directivity_db,
        harder,
        path: SoundPath {
            distance_m: effective_m,
            directivity_db: directivity_db[harder],
            obstacles_db: input.obstacles_db + bodies_db,
            walls_db: input.walls_db,
            side_reflections_m2: input.side_reflections_m2,
        },
    }
}

/// The two sound paths of a pair (A to B, B to A) in a phase's acoustics.
struct Paths {
    noise: Noise,
    natural: f64,
    ceiling: f64,
    effective_m: f64,
    leaned_in: bool,
    bodies_db: f64,
    directivity_db: [f64; 2],
    /// The direction that is harder to hear: the talker facing farther away. Everything else
    /// is the same both ways, and the index rises with the direct sound.
    harder: usize,
    /// The path of the harder direction: all the fast path needs.
    harder_transfer: Transfer,
    harder_path: SoundPath,
    room: crate::physics::acoustics::Room,
}

impl Paths {
    fn new(input: &PairInput, params: &Acoustics) -> Self {
        let [natural, _, ceiling] = voice_levels(params);
        let g = path_geometry(input, params);
        let room = params.room();
        Paths {
            noise: params.noise(),
            natural,
            ceiling,
            effective_m: g.effective_m,
            leaned_in: g.leaned_in,
            bodies_db: g.bodies_db,
            directivity_db: g.directivity_db,
            harder: g.harder,
            harder_transfer: Transfer::new(&g.path, &room),
            harder_path: g.path,
            room,
        }
    }

    /// The path with talker `k` (0: A, 1: B).
    fn transfer(&self, k: usize) -> Transfer {
        if self.directivity_db[k] == self.directivity_db[self.harder] {
            self.harder_transfer
        } else {
            let path = SoundPath {
                directivity_db: self.directivity_db[k],
                ..self.harder_path
            };
            Transfer::new(&path, &self.room)
        }
    }

    /// The index in the harder direction at a talker level.
    fn sti(&self, level_dba: f64) -> f64 {
        self.harder_transfer.sti(level_dba, &self.noise)
    }

    /// The band: the least of natural, raised (6 dB more) and shout at which both directions
    /// reach fair intelligibility. Evaluated at those three levels, since over the range of
    /// voices the index rises with the level.
    fn band(&self, score: f64) -> Band {
        if score >= STI_FAIR {
            Band::Easy
        } else if self.sti(raised_level(self.natural, self.ceiling)) >= STI_FAIR {
            Band::Raised
        } else if self.sti(self.ceiling) >= STI_FAIR {
            Band::Shouting
        } else {
            Band::Implausible
        }
    }
}

/// The band and score of a pair without the explanation: the fast path for charts and
/// large scenes. Always agrees with [`acoustic_verdict`].
pub fn quick_band(input: &PairInput, params: &Acoustics) -> (Band, f64) {
    let p = Paths::new(input, params);
    let score = p.sti(p.natural);
    (p.band(score), score)
}

/// The score of [`quick_band`] alone: the index at a natural voice in the harder direction.
pub fn quick_score(input: &PairInput, params: &Acoustics) -> f64 {
    let p = Paths::new(input, params);
    p.sti(p.natural)
}

/// A phase's band thresholds, for deciding bands without computing the index.
///
/// In a room whose reverberation is the same in every band and with no wall in between, a
/// path reaches the listener as one number: the direct and early energy `D` relative to the
/// on-axis level at 1 m, the same in every band. The index at a talker level is then a
/// function of `D` alone, rising with it, so each effort (natural, raised, shout) reaches fair
/// intelligibility exactly above one `D`. The table finds those three by bisection on the exact
/// model; a pair's band is then a comparison. Within a millionth of a threshold, through a
/// wall, or in a room it cannot describe it answers `None` and the exact model decides: its
/// bands are always [`quick_band`]'s.
#[derive(Debug, Clone)]
pub struct BandTable {
    /// `D` at which natural, raised and shouted speech reach fair intelligibility (infinite
    /// when they never do).
    thresholds: [f64; 3],
    room: crate::physics::acoustics::Room,
    /// The score (the index at a natural voice) every [`SCORE_STEP`] in `ln D` from
    /// `TABLE_D.0`, interpolated linearly between: within [`SCORE_ERROR`] of the exact model.
    scores: Vec<f64>,
    clear: Clear,
}

/// What [`direct_energy`] computes the same for every pair of a phase who face each other
/// with nothing but people between, worked out once: the table's direct energy for them is
/// then the exact model's, to the bit, without a power of ten or the room's absorption per
/// pair.
#[derive(Debug, Clone)]
struct Clear {
    /// The people's loss per person and its cap, dB, as the table was made for.
    body_db: (f64, f64),
    /// 1 − the room's mean absorption at 1 kHz.
    keep: f64,
    /// `4z²` and `4(h − z)²`: the floor's and the ceiling's image.
    floor: f64,
    ceiling: f64,
    /// The direct sound's power ratio through `k` people, `k` from 0.
    through: Vec<f64>,
}

impl Clear {
    /// The most people the list goes to.
    const MOST: usize = 64;

    fn new(room: &crate::physics::acoustics::Room, params: &Acoustics) -> Self {
        let body_db = (
            params.body_attenuation_db.value,
            params.body_attenuation_cap_db.value,
        );
        let z = room.ear_height_m.clamp(0.0, room.height_m);
        Clear {
            body_db,
            keep: 1.0 - room.mean_absorption(3),
            floor: 4.0 * z * z,
            ceiling: 4.0 * (room.height_m - z).powi(2),
            // as `path_geometry` and `DirectParts::new` compute it
            through: (0..=Self::MOST)
                .map(|k| db_to_power(-(0.0 + (k as f64 * body_db.0).min(body_db.1))))
                .collect(),
        }
    }

    /// [`direct_energy`] for a pair with only people between and neither turned away, or
    /// `None` for any other.
    fn direct(&self, input: &PairInput, params: &Acoustics) -> Option<f64> {
        let same = (
            params.body_attenuation_db.value,
            params.body_attenuation_cap_db.value,
        ) == self.body_db;
        let facing = |f: Option<f64>| directivity_loss_db(f.unwrap_or(0.0)) == 0.0;
        if !(same
            && input.walls_db <= 0.0
            && input.obstacles_db == 0.0
            && facing(input.facing_a_deg)
            && facing(input.facing_b_deg))
        {
            return None;
        }
        let through = *self.through.get(input.bodies)?;
        let bodies_db = (input.bodies as f64 * self.body_db.0).min(self.body_db.1);
        let r = mouth_to_ear_m(input.distance_m, params).max(0.1);
        let free = through / (r * r);
        let floor = if bodies_db > 0.0 {
            0.0
        } else {
            1.0 / (r * r + self.floor)
        };
        let ceiling = 1.0 / (r * r + self.ceiling);
        let early = self.keep * (floor + ceiling) + self.keep * input.side_reflections_m2;
        // (through no wall: the exact model's factor for walls is 1)
        Some(free + through * early)
    }
}

/// The spacing of the score table in `ln D` (0.02 dB).
const SCORE_STEP: f64 = 0.005;

/// The most the table's score differs from the exact model's (measured by
/// `score_table_agrees_with_the_exact_model`: 7.0e-5 over 95,000 pairs in 40 rooms, where the
/// index has a corner).
pub const SCORE_ERROR: f64 = 1e-4;

/// The last few values of a costly function of a key, shared between threads: a phase's
/// tables and bounds, which the frames of one recording all ask for.
pub(crate) struct Memo<K, V>(std::sync::Mutex<Vec<(K, V)>>);

impl<K: PartialEq, V: Clone> Memo<K, V> {
    /// How many keys are remembered; the oldest goes first.
    const KEYS: usize = 16;

    pub(crate) const fn new() -> Self {
        Memo(std::sync::Mutex::new(Vec::new()))
    }

    /// The value for `key`, made by `make` when it is not remembered.
    pub(crate) fn get_or(&self, key: K, make: impl FnOnce() -> V) -> V {
        let hit = |m: &Vec<(K, V)>| m.iter().find(|(k, _)| *k == key).map(|(_, v)| v.clone());
        if let Some(v) = self.0.lock().ok().and_then(|m| hit(&m)) {
            return v;
        }
        let v = make();
        if let Ok(mut m) = self.0.lock() {
            if m.len() >= Self::KEYS {
                m.remove(0);
            }
            m.push((key, v.clone()));
        }
        v
    }
}

/// The range of `D` over which the table checks that the index rises: from a talker hundreds
/// of metres away behind every body to one 10 cm from a wall.
const TABLE_D: (f64, f64) = (1e-9, 1e3);

impl BandTable {
    /// The table for a phase's acoustics, or `None` when the reverberation differs between
    /// bands or the index does not rise with `D` over the whole range.
    pub fn new(params: &Acoustics) -> Option<Self> {
        let room = params.room();
        if room.rt60_s.iter().any(|&t| t != room.rt60_s[0]) {
            return None;
        }
        let noise = params.noise();
        let levels = voice_levels(params);
        let sti = |level: f64, d: f64| {
            crate::physics::acoustics::Transfer::from_direct([d; 7], d, &[1.0; 7], &room)
                .sti(level, &noise)
        };
        let (lo, hi) = (TABLE_D.0.ln(), TABLE_D.1.ln());
        let mut thresholds = [f64::INFINITY; 3];
        for (t, &level) in thresholds.iter_mut().zip(&levels) {
            // sampled every 0.05 in ln D (0.2 dB): the index must cross fair intelligibility
            // once, from below, and rise wherever it is near it (at very loud levels it falls
            // back a little, by the ear's own masking, but from near 1)
            let steps = ((hi - lo) / 0.05) as usize;
            let at = |k: usize| (lo + (hi - lo) * k as f64 / steps as f64).exp();
            let values: Vec<f64> = (0..=steps).map(|k| sti(level, at(k))).collect();
            let above = values.iter().position(|&v| v >= STI_FAIR);
            let Some(first) = above else {
                continue; // never fair: the threshold stays infinite
            };
            if values[first..]
                .iter()
                .any(|&v| v < STI_FAIR + 0.02 && v < values[first])
            {
                return None;
            }
            if first == 0 {
                // fair even from the farthest: the reverberant field alone carries it
                *t = 0.0;
                continue;
            }
            let near = |v: f64| (STI_FAIR - 0.1..STI_FAIR + 0.1).contains(&v);
            if values
                .windows(2)
                .any(|w| (near(w[0]) || near(w[1])) && w[1] <= w[0])
            {
                return None;
            }
            let (mut a, mut b) = (at(first - 1).ln(), at(first).ln());
            for _ in 0..200 {
                let m = 0.5 * (a + b);
                if sti(level, m.exp()) >= STI_FAIR {
                    b = m;
                } else {
                    a = m;
                }
                if b - a < 1e-13 {
                    break;
                }
            }
            *t = b.exp();
        }
        let steps = ((hi - lo) / SCORE_STEP).ceil() as usize;
        // thousands of indices: on every core
        let scores = {
            use rayon::prelude::*;
            (0..=steps)
                .into_par_iter()
                .map(|k| sti(levels[0], (lo + k as f64 * SCORE_STEP).exp()))
                .collect()
        };
        Some(BandTable {
            thresholds,
            clear: Clear::new(&room, params),
            room,
            scores,
        })
    }

    /// [`BandTable::new`], remembered for the last few distinct acoustics: the frames of a
    /// recording, each a phase, share one room and one noise, and a table takes 10 ms.
    pub fn cached(params: &Acoustics) -> Option<std::sync::Arc<BandTable>> {
        static CACHE: Memo<Acoustics, Option<std::sync::Arc<BandTable>>> = Memo::new();
        CACHE.get_or(*params, || BandTable::new(params).map(std::sync::Arc::new))
    }

    /// The band [`quick_band`] would give and the score, within [`SCORE_ERROR`] of its
    /// score, or `None` when the exact model must decide.
    pub fn assess(&self, input: &PairInput, params: &Acoustics) -> Option<(Band, f64)> {
        if input.walls_db > 0.0 {
            return None;
        }
        let d = self.direct(input, params);
        let band = self.band_at(d)?;
        let x = (d.ln() - TABLE_D.0.ln()) / SCORE_STEP;
        let k = (x.floor() as usize).min(self.scores.len() - 2);
        let f = x - k as f64;
        let score = self.scores[k] + f * (self.scores[k + 1] - self.scores[k]);
        // the band is exact, and a pair is easy exactly when its score reaches fair: the
        // interpolated score stays on the band's side (the exact one is there too)
        let score = if band == Band::Easy {
            score.max(STI_FAIR)
        } else {
            // the largest double below fair (`next_down` is newer than this crate's Rust)
            score.min(f64::from_bits(STI_FAIR.to_bits() - 1))
        };
        Some((band, score))
    }

    /// The band [`quick_band`] would give, or `None` when the exact model must decide.
    pub fn band(&self, input: &PairInput, params: &Acoustics) -> Option<Band> {
        self.assess(input, params).map(|(band, _)| band)
    }

    /// The band for the direct energy `d`, or `None` near a threshold or out of range.
    fn band_at(&self, d: f64) -> Option<Band> {
        if !(TABLE_D.0..=TABLE_D.1).contains(&d) {
            return None;
        }
        let mut band = Band::Easy;
        for &t in &self.thresholds {
            if t.is_finite() && (d / t - 1.0).abs() < 1e-6 {
                return None;
            }
            if d >= t {
                return Some(band);
            }
            band = match band {
                Band::Easy => Band::Raised,
                Band::Raised => Band::Shouting,
                _ => Band::Implausible,
            };
        }
        Some(Band::Implausible)
    }

    /// The direct and early energy of the harder direction, as the exact model computes it.
    fn direct(&self, input: &PairInput, params: &Acoustics) -> f64 {
        self.clear
            .direct(input, params)
            .unwrap_or_else(|| direct_energy(&path_geometry(input, params).path, &self.room, 3))
    }
}

/// The speech transmission index when A talks to B at `level_dba` (dB(A) at 1 m): for drawing
/// how far a voice carries.
pub fn talker_sti(input: &PairInput, params: &Acoustics, level_dba: f64) -> f64 {
    let p = Paths::new(input, params);
    p.transfer(0).sti(level_dba, &p.noise)
}

/// Assesses the acoustics of a pair: the core of the model, free of any scene.
pub fn acoustic_verdict(
    input: &PairInput,
    params: &Acoustics,
    names: [&str; 2],
) -> AcousticVerdict {
    let p = Paths::new(input, params);
    let natural = p.natural;
    let direction = |k: usize, talker: &str, facing: Option<f64>| {
        let t = &p.transfer(k);
        let sti = t.sti(natural, &p.noise);
        let speech = t.speech_dba(natural);
        Direction {
            talker: talker.to_string(),
            facing_offset_deg: facing,
            directivity_db: p.directivity_db[k],
            speech_at_listener_dba: speech,
            snr_db: speech - p.noise.dba,
            sti,
            quality: Quality::from_sti(sti),
            required_level_dba: t.required_level_dba(&p.noise, STI_FAIR),
            required_level_poor_dba: t.required_level_dba(&p.noise, STI_POOR),
            bands: t.bands(natural, &p.noise),
        }
    };
    let first = direction(0, names[0], input.facing_a_deg);
    let second = if p.directivity_db[1] == p.directivity_db[0] {
        Direction {
            talker: names[1].to_string(),
            facing_offset_deg: input.facing_b_deg,
            ..first.clone()
        }
    } else {
        direction(1, names[1], input.facing_b_deg)
    };
    let directions = [first, second];
    let both = |x: Option<f64>, y: Option<f64>| match (x, y) {
        (Some(x), Some(y)) => Some(x.max(y)),
        _ => None,
    };
    let required = both(
        directions[0].required_level_dba,
        directions[1].required_level_dba,
    );
    let required_poor = both(
        directions[0].required_level_poor_dba,
        directions[1].required_level_poor_dba,
    );
    let score = directions[p.harder].sti;
    AcousticVerdict {
        band: p.band(score),
        score,
        natural_level_dba: natural,
        required_level_dba: required,
        required_level_poor_dba: required_poor,
        required_effort: required.and_then(|r| Effort::at_least(r.max(natural), p.ceiling)),
        effective_distance_m: p.effective_m,
        leaned_in: p.leaned_in,
        bodies_db: p.bodies_db,
        quality: directions[p.harder].quality,
        noise_spectrum: params.noise_spectrum.label(),
        informational_masking_db: params.informational_masking_db.value,
        directions,
    }
}

/// The largest distance at which a pair facing each other with nothing in between can still
/// reach `band` (or better) in these acoustics, metres. No pair farther apart can do better
/// than `band`'s next tier, since the score never rises with distance.
pub fn reach_m(params: &Acoustics, band: Band, walls: SideReflectionBound) -> f64 {
    reach_past_bodies_m(params, band, 0, walls)
}

/// [`reach_m`] for a pair with `bodies` people on the line between them. `walls` bounds the
/// side-wall reflections a pair can have in the venue (see [`SideReflectionBound`]): the reach
/// assumes the most, so that it bounds every pair's.
pub fn reach_past_bodies_m(
    params: &Acoustics,
    band: Band,
    bodies: usize,
    walls: SideReflectionBound,
) -> f64 {
    reach_facing_m(params, band, bodies, 0.0, walls)
}

/// [`reach_past_bodies_m`] for a talker turned `offset_deg` away from the listener (the other
/// facing them): the farthest such a pair reaches `band`.
pub fn reach_facing_m(
    params: &Acoustics,
    band: Band,
    bodies: usize,
    offset_deg: f64,
    walls: SideReflectionBound,
) -> f64 {
    if band >= Band::Implausible {
        return f64::INFINITY;
    }
    let ok = |d: f64| {
        let input = PairInput {
            bodies,
            facing_a_deg: Some(offset_deg),
            side_reflections_m2: walls.at(d),
            ..PairInput::face_to_face(d)
        };
        quick_band(&input, params).0 <= band
    };
    let (mut lo, mut hi) = (0.0, 1.0);
    while ok(hi) {
        lo = hi;
        hi *= 2.0;
        if hi > 1e5 {
            return f64::INFINITY;
        }
    }
    for _ in 0..50 {
        let mid = 0.5 * (lo + hi);
        if ok(mid) { lo = mid } else { hi = mid }
    }
    hi
}

/// "If one of them walked over": the second answer for mingling phases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WalkOver {
    /// Whether one could have walked over (co-present, and a path exists).
    pub possible: bool,
    /// Walking distance, metres.
    pub walking_m: Option<f64>,
    /// Walking time at the phase's walking speed, seconds.
    pub walking_s: Option<f64>,
    /// The band once face to face at conversational distance (1 m, Hall's personal zone, or
    /// closer if they already were): never worse than where they were.
    pub band_face_to_face: Band,
    /// Why not, when not possible.
    pub reason: Option<String>,
}

/// One factor of the explanation: a named quantity with its unit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Factor {
    /// Stable machine name.
    pub name: &'static str,
    /// The number, where the factor is one.
    pub value: Option<f64>,
    /// Its unit (`m`, `dB(A)`, `deg`, `min`, `count`, …).
    pub unit: &'static str,
    /// A reader's explanation.
    pub detail: String,
}

impl Factor {
    /// A factor from its parts.
    pub fn new(name: &'static str, value: Option<f64>, unit: &'static str, detail: String) -> Self {
        Factor {
            name,
            value,
            unit,
            detail,
        }
    }
}

/// A parameter in force, and whether it was a default.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamUse {
    /// Parameter name as in `scene.toml`'s `[acoustics]`.
    pub name: &'static str,
    /// Value.
    pub value: f64,
    /// `default`, `scene` or `phase`.
    pub source: crate::scene::ParamSource,
}

/// The full verdict for a pair in one phase.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Verdict {
    /// Phase name.
    pub phase: String,
    /// First person's name.
    pub a: String,
    /// Second person's name.
    pub b: String,
    /// The band.
    pub band: Band,
    /// 0..1 (0 when never co-present).
    pub score: f64,
    /// Phase background noise, dB(A).
    pub noise_dba: f64,
    /// When both were there.
    pub co_presence: CoPresence,
    /// Geometry, when both were placed in the phase.
    pub geometry: Option<PairGeometry>,
    /// Names of the people in between.
    pub bodies_between: Vec<String>,
    /// The acoustic assessment, when both were placed in the phase.
    pub acoustics: Option<AcousticVerdict>,
    /// The answer if one walked over (mingling phases only).
    pub walk_over: Option<WalkOver>,
    /// The time they were both there, split wherever someone on the line between them came
    /// or went; the band, score and bodies above are the best slice's.
    pub slices: Vec<SliceVerdict>,
    /// Names of the two whose attendance is unconfirmed.
    pub uncertain_presence: Vec<String>,
    /// Assumptions made for this pair (unknown facing, …).
    pub assumptions: Vec<String>,
    /// Every factor, in reading order.
    pub factors: Vec<Factor>,
    /// Parameters in force and where each came from.
    pub parameters: Vec<ParamUse>,
}

/// One stretch of time with the same people between the pair.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SliceVerdict {
    /// Start, minutes after midnight, if known.
    pub from_min: Option<f64>,
    /// End, minutes after midnight, if known.
    pub to_min: Option<f64>,
    /// The band then.
    pub band: Band,
    /// The score then.
    pub score: f64,
    /// Who stood on the line between them then.
    pub bodies_between: Vec<String>,
}

/// Options for assessing pairs.
#[derive(Debug, Clone, Copy)]
pub struct AssessOptions {
    /// Compute walking distance in seated phases too (mingling phases always need it).
    pub walking: bool,
}

impl Default for AssessOptions {
    fn default() -> Self {
        AssessOptions { walking: true }
    }
}

/// Assesses attendees `a` and `b` in phase `phase`.
pub fn assess(scene: &Scene, phase: usize, a: usize, b: usize, opts: AssessOptions) -> Verdict {
    let ph = &scene.phases[phase];
    let (aa, ab) = (&scene.attendees[a], &scene.attendees[b]);
    let params = ph.acoustics;
    let uncertain_presence: Vec<String> = [aa, ab]
        .iter()
        .filter(|p| p.presence == Presence::Uncertain)
        .map(|p| p.display_name())
        .collect();
    let parameters = params_in_force(&params);
    let (pa, pb) = (aa.placement_in(phase), ab.placement_in(phase));
    let (Some(pa), Some(pb)) = (pa, pb) else {
        let absent: Vec<String> = [(aa, pa.is_none()), (ab, pb.is_none())]
            .iter()
            .filter(|(_, missing)| *missing)
            .map(|(p, _)| p.display_name())
            .collect();
        return Verdict {
            uncertain_presence,
            parameters,
            ..not_placed(ph, [aa.display_name(), ab.display_name()], &absent)
        };
    };
    let cp = co_presence(ph, pa, pb);
    let mingling = ph.mobility == Mobility::Mingling;
    let geo = pair_geometry(scene, phase, a, b, opts.walking || mingling)
        .unwrap_or_else(unreachable_geometry);
    let (na, nb) = (aa.display_name(), ab.display_name());
    let (slices, best) = slice_verdicts(scene, phase, &geo, &cp);
    let input = PairInput {
        bodies: best.bodies_between.len(),
        ..PairInput::from_geometry(&geo)
    };
    let av = acoustic_verdict(&input, &params, [&na, &nb]);
    let (band, score) = if cp.co_present {
        (av.band, av.score)
    } else {
        (Band::NeverCoPresent, 0.0)
    };
    let assumptions = [(&na, geo.facing_a_deg), (&nb, geo.facing_b_deg)]
        .iter()
        .filter(|(_, f)| f.is_none())
        .map(|(name, _)| format!("{name}'s facing is unknown: assumed to face the other"))
        .collect();
    let walk_over = mingling.then(|| walk_over(&geo, &cp, &av, &params));
    let bodies_between: Vec<String> = best
        .bodies_between
        .iter()
        .map(|&i| scene.attendees[i].display_name())
        .collect();
    let mut factors = explain(&geo, &cp, &av, &bodies_between, &params, ph.crowd.as_ref());
    if slices.len() > 1 {
        factors.push(slices_factor(&slices));
    }
    Verdict {
        phase: ph.name.clone(),
        a: na,
        b: nb,
        band,
        score,
        noise_dba: params.noise_dba.value,
        co_presence: cp,
        geometry: Some(geo),
        bodies_between,
        acoustics: Some(av),
        walk_over,
        slices,
        uncertain_presence,
        assumptions,
        factors,
        parameters,
    }
}

/// Every time slice's band, and the best slice (the lowest band, then the highest score,
/// then the earliest): the one the verdict reports.
fn slice_verdicts(
    scene: &Scene,
    phase: usize,
    geo: &PairGeometry,
    cp: &CoPresence,
) -> (Vec<SliceVerdict>, TimeSlice) {
    let (judged, best) = judge_slices(scene, phase, geo, cp, &scene.phases[phase].acoustics);
    let verdicts = judged
        .iter()
        .map(|(t, band, score)| SliceVerdict {
            from_min: t.from_min,
            to_min: t.to_min,
            band: *band,
            score: *score,
            bodies_between: t
                .bodies_between
                .iter()
                .map(|&i| scene.attendees[i].display_name())
                .collect(),
        })
        .collect();
    let best_slice = judged.into_iter().nth(best).map_or_else(
        || TimeSlice {
            from_min: cp.from_min,
            to_min: cp.to_min,
            bodies_between: geo.bodies_between.clone(),
        },
        |(t, _, _)| t,
    );
    (verdicts, best_slice)
}

/// Each time slice with its band and score, and the index of the best.
fn judge_slices(
    scene: &Scene,
    phase: usize,
    geo: &PairGeometry,
    cp: &CoPresence,
    params: &Acoustics,
) -> (Vec<(TimeSlice, Band, f64)>, usize) {
    let judged: Vec<(TimeSlice, Band, f64)> = time_slices(scene, phase, geo, cp)
        .into_iter()
        .map(|t| {
            let input = PairInput {
                bodies: t.bodies_between.len(),
                ..PairInput::from_geometry(geo)
            };
            let (band, score) = quick_band(&input, params);
            (t, band, score)
        })
        .collect();
    let best = (0..judged.len())
        .min_by(|&x, &y| {
            judged[x]
                .1
                .cmp(&judged[y].1)
                .then(judged[y].2.total_cmp(&judged[x].2))
        })
        .unwrap_or(0);
    (judged, best)
}

/// The band and score of a co-present pair over the time both were there: the best time
/// slice's (see [`crate::analysis::pair::time_slices`]). What `assess` reports, without
/// the explanation: the fast path for the pair search.
pub fn band_over_time(
    scene: &Scene,
    phase: usize,
    geo: &PairGeometry,
    cp: &CoPresence,
) -> (Band, f64) {
    band_over_time_with(scene, phase, geo, cp, &scene.phases[phase].acoustics)
}

/// Whether nobody between the pair comes or goes during the phase: then one verdict holds
/// for the whole of it.
pub fn steady(scene: &Scene, phase: usize, geo: &PairGeometry) -> bool {
    geo.bodies_between.iter().all(|&i| {
        scene.attendees[i]
            .placement_in(phase)
            .is_none_or(crate::scene::Placement::whole_phase)
    })
}

/// [`band_over_time`] with the phase's parameters replaced by `params` (one draw of the
/// uncertain ones).
pub fn band_over_time_with(
    scene: &Scene,
    phase: usize,
    geo: &PairGeometry,
    cp: &CoPresence,
    params: &Acoustics,
) -> (Band, f64) {
    if steady(scene, phase, geo) {
        // nobody between comes or goes: one slice, no need to cut time
        return quick_band(&PairInput::from_geometry(geo), params);
    }
    let (judged, best) = judge_slices(scene, phase, geo, cp, params);
    judged
        .get(best)
        .map_or((Band::NeverCoPresent, 0.0), |(_, b, s)| (*b, *s))
}

/// The slices in one line: `21:10–21:40 raised voices (Brandt between); 21:40–22:30 easy`.
fn slices_factor(slices: &[SliceVerdict]) -> Factor {
    let clock = |t: Option<f64>| t.map_or("?".to_string(), crate::scene::format_clock);
    let parts: Vec<String> = slices
        .iter()
        .map(|s| {
            let between = if s.bodies_between.is_empty() {
                "no one between".to_string()
            } else {
                format!("{} between", s.bodies_between.join(", "))
            };
            format!(
                "{}–{} {} ({between})",
                clock(s.from_min),
                clock(s.to_min),
                s.band.label()
            )
        })
        .collect();
    Factor::new(
        "time_slices",
        Some(slices.len() as f64),
        "count",
        format!(
            "people between them came or went: {}; the verdict takes the best",
            parts.join("; ")
        ),
    )
}

/// Every parameter in force and where it came from.
fn params_in_force(params: &Acoustics) -> Vec<ParamUse> {
    params
        .named()
        .into_iter()
        .map(|(name, p)| ParamUse {
            name,
            value: p.value,
            source: p.source,
        })
        .collect()
}

/// The verdict when one or both were not placed in the phase (without the parameters and
/// the uncertain attendance, which the caller adds).
fn not_placed(ph: &crate::scene::Phase, names: [String; 2], absent: &[String]) -> Verdict {
    let [a, b] = names;
    Verdict {
        phase: ph.name.clone(),
        a,
        b,
        band: Band::NeverCoPresent,
        score: 0.0,
        noise_dba: ph.acoustics.noise_dba.value,
        co_presence: CoPresence {
            co_present: false,
            from_min: None,
            to_min: None,
            minutes: Some(0.0),
        },
        geometry: None,
        bodies_between: vec![],
        acoustics: None,
        walk_over: None,
        slices: vec![],
        uncertain_presence: vec![],
        assumptions: vec![],
        factors: vec![Factor::new(
            "co_presence",
            Some(0.0),
            "min",
            format!("{} not placed in this phase", absent.join(" and ")),
        )],
        parameters: vec![],
    }
}

/// "If one walked over": they may come as close as they like, face to face at a
/// conversational distance (Hall's personal zone, or where they already are if closer), so
/// never worse than staying.
fn walk_over(
    geo: &PairGeometry,
    cp: &CoPresence,
    av: &AcousticVerdict,
    params: &Acoustics,
) -> WalkOver {
    let face = PairInput::face_to_face(geo.distance_m.min(WALK_OVER_DISTANCE_M));
    let after = quick_band(&face, params).0.min(av.band);
    let speed = params.walking_speed_mps.value;
    let reason = if !cp.co_present {
        Some("they were never there at the same time".to_string())
    } else if geo.walking_m.is_none() {
        Some("no walking path joins them".to_string())
    } else {
        None
    };
    WalkOver {
        possible: reason.is_none(),
        walking_m: geo.walking_m,
        walking_s: geo.walking_m.map(|m| m / speed),
        band_face_to_face: if reason.is_none() {
            after
        } else {
            Band::NeverCoPresent
        },
        reason,
    }
}

fn unreachable_geometry() -> PairGeometry {
    PairGeometry {
        distance_m: f64::INFINITY,
        walking_m: None,
        walking_computed: false,
        crossings: vec![],
        bodies_between: vec![],
        rows_between: None,
        facing_a_deg: None,
        facing_b_deg: None,
        side_reflections_m2: 0.0,
    }
}

/// Every factor of a verdict, in reading order: where they were, what lies between them,
/// which way they faced, when both were there, the sound, and the least voice that would do.
fn explain(
    geo: &PairGeometry,
    cp: &CoPresence,
    av: &AcousticVerdict,
    bodies: &[String],
    params: &Acoustics,
    crowd: Option<&crate::scene::CrowdNoise>,
) -> Vec<Factor> {
    let mut out = Vec::new();
    distance_factors(&mut out, geo, av, params);
    between_factors(&mut out, geo, av, bodies, params);
    facing_factors(&mut out, av);
    co_presence_factor(&mut out, cp);
    sound_factors(&mut out, av, params, crowd);
    required_level_factors(&mut out, av, params);
    out
}

/// Distance, leaning in, walking distance.
fn distance_factors(
    out: &mut Vec<Factor>,
    geo: &PairGeometry,
    av: &AcousticVerdict,
    params: &Acoustics,
) {
    let f = Factor::new;
    out.push(f(
        "distance",
        Some(geo.distance_m),
        "m",
        hall_zone(geo.distance_m).to_string(),
    ));
    if av.leaned_in {
        out.push(f(
            "lean_in",
            Some(av.effective_distance_m),
            "m",
            format!(
                "they can lean in to {:.2} m mouth to ear (fully within {:.2} m, less up to {:.2} m)",
                av.effective_distance_m,
                params.lean_in_reach_m.value,
                params.lean_in_reach_m.value + LEAN_IN_FADE_M
            ),
        ));
    }
    if geo.walking_computed {
        out.push(f(
            "walking_distance",
            geo.walking_m,
            "m",
            match geo.walking_m {
                Some(_) => "around walls and obstacles".to_string(),
                None => "no walking path: walls or obstacles close the way".to_string(),
            },
        ));
    }
}

/// Walls and obstacles crossed, line of sight, bodies and seat rows in between.
fn between_factors(
    out: &mut Vec<Factor>,
    geo: &PairGeometry,
    av: &AcousticVerdict,
    bodies: &[String],
    params: &Acoustics,
) {
    let f = Factor::new;
    let crossings = if geo.crossings.is_empty() {
        "nothing in between".to_string()
    } else {
        geo.crossings
            .iter()
            .map(|c| format!("{} ({:.0} dB)", c.name, c.attenuation_db))
            .collect::<Vec<_>>()
            .join(", ")
    };
    out.push(f(
        "walls_and_obstacles",
        Some(geo.walls_db() + geo.obstacles_db() + 0.0),
        "dB",
        crossings,
    ));
    out.push(f(
        "line_of_sight",
        None,
        "",
        if geo.sight_blocked() {
            "blocked".into()
        } else {
            "clear".into()
        },
    ));
    let shown: Vec<&str> = bodies.iter().take(5).map(String::as_str).collect();
    out.push(f(
        "bodies_between",
        Some(bodies.len() as f64),
        "count",
        if bodies.is_empty() {
            "no one on the line between them".into()
        } else {
            format!(
                "{}{}: {:.1} dB ({:.1} dB each, capped at {:.0})",
                shown.join(", "),
                if bodies.len() > 5 {
                    format!(" and {} more", bodies.len() - 5)
                } else {
                    String::new()
                },
                av.bodies_db,
                params.body_attenuation_db.value,
                params.body_attenuation_cap_db.value
            )
        },
    ));
    if let Some(r) = geo.rows_between {
        out.push(f(
            "rows_between",
            Some(f64::from(r)),
            "count",
            "seat rows between them".into(),
        ));
    }
}

/// Which way each faces, and what that costs the voice.
fn facing_factors(out: &mut Vec<Factor>, av: &AcousticVerdict) {
    let f = Factor::new;
    for d in &av.directions {
        out.push(f(
            "facing",
            d.facing_offset_deg,
            "deg",
            match d.facing_offset_deg {
                Some(o) => format!(
                    "{} faces {o:.0}° away from the other: −{:.1} dB",
                    d.talker, d.directivity_db
                ),
                None => format!("{}'s facing unknown: assumed towards the other", d.talker),
            },
        ));
    }
}

/// When both were there.
fn co_presence_factor(out: &mut Vec<Factor>, cp: &CoPresence) {
    let f = Factor::new;
    out.push(f(
        "co_presence",
        cp.minutes,
        "min",
        match (cp.co_present, cp.from_min, cp.to_min) {
            (false, _, _) => "never there at the same time".into(),
            (true, Some(s), Some(e)) => format!(
                "both present {}–{}",
                crate::scene::format_clock(s),
                crate::scene::format_clock(e)
            ),
            (true, _, _) => "both present for the whole phase (times not given)".into(),
        },
    ));
}

/// The noise, the voice people use in it, the speech that reaches the listener, the index.
fn sound_factors(
    out: &mut Vec<Factor>,
    av: &AcousticVerdict,
    params: &Acoustics,
    crowd: Option<&crate::scene::CrowdNoise>,
) {
    let f = Factor::new;
    out.push(f(
        "noise",
        Some(params.noise_dba.value),
        "dB(A)",
        match crowd {
            Some(c) => format!(
                "{} background noise at the listener, {}",
                av.noise_spectrum,
                c.describe()
            ),
            None => format!("{} background noise at the listener", av.noise_spectrum),
        },
    ));
    if av.informational_masking_db != 0.0 {
        out.push(f(
            "informational_masking",
            Some(av.informational_masking_db),
            "dB",
            "allowance for competing talkers, added to the noise (scene parameter)".into(),
        ));
    }
    out.push(f(
        "natural_level",
        Some(av.natural_level_dba),
        "dB(A) at 1 m",
        "voice level people use in this noise (Lombard)".into(),
    ));
    let worst = &av.directions[if av.directions[0].sti <= av.directions[1].sti {
        0
    } else {
        1
    }];
    out.push(f(
        "speech_at_listener",
        Some(worst.speech_at_listener_dba),
        "dB(A)",
        format!(
            "{} talking at natural level, direct plus reverberant sound",
            worst.talker
        ),
    ));
    out.push(f(
        "snr",
        Some(worst.snr_db),
        "dB",
        "speech minus noise at the listener, A-weighted".into(),
    ));
    out.push(f(
        "sti",
        Some(worst.sti),
        "",
        format!(
            "speech transmission index (IEC 60268-16) at natural effort, with reverberation (RT60 {:.2} s): ISO 9921 quality {}; effective SNR by octave {}",
            params.rt60_s.value,
            worst.quality.label(),
            bands_compact(&worst.bands)
        ),
    ));
}

/// The least voice that gives fair, and poor, intelligibility both ways.
fn required_level_factors(out: &mut Vec<Factor>, av: &AcousticVerdict, params: &Acoustics) {
    let f = Factor::new;
    out.push(f(
        "required_level",
        av.required_level_dba,
        "dB(A) at 1 m",
        match (av.required_level_dba, av.required_effort) {
            (Some(r), Some(_)) if r <= av.natural_level_dba => format!(
                "least level for fair intelligibility both ways: below the natural voice ({:.1} dB(A) in this noise)",
                av.natural_level_dba
            ),
            (Some(r), Some(e)) => format!(
                "least level for fair intelligibility both ways: {:.1} dB above the natural voice (ISO 9921 effort at that level: {})",
                r - av.natural_level_dba,
                e.label()
            ),
            (Some(_), None) => format!(
                "beyond a sustained shout ({:.0} dB(A))",
                params.shout_ceiling_dba.value
            ),
            (None, _) => "no level suffices: the room's reverberation smears the speech".into(),
        },
    ));
    out.push(f(
        "required_level_poor",
        av.required_level_poor_dba,
        "dB(A) at 1 m",
        "least level for poor intelligibility (most sentences still get across)".into(),
    ));
}

/// The effective SNR of each octave in one line: `125 Hz +3, 250 Hz +1, …` (dB).
pub fn bands_compact(bands: &[BandDetail; 7]) -> String {
    bands
        .iter()
        .map(|b| {
            let hz = if b.hz >= 1000.0 {
                format!("{:.0}k", b.hz / 1000.0)
            } else {
                format!("{:.0}", b.hz)
            };
            format!("{hz} {:+.0}", b.snr_eff_db)
        })
        .collect::<Vec<_>>()
        .join(", ")
        + " dB"
}

/// Hall's proxemic zone for a distance.
pub fn hall_zone(distance_m: f64) -> &'static str {
    if distance_m < 0.45 {
        "intimate distance (Hall: under 0.45 m)"
    } else if distance_m < 1.2 {
        "personal distance (Hall: 0.45–1.2 m)"
    } else if distance_m < 3.6 {
        "social distance (Hall: 1.2–3.6 m)"
    } else {
        "public distance (Hall: over 3.6 m)"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// For a pair with only people between and neither turned away, the table's direct
        /// energy is the exact model's to the bit; for any other pair it leaves it to the
        /// exact model.
        #[test]
        fn the_clear_path_is_the_exact_direct_energy(
            volume in 50.0..50_000.0f64, rt60 in 0.2..3.0f64,
            each in 0.0..6.0f64, cap in 0.0..30.0f64,
            distance in 0.0..60.0f64, bodies in 0usize..80, side in 0.0..5.0f64,
            facing in 0u8..4, obstacles in 0u8..3,
        ) {
            let mut params = Acoustics::defaults(volume);
            params.rt60_s.value = rt60;
            params.body_attenuation_db.value = each;
            params.body_attenuation_cap_db.value = cap;
            let room = params.room();
            let clear = Clear::new(&room, &params);
            let turned = [None, Some(0.0), Some(-0.0), Some(40.0)][facing as usize];
            let input = PairInput {
                distance_m: distance,
                facing_a_deg: turned,
                facing_b_deg: None,
                walls_db: if obstacles == 2 { 10.0 } else { 0.0 },
                obstacles_db: if obstacles == 1 { 3.0 } else { 0.0 },
                bodies,
                side_reflections_m2: side,
            };
            let exact = direct_energy(&path_geometry(&input, &params).path, &room, 3);
            match clear.direct(&input, &params) {
                Some(d) => {
                    proptest::prop_assert_eq!(d.to_bits(), exact.to_bits(), "{} {}", d, exact)
                }
                None => proptest::prop_assert!(
                    facing == 3 || obstacles > 0 || bodies > Clear::MOST,
                    "left to the exact model: {:?}", input
                ),
            }
        }
    }

    /// A ballroom like the Mayflower's (about 4,500 m³, RT60 1.3 s) at noise `n`.
    fn hall(n: f64) -> Acoustics {
        let mut a = Acoustics::defaults(4500.0);
        a.rt60_s.value = 1.3;
        a.noise_dba.value = n;
        a
    }

    fn facing_pair(d: f64) -> PairInput {
        PairInput::face_to_face(d)
    }

    /// A room from a quiet meeting room to a loud ballroom: volume, reverberation, noise and
    /// ceiling drawn from `next` (uniform in 0..1).
    fn random_room(next: &mut impl FnMut() -> f64) -> Acoustics {
        let mut a = Acoustics::defaults(100.0 + 20_000.0 * next());
        a.rt60_s.value = 0.3 + 2.2 * next();
        a.noise_dba.value = 35.0 + 50.0 * next();
        a.ceiling_height_m.value = 2.5 + 6.0 * next();
        a
    }

    /// A pair from 10 cm to 60 m, turned any way (or facing unknown), behind up to six bodies
    /// and an obstacle, beside side walls or not.
    fn random_pair(next: &mut impl FnMut() -> f64) -> PairInput {
        let facing = |x: f64| (x < 0.8).then(|| 180.0 * x / 0.8);
        PairInput {
            distance_m: 0.1 + 60.0 * next().powi(2),
            facing_a_deg: facing(next()),
            facing_b_deg: facing(next()),
            walls_db: 0.0,
            obstacles_db: if next() < 0.2 { 10.0 * next() } else { 0.0 },
            bodies: (next() * 7.0) as usize,
            side_reflections_m2: if next() < 0.5 { 2.0 * next() } else { 0.0 },
        }
    }

    /// The band table against the exact model: over rooms from a quiet meeting room to a loud
    /// ballroom and pairs from 10 cm to 60 m, turned any way, behind up to six bodies and an
    /// obstacle, beside side walls or not, every band the table gives is the exact model's,
    /// and it gives one for nearly every pair.
    #[test]
    fn band_table_agrees_with_the_exact_model() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = state;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut decided, mut total, mut tables) = (0, 0, 0);
        for room in 0..24 {
            let a = random_room(&mut next);
            let Some(table) = BandTable::new(&a) else {
                continue;
            };
            tables += 1;
            for _ in 0..1500 {
                let input = random_pair(&mut next);
                total += 1;
                if let Some(b) = table.band(&input, &a) {
                    decided += 1;
                    assert_eq!(b, quick_band(&input, &a).0, "room {room}: {input:?}");
                }
            }
        }
        assert!(tables >= 20, "only {tables} of 24 rooms have a table");
        assert!(
            decided * 100 >= total * 99,
            "{decided} of {total} decided by the table"
        );
    }

    /// The table's score against the exact model's, over the same rooms and pairs as the
    /// bands: within [`SCORE_ERROR`] wherever the table answers.
    #[test]
    fn score_table_agrees_with_the_exact_model() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let (mut worst, mut compared) = (0.0f64, 0);
        for _ in 0..40 {
            let a = random_room(&mut next);
            let Some(table) = BandTable::new(&a) else {
                continue;
            };
            for _ in 0..2500 {
                let input = random_pair(&mut next);
                if let Some((band, score)) = table.assess(&input, &a) {
                    let (exact_band, exact) = quick_band(&input, &a);
                    assert_eq!(band, exact_band, "{input:?}");
                    assert_eq!(band == Band::Easy, score >= STI_FAIR, "{input:?}: {score}");
                    worst = worst.max((score - exact).abs());
                    compared += 1;
                }
            }
        }
        assert!(compared > 20_000, "only {compared} pairs compared");
        eprintln!("largest score difference {worst:e} over {compared} pairs");
        assert!(worst < SCORE_ERROR, "largest difference {worst}");
    }

    fn band(input: PairInput, n: f64) -> AcousticVerdict {
        acoustic_verdict(&input, &hall(n), ["A", "B"])
    }

    #[test]
    fn one_metre_apart_in_a_quiet_room_is_easy_and_excellent() {
        let v = band(facing_pair(1.0), 35.0);
        assert_eq!(v.band, Band::Easy);
        assert_eq!(v.quality, Quality::Excellent);
    }

    #[test]
    fn adjacent_seats_during_a_70_dba_speech_are_easy_or_raised() {
        let v = band(facing_pair(0.55), 70.0);
        assert!((v.natural_level_dba - 72.5).abs() < 1e-9);
        assert!(matches!(v.band, Band::Easy | Band::Raised), "{:?}", v.band);
        // even side by side, facing the stage (90° off), without leaning in
        let mut side = facing_pair(0.55);
        side.facing_a_deg = Some(90.0);
        side.facing_b_deg = Some(90.0);
        let mut p = hall(70.0);
        p.lean_in_reach_m.value = 0.0;
        let v = acoustic_verdict(&side, &p, ["A", "B"]);
        assert!(matches!(v.band, Band::Easy | Band::Raised), "{:?}", v.band);
    }

    #[test]
    fn two_rows_apart_in_72_dba_behind_someone_is_not_easy() {
        // the one in front turns round to talk; the one behind faces the stage (and the
        // talker's back when answering); a person sits in the row between
        let v = band(
            PairInput {
                bodies: 1,
                facing_a_deg: Some(0.0),
                facing_b_deg: Some(180.0),
                ..facing_pair(1.9)
            },
            72.0,
        );
        assert!(v.band >= Band::Raised, "{:?}", v.band);
    }

    #[test]
    fn five_rows_apart_in_72_dba_is_implausible_or_only_by_shouting() {
        let v = band(facing_pair(4.75), 72.0);
        assert!(
            matches!(v.band, Band::Implausible | Band::Shouting),
            "{:?}",
            v.band
        );
        // MODEL.md's direct-field estimate is about 88 dB(A); babble masks less than that rule
        let req = v.required_level_dba.unwrap_or(f64::INFINITY);
        assert!((80.0..95.0).contains(&req), "needs {req}");
    }

    #[test]
    fn one_metre_apart_at_a_75_dba_cocktail_party_is_easy_or_raised() {
        let v = band(facing_pair(1.0), 75.0);
        assert!(matches!(v.band, Band::Easy | Band::Raised), "{:?}", v.band);
    }

    #[test]
    fn dinner_neighbours_at_a_round_table_in_68_dba_talk_easily() {
        // neighbours on a 72-inch round: 0.78 m apart, each turned 72° from the other
        let v = band(
            PairInput {
                facing_a_deg: Some(72.0),
                facing_b_deg: Some(72.0),
                ..facing_pair(0.78)
            },
            68.0,
        );
        assert_eq!(v.band, Band::Easy);
    }

    #[test]
    fn across_a_72_inch_round_in_68_dba_takes_raised_voices_at_most() {
        let v = band(facing_pair(2.5), 68.0);
        assert!(v.band <= Band::Raised, "{:?}", v.band);
    }

    #[test]
    fn a_centimetre_never_flips_the_score() {
        let p = hall(68.0);
        let mut last = quick_band(&facing_pair(0.05), &p).1;
        for cm in 6..600 {
            let s = quick_band(&facing_pair(f64::from(cm) / 100.0), &p).1;
            assert!((s - last).abs() <= 0.02, "{cm} cm: {last} -> {s}");
            assert!(s <= last + 1e-12, "{cm} cm: rose {last} -> {s}");
            last = s;
        }
    }

    #[test]
    fn through_a_50_db_wall_at_any_distance_is_implausible() {
        for d in [0.1, 0.3, 1.0, 3.0, 10.0] {
            for n in [35.0, 45.0, 70.0] {
                let v = band(
                    PairInput {
                        walls_db: 50.0,
                        ..facing_pair(d)
                    },
                    n,
                );
                assert_eq!(v.band, Band::Implausible, "d {d} n {n}");
            }
        }
    }

    #[test]
    fn symmetric_when_both_face_each_other() {
        let v = band(
            PairInput {
                bodies: 2,
                obstacles_db: 5.0,
                ..facing_pair(3.0)
            },
            60.0,
        );
        assert!((v.directions[0].sti - v.directions[1].sti).abs() < 1e-12);
    }

    #[test]
    fn easy_exactly_when_score_reaches_0_45() {
        for d in [0.3, 1.0, 2.0, 3.0, 5.0, 8.0] {
            for n in [35.0, 55.0, 65.0, 75.0, 85.0] {
                let v = band(facing_pair(d), n);
                assert_eq!(
                    v.band == Band::Easy,
                    v.score >= STI_FAIR - 1e-9,
                    "d {d} n {n} score {}",
                    v.score
                );
            }
        }
    }

    #[test]
    fn band_names_parse() {
        assert_eq!(Band::parse("raised"), Some(Band::Raised));
        assert_eq!(Band::parse("only by shouting"), Some(Band::Shouting));
        assert_eq!(Band::parse("never-co-present"), Some(Band::NeverCoPresent));
        assert_eq!(Band::parse("loud"), None);
    }
}
