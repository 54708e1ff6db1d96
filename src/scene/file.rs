//! The `scene.toml` file: venue, seating layout, acoustics and phases.

use super::layout::{RowBlock, expand_row_labels, row_seats, table_seats};
use super::people::{Context, build_attendees, parse_table, read_text};
use super::text::quote;
use super::time::parse_clock;
use super::{
    Acoustics, Diagnostic, LoadOptions, Mobility, NoiseSpectrum, Obstacle, Param, ParamSource,
    Phase, Scene, SceneError, Seat, Table, Units, Venue, Wall,
};
use crate::physics::geometry::{
    Point, point_in_polygon, polygon_invalidity, self_intersection, signed_area,
};
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
    north: Option<f64>,
    origin_lonlat: Option<Spanned<[f64; 2]>>,
    rotation_deg: Option<Spanned<f64>>,
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
    noise_dba: Option<Num>,
    rt60_s: Option<Num>,
    volume_m3: Option<Num>,
    body_attenuation_db: Option<Num>,
    body_attenuation_cap_db: Option<Num>,
    body_radius_m: Option<Num>,
    lean_in_m: Option<Num>,
    lean_in_reach_m: Option<Num>,
    shout_ceiling_dba: Option<Num>,
    walking_speed_mps: Option<Num>,
    talker_q: Option<Num>,
    informational_masking_db: Option<Num>,
    group_size: Option<Num>,
    ear_height_m: Option<Num>,
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
    noise_dba: Option<Num>,
    noise: Option<NoiseSetting>,
    mobility: Option<String>,
    acoustics: Option<AcousticsFile>,
}

/// A phase's `noise`: a level in dB(A), or `"crowd"` to predict it from who is there.
#[derive(Deserialize, Clone)]
#[serde(untagged)]
enum NoiseSetting {
    Level(Num),
    Word(String),
}

/// A number, or a range `[low, high]` it is only known to lie in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Num {
    One(f64),
    Range([f64; 2]),
}

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Num;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or a range [low, high]")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Num, E> {
                Ok(Num::One(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num::One(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num::One(v as f64))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Num, A::Error> {
                let mut ends = Vec::new();
                while let Some(v) = seq.next_element::<f64>()? {
                    ends.push(v);
                }
                match ends[..] {
                    [lo, hi] => Ok(Num::Range([lo, hi])),
                    _ => Err(serde::de::Error::invalid_length(ends.len(), &self)),
                }
            }
        }
        d.deserialize_any(Visit)
    }
}

impl Num {
    /// The parameter it sets: the value, or the middle of the range with the range.
    fn param(self, source: ParamSource) -> Param {
        match self {
            Num::One(value) => Param::new(value, source),
            Num::Range([a, b]) => Param {
                value: (a + b) / 2.0,
                source,
                range: Some([a.min(b), a.max(b)]),
            },
        }
    }
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
        if let Some(why) = polygon_invalidity(&poly) {
            let msg = match self_intersection(&poly) {
                Some((i, j)) => format!(
                    "{what} crosses itself (edges {} and {}): expected a simple polygon",
                    i + 1,
                    j + 1
                ),
                None => format!("{what} is not a simple polygon ({why})"),
            };
            self.at(span, msg);
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

/// The direction of north and the geographic anchor: `north` and `rotation_deg` (the compass
/// bearing of the plan's +y axis) say the same thing, so a file may give either, or both if
/// they agree.
fn read_anchor(ck: &mut Checker, vf: &VenueFile) -> (f64, Option<[f64; 2]>) {
    let mut north = vf.north.unwrap_or(90.0);
    if let Some(r) = &vf.rotation_deg {
        let from_rotation = 90.0 + r.get_ref();
        let differ = (from_rotation - north)
            .rem_euclid(360.0)
            .min((north - from_rotation).rem_euclid(360.0));
        if !r.get_ref().is_finite() {
            ck.at(r.span(), "rotation_deg must be a number of degrees");
        } else if vf.north.is_some() && differ > 0.01 {
            ck.at(
                r.span(),
                format!(
                    "rotation_deg {} (the plan's +y axis points {}° clockwise from north) disagrees with north = {}: give one of them",
                    r.get_ref(),
                    r.get_ref(),
                    north
                ),
            );
        } else {
            north = from_rotation.rem_euclid(360.0);
        }
    }
    let origin = vf.origin_lonlat.as_ref().and_then(|o| {
        let [lon, lat] = *o.get_ref();
        if (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat) {
            Some([lon, lat])
        } else {
            ck.at(
                o.span(),
                format!(
                    "origin_lonlat must be [longitude, latitude] in degrees (longitude −180 to 180, latitude −90 to 90), found [{lon}, {lat}]{}",
                    if (-90.0..=90.0).contains(&lon) && !(-90.0..=90.0).contains(&lat) {
                        ": longitude comes first"
                    } else {
                        ""
                    }
                ),
            );
            None
        }
    });
    (north, origin)
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
    let (file, diags, stand_ins) = parse_toml(path, text)?;
    let typed = diags.len();
    let mut ck = Checker { path, text, diags };
    let k = read_units(&mut ck, &file).metres();
    let vspan = file.venue.span();
    let vf = file.venue.get_ref();
    let outline = ck
        .polygon(vf.outline.span(), "venue outline", vf.outline.get_ref(), k)
        .unwrap_or_default();
    let height_m = vf.height_m.unwrap_or(3.0) * k;
    ck.positive(vspan.clone(), "venue height_m", height_m);
    let walls = read_walls(&mut ck, &vf.walls, k);
    let obstacles = read_obstacles(&mut ck, &vf.obstacles, k);
    let mut layout = SeatLayout::default();
    for (bi, b) in file.seating.rows.iter().enumerate() {
        read_row_block(&mut ck, bi, b, k, &mut layout);
    }
    for (ti, t) in file.seating.table.iter().enumerate() {
        read_table(&mut ck, ti, t, k, &mut layout);
    }
    check_seats(&mut ck, &layout, &outline);
    // a stand-in value may leave seats out: unknown seat labels in the CSV are not news then
    layout.incomplete |= typed > 0;
    let base = scene_acoustics(&mut ck, &file, &outline, height_m);
    let (north_deg, origin_lonlat) = read_anchor(&mut ck, vf);
    let (phases, from_crowd) = read_phases(&mut ck, &file.phases, &base, layout.seats.is_empty());
    let venue = Venue {
        outline,
        height_m,
        walls,
        obstacles,
        tables: layout.tables,
        stage_facing_deg: vf.stage_facing,
        north_deg,
        origin_lonlat,
    };
    let parts = SceneParts {
        venue,
        seats_incomplete: layout.incomplete,
        seats: layout.seats,
        phases,
        from_crowd,
        units_m: k,
    };
    // what is said of a line that holds a stand-in follows from the stand-in, not the file
    let mut k = 0;
    ck.diags.retain(|d| {
        k += 1;
        k <= typed || d.line.is_none_or(|l| !stand_ins.contains(&l))
    });
    let people_line = file
        .people
        .as_ref()
        .map_or(1, |p| line_col(text, p.span().start).0);
    super::laps::lap("scene_file");
    with_people(path, &file, people_line, parts, ck.diags, read_people, opts)
}

/// Parses the TOML. A syntax error makes the rest unreadable and stops here; a value of the
/// wrong type (`chairs = "eight"`) or an unknown key does not: it is reported, the value is
/// replaced by a stand-in of the expected type (or its line blanked out), and the parse goes
/// on, so that one run lists every such mistake. A missing field ends the list. Returns the
/// problems found and the lines that hold a stand-in (whatever else is said of those lines
/// only follows from the stand-in).
fn parse_toml(
    path: &Path,
    text: &str,
) -> Result<(SceneFile, Vec<Diagnostic>, Vec<u64>), SceneError> {
    const MOST: usize = 50;
    let report = |e: &toml::de::Error| {
        let (l, c) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        let mut msg = e.message().trim().replace('\n', " ");
        for (raw, words) in [
            ("expected i64", "expected a whole number"),
            ("expected u32", "expected a whole number"),
            ("expected usize", "expected a whole number"),
            ("expected f64", "expected a number"),
        ] {
            msg = msg.replace(raw, words);
        }
        // `rt60_s = "1.1"`: a number in quotes
        let quoted = msg
            .strip_prefix("invalid type: string \"")
            .and_then(|rest| rest.split_once('"'))
            .map(|(v, _)| v.to_string());
        if let Some(v) = quoted.filter(|v| v.trim().parse::<f64>().is_ok()) {
            msg.push_str(&format!(" (write {} without quotes)", v.trim()));
        }
        Diagnostic::at(path, l, c, format!("TOML: {msg}"))
    };
    if let Err(e) = text.parse::<toml::Table>() {
        return Err(SceneError::single(report(&e)));
    }
    let (mut diags, mut stand_ins) = (Vec::new(), Vec::new());
    let mut work = text.to_string();
    loop {
        let e = match toml::from_str::<SceneFile>(&work) {
            Ok(file) => return Ok((file, diags, stand_ins)),
            Err(e) => e,
        };
        diags.push(report(&e));
        let span = e
            .span()
            .filter(|_| !e.message().starts_with("missing field"));
        let Some(span) = span.filter(|_| diags.len() < MOST) else {
            return Err(SceneError { diagnostics: diags });
        };
        stand_ins.push(line_col(text, span.start).0);
        match stand_in(e.message()).filter(|v| v.len() <= span.len()) {
            Some(v) => work.replace_range(span.clone(), &format!("{v:<w$}", w = span.len())),
            None => blank_lines(&mut work, span),
        }
    }
}

/// A value of the type a deserialisation error expected: what stands in for a wrong one.
fn stand_in(message: &str) -> Option<&'static str> {
    let expected = message.split("expected").nth(1)?.trim();
    Some(match expected {
        e if e.starts_with("a string") => "\"\"",
        e if e.starts_with('i') || e.starts_with('u') => "1",
        e if e.starts_with("f64") || e.starts_with("a number") => "1.0",
        e if e.starts_with("a sequence") || e.starts_with("an array") => "[]",
        _ => return None,
    })
}

/// Replaces every character of the lines that `span` touches with a space (line breaks kept,
/// so every other line and column stays where it was).
fn blank_lines(text: &mut String, span: std::ops::Range<usize>) {
    let start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = text[span.end.min(text.len())..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let blanked: String = text[start..end]
        .chars()
        .map(|c| if c == '\n' || c == '\r' { c } else { ' ' })
        .collect();
    text.replace_range(start..end, &blanked);
}

fn read_units(ck: &mut Checker, file: &SceneFile) -> Units {
    match file.units.as_ref().map(|u| u.get_ref().as_str()) {
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
    }
}

/// A point of the file in metres.
fn metres(p: Xy, k: f64) -> Point {
    Point::new(p[0] * k, p[1] * k)
}

/// The walls that pass their checks; the others are reported.
fn read_walls(ck: &mut Checker, walls: &[Spanned<WallFile>], k: f64) -> Vec<Wall> {
    let mut out = Vec::new();
    for (i, w) in walls.iter().enumerate() {
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
        out.push(Wall {
            name,
            points: w.points.iter().map(|&p| metres(p, k)).collect(),
            attenuation_db: att,
        });
    }
    out
}

/// The obstacles that pass their checks; the others are reported.
fn read_obstacles(ck: &mut Checker, obstacles: &[Spanned<ObstacleFile>], k: f64) -> Vec<Obstacle> {
    let mut out = Vec::new();
    for o in obstacles {
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
        out.push(Obstacle {
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
    out
}

/// Seats and tables as they are read, with the file span that made each seat.
#[derive(Default)]
struct SeatLayout {
    seats: Vec<Seat>,
    spans: Vec<std::ops::Range<usize>>,
    tables: Vec<Table>,
    /// A block or table was refused.
    incomplete: bool,
}

impl SeatLayout {
    fn add(&mut self, span: &std::ops::Range<usize>, new: Vec<Seat>) {
        self.spans
            .extend(std::iter::repeat_n(span.clone(), new.len()));
        self.seats.extend(new);
    }
}

/// One `[[seating.rows]]` block: its numbers checked, its rows expanded into seats.
fn read_row_block(
    ck: &mut Checker,
    bi: usize,
    block: &Spanned<RowsFile>,
    k: f64,
    layout: &mut SeatLayout,
) {
    let (span, b) = (block.span(), block.get_ref());
    let section = b
        .section
        .clone()
        .unwrap_or_else(|| format!("block {}", bi + 1));
    let mut good = check_row_numbers(ck, &span, b, &section);
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
    let rows = block_rows(ck, &span, b, &mut good);
    let aisles: Vec<u32> = b
        .aisle_after
        .iter()
        .filter_map(|&a| u32::try_from(a).ok())
        .collect();
    if !good {
        layout.incomplete = true;
        return;
    }
    let new = row_seats(&RowBlock {
        block: bi,
        section: &section,
        origin: metres(b.origin, k),
        rows: &rows,
        seats: b.seats as u32,
        first_seat: first_seat as u32,
        seat_pitch_m: b.seat_pitch_m * k,
        row_pitch_m: b.row_pitch_m * k,
        facing_deg: b.facing,
        aisle_after: &aisles,
        aisle_m: aisle_m * k,
    });
    layout.add(&span, new);
}

/// A row block's position, seat count and pitches; false when any is unusable.
fn check_row_numbers(
    ck: &mut Checker,
    span: &std::ops::Range<usize>,
    b: &RowsFile,
    section: &str,
) -> bool {
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
                quote(section),
                b.seats
            ),
        );
        good = false;
    }
    good &= ck.positive(span.clone(), "seat_pitch_m", b.seat_pitch_m);
    good &= ck.positive(span.clone(), "row_pitch_m", b.row_pitch_m);
    good
}

/// A row block's row labels, less the skipped ones; reports an empty or unreadable list.
fn block_rows(
    ck: &mut Checker,
    span: &std::ops::Range<usize>,
    b: &RowsFile,
    good: &mut bool,
) -> Vec<String> {
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
            *good = false;
            vec![]
        }
    };
    if rows.is_empty() && *good {
        ck.at(span.clone(), "seat block has no rows left after `skip`");
        *good = false;
    }
    rows
}

/// One `[[seating.table]]`: a round table and its chairs.
fn read_table(
    ck: &mut Checker,
    ti: usize,
    table: &Spanned<TableFile>,
    k: f64,
    layout: &mut SeatLayout,
) {
    let (span, t) = (table.span(), table.get_ref());
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
        layout.incomplete = true;
        return;
    }
    let center = metres(t.center, k);
    let new = table_seats(
        ti,
        &t.label,
        center,
        (t.radius_m + offset) * k,
        t.chairs as u32,
        t.first_chair_deg.unwrap_or(90.0),
    );
    layout.add(&span, new);
    layout.tables.push(Table {
        label: t.label.clone(),
        center,
        radius_m: t.radius_m * k,
    });
}

/// Every seat label once, and every seat inside the outline (reported once per block).
fn check_seats(ck: &mut Checker, layout: &SeatLayout, outline: &[Point]) {
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut reported_blocks = Vec::new();
    for (i, s) in layout.seats.iter().enumerate() {
        let span = &layout.spans[i];
        if let Some(prev) = seen.insert(s.label.to_lowercase(), i) {
            let prev_line = line_col(ck.text, layout.spans[prev].start).0;
            ck.at(
                span.clone(),
                format!(
                    "seat label {} is defined twice (also by the block at line {prev_line})",
                    s.label,
                ),
            );
        }
        let outside = outline.len() >= 3 && !point_in_polygon(s.pos, outline);
        if outside && !reported_blocks.contains(&span.start) {
            reported_blocks.push(span.start);
            ck.at(
                span.clone(),
                format!(
                    "seat {} at ({:.2}, {:.2}) m lies outside the venue outline",
                    s.label, s.pos.x, s.pos.y
                ),
            );
        }
    }
}

/// The scene-wide parameters: defaults, the venue's volume, height and RT60, `[acoustics]`.
fn scene_acoustics(
    ck: &mut Checker,
    file: &SceneFile,
    outline: &[Point],
    height_m: f64,
) -> Acoustics {
    let vf = file.venue.get_ref();
    // an invalid outline is reported above; keep its volume from cascading into more errors
    let floor_volume = (signed_area(outline).abs() * height_m).max(1.0);
    let mut base = Acoustics::defaults(floor_volume);
    let from_scene = |value| Param::new(value, ParamSource::Scene);
    if height_m.is_finite() && height_m > 0.0 {
        base.ceiling_height_m = from_scene(height_m);
    }
    if let Some(v) = vf.volume_m3 {
        base.volume_m3 = from_scene(v);
    }
    if let Some(v) = vf.rt60_s {
        base.rt60_s = from_scene(v);
    }
    let ac_span = file
        .acoustics
        .as_ref()
        .map_or(file.venue.span(), |a| a.span());
    if let Some(ac) = &file.acoustics {
        apply_acoustics(&mut base, ac.get_ref(), ParamSource::Scene);
        check_acoustics_words(ck, ac_span.clone(), ac.get_ref());
    }
    check_acoustics(ck, ac_span, &base, None);
    base
}

/// The phases, and for each whether its noise comes from the crowd; one seated or mingling
/// phase called "event" when the file has none.
fn read_phases(
    ck: &mut Checker,
    files: &[Spanned<PhaseFile>],
    base: &Acoustics,
    no_seats: bool,
) -> (Vec<Phase>, Vec<bool>) {
    let mut phases: Vec<Phase> = Vec::new();
    let mut from_crowd = Vec::new();
    for ph in files {
        let (span, p) = (ph.span(), ph.get_ref());
        if p.name.trim().is_empty() {
            ck.at(span.clone(), "phase name is empty");
            continue;
        }
        if phases.iter().any(|q| q.name.eq_ignore_ascii_case(&p.name)) {
            ck.at(
                span.clone(),
                format!("phase {} is defined twice", quote(&p.name)),
            );
            continue;
        }
        let (phase, crowd) = read_phase(ck, &span, p, base);
        phases.push(phase);
        from_crowd.push(crowd);
    }
    if phases.is_empty() {
        phases.push(Phase {
            name: "event".to_string(),
            from_min: None,
            to_min: None,
            mobility: if no_seats {
                Mobility::Mingling
            } else {
                Mobility::Seated
            },
            acoustics: *base,
            crowd: None,
        });
    }
    (phases, from_crowd)
}

/// One `[[phase]]`, and whether its noise comes from the crowd.
fn read_phase(
    ck: &mut Checker,
    span: &std::ops::Range<usize>,
    p: &PhaseFile,
    base: &Acoustics,
) -> (Phase, bool) {
    let (from_min, to_min) = phase_window(ck, span, p);
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
    let mut a = *base;
    let noise = phase_noise(ck, span, p);
    if let Some(PhaseNoise::Level(n)) = noise {
        a.noise_dba = n.param(ParamSource::Phase);
    }
    if let Some(o) = &p.acoustics {
        apply_acoustics(&mut a, o, ParamSource::Phase);
        check_acoustics_words(ck, span.clone(), o);
    }
    check_acoustics(ck, span.clone(), &a, Some(ParamSource::Phase));
    let phase = Phase {
        name: p.name.trim().to_string(),
        from_min,
        to_min,
        mobility,
        acoustics: a,
        crowd: None,
    };
    (phase, noise == Some(PhaseNoise::Crowd))
}

/// A phase's `from` and `to`, minutes after midnight; reports bad times and a backwards window.
fn phase_window(
    ck: &mut Checker,
    span: &std::ops::Range<usize>,
    p: &PhaseFile,
) -> (Option<f64>, Option<f64>) {
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
    (from_min, to_min)
}

/// What a phase says of its noise.
#[derive(Clone, Copy, PartialEq)]
enum PhaseNoise {
    Level(Num),
    Crowd,
}

/// A phase's `noise_dba` or `noise`: a level, `"crowd"`, or nothing (then the scene's).
fn phase_noise(
    ck: &mut Checker,
    span: &std::ops::Range<usize>,
    p: &PhaseFile,
) -> Option<PhaseNoise> {
    match (&p.noise, p.noise_dba) {
        (Some(NoiseSetting::Level(n)), None) => Some(PhaseNoise::Level(*n)),
        (None, Some(n)) => Some(PhaseNoise::Level(n)),
        (Some(NoiseSetting::Word(w)), None) if w.trim().eq_ignore_ascii_case("crowd") => {
            Some(PhaseNoise::Crowd)
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
    }
}

/// The name of the folder that holds `path`, also when it is given as `.` or `..`.
fn folder_name(path: &Path) -> Option<String> {
    let parent = path.parent()?;
    let named = |p: &Path| p.file_name().map(|s| s.to_string_lossy().to_string());
    named(parent).or_else(|| {
        let dir = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        std::fs::canonicalize(dir).ok().and_then(|p| named(&p))
    })
}

/// Everything of a scene but its people.
struct SceneParts {
    venue: Venue,
    seats_incomplete: bool,
    seats: Vec<Seat>,
    phases: Vec<Phase>,
    from_crowd: Vec<bool>,
    units_m: f64,
}

/// Reads the people CSV the scene names, once the scene file itself has no problems, and
/// builds the scene; every problem found so far comes back otherwise.
fn with_people(
    path: &Path,
    file: &SceneFile,
    people_line: u64,
    parts: SceneParts,
    mut diags: Vec<Diagnostic>,
    read_people: &dyn Fn(&Path) -> Option<Result<String, Diagnostic>>,
    opts: &LoadOptions,
) -> Result<Scene, SceneError> {
    // the people file is read even when the scene file has problems: every problem at once
    let people_name = file
        .people
        .as_ref()
        .map_or_else(|| "people.csv".to_string(), |p| p.get_ref().clone());
    let people_path = path.parent().unwrap_or(Path::new(".")).join(&people_name);
    let ptext = match read_people(&people_path) {
        Some(Ok(t)) => t,
        Some(Err(d)) => {
            diags.push(d);
            return Err(SceneError { diagnostics: diags });
        }
        None => {
            diags.push(Diagnostic::line(
                path,
                people_line,
                format!(
                    "the people file {} does not exist: expected a seating CSV beside scene.toml (set `people = \"...\"`)",
                    quote(&people_name)
                ),
            ));
            return Err(SceneError { diagnostics: diags });
        }
    };
    super::laps::lap("read_file");
    let Some(table) = parse_table(&people_path, ptext, &opts.limits, &mut diags) else {
        return Err(SceneError { diagnostics: diags });
    };
    super::laps::lap("header");
    let ctx = Context {
        seats: &parts.seats,
        phases: &parts.phases,
        venue: Some(&parts.venue),
        units_m: parts.units_m,
        seats_incomplete: parts.seats_incomplete,
    };
    let mut warnings = table.warnings.clone();
    let (attendees, _) = build_attendees(&people_path, &table, &ctx, &mut diags, &mut warnings);
    drop(table);
    if !diags.is_empty() {
        return Err(SceneError { diagnostics: diags });
    }
    let slug = folder_name(path).unwrap_or_else(|| "scene".into());
    Ok(Scene {
        title: file.title.clone().unwrap_or_else(|| slug.clone()),
        slug,
        source: path.to_path_buf(),
        people_source: people_path,
        venue: parts.venue,
        seats: parts.seats,
        phases: parts.phases,
        attendees,
        warnings,
        walk_graph: Default::default(),
    }
    .predict_crowd_noise(&parts.from_crowd)
    .check_scale())
}

fn apply_acoustics(a: &mut Acoustics, f: &AcousticsFile, source: ParamSource) {
    let set = |p: &mut Param, v: Option<Num>| {
        if let Some(n) = v {
            *p = n.param(source);
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
        let ok = |v: f64| match name {
            "noise_dba" => (0.0..=140.0).contains(&v),
            "shout_ceiling_dba" => (40.0..=140.0).contains(&v),
            "body_attenuation_db"
            | "body_attenuation_cap_db"
            | "lean_in_reach_m"
            | "informational_masking_db" => v.is_finite() && v >= 0.0,
            "talker_q" => (1.0..=10.0).contains(&v),
            "group_size" => (1.0..=100.0).contains(&v),
            _ => v.is_finite() && v > 0.0,
        };
        match p.range {
            Some([lo, hi]) if !(ok(lo) && ok(hi)) => ck.at(
                span.clone(),
                format!("acoustics {name} = [{lo}, {hi}]: the range is out of bounds"),
            ),
            None if !ok(p.value) => ck.at(
                span.clone(),
                format!("acoustics {name} = {} is out of range", p.value),
            ),
            _ => {}
        }
    }
}
