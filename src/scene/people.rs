//! The seating CSV: who was where, in which phase, and when.
//!
//! Accepts what spreadsheets export: a UTF-8 byte-order mark, CRLF line ends, and `;` as the
//! separator with decimal commas. Columns are matched case-insensitively.

use super::text::{parse_number, quote};
use super::time::parse_clock;
use super::{
    Acoustics, Attendee, Diagnostic, Limits, LoadOptions, Mobility, NoiseChoice, Param,
    ParamSource, Phase, Placement, Presence, Scene, SceneError, Seat, Spread, Venue,
};
use crate::physics::geometry::{Bounds, Point, point_in_polygon};
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
    let bytes = read_bytes(path, meta.len())
        .map_err(|e| Diagnostic::file(path, format!("cannot read: {e}")))?;
    decode_text(path, bytes)
}

/// The bytes of a file of about `len` bytes: a large file in parts of 4 MB, read on every
/// core (the copying and the pages it fills take most of the time), then whatever was written
/// since, as `std::fs::read` reads it.
fn read_bytes(path: &Path, len: u64) -> std::io::Result<Vec<u8>> {
    const PART: usize = 4 << 20;
    #[cfg(unix)]
    if let Ok(len) = usize::try_from(len)
        && len >= 2 * PART
    {
        use rayon::prelude::*;
        use std::io::Read;
        use std::os::unix::fs::FileExt;
        let mut file = std::fs::File::open(path)?;
        let mut bytes = vec![0u8; len];
        bytes
            .par_chunks_mut(PART)
            .enumerate()
            .try_for_each(|(k, part)| file.read_exact_at(part, (k * PART) as u64))?;
        std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(len as u64))?;
        file.read_to_end(&mut bytes)?;
        return Ok(bytes);
    }
    let _ = len;
    std::fs::read(path)
}

/// Turns a file's bytes into text: refuses binary files and invalid UTF-8 with the line and
/// column, and drops a UTF-8 byte-order mark.
pub(super) fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Diagnostic> {
    if let Some(nul) = bytes.iter().take(8192).position(|&b| b == 0) {
        let line = line_ends(&bytes, 0, nul) as u64 + 1;
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
            let line = line_ends(bytes, 0, at) as u64 + 1;
            let col = at
                - bytes[..at]
                    .iter()
                    .rposition(|&b| b == b'\n' || b == b'\r')
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
    pub bearing: Option<usize>,
    pub pos_sd: Option<usize>,
    /// A column that is probably a misspelt `seat` (`seet`, `Seat #`), when there is no `seat`.
    pub misspelt_seat: Option<usize>,
}

/// A CSV whose header is read and whose data rows are marked out in blocks of whole lines, to
/// be read (a block per thread) by [`build_attendees`].
pub(super) struct PeopleTable {
    pub cols: Columns,
    pub decimal_comma: bool,
    /// Columns that earshot does not read (a misspelt `facing`, say).
    pub warnings: Vec<Diagnostic>,
    /// The file's text.
    text: String,
    delimiter: u8,
    /// The data rows, after the header.
    blocks: Vec<Block>,
    limits: Limits,
    /// Whether quote-free blocks are split at their separators and the plainest rows read
    /// by [`simple_row`] (tests compare with the general path).
    fast: bool,
}

/// A run of whole lines of a CSV's data rows.
#[derive(Debug, Clone, Copy)]
struct Block {
    /// Where it starts and ends in the text.
    start: usize,
    end: usize,
    /// The line it starts on.
    first_line: u64,
    /// How many line ends it holds: it has at most one record more.
    line_ends: usize,
}

impl PeopleTable {
    /// Field `col` of a row, trimmed, if it is given and not empty.
    fn get<'a>(&self, row: Fields<'a>, col: Option<usize>) -> Option<&'a str> {
        col.and_then(|c| row.get(c))
            .map(trim)
            .filter(|s| !s.is_empty())
    }
}

/// `str::trim`, without its Unicode tables when both ends are visible ASCII (nearly every
/// field: no whitespace, ASCII or not, starts with such a byte).
fn trim(s: &str) -> &str {
    let visible = |b: Option<&u8>| b.is_some_and(|&b| b > b' ' && b < 0x7f);
    if visible(s.as_bytes().first()) && visible(s.as_bytes().last()) {
        s
    } else {
        s.trim()
    }
}

/// Reads the CSV's header and marks out its data rows in blocks (checking the header; the rows
/// are read by [`build_attendees`]).
pub(super) fn parse_table(
    path: &Path,
    text: String,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<PeopleTable> {
    parse_table_in_blocks(path, text, limits, BLOCK_BYTES, diags)
}

/// [`parse_table`], with blocks of about `block_bytes` each.
fn parse_table_in_blocks(
    path: &Path,
    text: String,
    limits: &Limits,
    block_bytes: usize,
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
    let delimiter = sniff_delimiter(text.lines().next().unwrap_or(""));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut first = csv::StringRecord::new();
    let header = match reader.read_record(&mut first) {
        Ok(true) => Some(Ok(first)),
        Ok(false) => None,
        Err(e) => Some(Err(e)),
    };
    let headers = read_header(path, header, limits, diags)?;
    let cols = find_columns(path, &headers, diags)?;
    let warnings = unknown_columns(path, &headers);
    check_position_columns(path, &cols, diags);
    // the data rows: from the line after the header
    let start = (reader.position().byte() as usize).min(text.len());
    let first_line = 1 + line_ends(text.as_bytes(), 0, start) as u64;
    let blocks = mark_blocks(text.as_bytes(), start, first_line, delimiter, block_bytes);
    Some(PeopleTable {
        cols,
        decimal_comma: delimiter != b',',
        warnings,
        text,
        delimiter,
        blocks,
        limits: *limits,
        fast: true,
    })
}

/// Bytes of a block of lines that one thread reads.
const BLOCK_BYTES: usize = 1 << 18;

/// The data rows `text[start..]` (on line `first_line` on), in blocks of whole records of
/// about `block_bytes`.
fn mark_blocks(
    text: &[u8],
    start: usize,
    first_line: u64,
    delimiter: u8,
    block_bytes: usize,
) -> Vec<Block> {
    use rayon::prelude::*;
    let body = &text[start..];
    let spans = record_spans(body, delimiter, block_bytes);
    let counts: Vec<usize> = spans
        .par_iter()
        .map(|&(a, b)| line_ends(body, a, b))
        .collect();
    let mut line = first_line;
    spans
        .iter()
        .zip(counts)
        .map(|(&(a, b), line_ends)| {
            let block = Block {
                start: start + a,
                end: start + b,
                first_line: line,
                line_ends,
            };
            line += line_ends as u64;
            block
        })
        .collect()
}

/// Blocks of whole records of about `block_bytes`, ending at line feeds outside quoted
/// fields. The quotes are followed as the CSV reader follows them (a quote opens a quoted
/// field only at the start of a field; inside one, two quotes are a quote and one ends it),
/// so a block never starts inside a field that spans lines. Between quotes the search jumps
/// to the first line feed where a block may end: a file without quotes costs one search a
/// block.
fn record_spans(body: &[u8], delimiter: u8, block_bytes: usize) -> Vec<(usize, usize)> {
    let mut spans = Vec::new();
    let (mut from, mut i) = (0, 0);
    // outside quoted fields from `i`: the next quote, and the line feed that could end the
    // block (each found once, and again only once passed)
    let find = |byte: u8, at: usize| memchr::memchr(byte, body.get(at..)?).map(|k| at + k);
    let (mut quote, mut feed) = (find(b'"', 0), None::<usize>);
    loop {
        let want = (from + block_bytes).max(i + 1) - 1;
        if feed.is_none_or(|f| f < want) {
            feed = find(b'\n', want);
        }
        if quote.is_some_and(|q| q < i) {
            quote = find(b'"', i);
        }
        match (feed, quote) {
            (Some(f), q) if q.is_none_or(|q| f < q) => {
                spans.push((from, f + 1));
                (from, i) = (f + 1, f + 1);
            }
            (_, Some(q)) => {
                i = q + 1;
                // a quote opens a quoted field at the start of a field; elsewhere it is a
                // character
                let field_start =
                    q == 0 || matches!(body[q - 1], b'\n' | b'\r') || body[q - 1] == delimiter;
                if field_start {
                    i = end_of_quoted(body, i);
                }
            }
            (_, None) => break,
        }
    }
    if from < body.len() || spans.is_empty() {
        spans.push((from, body.len()));
    }
    spans
}

/// Where a quoted field whose text starts at `i` ends: after its closing quote (not one of
/// two, which stand for a quote), or at the end of the text.
fn end_of_quoted(body: &[u8], mut i: usize) -> usize {
    while let Some(k) = memchr::memchr(b'"', &body[i..]) {
        if body.get(i + k + 1) != Some(&b'"') {
            return i + k + 1;
        }
        i += k + 2;
    }
    body.len()
}

/// The separator the header row uses most: tab, semicolon (then decimals take commas) or
/// comma.
fn sniff_delimiter(first_line: &str) -> u8 {
    let (semi, comma, tab) = (
        first_line.matches(';').count(),
        first_line.matches(',').count(),
        first_line.matches('\t').count(),
    );
    if tab > semi.max(comma) {
        b'\t'
    } else if semi > comma {
        b';'
    } else {
        b','
    }
}

/// The header's column names, trimmed and lower-case; reports a missing or unreadable header
/// and a name over the field limit.
fn read_header(
    path: &Path,
    first: Option<csv::Result<csv::StringRecord>>,
    limits: &Limits,
    diags: &mut Vec<Diagnostic>,
) -> Option<Vec<String>> {
    let header = match first {
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
    Some(headers)
}

/// Where each column earshot reads sits; `None` (after reporting) without a `name` column.
fn find_columns(path: &Path, headers: &[String], diags: &mut Vec<Diagnostic>) -> Option<Columns> {
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
    Some(Columns {
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
        bearing: find(&["bearing"]),
        pos_sd: find(&["pos_sd_m"]),
        misspelt_seat: find(&["seat"]).map_or_else(
            || {
                headers
                    .iter()
                    .position(|h| h != "seat" && likely_column(h, &["seat"]).is_some())
            },
            |_| None,
        ),
        headers: headers.to_vec(),
    })
}

/// A warning for each column earshot does not read (a misspelt `facing` would otherwise
/// silently become "facing unknown").
fn unknown_columns(path: &Path, headers: &[String]) -> Vec<Diagnostic> {
    const KNOWN: [&str; 21] = [
        "bearing",
        "pos_sd_m",
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
        "note",
        "notes",
    ];
    headers
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.is_empty() && !KNOWN.contains(&h.as_str()))
        .map(|(i, h)| {
            let msg = match likely_column(h, &KNOWN) {
                Some(k) => format!(
                    "unknown column {}: did you mean `{k}`? It is ignored as it is",
                    quote(h)
                ),
                None => format!(
                    "column {} is not one earshot reads, so it is ignored (earshot reads name, id, seat, x, y, pos_sd_m, facing, bearing, phase, arrived, left, presence, role, group, note)",
                    quote(h)
                ),
            };
            Diagnostic::at(path, 1, i as u64 + 1, msg)
        })
        .collect()
}

/// The column a header probably meant: one typing mistake away (`seet`), or the same once
/// punctuation and spaces are dropped (`Seat #`, `x (m)`).
fn likely_column(header: &str, known: &[&'static str]) -> Option<&'static str> {
    let letters: String = header
        .chars()
        .take_while(|c| *c != '(')
        .filter(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    known
        .iter()
        .copied()
        .find(|k| *k == letters || (k.len() >= 3 && super::text::edit_distance(&letters, k) <= 1))
}

/// When a comma-separated row has too many fields because a number was written with a
/// decimal comma (`12,5`), says so.
fn decimal_comma_hint(rec: Fields, expected: usize) -> String {
    if rec.len() <= expected {
        return String::new();
    }
    let digits = |s: &str| !s.trim().is_empty() && s.trim().chars().all(|c| c.is_ascii_digit());
    let fields: Vec<&str> = rec.iter().collect();
    fields
        .windows(2)
        .find(|w| digits(w[0]) && digits(w[1]))
        .map(|w| {
            format!(
                ": `{},{}` looks like a number with a decimal comma; separate the fields with `;` (then decimal commas are read), or write {}.{}",
                w[0].trim(),
                w[1].trim(),
                w[0].trim(),
                w[1].trim()
            )
        })
        .unwrap_or_default()
}

/// Positions need `x` and `y` together, or `seat`.
fn check_position_columns(path: &Path, cols: &Columns, diags: &mut Vec<Diagnostic>) {
    match (cols.x, cols.y) {
        (Some(_), None) => diags.push(Diagnostic::line(path, 1, "column `x` without `y`: expected both x and y")),
        (None, Some(_)) => diags.push(Diagnostic::line(path, 1, "column `y` without `x`: expected both x and y")),
        (None, None) if cols.seat.is_none() => diags.push(Diagnostic::line(
            path,
            1,
            format!(
                "no position columns: expected `x` and `y`, or `seat` with a scene.toml that defines the seats{}",
                cols.headers
                    .iter()
                    .find_map(|h| likely_column(h, &["seat", "x", "y"]).map(|k| format!(" (is {} meant to be `{k}`?)", quote(h))))
                    .unwrap_or_default()
            ),
        )),
        // x and y are there, but `seat` is misspelt: say so once, at its column
        (Some(_), Some(_)) if cols.seat.is_none() => {
            if let Some(i) = cols.misspelt_seat {
                diags.push(Diagnostic::at(
                    path,
                    1,
                    i as u64 + 1,
                    format!(
                        "unknown column {}: did you mean `seat`? (rows without x and y have no position until it is renamed)",
                        quote(&cols.headers[i])
                    ),
                ));
            }
        }
        _ => {}
    }
}

/// Whether text can be split into records at its line feeds and into fields at the separator:
/// it holds no quotes, and its carriage returns all end a line before a line feed.
fn plain(text: &[u8]) -> bool {
    memchr::memchr(b'"', text).is_none()
        && memchr::memchr_iter(b'\r', text).all(|i| text.get(i + 1) == Some(&b'\n'))
}

/// The line ends in `text[from..to]`: line feeds, and carriage returns not followed by one
/// (a spreadsheet on an old Mac ends lines with those alone).
fn line_ends(text: &[u8], from: usize, to: usize) -> usize {
    let feeds = memchr::memchr_iter(b'\n', &text[from..to]).count();
    if memchr::memchr(b'\r', &text[from..to]).is_none() {
        return feeds;
    }
    let returns = (from..to)
        .filter(|&i| text[i] == b'\r' && text.get(i + 1) != Some(&b'\n'))
        .count();
    feeds + returns
}

/// The line of a byte in a block of text, for byte offsets that only grow. (The CSV reader's
/// own line count leaves out blank lines.)
struct LineCounter<'a> {
    text: &'a [u8],
    /// Bytes counted so far, and the line at the end of them.
    counted: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    /// Counting from the start of `text`, which is on line `first_line`.
    fn new(text: &'a [u8], first_line: u64) -> Self {
        LineCounter {
            text,
            counted: 0,
            line: first_line,
        }
    }

    /// The line of the record that the reader says starts at byte `byte`: the reader's start
    /// is before any blank lines it skipped, so those are passed over.
    fn at(&mut self, byte: u64) -> u64 {
        let mut to = (byte as usize).clamp(self.counted, self.text.len());
        while to < self.text.len() && matches!(self.text[to], b'\n' | b'\r') {
            to += 1;
        }
        self.line += line_ends(self.text, self.counted, to) as u64;
        self.counted = to;
        self.line
    }
}

/// A record's fields, as the CSV reader gives them or split from a line without quotes.
#[derive(Clone, Copy)]
enum Fields<'r> {
    Csv(&'r csv::StringRecord),
    Split(&'r [&'r str]),
}

impl<'r> Fields<'r> {
    fn get(self, i: usize) -> Option<&'r str> {
        match self {
            Fields::Csv(rec) => rec.get(i),
            Fields::Split(fields) => fields.get(i).copied(),
        }
    }

    fn len(self) -> usize {
        match self {
            Fields::Csv(rec) => rec.len(),
            Fields::Split(fields) => fields.len(),
        }
    }

    fn iter(self) -> impl Iterator<Item = &'r str> {
        let (csv, split) = match self {
            Fields::Csv(rec) => (Some(rec.iter()), None),
            Fields::Split(fields) => (None, Some(fields.iter().copied())),
        };
        csv.into_iter().flatten().chain(split.into_iter().flatten())
    }
}

/// One CSV record, as [`PeopleTable::each_row`] found it.
enum Record<'r> {
    /// A row with as many fields as the header, none too long.
    Row(u64, Fields<'r>),
    /// A row that is reported (or unreadable).
    Bad(u64),
}

impl PeopleTable {
    /// Reads one block's records, skipping blank lines and reporting rows with the wrong
    /// number of fields or an over-long field (to `diags`), and calls `f` with each.
    fn each_row(
        &self,
        path: &Path,
        block: &Block,
        diags: &mut Vec<Diagnostic>,
        f: impl FnMut(Record),
    ) {
        // blocks start after a line end, so on a character boundary
        let text = self.text.get(block.start..block.end).unwrap_or("");
        if self.fast && plain(text.as_bytes()) {
            self.each_plain_row(path, text, block.first_line, diags, f);
        } else {
            self.each_csv_row(path, text, block.first_line, diags, f);
        }
    }

    /// [`PeopleTable::each_row`] for text without quotes or lone carriage returns: its lines
    /// are its records, and its fields lie between the separators, as the CSV reader finds
    /// them (blank lines too are skipped), only faster.
    fn each_plain_row(
        &self,
        path: &Path,
        text: &str,
        first_line: u64,
        diags: &mut Vec<Diagnostic>,
        mut f: impl FnMut(Record),
    ) {
        let bytes = text.as_bytes();
        let mut fields: Vec<&str> = Vec::with_capacity(self.cols.headers.len() + 1);
        let mut line = first_line;
        // every separator and line feed, found in one pass
        let mut start = 0;
        for i in memchr::memchr2_iter(self.delimiter, b'\n', bytes) {
            if bytes[i] == b'\n' {
                // the line's last field, without the carriage return of CRLF
                let end = if i > start && bytes[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                fields.push(&text[start..end]);
                if let Some(r) = self.check_fields(path, line, Fields::Split(&fields), diags) {
                    f(r);
                }
                fields.clear();
                line += 1;
            } else {
                fields.push(&text[start..i]);
            }
            start = i + 1;
        }
        // a last line without an end
        if start < text.len() || !fields.is_empty() {
            fields.push(&text[start..]);
            if let Some(r) = self.check_fields(path, line, Fields::Split(&fields), diags) {
                f(r);
            }
        }
    }

    /// [`PeopleTable::each_row`] through the CSV reader.
    fn each_csv_row(
        &self,
        path: &Path,
        text: &str,
        first_line: u64,
        diags: &mut Vec<Diagnostic>,
        mut f: impl FnMut(Record),
    ) {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(self.delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(text.as_bytes());
        let mut lines = LineCounter::new(text.as_bytes(), first_line);
        let mut rec = csv::StringRecord::new();
        loop {
            match reader.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = e.position().map_or(0, |p| lines.at(p.byte()));
                    diags.push(Diagnostic::line(
                        path,
                        line,
                        format!("cannot read this row: {e}"),
                    ));
                    f(Record::Bad(line));
                    continue;
                }
            }
            let line = rec.position().map_or(0, |p| lines.at(p.byte()));
            if let Some(r) = self.check_fields(path, line, Fields::Csv(&rec), diags) {
                f(r);
            }
        }
    }

    /// A record as a row to read, or `Bad` after reporting the wrong number of fields or an
    /// over-long one; `None` for a blank line.
    fn check_fields<'r>(
        &self,
        path: &Path,
        line: u64,
        rec: Fields<'r>,
        diags: &mut Vec<Diagnostic>,
    ) -> Option<Record<'r>> {
        let headers = &self.cols.headers;
        let max_field = self.limits.max_field_bytes;
        if rec.iter().all(|f| f.trim().is_empty()) {
            return None; // blank line
        }
        if rec.len() != headers.len() {
            diags.push(Diagnostic::line(
                path,
                line,
                format!(
                    "expected {} fields as in the header, found {}{}",
                    headers.len(),
                    rec.len(),
                    decimal_comma_hint(rec, headers.len())
                ),
            ));
            return Some(Record::Bad(line));
        }
        if let Some((i, field)) = rec.iter().enumerate().find(|(_, f)| f.len() > max_field) {
            diags.push(Diagnostic::field(
                path,
                line,
                i,
                &headers[i],
                format!(
                    "field is {} bytes long, more than the limit of {max_field}",
                    field.len(),
                ),
            ));
            return Some(Record::Bad(line));
        }
        Some(Record::Row(line, rec))
    }

    /// Room for each block's attendees: its line ends, and one more for a last line without
    /// an end (at the end of the file) or, when those could
    /// add up to more than the row limit (blank lines, say), its good rows, counted; `Err`
    /// with the line of the first record past the limit.
    fn rooms(&self, path: &Path) -> Result<Vec<usize>, u64> {
        use rayon::prelude::*;
        let rooms: Vec<usize> = self
            .blocks
            .iter()
            .map(|b| {
                let text = &self.text.as_bytes()[b.start..b.end];
                let open = !text.is_empty() && !text.ends_with(b"\n") && !text.ends_with(b"\r");
                b.line_ends + usize::from(open)
            })
            .collect();
        let max = self.limits.max_rows;
        if rooms.iter().sum::<usize>() <= max {
            return Ok(rooms);
        }
        let good: Vec<usize> = self
            .blocks
            .par_iter()
            .map(|block| {
                let mut good = 0;
                self.each_row(path, block, &mut Vec::new(), |r| {
                    good += usize::from(matches!(r, Record::Row(..)));
                });
                good
            })
            .collect();
        // from the block where the good rows reach the limit, the first record after them
        let mut before = 0usize;
        for (k, &n) in good.iter().enumerate() {
            if before + n >= max {
                if let Some(line) = self.past_the_limit(path, k, before) {
                    return Err(line);
                }
                break;
            }
            before += n;
        }
        Ok(good)
    }

    /// The line of the first record (good or not) once the good rows reach the limit,
    /// reading from block `from` with `rows` good rows before it.
    fn past_the_limit(&self, path: &Path, from: usize, mut rows: usize) -> Option<u64> {
        let mut past = None;
        for block in &self.blocks[from..] {
            self.each_row(path, block, &mut Vec::new(), |r| {
                let (Record::Row(line, _) | Record::Bad(line)) = r;
                if rows >= self.limits.max_rows {
                    past = past.or(Some(line));
                } else if matches!(r, Record::Row(..)) {
                    rows += 1;
                }
            });
            if past.is_some() {
                break;
            }
        }
        past
    }
}

/// What rows are resolved against.
pub(super) struct Context<'a> {
    pub seats: &'a [Seat],
    pub phases: &'a [Phase],
    pub venue: Option<&'a Venue>,
    pub units_m: f64,
    /// Some seat blocks or tables were refused (and reported): an unknown seat label may be
    /// one of theirs, so it is not reported again.
    pub seats_incomplete: bool,
}

/// Turns rows into attendees, checking seats, phases, windows, duplicates and positions, and
/// finds the rectangle around the rows' positions (before any seat set is narrowed). The
/// blocks are read in parallel, each straight into its place in the list.
pub(super) fn build_attendees(
    path: &Path,
    table: &PeopleTable,
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) -> (Vec<Attendee>, Bounds) {
    use rayon::prelude::*;
    let seat_index: HashMap<String, usize> = ctx
        .seats
        .iter()
        .enumerate()
        .map(|(i, s)| (s.label.to_lowercase(), i))
        .collect();
    // a place for each attendee, in the order of the rows
    let rooms = match table.rooms(path) {
        Ok(rooms) => rooms,
        Err(line) => {
            // as if reading had stopped there
            let mut found = Vec::new();
            for block in &table.blocks {
                table.each_row(path, block, &mut found, |_| {});
            }
            diags.extend(found.into_iter().filter(|d| d.line < Some(line)));
            diags.push(Diagnostic::line(
                path,
                line,
                format!(
                    "more than {} rows: the limit on attendees",
                    table.limits.max_rows
                ),
            ));
            return (Vec::new(), Bounds::default());
        }
    };
    let room = rooms.iter().sum();
    // a place for each attendee, to be overwritten (the places left are taken out after)
    let mut places: Vec<Attendee> = Vec::with_capacity(room);
    places.par_extend((0..room).into_par_iter().map(|_| Attendee::hole()));
    let mut parts: Vec<&mut [Attendee]> = Vec::with_capacity(table.blocks.len());
    let mut rest = places.as_mut_slice();
    for &n in &rooms {
        let (part, more) = rest.split_at_mut(n.min(rest.len()));
        parts.push(part);
        rest = more;
    }
    super::laps::lap("places");
    let read: Vec<BlockRead> = table
        .blocks
        .par_iter()
        .zip(parts.into_par_iter())
        .map(|(block, part)| read_block(path, table, ctx, &seat_index, block, part))
        .collect();
    super::laps::lap("rows");
    let mut rows = 0;
    let mut seat_and_xy: Vec<u64> = Vec::new();
    let mut more: Vec<Attendee> = Vec::new();
    let mut bounds = Bounds::default();
    // each attendee's key for merging, in the order of the list (the places taken, then
    // those beyond them): the upper half of its name's hash, and its place in the list
    let placed: usize = read.iter().map(|r| r.placed).sum();
    let mut keys: Vec<u64> = Vec::with_capacity(placed);
    let mut more_keys: Vec<u64> = Vec::new();
    let key = |hash: u64, i: usize| (hash & !MERGE_ROW) | i as u64;
    for r in read {
        rows += r.rows;
        diags.extend(r.diags);
        seat_and_xy.extend(r.seat_and_xy);
        let (first, last) = (keys.len(), placed + more.len());
        keys.extend(
            r.hashes[..r.placed]
                .iter()
                .enumerate()
                .map(|(j, &h)| key(h, first + j)),
        );
        more_keys.extend(
            r.hashes[r.placed..]
                .iter()
                .enumerate()
                .map(|(j, &h)| key(h, last + j)),
        );
        more.extend(r.more);
        bounds = bounds.join(r.bounds);
    }
    keys.extend(more_keys);
    if rows == 0 && diags.is_empty() {
        diags.push(Diagnostic::line(
            path,
            1,
            "a header but no rows: expected one row per attendee",
        ));
    }
    // the places left (blank lines, bad rows) go; rooms are counted closely, so a file
    // without those has none
    let mut attendees = places;
    if placed < attendees.len() {
        attendees.retain(|a| !a.is_hole());
    }
    attendees.extend(more);
    super::laps::lap("compact");
    let attendees = merge_same_people(path, attendees, keys, ctx, diags);
    super::laps::lap("merge_rows");
    if let Some(&first) = seat_and_xy.first() {
        warnings.push(Diagnostic::line(
            path,
            first,
            format!(
                "{} both a seat and x,y: the seat's position is used and x,y are ignored (leave one of them empty)",
                if seat_and_xy.len() == 1 {
                    "this row gives".to_string()
                } else {
                    format!("{} rows (this the first) give", seat_and_xy.len())
                }
            ),
        ));
    }
    let mut attendees = attendees;
    // (without seats nobody can take one: a million people need not be looked at again)
    if !ctx.seats.is_empty() {
        check_seat_sharing(path, &attendees, ctx, diags);
        drop_taken_candidates(path, &mut attendees, ctx, diags, warnings);
    }
    (attendees, bounds)
}

/// One block's rows, read.
#[derive(Default)]
struct BlockRead {
    /// Rows with the right fields.
    rows: usize,
    diags: Vec<Diagnostic>,
    /// Lines that give both a seat and x,y.
    seat_and_xy: Vec<u64>,
    /// Attendees beyond the block's places (none: a block has at most one record more than
    /// line ends).
    more: Vec<Attendee>,
    /// The attendees put in the block's places (the rest are in `more`).
    placed: usize,
    /// Each attendee's [`key_hash`], in the order read.
    hashes: Vec<u64>,
    /// Where they are.
    bounds: Bounds,
}

/// Each row of a block as an attendee with its one placement, in `places` in order (rows of
/// one person are merged later, by [`merge_same_people`]).
fn read_block(
    path: &Path,
    table: &PeopleTable,
    ctx: &Context,
    seat_index: &HashMap<String, usize>,
    block: &Block,
    places: &mut [Attendee],
) -> BlockRead {
    let mut shared = Shared::default();
    let mut out = BlockRead::default();
    let mut diags = Vec::new();
    let mut next = 0;
    let simple = table.fast && is_simple(&table.cols, ctx);
    table.each_row(path, block, &mut diags, |r| {
        let Record::Row(line, rec) = r else {
            return;
        };
        out.rows += 1;
        // the plainest rows, written straight into their place
        if let Some((name, pos)) = simple
            .then(|| simple_row(rec, &table.cols, ctx.units_m, table.decimal_comma))
            .flatten()
        {
            out.hashes.push(key_hash(name, ""));
            out.bounds.add(pos);
            let placement = Placement::read_at(pos, line);
            match places.get_mut(next) {
                Some(place) => place.fill(name, placement),
                None => out.more.push(Attendee::new(name, placement)),
            }
            next += 1;
            return;
        }
        let row = Row {
            path,
            table,
            ctx,
            record: rec,
            line,
        };
        if row.get(table.cols.seat).is_some()
            && (row.get(table.cols.x).is_some() || row.get(table.cols.y).is_some())
        {
            out.seat_and_xy.push(line);
        }
        // into its place, or beyond the places
        let mut beyond = None;
        let place = match places.get_mut(next) {
            Some(place) => place,
            None => beyond.insert(Attendee::hole()),
        };
        if row
            .read(seat_index, &mut shared, &mut out.diags, place)
            .is_some()
        {
            out.hashes
                .push(key_hash(&place.name, place.id().unwrap_or("")));
            for p in &place.placements {
                out.bounds.add(p.pos);
            }
            out.more.extend(beyond);
            next += 1;
        }
    });
    out.diags.extend(diags);
    out.placed = next.min(places.len());
    out
}

/// Whether the rows give nothing but a name and x and y (and columns earshot does not read),
/// with no venue to check them against: the plainest file, each of whose rows
/// [`simple_row`] may read.
fn is_simple(c: &Columns, ctx: &Context) -> bool {
    let others = [
        c.id, c.seat, c.facing, c.phase, c.arrived, c.left, c.role, c.group, c.note, c.presence,
        c.bearing, c.pos_sd,
    ];
    ctx.venue.is_none() && c.x.is_some() && c.y.is_some() && others.iter().all(Option::is_none)
}

/// A row of the plainest file ([`is_simple`]), when its name is given and its x and y are
/// plain decimals (`12.5`): the name and position, of which [`Row::read`] makes a confirmed
/// attendee with one placement, for every phase, at that position ([`Placement::read_at`]).
/// `None` leaves the row to [`Row::read`], which reports what is wrong with it.
fn simple_row<'r>(
    rec: Fields<'r>,
    c: &Columns,
    units_m: f64,
    decimal_comma: bool,
) -> Option<(&'r str, Point)> {
    let field = |col: Option<usize>| col.and_then(|i| rec.get(i)).map(trim);
    let name = field(Some(c.name)).filter(|n| !n.is_empty())?;
    let x = super::text::plain_decimal(field(c.x)?.as_bytes(), decimal_comma)?;
    let y = super::text::plain_decimal(field(c.y)?.as_bytes(), decimal_comma)?;
    Some((name, Point::new(x * units_m, y * units_m)))
}

/// Takes out of each seat set the seats that someone else certainly holds in that phase (at
/// overlapping times): the reports allow only the free ones. Says so once per set; a set left
/// empty is an error.
fn drop_taken_candidates(
    path: &Path,
    attendees: &mut [Attendee],
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
) {
    for i in 0..attendees.len() {
        for k in 0..attendees[i].placements.len() {
            let pl = &attendees[i].placements[k];
            let Some(Spread::Seats(set)) = pl.spread.as_deref() else {
                continue;
            };
            let phases: Vec<usize> = match pl.phase {
                Some(p) => vec![p as usize],
                None => (0..ctx.phases.len()).collect(),
            };
            let taken = |s: usize| {
                attendees.iter().enumerate().any(|(j, other)| {
                    j != i
                        && phases.iter().any(|&ph| {
                            other.placement_in(ph).is_some_and(|q| {
                                q.spread.is_none()
                                    && q.seat_index() == Some(s)
                                    && windows_overlap(pl, q)
                            })
                        })
                })
            };
            let (free, held): (Vec<usize>, Vec<usize>) = set.iter().partition(|&&s| !taken(s));
            if held.is_empty() {
                continue;
            }
            let line = pl.line;
            let name = quote(&attendees[i].display_name());
            if free.is_empty() {
                diags.push(Diagnostic::line(
                    path,
                    line,
                    format!("every seat in {name}'s seat set is taken by someone else: expected at least one free seat"),
                ));
                continue;
            }
            let labels: Vec<&str> = held.iter().map(|&s| ctx.seats[s].label.as_str()).collect();
            warnings.push(Diagnostic::line(
                path,
                line,
                format!(
                    "{} of {}'s {} candidate seats are taken by others and left out ({})",
                    held.len(),
                    name,
                    set.len(),
                    labels.join(", ")
                ),
            ));
            let centre = most_central(&free, ctx.seats);
            let pl = &mut attendees[i].placements[k];
            if pl
                .seat_index()
                .is_some_and(|n| pl.facing_deg == Some(ctx.seats[n].facing_deg))
            {
                pl.facing_deg = Some(ctx.seats[centre].facing_deg);
            }
            pl.pos = ctx.seats[centre].pos;
            pl.seat = Some(centre as u32);
            pl.spread = Some(Box::new(Spread::Seats(free)));
        }
    }
}

/// The bearing of a compass point (`N`, `NE`, `ENE`, … or `north`, `south-east`), degrees
/// clockwise from north.
fn compass_bearing(s: &str) -> Option<f64> {
    // a number is never a compass point (`1e3` is not east), nearly every facing is one, and
    // only ASCII letters fold to the compass's n, e, s and w
    if s.bytes().any(|b| b.is_ascii_digit()) || !s.bytes().any(|b| b.is_ascii_alphabetic()) {
        return None;
    }
    const POINTS: [&str; 16] = [
        "n", "nne", "ne", "ene", "e", "ese", "se", "sse", "s", "ssw", "sw", "wsw", "w", "wnw",
        "nw", "nnw",
    ];
    let t: String = s
        .trim()
        .to_lowercase()
        .replace("north", "n")
        .replace("south", "s")
        .replace("east", "e")
        .replace("west", "w")
        .chars()
        .filter(|c| c.is_alphabetic())
        .collect();
    POINTS.iter().position(|p| *p == t).map(|k| k as f64 * 22.5)
}

/// The columns whose texts are shared: role and group.
const SHARED_COLUMNS: usize = 2;

/// Each distinct role or group text, and each distinct set of details without an id or a
/// note, stored once.
#[derive(Default)]
struct Shared {
    texts: HashMap<Box<str>, std::sync::Arc<str>>,
    details: HashMap<SharedKey, std::sync::Arc<super::Details>>,
    /// The text found last in each shared column (role, group), and the details found last.
    last_text: [Option<std::sync::Arc<str>>; SHARED_COLUMNS],
    last_details: Option<(SharedKey, std::sync::Arc<super::Details>)>,
}

/// Role, group and the bits of the presence probability.
type SharedKey = (
    Option<std::sync::Arc<str>>,
    Option<std::sync::Arc<str>>,
    Option<u64>,
);

impl Shared {
    /// The shared copy of `text` (of column `column`, one of [`SHARED_COLUMNS`]), if any is
    /// given.
    fn get(&mut self, column: usize, text: Option<&str>) -> Option<std::sync::Arc<str>> {
        let text = text.filter(|t| !t.is_empty())?;
        // rows of one group or role often come together: each column's last text
        if let Some(t) = self.last_text[column].as_ref().filter(|l| ***l == *text) {
            return Some(t.clone());
        }
        let t = self.shared_text(text);
        self.last_text[column] = Some(t.clone());
        Some(t)
    }

    fn shared_text(&mut self, text: &str) -> std::sync::Arc<str> {
        if let Some(t) = self.texts.get(text) {
            return t.clone();
        }
        let t: std::sync::Arc<str> = std::sync::Arc::from(text);
        self.texts.insert(Box::from(text), t.clone());
        t
    }

    /// The details, shared with every earlier row that has the same (when there is no id
    /// or note, which tell a person apart).
    fn details(&mut self, d: super::Details) -> std::sync::Arc<super::Details> {
        if d.id.is_some() || !d.note.is_empty() {
            return std::sync::Arc::new(d);
        }
        let key = (
            d.role.clone(),
            d.group.clone(),
            d.presence_probability.map(f64::to_bits),
        );
        // (the same as the last row's, often)
        if let Some((_, last)) = self.last_details.as_ref().filter(|(k, _)| *k == key) {
            return last.clone();
        }
        let shared = self
            .details
            .entry(key.clone())
            .or_insert_with(|| std::sync::Arc::new(d))
            .clone();
        self.last_details = Some((key, shared.clone()));
        shared
    }
}

/// One data row of the people CSV, read against the scene.
struct Row<'a> {
    path: &'a Path,
    table: &'a PeopleTable,
    ctx: &'a Context<'a>,
    record: Fields<'a>,
    line: u64,
}

impl<'a> Row<'a> {
    fn get(&self, col: Option<usize>) -> Option<&'a str> {
        self.table.get(self.record, col)
    }

    /// Reports a problem in column `col` of this row.
    fn err(&self, diags: &mut Vec<Diagnostic>, col: usize, msg: String) {
        let header = &self.table.cols.headers[col];
        diags.push(Diagnostic::field(self.path, self.line, col, header, msg));
    }

    /// Makes `place` the row's attendee, with its one placement; `None` (and `place` left as
    /// it was) when a problem was reported.
    fn read(
        &self,
        seat_index: &HashMap<String, usize>,
        shared: &mut Shared,
        diags: &mut Vec<Diagnostic>,
        place: &mut Attendee,
    ) -> Option<()> {
        let c = &self.table.cols;
        let Some(name) = self.get(Some(c.name)) else {
            self.err(
                diags,
                c.name,
                "expected a name, found an empty field".into(),
            );
            return None;
        };
        let (phase, mut ok) = match self.phase(diags) {
            Ok(p) => (p, true),
            Err(()) => (None, false),
        };
        let (x, y, facing, sd) = (
            self.number(diags, c.x),
            self.number(diags, c.y),
            self.facing(diags),
            self.spread_m(diags),
        );
        let (Ok(x), Ok(y), Ok((facing, facing_range_deg)), Ok(sd)) = (x, y, facing, sd) else {
            return None;
        };
        // every problem of the row is reported, so the times are read even without a position
        let position = self.position(diags, seat_index, x, y);
        let window = self.window(diags);
        let ((pos, seat, seats), (arrived, left, window_ok)) = (position?, window?);
        let facing_deg = facing.or(seat.map(|s| self.ctx.seats[s].facing_deg));
        ok &= window_ok;
        let spread = match (seats, sd) {
            (Some(_), Some(_)) => {
                self.err(
                    diags,
                    c.pos_sd.unwrap_or(0),
                    "give either several seats or pos_sd_m, not both".into(),
                );
                ok = false;
                None
            }
            (Some(seats), None) => Some(Spread::Seats(seats)),
            (None, Some(sd_m)) => Some(Spread::Normal { sd_m }),
            (None, None) => None,
        };
        let (presence, presence_probability) = match self.presence(diags) {
            Ok(p) => p,
            Err(()) => {
                ok = false;
                (Presence::Confirmed, None)
            }
        };
        if let Some(v) = self.ctx.venue {
            ok &= self.check_standing(diags, name, pos, v);
        }
        if !ok {
            return None;
        }
        // a scene's phases and seats number far fewer than 2³² (its rows are limited)
        let mut placement = Placement {
            phase: phase.map(|p| p as u32),
            pos,
            facing_deg,
            seat: seat.map(|s| s as u32),
            spread: spread.map(Box::new),
            facing_range_deg: facing_range_deg.map(Box::new),
            window: None,
            line: self.line,
        };
        placement.set_window(arrived, left);
        let details = super::Details {
            id: self.get(c.id).map(Box::from),
            role: shared.get(0, self.get(c.role)),
            note: Box::from(self.get(c.note).unwrap_or("")),
            group: shared.get(1, self.get(c.group)),
            presence_probability,
        };
        // written in place: an attendee built here and moved there cost as much as reading
        let details = (!details.is_empty()).then(|| shared.details(details));
        place.fill(name, placement);
        place.set_shared_details(details);
        place.presence = presence;
        Some(())
    }

    fn number(&self, diags: &mut Vec<Diagnostic>, col: Option<usize>) -> Result<Option<f64>, ()> {
        match self.get(col) {
            None => Ok(None),
            Some(s) => parse_number(s, self.table.decimal_comma)
                .map(Some)
                .map_err(|m| {
                    if let Some(col) = col {
                        self.err(diags, col, m);
                    }
                }),
        }
    }

    /// The facing, degrees counter-clockwise from +x: from `facing` (degrees, or a compass
    /// point such as `NE`) or `bearing` (degrees clockwise from north), north being the
    /// venue's `north`.
    /// A facing only known to lie in a range, `from..to` (degrees counter-clockwise from
    /// `from` to `to`, or compass points clockwise for `bearing`), comes back as its middle and
    /// the range.
    fn facing(&self, diags: &mut Vec<Diagnostic>) -> Result<(Option<f64>, Option<[f64; 2]>), ()> {
        let c = &self.table.cols;
        let north = self.ctx.venue.map_or(90.0, |v| v.north_deg);
        let from_bearing = |b: f64| (north - b).rem_euclid(360.0);
        for (col, is_bearing) in [(c.facing, false), (c.bearing, true)] {
            let Some(text) = self.get(col) else { continue };
            if let Some((lo, hi)) = text.split_once("..") {
                let end = |t: &str| {
                    compass_bearing(t)
                        .map(from_bearing)
                        .or_else(|| {
                            parse_number(t, self.table.decimal_comma)
                                .ok()
                                .map(|v| if is_bearing { from_bearing(v) } else { v })
                        })
                        .filter(|v| v.is_finite())
                };
                let (Some(a), Some(b)) = (end(lo.trim()), end(hi.trim())) else {
                    self.err(
                        diags,
                        col.unwrap_or(0),
                        format!(
                            "facing range {}: expected two directions such as `45..135` or `N..E`",
                            quote(text)
                        ),
                    );
                    return Err(());
                };
                // counter-clockwise from the first to the second; a bearing turns clockwise
                let (from, to) = if is_bearing || compass_bearing(lo.trim()).is_some() {
                    (b, a)
                } else {
                    (a, b)
                };
                let width = (to - from).rem_euclid(360.0);
                let middle = (from + width / 2.0).rem_euclid(360.0);
                return Ok((Some(middle), Some([from, from + width])));
            }
            if let Some(word) = compass_bearing(text) {
                return Ok((Some(from_bearing(word)), None));
            }
        }
        let facing = self.number(diags, c.facing)?;
        let bearing = self.number(diags, c.bearing)?;
        Ok((facing.or(bearing.map(from_bearing)), None))
    }

    /// `pos_sd_m`: how far, as a standard deviation per axis, the position may be off.
    fn spread_m(&self, diags: &mut Vec<Diagnostic>) -> Result<Option<f64>, ()> {
        let col = self.table.cols.pos_sd;
        match self.number(diags, col)? {
            None => Ok(None),
            Some(v) if v.is_finite() && (0.0..=100.0).contains(&v) => {
                Ok((v > 0.0).then_some(v * self.ctx.units_m))
            }
            Some(v) => {
                self.err(
                    diags,
                    col.unwrap_or(0),
                    format!(
                        "pos_sd_m {v}: expected a spread between 0 and 100 (in the scene's units)"
                    ),
                );
                Err(())
            }
        }
    }

    fn time(&self, diags: &mut Vec<Diagnostic>, col: Option<usize>) -> Result<Option<f64>, ()> {
        match self.get(col) {
            None => Ok(None),
            Some(s) => parse_clock(s)
                .map(Some)
                .map_err(|m| self.err(diags, col.unwrap_or(0), m)),
        }
    }

    /// The row's phase, `None` for every phase; `Err` after reporting an unknown one.
    fn phase(&self, diags: &mut Vec<Diagnostic>) -> Result<Option<usize>, ()> {
        let c = &self.table.cols;
        let Some(p) = self.get(c.phase) else {
            return Ok(None);
        };
        let phases = self.ctx.phases;
        if let Some(i) = phases.iter().position(|ph| ph.name.eq_ignore_ascii_case(p)) {
            return Ok(Some(i));
        }
        let known: Vec<String> = phases.iter().map(|p| p.name.clone()).collect();
        self.err(
            diags,
            c.phase.unwrap_or(0),
            format!(
                "unknown phase {}: expected one of {}",
                quote(p),
                known.join(", ")
            ),
        );
        Err(())
    }

    /// Where the row puts the person, metres, the seat if it names one, and the candidate
    /// seats when it names several (`C5|F5`, `B-L:16`); `None` after reporting an unknown seat
    /// or a missing position.
    #[allow(clippy::type_complexity)]
    fn position(
        &self,
        diags: &mut Vec<Diagnostic>,
        seat_index: &HashMap<String, usize>,
        x: Option<f64>,
        y: Option<f64>,
    ) -> Option<(Point, Option<usize>, Option<Vec<usize>>)> {
        let c = &self.table.cols;
        let ctx = self.ctx;
        if let Some(label) = self.get(c.seat) {
            if let Some(&i) = seat_index.get(&label.to_lowercase()) {
                return Some((ctx.seats[i].pos, Some(i), None));
            }
            if ctx.seats_incomplete {
                return None;
            }
            if label.contains(['|', ':']) && !ctx.seats.is_empty() {
                return match seat_candidates(label, ctx.seats, seat_index) {
                    Ok(set) => {
                        let i = most_central(&set, ctx.seats);
                        Some((ctx.seats[i].pos, Some(i), Some(set)))
                    }
                    Err(msg) => {
                        self.err(diags, c.seat.unwrap_or(0), msg);
                        None
                    }
                };
            }
            let hint = if ctx.seats.is_empty() {
                " (this scene defines no seats: give x and y, or a scene.toml with seating)"
                    .to_string()
            } else {
                let near =
                    super::text::closest(label, ctx.seats.iter().map(|s| s.label.clone()), 3);
                format!(
                    ": expected a seat the venue defines, such as {} (or several: `C5|F5`, `B-L:16`)",
                    near.join(", ")
                )
            };
            self.err(
                diags,
                c.seat.unwrap_or(0),
                format!("unknown seat label {}{hint}", quote(label)),
            );
            return None;
        }
        if let (Some(x), Some(y)) = (x, y) {
            return Some((Point::new(x * ctx.units_m, y * ctx.units_m), None, None));
        }
        if c.seat.is_none() && (c.x.is_none() || c.y.is_none() || c.misspelt_seat.is_some()) {
            // the header has no usable position columns, or a misspelt `seat`: said once
            return None;
        }
        self.err(
            diags,
            c.x.or(c.seat).unwrap_or(0),
            "expected a position: `x` and `y`, or a `seat` label".into(),
        );
        None
    }

    /// Arrival and departure, minutes after midnight, and whether they are in order; `None`
    /// after reporting a time that does not read.
    fn window(&self, diags: &mut Vec<Diagnostic>) -> Option<(Option<f64>, Option<f64>, bool)> {
        let c = &self.table.cols;
        let (Ok(arrived), Ok(left)) = (self.time(diags, c.arrived), self.time(diags, c.left))
        else {
            return None;
        };
        if let (Some(a), Some(l)) = (arrived, left) {
            if l < a {
                self.err(
                    diags,
                    c.left.unwrap_or(0),
                    format!(
                        "presence window ends ({}) before it starts ({}): expected `left` at or after `arrived`",
                        super::format_clock(l),
                        super::format_clock(a)
                    ),
                );
                return Some((arrived, left, false));
            }
        }
        Some((arrived, left, true))
    }

    /// Whether attendance is confirmed, and its probability when the row gives one (`0.5`,
    /// `50%`).
    fn presence(&self, diags: &mut Vec<Diagnostic>) -> Result<(Presence, Option<f64>), ()> {
        let c = &self.table.cols;
        let text = self.get(c.presence).map(str::to_lowercase);
        match text.as_deref() {
            None | Some("confirmed" | "yes" | "present") => return Ok((Presence::Confirmed, None)),
            Some("uncertain" | "unconfirmed" | "unknown" | "maybe" | "?") => {
                return Ok((Presence::Uncertain, None));
            }
            _ => {}
        }
        let other = text.unwrap_or_default();
        let number = match other.strip_suffix('%') {
            Some(pct) => parse_number(pct.trim(), self.table.decimal_comma).map(|v| v / 100.0),
            None => parse_number(&other, self.table.decimal_comma),
        };
        match number {
            Ok(1.0) => Ok((Presence::Confirmed, None)),
            Ok(p) if (0.0..1.0).contains(&p) => Ok((Presence::Uncertain, Some(p))),
            _ => {
                self.err(
                    diags,
                    c.presence.unwrap_or(0),
                    format!(
                        "expected `confirmed`, `uncertain` or a probability between 0 and 1 (`0.5`, `50%`), found {}",
                        quote(&other)
                    ),
                );
                Err(())
            }
        }
    }

    /// Whether the person stands where one can: inside the outline, not inside a solid
    /// obstacle or a table. Reports each problem.
    fn check_standing(
        &self,
        diags: &mut Vec<Diagnostic>,
        name: &str,
        pos: Point,
        v: &Venue,
    ) -> bool {
        let mut ok = true;
        let mut report = |what: String| {
            diags.push(Diagnostic::line(
                self.path,
                self.line,
                format!("{} at ({:.2}, {:.2}) m {what}", quote(name), pos.x, pos.y),
            ));
            ok = false;
        };
        if v.outline.len() >= 3 && !point_in_polygon(pos, &v.outline) {
            let hint = if point_in_polygon(pos.scale(0.3048), &v.outline) {
                " (x and y look like feet: at 0.3048 m a foot it would be inside; scene.toml and the CSV take one unit, its `units`)"
            } else if point_in_polygon(pos.scale(1.0 / 0.3048), &v.outline) {
                " (x and y look like metres while the scene says feet: scene.toml and the CSV take one unit, its `units`)"
            } else {
                ""
            };
            report(format!("lies outside the venue outline{hint}"));
        }
        if let Some(o) = v
            .obstacles
            .iter()
            .find(|o| !o.standable && point_in_polygon(pos, &o.polygon))
        {
            report(format!("stands inside the obstacle {}", quote(&o.name)));
        }
        if let Some(t) = v
            .tables
            .iter()
            .find(|t| t.center.distance(pos) < t.radius_m)
        {
            report(format!("stands inside table {}", quote(&t.label)));
        }
        ok
    }
}

/// A name or id as `str::to_lowercase` folds it, without allocating when it is ASCII.
fn fold_eq(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// FNV-1a over the case-folded name, a separator, and the case-folded id.
fn key_hash(name: &str, id: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &mut dyn Iterator<Item = u8>| {
        for b in bytes {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    };
    for (k, part) in [name, id].into_iter().enumerate() {
        if k == 1 {
            eat(&mut std::iter::once(0xff));
        }
        if part.is_ascii() {
            eat(&mut part.bytes().map(|b| b.to_ascii_lowercase()));
        } else {
            eat(&mut part.to_lowercase().into_bytes().into_iter());
        }
    }
    h
}

/// Whether two attendees have the same case-folded name and id: rows of one person.
fn same_person(a: &Attendee, b: &Attendee) -> bool {
    fold_eq(&a.name, &b.name) && fold_eq(a.id().unwrap_or(""), b.id().unwrap_or(""))
}

/// One attendee per name and id, in the order of their first rows: each later row of a person
/// adds its placement to the first, and a second placement in one phase is reported.
///
/// The rows are brought together by sorting `keys`, one an attendee in order: the upper half
/// of the attendee's [`key_hash`], then its place in the list ([`MERGE_ROW`]): 8 bytes a row,
/// where a hash map of a million names held 36 MB.
fn merge_same_people(
    path: &Path,
    mut attendees: Vec<Attendee>,
    keys: Vec<u64>,
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Attendee> {
    const ROW: u64 = MERGE_ROW;
    let keys = sort_by_upper_half(keys);
    let mut merged = vec![false; attendees.len()];
    // the attendees that took another row's placement
    let mut joined: Vec<usize> = Vec::new();
    let mut firsts: Vec<usize> = Vec::new();
    for run in keys.chunk_by(|a, b| a & !ROW == b & !ROW) {
        if run.len() < 2 {
            continue;
        }
        // rows in order; the first of each distinct key in the run takes the others
        firsts.clear();
        for &k in run {
            let i = (k & ROW) as usize;
            match firsts
                .iter()
                .copied()
                .find(|&f| same_person(&attendees[f], &attendees[i]))
            {
                None => firsts.push(i),
                Some(f) => {
                    merge_rows(path, &mut attendees, f, i, ctx, diags);
                    merged[i] = true;
                    joined.push(f);
                }
            }
        }
    }
    // in the order of their lines (rows are taken in the order of their place in the list,
    // which is nearly always that)
    joined.sort_unstable();
    joined.dedup();
    for &f in &joined {
        attendees[f].placements.sort_by_key(|p| p.line);
    }
    if !joined.is_empty() {
        let mut k = 0;
        attendees.retain(|_| {
            k += 1;
            !merged[k - 1]
        });
    }
    attendees
}

/// The bits of a merge key that hold the attendee's place in the list.
const MERGE_ROW: u64 = 0xffff_ffff;

/// `keys` sorted by their upper 32 bits, keeping the order of equal ones: a radix sort in three
/// passes of 11 bits (each pass writes to few enough places to stay in cache), each pass on
/// every core: the keys in as many parts, each part's keys of a digit written after those of
/// the parts before it.
fn sort_by_upper_half(mut keys: Vec<u64>) -> Vec<u64> {
    use rayon::prelude::*;
    const BITS: u32 = 11;
    const DIGITS: usize = 1 << BITS;
    let parts = if keys.len() < 1 << 16 {
        1
    } else {
        rayon::current_num_threads().clamp(1, 16)
    };
    let chunk = keys.len().div_ceil(parts).max(1);
    let mut out = vec![0u64; keys.len()];
    for shift in [32, 32 + BITS, 32 + 2 * BITS] {
        let digit = |k: u64| ((k >> shift) as usize) & (DIGITS - 1);
        let counts: Vec<Vec<usize>> = keys
            .par_chunks(chunk)
            .map(|part| {
                let mut count = vec![0usize; DIGITS];
                for &k in part {
                    count[digit(k)] += 1;
                }
                count
            })
            .collect();
        // where each part writes each digit's keys: digit by digit, part by part
        let mut places: Vec<Vec<&mut [u64]>> =
            counts.iter().map(|_| Vec::with_capacity(DIGITS)).collect();
        let mut rest = out.as_mut_slice();
        for d in 0..DIGITS {
            for (p, count) in counts.iter().enumerate() {
                let (place, more) = rest.split_at_mut(count[d]);
                places[p].push(place);
                rest = more;
            }
        }
        keys.par_chunks(chunk)
            .zip(places.into_par_iter())
            .for_each(|(part, mut places)| {
                let mut next = vec![0usize; DIGITS];
                for &k in part {
                    let d = digit(k);
                    places[d][next[d]] = k;
                    next[d] += 1;
                }
            });
        std::mem::swap(&mut keys, &mut out);
    }
    keys
}

/// Adds the placement of row attendee `later` to `first` (the same person, an earlier row), or
/// reports a second placement in one phase.
fn merge_rows(
    path: &Path,
    attendees: &mut [Attendee],
    first: usize,
    later: usize,
    ctx: &Context,
    diags: &mut Vec<Diagnostic>,
) {
    let (head, tail) = attendees.split_at_mut(later);
    let (a, b) = (&mut head[first], &mut tail[0]);
    // a row gives one placement
    let phase = b.placements.first().and_then(|p| p.phase);
    let line = b.placements.first().map_or(0, |p| p.line);
    if let Some(prev) = a.placements.iter().find(|p| p.phase == phase) {
        let hint = if b.id().is_none() {
            "; add an `id` column to tell two people of one name apart"
        } else {
            ""
        };
        diags.push(Diagnostic::line(
            path,
            line,
            format!(
                "duplicate: {} already appears on line {} for {}{hint}",
                quote(&b.name),
                prev.line,
                phase.map_or("every phase".to_string(), |p| format!(
                    "phase {}",
                    quote(&ctx.phases[p as usize].name)
                )),
            ),
        ));
        return;
    }
    if b.presence == Presence::Uncertain {
        a.presence = Presence::Uncertain;
    }
    if a.presence_probability().is_none() && b.presence_probability().is_some() {
        a.set_presence_probability(b.presence_probability());
    }
    a.placements.extend(std::mem::take(&mut b.placements));
}

/// The seats a set names: alternatives separated by `|`, each a seat label or a block of
/// rows and seats, `B-L:16`, `D:3-5`, `B-D:*` (every seat of rows B to D). Rows a block
/// names but the venue skips are passed over; a block with no seat at all, or an unknown
/// label, is an error.
fn seat_candidates(
    spec: &str,
    seats: &[super::Seat],
    seat_index: &HashMap<String, usize>,
) -> Result<Vec<usize>, String> {
    let mut out: Vec<usize> = Vec::new();
    for alt in spec.split('|').map(str::trim) {
        if alt.is_empty() {
            return Err(format!(
                "seat set {}: an empty alternative between `|`: expected labels such as `C5|F5`",
                quote(spec)
            ));
        }
        let found = match alt.split_once(':') {
            None => seat_index.get(&alt.to_lowercase()).map(|&i| vec![i]),
            Some((rows, numbers)) => seat_block(rows.trim(), numbers.trim(), seats),
        };
        match found {
            Some(v) if !v.is_empty() => out.extend(v),
            _ => {
                let near = super::text::closest(alt, seats.iter().map(|s| s.label.clone()), 3);
                return Err(format!(
                    "seat set {}: {} names no seat the venue defines: expected labels such as {} or a block of rows and seats such as `B-L:16`",
                    quote(spec),
                    quote(alt),
                    near.join(", ")
                ));
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// The seats of a block: rows `B` or `B-L` (one letter each), seats `16`, `3-5` or `*`.
fn seat_block(rows: &str, numbers: &str, seats: &[super::Seat]) -> Option<Vec<usize>> {
    let letter = |t: &str| {
        let mut ch = t.trim().chars();
        match (ch.next(), ch.next()) {
            (Some(c), None) if c.is_ascii_alphabetic() => Some(c.to_ascii_uppercase()),
            _ => None,
        }
    };
    let (r0, r1) = match rows.split_once('-') {
        Some((a, b)) => (letter(a)?, letter(b)?),
        None => (letter(rows)?, letter(rows)?),
    };
    let (lo, hi) = if r0 <= r1 { (r0, r1) } else { (r1, r0) };
    let (n0, n1) = match numbers {
        "*" => (u32::MIN, u32::MAX),
        _ => match numbers.split_once('-') {
            Some((a, b)) => (a.trim().parse().ok()?, b.trim().parse().ok()?),
            None => {
                let n = numbers.parse().ok()?;
                (n, n)
            }
        },
    };
    let (n0, n1) = (n0.min(n1), n0.max(n1));
    let picked = seats
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            let mut ch = s.label.chars();
            let row = ch.next().map(|c| c.to_ascii_uppercase());
            let number: Option<u32> = ch.as_str().parse().ok();
            matches!((row, number), (Some(r), Some(n)) if (lo..=hi).contains(&r) && (n0..=n1).contains(&n))
        })
        .map(|(i, _)| i)
        .collect();
    Some(picked)
}

/// The candidate nearest the middle of the set: where commands that take no uncertainty
/// into account put the person.
fn most_central(set: &[usize], seats: &[super::Seat]) -> usize {
    let n = set.len().max(1) as f64;
    let (cx, cy) = set.iter().fold((0.0, 0.0), |(x, y), &i| {
        (x + seats[i].pos.x / n, y + seats[i].pos.y / n)
    });
    let d = |i: usize| (seats[i].pos.x - cx).hypot(seats[i].pos.y - cy);
    set.iter()
        .copied()
        .min_by(|&a, &b| d(a).total_cmp(&d(b)).then(a.cmp(&b)))
        .unwrap_or(0)
}

/// Whether two placements' presence windows overlap (an open end is the whole phase).
fn windows_overlap(p: &Placement, q: &Placement) -> bool {
    p.arrived_min().unwrap_or(f64::MIN) < q.left_min().unwrap_or(f64::MAX)
        && q.arrived_min().unwrap_or(f64::MIN) < p.left_min().unwrap_or(f64::MAX)
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
                if let (Some(s), None) = (p.seat_index(), &p.spread) {
                    taken.entry(s).or_default().push((a, p));
                }
            }
        }
        let mut clashes: Vec<(u64, String)> = Vec::new();
        for (seat, occupants) in taken {
            for (i, (a2, p2)) in occupants.iter().enumerate() {
                for (a1, p1) in &occupants[..i] {
                    if windows_overlap(p1, p2) {
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
    super::laps::lap("read_file");
    bare_csv_from_text(path, text, opts)
}

/// A bare seating CSV already read into memory; `path` names it in messages.
pub(super) fn bare_csv_from_text(
    path: &Path,
    text: String,
    opts: &LoadOptions,
) -> Result<Scene, SceneError> {
    let mut diags = Vec::new();
    let Some(table) = parse_table(path, text, &opts.limits, &mut diags) else {
        return Err(SceneError { diagnostics: diags });
    };
    super::laps::lap("header");
    let names = phase_names(path, &table);
    // the people first, without a venue: the room is drawn around them
    let tmp_phases: Vec<Phase> = names.iter().map(|n| bare_phase(n, 0.0, None)).collect();
    let ctx = Context {
        seats: &[],
        phases: &tmp_phases,
        venue: None,
        units_m: opts.units.metres(),
        seats_incomplete: false,
    };
    let mut warnings = table.warnings.clone();
    let (attendees, bounds) = build_attendees(path, &table, &ctx, &mut diags, &mut warnings);
    drop(table);
    if !diags.is_empty() {
        return Err(SceneError { diagnostics: diags });
    }
    let venue = room_around(bounds);
    super::laps::lap("room");
    let o = &venue.outline;
    let volume = (o[1].x - o[0].x) * (o[2].y - o[1].y) * venue.height_m;
    let phases: Vec<Phase> = names
        .iter()
        .map(|n| bare_phase(n, volume, opts.noise))
        .collect();
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
        phases,
        attendees,
        warnings,
        walk_graph: Default::default(),
    }
    .predict_crowd_noise(&vec![opts.noise == Some(NoiseChoice::Crowd); names.len()])
    .check_scale())
}

/// A bare CSV's phases: the distinct values of its `phase` column in order of appearance
/// (frames, say), or one phase called "event".
fn phase_names(path: &Path, table: &PeopleTable) -> Vec<String> {
    use rayon::prelude::*;
    let mut names: Vec<String> = Vec::new();
    if let Some(col) = table.cols.phase {
        let per_block: Vec<Vec<String>> = table
            .blocks
            .par_iter()
            .map(|block| {
                let mut names: Vec<String> = Vec::new();
                table.each_row(path, block, &mut Vec::new(), |r| {
                    let Record::Row(_, rec) = r else {
                        return;
                    };
                    let p = trim(rec.get(col).unwrap_or(""));
                    if !p.is_empty() && !names.iter().any(|n| n.eq_ignore_ascii_case(p)) {
                        names.push(p.to_string());
                    }
                });
                names
            })
            .collect();
        for p in per_block.into_iter().flatten() {
            if !names.iter().any(|n| n.eq_ignore_ascii_case(&p)) {
                names.push(p);
            }
        }
    }
    if names.is_empty() {
        names.push("event".to_string());
    }
    names
}

/// The room a bare CSV implies: its people's bounding box with 2 m around, 3 m high.
fn room_around(people: Bounds) -> Venue {
    let margin = 2.0;
    let (lo, hi) = (people.min, people.max);
    Venue::rectangle(
        (lo.x - margin, lo.y - margin),
        (hi.x + margin, hi.y + margin),
        3.0,
    )
}

fn bare_phase(name: &str, volume_m3: f64, noise: Option<NoiseChoice>) -> Phase {
    let mut acoustics = Acoustics::defaults(volume_m3);
    if let Some(NoiseChoice::Level(v)) = noise {
        acoustics.noise_dba = Param::new(v, ParamSource::Scene);
    }
    Phase::untimed(name, Mobility::Mingling, acoustics)
}

#[cfg(test)]
mod tests {
    /// Reads `text` as a bare CSV's people, in blocks of about `block_bytes`: the attendees as
    /// JSON and the problems (warnings too) as `file:line: message`, in line order.
    fn read_people(text: &str, block_bytes: usize) -> (String, Vec<String>) {
        read_people_by(text, block_bytes, true)
    }

    /// [`read_people`], on the fast paths (quote-free blocks split, the plainest rows read by
    /// `simple_row`) or not.
    fn read_people_by(text: &str, block_bytes: usize, fast: bool) -> (String, Vec<String>) {
        let (_, attendees, mut diags) = load_by(text, super::Limits::default(), block_bytes, fast);
        diags.sort_by_key(|d| d.line);
        (
            serde_json::to_string(&attendees).unwrap_or_default(),
            diags.iter().map(|d| format!("{d}")).collect(),
        )
    }

    /// `text` marked out in blocks of about `block_bytes` (none when the header is refused),
    /// and the attendees and problems (warnings too) read from it as a bare CSV's people.
    fn load(
        text: &str,
        limits: super::Limits,
        block_bytes: usize,
    ) -> (
        Option<super::PeopleTable>,
        Vec<super::Attendee>,
        Vec<super::Diagnostic>,
    ) {
        load_by(text, limits, block_bytes, true)
    }

    fn load_by(
        text: &str,
        limits: super::Limits,
        block_bytes: usize,
        fast: bool,
    ) -> (
        Option<super::PeopleTable>,
        Vec<super::Attendee>,
        Vec<super::Diagnostic>,
    ) {
        use super::*;
        let path = Path::new("people.csv");
        let mut diags = Vec::new();
        let Some(mut table) =
            parse_table_in_blocks(path, text.to_string(), &limits, block_bytes, &mut diags)
        else {
            return (None, Vec::new(), diags);
        };
        table.fast = fast;
        let names = phase_names(path, &table);
        let phases: Vec<Phase> = names.iter().map(|n| bare_phase(n, 100.0, None)).collect();
        let ctx = Context {
            seats: &[],
            phases: &phases,
            venue: None,
            units_m: 1.0,
            seats_incomplete: false,
        };
        let mut warnings = Vec::new();
        let (attendees, _) = build_attendees(path, &table, &ctx, &mut diags, &mut warnings);
        diags.extend(warnings);
        (Some(table), attendees, diags)
    }

    #[test]
    fn blocks_read_as_one() {
        // blank lines, CRLF, a short row, a bad number, a bad facing, people over several
        // rows (merged, or a duplicate in one phase), names differing only in case
        let mut text = String::from("name,x,y,phase,facing\n");
        for i in 0..60 {
            let line = match i % 11 {
                0 => String::new(),
                1 => format!("P{},1.5,2\r", i / 3),
                2 => format!("p{},{}.25,{},dinner,90", i / 3, i, i % 7),
                3 => "short,1\n".trim_end().to_string(),
                4 => format!("Q{i},one,2,,"),
                5 => format!("Q{i},1,2,,northish"),
                6 => format!("Ann,{i},0,speech,"),
                _ => format!("R{},{},{},speech,{}", i / 2, i, i * 3 % 17, i * 40),
            };
            text.push_str(&line);
            text.push('\n');
        }
        let whole = read_people(&text, 1 << 30);
        // line 2 is blank: the short row after it is on line 3 (the CSV reader's own count
        // said 2)
        assert!(
            whole.1[0].starts_with("people.csv:3: expected 5 fields"),
            "{:?}",
            whole.1
        );
        assert!(
            whole.1.iter().any(|d| d.contains("duplicate")),
            "{:?}",
            whole.1
        );
        assert!(
            whole.1.iter().any(|d| d.contains("expected 5 fields")),
            "{:?}",
            whole.1
        );
        assert!(whole.0.contains("\"placements\""));
        for block in [1, 7, 40, 100, 333] {
            assert_eq!(read_people(&text, block), whole, "blocks of {block} bytes");
        }
        // a quoted field may span lines: such a file is read whole, with the same result
        let quoted = text.replacen("Ann,", "\"Ann\",", 1);
        assert_eq!(read_people(&quoted, 7), read_people(&quoted, 1 << 30));
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// Any file read in blocks of any size gives the attendees and problems it gives read
        /// whole: rows of few names (so people span blocks and phases, and some are duplicates),
        /// good and bad numbers, short rows, blank lines, LF, CRLF or lone CR line ends, and
        /// quotes: around a comma, around a line end, doubled, stray in a field, unclosed.
        #[test]
        fn blocks_of_any_size_read_as_one(
            rows in proptest::collection::vec(
                (0u8..6, 0u8..4, 0u8..8, 0u8..16, 0u8..3),
                1..60,
            ),
            block in 1usize..200,
        ) {
            let mut text = String::from("name,x,y,phase\n");
            for (name, phase, x, kind, end) in rows {
                let row = match kind {
                    0 => String::new(),
                    1 => format!("N{name},{x}"),
                    2 => format!("N{name},x{x},1,f{phase}"),
                    9 => format!("\"N{name}, Jr.\",{x},1,f{phase}"),
                    10 => format!("\"N{name}\nof {x}\",{x},2,f{phase}"),
                    11 => format!("N{name}\"a,{x},1,f{phase}"),
                    12 => format!("\"N\"\"{name}\"\"\",{x},1,\"f{phase}\""),
                    13 => format!("\"N{name},{x},1"),
                    14 => format!("\"N\"\"{name}\nb\",{x},1,f{phase}"),
                    _ => format!("n{name},{x}.5,{},f{phase}", x % 3),
                };
                text.push_str(&row);
                text.push_str(["\n", "\r\n", "\r"][end as usize]);
            }
            let whole = read_people(&text, 1 << 30);
            proptest::prop_assert_eq!(read_people(&text, block), whole);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Any text at all after a good header, made of the characters that matter to the
        /// splitting (quotes, separators, line ends) and a few others, reads the same in blocks
        /// of any size as whole, and never panics.
        #[test]
        fn any_text_reads_the_same_in_blocks(
            body in proptest::collection::vec(
                proptest::sample::select(vec!["\"", ",", "\n", "\r", "\r\n", "a", "1", ".", " ", ";", "é"]),
                0..120,
            ),
            block in 1usize..40,
        ) {
            let text = format!("name,x,y\n{}", body.concat());
            let whole = read_people(&text, 1 << 30);
            proptest::prop_assert_eq!(read_people(&text, block), whole);
        }
    }

    /// Each record of `text` (after the header) as the CSV reader finds it (`split` false) or
    /// split at line feeds and separators (`split` true): the good rows' fields, the bad rows'
    /// lines, and the problems reported.
    fn records(text: &str, split: bool, max_field_bytes: usize) -> (Vec<String>, Vec<String>) {
        use super::*;
        let path = Path::new("people.csv");
        let limits = Limits {
            max_field_bytes,
            ..Limits::default()
        };
        let mut diags = Vec::new();
        let Some(table) = parse_table(path, text.to_string(), &limits, &mut diags) else {
            return (Vec::new(), Vec::new());
        };
        let mut out = Vec::new();
        let body = &table.text[table.blocks[0].start..];
        let each = |r: Record| match r {
            Record::Row(line, rec) => {
                out.push(format!("{line}: {:?}", rec.iter().collect::<Vec<_>>()))
            }
            Record::Bad(line) => out.push(format!("{line}: bad")),
        };
        if split {
            table.each_plain_row(path, body, 2, &mut diags, each);
        } else {
            table.each_csv_row(path, body, 2, &mut diags, each);
        }
        (out, diags.iter().map(|d| format!("{d}")).collect())
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(500))]
        /// Text without quotes or lone carriage returns gives the same records and problems
        /// split at its line feeds and separators as through the CSV reader: blank lines,
        /// lines of separators or spaces, CRLF, short and long rows, over-long fields, other
        /// separators, after a header of commas, semicolons or tabs.
        #[test]
        fn plain_text_splits_as_the_csv_reader_reads_it(
            header in proptest::sample::select(vec!["name,x,y", "name;x;y", "name\tx\ty"]),
            body in proptest::collection::vec(
                proptest::sample::select(vec![",", ";", "\t", "\n", "\r\n", "a", "1", ".", " ", "é", "12345678"]),
                0..80,
            ),
            max_field in 3usize..12,
        ) {
            let text = format!("{header}\n{}", body.concat());
            proptest::prop_assert!(super::plain(text.as_bytes()));
            proptest::prop_assert_eq!(records(&text, true, max_field), records(&text, false, max_field));
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
        /// The plainest files (a name, x and y, and a column earshot does not read) give the
        /// same attendees and problems on the fast paths as on the general one: plain and
        /// odd numbers (exponents, signs, spaces, decimal commas, too many digits, words),
        /// empty names and fields, repeated names, short rows, quotes, CRLF.
        #[test]
        fn the_plainest_rows_read_fast_as_in_general(
            header in proptest::sample::select(vec!["name,x,y", "y,extra,name,x", "name;x;y", "name,x,y,phase"]),
            rows in proptest::collection::vec(
                (
                    proptest::sample::select(vec!["Ann", " Bo ", "", "Cy Dee", "ann", "\"E, F\""]),
                    proptest::sample::select(vec!["1", "-2.5", "0.125", " 3 ", "1e3", "+4", "", "x", "1,5", "12345678901234567", ".5", "-0"]),
                    proptest::sample::select(vec!["2", "7.75", "-0.5", "1 ", "NaN", "2.", "99999999999999.9"]),
                    proptest::sample::select(vec!["\n", "\r\n"]),
                    0u8..8,
                ),
                1..40,
            ),
            block in 1usize..200,
        ) {
            let delimiter = if header.contains(';') { ";" } else { "," };
            let mut text = format!("{header}\n");
            for (i, (name, x, y, end, kind)) in rows.into_iter().enumerate() {
                let fields = match header {
                    "y,extra,name,x" => vec![y.to_string(), format!("e{i}"), format!("{name}{}", i % 5), x.to_string()],
                    "name,x,y,phase" => vec![format!("{name}{}", i % 5), x.to_string(), y.to_string(), String::new()],
                    _ => vec![format!("{name}{}", i % 5), x.to_string(), y.to_string()],
                };
                let row = match kind {
                    0 => fields[..2].join(delimiter),
                    1 => String::new(),
                    _ => fields.join(delimiter),
                };
                text.push_str(&row);
                text.push_str(end);
            }
            proptest::prop_assert_eq!(read_people_by(&text, block, true), read_people_by(&text, block, false));
        }
    }

    /// Large files are read in parts as `std::fs::read` reads them whole, at every length
    /// around the parts' size; small ones at once.
    #[test]
    fn files_read_in_parts_read_whole() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let path = dir.path().join("big.csv");
        for len in [
            0,
            10,
            (8 << 20) - 1,
            8 << 20,
            (8 << 20) + 1,
            (12 << 20) + 12345,
        ] {
            let bytes: Vec<u8> = (0..len).map(|i: usize| (i * 7 + i / 4099) as u8).collect();
            std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("{e}"));
            let read = super::read_bytes(&path, len as u64).unwrap_or_default();
            assert!(read == bytes, "{len} bytes");
            // a file that grew after its length was taken is read to its end
            let read = super::read_bytes(&path, len.saturating_sub(5) as u64).unwrap_or_default();
            assert!(read == bytes, "{len} bytes, grown");
        }
    }

    /// The radix sort orders keys by their upper half, keeping the order of equal ones, as a
    /// stable sort does: few keys (sorted on one thread) and many (on every core), with many
    /// upper halves repeated.
    #[test]
    fn keys_sort_by_their_upper_half_stably() {
        for (n, spread) in [
            (0usize, 1u64),
            (1, 1),
            (1000, 50),
            (70_000, 3000),
            (200_001, 1 << 32),
        ] {
            let mut s = 0x9e37_79b9_7f4a_7c15u64;
            let keys: Vec<u64> = (0..n)
                .map(|i| {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    // upper halves from a few values, spread over all 32 bits; lower halves in order
                    ((s % spread).wrapping_mul(0x0001_0003_0007_000b) & !super::MERGE_ROW)
                        | i as u64
                })
                .collect();
            let mut expected = keys.clone();
            expected.sort_by_key(|k| k >> 32);
            assert!(super::sort_by_upper_half(keys) == expected, "{n} keys");
        }
    }

    /// The room around a bare CSV's people is the rectangle around all of them, 2 m out, when
    /// a block of the file holds nobody (blank lines only).
    #[test]
    fn the_room_is_drawn_around_everyone_past_empty_blocks() {
        let text = format!(
            "name,x,y\nA,0,0\n{}B,10,5\n\nC,-1,2",
            "\n".repeat(3 * super::BLOCK_BYTES)
        );
        let scene = super::super::load_csv_bytes(
            std::path::Path::new("p.csv"),
            text.as_bytes(),
            &super::LoadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{e:?}"));
        let o = &scene.venue.outline;
        let xs: Vec<f64> = o.iter().map(|p| p.x).collect();
        let ys: Vec<f64> = o.iter().map(|p| p.y).collect();
        let span = |v: &[f64]| {
            (
                v.iter().copied().fold(f64::MAX, f64::min),
                v.iter().copied().fold(f64::MIN, f64::max),
            )
        };
        assert_eq!(span(&xs), (-3.0, 12.0), "{o:?}");
        assert_eq!(span(&ys), (-2.0, 7.0), "{o:?}");
    }

    #[test]
    fn an_attendee_is_small() {
        // a million of them are loaded
        assert!(std::mem::size_of::<super::Attendee>() <= 128);
    }

    /// [`load`] with at most `max_rows` rows, for a header it accepts.
    fn load_with_limit(
        text: &str,
        max_rows: usize,
        block: usize,
    ) -> (
        super::PeopleTable,
        Vec<super::Attendee>,
        Vec<super::Diagnostic>,
    ) {
        let limits = super::Limits {
            max_rows,
            ..super::Limits::default()
        };
        let (table, people, diags) = load(text, limits, block);
        let Some(table) = table else {
            panic!("the header is good: {diags:?}");
        };
        (table, people, diags)
    }

    #[test]
    fn blank_lines_past_the_row_limit_are_no_rows() {
        // more line ends than the limit allows, but few rows: read, with room made only for
        // the rows
        let mut text = String::from("name,x,y\n");
        for i in 0..10 {
            text.push_str(&format!("P{i},{i},0\n\n\n\n\n\n\r\n\n"));
        }
        for block in [3, 40, 1 << 30] {
            let (table, people, diags) = load_with_limit(&text, 12, block);
            assert!(table.blocks.iter().map(|b| b.line_ends + 1).sum::<usize>() > 12);
            let rooms = table.rooms(std::path::Path::new("people.csv"));
            assert_eq!(rooms.map(|r| r.iter().sum::<usize>()), Ok(10));
            assert!(diags.is_empty(), "{diags:?}");
            let lines: Vec<u64> = people.iter().map(|a| a.placements[0].line).collect();
            assert_eq!(lines, (0..10).map(|i| 2 + 8 * i).collect::<Vec<u64>>());
        }
    }

    #[test]
    fn blocks_report_the_row_limit_on_its_line() {
        let mut text = String::from("name,x,y\n\n");
        for i in 0..50 {
            text.push_str(&format!("P{i},{i},0\n"));
        }
        for block in [5, 64, 1 << 30] {
            let (_, people, diags) = load_with_limit(&text, 20, block);
            assert!(people.is_empty());
            // the 21st row is on line 23 (a header and a blank line before the first)
            assert_eq!(diags.len(), 1, "{diags:?}");
            assert_eq!(diags[0].line, Some(23), "blocks of {block}: {diags:?}");
        }
    }
    #[test]
    fn compass_points_read_and_numbers_do_not() {
        use super::compass_bearing;
        for (text, want) in [
            ("N", Some(0.0)),
            ("ne", Some(45.0)),
            (" north-east ", Some(45.0)),
            ("SSW", Some(202.5)),
            ("West", Some(270.0)),
            ("270", None),
            ("-12.5", None),
            ("1e3", None),
            ("Ｎ", None),
            ("north by east", None),
            ("", None),
        ] {
            assert_eq!(compass_bearing(text), want, "{text:?}");
        }
    }

    #[test]
    fn fast_trim_is_str_trim() {
        let ends = [
            "", " ", "\t", "\u{b}", "\u{a0}", "\u{2003}", "\u{3000}", "a", "Z", "~", "é", "\u{7f}",
            "\r\n",
        ];
        for a in ends {
            for b in ends {
                for mid in ["", "x", " y ", "Zoë"] {
                    let s = format!("{a}{mid}{b}");
                    assert_eq!(super::trim(&s), s.trim(), "{s:?}");
                }
            }
        }
    }
}
