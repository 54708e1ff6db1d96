//! `earshot groups SCENE`: conversational groups per snapshot (phase); `earshot eval-groups`:
//! the standard F-formation metric.

use super::Format;
use crate::outln;
use anyhow::{Context, Result};
use earshot::analysis::groups::{GroupParams, Snapshot, detect, evaluate};
use earshot::output::report::{csv_field, terminal_safe};
use earshot::scene::{LoadOptions, Scene};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// How to use the facing column.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum FacingUse {
    /// As given
    Given,
    /// Rounded to the nearest of four directions
    Quantised,
    /// Ignored: positions only
    Ignored,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot groups scenes/wedding-banquet --phase dancing\n  earshot groups snapshots.csv --format csv > detected.csv\n  earshot eval-groups detected.csv truth.csv"
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV (a `phase` column makes one snapshot per value)
    scene: PathBuf,
    /// Only this phase (default: every phase)
    #[arg(long)]
    phase: Option<String>,
    /// Output format (csv columns: phase,group,name)
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Use the facing column as given, quantised to four directions, or not at all
    #[arg(long, value_enum, default_value = "given")]
    facing: FacingUse,
    /// The detector: earshot's, or GCFF as its authors run it (a focal point 0.9 m ahead) for comparison
    #[arg(long, value_enum, default_value = "earshot")]
    method: Method,
    /// GCFF's stride, metres: how far ahead of a person the focal point lies (`--method gcff`;
    /// default 0.9)
    #[arg(long, value_parser = positive_metres)]
    stride: Option<f64>,
    /// The cost of a group label, square metres (GCFF's MDL; default 0.5)
    #[arg(long, value_parser = positive_metres)]
    mdl: Option<f64>,
    /// Any detector parameter, for tuning: near_m, far_m, mdl_m2, cone_deg, quantised_cone_deg,
    /// apart_link_m, apart_span_m, apart_grow_m (numbers; apart_span_m=0 turns that rule off), apart_most (a
    /// count), hearing (a band, or all), empty_ospace (true or false); repeatable
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Smooth each person's facing over this many snapshots before and after (the phases in
    /// order, as frames of one recording)
    #[arg(long, default_value_t = 0)]
    smooth: usize,
}

/// Applies `--set KEY=VALUE` to the detector's parameters.
fn apply_set(params: &mut GroupParams, set: &[String]) -> Result<()> {
    for kv in set {
        let bad = || {
            super::BadInput(format!(
                "--set {kv:?}: expected KEY=VALUE with a known key and a valid value (near_m, far_m, mdl_m2, cone_deg, quantised_cone_deg, apart_link_m, apart_span_m, apart_grow_m, apart_most, hearing, empty_ospace)"
            ))
        };
        let (k, v) = kv.split_once('=').ok_or_else(bad)?;
        let num = || {
            v.trim()
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite() && *x >= 0.0)
        };
        match k.trim() {
            "near_m" => params.near_m = num().ok_or_else(bad)?,
            "far_m" => params.far_m = num().ok_or_else(bad)?,
            "mdl_m2" => params.mdl_m2 = num().ok_or_else(bad)?,
            "cone_deg" => params.cone_deg = num().ok_or_else(bad)?,
            "quantised_cone_deg" => params.quantised_cone_deg = num().ok_or_else(bad)?,
            "apart_link_m" => params.apart_link_m = num().ok_or_else(bad)?,
            "apart_span_m" => params.apart_span_m = num().ok_or_else(bad)?,
            "apart_grow_m" => params.apart_grow_m = num().ok_or_else(bad)?,
            "apart_most" => params.apart_most = v.trim().parse().map_err(|_| bad())?,
            "hearing" => params.hearing = super::neighbors::parse_band(v).map_err(|_| bad())?,
            "empty_ospace" => params.empty_ospace = v.trim().parse().map_err(|_| bad())?,
            _ => return Err(bad().into()),
        }
    }
    if params.near_m > params.far_m {
        return Err(super::BadInput(format!(
            "--set: near_m ({}) must not exceed far_m ({})",
            params.near_m, params.far_m
        ))
        .into());
    }
    Ok(())
}

fn positive_metres(s: &str) -> std::result::Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v < 1e4 => Ok(v),
        _ => Err(format!("expected a positive number, found {s:?}")),
    }
}

/// GCFF's focal point when `--stride` is not given, metres.
const GCFF_STRIDE_M: f64 = 0.9;
/// GCFF's label cost when `--mdl` is not given, square metres.
const GCFF_MDL_M2: f64 = 0.5;

/// Which cost the detector minimises.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Method {
    /// Transactional segments with an empty o-space and hearing (the default)
    Earshot,
    /// GCFF as its authors run it (focal points --stride ahead, default 0.9 m; label cost --mdl,
    /// default 0.5 m²; soft visibility; expansion moves), for comparison
    Gcff,
}

/// Applies `--facing` to a loaded scene.
pub fn adjust_facing(scene: &mut Scene, facing: FacingUse) {
    for a in &mut scene.attendees {
        for p in &mut a.placements {
            p.facing_deg = match facing {
                FacingUse::Given => p.facing_deg,
                FacingUse::Quantised => p
                    .facing_deg
                    .map(|f| ((f / 90.0).round() * 90.0).rem_euclid(360.0)),
                FacingUse::Ignored => None,
            };
        }
    }
}

pub fn run(args: Args, opts: &LoadOptions, mut t: super::timing::Timer) -> Result<()> {
    let mut scene = super::load(&args.scene, opts)?;
    t.stage("load");
    adjust_facing(&mut scene, args.facing);
    if args.smooth > 0 {
        earshot::analysis::groups::smooth_facings(&mut scene, args.smooth);
    }
    let phases = super::phases(&scene, args.phase.as_deref())?;
    let mut params = match args.method {
        Method::Earshot => GroupParams::default(),
        // stride and label cost tuned on the same snapshots as earshot's parameters
        Method::Gcff => {
            if !args.set.is_empty() {
                return Err(super::BadInput(
                    "--set tunes earshot's detector; GCFF takes --stride and --mdl".into(),
                )
                .into());
            }
            GroupParams::default()
        }
    };
    if let Some(mdl) = args.mdl {
        params.mdl_m2 = mdl;
    }
    apply_set(&mut params, &args.set)?;
    if args.stride.is_some() && args.method != Method::Gcff {
        return Err(super::BadInput("--stride applies to --method gcff only".into()).into());
    }
    let mut out = String::new();
    let mut json = Vec::new();
    if args.format == Format::Csv {
        outln!(out, "phase,group,name");
    }
    for p in phases {
        let groups = match args.method {
            Method::Earshot => detect(&scene, p, &params),
            Method::Gcff => earshot::analysis::gcff::detect(
                &scene,
                p,
                args.stride.unwrap_or(GCFF_STRIDE_M),
                args.mdl.unwrap_or(GCFF_MDL_M2),
            ),
        };
        t.stage("model");
        let phase = &scene.phases[p].name;
        match args.format {
            Format::Csv => {
                for (k, g) in groups.iter().enumerate() {
                    for &m in &g.members {
                        outln!(out, "{},{},{}", csv_field(phase), k + 1, csv_field(&scene.attendees[m].display_name()));
                    }
                }
            }
            Format::Json => json.push(serde_json::json!({
                "phase": phase,
                "groups": groups.iter().enumerate().map(|(k, g)| serde_json::json!({
                    "group": k + 1,
                    "kind": g.kind,
                    "confidence": g.confidence,
                    "centre": g.centre,
                    "members": g.members.iter().map(|&m| scene.attendees[m].display_name()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })),
            Format::Text => {
                outln!(out, "Phase \"{}\": {} conversational group{}", terminal_safe(phase), groups.len(), if groups.len() == 1 { "" } else { "s" });
                for (k, g) in groups.iter().enumerate() {
                    let names: Vec<String> = g.members.iter().map(|&m| terminal_safe(&scene.attendees[m].display_name())).collect();
                    outln!(out, "  group {} ({}, confidence {:.2}): {}", k + 1, g.kind.describe(), g.confidence, names.join(", "));
                }
            }
        }
    }
    if args.format == Format::Json {
        outln!(out, "{}", serde_json::to_string_pretty(&json)?);
    }
    super::emit(out.as_bytes())?;
    t.stage("write");
    Ok(())
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot groups snapshots.csv --format csv > detected.csv\n  earshot eval-groups detected.csv truth.csv"
)]
pub struct EvalArgs {
    /// Detected groups: CSV with columns phase,group,name
    predicted: PathBuf,
    /// True groups: CSV with columns phase,group,name
    truth: PathBuf,
}

/// Reads `phase,group,name` into snapshots.
fn read_groups(path: &Path) -> Result<BTreeMap<String, Snapshot>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_path(path)
        .map_err(|e| super::BadInput(format!("{}: {e}", path.display())))?;
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| super::BadInput(format!("{}: {e}", path.display())))?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    let col = |n: &str| headers.iter().position(|h| h == n);
    let (Some(pc), Some(gc), Some(nc)) = (col("phase"), col("group"), col("name")) else {
        return Err(super::BadInput(format!(
            "{}:1: expected the columns phase,group,name, found {}",
            path.display(),
            headers.join(",")
        ))
        .into());
    };
    let mut by: BTreeMap<String, BTreeMap<String, Vec<String>>> = BTreeMap::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| {
            super::BadInput(format!(
                "{}:{}: {e}",
                path.display(),
                e.position().map_or(0, |p| p.line())
            ))
        })?;
        let (phase, group, name) = (
            rec.get(pc).unwrap_or(""),
            rec.get(gc).unwrap_or(""),
            rec.get(nc).unwrap_or(""),
        );
        if group.trim().is_empty() {
            by.entry(phase.to_string()).or_default();
            continue;
        }
        by.entry(phase.to_string())
            .or_default()
            .entry(group.to_string())
            .or_default()
            .push(name.to_string());
    }
    Ok(by
        .into_iter()
        .map(|(k, v)| (k, v.into_values().collect()))
        .collect())
}

pub fn run_eval(args: EvalArgs) -> Result<()> {
    let predicted = read_groups(&args.predicted).context("reading the predicted groups")?;
    let truth = read_groups(&args.truth).context("reading the true groups")?;
    let mut out = String::new();
    outln!(
        out,
        "threshold  precision  recall  F1      TP    FP    FN    snapshots"
    );
    for (label, t) in [("2/3", 2.0 / 3.0), ("1", 1.0)] {
        let s = evaluate(&predicted, &truth, t);
        outln!(
            out,
            "T = {label:<6} {:<10.3} {:<7.3} {:<7.3} {:<5} {:<5} {:<5} {}",
            s.precision,
            s.recall,
            s.f1,
            s.tp,
            s.fp,
            s.fn_,
            s.snapshots
        );
    }
    super::emit(out.as_bytes())
}
