//! The verdict: could two people have talked, at what effort, and why.
//!
//! Conversation runs both ways, so each pair is assessed in both directions (A talking to B and
//! B to A) and the verdict takes the harder one. That makes every verdict symmetric in A and B.
//!
//! The band compares the least talker level that gives *fair* intelligibility (a speech
//! transmission index of 0.45, which in noise alone is speech − SIL ≥ 10 dB, ISO 9921 annex E)
//! with the natural (Lombard) level in the phase's noise. The score is the index at natural
//! effort, so a pair is *easy* exactly when its score is at least 0.45.

use crate::acoustics::{
    Effort, Quality, Room, STI_FAIR, STI_POOR, SoundPath, Transfer, directivity_loss_db,
    natural_level_dba,
};
use crate::pair::{CoPresence, PairGeometry, co_presence, pair_geometry};
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
    /// Speech minus SIL of the background noise at natural effort, dB.
    pub snr_sil_db: f64,
    /// Speech transmission index at natural effort, 0..1.
    pub sti: f64,
    /// ISO 9921 quality at natural effort.
    pub quality: Quality,
    /// Least talker level at 1 m for fair intelligibility, dB(A); `None` if no level suffices.
    pub required_level_dba: Option<f64>,
    /// Least talker level at 1 m for poor intelligibility (most sentences), dB(A).
    pub required_level_poor_dba: Option<f64>,
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
    /// A to B, then B to A.
    pub directions: [Direction; 2],
}

/// The two sound paths of a pair (A to B, B to A) in a phase's acoustics.
struct Paths {
    noise: f64,
    natural: f64,
    ceiling: f64,
    effective_m: f64,
    leaned_in: bool,
    bodies_db: f64,
    directivity_db: [f64; 2],
    transfers: [Transfer; 2],
}

impl Paths {
    fn new(input: &PairInput, params: &Acoustics) -> Self {
        let noise = params.noise_dba.value;
        let ceiling = params.shout_ceiling_dba.value;
        let natural = natural_level_dba(noise).min(ceiling);
        let room = Room {
            volume_m3: params.volume_m3.value,
            rt60_s: params.rt60_s.value,
        };
        let clear = input.walls_db <= 0.0 && input.obstacles_db <= 0.0;
        let leaned_in = clear
            && input.distance_m <= params.lean_in_reach_m.value
            && input.distance_m > params.lean_in_m.value;
        let mut effective_m = if leaned_in {
            params.lean_in_m.value
        } else {
            input.distance_m
        };
        if input.walls_db > 0.0 {
            // sound through a partition radiates from its surface: no closer than 1 m in effect
            effective_m = effective_m.max(1.0);
        }
        let bodies_db = (input.bodies as f64 * params.body_attenuation_db.value)
            .min(params.body_attenuation_cap_db.value);
        let directivity_db =
            [input.facing_a_deg, input.facing_b_deg].map(|f| directivity_loss_db(f.unwrap_or(0.0)));
        let transfers = directivity_db.map(|d| {
            Transfer::new(
                &SoundPath {
                    distance_m: effective_m,
                    directivity_db: d,
                    obstacles_db: input.obstacles_db + bodies_db,
                    walls_db: input.walls_db,
                },
                &room,
            )
        });
        Paths {
            noise,
            natural,
            ceiling,
            effective_m,
            leaned_in,
            bodies_db,
            directivity_db,
            transfers,
        }
    }

    /// The index in the harder direction at a talker level.
    fn sti(&self, level_dba: f64) -> f64 {
        self.transfers[0]
            .sti(level_dba, self.noise)
            .min(self.transfers[1].sti(level_dba, self.noise))
    }

    /// The band: the least of natural, raised (6 dB more) and shout at which both directions
    /// reach fair intelligibility. Evaluated at those three levels, since the index rises with
    /// the level.
    fn band(&self) -> Band {
        if self.sti(self.natural) >= STI_FAIR {
            Band::Easy
        } else if self.sti((self.natural + 6.0).min(self.ceiling)) >= STI_FAIR {
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
    (p.band(), p.sti(p.natural))
}

/// The speech transmission index when A talks to B at `level_dba` (dB(A) at 1 m): for drawing
/// how far a voice carries.
pub fn talker_sti(input: &PairInput, params: &Acoustics, level_dba: f64) -> f64 {
    Paths::new(input, params).transfers[0].sti(level_dba, params.noise_dba.value)
}

/// Assesses the acoustics of a pair: the core of the model, free of any scene.
pub fn acoustic_verdict(
    input: &PairInput,
    params: &Acoustics,
    names: [&str; 2],
) -> AcousticVerdict {
    let p = Paths::new(input, params);
    let (natural, noise) = (p.natural, p.noise);
    let direction = |k: usize, talker: &str, facing: Option<f64>| {
        let t = &p.transfers[k];
        let sti = t.sti(natural, noise);
        Direction {
            talker: talker.to_string(),
            facing_offset_deg: facing,
            directivity_db: p.directivity_db[k],
            speech_at_listener_dba: t.speech_dba(natural),
            snr_sil_db: t.snr_sil_db(natural, noise),
            sti,
            quality: Quality::from_sti(sti),
            required_level_dba: t.required_level_dba(noise, STI_FAIR),
            required_level_poor_dba: t.required_level_dba(noise, STI_POOR),
        }
    };
    let directions = [
        direction(0, names[0], input.facing_a_deg),
        direction(1, names[1], input.facing_b_deg),
    ];
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
    let worse = if directions[0].sti <= directions[1].sti {
        0
    } else {
        1
    };
    AcousticVerdict {
        band: p.band(),
        score: directions[worse].sti,
        natural_level_dba: natural,
        required_level_dba: required,
        required_level_poor_dba: required_poor,
        required_effort: required.and_then(|r| Effort::at_least(r.max(natural), p.ceiling)),
        effective_distance_m: p.effective_m,
        leaned_in: p.leaned_in,
        bodies_db: p.bodies_db,
        quality: directions[worse].quality,
        directions,
    }
}

/// The largest distance at which a pair facing each other with nothing in between can still
/// reach `band` (or better) in these acoustics, metres. No pair farther apart can do better
/// than `band`'s next tier, since the score never rises with distance.
pub fn reach_m(params: &Acoustics, band: Band) -> f64 {
    if band >= Band::Implausible {
        return f64::INFINITY;
    }
    let ok = |d: f64| {
        let input = PairInput::face_to_face(d);
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
    /// The band once face to face at conversational distance (1 m, Hall's personal zone).
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
    /// Names of the two whose attendance is unconfirmed.
    pub uncertain_presence: Vec<String>,
    /// Assumptions made for this pair (unknown facing, …).
    pub assumptions: Vec<String>,
    /// Every factor, in reading order.
    pub factors: Vec<Factor>,
    /// Parameters in force and where each came from.
    pub parameters: Vec<ParamUse>,
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
    let parameters = params
        .named()
        .into_iter()
        .map(|(name, p)| ParamUse {
            name,
            value: p.value,
            source: p.source,
        })
        .collect();
    let (pa, pb) = (aa.placement_in(phase), ab.placement_in(phase));
    let (Some(pa), Some(pb)) = (pa, pb) else {
        let absent: Vec<String> = [(aa, pa.is_none()), (ab, pb.is_none())]
            .iter()
            .filter(|(_, missing)| *missing)
            .map(|(p, _)| p.display_name())
            .collect();
        return Verdict {
            phase: ph.name.clone(),
            a: aa.display_name(),
            b: ab.display_name(),
            band: Band::NeverCoPresent,
            score: 0.0,
            noise_dba: params.noise_dba.value,
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
            uncertain_presence,
            assumptions: vec![],
            factors: vec![Factor {
                name: "co_presence",
                value: Some(0.0),
                unit: "min",
                detail: format!("{} not placed in this phase", absent.join(" and ")),
            }],
            parameters,
        };
    };
    let cp = co_presence(ph, pa, pb);
    let mingling = ph.mobility == Mobility::Mingling;
    let geo = pair_geometry(scene, phase, a, b, opts.walking || mingling)
        .unwrap_or_else(unreachable_geometry);
    let input = PairInput::from_geometry(&geo);
    let (na, nb) = (aa.display_name(), ab.display_name());
    let av = acoustic_verdict(&input, &params, [&na, &nb]);
    let band = if cp.co_present {
        av.band
    } else {
        Band::NeverCoPresent
    };
    let score = if cp.co_present { av.score } else { 0.0 };
    let mut assumptions = Vec::new();
    for (name, f) in [(&na, geo.facing_a_deg), (&nb, geo.facing_b_deg)] {
        if f.is_none() {
            assumptions.push(format!(
                "{name}'s facing is unknown: assumed to face the other"
            ));
        }
    }
    let walk_over = mingling.then(|| {
        let face = PairInput::face_to_face(1.0);
        let after = acoustic_verdict(&face, &params, [&na, &nb]).band;
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
    });
    let bodies_between: Vec<String> = geo
        .bodies_between
        .iter()
        .map(|&i| scene.attendees[i].display_name())
        .collect();
    let factors = explain(&geo, &cp, &av, &bodies_between, &params);
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
        uncertain_presence,
        assumptions,
        factors,
        parameters,
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
    }
}

fn explain(
    geo: &PairGeometry,
    cp: &CoPresence,
    av: &AcousticVerdict,
    bodies: &[String],
    params: &Acoustics,
) -> Vec<Factor> {
    let f = |name, value: Option<f64>, unit, detail: String| Factor {
        name,
        value,
        unit,
        detail,
    };
    let mut out = vec![f(
        "distance",
        Some(geo.distance_m),
        "m",
        hall_zone(geo.distance_m).to_string(),
    )];
    if av.leaned_in {
        out.push(f(
            "lean_in",
            Some(av.effective_distance_m),
            "m",
            format!(
                "within reach ({:.2} m): they can lean in to {:.2} m mouth to ear",
                params.lean_in_reach_m.value, av.effective_distance_m
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
    out.push(f(
        "noise",
        Some(params.noise_dba.value),
        "dB(A)",
        "background noise at the listener".into(),
    ));
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
        "snr_sil",
        Some(worst.snr_sil_db),
        "dB",
        "speech minus the noise's speech interference level (noise − 7)".into(),
    ));
    out.push(f(
        "sti",
        Some(worst.sti),
        "",
        format!(
            "speech transmission index at natural effort, with reverberation (RT60 {:.2} s): ISO 9921 quality {}",
            params.rt60_s.value,
            worst.quality.label()
        ),
    ));
    out.push(f(
        "required_level",
        av.required_level_dba,
        "dB(A) at 1 m",
        match (av.required_level_dba, av.required_effort) {
            (Some(_), Some(e)) => format!(
                "least level for fair intelligibility both ways: {} voice",
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
    out
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
    fn two_rows_apart_in_72_dba_is_not_easy_only_by_shouting_at_best() {
        for bodies in [0, 1] {
            let v = band(
                PairInput {
                    bodies,
                    ..facing_pair(1.9)
                },
                72.0,
            );
            assert!(
                matches!(v.band, Band::Shouting | Band::Implausible),
                "{:?}",
                v.band
            );
        }
    }

    #[test]
    fn five_rows_apart_in_72_dba_is_implausible() {
        let v = band(facing_pair(4.75), 72.0);
        assert_eq!(v.band, Band::Implausible);
        // MODEL.md's direct-field estimate is about 88 dB(A)
        let req = v.required_level_dba.unwrap_or(f64::INFINITY);
        assert!((85.0..95.0).contains(&req), "needs {req}");
    }

    #[test]
    fn one_metre_apart_at_a_75_dba_cocktail_party_needs_raised_voices() {
        assert_eq!(band(facing_pair(1.0), 75.0).band, Band::Raised);
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
