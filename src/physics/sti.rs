//! The speech transmission index as IEC 60268-16 (edition 4, 2011; unchanged in edition 5)
//! computes it from the modulation transfer function: the *indirect method*.
//!
//! Seven octave bands from 125 Hz to 8 kHz, fourteen modulation frequencies from 0.63 to
//! 12.5 Hz. Per band the modulation that survives is the room's modulation transfer times the
//! share of the speech intensity in everything the ear receives in that band: speech, noise,
//! auditory masking spilled over from the band below (level dependent) and the absolute
//! reception threshold. The effective signal-to-noise ratio is clipped to ±15 dB, turned into a
//! transmission index, averaged over the modulation frequencies and combined over the bands
//! with the standard's weights α and redundancy factors β for male speech.
//!
//! Levels are dB SPL per octave band; the A-weighted levels the rest of earshot speaks in are
//! turned into band levels here, with the talker's spectrum at that vocal effort and the
//! noise's own spectrum.

use serde::Serialize;

/// Octave band centre frequencies, Hz.
pub const OCTAVES_HZ: [f64; 7] = [125.0, 250.0, 500.0, 1000.0, 2000.0, 4000.0, 8000.0];

/// Modulation frequencies, Hz (one-third octaves, 0.63 to 12.5 Hz).
pub const MODULATION_HZ: [f64; 14] = [
    0.63, 0.8, 1.0, 1.25, 1.6, 2.0, 2.5, 3.15, 4.0, 5.0, 6.3, 8.0, 10.0, 12.5,
];

/// A-weighting at the octave centres, dB (IEC 61672-1).
pub const A_WEIGHT_DB: [f64; 7] = [-16.1, -8.6, -3.2, 0.0, 1.2, 1.0, -1.1];

/// Octave band weights α, male speech (IEC 60268-16 ed. 4, table A.3).
pub const ALPHA_MALE: [f64; 7] = [0.085, 0.127, 0.230, 0.233, 0.309, 0.224, 0.173];

/// Redundancy factors β between band k and k + 1, male speech (table A.3).
pub const BETA_MALE: [f64; 6] = [0.085, 0.078, 0.065, 0.011, 0.047, 0.095];

/// Absolute speech reception threshold per band, dB SPL (table A.2).
pub const RECEPTION_THRESHOLD_DB: [f64; 7] = [46.0, 27.0, 12.0, 6.5, 7.5, 8.0, 12.0];

/// Long-term male speech spectrum at normal effort, band levels relative to the A-weighted
/// speech level, dB (table A.4).
pub const MALE_SPEECH_DB: [f64; 7] = [2.9, 2.9, -0.8, -6.8, -12.8, -18.8, -24.8];

/// ANSI S3.5-1997 table 3: octave-band speech spectrum levels (dB re 20 µPa per Hz) at
/// 250 Hz … 8 kHz for normal, raised, loud and shouted speech, and the overall levels.
/// earshot uses only how the spectrum *tilts* from one effort to the next.
const ANSI_SPECTRUM: [[f64; 6]; 4] = [
    [34.75, 34.27, 25.01, 17.32, 9.33, 1.13],
    [38.98, 40.15, 33.86, 25.32, 16.78, 5.07],
    [41.55, 44.85, 42.16, 34.39, 25.41, 11.39],
    [42.50, 49.24, 51.31, 44.32, 34.41, 20.72],
];
const ANSI_OVERALL_DB: [f64; 4] = [62.35, 68.34, 74.85, 82.30];

/// The A-weighted level at 1 m (dB(A)) at which each ANSI effort's tilt applies: IEC's normal
/// effort is 60 dB(A), and the other efforts sit as far above it as their overall levels sit
/// above ANSI's normal (6.0, 12.5 and 20.0 dB).
fn effort_anchor_dba(i: usize) -> f64 {
    60.0 + ANSI_OVERALL_DB[i] - ANSI_OVERALL_DB[0]
}

/// A-weighted sum of band levels, dB(A).
pub fn a_weighted_dba(bands_db: &[f64; 7]) -> f64 {
    10.0 * bands_db
        .iter()
        .zip(A_WEIGHT_DB)
        .map(|(l, a)| 10f64.powf((l + a) / 10.0))
        .sum::<f64>()
        .log10()
}

/// Shifts a spectrum so its A-weighted sum is `total_dba`.
fn scaled_to(shape_db: [f64; 7], total_dba: f64) -> [f64; 7] {
    let shift = total_dba - a_weighted_dba(&shape_db);
    shape_db.map(|l| l + shift)
}

/// The talker's octave band levels (dB SPL at 1 m, on axis) for an A-weighted speech level at
/// 1 m: IEC's male spectrum at normal effort, tilted towards the higher frequencies as the
/// effort rises the way ANSI S3.5's spectra by effort do (the 125 Hz band, which ANSI does not
/// give, follows the 250 Hz band), then scaled so the A-weighted sum is `level_dba`.
pub fn speech_bands_db(level_dba: f64) -> [f64; 7] {
    scaled_to(speech_shape_db(level_dba), level_dba)
}

/// `10^(A_WEIGHT_DB/10)`.
fn a_weight_power() -> &'static [f64; 7] {
    static W: std::sync::OnceLock<[f64; 7]> = std::sync::OnceLock::new();
    W.get_or_init(|| A_WEIGHT_DB.map(db_to_power))
}

/// Band intensities (power ratios) whose A-weighted sum is `10^(total_dba/10)`, for a spectrum
/// shape given as intensities.
fn scaled_powers(shape: [f64; 7], total_dba: f64) -> [f64; 7] {
    let w = a_weight_power();
    let sum: f64 = (0..7).map(|k| shape[k] * w[k]).sum();
    let scale = db_to_power(total_dba) / sum;
    shape.map(|p| p * scale)
}

/// [`speech_bands_db`] as intensities (power ratios re 20 µPa²).
pub fn speech_bands_power(level_dba: f64) -> [f64; 7] {
    static NORMAL: std::sync::OnceLock<[f64; 7]> = std::sync::OnceLock::new();
    let shape = if level_dba <= effort_anchor_dba(0) {
        *NORMAL.get_or_init(|| MALE_SPEECH_DB.map(db_to_power))
    } else {
        speech_shape_db(level_dba).map(db_to_power)
    };
    scaled_powers(shape, level_dba)
}

fn speech_shape_db(level_dba: f64) -> [f64; 7] {
    let tilt = |e: usize| {
        let mut t = [0.0; 7];
        for k in 0..6 {
            t[k + 1] = ANSI_SPECTRUM[e][k]
                - ANSI_SPECTRUM[0][k]
                - (ANSI_OVERALL_DB[e] - ANSI_OVERALL_DB[0]);
        }
        t[0] = t[1];
        t
    };
    let t = if level_dba <= effort_anchor_dba(0) {
        [0.0; 7]
    } else if level_dba >= effort_anchor_dba(3) {
        tilt(3)
    } else {
        let e = (1..4)
            .find(|&e| level_dba <= effort_anchor_dba(e))
            .unwrap_or(3);
        let (l0, l1) = (effort_anchor_dba(e - 1), effort_anchor_dba(e));
        let w = (level_dba - l0) / (l1 - l0);
        let (t0, t1) = (tilt(e - 1), tilt(e));
        std::array::from_fn(|k| t0[k] + w * (t1[k] - t0[k]))
    };
    std::array::from_fn(|k| MALE_SPEECH_DB[k] + t[k])
}

/// The spectrum of a phase's background noise.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseSpectrum {
    /// Many people talking: the long-term speech spectrum (IEC 60268-16 table A.4).
    Babble,
    /// Equal energy per octave.
    Pink,
    /// Ventilation and machinery: falling 5 dB per octave (the slope of the NC curves).
    Hvac,
    /// Octave band levels given in the scene, 125 Hz … 8 kHz, dB (their shape is kept, their
    /// A-weighted sum set to the phase's noise level).
    Bands([f64; 7]),
}

impl NoiseSpectrum {
    /// Parses `babble`, `pink` or `hvac`.
    pub fn parse(s: &str) -> Option<NoiseSpectrum> {
        match s.trim().to_ascii_lowercase().as_str() {
            "babble" | "speech" => Some(NoiseSpectrum::Babble),
            "pink" => Some(NoiseSpectrum::Pink),
            "hvac" => Some(NoiseSpectrum::Hvac),
            _ => None,
        }
    }

    /// A reader's name.
    pub fn label(&self) -> &'static str {
        match self {
            NoiseSpectrum::Babble => "babble",
            NoiseSpectrum::Pink => "pink",
            NoiseSpectrum::Hvac => "hvac",
            NoiseSpectrum::Bands(_) => "octave bands given",
        }
    }

    /// Band levels, dB SPL, whose A-weighted sum is `total_dba`.
    pub fn bands_db(&self, total_dba: f64) -> [f64; 7] {
        scaled_to(self.shape_db(), total_dba)
    }

    fn shape_db(&self) -> [f64; 7] {
        match self {
            NoiseSpectrum::Babble => MALE_SPEECH_DB,
            NoiseSpectrum::Pink => [0.0; 7],
            NoiseSpectrum::Hvac => [15.0, 10.0, 5.0, 0.0, -5.0, -10.0, -15.0],
            NoiseSpectrum::Bands(b) => *b,
        }
    }

    /// Band intensities (power ratios) whose A-weighted sum is `total_dba`.
    pub fn bands_power(&self, total_dba: f64) -> [f64; 7] {
        static STANDARD: std::sync::OnceLock<[[f64; 7]; 3]> = std::sync::OnceLock::new();
        let standard = STANDARD.get_or_init(|| {
            [
                NoiseSpectrum::Babble,
                NoiseSpectrum::Pink,
                NoiseSpectrum::Hvac,
            ]
            .map(|n| n.shape_db().map(db_to_power))
        });
        let shape = match self {
            NoiseSpectrum::Babble => standard[0],
            NoiseSpectrum::Pink => standard[1],
            NoiseSpectrum::Hvac => standard[2],
            NoiseSpectrum::Bands(b) => b.map(db_to_power),
        };
        scaled_powers(shape, total_dba)
    }
}

/// Auditory masking of band k by band k − 1, dB, from the level of band k − 1 (table A.1):
/// the louder the lower band, the more it spreads upward.
pub fn masking_slope_db(level_db: f64) -> f64 {
    if level_db < 63.0 {
        0.5 * level_db - 65.0
    } else if level_db < 67.0 {
        1.8 * level_db - 146.9
    } else if level_db < 100.0 {
        0.5 * level_db - 59.8
    } else {
        -10.0
    }
}

/// The masking intensity that band power `below` (level `below_db`) spreads upwards:
/// `below · 10^(slope/10)` with the slope of [`masking_slope_db`]. Where the slope is
/// `0.5·L − c`, that is `below^1.5 · 10^(−c/10)`: a square root instead of a power.
#[inline]
fn masking_power(below: f64, below_db: f64) -> f64 {
    if below_db < 63.0 {
        below * below.sqrt() * 3.162_277_660_168_379_5e-7 // 10^(−65/10)
    } else if (67.0..100.0).contains(&below_db) {
        below * below.sqrt() * 1.047_128_548_050_899_5e-6 // 10^(−59.8/10)
    } else {
        below * db_to_power(masking_slope_db(below_db))
    }
}

/// Power ratio of a level in dB.
#[inline]
pub fn db_to_power(db: f64) -> f64 {
    10f64.powf(db / 10.0)
}

/// The per-band picture of one transmission.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BandDetail {
    /// Octave centre, Hz.
    pub hz: f64,
    /// Speech level at the listener, dB SPL.
    pub speech_db: f64,
    /// Noise level at the listener, dB SPL (any informational-masking allowance included).
    pub noise_db: f64,
    /// Effective signal-to-noise ratio, dB: 30·MTI − 15, what the band's modulation is worth.
    pub snr_eff_db: f64,
    /// Modulation transfer index, 0..1.
    pub mti: f64,
}

/// Transmission index of one modulation value: the effective SNR clipped to ±15 dB, mapped to
/// 0..1.
#[inline]
fn transmission_index(m: f64) -> f64 {
    // m/(1−m) ≥ 10^1.5 ⇔ m ≥ 0.96935; ≤ 10^−1.5 ⇔ m ≤ 0.030653
    if m >= 0.969_346_569_968_284_9 {
        1.0
    } else if m <= 0.030_653_430_031_715_2 {
        0.0
    } else {
        (10.0 * fast_log10(m / (1.0 - m)) + 15.0) / 30.0
    }
}

/// `log10(x)` for finite positive `x`, to about 1e-9: the exponent from the bits, the mantissa
/// (brought into [√½, √2)) by the series `ln m = 2·atanh((m−1)/(m+1))`. Several times faster
/// than `f64::log10`, and the index's inner loop takes 98 of them.
#[inline]
pub fn fast_log10(x: f64) -> f64 {
    let bits = x.to_bits();
    let mut e = ((bits >> 52) & 0x7ff) as i64 - 1023;
    let mut m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    if m > std::f64::consts::SQRT_2 {
        m *= 0.5;
        e += 1;
    }
    let y = (m - 1.0) / (m + 1.0);
    let y2 = y * y;
    let ln_m = 2.0
        * y
        * (1.0
            + y2 * (1.0 / 3.0
                + y2 * (1.0 / 5.0 + y2 * (1.0 / 7.0 + y2 * (1.0 / 9.0 + y2 / 11.0)))));
    (e as f64 * std::f64::consts::LN_2 + ln_m) * std::f64::consts::LOG10_E
}

/// `10^(RECEPTION_THRESHOLD_DB/10)`.
const RECEPTION_THRESHOLD_POWER: [f64; 7] = [
    39_810.717_055_349_72,
    501.187_233_627_272_3,
    15.848_931_924_611_133,
    4.466_835_921_509_631,
    5.623_413_251_903_491,
    6.309_573_444_801_933,
    15.848_931_924_611_133,
];

/// The modulation transfer indices of the seven bands.
///
/// `m_room[k][f]` is the room's modulation transfer (reverberation, echoes) in band k at
/// modulation frequency f; `speech_db` and `noise_db` are the band levels at the listener.
pub fn mti(m_room: &[[f64; 14]; 7], speech_db: &[f64; 7], noise_db: &[f64; 7]) -> [f64; 7] {
    mti_powers(
        m_room,
        &speech_db.map(db_to_power),
        &noise_db.map(db_to_power),
    )
}

/// [`mti`] with band intensities (power ratios re 20 µPa²) instead of levels.
pub fn mti_powers(m_room: &[[f64; 14]; 7], speech: &[f64; 7], noise: &[f64; 7]) -> [f64; 7] {
    let mut out = [0.0; 7];
    let mut below = 0.0;
    let mut below_db = f64::NEG_INFINITY;
    for k in 0..7 {
        let is = speech[k];
        let total = is + noise[k];
        let masking = if k == 0 {
            0.0
        } else {
            masking_power(below, below_db)
        };
        let share = is / (total + masking + RECEPTION_THRESHOLD_POWER[k]);
        out[k] = m_room[k]
            .iter()
            .map(|&m| transmission_index(m * share))
            .sum::<f64>()
            / 14.0;
        below = total;
        below_db = 10.0 * fast_log10(total);
    }
    out
}

/// Combines band indices into the STI (male weights), clamped to 0..1.
pub fn sti_from_mti(mti: &[f64; 7]) -> f64 {
    let a: f64 = (0..7).map(|k| ALPHA_MALE[k] * mti[k]).sum();
    let b: f64 = (0..6)
        .map(|k| BETA_MALE[k] * (mti[k] * mti[k + 1]).sqrt())
        .sum();
    (a - b).clamp(0.0, 1.0)
}

/// The per-band detail of a transmission, for explanations.
pub fn band_details(
    m_room: &[[f64; 14]; 7],
    speech_db: &[f64; 7],
    noise_db: &[f64; 7],
) -> [BandDetail; 7] {
    let m = mti(m_room, speech_db, noise_db);
    std::array::from_fn(|k| BandDetail {
        hz: OCTAVES_HZ[k],
        speech_db: speech_db[k],
        noise_db: noise_db[k],
        snr_eff_db: 30.0 * m[k] - 15.0,
        mti: m[k],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLEAN: [[f64; 14]; 7] = [[1.0; 14]; 7];

    #[test]
    fn weights_sum_as_the_standard_says() {
        // Σα − Σβ = 1: equal band indices give that index back
        let s = sti_from_mti(&[0.5; 7]);
        assert!((s - 0.5).abs() < 1e-9, "{s}");
    }

    #[test]
    fn speech_spectrum_sums_to_its_a_weighted_level() {
        for l in [50.0, 60.0, 66.0, 72.0, 78.0, 84.0, 95.0] {
            assert!((a_weighted_dba(&speech_bands_db(l)) - l).abs() < 1e-9);
        }
        // at normal effort it is the standard's table
        let s = speech_bands_db(60.0);
        let expected = scaled_to(MALE_SPEECH_DB, 60.0);
        assert!(s.iter().zip(expected).all(|(a, b)| (a - b).abs() < 1e-9));
        // the intensities agree with the levels
        for l in [55.0, 60.0, 70.0, 90.0] {
            let (p, d) = (speech_bands_power(l), speech_bands_db(l));
            assert!((0..7).all(|k| (10.0 * p[k].log10() - d[k]).abs() < 1e-9));
        }
        // louder speech tilts towards the high bands
        let loud = speech_bands_db(78.0);
        assert!(loud[5] - loud[1] > s[5] - s[1] + 5.0);
    }

    #[test]
    fn noise_spectra_sum_to_the_level_given() {
        for n in [
            NoiseSpectrum::Babble,
            NoiseSpectrum::Pink,
            NoiseSpectrum::Hvac,
            NoiseSpectrum::Bands([60.0, 55.0, 50.0, 45.0, 40.0, 35.0, 30.0]),
        ] {
            assert!((a_weighted_dba(&n.bands_db(68.0)) - 68.0).abs() < 1e-9);
            let (p, d) = (n.bands_power(68.0), n.bands_db(68.0));
            assert!((0..7).all(|k| (10.0 * p[k].log10() - d[k]).abs() < 1e-9));
        }
    }

    #[test]
    fn without_noise_or_room_the_index_is_one() {
        let s = speech_bands_db(60.0);
        let m = mti(&CLEAN, &s, &[-100.0; 7]);
        assert!((sti_from_mti(&m) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn speech_shaped_noise_at_equal_level_gives_about_half() {
        // speech and babble at the same level: band SNR 0 dB, TI 0.5, less a little masking
        let s = speech_bands_db(60.0);
        let n = NoiseSpectrum::Babble.bands_db(60.0);
        let sti = sti_from_mti(&mti(&CLEAN, &s, &n));
        assert!((0.45..=0.5).contains(&sti), "{sti}");
    }

    #[test]
    fn pink_noise_masks_more_of_the_important_bands_than_babble() {
        let s = speech_bands_db(66.0);
        let babble = sti_from_mti(&mti(&CLEAN, &s, &NoiseSpectrum::Babble.bands_db(70.0)));
        let pink = sti_from_mti(&mti(&CLEAN, &s, &NoiseSpectrum::Pink.bands_db(70.0)));
        assert!(pink < babble - 0.05, "pink {pink} babble {babble}");
    }

    #[test]
    fn reception_threshold_makes_whispers_unintelligible() {
        let s = speech_bands_db(10.0);
        let sti = sti_from_mti(&mti(&CLEAN, &s, &[-100.0; 7]));
        assert!(sti < 0.3, "{sti}");
    }

    #[test]
    fn fast_log10_is_log10() {
        let mut x = 0.031;
        while x < 32.0 {
            assert!((fast_log10(x) - x.log10()).abs() < 1e-9, "{x}");
            x *= 1.013;
        }
    }

    #[test]
    fn masking_power_is_the_slope_formula() {
        let mut l = 20.0;
        while l < 110.0 {
            let p = db_to_power(l);
            let slow = p * db_to_power(masking_slope_db(l));
            let fast = masking_power(p, 10.0 * fast_log10(p));
            assert!((fast / slow - 1.0).abs() < 1e-9, "{l}: {fast} vs {slow}");
            l += 0.37;
        }
    }

    #[test]
    fn threshold_powers_match_the_table() {
        for k in 0..7 {
            let p = db_to_power(RECEPTION_THRESHOLD_DB[k]);
            assert!((RECEPTION_THRESHOLD_POWER[k] / p - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn masking_table_is_continuous_enough() {
        // the standard's table has small steps at 63 and 67 dB; none above 1 dB
        for l in [63.0, 67.0] {
            assert!((masking_slope_db(l - 1e-9) - masking_slope_db(l)).abs() < 1.0);
        }
    }
}
