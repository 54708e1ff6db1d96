//! `earshot locate --refs REFS.csv --pixels PEOPLE.csv`: floor positions from one photograph.

use crate::outln;
use anyhow::Result;
use earshot::output::atomic::write_atomic;
use earshot::output::report::csv_field;
use earshot::physics::homography::{Homography, Reference};
use std::path::{Path, PathBuf};

/// Most rows either file may have.
const MOST_ROWS: usize = 100_000;

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Example:\n  earshot locate --refs refs.csv --pixels people.csv -o seating.csv\n\n\
refs.csv has u,v,x,y: at least four points known both in the picture (u right, v down, pixels)\n\
and on the floor (metres), spread over the floor. people.csv has name,u,v and optionally\n\
pixel_sd: the pixel where each person meets the floor. The output is a seating CSV\n\
(name,x,y,pos_sd_m) that every other command reads."
)]
pub struct Args {
    /// Reference points: CSV with columns u,v,x,y
    #[arg(long)]
    refs: PathBuf,
    /// People in the picture: CSV with columns name,u,v and optionally pixel_sd
    #[arg(long)]
    pixels: PathBuf,
    /// Write the seating CSV here (default: standard output)
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// A CSV's rows as named fields: the header's columns found by name (case-insensitive).
struct Table {
    path: PathBuf,
    headers: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(path: &Path) -> Result<Table> {
        let bad = |m: String| super::BadInput(format!("{}: {m}", path.display()));
        let text =
            std::fs::read_to_string(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(text.as_bytes());
        let headers: Vec<String> = reader
            .headers()
            .map_err(|e| bad(format!("{e}")))?
            .iter()
            .map(|h| h.trim().to_lowercase())
            .collect();
        let mut rows = Vec::new();
        for r in reader.records() {
            let r = r.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line());
                bad(format!("line {line}: {e}"))
            })?;
            let line = r.position().map_or(0, |p| p.line());
            rows.push((line, r));
            if rows.len() > MOST_ROWS {
                return Err(bad(format!("more than {MOST_ROWS} rows")).into());
            }
        }
        Ok(Table {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    fn column(&self, name: &str, required: bool) -> Result<Option<usize>> {
        match self.headers.iter().position(|h| h == name) {
            Some(i) => Ok(Some(i)),
            None if required => Err(super::BadInput(format!(
                "{}:1: no column `{name}`: expected a header with {}",
                self.path.display(),
                if self.headers.contains(&"name".to_string()) || name == "name" {
                    "name,u,v (and optionally pixel_sd)"
                } else {
                    "u,v,x,y"
                }
            ))
            .into()),
            None => Ok(None),
        }
    }

    fn number(&self, (line, r): &(u64, csv::StringRecord), col: usize) -> Result<f64> {
        let text = r.get(col).unwrap_or("").trim();
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                super::BadInput(format!(
                    "{}:{line}:{}: column `{}`: expected a number, found {text:?}",
                    self.path.display(),
                    col + 1,
                    self.headers[col]
                ))
                .into()
            })
    }
}

pub fn run(args: Args) -> Result<()> {
    let refs_table = Table::read(&args.refs)?;
    let cols: Vec<usize> = ["u", "v", "x", "y"]
        .iter()
        .map(|c| refs_table.column(c, true).map(|c| c.unwrap_or(0)))
        .collect::<Result<_>>()?;
    let refs: Vec<Reference> = refs_table
        .rows
        .iter()
        .map(|row| {
            Ok((
                refs_table.number(row, cols[0])?,
                refs_table.number(row, cols[1])?,
                refs_table.number(row, cols[2])?,
                refs_table.number(row, cols[3])?,
            ))
        })
        .collect::<Result<_>>()?;
    let h = Homography::fit(&refs)
        .map_err(|e| super::BadInput(format!("{}: {e}", args.refs.display())))?;
    let worst = h.residuals_px.iter().copied().fold(0.0, f64::max);
    eprintln!(
        "fitted the floor to the picture from {} reference points: reprojection error {} px (largest {worst:.2})",
        refs.len(),
        h.residuals_px
            .iter()
            .map(|e| format!("{e:.2}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let people = Table::read(&args.pixels)?;
    let (name, u, v) = (
        people.column("name", true)?.unwrap_or(0),
        people.column("u", true)?.unwrap_or(0),
        people.column("v", true)?.unwrap_or(0),
    );
    let sd_col = people.column("pixel_sd", false)?;
    let mut out = String::from("name,x,y,pos_sd_m\n");
    for row in &people.rows {
        let who = row.1.get(name).unwrap_or("").trim();
        if who.is_empty() {
            return Err(super::BadInput(format!(
                "{}:{}:{}: expected a name, found an empty field",
                people.path.display(),
                row.0,
                name + 1
            ))
            .into());
        }
        let (pu, pv) = (people.number(row, u)?, people.number(row, v)?);
        let sd = match sd_col {
            Some(c) if !row.1.get(c).unwrap_or("").trim().is_empty() => people.number(row, c)?,
            _ => 1.0,
        };
        let (x, y, sd_m) = h.locate(pu, pv, sd.abs()).map_err(|e| {
            super::BadInput(format!("{}:{}: {who}: {e}", people.path.display(), row.0))
        })?;
        outln!(out, "{},{x:.3},{y:.3},{sd_m:.3}", csv_field(who));
    }
    match &args.output {
        Some(path) => {
            write_atomic(path, || Ok(out.into_bytes()))?;
            eprintln!("wrote {}", path.display());
            Ok(())
        }
        None => super::emit(out.as_bytes()),
    }
}
