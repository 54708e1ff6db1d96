//! Speech in a room: how loud a talker is, how the level falls with distance and obstacles,
//! how much of it is masked by noise and reverberation, and how intelligible the rest is.
//!
//! Talker levels are A-weighted dB at 1 m; band levels dB SPL; distances metres; times
//! seconds. The formulas and their sources are in `docs/model.md`; the index itself is
//! IEC 60268-16's, in [`crate::physics::sti`].
//!
//! **How reverberation counts.** Reverberant energy makes speech louder (it adds to the level
//! at the listener) but smears it: the decaying tail fills the gaps between syllables. Both
//! effects are in the speech transmission index: the level sets each band's signal-to-noise
//! ratio, and the tail's modulation transfer `1/(1 + i·2πF·T/13.8)` reduces the modulation the
//! listener receives. The reverberant level follows the diffuse-field room equation (Sabine)
//! through the critical distance `d_c = 0.057·√(Q·V/RT60)`, band by band.

use crate::physics::sti::{
    BandDetail, NoiseSpectrum, a_weighted_dba, band_details, db_to_power, mti_powers,
    speech_bands_db, speech_bands_power, sti_from_mti,
};
use serde::Serialize;

/// ISO 9921 vocal efforts with their A-weighted levels at 1 m in front of the mouth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effort {
    /// 54 dB(A)
    Relaxed,
    /// 60 dB(A)
    Normal,
    /// 66 dB(A)
    Raised,
    /// 72 dB(A)
    Loud,
    /// 78 dB(A)
    VeryLoud,
    /// up to the shout ceiling (84 dB(A) by default)
    Shout,
}

impl Effort {
    /// Every effort, quietest first.
    pub const ALL: [Effort; 6] = [
        Effort::Relaxed,
        Effort::Normal,
        Effort::Raised,
        Effort::Loud,
        Effort::VeryLoud,
        Effort::Shout,
    ];

    /// Speech level at 1 m, dB(A) (ISO 9921:2003 table; the shout is the ceiling given).
    pub fn level_dba(self, shout_ceiling_dba: f64) -> f64 {
        match self {
            Effort::Relaxed => 54.0,
            Effort::Normal => 60.0,
            Effort::Raised => 66.0,
            Effort::Loud => 72.0,
            Effort::VeryLoud => 78.0,
            Effort::Shout => shout_ceiling_dba,
        }
    }

    /// A reader's name for the effort.
    pub fn label(self) -> &'static str {
        match self {
            Effort::Relaxed => "relaxed",
            Effort::Normal => "normal",
            Effort::Raised => "raised",
            Effort::Loud => "loud",
            Effort::VeryLoud => "very loud",
            Effort::Shout => "shout",
        }
    }

    /// The least effort whose level reaches `level_dba`, if any does.
    pub fn at_least(level_dba: f64, shout_ceiling_dba: f64) -> Option<Effort> {
        Effort::ALL
            .into_iter()
            .find(|e| e.level_dba(shout_ceiling_dba) >= level_dba - 1e-9)
    }
}

/// The level people talk at without deciding to, in noise (Lombard effect), dB(A) at 1 m:
/// 60 up to 45 dB(A) of noise, then half a decibel per decibel of noise, capped at very loud (78).
pub fn natural_level_dba(noise_dba: f64) -> f64 {
    (60.0 + 0.5 * (noise_dba - 45.0).max(0.0)).min(78.0)
}

/// Directivity factor Q of a human talker (directivity index about 3 dB): the default of the
/// `talker_q` parameter.
pub const TALKER_Q: f64 = 2.0;

/// Front-to-back level difference of the voice, dB: about 10 dB (Chu & Warnock, in Crocker).
pub const VOICE_FRONT_BACK_DB: f64 = 10.0;

/// A room's reverberation, as the diffuse-field (Sabine) room model sees it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Room {
    /// Volume, cubic metres.
    pub volume_m3: f64,
    /// Reverberation time per octave band (125 Hz … 8 kHz), seconds.
    pub rt60_s: [f64; 7],
    /// Directivity factor of the talker (2 for a human voice, 1 for an omnidirectional source).
    pub talker_q: f64,
    /// Ceiling height, metres.
    pub height_m: f64,
    /// Height of mouth and ear above the floor, metres.
    pub ear_height_m: f64,
}

impl Room {
    /// A room with one reverberation time for every band.
    pub fn uniform(volume_m3: f64, rt60_s: f64, talker_q: f64) -> Self {
        Room {
            volume_m3,
            rt60_s: [rt60_s; 7],
            talker_q,
            height_m: 3.0,
            ear_height_m: 1.2,
        }
    }

    /// The mean absorption coefficient of the room's surfaces in band `k`: Sabine's absorption
    /// area `0.161·V/RT60` over the surface of a box with the room's height and a square floor
    /// of the same area (the outline's own perimeter is not known here). (Eyring's formula was
    /// tried too: it moved the validation table by 0.001 STI, the wrong way.)
    pub fn mean_absorption(&self, k: usize) -> f64 {
        let h = self.height_m.max(0.5);
        let floor = self.volume_m3 / h;
        let surface = 2.0 * floor + 4.0 * floor.sqrt() * h;
        (0.161 * self.volume_m3 / self.rt60_s[k].max(1e-3) / surface).clamp(0.0, 1.0)
    }

    /// Energy of the first reflections off the floor and the ceiling for two people `r` metres
    /// apart at ear height, relative to the on-axis level at 1 m: `(1 − α)/r_image²` each.
    /// They arrive within a few milliseconds of the direct sound and carry its modulation.
    /// With `floor_shielded` (people or objects in between) only the ceiling's counts.
    pub fn early_reflections(&self, r: f64, k: usize, floor_shielded: bool) -> f64 {
        let keep = 1.0 - self.mean_absorption(k);
        let z = self.ear_height_m.clamp(0.0, self.height_m);
        let floor = if floor_shielded {
            0.0
        } else {
            1.0 / (r * r + 4.0 * z * z)
        };
        let ceiling = 1.0 / (r * r + 4.0 * (self.height_m - z).powi(2));
        keep * (floor + ceiling)
    }

    /// Distance at which direct and reverberant energy are equal in band `k`, metres:
    /// `0.057·√(Q·V/RT60)` (Sabine's absorption area `A = 0.161·V/RT60` in the room equation).
    pub fn critical_distance_m(&self, k: usize) -> f64 {
        0.057 * (self.talker_q * self.volume_m3 / self.rt60_s[k].max(1e-3)).sqrt()
    }
}

/// Level loss of the talker's voice off its axis, dB, for `offset_deg` (0..180) between the
/// talker's facing and the direction to the listener: linear from 0 in front to 10 dB behind
/// (about 1.7 dB per 30°, near the 1.5 dB per 30° of the measured data).
pub fn directivity_loss_db(offset_deg: f64) -> f64 {
    VOICE_FRONT_BACK_DB * offset_deg.clamp(0.0, 180.0) / 180.0
}

/// How much more a partition insulates per octave up, dB: the mass law gives 6 dB per octave,
/// real partitions a little less once their coincidence dip is averaged in.
pub const WALL_SLOPE_DB_PER_OCTAVE: f64 = 5.0;

/// A wall's loss in octave band `k` (0 = 125 Hz), dB, for a wall rated `rated_db`: the rating
/// holds at 500 Hz (as a single-number rating such as STC roughly does), rising
/// [`WALL_SLOPE_DB_PER_OCTAVE`] per octave up and falling as much per octave down.
pub fn wall_loss_db(rated_db: f64, k: usize) -> f64 {
    if rated_db <= 0.0 {
        return 0.0;
    }
    (rated_db + WALL_SLOPE_DB_PER_OCTAVE * (k as f64 - 2.0)).max(0.0)
}

/// The sound path from a talker's mouth to a listener's ear.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct SoundPath {
    /// Mouth-to-ear distance, metres (at least 0.1).
    pub distance_m: f64,
    /// Loss of the direct sound from voice directivity, dB.
    pub directivity_db: f64,
    /// Loss of the direct sound across obstacles and bodies in between, dB.
    pub obstacles_db: f64,
    /// Loss through walls, dB; applies to the direct and the reverberant sound.
    pub walls_db: f64,
    /// First-order reflections off the side walls, Σ 1/r² over their image sources, m⁻².
    pub side_reflections_m2: f64,
}

pub use crate::physics::sti::MODULATION_HZ;

/// STI at which ISO 9921 rates communication *fair*.
pub const STI_FAIR: f64 = 0.45;
/// STI at which ISO 9921 rates communication *poor* (most sentences still get across).
pub const STI_POOR: f64 = 0.30;

/// The background noise at a listener, band by band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Noise {
    /// A-weighted level, dB(A).
    pub dba: f64,
    /// Octave band intensities (power ratios re 20 µPa²), including any informational-masking
    /// allowance.
    pub bands_power: [f64; 7],
}

impl Noise {
    /// Noise of level `dba` with spectrum `spectrum`, raised by `informational_masking_db` (an
    /// optional allowance for competing talkers, 0 by default).
    pub fn new(dba: f64, spectrum: &NoiseSpectrum, informational_masking_db: f64) -> Self {
        Noise {
            dba,
            bands_power: spectrum.bands_power(dba + informational_masking_db),
        }
    }

    /// Octave band levels, dB SPL.
    pub fn bands_db(&self) -> [f64; 7] {
        self.bands_power.map(|p| 10.0 * p.log10())
    }
}

/// The power ratio that a path's walls let through in band `k` (1 without walls).
fn wall_power(path: &SoundPath, k: usize) -> f64 {
    if path.walls_db > 0.0 {
        db_to_power(-wall_loss_db(path.walls_db, k))
    } else {
        1.0
    }
}

/// What the direct and early sound of a path share across bands.
struct DirectParts {
    r: f64,
    /// The direct sound, relative to the on-axis level at 1 m.
    free: f64,
    /// The loss the floor and ceiling reflections share with it: same facing, same obstacles.
    free_early: f64,
    /// Anything in between (people, seats, a counter) also shields the grazing floor path.
    shielded: bool,
    side_reflections_m2: f64,
}

impl DirectParts {
    fn new(path: &SoundPath) -> Self {
        let r = path.distance_m.max(0.1);
        let free_early = db_to_power(-(path.directivity_db + path.obstacles_db));
        DirectParts {
            r,
            free: free_early / (r * r),
            free_early,
            shielded: path.obstacles_db > 0.0,
            side_reflections_m2: path.side_reflections_m2,
        }
    }

    /// Direct plus early energy in band `k`, through walls that let `wall` through.
    fn band(&self, room: &Room, k: usize, wall: f64) -> f64 {
        let early = room.early_reflections(self.r, k, self.shielded)
            + (1.0 - room.mean_absorption(k)) * self.side_reflections_m2;
        (self.free + self.free_early * early) * wall
    }
}

/// The direct and early energy of `path` in band `k`, relative to the on-axis level at 1 m: what
/// [`Transfer::new`] computes for that band.
pub fn direct_energy(path: &SoundPath, room: &Room, k: usize) -> f64 {
    DirectParts::new(path).band(room, k, wall_power(path, k))
}

/// How the talker's level at 1 m reaches the listener: direct and reverberant energy per band,
/// and the room's modulation transfer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Transfer {
    /// Direct energy in the 1 kHz band relative to the on-axis level at 1 m (power ratio).
    pub direct: f64,
    /// Reverberant energy per band, same scale.
    pub reverberant: [f64; 7],
    /// Gain of each band from 1 m on axis to the listener, as a power ratio.
    gain: [f64; 7],
    /// The room's modulation transfer per band and modulation frequency.
    m_room: [[f64; 14]; 7],
}

impl Transfer {
    /// Builds the transfer for a path in a room: direct sound falling with the square of the
    /// distance, a diffuse reverberant field of energy `1/d_c²` (both relative to the on-axis
    /// level at 1 m), and the exponential decay's modulation transfer
    /// `|D + R/(1 + i·2πF·T/13.8)| / (D + R)` (Houtgast, Steeneken & Plomp 1980).
    pub fn new(path: &SoundPath, room: &Room) -> Self {
        let walls: [f64; 7] = std::array::from_fn(|k| wall_power(path, k));
        let parts = DirectParts::new(path);
        let direct_k: [f64; 7] = std::array::from_fn(|k| parts.band(room, k, walls[k]));
        Self::from_direct(direct_k, parts.free * walls[3], &walls, room)
    }

    /// The transfer for given direct (and early) energy per band, relative to the on-axis
    /// level at 1 m (`direct_1k` is the 1 kHz direct sound alone, for reports), with the wall
    /// losses `walls` (power ratios) also applying to the reverberant sound.
    pub fn from_direct(direct_k: [f64; 7], direct_1k: f64, walls: &[f64; 7], room: &Room) -> Self {
        let reverberant: [f64; 7] = std::array::from_fn(|k| {
            let dc = room.critical_distance_m(k);
            walls[k] / (dc * dc)
        });
        let mut m_room = [[0.0; 14]; 7];
        for k in 0..7 {
            if k > 0 && room.rt60_s[k] == room.rt60_s[k - 1] && walls[k] == walls[k - 1] {
                m_room[k] = m_room[k - 1];
                continue;
            }
            let (d, rv, t) = (direct_k[k], reverberant[k], room.rt60_s[k]);
            for (f, m) in MODULATION_HZ.iter().zip(m_room[k].iter_mut()) {
                let a = 2.0 * std::f64::consts::PI * f * t / 13.8;
                let den = 1.0 + a * a;
                let (re, im) = (1.0 / den, -a / den);
                *m = ((d + rv * re).powi(2) + (rv * im).powi(2)).sqrt() / (d + rv);
            }
        }
        Transfer {
            direct: direct_1k,
            reverberant,
            gain: std::array::from_fn(|k| direct_k[k] + reverberant[k]),
            m_room,
        }
    }

    /// Speech band levels at the listener for a talker level at 1 m, dB SPL.
    pub fn speech_bands_db(&self, level_1m_dba: f64) -> [f64; 7] {
        let s = speech_bands_db(level_1m_dba);
        std::array::from_fn(|k| s[k] + 10.0 * self.gain[k].log10())
    }

    /// Speech level at the listener for a talker level at 1 m, direct plus reverberant, dB(A).
    pub fn speech_dba(&self, level_1m_dba: f64) -> f64 {
        a_weighted_dba(&self.speech_bands_db(level_1m_dba))
    }

    /// The speech transmission index (IEC 60268-16, male) for a talker level in noise.
    pub fn sti(&self, level_1m_dba: f64, noise: &Noise) -> f64 {
        let s = speech_bands_power(level_1m_dba);
        let speech: [f64; 7] = std::array::from_fn(|k| s[k] * self.gain[k]);
        sti_from_mti(&mti_powers(&self.m_room, &speech, &noise.bands_power))
    }

    /// The per-band picture at a talker level.
    pub fn bands(&self, level_1m_dba: f64, noise: &Noise) -> [BandDetail; 7] {
        band_details(
            &self.m_room,
            &self.speech_bands_db(level_1m_dba),
            &noise.bands_db(),
        )
    }

    /// The least talker level at 1 m, dB(A), at which the index reaches `target`, to within
    /// 0.005 dB; `None` when no level from −40 to 160 dB(A) does (reverberation, or at extreme
    /// levels the ear's own masking, keeps it below).
    ///
    /// The index rises with the level until the ear's upward spread of masking catches up at
    /// levels far beyond speech, so the search steps in 8 dB strides from a normal voice to
    /// bracket the first crossing, then narrows it by regula falsi (Illinois).
    pub fn required_level_dba(&self, noise: &Noise, target: f64) -> Option<f64> {
        const STEP: f64 = 8.0;
        let f = |l: f64| self.sti(l, noise) - target;
        let start = 60.0;
        let f0 = f(start);
        let (mut lo, mut flo, mut hi, mut fhi);
        if f0 >= 0.0 {
            (hi, fhi) = (start, f0);
            loop {
                let l = hi - STEP;
                if l < -40.0 {
                    return Some(hi);
                }
                let fl = f(l);
                if fl < 0.0 {
                    (lo, flo) = (l, fl);
                    break;
                }
                (hi, fhi) = (l, fl);
            }
        } else {
            (lo, flo) = (start, f0);
            loop {
                let l = lo + STEP;
                if l > 160.0 {
                    return None;
                }
                let fl = f(l);
                if fl >= 0.0 {
                    (hi, fhi) = (l, fl);
                    break;
                }
                (lo, flo) = (l, fl);
            }
        }
        let mut side = 0i8;
        for _ in 0..100 {
            if hi - lo <= 0.005 {
                break;
            }
            let mut x = hi - fhi * (hi - lo) / (fhi - flo);
            if !(x > lo && x < hi) {
                x = 0.5 * (lo + hi);
            }
            let fx = f(x);
            if fx >= 0.0 {
                (hi, fhi) = (x, fx);
                if side == 1 {
                    flo *= 0.5;
                }
                side = 1;
            } else {
                (lo, flo) = (x, fx);
                if side == -1 {
                    fhi *= 0.5;
                }
                side = -1;
            }
        }
        Some(hi)
    }
}

/// ISO 9921 speech communication quality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Quality {
    /// SNR(SIL) below 3 dB
    Bad,
    /// 3–10 dB: most sentences still get across
    Poor,
    /// 10–15 dB: satisfactory communication
    Fair,
    /// 15–21 dB
    Good,
    /// above 21 dB
    Excellent,
}

impl Quality {
    /// The quality band for a speech transmission index (ISO 9921 STI column).
    pub fn from_sti(sti: f64) -> Self {
        if sti > 0.75 {
            Quality::Excellent
        } else if sti >= 0.60 {
            Quality::Good
        } else if sti >= STI_FAIR {
            Quality::Fair
        } else if sti >= STI_POOR {
            Quality::Poor
        } else {
            Quality::Bad
        }
    }
    /// Lower-case name.
    pub fn label(self) -> &'static str {
        match self {
            Quality::Bad => "bad",
            Quality::Poor => "poor",
            Quality::Fair => "fair",
            Quality::Good => "good",
            Quality::Excellent => "excellent",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ballroom() -> Room {
        Room::uniform(4500.0, 1.3, TALKER_Q)
    }

    fn babble(dba: f64) -> Noise {
        Noise::new(dba, &NoiseSpectrum::Babble, 0.0)
    }

    fn path(distance_m: f64) -> SoundPath {
        SoundPath {
            distance_m,
            directivity_db: 0.0,
            obstacles_db: 0.0,
            walls_db: 0.0,
            side_reflections_m2: 0.0,
        }
    }

    #[test]
    fn lombard_natural_level() {
        assert_eq!(natural_level_dba(35.0), 60.0);
        assert_eq!(natural_level_dba(70.0), 72.5);
        assert_eq!(natural_level_dba(100.0), 78.0);
    }

    #[test]
    fn required_level_gives_exactly_the_target() {
        let t = Transfer::new(
            &SoundPath {
                distance_m: 2.0,
                directivity_db: 3.0,
                obstacles_db: 3.0,
                walls_db: 0.0,
                side_reflections_m2: 0.0,
            },
            &ballroom(),
        );
        let n = babble(65.0);
        let req = t.required_level_dba(&n, STI_FAIR).unwrap_or(f64::NAN);
        assert!(t.sti(req, &n) >= STI_FAIR);
        assert!(t.sti(req - 0.01, &n) < STI_FAIR);
    }

    #[test]
    fn in_babble_alone_fair_needs_speech_a_little_above_the_noise() {
        // no room, speech-shaped noise: band SNRs all equal the A-weighted SNR, so STI 0.45
        // needs an SNR of −1.5 dB plus what masking and the tilt of a raised voice cost
        let dry = Room::uniform(1e12, 0.01, TALKER_Q);
        let t = Transfer::new(&path(1.0), &dry);
        let n = babble(60.0);
        let req = t.required_level_dba(&n, STI_FAIR).unwrap_or(f64::NAN);
        let snr = t.speech_dba(req) - 60.0;
        assert!((-2.5..=1.0).contains(&snr), "{snr}");
    }

    #[test]
    fn far_in_a_ballroom_reverberation_alone_still_allows_fair_speech() {
        // far field, RT60 1.3 s, no noise: an STI near 0.5, as measured in such rooms
        let t = Transfer::new(
            &SoundPath {
                distance_m: 30.0,
                directivity_db: 10.0,
                obstacles_db: 14.0,
                walls_db: 0.0,
                side_reflections_m2: 0.0,
            },
            &ballroom(),
        );
        let sti = t.sti(120.0, &babble(0.0));
        assert!((0.45..0.6).contains(&sti), "{sti}");
    }

    #[test]
    fn a_very_reverberant_room_defeats_any_level() {
        let church = Room::uniform(20000.0, 6.0, TALKER_Q);
        let t = Transfer::new(
            &SoundPath {
                distance_m: 30.0,
                directivity_db: 10.0,
                obstacles_db: 14.0,
                walls_db: 0.0,
                side_reflections_m2: 0.0,
            },
            &church,
        );
        assert_eq!(t.required_level_dba(&babble(40.0), STI_FAIR), None);
    }

    #[test]
    fn critical_distance_of_a_ballroom() {
        let dc = ballroom().critical_distance_m(3);
        assert!((4.5..5.0).contains(&dc), "{dc}");
    }

    #[test]
    fn per_band_reverberation_counts_band_by_band() {
        let mut boomy = ballroom();
        boomy.rt60_s[0] = 3.0;
        boomy.rt60_s[1] = 2.5;
        let (a, b) = (
            Transfer::new(&path(6.0), &ballroom()),
            Transfer::new(&path(6.0), &boomy),
        );
        let n = babble(50.0);
        assert!(b.sti(70.0, &n) < a.sti(70.0, &n));
    }

    #[test]
    fn quality_bands_and_sentences() {
        assert_eq!(Quality::from_sti(0.8), Quality::Excellent);
        assert_eq!(Quality::from_sti(0.5), Quality::Fair);
        assert_eq!(Quality::from_sti(0.1), Quality::Bad);
        assert_eq!(Effort::at_least(67.0, 84.0), Some(Effort::Loud));
        assert_eq!(Effort::at_least(85.0, 84.0), None);
    }
}
