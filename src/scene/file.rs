//! The `scene.toml` file: venue, seating layout, acoustics and phases.

use super::layout::{RowBlock, expand_row_labels, row_seats, table_seats};
use super::people::{Context, build_attendees, parse_table, read_text};
use super::text::quote;
use super::time::parse_clock;
use super::{
    Acoustics, Diagnostic, LoadOptions, Mobility, NoiseSpectrum, Obstacle, Param, ParamSource,
    Phase, Scene, SceneError, Seat, Table, Units, Venue, Wall,
};
use crate::physics::geometry::{Point, point_in_polygon, self_intersection, signed_area};
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;
use toml::Spanned;

type Xy = [f64; 2];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SceneFile {
    title: Option<String>,
    people: Option<Spanned<String>>,
    units: Option<Spanned<String>>,
    venue: Spanned<VenueFile>,
    #[serde(default)]
    seating: SeatingFile,
    acoustics: Option<Spanned<AcousticsFile>>,
    #[serde(default, rename = "phase")]
    phases: Vec<Spanned<PhaseFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VenueFile {
    outline: Spanned<Vec<Xy>>,
    height_m: Option<f64>,
    volume_m3: Option<f64>,
    rt60_s: Option<f64>,
    stage_facing: Option<f64>,
    #[serde(default, rename = "wall")]
    walls: Vec<Spanned<WallFile>>,
    #[serde(default, rename = "obstacle")]
    obstacles: Vec<Spanned<ObstacleFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WallFile {
    name: Option<String>,
    points: Vec<Xy>,
    attenuation_db: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ObstacleFile {
    name: String,
    kind: Option<String>,
    polygon: Vec<Xy>,
    blocks_sight: Option<bool>,
    attenuation_db: Option<f64>,
    standable: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct SeatingFile {
    #[serde(default)]
    rows: Vec<Spanned<RowsFile>>,
    #[serde(default)]
    table: Vec<Spanned<TableFile>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RowSpec {
    Range(String),
    List(Vec<String>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RowsFile {
    section: Option<String>,
    origin: Xy,
    rows: RowSpec,
    #[serde(default)]
    skip: Vec<String>,
    seats: i64,
    first_seat: Option<i64>,
    seat_pitch_m: f64,
    row_pitch_m: f64,
    facing: f64,
    #[serde(default)]
    aisle_after: Vec<i64>,
    aisle_m: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TableFile {
    label: String,
    center: Xy,
    radius_m: f64,
    chairs: i64,
    chair_offset_m: Option<f64>,
    first_chair_deg: Option<f64>,
}

#[derive(Deserialize, Default, Clone)]
#[serde(deny_unknown_fields)]
struct AcousticsFile {
    noise_dba: Option<f64>,
    rt60_s: Option<f64>,
    volume_m3: Option<f64>,
    body_attenuation_db: Option<f64>,
    body_attenuation_cap_db: Option<f64>,
    body_radius_m: Option<f64>,
    lean_in_m: Option<f64>,
    lean_in_reach_m: Option<f64>,
    shout_ceiling_dba: Option<f64>,
    walking_speed_mps: Option<f64>,
    talker_q: Option<f64>,
    informational_masking_db: Option<f64>,
    group_size: Option<f64>,
    ear_height_m: Option<f64>,
    noise_spectrum: Option<String>,
    noise_bands_db: Option<[f64; 7]>,
    rt60_bands_s: Option<[f64; 7]>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PhaseFile {
    name: String,
    from: Option<String>,
    to: Option<String>,
    noise_dba: Option<f64>,
    noise: Option<NoiseSetting>,
    mobility: Option<String>,
    acoustics: Option<AcousticsFile>,
}

/// A phase's `noise`: a level in dB(A), or `"crowd"` to predict it from who is there.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum NoiseSetting {
    Level(f64),
    Word(String),
}

/// Line and character column of a byte offset.
fn line_col(text: &str, offset: usize) -> (u64, u64) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = text
        .get(start..offset)
        .map_or(1, |s| s.chars().count() as u64 + 1);
    (line, col)
}

struct Checker<'a> {
    path: &'a Path,
    text: &'a str,
    diags: Vec<Diagnostic>,
}

impl Checker<'_> {
    fn at(&mut self, span: std::ops::Range<usize>, msg: impl Into<String>) {
        let (l, c) = line_col(self.text, span.start);
        self.diags.push(Diagnostic::at(self.path, l, c, msg));
    }
    /// Checks that every number is finite; returns false (after reporting) otherwise.
    fn finite(&mut self, span: std::ops::Range<usize>, what: &str, values: &[f64]) -> bool {
        if values.iter().all(|v| v.is_finite()) {
            true
        } else {
            self.at(
                span,
                format!("{what}: expected finite numbers, found nan or inf"),
            );
            false
        }
    }
    fn positive(&mut self, span: std::ops::Range<usize>, what: &str, v: f64) -> bool {
        if v.is_finite() && v > 0.0 {
            true
        } else {
            self.at(span, format!("{what} must be a positive number, found {v}"));
            false
        }
    }
    fn polygon(
        &mut self,
        span: std::ops::Range<usize>,
        what: &str,
        pts: &[Xy],
        k: f64,
    ) -> Option<Vec<Point>> {
        if !self.finite(
            span.clone(),
            what,
            &pts.iter().flatten().copied().collect::<Vec<_>>(),
        ) {
            return None;
        }
        if pts.len() < 3 {
            self.at(
                span,
                format!(
                    "{what} has {} points: expected a polygon of at least 3",
                    pts.len()
                ),
            );
            return None;
        }
        let mut poly: Vec<Point> = pts.iter().map(|p| Point::new(p[0] * k, p[1] * k)).collect();
        if let Some((i, j)) = self_intersection(&poly) {
            self.at(
                span,
                format!(
                    "{what} crosses itself (edges {} and {}): expected a simple polygon",
                    i + 1,
                    j + 1
                ),
            );
            return None;
        }
        let area = signed_area(&poly);
        if area.abs() < 1e-9 {
            self.at(span, format!("{what} has no area"));
            return None;
        }
        if area < 0.0 {
            poly.reverse();
        }
        Some(poly)
    }
}

/// Loads `scene.toml` and the people CSV it names.
pub(super) fn load_scene_file(path: &Path, opts: &LoadOptions) -> Result<Scene, SceneError> {
    let text = read_text(path, &opts.limits).map_err(SceneError::single)?;
    let read_people = |p: &Path| p.exists().then(|| read_text(p, &opts.limits));
    scene_from_text(path, &text, &read_people, opts)
}

/// A scene file already read into memory; `read_people` reads the people CSV it names
/// (`None` when that file does not exist).
pub(super) fn scene_from_text(
    path: &Path,
    text: &str,
    read_people: &dyn Fn(&Path) -> Option<Result<String, Diagnostic>>,
    opts: &LoadOptions,
) -> Result<Scene, SceneError> {
    let text = text.to_string();
    let file: SceneFile = match toml::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            let (l, c) = e.span().map_or((1, 1), |s| line_col(&text, s.start));
            let msg = e.message().trim().replace('\n', " ");
            return Err(SceneError::single(Diagnostic::at(
                path,
                l,
                c,
                format!("TOML: {msg}"),
            )));
        }
    };
    let mut ck = Checker {
        path,
        text: &text,
        diags: Vec::new(),
    };

    let units = match file.units.as_ref().map(|u| u.get_ref().as_str()) {
        None | Some("m" | "metres" | "meters") => Units::M,
        Some("ft" | "feet") => Units::Ft,
        Some(other) => {
            let span = file.units.as_ref().map_or(0..0, |u| u.span());
            ck.at(
                span,
                format!("unknown units {}: expected \"m\" or \"ft\"", quote(other)),
            );
            Units::M
        }
    };
    let k = units.metres();
    let pt = |p: Xy| Point::new(p[0] * k, p[1] * k);

    // venue
    let vspan = file.venue.span();
    let vf = file.venue.into_inner();
    let outline = ck
        .polygon(vf.outline.span(), "venue outline", vf.outline.get_ref(), k)
        .unwrap_or_default();
    let height_m = vf.height_m.unwrap_or(3.0) * k;
    ck.positive(vspan.clone(), "venue height_m", height_m);
    let mut walls = Vec::new();
    for (i, w) in vf.walls.iter().enumerate() {
        let (span, w) = (w.span(), w.get_ref());
        let name = w.name.clone().unwrap_or_else(|| format!("wall {}", i + 1));
        if !ck.finite(
            span.clone(),
            &name,
            &w.points.iter().flatten().copied().collect::<Vec<_>>(),
        ) {
            continue;
        }
        if w.points.len() < 2 {
            ck.at(
                span,
                format!(
                    "{} has {} point(s): expected a line of at least 2 points",
                    quote(&name),
                    w.points.len()
                ),
            );
            continue;
        }
        let att = w.attenuation_db.unwrap_or(30.0);
        if !(att.is_finite() && att >= 0.0) {
            ck.at(
                span,
                format!(
                    "{} attenuation_db must be 0 or more, found {att}",
                    quote(&name)
                ),
            );
            continue;
        }
        walls.push(Wall {
            name,
            points: w.points.iter().map(|&p| pt(p)).collect(),
            attenuation_db: att,
        });
    }
    let mut obstacles = Vec::new();
    for o in &vf.obstacles {
        let (span, o) = (o.span(), o.get_ref());
        let Some(polygon) = ck.polygon(
            span.clone(),
            &format!("obstacle {}", quote(&o.name)),
            &o.polygon,
            k,
        ) else {
            continue;
        };
        let att = o.attenuation_db.unwrap_or(10.0);
        if !(att.is_finite() && att >= 0.0) {
            ck.at(
                span,
                format!(
                    "obstacle {} attenuation_db must be 0 or more, found {att}",
                    quote(&o.name)
                ),
            );
            continue;
        }
        let kind = o.kind.clone().unwrap_or_else(|| o.name.to_lowercase());
        obstacles.push(Obstacle {
            name: o.name.clone(),
            standable: o
                .standable
                .unwrap_or(kind == "stage" || kind == "dance floor"),
            kind,
            polygon,
            blocks_sight: o.blocks_sight.unwrap_or(true),
            attenuation_db: att,
        });
    }

    // seating
    let mut seats: Vec<Seat> = Vec::new();
    let mut tables = Vec::new();
    let mut seat_spans: Vec<std::ops::Range<usize>> = Vec::new();
    for (bi, b) in file.seating.rows.iter().enumerate() {
        let (span, b) = (b.span(), b.get_ref());
        let section = b
            .section
            .clone()
            .unwrap_or_else(|| format!("block {}", bi + 1));
        let mut good = ck.finite(
            span.clone(),
            "seat block",
            &[
                b.origin[0],
                b.origin[1],
                b.facing,
                b.seat_pitch_m,
                b.row_pitch_m,
            ],
        );
        if b.seats < 1 || b.seats > 10_000 {
            ck.at(
                span.clone(),
                format!(
                    "seat block {} has {} seats per row: expected 1 to 10000",
                    quote(&section),
                    b.seats
                ),
            );
            good = false;
        }
        good &= ck.positive(span.clone(), "seat_pitch_m", b.seat_pitch_m);
        good &= ck.positive(span.clone(), "row_pitch_m", b.row_pitch_m);
        let aisle_m = b.aisle_m.unwrap_or(1.0);
        if !(aisle_m.is_finite() && aisle_m >= 0.0) {
            ck.at(
                span.clone(),
                format!("aisle_m must be 0 or more, found {aisle_m}"),
            );
            good = false;
        }
        let first_seat = b.first_seat.unwrap_or(1);
        if !(1..=100_000).contains(&first_seat) {
            ck.at(
                span.clone(),
                format!("first_seat must be 1 or more, found {first_seat}"),
            );
            good = false;
        }
        let rows = match &b.rows {
            RowSpec::Range(r) => expand_row_labels(r),
            RowSpec::List(l) if !l.is_empty() => Ok(l.clone()),
            RowSpec::List(_) => Err("expected at least one row label".into()),
        };
        let rows: Vec<String> = match rows {
            Ok(r) => r
                .into_iter()
                .filter(|r| !b.skip.iter().any(|s| s.eq_ignore_ascii_case(r)))
                .collect(),
            Err(m) => {
                ck.at(span.clone(), m);
                good = false;
                vec![]
            }
        };
        if rows.is_empty() && good {
            ck.at(span.clone(), "seat block has no rows left after `skip`");
            good = false;
        }
        let aisles: Vec<u32> = b
            .aisle_after
            .iter()
            .filter_map(|&a| u32::try_from(a).ok())
            .collect();
        if !good {
            continue;
        }
        let new = row_seats(&RowBlock {
            block: bi,
            section: &section,
            origin: pt(b.origin),
            rows: &rows,
            seats: b.seats as u32,
            first_seat: first_seat as u32,
            seat_pitch_m: b.seat_pitch_m * k,
            row_pitch_m: b.row_pitch_m * k,
            facing_deg: b.facing,
            aisle_after: &aisles,
            aisle_m: aisle_m * k,
        });
        seat_spans.extend(std::iter::repeat_n(span.clone(), new.len()));
        seats.extend(new);
    }
    for (ti, t) in file.seating.table.iter().enumerate() {
        let (span, t) = (t.span(), t.get_ref());
        let mut good = ck.finite(
            span.clone(),
            "table",
            &[t.center[0], t.center[1], t.radius_m],
        );
        if t.chairs < 1 || t.chairs > 100 {
            ck.at(
                span.clone(),
                format!(
                    "table {} has {} chairs: expected 1 to 100",
                    quote(&t.label),
                    t.chairs
                ),
            );
            good = false;
        }
        good &= ck.positive(span.clone(), "radius_m", t.radius_m);
        let offset = t.chair_offset_m.unwrap_or(0.35);
        good &= ck.positive(span.clone(), "chair_offset_m", offset);
        if !good {
            continue;
        }
        let center = pt(t.center);
        let new = table_seats(
            ti,
            &t.label,
            center,
            (t.radius_m + offset) * k,
            t.chairs as u32,
            t.first_chair_deg.unwrap_or(90.0),
        );
        seat_spans.extend(std::iter::repeat_n(span.clone(), new.len()));
        seats.extend(new);
        tables.push(Table {
            label: t.label.clone(),
            center,
            radius_m: t.radius_m * k,
        });
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut reported_blocks = Vec::new();
    for (i, s) in seats.iter().enumerate() {
        if let Some(prev) = seen.insert(s.label.to_lowercase(), i) {
            ck.at(
                seat_spans[i].clone(),
                format!(
                    "seat label {} is defined twice (also by the block at line {})",
                    s.label,
                    line_col(&text, seat_spans[prev].start).0
                ),
            );
        }
        let outside = outline.len() >= 3 && !point_in_polygon(s.pos, &outline);
        if outside && !reported_blocks.contains(&seat_spans[i].start) {
            reported_blocks.push(seat_spans[i].start);
            ck.at(
                seat_spans[i].clone(),
                format!(
                    "seat {} at ({:.2}, {:.2}) m lies outside the venue outline",
                    s.label, s.pos.x, s.pos.y
                ),
            );
        }
    }

    // acoustics and phases
    // an invalid outline is reported above; keep its volume from cascading into more errors
    let floor_volume = (signed_area(&outline).abs() * height_m).max(1.0);
    let mut base = Acoustics::defaults(floor_volume);
    if height_m.is_finite() && height_m > 0.0 {
        base.ceiling_height_m = Param {
            value: height_m,
            source: ParamSource::Scene,
        };
    }
    let scene_src = ParamSource::Scene;
    if let Some(v) = vf.volume_m3 {
        base.volume_m3 = Param {
            value: v,
            source: scene_src,
        };
    }
    if let Some(v) = vf.rt60_s {
        base.rt60_s = Param {
            value: v,
            source: scene_src,
        };
    }
    let ac_span = file.acoustics.as_ref().map_or(vspan.clone(), |a| a.span());
    if let Some(ac) = &file.acoustics {
        apply_acoustics(&mut base, ac.get_ref(), scene_src);
        check_acoustics_words(&mut ck, ac_span.clone(), ac.get_ref());
    }
    check_acoustics(&mut ck, ac_span, &base, None);
    let mut phases = Vec::new();
    let mut from_crowd = Vec::new();
    for ph in &file.phases {
        let (span, p) = (ph.span(), ph.get_ref());
        if p.name.trim().is_empty() {
            ck.at(span.clone(), "phase name is empty");
            continue;
        }
        if phases
            .iter()
            .any(|q: &Phase| q.name.eq_ignore_ascii_case(&p.name))
        {
            ck.at(
                span.clone(),
                format!("phase {} is defined twice", quote(&p.name)),
            );
            continue;
        }
        let mut clock = |s: &Option<String>| match s.as_deref().map(parse_clock) {
            None => None,
            Some(Ok(t)) => Some(t),
            Some(Err(m)) => {
                ck.at(span.clone(), format!("phase {}: {m}", quote(&p.name)));
                None
            }
        };
        let (from_min, to_min) = (clock(&p.from), clock(&p.to));
        if let (Some(a), Some(b)) = (from_min, to_min) {
            if b < a {
                ck.at(
                    span.clone(),
                    format!(
                        "phase {} ends ({}) before it starts ({})",
                        quote(&p.name),
                        super::format_clock(b),
                        super::format_clock(a)
                    ),
                );
            }
        }
        let mobility = match p.mobility.as_deref() {
            None | Some("seated") => Mobility::Seated,
            Some("mingling") => Mobility::Mingling,
            Some(other) => {
                ck.at(
                    span.clone(),
                    format!(
                        "phase {}: unknown mobility {}: expected \"seated\" or \"mingling\"",
                        quote(&p.name),
                        quote(other)
                    ),
                );
                Mobility::Seated
            }
        };
        let mut a = base;
        let noise = match (&p.noise, p.noise_dba) {
            (Some(NoiseSetting::Level(n)), None) => Some(Ok(*n)),
            (None, Some(n)) => Some(Ok(n)),
            (Some(NoiseSetting::Word(w)), None) if w.trim().eq_ignore_ascii_case("crowd") => {
                Some(Err(()))
            }
            (None, None) => None,
            (Some(NoiseSetting::Word(w)), None) => {
                ck.at(
                    span.clone(),
                    format!(
                        "phase {}: noise = {}: expected a level in dB(A) or \"crowd\"",
                        quote(&p.name),
                        quote(w)
                    ),
                );
                None
            }
            (Some(_), Some(_)) => {
                ck.at(
                    span.clone(),
                    format!(
                        "phase {}: give either noise_dba or noise, not both",
                        quote(&p.name)
                    ),
                );
                None
            }
        };
        if let Some(Ok(n)) = noise {
            a.noise_dba = Param {
                value: n,
                source: ParamSource::Phase,
            };
        }
        if let Some(o) = &p.acoustics {
            apply_acoustics(&mut a, o, ParamSource::Phase);
            check_acoustics_words(&mut ck, span.clone(), o);
        }
        check_acoustics(&mut ck, span.clone(), &a, Some(ParamSource::Phase));
        from_crowd.push(matches!(noise, Some(Err(()))));
        phases.push(Phase {
            name: p.name.trim().to_string(),
            from_min,
            to_min,
            mobility,
            acoustics: a,
            crowd: None,
        });
    }
    if phases.is_empty() {
        phases.push(Phase {
            name: "event".to_string(),
            from_min: None,
            to_min: None,
            mobility: if seats.is_empty() {
                Mobility::Mingling
            } else {
                Mobility::Seated
            },
            acoustics: base,
            crowd: None,
        });
    }
    let venue = Venue {
        outline,
        height_m,
        walls,
        obstacles,
        tables,
        stage_facing_deg: vf.stage_facing,
    };

    // people
    let people_line = file
        .people
        .as_ref()
        .map_or(1, |p| line_col(&text, p.span().start).0);
    let people_name = file
        .people
        .as_ref()
        .map_or_else(|| "people.csv".to_string(), |p| p.get_ref().clone());
    let people_path = path.parent().unwrap_or(Path::new(".")).join(&people_name);
    let mut diags = ck.diags;
    if diags.is_empty() {
        let named = if let Some(read) = read_people(&people_path) {
            read
        } else {
            Err(Diagnostic::line(
                path,
                people_line,
                format!(
                    "the people file {} does not exist: expected a seating CSV beside scene.toml (set `people = \"...\"`)",
                    quote(&people_name)
                ),
            ))
        };
        match named {
            Err(d) => diags.push(d),
            Ok(ptext) => {
                if let Some(table) = parse_table(&people_path, &ptext, &opts.limits, &mut diags) {
                    {
                        let ctx = Context {
                            seats: &seats,
                            phases: &phases,
                            venue: Some(&venue),
                            units_m: k,
                        };
                        let attendees = build_attendees(&people_path, &table, &ctx, &mut diags);
                        if diags.is_empty() {
                            let slug = path
                                .parent()
                                .and_then(|p| p.file_name())
                                .map(|s| s.to_string_lossy().to_string())
                                .unwrap_or_else(|| "scene".into());
                            return Ok(Scene {
                                title: file.title.unwrap_or_else(|| slug.clone()),
                                slug,
                                source: path.to_path_buf(),
                                people_source: people_path,
                                venue,
                                seats,
                                phases,
                                attendees,
                                warnings: table.warnings.clone(),
                                walk_graph: Default::default(),
                            }
                            .predict_crowd_noise(&from_crowd));
                        }
                    }
                }
            }
        }
    }
    Err(SceneError { diagnostics: diags })
}

fn apply_acoustics(a: &mut Acoustics, f: &AcousticsFile, source: ParamSource) {
    let set = |p: &mut Param, v: Option<f64>| {
        if let Some(value) = v {
            *p = Param { value, source };
        }
    };
    set(&mut a.noise_dba, f.noise_dba);
    set(&mut a.rt60_s, f.rt60_s);
    set(&mut a.volume_m3, f.volume_m3);
    set(&mut a.body_attenuation_db, f.body_attenuation_db);
    set(&mut a.body_attenuation_cap_db, f.body_attenuation_cap_db);
    set(&mut a.body_radius_m, f.body_radius_m);
    set(&mut a.lean_in_m, f.lean_in_m);
    set(&mut a.lean_in_reach_m, f.lean_in_reach_m);
    set(&mut a.shout_ceiling_dba, f.shout_ceiling_dba);
    set(&mut a.walking_speed_mps, f.walking_speed_mps);
    set(&mut a.talker_q, f.talker_q);
    set(&mut a.informational_masking_db, f.informational_masking_db);
    set(&mut a.group_size, f.group_size);
    set(&mut a.ear_height_m, f.ear_height_m);
    if let Some(b) = f.noise_bands_db {
        a.noise_spectrum = NoiseSpectrum::Bands(b);
    } else if let Some(n) = f.noise_spectrum.as_deref().and_then(NoiseSpectrum::parse) {
        a.noise_spectrum = n;
    }
    if f.rt60_bands_s.is_some() {
        a.rt60_bands_s = f.rt60_bands_s;
    }
}

/// Reports the acoustics values that are not numbers: the noise spectrum's name and the
/// per-band lists.
fn check_acoustics_words(ck: &mut Checker, span: std::ops::Range<usize>, f: &AcousticsFile) {
    if let Some(n) = &f.noise_spectrum {
        if NoiseSpectrum::parse(n).is_none() {
            ck.at(
                span.clone(),
                format!(
                    "acoustics noise_spectrum = {}: expected \"babble\", \"pink\" or \"hvac\" (or give noise_bands_db = [7 levels, 125 Hz to 8 kHz])",
                    quote(n)
                ),
            );
        }
    }
    if f.noise_bands_db.is_some_and(|b| {
        b.iter()
            .any(|v| !v.is_finite() || !(-50.0..=160.0).contains(v))
    }) {
        ck.at(
            span.clone(),
            "acoustics noise_bands_db: expected 7 levels in dB, 125 Hz to 8 kHz, each between −50 and 160".to_string(),
        );
    }
    if f.rt60_bands_s.is_some_and(|b| {
        b.iter()
            .any(|v| !v.is_finite() || !(0.01..=30.0).contains(v))
    }) {
        ck.at(
            span,
            "acoustics rt60_bands_s: expected 7 reverberation times in seconds, 125 Hz to 8 kHz, each between 0.01 and 30".to_string(),
        );
    }
}

/// Reports parameters out of range; with `only`, just those that came from that source.
fn check_acoustics(
    ck: &mut Checker,
    span: std::ops::Range<usize>,
    a: &Acoustics,
    only: Option<ParamSource>,
) {
    for (name, p) in a.named() {
        if only.is_some_and(|s| s != p.source) {
            continue;
        }
        let ok = match name {
            "noise_dba" => (0.0..=140.0).contains(&p.value),
            "shout_ceiling_dba" => (40.0..=140.0).contains(&p.value),
            "body_attenuation_db"
            | "body_attenuation_cap_db"
            | "lean_in_reach_m"
            | "informational_masking_db" => p.value.is_finite() && p.value >= 0.0,
            "talker_q" => (1.0..=10.0).contains(&p.value),
            "group_size" => (1.0..=100.0).contains(&p.value),
            _ => p.value.is_finite() && p.value > 0.0,
        };
        if !ok {
            ck.at(
                span.clone(),
                format!("acoustics {name} = {} is out of range", p.value),
            );
        }
    }
}
