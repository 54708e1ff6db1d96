//! The SVG seating chart: venue, seats, people, who could have talked with whom, and how far
//! the focus people's voices carried.
//!
//! Drawn in pixels from a fixed scale in metres, with every coordinate rounded to 0.1 px so
//! that the output is deterministic.

use super::contour::Field;
use super::labels::{self, Rect};
use super::{bbox, palette, xml_escape};
use crate::analysis::index::Grid;
use crate::analysis::pair::geometry_between;
use crate::analysis::plausibility::{AssessOptions, Band, PairInput, Verdict, assess, talker_sti};
use crate::analysis::search::{PairBand, phase_pairs};
use crate::analysis::uncertainty::{self, Uncertainty};
use crate::physics::acoustics::{STI_FAIR, natural_level_dba};
use crate::physics::geometry::{Point, point_in_polygon, point_segment_distance};
use crate::scene::{Mobility, Placement, Presence, Scene, Spread};
use std::collections::BTreeSet;
use std::fmt::Write as _;

/// What to draw.
#[derive(Debug, Clone, Default)]
pub struct ChartOptions {
    /// Attendee indices to focus on: their partners are labelled and their voices' reach drawn.
    pub focus: Vec<usize>,
    /// Conversational groups to draw: members, o-space centre and a label.
    pub groups: Vec<ChartGroup>,
}

/// A conversational group on the chart.
#[derive(Debug, Clone)]
pub struct ChartGroup {
    /// Attendee indices.
    pub members: Vec<usize>,
    /// The o-space centre, metres.
    pub centre: Point,
    /// Tooltip text.
    pub label: String,
    /// Whether the members face a shared o-space (drawn dashed); people standing together
    /// apart from others, whatever their facing, have none.
    pub ospace: bool,
}

/// Without focus people, the most lines drawn per person when pairs are many.
pub const BEST_PARTNERS: usize = 3;

/// The legend's width beside the plan, pixels: its longest fixed line (the label of people
/// standing apart, at 11 px) fits by [`labels::text_width`]'s generous estimate; the notes,
/// which hold the scene's numbers, are wrapped to it.
const LEGEND_W: f64 = 340.0;

/// Keeps, for each person, their `k` best-scored pairs (a pair stays when it is among the best
/// of either of its two people).
fn best_partners(pairs: Vec<PairBand>, k: usize) -> Vec<PairBand> {
    let mut by_person: std::collections::BTreeMap<usize, Vec<usize>> =
        std::collections::BTreeMap::new();
    for (i, p) in pairs.iter().enumerate() {
        by_person.entry(p.a).or_default().push(i);
        by_person.entry(p.b).or_default().push(i);
    }
    let mut keep = vec![false; pairs.len()];
    for list in by_person.values_mut() {
        list.sort_by(|&x, &y| pairs[y].score.total_cmp(&pairs[x].score).then(x.cmp(&y)));
        for &i in list.iter().take(k) {
            keep[i] = true;
        }
    }
    pairs
        .into_iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| p)
        .collect()
}

/// A scene with this many people present or more is dense: only focus people and their
/// partners get labels (everyone keeps a tooltip).
pub const DENSE: usize = 41;

/// The `stroke-dasharray` attribute for a dash pattern (none for a solid line).
fn dash_attr(dash: &str) -> String {
    if dash.is_empty() {
        String::new()
    } else {
        format!(r#" stroke-dasharray="{dash}""#)
    }
}

fn n(v: f64) -> String {
    format!("{:.1}", v + 0.0)
}

/// Line style for a band: colour and dash pattern (told apart in greyscale too).
pub fn band_style(b: Band) -> (&'static str, &'static str) {
    match b {
        Band::Easy => (palette::EASY, ""),
        Band::Raised => (palette::RAISED, "7 4"),
        Band::Shouting => (palette::SHOUTING, "2 3"),
        _ => (palette::IMPLAUSIBLE, "1 5"),
    }
}

/// Stroke width and opacity of a pair line: faint for a shout, bold otherwise.
fn line_weight(b: Band) -> (&'static str, &'static str) {
    if b >= Band::Shouting {
        ("1.4", "0.5")
    } else {
        ("2.5", "0.95")
    }
}

struct Frame {
    x0: f64,
    y1: f64,
    s: f64,
    pad: f64,
    top: f64,
}

impl Frame {
    /// The frame for the floor from `(x0, y0)` to `(x1, y1)` metres: the longer side 900 px,
    /// between 6 and 80 px per metre.
    fn fit(x0: f64, y0: f64, x1: f64, y1: f64) -> Self {
        let s = (900.0 / (x1 - x0).max(y1 - y0)).clamp(6.0, 80.0);
        Frame {
            x0,
            y1,
            s,
            pad: 20.0,
            top: 64.0,
        }
    }

    fn x(&self, p: Point) -> f64 {
        self.pad + (p.x - self.x0) * self.s
    }
    fn y(&self, p: Point) -> f64 {
        self.top + (self.y1 - p.y) * self.s
    }
    fn xy(&self, p: Point) -> String {
        format!("{},{}", n(self.x(p)), n(self.y(p)))
    }
}

/// Draws the seating chart of `phase`.
pub fn seating_chart(scene: &Scene, phase: usize, opts: &ChartOptions) -> String {
    let ph = &scene.phases[phase];
    let present = scene.present_in(phase);
    let focus: Vec<usize> = opts
        .focus
        .iter()
        .copied()
        .filter(|f| scene.attendees[*f].placement_in(phase).is_some())
        .collect();
    let (x0, y0, x1, y1) = plan_bounds(scene);
    let f = Frame::fit(x0, y0, x1, y1);
    let s = f.s;
    let (plot_w, plot_h) = ((x1 - x0) * s, (y1 - y0) * s);
    let legend_x = f.pad * 2.0 + plot_w;
    let width = legend_x + LEGEND_W;
    let asked = asked_pair(scene, phase, &focus);
    // the asked pair's verdict under the plan, as wide as the drawing
    let caption = asked.as_ref().map(|v| {
        let u = (focus.len() == 2)
            .then(|| uncertainty::analyse(scene, phase, focus[0], focus[1], Default::default()));
        verdict_caption(v, u.as_ref(), width - 2.0 * f.pad)
    });
    let caption_h = caption
        .as_ref()
        .map_or(0.0, |l| 15.0 * l.len() as f64 - 1.0);
    let height = (f.top + plot_h + 60.0 + caption_h).max(560.0);
    let (lines, thinned) = pair_lines(scene, phase, &focus, present.len());
    let mut bands_drawn: BTreeSet<Band> = lines.iter().map(|p| p.band).collect();
    if let Some(v) = asked.as_ref().filter(|v| v.band < Band::NeverCoPresent) {
        bands_drawn.insert(v.band);
    }

    let mut svg = String::with_capacity(64 * 1024);
    draw_header(&mut svg, scene, ph, &f, width, height);
    open_plan(&mut svg, &f, plot_w, plot_h);
    draw_venue(&mut svg, scene, &f);
    if !focus.is_empty() {
        draw_contours(&mut svg, scene, phase, &focus, &f, (x0, y0, x1, y1));
    }
    draw_groups(&mut svg, scene, phase, &opts.groups, &f);
    let uncertain_lines = draw_pair_lines(&mut svg, scene, phase, &lines, &f);
    if let Some(v) = &asked {
        draw_asked_pair(&mut svg, scene, phase, &focus, v, &f);
    }
    let r_px = (0.18 * s).max(3.5);
    let spreads = draw_spreads(&mut svg, scene, &present, &f, r_px);
    let marker_boxes = draw_attendees(&mut svg, scene, phase, &present, &focus, &f, r_px);
    close_plan(&mut svg, &f, plot_w, plot_h);
    let area = Rect {
        x0: 2.0,
        y0: f.top,
        x1: legend_x - 4.0,
        y1: f.top + plot_h,
    };
    let labels = LabelSet {
        focus: &focus,
        present: &present,
        lines: &lines,
        r_px,
        area,
    };
    let placed = draw_labels(&mut svg, scene, phase, &labels, &f, marker_boxes);
    draw_scale_bar(&mut svg, &f, plot_h);
    if let Some(lines) = &caption {
        draw_verdict_caption(&mut svg, lines, f.pad, f.top + plot_h + 58.0);
    }
    let legend = LegendContent {
        present: &present,
        focus: &focus,
        bands: &bands_drawn,
        some_unlabelled: placed < present.len(),
        groups: !opts.groups.is_empty(),
        thinned,
        spreads,
        uncertain_lines,
    };
    draw_legend(&mut svg, scene, phase, &legend, legend_x);
    svg.push_str("</svg>\n");
    svg
}

/// With two focus people, the verdict for their pair: it gets its line and its sentence,
/// whatever the band.
fn asked_pair(scene: &Scene, phase: usize, focus: &[usize]) -> Option<Verdict> {
    match focus {
        [a, b] => Some(assess(
            scene,
            phase,
            *a,
            *b,
            AssessOptions { walking: false },
        )),
        _ => None,
    }
}

/// Opens the plan: everything drawn in metres is clipped to the frame.
fn open_plan(svg: &mut String, f: &Frame, plot_w: f64, plot_h: f64) {
    let _ = writeln!(
        svg,
        r#"<clipPath id="frame"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>"#,
        n(f.pad),
        n(f.top),
        n(plot_w),
        n(plot_h)
    );
    let _ = writeln!(svg, r#"<g id="plan" clip-path="url(#frame)">"#);
}

/// Closes the plan and draws its border.
fn close_plan(svg: &mut String, f: &Frame, plot_w: f64, plot_h: f64) {
    let _ = writeln!(svg, "</g>");
    let _ = writeln!(
        svg,
        r##"<rect id="frame-border" x="{}" y="{}" width="{}" height="{}" fill="none" stroke="#bbbbbb" stroke-width="0.8"/>"##,
        n(f.pad),
        n(f.top),
        n(plot_w),
        n(plot_h)
    );
}

/// The part of the floor the chart shows, metres: the people of every phase with 3 m around
/// them, within the venue plus a metre.
fn plan_bounds(scene: &Scene) -> (f64, f64, f64, f64) {
    // everyone of every phase: the same room is framed the same way in each phase
    let people = bbox(
        scene
            .attendees
            .iter()
            .flat_map(|a| a.placements.iter().map(|p| p.pos)),
    );
    let venue = bbox(scene.venue.outline.iter().copied());
    match (people, venue) {
        (Some(p), Some(v)) => (
            (p.0 - 3.0).max(v.0 - 1.0),
            (p.1 - 3.0).max(v.1 - 1.0),
            (p.2 + 3.0).min(v.2 + 1.0),
            (p.3 + 3.0).min(v.3 + 1.0),
        ),
        (Some(b), None) | (None, Some(b)) => (b.0 - 1.0, b.1 - 1.0, b.2 + 1.0, b.3 + 1.0),
        (None, None) => (0.0, 0.0, 10.0, 10.0),
    }
}

/// Who could have talked with whom, worst band first so the best are drawn on top, and
/// whether they were thinned. With focus people: their pairs, up to shouting; without: pairs
/// up to raised voices, thinned to each person's best partners when they would bury the plan.
fn pair_lines(
    scene: &Scene,
    phase: usize,
    focus: &[usize],
    present: usize,
) -> (Vec<PairBand>, bool) {
    let worst = if focus.is_empty() {
        Band::Raised
    } else {
        Band::Shouting
    };
    let mut lines: Vec<PairBand> = phase_pairs(scene, phase, worst)
        .into_iter()
        .filter(|p| focus.is_empty() || focus.contains(&p.a) || focus.contains(&p.b))
        .collect();
    let thinned = focus.is_empty() && lines.len() > BEST_PARTNERS * present;
    if thinned {
        lines = best_partners(lines, BEST_PARTNERS);
    }
    lines.sort_by(|a, b| b.band.cmp(&a.band).then((a.a, a.b).cmp(&(b.a, b.b))));
    (lines, thinned)
}

/// The SVG element, background, title and subtitle.
fn draw_header(
    svg: &mut String,
    scene: &Scene,
    ph: &crate::scene::Phase,
    f: &Frame,
    width: f64,
    height: f64,
) {
    let _ = writeln!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="DejaVu Sans, Arial, Helvetica, sans-serif">"#,
        w = n(width),
        h = n(height)
    );
    let _ = writeln!(
        svg,
        r##"<rect id="background" x="0" y="0" width="{}" height="{}" fill="#ffffff"/>"##,
        n(width),
        n(height)
    );
    let window = crate::output::report::phase_window(ph);
    let _ = writeln!(
        svg,
        r#"<text id="title" x="{}" y="26" font-size="18" font-weight="bold" fill="{}">{}</text>"#,
        n(f.pad),
        palette::INK,
        xml_escape(&scene.title)
    );
    let _ = writeln!(
        svg,
        r##"<text id="subtitle" x="{}" y="48" font-size="13" fill="#444444">Phase “{}”{} · {} · background noise {} dB(A) · RT60 {:.1} s</text>"##,
        n(f.pad),
        xml_escape(&ph.name),
        xml_escape(&window),
        match ph.mobility {
            Mobility::Seated => "seated",
            Mobility::Mingling => "mingling",
        },
        ph.acoustics.noise_dba.shown(0),
        ph.acoustics.rt60_s.value
    );
}

/// A line for each pair, under the markers (small enough to leave neighbours' lines visible).
fn draw_pair_lines(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    lines: &[PairBand],
    f: &Frame,
) -> bool {
    let mut any_uncertain = false;
    let _ = writeln!(svg, r#"<g id="pairs">"#);
    for p in lines {
        let (Some(pa), Some(pb)) = (
            scene.attendees[p.a].placement_in(phase),
            scene.attendees[p.b].placement_in(phase),
        ) else {
            continue;
        };
        let (colour, dash) = band_style(p.band);
        let dash = dash_attr(dash);
        // shouting is overheard by all: drawn faint, so that it does not read as a conversation
        let (width, opacity) = line_weight(p.band);
        let chance = line_chance(scene, phase, p);
        any_uncertain |= chance.is_some();
        let (opacity, odds, data) = match chance {
            None => (opacity.to_string(), String::new(), String::new()),
            Some(c) => (
                format!("{:.2}", opacity.parse::<f64>().unwrap_or(1.0) * c.max(0.25)),
                format!(
                    "; this band or better in {:.0} % of the cases the inputs allow",
                    100.0 * c
                ),
                format!(r#" data-probability="{c:.3}""#),
            ),
        };
        let _ = writeln!(
            svg,
            r#"<line class="pair band-{}" data-a="{}" data-b="{}" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="{width}"{dash} stroke-linecap="round" stroke-opacity="{opacity}"{data}><title>{} – {}: {} (score {:.2}, {:.1} m){odds}</title></line>"#,
            p.band.key(),
            p.a,
            p.b,
            n(f.x(pa.pos)),
            n(f.y(pa.pos)),
            n(f.x(pb.pos)),
            n(f.y(pb.pos)),
            xml_escape(&scene.attendees[p.a].display_name()),
            xml_escape(&scene.attendees[p.b].display_name()),
            p.band.label(),
            p.score,
            p.distance_m
        );
    }
    let _ = writeln!(svg, "</g>");
    any_uncertain
}

/// Draws per line when a chart weighs its pair lines over the uncertain inputs.
const CHART_SAMPLES: usize = 200;

/// For a pair with uncertain inputs, the probability that they could have talked at the
/// line's band or better; `None` when nothing about the pair is uncertain.
fn line_chance(scene: &Scene, phase: usize, p: &PairBand) -> Option<f64> {
    if uncertainty::inputs(scene, phase, p.a, p.b).is_empty() {
        return None;
    }
    let opts = uncertainty::Options {
        samples: CHART_SAMPLES,
        seed: uncertainty::DEFAULT_SEED,
    };
    let u = uncertainty::analyse(scene, phase, p.a, p.b, opts);
    Some(
        Band::ALL
            .iter()
            .filter(|b| **b <= p.band)
            .map(|b| u.probability(*b))
            .sum(),
    )
}

/// The line between the two focus people, in their band's colour and dash, wide and under a
/// white halo so that it reads as the pair asked about.
fn draw_asked_pair(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    focus: &[usize],
    v: &Verdict,
    f: &Frame,
) {
    let (Some(pa), Some(pb)) = (
        scene.attendees[focus[0]].placement_in(phase),
        scene.attendees[focus[1]].placement_in(phase),
    ) else {
        return;
    };
    let (colour, dash) = band_style(v.band);
    let dash = dash_attr(dash);
    let (x1, y1, x2, y2) = (
        n(f.x(pa.pos)),
        n(f.y(pa.pos)),
        n(f.x(pb.pos)),
        n(f.y(pb.pos)),
    );
    let _ = writeln!(
        svg,
        r##"<g id="asked-pair"><line class="halo" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="#ffffff" stroke-width="6" stroke-opacity="0.8"/><line class="pair asked band-{}" x1="{x1}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="3"{dash}/><title>{} – {}: {}</title></g>"##,
        v.band.key(),
        xml_escape(&v.a),
        xml_escape(&v.b),
        v.band.label()
    );
}

/// The verdict sentence for the pair asked about, in lines of at most `width_px`.
fn verdict_caption(v: &Verdict, u: Option<&Uncertainty>, width_px: f64) -> Vec<String> {
    let sentence = match u.filter(|u| u.is_uncertain()) {
        Some(u) => crate::output::report::uncertain_summary(v, u),
        None => crate::output::report::summary(v),
    };
    labels::wrap(&sentence, 12.0, width_px)
}

/// The verdict on the asked pair under the plan, a line under the other from `(x, y)`.
fn draw_verdict_caption(svg: &mut String, lines: &[String], x: f64, y: f64) {
    let _ = writeln!(
        svg,
        r#"<text id="pair-verdict" x="{}" y="{}" font-size="12" fill="{}">"#,
        n(x),
        n(y),
        palette::INK
    );
    for (k, l) in lines.iter().enumerate() {
        let _ = writeln!(
            svg,
            r#"<tspan x="{}" dy="{}">{}</tspan>"#,
            n(x),
            if k == 0 { "0" } else { "15" },
            xml_escape(l)
        );
    }
    let _ = writeln!(svg, "</text>");
}

/// Where people may have been when the reports leave it open: each other candidate seat as a
/// dashed ring, a spread as a dashed disc of two standard deviations. Returns what was drawn
/// (candidate seats, discs) for the legend.
fn draw_spreads(
    svg: &mut String,
    scene: &Scene,
    present: &[(usize, &Placement)],
    f: &Frame,
    r_px: f64,
) -> (bool, bool) {
    let (mut seats, mut discs) = (false, false);
    let mut group = String::new();
    for (i, pl) in present {
        let name = scene.attendees[*i].display_name();
        match pl.spread.as_deref() {
            Some(Spread::Seats(set)) if set.len() > 1 => {
                seats = true;
                for &s in set.iter().filter(|&&s| Some(s) != pl.seat_index()) {
                    let seat = &scene.seats[s];
                    let _ = writeln!(
                        group,
                        r#"<circle class="candidate" data-person="{i}" cx="{}" cy="{}" r="{}" fill="none" stroke="{}" stroke-width="1.2" stroke-dasharray="2 1.5"><title>{}</title></circle>"#,
                        n(f.x(seat.pos)),
                        n(f.y(seat.pos)),
                        n(r_px),
                        palette::FOCUS,
                        xml_escape(&format!(
                            "{name} may have sat here: seat {} (one of {} the reports allow)",
                            seat.label,
                            set.len()
                        ))
                    );
                }
            }
            Some(Spread::Normal { sd_m }) => {
                discs = true;
                let _ = writeln!(
                    group,
                    r#"<circle class="spread" data-person="{i}" cx="{}" cy="{}" r="{}" fill="{}" fill-opacity="0.08" stroke="{}" stroke-dasharray="4 2"><title>{}</title></circle>"#,
                    n(f.x(pl.pos)),
                    n(f.y(pl.pos)),
                    n(2.0 * sd_m * f.s),
                    palette::FOCUS,
                    palette::FOCUS,
                    xml_escape(&format!(
                        "{name} was probably within {:.1} m of here (two standard deviations)",
                        2.0 * sd_m
                    ))
                );
            }
            _ => {}
        }
    }
    if !group.is_empty() {
        let _ = writeln!(svg, "<g id=\"uncertain-positions\">\n{group}</g>");
    }
    (seats, discs)
}

/// A marker for everyone present, with a facing tick and a tooltip; returns the markers'
/// boxes for the labels to avoid.
fn draw_attendees(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    present: &[(usize, &Placement)],
    focus: &[usize],
    f: &Frame,
    r_px: f64,
) -> Vec<Rect> {
    let ph = &scene.phases[phase];
    let _ = writeln!(svg, r#"<g id="attendees">"#);
    let mut marker_boxes = Vec::new();
    for (i, pl) in present {
        let a = &scene.attendees[*i];
        let is_focus = focus.contains(i);
        let (cx, cy) = (f.x(pl.pos), f.y(pl.pos));
        let r = if is_focus { r_px * 1.35 } else { r_px };
        marker_boxes.push(Rect {
            x0: cx - r,
            y0: cy - r,
            x1: cx + r,
            y1: cy + r,
        });
        let colour = if is_focus {
            palette::FOCUS
        } else {
            palette::PERSON
        };
        let uncertain = a.presence == Presence::Uncertain;
        let (fill, dash) = if uncertain {
            ("#ffffff", r#" stroke-dasharray="2 1.5""#)
        } else {
            (colour, "")
        };
        let mut class = String::from("attendee");
        if is_focus {
            class.push_str(" focus");
        }
        if uncertain {
            class.push_str(" uncertain");
        }
        let _ = writeln!(
            svg,
            r#"<g id="attendee-{i}" class="{class}"><title>{}</title><circle cx="{}" cy="{}" r="{}" fill="{fill}" stroke="{colour}" stroke-width="{}"{dash}/>{}</g>"#,
            tooltip(scene, *i, pl, &ph.name),
            n(cx),
            n(cy),
            n(r),
            if uncertain { "2" } else { "1" },
            facing_tick(pl, f, r),
        );
    }
    let _ = writeln!(svg, "</g>");
    marker_boxes
}

/// What the labels are placed among.
struct LabelSet<'a> {
    focus: &'a [usize],
    present: &'a [(usize, &'a Placement)],
    lines: &'a [PairBand],
    r_px: f64,
    area: Rect,
}

/// Name labels: focus people first, then their partners, then (in sparse scenes) everyone,
/// kept off markers, tables and obstacles' names. Returns how many were placed.
fn draw_labels(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    set: &LabelSet,
    f: &Frame,
    marker_boxes: Vec<Rect>,
) -> usize {
    let (focus, r_px) = (set.focus, set.r_px);
    let (order, important) = label_order(set);
    let requests: Vec<(f64, f64, f64, String)> = order
        .iter()
        .filter_map(|&i| scene.attendees[i].placement_in(phase).map(|pl| (i, pl)))
        .map(|(i, pl)| {
            (
                f.x(pl.pos),
                f.y(pl.pos),
                r_px * if focus.contains(&i) { 1.35 } else { 1.0 },
                label_text(&scene.attendees[i].display_name()),
            )
        })
        .collect();
    let bounds = set.area;
    let avoid = label_obstacles(scene, f, marker_boxes);
    let placed = labels::place(&requests, &avoid, bounds, 11.0, important);
    let _ = writeln!(
        svg,
        r#"<g id="labels" font-size="11" fill="{}">"#,
        palette::INK
    );
    for p in placed.iter().filter(|p| p.leader) {
        // from the marker's edge to the nearest point of the text's box
        let (mx, my, r, _) = &requests[p.index];
        let (tx, ty) = p.rect.nearest(*mx, *my);
        let len = (tx - mx).hypot(ty - my).max(1e-9);
        let (sx, sy) = (mx + (tx - mx) * r / len, my + (ty - my) * r / len);
        let _ = writeln!(
            svg,
            r##"<line class="leader" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#777777" stroke-width="0.7"/>"##,
            n(sx),
            n(sy),
            n(tx),
            n(ty)
        );
    }
    for p in &placed {
        let weight = if p.index < focus.len() {
            r#" font-weight="bold""#
        } else {
            ""
        };
        let _ = writeln!(
            svg,
            r##"<text class="label" x="{}" y="{}" text-anchor="{}"{weight} stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>"##,
            n(p.x),
            n(p.y),
            p.anchor,
            xml_escape(&requests[p.index].3)
        );
    }
    let _ = writeln!(svg, "</g>");

    placed.len()
}

/// Who gets a label, in order: focus people first, then their partners, then (in sparse
/// scenes) everyone; and how many of them are focus people or partners (those get a leader
/// line when their label cannot sit beside them).
fn label_order(set: &LabelSet) -> (Vec<usize>, usize) {
    let (focus, present, lines) = (set.focus, set.present, set.lines);
    let mut order: Vec<usize> = focus.to_vec();
    for p in lines {
        if p.band <= Band::Raised {
            for k in [p.a, p.b] {
                if !order.contains(&k) {
                    order.push(k);
                }
            }
        }
    }
    let important = if focus.is_empty() { 0 } else { order.len() };
    if present.len() < DENSE || focus.is_empty() {
        for (i, _) in present {
            if !order.contains(i) {
                order.push(*i);
            }
        }
    }
    (order, important)
}

/// What labels keep off: markers, tables and obstacles' names.
fn label_obstacles(scene: &Scene, f: &Frame, marker_boxes: Vec<Rect>) -> Vec<Rect> {
    let s = f.s;
    let mut avoid = marker_boxes;
    for t in &scene.venue.tables {
        let (cx, cy, r) = (f.x(t.center), f.y(t.center), t.radius_m * s);
        avoid.push(Rect {
            x0: cx - r,
            y0: cy - r,
            x1: cx + r,
            y1: cy + r,
        });
    }
    for o in &scene.venue.obstacles {
        let c = centroid(&o.polygon);
        let w = labels::text_width(&o.name, 11.0) / 2.0 + 2.0;
        let (cx, cy) = (f.x(c), f.y(c));
        avoid.push(Rect {
            x0: cx - w,
            y0: cy - 10.0,
            x1: cx + w,
            y1: cy + 6.0,
        });
    }
    avoid
}

/// Labels are shortened to 28 characters; the tooltip keeps the whole name.
fn label_text(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() > 28 {
        chars[..27].iter().collect::<String>() + "…"
    } else {
        name.to_string()
    }
}

fn tooltip(scene: &Scene, i: usize, pl: &Placement, phase: &str) -> String {
    let a = &scene.attendees[i];
    let mut parts = vec![xml_escape(&a.display_name())];
    if let Some(s) = pl.seat_index() {
        parts.push(format!("seat {}", xml_escape(&scene.seats[s].label)));
    }
    if !a.role().is_empty() {
        parts.push(xml_escape(a.role()));
    }
    if !a.group().is_empty() {
        parts.push(xml_escape(a.group()));
    }
    parts.push(format!("phase {}", xml_escape(phase)));
    if a.presence == Presence::Uncertain {
        parts.push("attendance unconfirmed".into());
    }
    parts.join("&#10;")
}

fn facing_tick(pl: &Placement, f: &Frame, r: f64) -> String {
    let Some(deg) = pl.facing_deg else {
        return String::new();
    };
    let d = Point::from_angle_deg(deg);
    let (cx, cy) = (f.x(pl.pos), f.y(pl.pos));
    format!(
        r#"<line class="facing" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.5"/>"#,
        n(cx + d.x * r),
        n(cy - d.y * r),
        n(cx + d.x * r * 1.9),
        n(cy - d.y * r * 1.9),
        palette::INK
    )
}

fn polygon_points(poly: &[Point], f: &Frame) -> String {
    poly.iter().map(|p| f.xy(*p)).collect::<Vec<_>>().join(" ")
}

fn centroid(poly: &[Point]) -> Point {
    let k = poly.len().max(1) as f64;
    Point::new(
        poly.iter().map(|p| p.x).sum::<f64>() / k,
        poly.iter().map(|p| p.y).sum::<f64>() / k,
    )
}

fn draw_venue(svg: &mut String, scene: &Scene, f: &Frame) {
    let v = &scene.venue;
    let _ = writeln!(svg, r#"<g id="venue">"#);
    if v.outline.len() >= 3 {
        let _ = writeln!(
            svg,
            r##"<polygon id="outline" points="{}" fill="#fafaf7" stroke="#222222" stroke-width="2"/>"##,
            polygon_points(&v.outline, f)
        );
    }
    for (k, o) in v.obstacles.iter().enumerate() {
        let fill = if o.standable { "#efe6d2" } else { "#d5d5d5" };
        let c = centroid(&o.polygon);
        let top = o.polygon.iter().map(|p| p.y).fold(f64::MIN, f64::max);
        let c = if o.kind == "stage" {
            Point::new(c.x, top - 12.0 / f.s)
        } else {
            c
        };
        let label = if o.kind == "stage" {
            "STAGE".to_string()
        } else {
            o.name.clone()
        };
        let _ = writeln!(
            svg,
            r##"<g id="obstacle-{k}" class="obstacle"><title>{}</title><polygon points="{}" fill="{fill}" stroke="#888888" stroke-width="1"/><text x="{}" y="{}" font-size="11" fill="#555555" text-anchor="middle">{}</text></g>"##,
            xml_escape(&o.name),
            polygon_points(&o.polygon, f),
            n(f.x(c)),
            n(f.y(c) + 4.0),
            xml_escape(&label)
        );
    }
    for (k, w) in v.walls.iter().enumerate() {
        let pts = w
            .points
            .iter()
            .map(|p| f.xy(*p))
            .collect::<Vec<_>>()
            .join(" ");
        let _ = writeln!(
            svg,
            r##"<polyline id="wall-{k}" class="wall" points="{pts}" fill="none" stroke="#222222" stroke-width="4"><title>{} ({:.0} dB)</title></polyline>"##,
            xml_escape(&w.name),
            w.attenuation_db
        );
    }
    for (k, t) in v.tables.iter().enumerate() {
        let _ = writeln!(
            svg,
            r##"<g id="table-{k}" class="table"><circle cx="{}" cy="{}" r="{}" fill="#eeeeee" stroke="#999999"/><text x="{}" y="{}" font-size="10" fill="#666666" text-anchor="middle">{}</text></g>"##,
            n(f.x(t.center)),
            n(f.y(t.center)),
            n(t.radius_m * f.s),
            n(f.x(t.center)),
            n(f.y(t.center) + 3.5),
            xml_escape(&t.label)
        );
    }
    if !scene.seats.is_empty() {
        let side = (0.4 * f.s).max(3.0);
        let _ = writeln!(
            svg,
            r##"<g id="seats" fill="#eeeeee" stroke="#cccccc" stroke-width="0.6">"##
        );
        for seat in &scene.seats {
            let _ = writeln!(
                svg,
                r#"<rect class="seat" x="{}" y="{}" width="{}" height="{}" rx="1"/>"#,
                n(f.x(seat.pos) - side / 2.0),
                n(f.y(seat.pos) - side / 2.0),
                n(side),
                n(side)
            );
        }
        let _ = writeln!(svg, "</g>");
    }
    let _ = writeln!(svg, "</g>");
}

/// Draws the focus people's earshot: where a listener facing them would understand (fair)
/// intelligibility, from the model: the same path losses (walls, obstacles, bodies, facing)
/// as any verdict, for a listener at each point of a grid facing the talker.
fn draw_contours(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    focus: &[usize],
    f: &Frame,
    bbox: (f64, f64, f64, f64),
) {
    let listeners = Listeners::new(scene, phase);
    let _ = writeln!(svg, r#"<g id="contours" fill="none">"#);
    for &who in focus {
        for c in person_contours(&listeners, who, f, bbox, 160.0) {
            let dash = dash_attr(c.dash);
            let _ = writeln!(
                svg,
                r#"<path id="contour-{name}-{who}" class="contour contour-{name}" d="{d}" stroke="{}" stroke-width="1.6"{dash} stroke-opacity="0.9"><title>{}: {name} voice understood (fair) inside this line</title></path>"#,
                palette::FOCUS,
                xml_escape(&scene.attendees[who].display_name()),
                name = c.name,
                d = c.d,
            );
        }
    }
    let _ = writeln!(svg, "</g>");
}

/// One earshot contour in chart pixels.
#[derive(Debug, Clone)]
pub struct Contour {
    /// `natural` or `raised`.
    pub name: &'static str,
    /// SVG dash pattern, empty for solid.
    pub dash: &'static str,
    /// SVG path data.
    pub d: String,
}

/// `who`'s earshot contours at natural and raised effort, computed on a grid of about `cells`
/// cells along the plan's longer side.
fn person_contours(
    listeners: &Listeners,
    who: usize,
    f: &Frame,
    bbox: (f64, f64, f64, f64),
    cells: f64,
) -> Vec<Contour> {
    let (scene, phase) = (listeners.scene, listeners.phase);
    let Some(talker) = scene.attendees[who].placement_in(phase) else {
        return vec![];
    };
    let params = &scene.phases[phase].acoustics;
    let natural = natural_level_dba(params.noise_dba.value).min(params.shout_ceiling_dba.value);
    let levels = [
        ("natural", natural, ""),
        (
            "raised",
            (natural + 6.0).min(params.shout_ceiling_dba.value),
            "6 3",
        ),
    ];
    let (x0, y0, x1, y1) = bbox;
    let step = ((x1 - x0).max(y1 - y0) / cells).max(0.15);
    let cols = ((x1 - x0) / step) as usize + 2;
    let rows = ((y1 - y0) / step) as usize + 2;
    // the path from the talker to every grid point, computed once for both levels
    let mut inputs: Vec<Option<PairInput>> = Vec::with_capacity(cols * rows);
    Field::sample(Point::new(x0, y0), step, cols, rows, |p| {
        inputs.push(listeners.path(who, talker, p));
        0.0
    });
    levels
        .into_iter()
        .map(|(name, level, dash)| {
            let field = Field {
                origin: Point::new(x0, y0),
                step_m: step,
                cols,
                rows,
                values: inputs
                    .iter()
                    .map(|i| {
                        i.as_ref()
                            .map_or(-1.0, |i| talker_sti(i, params, level) - STI_FAIR)
                    })
                    .collect(),
            };
            let mut d = String::new();
            for (a, b) in field.contour(0.0) {
                let _ = write!(d, "M{}L{}", f.xy(a), f.xy(b));
            }
            Contour { name, dash, d }
        })
        .collect()
}

/// Where a chart of `scene` draws things: plan metres to chart pixels, the same for every
/// phase, and the earshot contours of anyone, for pages that draw on top of the chart.
pub struct ChartProjection {
    f: Frame,
    bbox: (f64, f64, f64, f64),
}

impl ChartProjection {
    /// The projection every chart of `scene` uses.
    pub fn new(scene: &Scene) -> Self {
        let bbox = plan_bounds(scene);
        ChartProjection {
            f: Frame::fit(bbox.0, bbox.1, bbox.2, bbox.3),
            bbox,
        }
    }

    /// A plan point in chart pixels, rounded as the chart rounds them.
    pub fn xy(&self, p: Point) -> (f64, f64) {
        let r = |v: f64| (v * 10.0).round() / 10.0;
        (r(self.f.x(p)), r(self.f.y(p)))
    }

    /// Everyone's earshot contours in `phase` (natural and raised effort, as the chart draws
    /// them for focus people), on a grid of about `cells` cells along the plan's longer side;
    /// one list per attendee index in `who`.
    pub fn contours(
        &self,
        scene: &Scene,
        phase: usize,
        who: &[usize],
        cells: f64,
    ) -> Vec<Vec<Contour>> {
        use rayon::prelude::*;
        let listeners = Listeners::new(scene, phase);
        who.par_iter()
            .map(|&w| person_contours(&listeners, w, &self.f, self.bbox, cells))
            .collect()
    }
}

/// Everyone present in a phase, indexed, for the paths from a talker to listeners anywhere.
struct Listeners<'a> {
    scene: &'a Scene,
    phase: usize,
    present: Vec<(usize, &'a Placement)>,
    pts: Vec<Point>,
    grid: Grid,
    radius: f64,
}

impl<'a> Listeners<'a> {
    fn new(scene: &'a Scene, phase: usize) -> Self {
        let present = scene.present_in(phase);
        let pts: Vec<Point> = present.iter().map(|(_, p)| p.pos).collect();
        Listeners {
            scene,
            phase,
            grid: Grid::new(&pts, 2.0),
            present,
            pts,
            radius: scene.phases[phase].acoustics.body_radius_m.value,
        }
    }

    /// The path from attendee `who` at `talker` to a listener at `p` who faces them, with
    /// everyone else in the way; `None` outside the venue.
    fn path(&self, who: usize, talker: &Placement, p: Point) -> Option<PairInput> {
        let scene = self.scene;
        if scene.venue.outline.len() >= 3 && !point_in_polygon(p, &scene.venue.outline) {
            return None;
        }
        let (radius, pts) = (self.radius, &self.pts);
        let listener = Placement::at(p, None);
        let mut others = Vec::new();
        let d = talker.pos.distance(p);
        let mid = Point::new((talker.pos.x + p.x) / 2.0, (talker.pos.y + p.y) / 2.0);
        self.grid.near(mid, d / 2.0 + radius, |k| {
            let k = k as usize;
            // the listener standing there is not in the way
            if self.present[k].0 != who && pts[k].distance(p) > radius {
                others.push((self.present[k].0, pts[k]));
            }
        });
        others.retain(|(_, o)| point_segment_distance(*o, talker.pos, p) < radius);
        let g = geometry_between(scene, talker, &listener, &others, radius);
        // the listener faces the talker
        Some(PairInput {
            facing_b_deg: Some(0.0),
            ..PairInput::from_geometry(&g)
        })
    }
}

fn draw_groups(svg: &mut String, scene: &Scene, phase: usize, groups: &[ChartGroup], f: &Frame) {
    if groups.is_empty() {
        return;
    }
    let _ = writeln!(svg, r#"<g id="groups">"#);
    for (k, g) in groups.iter().enumerate() {
        let pts: Vec<Point> = g
            .members
            .iter()
            .filter_map(|&m| scene.attendees[m].placement_in(phase))
            .map(|p| p.pos)
            .collect();
        if pts.is_empty() {
            continue;
        }
        // the p-space: a circle through the members; the o-space: the empty ring they face
        let outer = pts.iter().map(|p| p.distance(g.centre)).fold(0.0, f64::max) + 0.35;
        let inner = (pts
            .iter()
            .map(|p| p.distance(g.centre))
            .fold(f64::MAX, f64::min)
            - 0.25)
            .max(0.15);
        let (cx, cy) = (n(f.x(g.centre)), n(f.y(g.centre)));
        let ospace = if g.ospace {
            format!(
                r##"<circle class="o-space" cx="{cx}" cy="{cy}" r="{}" fill="none" stroke="#0072B2" stroke-width="1.2" stroke-dasharray="3 2"/>"##,
                n(inner * f.s)
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            svg,
            r##"<g id="group-{k}" class="group"><title>{}</title><circle class="p-space" cx="{cx}" cy="{cy}" r="{}" fill="#56B4E9" fill-opacity="0.12" stroke="#56B4E9" stroke-width="1.2"/>{ospace}</g>"##,
            xml_escape(&g.label),
            n(outer * f.s),
        );
    }
    let _ = writeln!(svg, "</g>");
}

fn draw_scale_bar(svg: &mut String, f: &Frame, plot_h: f64) {
    let target = 150.0 / f.s;
    let len = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0]
        .into_iter()
        .find(|l| *l >= target * 0.5)
        .unwrap_or(1000.0);
    let (x, y) = (f.pad, f.top + plot_h + 28.0);
    let w = len * f.s;
    let _ = writeln!(
        svg,
        r#"<g id="scale-bar"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{ink}" stroke-width="3"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{ink}" stroke-width="1.5"/><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{ink}" stroke-width="1.5"/><text x="{}" y="{}" font-size="12" fill="{ink}">{len} m</text></g>"#,
        n(x),
        n(y),
        n(x + w),
        n(y),
        n(x),
        n(y - 5.0),
        n(x),
        n(y + 5.0),
        n(x + w),
        n(y - 5.0),
        n(x + w),
        n(y + 5.0),
        n(x + w + 8.0),
        n(y + 4.0),
        ink = palette::INK
    );
}

/// What the legend explains.
struct LegendContent<'a> {
    present: &'a [(usize, &'a Placement)],
    focus: &'a [usize],
    bands: &'a BTreeSet<Band>,
    some_unlabelled: bool,
    groups: bool,
    thinned: bool,
    /// Candidate seats drawn; spread discs drawn.
    spreads: (bool, bool),
    /// Some pair lines are weighed over uncertain inputs.
    uncertain_lines: bool,
}

/// The legend beside the plan at `x`: one block for each thing drawn, and only those drawn.
fn draw_legend(svg: &mut String, scene: &Scene, phase: usize, c: &LegendContent, x: f64) {
    let ink = palette::INK;
    let mut y = 84.0;
    let _ = writeln!(svg, r#"<g id="legend" font-size="12" fill="{ink}">"#);
    let _ = writeln!(
        svg,
        r#"<text x="{}" y="{}" font-size="14" font-weight="bold">Legend</text>"#,
        n(x),
        n(y)
    );
    y += 22.0;
    y = legend_bands(svg, c, x, y);
    y += 8.0;
    y = legend_markers(svg, scene, c, x, y);
    if !c.focus.is_empty() {
        y = legend_contours(svg, x, y + 8.0);
    }
    if c.groups {
        y = legend_groups(svg, x, y);
    }
    y = legend_stage(svg, scene, c.present, x, y);
    legend_notes(svg, scene, phase, c, x, y + 8.0);
    let _ = writeln!(svg, "</g>");
}

/// The heading (what the lines show) and one entry per band drawn; returns the next y.
fn legend_bands(svg: &mut String, c: &LegendContent, x: f64, mut y: f64) -> f64 {
    let (thinned, focus, bands) = (c.thinned, c.focus, c.bands);
    let heading: Vec<String> = if thinned {
        vec![
            "Each person's best partners".into(),
            format!("({BEST_PARTNERS} at most), from where they were:"),
        ]
    } else if focus.is_empty() {
        vec!["Could have talked, from where they were:".into()]
    } else {
        vec!["Could have talked with a focus person:".into()]
    };
    for line in &heading {
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" fill="#444444">{line}</text>"##,
            n(x),
            n(y)
        );
        y += 16.0;
    }
    y += 2.0;
    if bands.is_empty() {
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" fill="#444444">(no pair)</text>"##,
            n(x + 8.0),
            n(y)
        );
        y += 18.0;
    }
    for b in bands {
        let (colour, dash) = band_style(*b);
        let dash = dash_attr(dash);
        let (width, opacity) = line_weight(*b);
        let label = match b {
            Band::Shouting => "only by shouting (faint: overheard by all)",
            other => other.label(),
        };
        let _ = writeln!(
            svg,
            r#"<g class="legend-band" data-band="{}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity}"{dash}/><text x="{}" y="{}">{label}</text></g>"#,
            b.key(),
            n(x + 4.0),
            n(y - 4.0),
            n(x + 40.0),
            n(y - 4.0),
            n(x + 48.0),
            n(y),
        );
        y += 18.0;
    }
    y
}

/// Attendee, focus, unconfirmed and seat markers, each when the chart shows it.
fn legend_markers(svg: &mut String, scene: &Scene, c: &LegendContent, x: f64, mut y: f64) -> f64 {
    let (focus, present) = (c.focus, c.present);
    let marker = |svg: &mut String,
                  y: &mut f64,
                  class: &str,
                  fill: &str,
                  stroke: &str,
                  dash: &str,
                  text: &str| {
        let _ = writeln!(
            svg,
            r#"<g class="legend-marker" data-marker="{class}"><circle cx="{}" cy="{}" r="5" fill="{fill}" stroke="{stroke}" stroke-width="1.5"{dash}/><text x="{}" y="{}">{text}</text></g>"#,
            n(x + 22.0),
            n(*y - 4.0),
            n(x + 48.0),
            n(*y)
        );
        *y += 18.0;
    };
    marker(
        svg,
        &mut y,
        "attendee",
        palette::PERSON,
        palette::PERSON,
        "",
        "attendee (tick: facing)",
    );
    if !focus.is_empty() {
        marker(
            svg,
            &mut y,
            "focus",
            palette::FOCUS,
            palette::FOCUS,
            "",
            "focus person",
        );
    }
    let any_uncertain = present
        .iter()
        .any(|(i, _)| scene.attendees[*i].presence == Presence::Uncertain);
    if any_uncertain {
        marker(
            svg,
            &mut y,
            "uncertain",
            "#ffffff",
            palette::PERSON,
            r#" stroke-dasharray="2 1.5""#,
            "hollow: attendance unconfirmed",
        );
    }
    let seated = present.iter().any(|(_, p)| p.seat.is_some());
    if c.spreads.0 {
        marker(
            svg,
            &mut y,
            "candidate",
            "none",
            palette::FOCUS,
            r#" stroke-dasharray="2 1.5""#,
            "dashed ring: a seat they may have had",
        );
    }
    if c.spreads.1 {
        marker(
            svg,
            &mut y,
            "spread",
            "none",
            palette::FOCUS,
            r#" stroke-dasharray="4 2""#,
            "dashed disc: where they probably were",
        );
    }
    if seated {
        let _ = writeln!(
            svg,
            r##"<g class="legend-seat"><rect x="{}" y="{}" width="9" height="9" rx="1" fill="#eeeeee" stroke="#cccccc"/><text x="{}" y="{}">seat</text></g>"##,
            n(x + 17.5),
            n(y - 8.5),
            n(x + 48.0),
            n(y)
        );
        y += 18.0;
    }
    y
}

/// The focus contours.
fn legend_contours(svg: &mut String, x: f64, mut y: f64) -> f64 {
    for (name, dash, text) in [
        ("natural", "", "natural voice understood (fair)"),
        (
            "raised",
            r#" stroke-dasharray="6 3""#,
            "raised voice understood (fair)",
        ),
    ] {
        let _ = writeln!(
            svg,
            r#"<g class="legend-contour" data-contour="{name}"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1.6"{dash}/><text x="{}" y="{}">{text}</text></g>"#,
            n(x + 4.0),
            n(y - 4.0),
            n(x + 40.0),
            n(y - 4.0),
            palette::FOCUS,
            n(x + 48.0),
            n(y)
        );
        y += 18.0;
    }
    y
}

/// A conversational group and its o-space.
fn legend_groups(svg: &mut String, x: f64, mut y: f64) -> f64 {
    let _ = writeln!(
        svg,
        r##"<g class="legend-group"><circle cx="{}" cy="{}" r="7" fill="#56B4E9" fill-opacity="0.12" stroke="#56B4E9"/><circle cx="{}" cy="{}" r="3" fill="none" stroke="#0072B2" stroke-dasharray="2 1.5"/><text x="{}" y="{}">conversational group (dashed: o-space)</text><text x="{}" y="{}" fill="#555555" font-size="11">no o-space: close together, apart from others</text></g>"##,
        n(x + 22.0),
        n(y - 4.0),
        n(x + 22.0),
        n(y - 4.0),
        n(x + 48.0),
        n(y),
        n(x + 48.0),
        n(y + 16.0)
    );
    y += 36.0;
    y
}

/// Which way the audience faces, when people sit in rows.
fn legend_stage(
    svg: &mut String,
    scene: &Scene,
    present: &[(usize, &Placement)],
    x: f64,
    mut y: f64,
) -> f64 {
    let ink = palette::INK;
    // the stage direction matters to people in rows
    let in_rows = present.iter().any(|(_, p)| {
        p.seat_index()
            .is_some_and(|s| matches!(scene.seats[s].place, crate::scene::SeatPlace::Row { .. }))
    });
    if let Some(deg) = scene.venue.stage_facing_deg.filter(|_| in_rows) {
        y += 14.0;
        let d = Point::from_angle_deg(deg);
        let (cx, cy) = (x + 22.0, y - 4.0);
        let (tx, ty) = (cx + d.x * 12.0, cy - d.y * 12.0);
        let (bx, by) = (cx - d.x * 12.0, cy + d.y * 12.0);
        let head = |k: f64| {
            let h = d.rotate_deg(k);
            format!("{},{}", n(tx - h.x * 6.0), n(ty + h.y * 6.0))
        };
        let _ = writeln!(
            svg,
            r#"<g id="stage-direction"><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{ink}" stroke-width="2"/><polygon points="{},{} {} {}" fill="{ink}"/><text x="{}" y="{}">audience faces the stage</text></g>"#,
            n(bx),
            n(by),
            n(tx),
            n(ty),
            n(tx),
            n(ty),
            head(30.0),
            head(-30.0),
            n(x + 48.0),
            n(y)
        );
        y += 22.0;
    }
    y
}

/// The phase's noise and mobility, what the bands are, and where names went.
fn legend_notes(
    svg: &mut String,
    scene: &Scene,
    phase: usize,
    c: &LegendContent,
    x: f64,
    mut y: f64,
) {
    let ph = &scene.phases[phase];
    let mut notes = vec![
        format!(
            "Noise {} dB(A), RT60 {:.1} s, {}.",
            ph.acoustics.noise_dba.shown(0),
            ph.acoustics.rt60_s.value,
            match ph.mobility {
                Mobility::Seated => "everyone seated",
                Mobility::Mingling => "people could walk over",
            }
        ),
        "Bands from earshot's acoustic model".to_string(),
        "(docs/model.md): possible, not proven.".to_string(),
    ];
    if c.uncertain_lines {
        notes.push("Where inputs are uncertain, a line is drawn".to_string());
        notes.push("for the most central case and faded by".to_string());
        notes.push("the chance of its band or better".to_string());
        notes.push(format!("({CHART_SAMPLES} draws; hover for it)."));
    }
    for t in notes
        .iter()
        .flat_map(|t| labels::wrap(t, 11.0, LEGEND_W - 8.0))
    {
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" fill="#555555" font-size="11">{}</text>"##,
            n(x),
            n(y),
            xml_escape(&t)
        );
        y += 15.0;
    }
    if c.some_unlabelled {
        let _ = writeln!(
            svg,
            r##"<text x="{}" y="{}" fill="#555555" font-size="11">Hover over a marker for its name.</text>"##,
            n(x),
            n(y)
        );
    }
}
