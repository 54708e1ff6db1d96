//! Speech in a room: how loud a talker is, how the level falls with distance and obstacles,
//! how much of it is masked by noise and reverberation, and how intelligible the rest is.
//!
//! All levels are A-weighted dB; all distances metres; times seconds. The formulas and their
//! sources are in `docs/model.md`.
//!
//! **How reverberation counts.** Reverberant energy makes speech louder (it adds to the level
//! at the listener) but smears it: the decaying tail fills the gaps between syllables. Both
//! effects are in the speech transmission index computed here: the level sets the
//! signal-to-noise ratio, and the tail's modulation transfer `1/(1 + i·2πF·T/13.8)` reduces the
//! modulation the listener receives. The reverberant level follows the room equation through
//! the critical distance `d_c = 0.057·√(Q·V/RT60)`.

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

/// Speech interference level of ordinary broadband noise, from its A-weighted level (ISO 9921).
pub fn sil_db(noise_dba: f64) -> f64 {
    noise_dba - 7.0
}

/// Directivity factor Q of a human talker (directivity index about 3 dB).
pub const TALKER_Q: f64 = 2.0;

/// Front-to-back level difference of the voice, dB: about 10 dB (Chu & Warnock, in Crocker).
pub const VOICE_FRONT_BACK_DB: f64 = 10.0;

/// A room's reverberation.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Room {
    /// Volume, cubic metres.
    pub volume_m3: f64,
    /// Reverberation time, seconds.
    pub rt60_s: f64,
}

impl Room {
    /// Distance at which direct and reverberant energy are equal, metres.
    pub fn critical_distance_m(&self) -> f64 {
        0.057 * (TALKER_Q * self.volume_m3 / self.rt60_s).sqrt()
    }

    /// Fraction of the reverberant energy that arrives more than 50 ms after the direct sound.
    pub fn late_fraction(&self) -> f64 {
        10f64.powf(-0.3 / self.rt60_s)
    }
}

/// Level loss of the talker's voice off its axis, dB, for `offset_deg` (0..180) between the
/// talker's facing and the direction to the listener: linear from 0 in front to 10 dB behind
/// (about 1.7 dB per 30°, near the 1.5 dB per 30° of the measured data).
pub fn directivity_loss_db(offset_deg: f64) -> f64 {
    VOICE_FRONT_BACK_DB * offset_deg.clamp(0.0, 180.0) / 180.0
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
}

/// Modulation frequencies of the STI, Hz (IEC 60268-16: 0.63 to 12.5 Hz in third octaves).
pub const MODULATION_HZ: [f64; 14] = [
    0.63, 0.8, 1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0, 12.5,
];

/// How much more a broadband noise masks than its A-weighted level says, dB: chosen so that
/// with noise alone the index reaches 0.45 (ISO 9921 *fair*) exactly when speech − SIL = 10 dB
/// (ISO 9921 annex E), with SIL = noise − 7. See docs/model.md.
pub const NOISE_MASKING_OFFSET_DB: f64 = 4.5;

/// STI at which ISO 9921 rates communication *fair*.
pub const STI_FAIR: f64 = 0.45;
/// STI at which ISO 9921 rates communication *poor* (most sentences still get across).
pub const STI_POOR: f64 = 0.30;

/// How the talker's level at 1 m reaches the listener: direct and reverberant energy.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Transfer {
    /// Direct energy relative to the on-axis level at 1 m (linear power ratio).
    pub direct: f64,
    /// Reverberant energy, same scale.
    pub reverberant: f64,
    /// Reverberation time, seconds.
    pub rt60_s: f64,
}

impl Transfer {
    /// Builds the transfer for a path in a room.
    pub fn new(path: &SoundPath, room: &Room) -> Self {
        let r = path.distance_m.max(0.1);
        let walls = 10f64.powf(-path.walls_db / 10.0);
        let direct =
            10f64.powf(-(path.directivity_db + path.obstacles_db) / 10.0) * walls / (r * r);
        let dc = room.critical_distance_m();
        Transfer {
            direct,
            reverberant: walls / (dc * dc),
            rt60_s: room.rt60_s,
        }
    }

    /// Speech level at the listener for a talker level at 1 m, direct plus reverberant, dB(A).
    pub fn speech_dba(&self, level_1m_dba: f64) -> f64 {
        level_1m_dba + 10.0 * (self.direct + self.reverberant).log10()
    }

    /// Speech minus SIL of the background noise, dB (ISO 9921's SNR).
    pub fn snr_sil_db(&self, level_1m_dba: f64, noise_dba: f64) -> f64 {
        self.speech_dba(level_1m_dba) - sil_db(noise_dba)
    }

    /// Modulation transfer of reverberation alone at modulation frequency `f_hz`: the direct
    /// sound keeps its modulation, the exponentially decaying tail `1/(1 + i·2πF·T/13.8)` smears
    /// it (Houtgast, Steeneken & Plomp 1980).
    pub fn reverberation_mtf(&self, f_hz: f64) -> f64 {
        let a = 2.0 * std::f64::consts::PI * f_hz * self.rt60_s / 13.8;
        let (re, im) = (1.0 / (1.0 + a * a), -a / (1.0 + a * a));
        let (d, r) = (self.direct, self.reverberant);
        ((d + r * re).powi(2) + (r * im).powi(2)).sqrt() / (d + r)
    }

    /// A broadband speech transmission index (0..1) for a talker level in noise: the STI's
    /// modulation transfer with reverberation and noise, without octave-band weighting.
    pub fn sti(&self, level_1m_dba: f64, noise_dba: f64) -> f64 {
        let snr = self.speech_dba(level_1m_dba) - noise_dba - NOISE_MASKING_OFFSET_DB;
        let noise_factor = 1.0 / (1.0 + 10f64.powf(-snr / 10.0));
        let ti: f64 = MODULATION_HZ
            .iter()
            .map(|&f| {
                let m = (self.reverberation_mtf(f) * noise_factor).clamp(1e-12, 1.0 - 1e-12);
                ((10.0 * (m / (1.0 - m)).log10()).clamp(-15.0, 15.0) + 15.0) / 30.0
            })
            .sum();
        ti / MODULATION_HZ.len() as f64
    }

    /// The least talker level at 1 m, dB(A), at which the index reaches `target`; `None` when
    /// reverberation alone keeps it below the target whatever the level.
    pub fn required_level_dba(&self, noise_dba: f64, target: f64) -> Option<f64> {
        let (mut lo, mut hi) = (-40.0, 240.0);
        if self.sti(hi, noise_dba) < target {
            return None;
        }
        if self.sti(lo, noise_dba) >= target {
            return Some(lo);
        }
        for _ in 0..60 {
            let mid = 0.5 * (lo + hi);
            if self.sti(mid, noise_dba) >= target {
                hi = mid
            } else {
                lo = mid
            }
        }
        Some(hi)
    }
}

/// Energetic sum of two levels, dB.
pub fn power_sum(a_db: f64, b_db: f64) -> f64 {
    10.0 * (10f64.powf(a_db / 10.0) + 10f64.powf(b_db / 10.0)).log10()
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
        Room {
            volume_m3: 4500.0,
            rt60_s: 1.3,
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
            },
            &ballroom(),
        );
        let req = t.required_level_dba(65.0, STI_FAIR).unwrap_or(f64::NAN);
        assert!((t.sti(req, 65.0) - STI_FAIR).abs() < 1e-6);
    }

    #[test]
    fn with_noise_alone_fair_means_speech_10_db_over_sil() {
        let dry = Room {
            volume_m3: 1e9,
            rt60_s: 0.01,
        };
        let t = Transfer::new(
            &SoundPath {
                distance_m: 1.0,
                directivity_db: 0.0,
                obstacles_db: 0.0,
                walls_db: 0.0,
            },
            &dry,
        );
        let req = t.required_level_dba(60.0, STI_FAIR).unwrap_or(f64::NAN);
        assert!(
            (t.snr_sil_db(req, 60.0) - 10.0).abs() < 0.05,
            "{}",
            t.snr_sil_db(req, 60.0)
        );
    }

    #[test]
    fn far_in_a_ballroom_reverberation_alone_still_allows_fair_speech() {
        // far field, RT60 1.3 s: an STI near 0.5, as measured in such rooms
        let t = Transfer::new(
            &SoundPath {
                distance_m: 30.0,
                directivity_db: 10.0,
                obstacles_db: 14.0,
                walls_db: 0.0,
            },
            &ballroom(),
        );
        let sti = t.sti(200.0, 0.0);
        assert!((0.45..0.6).contains(&sti), "{sti}");
    }

    #[test]
    fn a_very_reverberant_room_defeats_any_level() {
        let church = Room {
            volume_m3: 20000.0,
            rt60_s: 6.0,
        };
        let t = Transfer::new(
            &SoundPath {
                distance_m: 30.0,
                directivity_db: 10.0,
                obstacles_db: 14.0,
                walls_db: 0.0,
            },
            &church,
        );
        assert_eq!(t.required_level_dba(40.0, STI_FAIR), None);
    }

    #[test]
    fn critical_distance_of_a_ballroom() {
        let dc = ballroom().critical_distance_m();
        assert!((4.5..5.0).contains(&dc), "{dc}");
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
