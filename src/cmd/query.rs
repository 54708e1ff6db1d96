//! `earshot query SCENE A B`: could A and B have talked?

use super::Format;
use crate::outln;
use anyhow::Result;
use earshot::analysis::plausibility::Verdict;
use earshot::analysis::plausibility::{AssessOptions, assess};
use earshot::analysis::uncertainty::{self, Uncertainty};
use earshot::output::report::{
    VerdictJson, csv_text, summary, uncertain_summary, uncertain_text, verdict_text,
};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot query scenes/wedding-banquet \"Guest 040\" \"Guest 041\" --phase dinner\n  earshot query scenes/mayflower-2016 Sessions Kislyak --format json\n  earshot query seating.csv Ana Bob --noise 70           # a bare CSV, in 70 dB(A) of noise"
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// First person (case-insensitive; a unique part of the name will do)
    a: String,
    /// Second person
    b: String,
    /// Only this phase (default: every phase)
    #[arg(long)]
    phase: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    uncertainty: super::UncertaintyArgs,
}

pub fn run(args: Args, opts: &LoadOptions) -> Result<()> {
    let scene = super::load(&args.scene, opts)?;
    let a = scene.find_attendee(&args.a)?;
    let b = scene.find_attendee(&args.b)?;
    if a == b {
        return Err(
            super::BadInput(format!("{:?} and {:?} are the same person", args.a, args.b)).into(),
        );
    }
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let verdicts: Vec<_> = phases
        .iter()
        .map(|&p| assess(&scene, p, a, b, AssessOptions::default()))
        .collect();
    let spreads: Vec<_> = phases
        .iter()
        .map(|&p| uncertainty::analyse(&scene, p, a, b, args.uncertainty.options()))
        .collect();
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "scene": scene.title,
                "a": scene.attendees[a].display_name(),
                "b": scene.attendees[b].display_name(),
                "verdicts": verdicts
                    .iter()
                    .zip(&spreads)
                    .map(|(v, u)| VerdictJson::with_uncertainty(v, u))
                    .collect::<Vec<_>>(),
            });
            outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Csv => out = verdicts_csv(&verdicts)?,
        Format::Text => {
            // first one line per phase to quote (over the uncertainty when there is any),
            // then the details
            if verdicts.len() > 1 || spreads.iter().any(Uncertainty::is_uncertain) {
                for (v, u) in verdicts.iter().zip(&spreads) {
                    if u.is_uncertain() {
                        outln!(out, "{}", uncertain_summary(v, u));
                    } else {
                        outln!(out, "{}", summary(v));
                    }
                }
                outln!(out);
            }
            for (v, u) in verdicts.iter().zip(&spreads) {
                if u.is_uncertain() {
                    outln!(out, "{}", uncertain_text(u));
                }
                outln!(out, "{}", verdict_text(&scene, v));
            }
        }
    }
    super::emit(out.as_bytes())
}

/// One row per phase: the band, the numbers behind it, and the quotable sentence.
fn verdicts_csv(verdicts: &[Verdict]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "phase",
        "a",
        "b",
        "band",
        "score",
        "distance_m",
        "walking_m",
        "noise_dba",
        "required_level_dba",
        "co_present_min",
        "summary",
    ])?;
    let opt = |x: Option<f64>, digits: usize| x.map_or(String::new(), |v| format!("{v:.digits$}"));
    for v in verdicts {
        let g = v.geometry.as_ref();
        w.write_record([
            csv_text(&v.phase),
            csv_text(&v.a),
            csv_text(&v.b),
            v.band.key().to_string(),
            format!("{:.3}", v.score),
            opt(g.map(|g| g.distance_m), 2),
            opt(g.and_then(|g| g.walking_m), 2),
            format!("{:.1}", v.noise_dba),
            opt(v.acoustics.as_ref().and_then(|a| a.required_level_dba), 1),
            opt(v.co_presence.minutes, 0),
            csv_text(&summary(v)),
        ])?;
    }
    Ok(String::from_utf8_lossy(&w.into_inner()?).into_owned())
}
