//! Plots drawn with plotters: the pair-plausibility heat map, and intelligibility against
//! distance at each vocal effort.

use crate::analysis::plausibility::{Band, PairInput, talker_sti};
use crate::analysis::search::phase_pairs;
use crate::physics::acoustics::{Effort, STI_FAIR, natural_level_dba};
use crate::scene::{Acoustics, Scene, SeatPlace};
use plotters::prelude::*;

/// Most people a heat map shows; beyond, the first ones in seat order.
pub const HEATMAP_MAX: usize = 150;

/// Errors drawing a plot.
#[derive(Debug, thiserror::Error)]
#[error("cannot draw the plot: {0}")]
pub struct PlotError(String);

fn err<E: std::fmt::Display>(e: E) -> PlotError {
    PlotError(e.to_string())
}

/// Colour for a score, from pale (0) to deep green (1), with a step at the *easy* threshold
/// so that the boundary reads in greyscale too.
fn score_colour(score: f64) -> RGBColor {
    let t = score.clamp(0.0, 1.0);
    let (lo, hi) = if t >= STI_FAIR {
        ((0.0, 158.0, 115.0), (0.0, 90.0, 60.0))
    } else {
        ((250.0, 248.0, 240.0), (230.0, 159.0, 0.0))
    };
    let k = if t >= STI_FAIR {
        (t - STI_FAIR) / (1.0 - STI_FAIR)
    } else {
        t / STI_FAIR
    };
    let mix = |a: f64, b: f64| (a + (b - a) * k).round() as u8;
    RGBColor(mix(lo.0, hi.0), mix(lo.1, hi.1), mix(lo.2, hi.2))
}

/// The order in which people appear on the heat map's axes: by seat (section, row, table,
/// chair), then by group, then by name.
pub fn heatmap_order(scene: &Scene, phase: usize) -> Vec<usize> {
    let mut people: Vec<usize> = scene
        .present_in(phase)
        .into_iter()
        .map(|(i, _)| i)
        .collect();
    let key = |i: &usize| {
        let a = &scene.attendees[*i];
        let seat = a.placement_in(phase).and_then(|p| p.seat_index()).map(|s| {
            let place = match scene.seats[s].place {
                SeatPlace::Row { block, row, .. } => (0, block, row),
                SeatPlace::Table { table, chair } => (1, table, chair),
            };
            (place, s)
        });
        (
            seat.is_none(),
            seat,
            a.group().to_string(),
            a.name.to_lowercase(),
        )
    };
    people.sort_by_key(key);
    people
}

/// The pair-plausibility heat map of a phase, as SVG.
pub fn heatmap(scene: &Scene, phase: usize) -> Result<String, PlotError> {
    let all = heatmap_order(scene, phase);
    let shown: Vec<usize> = all.iter().copied().take(HEATMAP_MAX).collect();
    let n = shown.len();
    let score = heatmap_scores(scene, phase, &shown);
    let cell = (900 / n.max(1)).clamp(3, 28) as u32;
    let side = cell * n.max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (side + 350, side + 150)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let ph = &scene.phases[phase];
        let title = if all.len() > n {
            format!(
                "{} — {}: conversation plausibility (first {n} of {} in seat order)",
                scene.title,
                ph.name,
                all.len()
            )
        } else {
            format!("{} — {}: conversation plausibility", scene.title, ph.name)
        };
        root.draw(&Text::new(title, (10, 10), ("sans-serif", 16).into_font()))
            .map_err(err)?;
        root.draw(&Text::new(
            format!("score = speech transmission index at natural effort; easy ≥ {STI_FAIR}; noise {:.0} dB(A)", ph.acoustics.noise_dba.value),
            (10, 32),
            ("sans-serif", 12).into_font(),
        ))
        .map_err(err)?;
        let (ox, oy) = (150i32, 60i32);
        draw_heat_cells(&root, scene, &shown, &score, cell, (ox, oy))?;
        draw_colour_key(&root, ox + side as i32 + 20, oy)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

/// The scores of every pair of `shown`, row by row (NaN where a pair has none).
fn heatmap_scores(scene: &Scene, phase: usize, shown: &[usize]) -> Vec<f64> {
    let n = shown.len();
    let pos: std::collections::HashMap<usize, usize> =
        shown.iter().enumerate().map(|(k, i)| (*i, k)).collect();
    let mut score = vec![f64::NAN; n * n];
    for p in phase_pairs(scene, phase, Band::NeverCoPresent) {
        if let (Some(&i), Some(&j)) = (pos.get(&p.a), pos.get(&p.b)) {
            score[i * n + j] = p.score;
            score[j * n + i] = p.score;
        }
    }
    score
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// One square per pair, and the names along the side when the squares are big enough.
fn draw_heat_cells(
    root: &Area,
    scene: &Scene,
    shown: &[usize],
    score: &[f64],
    cell: u32,
    (ox, oy): (i32, i32),
) -> Result<(), PlotError> {
    let n = shown.len();
    for i in 0..n {
        for j in 0..n {
            let v = score[i * n + j];
            let colour = if i == j {
                RGBColor(200, 200, 200)
            } else if v.is_nan() {
                WHITE
            } else {
                score_colour(v)
            };
            let (x, y) = (ox + (j as u32 * cell) as i32, oy + (i as u32 * cell) as i32);
            root.draw(&Rectangle::new(
                [(x, y), (x + cell as i32, y + cell as i32)],
                colour.filled(),
            ))
            .map_err(err)?;
        }
        if cell >= 9 {
            let name = scene.attendees[shown[i]].display_name();
            let short: String = name.chars().take(22).collect();
            let y = oy + (i as u32 * cell) as i32 + (cell as i32) / 2 - 5;
            root.draw(&Text::new(
                short.clone(),
                (4, y),
                ("sans-serif", 10).into_font(),
            ))
            .map_err(err)?;
            // the same names along the bottom, read downwards
            let x = ox + (i as u32 * cell) as i32 + (cell as i32) / 2 + 5;
            let below = oy + (n as u32 * cell) as i32 + 4;
            root.draw(&Text::new(
                short,
                (x, below),
                ("sans-serif", 10)
                    .into_font()
                    .transform(FontTransform::Rotate90),
            ))
            .map_err(err)?;
        }
    }
    Ok(())
}

/// The colour scale from 1 to 0, at `(kx, oy)`.
fn draw_colour_key(root: &Area, kx: i32, oy: i32) -> Result<(), PlotError> {
    for k in 0..=20 {
        let v = 1.0 - k as f64 / 20.0;
        let y = oy + k * 12;
        root.draw(&Rectangle::new(
            [(kx, y), (kx + 18, y + 12)],
            score_colour(v).filled(),
        ))
        .map_err(err)?;
        if k % 5 == 0 {
            root.draw(&Text::new(
                format!("{v:.2}"),
                (kx + 24, y + 2),
                ("sans-serif", 11).into_font(),
            ))
            .map_err(err)?;
        }
    }
    root.draw(&Text::new(
        "score",
        (kx, oy - 16),
        ("sans-serif", 12).into_font(),
    ))
    .map_err(err)?;
    // the band edge the score carries: easy at 0.45 and above; poor (most sentences) at 0.30
    for (v, text) in [
        (STI_FAIR, "easy from here up"),
        (0.30, "poor: most sentences"),
    ] {
        let y = oy + ((1.0 - v) * 240.0).round() as i32;
        root.draw(&PathElement::new(
            vec![(kx - 4, y), (kx + 22, y)],
            BLACK.stroke_width(2),
        ))
        .map_err(err)?;
        root.draw(&Text::new(
            format!("{v:.2} {text}"),
            (kx + 52, y - 5),
            ("sans-serif", 10).into_font(),
        ))
        .map_err(err)?;
    }
    Ok(())
}

/// Intelligibility against distance at each vocal effort, for the phase's noise and room, with
/// the scene's pairs marked at their distance and score.
pub fn decay(scene: &Scene, phase: usize) -> Result<String, PlotError> {
    let ph = &scene.phases[phase];
    // the curves show distance alone: no leaning in
    let mut params = ph.acoustics;
    params.lean_in_reach_m.value = 0.0;
    let params = &params;
    let natural = natural_level_dba(params.noise_dba.value);
    let max_d = 20.0;
    let pairs: Vec<(f64, f64)> = phase_pairs(scene, phase, Band::Implausible)
        .into_iter()
        .filter(|p| p.distance_m <= max_d)
        .map(|p| (p.distance_m, p.score))
        .collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 560)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!(
                    "{} — {}: intelligibility against distance, {:.0} dB(A) noise, RT60 {:.1} s",
                    scene.title, ph.name, params.noise_dba.value, params.rt60_s.value
                ),
                ("sans-serif", 15),
            )
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(50)
            .build_cartesian_2d(0.0..max_d, 0.0..1.0)
            .map_err(err)?;
        chart
            .configure_mesh()
            .light_line_style(RGBColor(242, 242, 242))
            .bold_line_style(RGBColor(215, 215, 215))
            .x_desc("distance (m): facing each other, nothing in between, not leaning in")
            .y_desc("speech transmission index")
            .draw()
            .map_err(err)?;
        draw_decay_series(&mut chart, params, natural, max_d, &pairs)?;
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .position(SeriesLabelPosition::UpperRight)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

type DecayChart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// A curve per vocal effort and for the natural voice, the fair line, and the scene's pairs.
fn draw_decay_series(
    chart: &mut DecayChart,
    params: &Acoustics,
    natural: f64,
    max_d: f64,
    pairs: &[(f64, f64)],
) -> Result<(), PlotError> {
    let styles: [(Effort, RGBColor); 6] = [
        (Effort::Relaxed, RGBColor(86, 180, 233)),
        (Effort::Normal, RGBColor(0, 114, 178)),
        (Effort::Raised, RGBColor(0, 158, 115)),
        (Effort::Loud, RGBColor(230, 159, 0)),
        (Effort::VeryLoud, RGBColor(213, 94, 0)),
        (Effort::Shout, RGBColor(204, 121, 167)),
    ];
    // SVG coordinates are whole pixels: where a curve is nearly flat, 400 points a pixel apart
    // draw a staircase. Keep a point only when the curve has moved about two pixels up or
    // down, or half a metre along, since the last one kept: the lines between them are smooth.
    let curve = |level: f64| {
        let all: Vec<(f64, f64)> = (1..=400)
            .map(|k| {
                let d = k as f64 * max_d / 400.0;
                (d, talker_sti(&PairInput::face_to_face(d), params, level))
            })
            .collect();
        let mut kept: Vec<(f64, f64)> = Vec::with_capacity(all.len());
        for (k, &(d, s)) in all.iter().enumerate() {
            let last = kept.last().copied();
            let far = last.is_none_or(|(d0, s0)| (s - s0).abs() >= 0.004 || d - d0 >= 0.5);
            if far || k + 1 == all.len() {
                kept.push((d, s));
            }
        }
        kept
    };
    for (effort, colour) in styles {
        let level = effort.level_dba(params.shout_ceiling_dba.value);
        chart
            .draw_series(LineSeries::new(curve(level), colour.stroke_width(2)))
            .map_err(err)?
            .label(format!(
                "ISO 9921 {} effort, {level:.0} dB(A) at 1 m",
                effort.label()
            ))
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(2))
            });
    }
    chart
        .draw_series(LineSeries::new(curve(natural), BLACK.stroke_width(1)))
        .map_err(err)?
        .label(format!(
            "natural voice in this noise, {natural:.1} dB(A): bands count from it"
        ))
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.stroke_width(1)));
    chart
        .draw_series(LineSeries::new(
            [(0.0, STI_FAIR), (max_d, STI_FAIR)],
            RGBColor(120, 120, 120).stroke_width(1),
        ))
        .map_err(err)?
        .label("fair intelligibility (0.45)")
        .legend(|(x, y)| {
            PathElement::new(
                vec![(x, y), (x + 20, y)],
                RGBColor(120, 120, 120).stroke_width(1),
            )
        });
    chart
        .draw_series(
            pairs
                .iter()
                .map(|&(d, s)| Circle::new((d, s), 2, RGBColor(0, 0, 0).mix(0.35).filled())),
        )
        .map_err(err)?
        .label("pairs in the scene (at natural effort)")
        .legend(|(x, y)| Circle::new((x + 10, y), 3, BLACK.filled()));
    Ok(())
}
