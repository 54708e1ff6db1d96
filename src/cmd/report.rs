//! `earshot report SCENE`: one self-contained, interactive HTML page.

use anyhow::Result;
use earshot::output::atomic::write_atomic;
use earshot::output::html::{ReportOptions, html_report};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  earshot report scenes/mayflower-2016                 # writes output/mayflower-2016.html
  earshot report scenes/wedding-banquet -o wedding.html
Open the file in any browser: it works offline and requests nothing from a network.")]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// Output file (default: output/<scene>.html)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    #[command(flatten)]
    uncertainty: super::UncertaintyArgs,
}

pub fn run(args: Args, opts: &LoadOptions, mut t: super::timing::Timer) -> Result<()> {
    let scene = super::load(&args.scene, opts)?;
    t.stage("load");
    let path = args.output.unwrap_or_else(|| {
        PathBuf::from("output").join(format!("{}.html", super::file_safe(&scene.slug)))
    });
    let html = html_report(
        &scene,
        &ReportOptions {
            uncertainty: args.uncertainty.options(),
        },
    );
    t.stage("model");
    write_atomic(&path, || Ok(html.as_bytes().to_vec()))?;
    t.stage("write");
    eprintln!(
        "wrote {} ({:.1} MB): open it in a browser",
        path.display(),
        html.len() as f64 / 1e6
    );
    Ok(())
}
