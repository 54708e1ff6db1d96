//! `earshot view SCENE --camera x,y,height,heading,pitch --focal-mm F`: the scene as a camera
//! would see it, beside the plan with the camera's field of view.

use anyhow::Result;
use earshot::output::atomic::write_atomic;
use earshot::output::render::view::{Camera, pair_look, view_svg};
use earshot::output::report::terminal_safe;
use earshot::physics::geometry::Point;
use earshot::scene::LoadOptions;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  earshot view scenes/mayflower-2016 --phase speech --camera 20,2,1.7,95,2 --focal-mm 200 \\\n      --focus Sessions --focus Kislyak -o view.svg\n\n\
The camera is an assumption: say so wherever the picture is shown."
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// The phase to show
    #[arg(long)]
    phase: Option<String>,
    /// The camera: x,y (metres, on the plan), height (metres), heading (degrees counter-clockwise
    /// from +x), pitch (degrees down)
    #[arg(long, value_parser = parse_camera, allow_hyphen_values = true)]
    camera: [f64; 5],
    /// Focal length, millimetres
    #[arg(long = "focal-mm")]
    focal_mm: f64,
    /// Sensor width, millimetres (36: full frame)
    #[arg(long = "sensor-mm", default_value_t = 36.0)]
    sensor_mm: f64,
    /// Say how far apart two people look against how far apart they were (give it twice)
    #[arg(long)]
    focus: Vec<String>,
    /// Output file (default: output/<scene>-<phase>-view.svg)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

fn parse_camera(s: &str) -> std::result::Result<[f64; 5], String> {
    let v: Vec<f64> = s
        .split(',')
        .map(|t| t.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| format!("expected x,y,height,heading,pitch (five numbers), found {s:?}"))?;
    match v[..] {
        [x, y, h, heading, pitch]
            if v.iter().all(|n| n.is_finite()) && h > 0.0 && (-89.0..=89.0).contains(&pitch) =>
        {
            Ok([x, y, h, heading, pitch])
        }
        _ => Err(format!(
            "expected x,y,height,heading,pitch: five numbers, a height above 0 and a pitch between -89 and 89 degrees; found {s:?}"
        )),
    }
}

pub fn run(args: Args, opts: &LoadOptions) -> Result<()> {
    if !(args.focal_mm.is_finite()
        && args.focal_mm > 1.0
        && args.sensor_mm > 1.0
        && args.sensor_mm.is_finite())
    {
        return Err(super::BadInput(
            "--focal-mm and --sensor-mm must be lengths in millimetres above 1".into(),
        )
        .into());
    }
    let scene = super::load(&args.scene, opts)?;
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let focus = super::find_all(&scene, &args.focus)?;
    let [x, y, height_m, heading_deg, pitch_deg] = args.camera;
    let camera = Camera {
        pos: Point::new(x, y),
        height_m,
        heading_deg,
        pitch_deg,
        focal_mm: args.focal_mm,
        sensor_mm: args.sensor_mm,
    };
    let paths = super::picture_paths(&scene, &phases, args.output.as_deref(), "-view")?;
    for (p, path) in phases.into_iter().zip(paths) {
        let svg = view_svg(&scene, p, &camera, &focus);
        write_atomic(&path, || Ok(svg.into_bytes()))?;
        eprintln!("wrote {}", path.display());
        if let [a, b] = focus[..] {
            let (pa, pb) = (
                scene.attendees[a].placement_in(p),
                scene.attendees[b].placement_in(p),
            );
            if let Some(look) = pa
                .zip(pb)
                .and_then(|(pa, pb)| pair_look(&camera, pa.pos, pb.pos))
            {
                println!(
                    "In \"{}\": {} and {} look {:.1} m apart in the picture (at the nearer one's depth) and were {:.1} m apart on the floor.",
                    terminal_safe(&scene.phases[p].name),
                    terminal_safe(&scene.attendees[a].display_name()),
                    terminal_safe(&scene.attendees[b].display_name()),
                    look.picture_m,
                    look.floor_m
                );
            }
        }
    }
    Ok(())
}
