//! `earshot query SCENE A B`: could A and B have talked?

use super::Format;
use crate::outln;
use anyhow::Result;
use earshot::analysis::plausibility::{AssessOptions, assess};
use earshot::output::report::{VerdictJson, summary, verdict_text};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
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
    let mut out = String::new();
    match args.format {
        Format::Json => {
            let doc = serde_json::json!({
                "scene": scene.title,
                "a": scene.attendees[a].display_name(),
                "b": scene.attendees[b].display_name(),
                "verdicts": verdicts.iter().map(VerdictJson::new).collect::<Vec<_>>(),
            });
            outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
        }
        Format::Text | Format::Csv => {
            if verdicts.len() > 1 {
                for v in &verdicts {
                    outln!(out, "{}", summary(v));
                }
                outln!(out);
            }
            for v in &verdicts {
                outln!(out, "{}", verdict_text(&scene, v));
            }
        }
    }
    super::emit(out.as_bytes())
}
