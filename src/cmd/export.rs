//! `earshot export SCENE --format geojson`: the scene as data for a GIS or a web map.

use anyhow::Result;
use earshot::output::atomic::write_atomic;
use earshot::output::geojson::{ExportOptions, Frame, scene_features};
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(Copy, Clone, Debug, clap::ValueEnum)]
pub enum ExportFormat {
    /// GeoJSON (RFC 7946): WGS84 when the scene has `origin_lonlat`, else plan metres
    Geojson,
}

#[derive(clap::Args, Debug)]
#[command(after_help = "Examples:
  earshot export scenes/mayflower-2016 --format geojson -o mayflower.geojson
  earshot export scenes/wedding-banquet --phase dinner --band raised > dinner.geojson
  ogrinfo -so mayflower.geojson        # check it with GDAL")]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// Output format
    #[arg(long, value_enum, default_value = "geojson")]
    format: ExportFormat,
    /// Only this phase's attendees and pairs (default: every phase)
    #[arg(long)]
    phase: Option<String>,
    /// Pair lines at this band or better: easy, raised, shouting, implausible, all
    #[arg(long, default_value = "shouting")]
    band: String,
    /// Plan metres even when the scene has a geographic anchor
    #[arg(long)]
    local: bool,
    /// Output file (default: standard output)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

pub fn run(args: Args, opts: &LoadOptions) -> Result<()> {
    let worst = super::neighbors::parse_band(&args.band)?;
    let scene = super::load(&args.scene, opts)?;
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let ExportFormat::Geojson = args.format;
    let frame = Frame::for_scene(&scene, args.local);
    let fc = scene_features(
        &scene,
        &ExportOptions {
            phases,
            worst,
            frame,
        },
    );
    let mut text = serde_json::to_string(&fc)?;
    text.push('\n');
    match &args.output {
        Some(path) => {
            write_atomic(path, || Ok(text.as_bytes().to_vec()))?;
            eprintln!(
                "wrote {} ({} features, {})",
                path.display(),
                fc.features.len(),
                if frame == Frame::Local {
                    "plan metres: the scene has no origin_lonlat"
                } else {
                    "WGS84 longitude/latitude"
                }
            );
            Ok(())
        }
        None => super::emit(text.as_bytes()),
    }
}
