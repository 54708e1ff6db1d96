//! `earshot generate stadium|banquet|reception --seats N -o DIR`: realistic, deterministic
//! scenes for benchmarks and demos.

use anyhow::Result;
use earshot::data::generate::{Kind, generate};
use earshot::output::atomic::write_atomic;
use std::path::PathBuf;

#[derive(Copy, Clone, Debug, clap::ValueEnum)]
pub enum KindArg {
    /// Four stands of seats around a pitch
    Stadium,
    /// Round tables of ten
    Banquet,
    /// Standing conversational groups (the `group` column is the truth)
    Reception,
    /// 20 snapshots of standing groups, with their true groups in truth.csv
    Groups,
    /// The same, made hard as real recordings are: groups close together, two facing rows, noisy and quantised facings, missed people
    GroupsHard,
}

#[derive(clap::Args, Debug)]
#[command(
    after_help = "Examples:\n  earshot generate banquet --seats 200 -o /tmp/banquet\n  earshot generate stadium --seats 100000 --seed 7 -o /tmp/stadium"
)]
pub struct Args {
    /// What kind of venue
    #[arg(value_enum)]
    kind: KindArg,
    /// How many seats (or people, for a reception)
    #[arg(long)]
    seats: usize,
    /// Random seed: the same seed gives the same scene
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Folder to write scene.toml and people.csv into
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    if args.seats > 5_000_000 {
        return Err(super::BadInput(format!(
            "--seats {} is more than the 5,000,000 earshot loads",
            args.seats
        ))
        .into());
    }
    let kind = match args.kind {
        KindArg::Stadium => Kind::Stadium,
        KindArg::Banquet => Kind::Banquet,
        KindArg::Reception => Kind::Reception,
        KindArg::Groups => Kind::Groups,
        KindArg::GroupsHard => Kind::GroupsHard,
    };
    let g = generate(kind, args.seats, args.seed);
    write_atomic(&args.output.join("people.csv"), || {
        Ok(g.people_csv.into_bytes())
    })?;
    if !g.scene_toml.is_empty() {
        write_atomic(&args.output.join("scene.toml"), || {
            Ok(g.scene_toml.into_bytes())
        })?;
    }
    if let Some(truth) = g.truth_csv {
        write_atomic(&args.output.join("truth.csv"), || Ok(truth.into_bytes()))?;
    }
    eprintln!("wrote {} ({} people)", args.output.display(), g.people);
    Ok(())
}
