//! `earshot neighbors SCENE A`: everyone A could have talked with, best first.

use super::Format;
use crate::outln;
use anyhow::Result;
use earshot::analysis::plausibility::{AssessOptions, Band, Verdict, assess};
use earshot::analysis::uncertainty::{self, Uncertainty};
use earshot::output::report::{VerdictJson, csv_text, phase_window, terminal_safe};
use earshot::scene::{LoadOptions, Presence, Scene};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot neighbors scenes/mayflower-2016 Kislyak --phase speech\n  earshot neighbors scenes/wedding-banquet \"Guest 040\" --band raised --format csv"
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// The person
    name: String,
    /// Only this phase (default: every phase)
    #[arg(long)]
    phase: Option<String>,
    /// List pairs at this band or better: easy, raised, shouting, implausible, all
    #[arg(long, default_value = "shouting")]
    band: String,
    /// Output format
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    #[command(flatten)]
    uncertainty: super::UncertaintyArgs,
}

/// A partner's verdict at the most central case, and its bands over the uncertain inputs.
type Neighbour = (Verdict, Uncertainty);

pub fn run(args: Args, opts: &LoadOptions, mut t: super::timing::Timer) -> Result<()> {
    let worst = parse_band(&args.band)?;
    let scene = super::load(&args.scene, opts)?;
    t.stage("load");
    let me = scene.find_attendee(&args.name)?;
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let all = neighbours(&scene, me, &phases, worst, args.uncertainty.options());
    t.stage("model");
    let out = match args.format {
        Format::Json => as_json(&scene, me, &all)?,
        Format::Csv => as_csv(&scene, &all)?,
        Format::Text => as_text(&scene, me, &all, worst),
    };
    super::emit(out.as_bytes())?;
    t.stage("write");
    Ok(())
}

/// Per phase, everyone `me` could have talked with at `worst` or better (in the most central
/// case, or in any case the uncertain inputs allow), best first (empty when `me` was not
/// there).
fn neighbours(
    scene: &Scene,
    me: usize,
    phases: &[usize],
    worst: Band,
    opts: uncertainty::Options,
) -> Vec<(usize, Vec<Neighbour>)> {
    let mut all: Vec<(usize, Vec<Neighbour>)> = Vec::new();
    for &p in phases {
        if scene.attendees[me].placement_in(p).is_none() {
            all.push((p, vec![]));
            continue;
        }
        let mut vs: Vec<Neighbour> = scene
            .present_in(p)
            .into_iter()
            .filter(|(i, _)| *i != me)
            .map(|(i, _)| {
                let v = assess(scene, p, me, i, AssessOptions::default());
                let u = uncertainty::analyse(scene, p, me, i, opts);
                (v, u)
            })
            .filter(|(v, u)| v.band <= worst || u.best.is_some_and(|b| b <= worst))
            .collect();
        vs.sort_by(|(x, _), (y, _)| {
            x.band
                .cmp(&y.band)
                .then(y.score.total_cmp(&x.score))
                .then(x.b.cmp(&y.b))
        });
        all.push((p, vs));
    }
    all
}

fn as_json(scene: &Scene, me: usize, all: &[(usize, Vec<Neighbour>)]) -> Result<String> {
    let me_name = scene.attendees[me].display_name();
    let mut out = String::new();
    let doc = serde_json::json!({
        "scene": scene.title,
        "name": me_name,
        "phases": all.iter().map(|(p, vs)| serde_json::json!({
            "phase": scene.phases[*p].name,
            "present": scene.attendees[me].placement_in(*p).is_some(),
            "neighbors": vs
                .iter()
                .map(|(v, u)| VerdictJson::with_uncertainty(v, u))
                .collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    });
    outln!(out, "{}", serde_json::to_string_pretty(&doc)?);
    Ok(out)
}

fn as_csv(scene: &Scene, all: &[(usize, Vec<Neighbour>)]) -> Result<String> {
    let mut out = String::new();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "phase",
        "name",
        "other",
        "band",
        "score",
        "distance_m",
        "walking_m",
        "required_level_dba",
        "co_present_min",
    ])?;
    for (p, vs) in all {
        for (v, _) in vs {
            let g = v.geometry.as_ref();
            w.write_record([
                csv_text(&scene.phases[*p].name),
                csv_text(&v.a),
                csv_text(&v.b),
                v.band.key().to_string(),
                format!("{:.3}", v.score),
                g.map_or(String::new(), |g| format!("{:.2}", g.distance_m)),
                g.and_then(|g| g.walking_m)
                    .map_or(String::new(), |m| format!("{m:.2}")),
                v.acoustics
                    .as_ref()
                    .and_then(|a| a.required_level_dba)
                    .map_or(String::new(), |r| format!("{r:.1}")),
                v.co_presence
                    .minutes
                    .map_or(String::new(), |m| format!("{m:.0}")),
            ])?;
        }
    }
    out.push_str(&String::from_utf8_lossy(&w.into_inner()?));
    Ok(out)
}

fn as_text(scene: &Scene, me: usize, all: &[(usize, Vec<Neighbour>)], worst: Band) -> String {
    let me_name = scene.attendees[me].display_name();
    let mut out = String::new();
    for (p, vs) in all {
        let ph = &scene.phases[*p];
        outln!(
            out,
            "Phase \"{}\"{} ({} dB(A)): who {} could have talked with, best first",
            terminal_safe(&ph.name),
            phase_window(ph),
            ph.acoustics.noise_dba.shown(0),
            terminal_safe(&me_name)
        );
        if scene.attendees[me].placement_in(*p).is_none() {
            outln!(
                out,
                "  {} was not there in this phase.\n",
                terminal_safe(&me_name)
            );
            continue;
        }
        if scene.attendees[me].presence == Presence::Uncertain {
            outln!(
                out,
                "  {}'s attendance is unconfirmed: every line below holds only if they were there.",
                terminal_safe(&me_name)
            );
        }
        if vs.is_empty() {
            outln!(out, "  no one at \"{}\" or better.\n", worst.label());
            continue;
        }
        outln!(
            out,
            "  {:<19}{:>6}{:>10}  {:<18}name",
            "band",
            "score",
            "distance",
            "if walked over"
        );
        for (v, u) in vs {
            let d = v.geometry.as_ref().map_or(f64::NAN, |g| g.distance_m);
            let walk = v.walk_over.as_ref().map_or("—".to_string(), |w| {
                if w.possible {
                    w.band_face_to_face.label().to_string()
                } else {
                    "no".to_string()
                }
            });
            // the other's attendance; one's own is said once, above
            let mut unsure = if v.uncertain_presence.contains(&v.b) {
                "  (attendance unconfirmed)".to_string()
            } else {
                String::new()
            };
            if u.band_probabilities.len() > 1 {
                unsure.push_str(&format!("  {}", odds(u)));
            }
            outln!(
                out,
                "  {:<19}{:>6.2}{:>8.2} m  {:<18}{}{}",
                v.band.label(),
                v.score,
                d,
                walk,
                terminal_safe(&v.b),
                unsure
            );
        }
        outln!(out);
    }
    out
}

/// The odds over the uncertain inputs, compactly: "(uncertain: easy 10 %, implausible 84 %,
/// …)".
fn odds(u: &Uncertainty) -> String {
    let parts: Vec<String> = Band::ALL
        .iter()
        .map(|b| (b.key(), u.probability(*b)))
        .chain([(
            uncertainty::ABSENT,
            u.band_probabilities
                .get(uncertainty::ABSENT)
                .copied()
                .unwrap_or(0.0),
        )])
        .filter(|(_, p)| *p > 0.0)
        .map(|(k, p)| format!("{k} {:.0} %", 100.0 * p))
        .collect();
    format!("(uncertain: {})", parts.join(", "))
}

/// A band on the command line: a band name, or `all`.
pub fn parse_band(s: &str) -> Result<Band> {
    if s.eq_ignore_ascii_case("all") {
        return Ok(Band::NeverCoPresent);
    }
    Band::parse(s).ok_or_else(|| {
        super::BadInput(format!(
            "unknown band {s:?}: expected easy, raised, shouting, implausible or all"
        ))
        .into()
    })
}
