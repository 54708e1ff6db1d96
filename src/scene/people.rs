//! The seating CSV: who was where, in which phase, and when.
//!
//! Accepts what spreadsheets export: a UTF-8 byte-order mark, CRLF line ends, and `;` as the
//! separator with decimal commas. Columns are matched case-insensitively.

use super::text::{parse_number, quote};
use super::time::parse_clock;
use super::{
    Acoustics, Attendee, Diagnostic, Limits, LoadOptions, Mobility, NoiseChoice, Param,
    ParamSource, Phase, Placement, Presence, Scene, SceneError, Seat, Venue,
};
use crate::physics::geometry::{Point, point_in_polygon};
use std::collections::HashMap;
use std::path::Path;

/// Reads a whole input file as text, refusing folders, missing files, oversized and binary
/// files and invalid UTF-8 with a message that says where.
pub(super) fn read_text(path: &Path, limits: &Limits) -> Result<String, Diagnostic> {
    let meta = std::fs::metadata(path).map_err(|e| {
        Diagnostic::file(
            path,
            match e.kind() {
                std::io::ErrorKind::NotFound => {
                    "no such file: expected a scene folder, a scene.toml or a seating CSV"
                        .to_string()
                }
                _ => format!("cannot read: {e}"),
            },
        )
    })?;
    if meta.is_dir() {
        return Err(Diagnostic::file(path, "is a folder, expected a file"));
    }
    if meta.len() > limits.max_file_bytes {
        return Err(Diagnostic::file(
            path,
            format!(
                "is {} bytes, more than the limit of {} bytes",
                meta.len(),
                limits.max_file_bytes
            ),
        ));
    }
    let bytes =
        std::fs::read(path).map_err(|e| Diagnostic::file(path, format!("cannot read: {e}")))?;
    decode_text(path, bytes)
}

/// Turns a file's bytes into text: refuses binary files and invalid UTF-8 with the line and
/// column, and drops a UTF-8 byte-order mark.
pub(super) fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if let Some(nul) = bytes.iter().take(8192).position(|&b| b == 0) {
        let line = bytes[..nul].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
        return Err(Diagnostic::line(
            path,
            line,
            "holds a NUL byte: this is not a text file (expected CSV or TOML text in UTF-8)",
        ));
    }
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.as_bytes();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n')
                    .map_or(0, |p| p + 1)
                + 1;
            Err(Diagnostic::at(
                path,
                line,
                col as u64,
                "invalid UTF-8: expected text in UTF-8 (re-save the file as \"CSV UTF-8\")",
            ))
        }
    }
}

/// The columns a seating CSV may have.
#[derive(Debug, Default, Clone)]
pub(super) struct Columns {
    pub headers: Vec<String>,
    pub name: usize,
    pub id: Option<usize>,
    pub seat: Option<usize>,
    pub x: Option<usize>,
    pub y: Option<usize>,
    pub facing: Option<usize>,
    pub phase: Option<usize>,
    pub arrived: Option<usize>,
    pub left: Option<usize>,
    pub role: Option<usize>,
    pub group: Option<usize>,
    pub note: Option<usize>,
    pub presence: Option<usize>,
}

/// A parsed but not yet resolved CSV.
pub(super) struct PeopleTable {
    pub cols: Columns,
    pub decimal_comma: bool,
    /// Line number and fields of each row (one allocation per row).
    pub rows: Vec<(u64, csv::StringRecord)>,
    /// Columns that earshot does not read (a misspelt `facing`, say).
    pub warnings: Vec<Diagnostic>,
}

impl PeopleTable {
    fn get<'a>(&self, row: &'a csv::StringRecord, col: Option<usize>) -> Option<&'a str> {
        col.and_then(|c| row.get(c))
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

/// Parses the CSV text into rows, checking the header and field sizes.
pub(super) fn parse_table(
    path: &Path,
    text: &str,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<PeopleTable> {
    if text.trim().is_empty() {
        diags.push(Diagnostic::line(
            path,
            1,
            "the file is empty: expected a header row naming at least `name` and `x`,`y` or `seat`",
        ));
        return None;
    }
    let first_line = text.lines().next().unwrap_or("");
    let (semi, comma, tab) = (
        first_line.matches(';').count(),
        first_line.matches(',').count(),
        first_line.matches('\t').count(),
    );
    let delimiter = if tab > semi.max(comma) {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    };
    let decimal_comma = delimiter != b',';
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            diags.push(Diagnostic::line(
                path,
                1,
                format!("cannot read the header row: {e}"),
            ));
            return None;
        }
        None => {
            diags.push(Diagnostic::line(
                path,
                1,
                "the file is empty: expected a header row",
            ));
            return None;
        }
    };
    let headers: Vec<String> = header.iter().map(|h| h.trim().to_lowercase()).collect();
    if let Some(i) = headers
        .iter()
        .position(|h| h.len() > limits.max_field_bytes)
    {
        diags.push(Diagnostic::at(
            path,
            1,
            i as u64 + 1,
            format!(
                "header field is longer than {} bytes: expected column names like name,x,y,seat",
                limits.max_field_bytes
            ),
        ));
        return None;
    }
    let find = |names: &[&str]| headers.iter().position(|h| names.contains(&h.as_str()));
    let Some(name) = find(&["name"]) else {
        diags.push(Diagnostic::line(
            path,
            1,
            format!(
                "missing required column `name`: the header has {}",
                if headers.iter().all(|h| h.is_empty()) {
                    "no column names".to_string()
                } else {
                    headers
                        .iter()
                        .map(|h| quote(h))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            ),
        ));
        return None;
    };
    let cols = Columns {
        name,
        id: find(&["id"]),
        seat: find(&["seat"]),
        x: find(&["x"]),
        y: find(&["y"]),
        facing: find(&["facing", "facing_deg"]),
        phase: find(&["phase"]),
        arrived: find(&["arrived", "arrival", "from"]),
        left: find(&["left", "departed", "to"]),
        role: find(&["role"]),
        group: find(&["group"]),
        note: find(&["note", "notes"]),
        presence: find(&["presence"]),
        headers: headers.clone(),
    };
    const KNOWN: [&str; 17] = [
        "name",
        "id",
        "seat",
        "x",
        "y",
        "facing",
        "facing_deg",
        "phase",
        "arrived",
        "arrival",
        "from",
        "left",
        "departed",
        "to",
        "role",
        "group",
        "presence",
    ];
    let warnings: Vec<Diagnostic> = headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty() && !KNOWN.contains(&h.as_str()) && *h != "note" && *h != "notes")
        .map(|(i, h)| {
            Diagnostic::at(
                path,
                1,
                i as u64 + 1,
                format!(
                    "column {} is not one earshot reads, so it is ignored (earshot reads name, id, seat, x, y, facing, phase, arrived, left, presence, role, group, note)",
                    quote(h)
                ),
            )
        })
        .collect();
    match (cols.x, cols.y) {
        (Some(_), None) => diags.push(Diagnostic::line(path, 1, "column `x` without `y`: expected both x and y")),
        (None, Some(_)) => diags.push(Diagnostic::line(path, 1, "column `y` without `x`: expected both x and y")),
        (None, None) if cols.seat.is_none() => diags.push(Diagnostic::line(
            path,
            1,
            "no position columns: expected `x` and `y`, or `seat` with a scene.toml that defines the seats",
        )),
        _ => {}
    }
    let mut rows = Vec::new();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                diags.push(Diagnostic::line(
                    path,
                    line,
                    format!("cannot read this row: {e}"),
                ));
                continue;
            }
        };
        let line = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|f| f.trim().is_empty()) {
            continue; // blank line
        }
        if rows.len() >= limits.max_rows {
            diags.push(Diagnostic::line(
                path,
                line,
                format!("more than {} rows: the limit on attendees", limits.max_rows),
            ));
            return None;
        }
        if rec.len() != headers.len() {
            diags.push(Diagnostic::line(
                path,
                line,
                format!(
                    "expected {} fields as in the header, found {}",
                    headers.len(),
                    rec.len()
                ),
            ));
            continue;
        }
        if let Some(i) = rec.iter().position(|f| f.len() > limits.max_field_bytes) {
            diags.push(Diagnostic::field(
                path,
                line,
                i,
                &headers[i],
                format!(
                    "field is {} bytes long, more than the limit of {}",
                    rec[i].len(),
                    limits.max_field_bytes
                ),
            ));
            continue;
        }
        rows.push((line, rec));
    }
    if rows.is_empty() && diags.is_empty() {
        diags.push(Diagnostic::line(
            path,
            1,
            "a header but no rows: expected one row per attendee",
        ));
    }
    Some(PeopleTable {
        cols,
        decimal_comma,
        rows,
        warnings,
    })
}

/// What rows are resolved against.
pub(super) struct Context<'a> {
    pub seats: &'a [Seat],
    pub phases: &'a [Phase],
    pub venue: Option<&'a Venue>,
    pub units_m: f64,
}

/// Turns rows into attendees, checking seats, phases, windows, duplicates and positions.
pub(super) fn build_attendees(
    path: &Path,
    table: &PeopleTable,
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attendee> {
    let seat_index: HashMap<String, usize> = ctx
        .seats
        .iter()
        .enumerate()
        .map(|(i, s)| (s.label.to_lowercase(), i))
        .collect();
    let c = &table.cols;
    let mut attendees: Vec<Attendee> = Vec::new();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    let field_err = |diags: &mut Vec<Diagnostic>, line: u64, col: usize, msg: String| {
        diags.push(Diagnostic::field(path, line, col, &c.headers[col], msg));
    };
    for (line, row) in &table.rows {
        let line = *line;
        let Some(name) = table.get(row, Some(c.name)) else {
            field_err(
                diags,
                line,
                c.name,
                "expected a name, found an empty field".into(),
            );
            continue;
        };
        let num = |diags: &mut Vec<Diagnostic>, col: Option<usize>| -> Result<Option<f64>, ()> {
            match table.get(row, col) {
                None => Ok(None),
                Some(s) => parse_number(s, table.decimal_comma).map(Some).map_err(|m| {
                    if let Some(col) = col {
                        field_err(diags, line, col, m);
                    }
                }),
            }
        };
        let mut ok = true;
        let phase = match table.get(row, c.phase) {
            None => None,
            Some(p) => match ctx
                .phases
                .iter()
                .position(|ph| ph.name.eq_ignore_ascii_case(p))
            {
                Some(i) => Some(i),
                None => {
                    let known: Vec<String> = ctx.phases.iter().map(|p| p.name.clone()).collect();
                    field_err(
                        diags,
                        line,
                        c.phase.unwrap_or(0),
                        format!(
                            "unknown phase {}: expected one of {}",
                            quote(p),
                            known.join(", ")
                        ),
                    );
                    ok = false;
                    None
                }
            },
        };
        let (x, y, facing) = (num(diags, c.x), num(diags, c.y), num(diags, c.facing));
        let (Ok(x), Ok(y), Ok(facing)) = (x, y, facing) else {
            continue;
        };
        let mut seat = None;
        let pos = match table.get(row, c.seat) {
            Some(label) => match seat_index.get(&label.to_lowercase()) {
                Some(&i) => {
                    seat = Some(i);
                    Some(ctx.seats[i].pos)
                }
                None => {
                    let hint = if ctx.seats.is_empty() {
                        " (this scene defines no seats: give x and y, or a scene.toml with seating)"
                            .to_string()
                    } else {
                        let near = super::text::closest(
                            label,
                            ctx.seats.iter().map(|s| s.label.clone()),
                            3,
                        );
                        format!(
                            ": expected a seat the venue defines, such as {}",
                            near.join(", ")
                        )
                    };
                    field_err(
                        diags,
                        line,
                        c.seat.unwrap_or(0),
                        format!("unknown seat label {}{hint}", quote(label)),
                    );
                    continue;
                }
            },
            None => match (x, y) {
                (Some(x), Some(y)) => Some(Point::new(x * ctx.units_m, y * ctx.units_m)),
                _ => None,
            },
        };
        let Some(pos) = pos else {
            let col = c.x.or(c.seat).unwrap_or(0);
            field_err(
                diags,
                line,
                col,
                "expected a position: `x` and `y`, or a `seat` label".into(),
            );
            continue;
        };
        let facing_deg = facing.or(seat.map(|s| ctx.seats[s].facing_deg));
        let time = |diags: &mut Vec<Diagnostic>, col: Option<usize>| -> Result<Option<f64>, ()> {
            match table.get(row, col) {
                None => Ok(None),
                Some(s) => parse_clock(s)
                    .map(Some)
                    .map_err(|m| field_err(diags, line, col.unwrap_or(0), m)),
            }
        };
        let (Ok(arrived), Ok(left)) = (time(diags, c.arrived), time(diags, c.left)) else {
            continue;
        };
        if let (Some(a), Some(l)) = (arrived, left) {
            if l < a {
                field_err(
                    diags,
                    line,
                    c.left.unwrap_or(0),
                    format!(
                        "presence window ends ({}) before it starts ({}): expected `left` at or after `arrived`",
                        super::format_clock(l),
                        super::format_clock(a)
                    ),
                );
                ok = false;
            }
        }
        let presence = match table.get(row, c.presence).map(str::to_lowercase).as_deref() {
            None | Some("confirmed" | "yes" | "present") => Presence::Confirmed,
            Some("uncertain" | "unconfirmed" | "unknown" | "maybe" | "?") => Presence::Uncertain,
            Some(other) => {
                field_err(
                    diags,
                    line,
                    c.presence.unwrap_or(0),
                    format!(
                        "expected `confirmed` or `uncertain`, found {}",
                        quote(other)
                    ),
                );
                ok = false;
                Presence::Confirmed
            }
        };
        if let Some(v) = ctx.venue {
            if v.outline.len() >= 3 && !point_in_polygon(pos, &v.outline) {
                diags.push(Diagnostic::line(
                    path,
                    line,
                    format!(
                        "{} at ({:.2}, {:.2}) m lies outside the venue outline",
                        quote(name),
                        pos.x,
                        pos.y
                    ),
                ));
                ok = false;
            }
            if let Some(o) = v
                .obstacles
                .iter()
                .find(|o| !o.standable && point_in_polygon(pos, &o.polygon))
            {
                diags.push(Diagnostic::line(
                    path,
                    line,
                    format!(
                        "{} at ({:.2}, {:.2}) m stands inside the obstacle {}",
                        quote(name),
                        pos.x,
                        pos.y,
                        quote(&o.name)
                    ),
                ));
                ok = false;
            }
            if let Some(t) = v
                .tables
                .iter()
                .find(|t| t.center.distance(pos) < t.radius_m)
            {
                diags.push(Diagnostic::line(
                    path,
                    line,
                    format!(
                        "{} at ({:.2}, {:.2}) m stands inside table {}",
                        quote(name),
                        pos.x,
                        pos.y,
                        quote(&t.label)
                    ),
                ));
                ok = false;
            }
        }
        if !ok {
            continue;
        }
        let id = table.get(row, c.id).map(str::to_string);
        let key = (
            name.to_lowercase(),
            id.as_deref().unwrap_or("").to_lowercase(),
        );
        let placement = Placement {
            phase,
            pos,
            facing_deg,
            seat,
            arrived_min: arrived,
            left_min: left,
            line,
        };
        let idx = match by_key.get(&key) {
            Some(&i) => {
                if let Some(prev) = attendees[i].placements.iter().find(|p| p.phase == phase) {
                    let hint = if id.is_none() {
                        "; add an `id` column to tell two people of one name apart"
                    } else {
                        ""
                    };
                    diags.push(Diagnostic::line(
                        path,
                        line,
                        format!(
                            "duplicate: {} already appears on line {} for {}{hint}",
                            quote(name),
                            prev.line,
                            phase.map_or("every phase".to_string(), |p| format!(
                                "phase {}",
                                quote(&ctx.phases[p].name)
                            )),
                        ),
                    ));
                    continue;
                }
                i
            }
            None => {
                attendees.push(Attendee {
                    name: name.to_string(),
                    id,
                    role: table.get(row, c.role).unwrap_or("").to_string(),
                    group: table.get(row, c.group).unwrap_or("").to_string(),
                    note: table.get(row, c.note).unwrap_or("").to_string(),
                    presence,
                    placements: Vec::new(),
                });
                by_key.insert(key, attendees.len() - 1);
                attendees.len() - 1
            }
        };
        let a = &mut attendees[idx];
        if presence == Presence::Uncertain {
            a.presence = Presence::Uncertain;
        }
        a.placements.push(placement);
    }
    check_seat_sharing(path, &attendees, ctx, diags);
    attendees
}

/// Two people in one seat in one phase, at overlapping times.
fn check_seat_sharing(
    path: &Path,
    attendees: &[Attendee],
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
) {
    for phase in 0..ctx.phases.len() {
        let mut taken: HashMap<usize, Vec<(&Attendee, &Placement)>> = HashMap::new();
        for a in attendees {
            if let Some(p) = a.placement_in(phase) {
                if let Some(s) = p.seat {
                    taken.entry(s).or_default().push((a, p));
                }
            }
        }
        let mut clashes: Vec<(u64, String)> = Vec::new();
        for (seat, occupants) in taken {
            for (i, (a2, p2)) in occupants.iter().enumerate() {
                for (a1, p1) in &occupants[..i] {
                    let overlap = p1.arrived_min.unwrap_or(f64::MIN)
                        < p2.left_min.unwrap_or(f64::MAX)
                        && p2.arrived_min.unwrap_or(f64::MIN) < p1.left_min.unwrap_or(f64::MAX);
                    if overlap {
                        let (first, second, l) = if p1.line <= p2.line {
                            (a1, a2, p2.line.max(p1.line))
                        } else {
                            (a2, a1, p1.line)
                        };
                        clashes.push((
                            l,
                            format!(
                                "seat {} is taken twice in phase {}: by {} and by {}",
                                ctx.seats[seat].label,
                                quote(&ctx.phases[phase].name),
                                quote(&first.display_name()),
                                quote(&second.display_name())
                            ),
                        ));
                    }
                }
            }
        }
        clashes.sort();
        clashes.dedup();
        diags.extend(
            clashes
                .into_iter()
                .map(|(l, m)| Diagnostic::line(path, l, m)),
        );
    }
}

/// A bare seating CSV: an open room around the people with default acoustics.
pub(super) fn load_bare_csv(path: &Path, opts: &LoadOptions) -> Result<Scene, SceneError> {
    let text = read_text(path, &opts.limits).map_err(SceneError::single)?;
    bare_csv_from_text(path, &text, opts)
}

/// A bare seating CSV already read into memory; `path` names it in messages.
pub(super) fn bare_csv_from_text(
    path: &Path,
    text: &str,
    opts: &LoadOptions,
) -> Result<Scene, SceneError> {
    let mut diags = Vec::new();
    let Some(table) = parse_table(path, text, &opts.limits, &mut diags) else {
        return Err(SceneError { diagnostics: diags });
    };
    // phases: the distinct values of the `phase` column in order of appearance (frames, say)
    let mut names: Vec<String> = Vec::new();
    for (_, row) in &table.rows {
        if let Some(p) = table.get(row, table.cols.phase) {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(p)) {
                names.push(p.to_string());
            }
        }
    }
    if names.is_empty() {
        names.push("event".to_string());
    }
    // a first pass without a venue, to find the bounding box
    let mut probe = Vec::new();
    let ctx0 = Context {
        seats: &[],
        phases: &[],
        venue: None,
        units_m: opts.units.metres(),
    };
    let tmp_phases: Vec<Phase> = names.iter().map(|n| bare_phase(n, 0.0, None)).collect();
    let ctx = Context {
        phases: &tmp_phases,
        ..ctx0
    };
    let attendees = build_attendees(path, &table, &ctx, &mut probe);
    diags.extend(probe);
    if !diags.is_empty() {
        return Err(SceneError { diagnostics: diags });
    }
    let pts: Vec<Point> = attendees
        .iter()
        .flat_map(|a| a.placements.iter().map(|p| p.pos))
        .collect();
    let margin = 2.0;
    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
    for p in &pts {
        x0 = x0.min(p.x);
        y0 = y0.min(p.y);
        x1 = x1.max(p.x);
        y1 = y1.max(p.y);
    }
    let (x0, y0, x1, y1) = (x0 - margin, y0 - margin, x1 + margin, y1 + margin);
    let height_m = 3.0;
    let volume = (x1 - x0) * (y1 - y0) * height_m;
    let phases: Vec<Phase> = names
        .iter()
        .map(|n| bare_phase(n, volume, opts.noise))
        .collect();
    let venue = Venue {
        outline: vec![
            Point::new(x0, y0),
            Point::new(x1, y0),
            Point::new(x1, y1),
            Point::new(x0, y1),
        ],
        height_m,
        walls: vec![],
        obstacles: vec![],
        tables: vec![],
        stage_facing_deg: None,
    };
    let slug = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_else(|| "scene".into());
    Ok(Scene {
        title: slug.clone(),
        slug,
        source: path.to_path_buf(),
        people_source: path.to_path_buf(),
        venue,
        seats: vec![],
        phases: phases.clone(),
        attendees: attendees
            .into_iter()
            .map(|mut a| {
                a.placements.sort_by_key(|p| p.line);
                a
            })
            .collect(),
        warnings: table.warnings.clone(),
        walk_graph: Default::default(),
    }
    .predict_crowd_noise(&vec![opts.noise == Some(NoiseChoice::Crowd); names.len()]))
}

fn bare_phase(name: &str, volume_m3: f64, noise: Option<NoiseChoice>) -> Phase {
    let mut acoustics = Acoustics::defaults(volume_m3);
    if let Some(NoiseChoice::Level(v)) = noise {
        acoustics.noise_dba = Param {
            value: v,
            source: ParamSource::Scene,
        };
    }
    Phase {
        name: name.to_string(),
        from_min: None,
        to_min: None,
        mobility: Mobility::Mingling,
        acoustics,
        crowd: None,
    }
}
