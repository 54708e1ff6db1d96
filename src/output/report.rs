//! Text, JSON and CSV renderings of verdicts, and the escaping every output format needs.
//!
//! Names are untrusted: text output escapes control and bidirectional characters, CSV output
//! neutralises formulas (OWASP), and JSON is escaped by serde_json. SVG escaping lives with the
//! chart in `render`.

use crate::analysis::plausibility::{Band, Verdict};
use crate::analysis::uncertainty::Uncertainty;
use crate::scene::{Mobility, Scene, format_clock};
use serde::Serialize;
use std::fmt::Write as _;

/// Makes untrusted text safe on a terminal: control and bidirectional-override characters are
/// shown as escapes, and newlines as spaces.
pub fn terminal_safe(s: &str) -> String {
    crate::scene::printable_text(s).replace('\n', " ")
}

/// Neutralises a text field for CSV that spreadsheets would otherwise run as a formula: a field
/// that starts with `=`, `+`, `-`, `@`, tab or carriage return gets a leading apostrophe (OWASP).
pub fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// A complete CSV field for untrusted text: neutralised against formulas, then quoted when it
/// holds a separator, a quote or a line break.
pub fn csv_field(s: &str) -> String {
    let t = csv_text(s);
    if t.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", t.replace('"', "\"\""))
    } else {
        t
    }
}

/// The quotable one-line answer for a verdict.
pub fn summary(v: &Verdict) -> String {
    let (a, b) = (terminal_safe(&v.a), terminal_safe(&v.b));
    let phase = terminal_safe(&v.phase);
    let mut s = match (&v.acoustics, &v.geometry, v.band) {
        (_, None, _) | (None, _, _) => format!(
            "In \"{phase}\", {a} and {b} were not both there: no conversation was possible."
        ),
        (Some(_), Some(_), Band::NeverCoPresent) => format!(
            "In \"{phase}\", {a} and {b} were never there at the same time: no conversation was possible."
        ),
        (Some(av), Some(g), band) => {
            let what = match band {
                Band::Easy => "could easily have talked",
                Band::Raised => "could have talked with raised voices",
                Band::Shouting => "could have talked only by shouting, overheard by those around",
                _ => "could not plausibly have talked from where they were",
            };
            let need = what_it_took(v, av, band);
            let between = match (g.crossings.is_empty(), v.bodies_between.len()) {
                (true, 0) => String::new(),
                (true, n) => format!(
                    ", with {n} {} in between",
                    if n == 1 { "person" } else { "people" }
                ),
                (false, 0) => format!(", with {} in between", crossing_names(g)),
                (false, n) => format!(
                    ", with {} and {n} {} in between",
                    crossing_names(g),
                    if n == 1 { "person" } else { "people" }
                ),
            };
            format!(
                "In \"{phase}\", {a} and {b} {what}{}: {:.1} m apart{between}, in {:.0} dB(A) of noise, {need}.",
                best_slice_when(v),
                g.distance_m,
                v.noise_dba
            )
        }
    };
    if !v.uncertain_presence.is_empty() {
        let names: Vec<String> = v
            .uncertain_presence
            .iter()
            .map(|n| terminal_safe(n))
            .collect();
        let _ = write!(s, " Attendance unconfirmed: {}.", names.join(", "));
    }
    s
}

/// The clause that says what voice it took: natural, raised by so much, a shout, or beyond.
fn what_it_took(
    v: &Verdict,
    av: &crate::analysis::plausibility::AcousticVerdict,
    band: Band,
) -> String {
    match (band, av.required_level_dba) {
        (Band::Easy, _) => format!(
            "a natural voice ({:.0} dB(A) at 1 m) was enough",
            av.natural_level_dba
        ),
        (Band::Raised, Some(r)) => {
            // the band decided "up to 6 dB above": print what agrees with it
            let above = (r - av.natural_level_dba).clamp(0.0, 6.0);
            let digits = usize::from(!(0.5..=5.5).contains(&above));
            format!(
                "it took {:.digits$} dB(A) at 1 m, {above:.digits$} dB above a natural voice",
                av.natural_level_dba + above
            )
        }
        (Band::Shouting, Some(r)) => format!(
            "it took {r:.0} dB(A) at 1 m, a {} voice",
            av.required_effort.map_or("shouted", |e| e.label())
        ),
        (_, Some(r)) => {
            let ceiling = v
                .parameters
                .iter()
                .find(|p| p.name == "shout_ceiling_dba")
                .map_or(84.0, |p| p.value);
            let (r_text, c_text) = distinct_levels(r, ceiling);
            format!(
                "it would have taken {r_text} dB(A) at 1 m, beyond a sustained shout ({c_text})"
            )
        }
        (_, None) => {
            "no voice level would have been understood in the room's reverberation".to_string()
        }
    }
}

/// " from 21:40 to 22:30" when the verdict is one time slice's of several.
fn best_slice_when(v: &Verdict) -> String {
    if v.slices.len() < 2 {
        return String::new();
    }
    let best = v
        .slices
        .iter()
        .find(|s| s.band == v.band && (s.score - v.score).abs() < 1e-9);
    match best {
        Some(s) => match (s.from_min, s.to_min) {
            (Some(f), Some(t)) => format!(" from {} to {}", format_clock(f), format_clock(t)),
            _ => String::new(),
        },
        None => String::new(),
    }
}

/// Two levels printed so that a reader sees them differ when they do: whole decibels, or one
/// decimal when whole decibels would print the same number.
fn distinct_levels(x: f64, edge: f64) -> (String, String) {
    if format!("{x:.0}") == format!("{edge:.0}") && x != edge {
        let digits = if format!("{x:.1}") == format!("{edge:.1}") {
            2
        } else {
            1
        };
        (format!("{x:.digits$}"), format!("{edge:.digits$}"))
    } else {
        (format!("{x:.0}"), format!("{edge:.0}"))
    }
}

fn crossing_names(g: &crate::analysis::pair::PairGeometry) -> String {
    g.crossings
        .iter()
        .map(|c| terminal_safe(&c.name))
        .collect::<Vec<_>>()
        .join(" and ")
}

/// The "if one walked over" line for mingling phases.
pub fn walk_over_line(v: &Verdict) -> Option<String> {
    let w = v.walk_over.as_ref()?;
    Some(if w.possible {
        format!(
            "If one walked over ({:.1} m, about {:.0} s): {} face to face.",
            w.walking_m.unwrap_or(0.0),
            w.walking_s.unwrap_or(0.0),
            w.band_face_to_face.label()
        )
    } else {
        format!(
            "Walking over was not possible: {}.",
            w.reason.as_deref().unwrap_or("unknown")
        )
    })
}

/// Full text explanation of a verdict: the quotable line, then the factors and parameters.
pub fn verdict_text(scene: &Scene, v: &Verdict) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", summary(v));
    if let Some(w) = walk_over_line(v) {
        let _ = writeln!(out, "{w}");
    }
    let ph = scene.phases.iter().find(|p| p.name == v.phase);
    let _ = writeln!(
        out,
        "  verdict: {} (score {:.2}){}",
        v.band.label(),
        v.score,
        ph.map_or(String::new(), |p| format!(
            "; phase{}{}",
            phase_window(p),
            match p.mobility {
                Mobility::Seated => ", seated",
                Mobility::Mingling => ", mingling",
            }
        ))
    );
    for f in &v.factors {
        let value = match f.value {
            Some(x) if f.unit == "count" => format!("{x:.0}"),
            Some(x) => format!("{x:.2} {}", f.unit),
            None => "—".to_string(),
        };
        let _ = writeln!(
            out,
            "  {:<26}{:<22}{}",
            f.name.replace('_', " "),
            value,
            terminal_safe(&f.detail)
        );
    }
    for a in &v.assumptions {
        let _ = writeln!(out, "  assumption: {}", terminal_safe(a));
    }
    let params: Vec<String> = v
        .parameters
        .iter()
        .map(|p| {
            format!(
                "{} {} ({})",
                p.name,
                trim_num(p.value),
                match p.source {
                    crate::scene::ParamSource::Default => "default",
                    crate::scene::ParamSource::Scene => "scene",
                    crate::scene::ParamSource::Phase => "phase",
                    crate::scene::ParamSource::Crowd => "crowd",
                }
            )
        })
        .collect();
    let _ = writeln!(out, "  parameters: {}", params.join(", "));
    out
}

/// `(HH:MM–HH:MM)` or empty.
pub fn phase_window(p: &crate::scene::Phase) -> String {
    match (p.from_min, p.to_min) {
        (Some(a), Some(b)) => format!(" {}–{}", format_clock(a), format_clock(b)),
        (Some(a), None) => format!(" from {}", format_clock(a)),
        (None, Some(b)) => format!(" until {}", format_clock(b)),
        (None, None) => String::new(),
    }
}

fn trim_num(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A verdict with its summary, as written in JSON.
#[derive(Serialize)]
pub struct VerdictJson<'a> {
    /// The quotable line.
    pub summary: String,
    /// The band's reader label.
    pub band_label: &'static str,
    /// The verdict itself.
    #[serde(flatten)]
    pub verdict: &'a Verdict,
    /// The sentence over the uncertain inputs, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uncertain_summary: Option<String>,
    /// The bands over the uncertain inputs (`band_probabilities`, `best`, `worst`,
    /// `sensitivity`, `samples`, `seed`, `method`).
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<&'a Uncertainty>,
}

impl<'a> VerdictJson<'a> {
    /// Wraps a verdict.
    pub fn new(v: &'a Verdict) -> Self {
        VerdictJson {
            summary: summary(v),
            band_label: v.band.label(),
            verdict: v,
            uncertain_summary: None,
            uncertainty: None,
        }
    }

    /// Wraps a verdict with its bands over the uncertain inputs.
    pub fn with_uncertainty(v: &'a Verdict, u: &'a Uncertainty) -> Self {
        VerdictJson {
            uncertain_summary: u.is_uncertain().then(|| uncertain_summary(v, u)),
            uncertainty: Some(u),
            ..VerdictJson::new(v)
        }
    }
}

/// What a band means for the pair, as a clause: "could easily have talked".
fn band_clause(band: Band) -> &'static str {
    match band {
        Band::Easy => "could easily have talked",
        Band::Raised => "could have talked with raised voices",
        Band::Shouting => "could have talked only by shouting",
        Band::Implausible => "were out of earshot",
        Band::NeverCoPresent => "were never there at the same time",
    }
}

fn outcome_words(key: &str) -> &'static str {
    match key {
        crate::analysis::uncertainty::ABSENT => "one of them not there",
        k => Band::parse(k).map_or("?", Band::label),
    }
}

fn percent(p: f64) -> String {
    let pct = 100.0 * p;
    if pct > 0.0 && pct < 1.0 {
        "<1 %".into()
    } else if pct < 100.0 && pct > 99.0 {
        ">99 %".into()
    } else {
        format!("{pct:.0} %")
    }
}

/// The sentence a reporter can quote over the uncertain inputs, then how it was found:
/// "In every case the reports allow (11 seats), Jeff Sessions and Sergey Kislyak were out of
/// earshot during "speech"."
pub fn uncertain_summary(v: &Verdict, u: &Uncertainty) -> String {
    let (a, b) = (terminal_safe(&v.a), terminal_safe(&v.b));
    let phase = terminal_safe(&v.phase);
    let cases = u.method_text();
    let mut odds: Vec<(&str, f64)> = u
        .band_probabilities
        .iter()
        .map(|(k, p)| (*k, *p))
        .filter(|(_, p)| *p > 0.0)
        .collect();
    odds.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(y.0)));
    let movers: Vec<&str> = u
        .sensitivity
        .iter()
        .filter(|s| s.moves())
        .map(|s| s.input.as_str())
        .collect();
    let still: Vec<&str> = u
        .sensitivity
        .iter()
        .filter(|s| !s.moves())
        .map(|s| s.input.as_str())
        .collect();
    let mut s = match (odds.as_slice(), u.best) {
        ([(k, _)], Some(best)) if *k != crate::analysis::uncertainty::ABSENT => format!(
            "In every case the inputs allow, {a} and {b} {} during \"{phase}\" ({cases}).",
            band_clause(best)
        ),
        _ => {
            let spread: Vec<String> = odds
                .iter()
                .map(|(k, p)| format!("{} {}", outcome_words(k), percent(*p)))
                .collect();
            let depends = match movers.first() {
                Some(m) => format!("It depends on {}", terminal_safe(m)),
                None => "It depends on several inputs together".into(),
            };
            format!(
                "In \"{phase}\", whether {a} and {b} could have talked is uncertain. {depends}: {} ({cases}).",
                spread.join(", ")
            )
        }
    };
    if let (Some(best), Some(worst)) = (u.best, u.worst) {
        if best != worst {
            s.push_str(&format!(
                " At best: {}; at worst: {}.",
                best.label(),
                worst.label()
            ));
        }
    }
    if movers.len() > 1 {
        let rest: Vec<String> = movers[1..].iter().map(|m| terminal_safe(m)).collect();
        s.push_str(&format!(" It also changes with {}.", rest.join(" and ")));
    }
    if !still.is_empty() {
        let names: Vec<String> = still.iter().map(|m| terminal_safe(m)).collect();
        s.push_str(&format!(
            " {} {} not change it.",
            capitalise(&names.join(" and ")),
            if names.len() == 1 { "does" } else { "do" }
        ));
    }
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The odds and each input's effect, as printed before the verdict at the most central
/// positions.
pub fn uncertain_text(u: &Uncertainty) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Over the uncertain inputs ({}):", u.method_text());
    let odds: Vec<String> = u
        .band_probabilities
        .iter()
        .map(|(k, p)| format!("{k} {:.3}", p))
        .collect();
    let _ = writeln!(out, "  band probabilities: {}", odds.join(", "));
    for s in &u.sensitivity {
        let alone = if s.moves() {
            format!("alone it gives {}", s.bands_alone.join(", "))
        } else {
            format!("alone it leaves the band at {}", s.bands_alone.join(", "))
        };
        let _ = writeln!(
            out,
            "  {}: {alone}; explains {:.0} % of the spread",
            terminal_safe(&s.input),
            100.0 * s.share
        );
    }
    let _ = writeln!(
        out,
        "  The verdict below is the most central case: the middle of each range, the most central seat."
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_at_an_edge_print_the_decisive_digit() {
        assert_eq!(distinct_levels(84.3, 84.0), ("84.3".into(), "84.0".into()));
        assert_eq!(
            distinct_levels(84.04, 84.0),
            ("84.04".into(), "84.00".into())
        );
        assert_eq!(distinct_levels(92.0, 84.0), ("92".into(), "84".into()));
    }

    #[test]
    fn formulas_are_neutralised() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("-2+3"), "'-2+3");
        assert_eq!(csv_text("Ann"), "Ann");
        assert_eq!(csv_field("Smith, \"J\"\nJr"), "\"Smith, \"\"J\"\"\nJr\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
    }

    #[test]
    fn terminal_text_is_tamed() {
        assert_eq!(
            terminal_safe("a\u{1b}[2J\nb\u{202e}"),
            "a\\u{001b}[2J b\\u{202e}"
        );
    }
}
