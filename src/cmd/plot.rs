//! `earshot plot SCENE heatmap|decay`: plots drawn with plotters.

use anyhow::Result;
use earshot::output::atomic::write_atomic;
use earshot::output::render::plot::{decay, heatmap};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(Copy, Clone, Debug, clap::ValueEnum)]
pub enum Kind {
    /// Pair plausibility for everyone present, ordered by seat
    Heatmap,
    /// Intelligibility against distance at each vocal effort, with the scene's pairs
    Decay,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot plot scenes/wedding-banquet decay --phase dinner\n  earshot plot scenes/lecture-hall heatmap -o heat.svg --phase lecture"
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// Which plot
    #[arg(value_enum)]
    kind: Kind,
    /// Only this phase (default: one plot per phase)
    #[arg(long)]
    phase: Option<String>,
    /// Output file (default: output/<scene>-<phase>-<kind>.svg)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, opts: &LoadOptions, mut t: super::timing::Timer) -> Result<()> {
    let scene = super::load(&args.scene, opts)?;
    t.stage("load");
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let kind = match args.kind {
        Kind::Heatmap => "heatmap",
        Kind::Decay => "decay",
    };
    let paths = super::picture_paths(&scene, &phases, args.output.as_deref(), &format!("-{kind}"))?;
    for (p, path) in phases.into_iter().zip(paths) {
        write_atomic(&path, || {
            match args.kind {
                Kind::Heatmap => heatmap(&scene, p),
                Kind::Decay => decay(&scene, p),
            }
            .map(String::into_bytes)
            .map_err(|e| e.to_string())
        })?;
        t.stage("model");
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}
