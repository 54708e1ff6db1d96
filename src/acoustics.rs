//! Speech in a room: how loud a talker is, how the level falls with distance and obstacles,
//! how much of it is masked by noise and reverberation, and how intelligible the rest is.
//!
//! All levels are A-weighted dB; all distances metres; times seconds. The formulas and their
//! sources are in `docs/model.md`.
//!
//! **How reverberation counts.** The talker's sound reaches the listener three ways: the direct
//! sound, early reflections (within 50 ms, which the ear fuses with the direct sound) and the late
//! reverberant tail. Direct and early energy count as *signal*. The late tail smears syllables
//! into one another, so it counts as *noise*, added to the background (the choice STI embodies).
//! The reverberant energy follows the room equation through the critical distance
//! `d_c = 0.057·√(Q·V/RT60)`; the fraction of it that arrives after 50 ms is `10^(−0.3/RT60)`
//! for an exponential decay of 60 dB in RT60.

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

/// Fair intelligibility per ISO 9921 annex E: speech level minus SIL of at least 10 dB.
pub const FAIR_SNR_SIL_DB: f64 = 10.0;

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
    /// Loss through walls, dB; applies to the direct and the early reflected sound.
    pub walls_db: f64,
}

/// How the talker's level at 1 m becomes signal and late-reverberant noise at the listener.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Transfer {
    /// Direct energy relative to the on-axis level at 1 m (linear power ratio).
    pub direct: f64,
    /// Early-reflected energy (counted as signal), same scale.
    pub early: f64,
    /// Late-reverberant energy (counted as noise), same scale.
    pub late: f64,
}

impl Transfer {
    /// Builds the transfer for a path in a room.
    pub fn new(path: &SoundPath, room: &Room) -> Self {
        let r = path.distance_m.max(0.1);
        let direct =
            10f64.powf(-(path.directivity_db + path.obstacles_db + path.walls_db) / 10.0) / (r * r);
        let dc = room.critical_distance_m();
        let reverberant = 1.0 / (dc * dc);
        let late_frac = room.late_fraction();
        // The late tail is not reduced by walls: a conservative choice that keeps every added
        // wall from ever making speech more intelligible (documented in docs/model.md).
        Transfer {
            direct,
            early: reverberant * (1.0 - late_frac) * 10f64.powf(-path.walls_db / 10.0),
            late: reverberant * late_frac,
        }
    }

    /// Signal level at the listener for a talker level at 1 m, dB(A).
    pub fn speech_dba(&self, level_1m_dba: f64) -> f64 {
        level_1m_dba + 10.0 * (self.direct + self.early).log10()
    }

    /// Background noise plus the talker's own late reverberation, dB(A).
    pub fn masking_noise_dba(&self, level_1m_dba: f64, noise_dba: f64) -> f64 {
        power_sum(noise_dba, level_1m_dba + 10.0 * self.late.log10())
    }

    /// Speech level minus SIL of the masking noise, dB (ISO 9921's SNR).
    pub fn snr_sil_db(&self, level_1m_dba: f64, noise_dba: f64) -> f64 {
        self.speech_dba(level_1m_dba) - sil_db(self.masking_noise_dba(level_1m_dba, noise_dba))
    }

    /// Speech minus masking noise, both dB(A).
    pub fn snr_dba(&self, level_1m_dba: f64, noise_dba: f64) -> f64 {
        self.speech_dba(level_1m_dba) - self.masking_noise_dba(level_1m_dba, noise_dba)
    }

    /// The least talker level at 1 m, dB(A), that gives `target_snr_sil_db`; `None` when the
    /// talker's own reverberation masks speech whatever the level.
    ///
    /// Solved in closed form: with `s` the talker's power, signal `s·(d+e)` must reach
    /// `k·(B + s·l)` with `k = 10^((target − 7)/10)` (SIL = noise − 7).
    pub fn required_level_dba(&self, noise_dba: f64, target_snr_sil_db: f64) -> Option<f64> {
        let k = 10f64.powf((target_snr_sil_db - 7.0) / 10.0);
        let gain = self.direct + self.early - k * self.late;
        if gain <= 0.0 {
            return None;
        }
        let b = 10f64.powf(noise_dba / 10.0);
        Some(10.0 * (k * b / gain).log10())
    }
}

/// Energetic sum of two levels, dB.
pub fn power_sum(a_db: f64, b_db: f64) -> f64 {
    10.0 * (10f64.powf(a_db / 10.0) + 10f64.powf(b_db / 10.0)).log10()
}

/// Band audibility as in ANSI S3.5, `(SNR + 15) / 30` clipped to 0..1, applied to the
/// broadband A-weighted SNR: a first-order stand-in for the speech intelligibility index.
pub fn audibility(snr_dba: f64) -> f64 {
    ((snr_dba + 15.0) / 30.0).clamp(0.0, 1.0)
}

/// Sentence intelligibility (fraction understood) from the SII, interpolated from
/// Sherbecoe & Studebaker (2003): 0.2 → 20 %, 0.3 → 60 %, 0.45 → 90 %, 0.6 → 98 %.
pub fn sentence_intelligibility(sii: f64) -> f64 {
    const PTS: [(f64, f64); 6] = [
        (0.0, 0.0),
        (0.2, 0.2),
        (0.3, 0.6),
        (0.45, 0.9),
        (0.6, 0.98),
        (1.0, 1.0),
    ];
    let x = sii.clamp(0.0, 1.0);
    PTS.windows(2).find(|w| x <= w[1].0).map_or(1.0, |w| {
        w[0].1 + (w[1].1 - w[0].1) * (x - w[0].0) / (w[1].0 - w[0].0)
    })
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
    /// The quality band for a speech-minus-SIL ratio, dB.
    pub fn from_snr_sil(snr: f64) -> Self {
        if snr > 21.0 {
            Quality::Excellent
        } else if snr >= 15.0 {
            Quality::Good
        } else if snr >= 10.0 {
            Quality::Fair
        } else if snr >= 3.0 {
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
        let req = t
            .required_level_dba(65.0, FAIR_SNR_SIL_DB)
            .unwrap_or(f64::NAN);
        assert!((t.snr_sil_db(req, 65.0) - FAIR_SNR_SIL_DB).abs() < 1e-6);
    }

    #[test]
    fn far_in_a_reverberant_room_no_level_suffices() {
        let room = Room {
            volume_m3: 200.0,
            rt60_s: 6.0,
        };
        let t = Transfer::new(
            &SoundPath {
                distance_m: 30.0,
                directivity_db: 10.0,
                obstacles_db: 14.0,
                walls_db: 0.0,
            },
            &room,
        );
        assert_eq!(t.required_level_dba(40.0, FAIR_SNR_SIL_DB), None);
    }

    #[test]
    fn critical_distance_of_a_ballroom() {
        let dc = ballroom().critical_distance_m();
        assert!((4.5..5.0).contains(&dc), "{dc}");
    }

    #[test]
    fn quality_bands_and_sentences() {
        assert_eq!(Quality::from_snr_sil(22.0), Quality::Excellent);
        assert_eq!(Quality::from_snr_sil(12.0), Quality::Fair);
        assert_eq!(Quality::from_snr_sil(0.0), Quality::Bad);
        assert!((sentence_intelligibility(0.3) - 0.6).abs() < 1e-9);
        assert!((sentence_intelligibility(0.375) - 0.75).abs() < 1e-9);
        assert_eq!(Effort::at_least(67.0, 84.0), Some(Effort::Loud));
        assert_eq!(Effort::at_least(85.0, 84.0), None);
    }
}
