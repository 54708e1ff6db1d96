//! `earshot validate`: every problem at once, each with file:line.

use crate::outln;
use anyhow::Result;
use earshot::scene::{self, LoadOptions};
use std::path::Path;

pub fn run(path: &Path, opts: &LoadOptions) -> Result<()> {
    match scene::load(path, opts) {
        Ok(s) => {
            let mut out = String::new();
            let placed: usize = s.attendees.iter().map(|a| a.placements.len()).sum();
            outln!(
                out,
                "{}: ok — {} attendees ({} placements), {} seats, {} phase{} ({})",
                path.display(),
                s.attendees.len(),
                placed,
                s.seats.len(),
                s.phases.len(),
                if s.phases.len() == 1 { "" } else { "s" },
                s.phases
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for w in &s.warnings {
                outln!(out, "warning: {w}");
            }
            super::emit(out.as_bytes())
        }
        Err(e) => {
            for d in &e.diagnostics {
                eprintln!("{d}");
            }
            let n = e.diagnostics.len();
            Err(super::BadInput(format!(
                "{} has {n} problem{}",
                path.display(),
                if n == 1 { "" } else { "s" }
            ))
            .into())
        }
    }
}
