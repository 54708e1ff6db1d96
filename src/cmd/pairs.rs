//! `earshot pairs SCENE`: every pair at or above a band, or within a distance, streamed in a
//! deterministic order. Scales to stadiums through the spatial index.

use super::Format;
use super::timing::Timer;
use anyhow::Result;
use earshot::analysis::plausibility::Band;
use earshot::analysis::search::{Contact, PairBand, PhaseIndex};
use earshot::output::report::csv_field;
use earshot::scene::{LoadOptions, Scene};
use rayon::prelude::*;
use std::borrow::Cow;
use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot pairs scenes/wedding-banquet --band easy > easy.csv\n  earshot pairs contacts.csv --within 2 --format json      # contact tracing: who was within 2 m"
)]
pub struct Args {
    /// Scene folder, scene.toml or seating CSV
    scene: PathBuf,
    /// Only this phase (default: every phase)
    #[arg(long)]
    phase: Option<String>,
    /// Pairs at this band or better: easy, raised, shouting, implausible, all (default: raised)
    #[arg(long, conflicts_with = "within")]
    band: Option<String>,
    /// Pairs at most this many metres apart (inclusive), with how long both were there; no acoustics
    #[arg(long)]
    within: Option<f64>,
    /// Output format
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

pub fn run(args: Args, opts: &LoadOptions, mut t: Timer) -> Result<()> {
    let mode = mode_of(&args)?;
    if args.format == Format::Text {
        return Err(super::BadInput("pairs writes csv or json".into()).into());
    }
    let scene = super::load(&args.scene, opts)?;
    let phases = super::phases(&scene, args.phase.as_deref())?;
    t.stage("load");
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::with_capacity(1 << 20, stdout.lock());
    let json = args.format == Format::Json;
    match write_pairs(&mut out, &scene, &phases, mode, json, &mut t) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(Into::into),
    }
}

/// `--within M`, `--band B`, or the default band (raised).
fn mode_of(args: &Args) -> Result<Mode> {
    Ok(match (args.within, &args.band) {
        (Some(m), _) if !(m.is_finite() && m >= 0.0) => {
            return Err(super::BadInput(format!(
                "--within must be a distance in metres, 0 or more; found {m}"
            ))
            .into());
        }
        (Some(m), _) => Mode::Within(m),
        (None, Some(b)) => Mode::Band(super::neighbors::parse_band(b)?),
        (None, None) => Mode::Band(Band::Raised),
    })
}

/// The whole output: a CSV header or a JSON array around every phase's pairs.
fn write_pairs(
    out: &mut impl Write,
    scene: &Scene,
    phases: &[usize],
    mode: Mode,
    json: bool,
    t: &mut Timer,
) -> std::io::Result<()> {
    let header = match mode {
        Mode::Within(_) => "phase,a,b,distance_m,co_present,co_present_min\n",
        Mode::Band(_) => "phase,a,b,band,score,distance_m\n",
    };
    out.write_all(if json { b"[" } else { header.as_bytes() })?;
    let mut first = true;
    let names = (!json).then(|| NameFields::new(scene)).flatten();
    for &p in phases {
        let index = match mode {
            Mode::Within(m) => PhaseIndex::new(scene, p, m),
            Mode::Band(b) => PhaseIndex::for_band(scene, p, b),
        };
        t.stage("index");
        let w = PhaseWriter {
            scene,
            phase: p,
            json,
            names: names.as_ref(),
        };
        // the present list keeps the attendees' order, so candidates in order of their first
        // person (then the second) give rows in order: they are found, assessed and written a
        // batch at a time, never all held at once (15 million would take 0.7 GB)
        let people = index.len() as u32;
        let block = |b: usize| {
            let from = (b as u32).saturating_mul(PEOPLE_PER_BLOCK);
            from..from.saturating_add(PEOPLE_PER_BLOCK).min(people)
        };
        // a band search of fewer people finds every candidate at once (from one side, twice
        // as fast), sorted, and takes them in blocks; otherwise blocks of people in turn
        let all = match mode {
            Mode::Band(_) if people < STREAM_FROM => {
                let mut candidates = index.search();
                candidates.par_sort_unstable();
                Some(candidates)
            }
            _ => None,
        };
        let chunks: Vec<&[(u32, u32)]> = all
            .as_deref()
            .map_or_else(Vec::new, |c| c.chunks(PAIRS_PER_BLOCK).collect());
        let blocks = match all {
            Some(_) => chunks.len(),
            None => people.div_ceil(PEOPLE_PER_BLOCK) as usize,
        };
        let find = |b: usize| match all {
            Some(_) => chunks[b].to_vec(),
            None => index.pairs_from(block(b)),
        };
        let searched = t.lap();
        match mode {
            Mode::Within(_) => w.stream(
                out,
                (blocks, searched),
                &mut first,
                t,
                find,
                |pairs| index.contacts_in_turn(pairs),
                |buf, rows, f| w.contacts(buf, rows, f),
            )?,
            Mode::Band(worst) => {
                let assessor = index.assessor(worst);
                w.stream(
                    out,
                    (blocks, searched),
                    &mut first,
                    t,
                    find,
                    |pairs| assessor.assess_in_turn(pairs),
                    |buf, rows, f| w.bands(buf, rows, f),
                )?
            }
        }
        out.flush()?;
        t.stage("write");
    }
    if json {
        out.write_all(b"]\n")?;
    }
    out.flush()
}

/// People whose pairs (with those after them) one block holds.
const PEOPLE_PER_BLOCK: u32 = 2048;

/// Candidate pairs one block holds, when they come as one sorted list.
const PAIRS_PER_BLOCK: usize = 1 << 15;

/// From how many people a band search streams its candidates rather than holding them.
const STREAM_FROM: u32 = 1 << 18;

/// Writes one phase's rows, as CSV or JSON.
struct PhaseWriter<'a> {
    scene: &'a Scene,
    phase: usize,
    json: bool,
    /// Every attendee's CSV name field, when they fit in one table.
    names: Option<&'a NameFields>,
}

/// Every attendee's name as a CSV field ([`name_field`]), one after another in one text. A
/// row names its second person from anywhere in the list (in a file sorted by name, say):
/// looked up among the attendees, 128 bytes each, each name cost a miss of the cache; here a
/// million take 11 MB.
struct NameFields {
    text: String,
    /// Where each field ends in `text` (each starts where the one before ends).
    ends: Vec<u32>,
}

impl NameFields {
    /// The fields, written on every core straight into one text (no parts to join: their
    /// memory would stay with the threads); `None` when they would not fit (4 GB of names).
    fn new(scene: &Scene) -> Option<NameFields> {
        use rayon::prelude::*;
        const CHUNK: usize = 1 << 14;
        let people = &scene.attendees;
        // each field's length, then where it ends
        let mut ends: Vec<u32> = people
            .par_iter()
            .map(|a| u32::try_from(name_field(a).len()).unwrap_or(u32::MAX))
            .collect();
        let mut total: u64 = 0;
        for e in &mut ends {
            total += u64::from(*e);
            *e = u32::try_from(total).ok()?;
        }
        let mut text = vec![0u8; total as usize];
        // each chunk of people writes its own stretch of the text
        let mut stretches: Vec<&mut [u8]> = Vec::with_capacity(people.len().div_ceil(CHUNK));
        let (mut rest, mut at) = (text.as_mut_slice(), 0usize);
        for chunk_ends in ends.chunks(CHUNK) {
            let end = chunk_ends.last().map_or(at, |&e| e as usize);
            let (stretch, more) = rest.split_at_mut(end - at);
            stretches.push(stretch);
            (rest, at) = (more, end);
        }
        people
            .par_chunks(CHUNK)
            .zip(stretches)
            .for_each(|(chunk, stretch)| {
                let mut k = 0;
                for a in chunk {
                    let f = name_field(a);
                    stretch[k..k + f.len()].copy_from_slice(f.as_bytes());
                    k += f.len();
                }
            });
        Some(NameFields {
            text: String::from_utf8(text).ok()?,
            ends,
        })
    }

    /// The fields of `people`, in their order, as a table of their own (`get(k)` is the
    /// `k`-th one's). The second people of a file's rows are anywhere in the table (a file
    /// sorted by name, say): copied out in one tight loop, many of those reads are under way
    /// at once, where a read while writing each row waited for its own (1M rows in random
    /// order within 2 m: writing 1.2–1.8 → 0.65–0.7 s).
    fn gather(&self, people: impl Iterator<Item = usize>) -> NameFields {
        let spans: Vec<(u32, u32)> = people
            .map(|i| {
                let start = i.checked_sub(1).map_or(0, |k| self.ends[k]);
                (start, self.ends[i])
            })
            .collect();
        let total = spans.iter().map(|&(a, b)| (b - a) as usize).sum();
        let (mut text, mut ends) = (
            String::with_capacity(total),
            Vec::with_capacity(spans.len()),
        );
        for &(a, b) in &spans {
            text.push_str(&self.text[a as usize..b as usize]);
            // (no longer than the whole table, whose ends fit)
            ends.push(text.len() as u32);
        }
        NameFields { text, ends }
    }

    /// Attendee `i`'s field.
    fn get(&self, i: usize) -> &str {
        let start = i.checked_sub(1).map_or(0, |k| self.ends[k] as usize);
        &self.text[start..self.ends[i] as usize]
    }
}

/// The name fields of a batch's second people ([`PhaseWriter::seconds`]).
struct Seconds<'a> {
    writer: &'a PhaseWriter<'a>,
    gathered: Option<NameFields>,
}

impl Seconds<'_> {
    /// Row `k`'s second person's field (attendee `i`).
    fn field(&self, k: usize, i: usize) -> Cow<'_, str> {
        match &self.gathered {
            Some(g) => Cow::Borrowed(g.get(k)),
            None => self.writer.field(i),
        }
    }
}

/// An attendee's name as a CSV field: borrowed when it needs neither an id nor escaping (a
/// plain name is neither copied nor kept).
fn name_field(a: &earshot::scene::Attendee) -> Cow<'_, str> {
    let plain = a.id().is_none()
        && !a.name.starts_with(['=', '+', '-', '@', '\t', '\r'])
        && !a.name.contains([',', '"', '\n', '\r']);
    if plain {
        Cow::Borrowed(a.name.as_str())
    } else {
        Cow::Owned(csv_field(&a.display_name()))
    }
}

impl PhaseWriter<'_> {
    /// Rows found, assessed and written a batch of blocks at a time: the blocks of a batch are
    /// searched (`find`), assessed (`model`) and formatted (`text`) in parallel, then written
    /// in order. The stages' times are summed over the batches (`blocks.1`: seconds already
    /// spent searching).
    #[allow(clippy::too_many_arguments)]
    fn stream<T: Send + Sync>(
        &self,
        out: &mut impl Write,
        blocks: (usize, f64),
        first: &mut bool,
        t: &mut Timer,
        find: impl Fn(usize) -> Vec<(u32, u32)> + Sync,
        model: impl Fn(&[(u32, u32)]) -> Vec<T> + Sync,
        text: impl Fn(&mut Vec<u8>, &[T], &mut bool) -> std::io::Result<()> + Sync,
    ) -> std::io::Result<()> {
        // two blocks keep both cores busy; more only hold more rows (four held 8 MB more for a
        // million people within 2 m, 32 held 50 MB more)
        const BATCH: usize = 2;
        let mut secs = [blocks.1, 0.0, 0.0];
        for start in (0..blocks.0).step_by(BATCH) {
            let ids: Vec<usize> = (start..(start + BATCH).min(blocks.0)).collect();
            let pairs: Vec<Vec<(u32, u32)>> = ids.into_par_iter().map(&find).collect();
            secs[0] += t.lap();
            let rows: Vec<Vec<T>> = pairs.par_iter().map(|p| model(p)).collect();
            drop(pairs);
            secs[1] += t.lap();
            if self.json {
                // the separators depend on the rows before: one after another
                let mut buf = Vec::new();
                for r in &rows {
                    text(&mut buf, r, first)?;
                }
                out.write_all(&buf)?;
            } else {
                let bufs: Vec<std::io::Result<Vec<u8>>> = rows
                    .par_iter()
                    .map(|r| {
                        let mut buf = Vec::with_capacity(r.len() * 40);
                        text(&mut buf, r, &mut false)?;
                        Ok(buf)
                    })
                    .collect();
                for buf in bufs {
                    out.write_all(&buf?)?;
                }
            }
            secs[2] += t.lap();
        }
        t.report("search", secs[0]);
        t.report("model", secs[1]);
        // the write stage is reported by the caller, after the flush
        t.add_to_next(secs[2]);
        Ok(())
    }

    fn name(&self, i: usize) -> String {
        self.scene.attendees[i].display_name()
    }

    /// The CSV name fields of a batch's second people (`people`, in row order): gathered
    /// from the table in one loop when there is one (see [`NameFields::gather`]).
    fn seconds(&self, people: impl Iterator<Item = usize>) -> Seconds<'_> {
        Seconds {
            writer: self,
            gathered: self.names.map(|n| n.gather(people)),
        }
    }

    /// Attendee `i`'s name as a CSV field.
    fn field(&self, i: usize) -> Cow<'_, str> {
        match self.names {
            Some(names) => Cow::Borrowed(names.get(i)),
            None => name_field(&self.scene.attendees[i]),
        }
    }

    fn contacts(
        &self,
        out: &mut impl Write,
        contacts: &[Contact],
        first: &mut bool,
    ) -> std::io::Result<()> {
        let phase_name = &self.scene.phases[self.phase].name;
        if self.json {
            for c in contacts {
                let v = serde_json::json!({"phase": phase_name, "a": self.name(c.a), "b": self.name(c.b), "distance_m": round(c.distance_m), "co_present": c.co_present, "co_present_min": c.minutes});
                write_json(out, &v, first)?;
            }
            return Ok(());
        }
        let phase = csv_field(phase_name);
        let field = |i: usize| self.field(i);
        let seconds = self.seconds(contacts.iter().map(|c| c.b));
        let second = |k: usize, i: usize| seconds.field(k, i);
        let mut line = Vec::with_capacity(128);
        for (k, c) in contacts.iter().enumerate() {
            start_row(&mut line, &phase, &field(c.a), &second(k, c.b));
            push_fixed(&mut line, c.distance_m, 3);
            line.extend_from_slice(if c.co_present { b",true," } else { b",false," });
            if let Some(m) = c.minutes {
                push_fixed(&mut line, m, 0);
            }
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
    }

    fn bands(
        &self,
        out: &mut impl Write,
        pairs: &[PairBand],
        first: &mut bool,
    ) -> std::io::Result<()> {
        let phase_name = &self.scene.phases[self.phase].name;
        if self.json {
            for c in pairs {
                let v = serde_json::json!({"phase": phase_name, "a": self.name(c.a), "b": self.name(c.b), "band": c.band.key(), "score": round(c.score), "distance_m": round(c.distance_m)});
                write_json(out, &v, first)?;
            }
            return Ok(());
        }
        let phase = csv_field(phase_name);
        let field = |i: usize| self.field(i);
        let seconds = self.seconds(pairs.iter().map(|c| c.b));
        let second = |k: usize, i: usize| seconds.field(k, i);
        let mut line = Vec::with_capacity(128);
        for (k, c) in pairs.iter().enumerate() {
            start_row(&mut line, &phase, &field(c.a), &second(k, c.b));
            line.extend_from_slice(c.band.key().as_bytes());
            line.push(b',');
            push_fixed(&mut line, c.score, 3);
            line.push(b',');
            push_fixed(&mut line, c.distance_m, 3);
            line.push(b'\n');
            out.write_all(&line)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::push_fixed;

    /// The table of name fields holds each attendee's field as `name_field` makes it: plain
    /// names, names to quote or neutralise, names with an id, empty and long ones, across the
    /// stretches the threads write.
    #[test]
    fn name_fields_are_each_attendees_field() {
        use earshot::physics::geometry::Point;
        use earshot::scene::{Attendee, Details, Placement, Scene, Venue};
        let odd = [
            "Ann",
            "O'Neil, Jr.",
            "=SUM(A1)",
            "Zoë \"Z\"",
            "line\nbreak",
            "",
            "-5",
        ];
        let people: Vec<Attendee> = (0..40_000)
            .map(|k| {
                let name = format!("{}{}", odd[k % odd.len()], "x".repeat(k % 37));
                let a = Attendee::new(&name, Placement::at(Point::new(0.0, 0.0), None));
                if k % 5 == 0 {
                    a.with_details(Details {
                        id: Some(format!("id{k}").into()),
                        ..Details::default()
                    })
                } else {
                    a
                }
            })
            .collect();
        let venue = Venue::rectangle((0.0, 0.0), (1.0, 1.0), 3.0);
        let scene = Scene::from_parts("names", venue, vec![], vec![], people);
        let names = super::NameFields::new(&scene).unwrap_or_else(|| panic!("fits"));
        for (i, a) in scene.attendees.iter().enumerate() {
            assert_eq!(names.get(i), super::name_field(a), "attendee {i}");
        }
        // gathered in any order, with repeats, the first and the last among them
        let n = scene.attendees.len();
        let order: Vec<usize> = (0..3 * n)
            .map(|k| (k * 7919 + k / 3) % n)
            .chain([0, n - 1, 0])
            .collect();
        let some = names.gather(order.iter().copied());
        assert_eq!(some.ends.len(), order.len());
        for (k, &i) in order.iter().enumerate() {
            assert_eq!(some.get(k), names.get(i), "row {k}, attendee {i}");
        }
        assert_eq!(names.gather(std::iter::empty()).text, "");
    }

    #[test]
    fn fixed_digits_match_format() {
        let mut seed = 7u64;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut values = vec![
            0.0, -0.0, 0.0005, 0.0015, 1.0005, 2.5, -2.5, 0.125, 1e16, -3.0004,
        ];
        values.extend((0..20_000).map(|_| next() * 200.0 - 50.0));
        values.extend((0..2_000).map(|k| k as f64 / 1000.0 + 0.0005));
        for x in values {
            for d in [0u32, 3] {
                let mut buf = Vec::new();
                push_fixed(&mut buf, x, d);
                assert_eq!(
                    String::from_utf8_lossy(&buf),
                    format!("{x:.prec$}", prec = d as usize),
                    "{x} to {d}"
                );
            }
        }
    }
}

#[derive(Clone, Copy)]
enum Mode {
    Within(f64),
    Band(Band),
}

/// Starts a CSV row in `line`: `phase,a,b,` (fields already escaped).
fn start_row(line: &mut Vec<u8>, phase: &str, a: &str, b: &str) {
    line.clear();
    for part in [phase, ",", a, ",", b, ","] {
        line.extend_from_slice(part.as_bytes());
    }
}

/// Appends `x` with `decimals` decimals, exactly as `format!("{x:.decimals$}")` writes it, but
/// without the formatting machinery: the scaled value rounded to an integer, its digits, and
/// the point. Values near a rounding tie, large values and non-finite ones go through `format!`.
fn push_fixed(buf: &mut Vec<u8>, x: f64, decimals: u32) {
    let scale = 10f64.powi(decimals as i32);
    let scaled = x * scale;
    let frac = (scaled - scaled.trunc()).abs();
    if !scaled.is_finite() || scaled.abs() >= 1e15 || (frac - 0.5).abs() < 1e-6 {
        buf.extend_from_slice(format!("{x:.prec$}", prec = decimals as usize).as_bytes());
        return;
    }
    let n = scaled.round() as i64;
    if n < 0 || (n == 0 && x.is_sign_negative()) {
        buf.push(b'-');
    }
    let mut digits = [0u8; 24];
    let mut len = 0;
    let mut v = n.unsigned_abs();
    // at least one digit before the point
    let min_len = decimals as usize + 1;
    while v > 0 || len < min_len {
        digits[len] = b'0' + (v % 10) as u8;
        v /= 10;
        len += 1;
    }
    for k in (0..len).rev() {
        buf.push(digits[k]);
        if k == decimals as usize && k > 0 {
            buf.push(b'.');
        }
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn write_json(
    out: &mut impl Write,
    v: &serde_json::Value,
    first: &mut bool,
) -> std::io::Result<()> {
    if !*first {
        out.write_all(b",")?;
    }
    *first = false;
    out.write_all(b"\n")?;
    serde_json::to_writer(&mut *out, v).map_err(std::io::Error::other)
}
