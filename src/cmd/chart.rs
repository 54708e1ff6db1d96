//! `earshot chart SCENE`: the SVG seating chart, one per phase.

use anyhow::Result;
use earshot::analysis::groups::{GroupParams, detect};
use earshot::output::atomic::write_atomic;
use earshot::output::render::chart::{ChartGroup, ChartOptions, seating_chart};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
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
    let focus = args
        .focus
        .iter()
        .map(|n| scene.find_attendee(n))
        .collect::<Result<Vec<_>, _>>()?;
    let paths = super::picture_paths(&scene, &phases, args.output.as_deref(), "")?;
    for (p, path) in phases.into_iter().zip(paths) {
        let groups = if args.groups {
            detect(&scene, p, &GroupParams::default())
                .into_iter()
                .enumerate()
                .map(|(k, g)| ChartGroup {
                    label: format!(
                        "group {} (confidence {:.2}): {}",
                        k + 1,
                        g.confidence,
                        g.members
                            .iter()
                            .map(|&m| scene.attendees[m].display_name())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    members: g.members,
                    centre: g.centre,
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
        if args.png {
            write_png(&path.with_extension("png"), &svg)?;
        }
        write_atomic(&path, || Ok(svg.into_bytes()))?;
        t.stage("write");
        eprintln!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(feature = "png")]
fn write_png(path: &std::path::Path, svg: &str) -> Result<()> {
    write_atomic(path, || earshot::output::render::png::svg_to_png(svg, 2.0))?;
    eprintln!("wrote {}", path.display());
    Ok(())
}

#[cfg(not(feature = "png"))]
fn write_png(_: &std::path::Path, _: &str) -> Result<()> {
    Err(super::BadInput(
        "this earshot was built without PNG support: rebuild with the `png` feature".into(),
    )
    .into())
}
