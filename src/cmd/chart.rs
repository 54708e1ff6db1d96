//! `earshot chart SCENE`: the SVG seating chart, one per phase.

use anyhow::Result;
use earshot::analysis::groups::{GroupKind, GroupParams, detect};
use earshot::output::atomic::write_atomic;
use earshot::output::render::chart::{ChartGroup, ChartOptions, seating_chart};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot chart scenes/wedding-banquet                     # one SVG per phase, in output/\n  earshot chart scenes/mayflower-2016 --phase speech --focus Sessions --focus Kislyak -o pair.svg\n  earshot chart scenes/wedding-banquet --phase dancing --groups"
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// Only this phase (default: one chart per phase)
    #[arg(long)]
    phase: Option<String>,
    /// Focus on this person: label their partners and draw how far their voice carries (repeatable)
    #[arg(long)]
    focus: Vec<String>,
    /// Output file (default: output/<scene>-<phase>.svg)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
    /// Also write a PNG beside the SVG (at twice the SVG's pixel size)
    #[arg(long)]
    png: bool,
    /// Draw the conversational groups (F-formations) found in each phase
    #[arg(long)]
    groups: bool,
}

pub fn run(args: Args, opts: &LoadOptions, mut t: super::timing::Timer) -> Result<()> {
    let scene = super::load(&args.scene, opts)?;
    t.stage("load");
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let focus = super::find_all(&scene, &args.focus)?;
    let paths = super::picture_paths(&scene, &phases, args.output.as_deref(), "")?;
    for (p, path) in phases.into_iter().zip(paths) {
        let groups = if args.groups {
            detect(&scene, p, &GroupParams::default())
                .into_iter()
                .enumerate()
                .map(|(k, g)| ChartGroup {
                    label: format!(
                        "group {} ({}, confidence {:.2}): {}",
                        k + 1,
                        g.kind.describe(),
                        g.confidence,
                        g.members
                            .iter()
                            .map(|&m| scene.attendees[m].display_name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    members: g.members,
                    centre: g.centre,
                    ospace: g.kind == GroupKind::Formation,
                })
                .collect()
        } else {
            vec![]
        };
        let chart_opts = ChartOptions {
            focus: focus.clone(),
            groups,
        };
        let svg = seating_chart(&scene, p, &chart_opts);
        t.stage("model");
        write_atomic(&path, || Ok(svg.as_bytes().to_vec()))?;
        eprintln!("wrote {}", path.display());
        if args.png {
            write_png(&path, &svg)?;
        }
        t.stage("write");
    }
    Ok(())
}

/// The PNG beside the SVG at `svg_path`.
#[cfg(feature = "png")]
fn write_png(svg_path: &std::path::Path, svg: &str) -> Result<()> {
    let path = svg_path.with_extension("png");
    write_atomic(&path, || earshot::output::render::png::svg_to_png(svg, 2.0))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

/// Without the `png` feature the SVG is written, and this says how to get the PNG.
#[cfg(not(feature = "png"))]
fn write_png(svg_path: &std::path::Path, _: &str) -> Result<()> {
    Err(super::BadInput(format!(
        "no PNG: this earshot was built without PNG support (the SVG is written). Rebuild with `cargo install --path . --features png`, or convert the SVG: `rsvg-convert -w 1800 {} -o {}`",
        svg_path.display(),
        svg_path.with_extension("png").display()
    ))
    .into())
}
