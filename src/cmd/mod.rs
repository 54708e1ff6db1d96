//! Subcommands, one file each.

mod chart;
mod export;
mod generate;
mod groups;
mod locate;
mod neighbors;
mod pairs;
mod plot;
mod query;
mod report;
mod timing;
mod validate;
mod view;

use anyhow::Result;
use clap::{Parser, Subcommand, ValueEnum};
use earshot::scene::{self, LoadOptions, Scene, SceneError, Units};
use std::path::{Path, PathBuf};

/// Could these two people have held a conversation? earshot reads where everyone was at an
/// event (a seating CSV, optionally with a scene.toml describing the venue) and answers with
/// physically grounded, explained verdicts.
#[derive(Parser, Debug)]
#[command(name = "earshot", version, about, long_about = None, after_help = "Examples:
  earshot validate scenes/mayflower-2016
  earshot query scenes/mayflower-2016 Sessions Kislyak
  earshot neighbors scenes/wedding-banquet \"Guest 040\" --phase dinner
  earshot chart scenes/wedding-banquet
  earshot report scenes/mayflower-2016            # one interactive HTML page
  earshot export scenes/mayflower-2016 --format geojson -o mayflower.geojson

Each command has its own examples: earshot <command> --help")]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Length unit of a bare seating CSV (a scene.toml states its own)
    #[arg(long, global = true, value_enum, default_value = "m")]
    units: UnitArg,
    /// Refuse scenes with more attendee rows than this
    #[arg(long, global = true, default_value_t = 5_000_000)]
    max_attendees: usize,
    /// Print `timing <stage> <seconds>` lines to stderr (load, index, search, model, write)
    #[arg(long, global = true)]
    timings: bool,
    /// Background noise of a bare seating CSV: a level in dB(A), or `crowd` to predict it from
    /// the number of people and the room (default: 45, a quiet occupied room)
    #[arg(long, global = true, value_parser = parse_noise)]
    noise: Option<scene::NoiseChoice>,
}

fn parse_noise(s: &str) -> std::result::Result<scene::NoiseChoice, String> {
    if s.trim().eq_ignore_ascii_case("crowd") {
        return Ok(scene::NoiseChoice::Crowd);
    }
    match s.trim().parse::<f64>() {
        Ok(v) if (0.0..=140.0).contains(&v) => Ok(scene::NoiseChoice::Level(v)),
        _ => Err(format!(
            "expected a level in dB(A) between 0 and 140, or `crowd`, found {s:?}"
        )),
    }
}

#[derive(Copy, Clone, Debug, ValueEnum)]
enum UnitArg {
    M,
    Ft,
}

/// Output format for reports.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Csv,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a scene and list every problem with file:line
    #[command(
        after_help = "Examples:\n  earshot validate scenes/wedding-banquet\n  earshot validate my-event/scene.toml\n  earshot validate seating.csv --units ft"
    )]
    Validate {
        /// Scene folder, scene.toml or seating CSV
        scene: PathBuf,
    },
    /// Could A and B have talked? A verdict per phase, explained factor by factor
    Query(query::Args),
    /// Everyone A could have talked with, best first
    Neighbors(neighbors::Args),
    /// Draw the SVG seating chart: who could have talked with whom
    Chart(chart::Args),
    /// One interactive HTML page: charts per phase, choose a person or a pair, a sortable table; works offline
    Report(report::Args),
    /// Plots: a pair-plausibility heat map, or intelligibility against distance
    Plot(plot::Args),
    /// Every pair at or above a band, or within a distance (CSV or JSON, for large scenes)
    Pairs(pairs::Args),
    /// Write a realistic, deterministic scene for benchmarks and demos
    Generate(generate::Args),
    /// Floor positions from one photograph: reference points known in the picture and on the floor, then people's pixels
    Locate(locate::Args),
    /// The scene as a camera would see it, beside the plan with its field of view
    View(view::Args),
    /// Conversational groups (F-formations) in each snapshot
    Groups(groups::Args),
    /// The scene as GeoJSON: venue, seats, attendees per phase and pair lines, for a GIS or a web map
    Export(export::Args),
    /// Shell completions: add `source <(earshot completions bash)` to ~/.bashrc
    #[command(
        after_help = "Examples:\n  earshot completions bash > ~/.local/share/bash-completion/completions/earshot\n  earshot completions zsh > ~/.zfunc/_earshot\n  earshot completions fish > ~/.config/fish/completions/earshot.fish\n  earshot completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The manual page (roff): `earshot man | man -l -`, or one page per command with --dir
    #[command(
        after_help = "Examples:\n  earshot man | man -l -\n  earshot man --dir /usr/local/share/man/man1"
    )]
    Man {
        /// Write earshot.1 and a page per command (earshot-query.1, …) into this folder
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Score detected groups against true ones (precision, recall, F1 at T = 2/3 and 1)
    EvalGroups(groups::EvalArgs),
}

/// Appends a line to an output buffer (writing to a `String` cannot fail).
#[macro_export]
macro_rules! outln {
    ($out:expr) => {{ $out.push('\n'); }};
    ($out:expr, $($arg:tt)*) => {{
        use std::fmt::Write as _;
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Writes to standard output; a closed pipe (as in `| head`) ends the output quietly.
pub fn emit(text: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut o = std::io::stdout().lock();
    match o.write_all(text).and_then(|_| o.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(Into::into),
    }
}

/// Input that the user must fix (exit code 2).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// 2 for bad input or usage, 1 for everything else.
pub fn exit_code(e: &anyhow::Error) -> u8 {
    let bad = e
        .chain()
        .any(|c| c.is::<SceneError>() || c.is::<BadInput>() || c.is::<scene::NameLookupError>());
    if bad { 2 } else { 1 }
}

pub fn run(cli: Cli) -> Result<()> {
    let opts = LoadOptions {
        units: match cli.units {
            UnitArg::M => Units::M,
            UnitArg::Ft => Units::Ft,
        },
        limits: scene::Limits {
            max_rows: cli.max_attendees,
            ..Default::default()
        },
        noise: cli.noise,
    };
    if cli.timings {
        scene::laps::enable();
    }
    let t = timing::Timer::new(cli.timings);
    match cli.command {
        Command::Validate { scene } => validate::run(&scene, &opts),
        Command::Query(args) => query::run(args, &opts),
        Command::Neighbors(args) => neighbors::run(args, &opts, t),
        Command::Chart(args) => chart::run(args, &opts, t),
        Command::Plot(args) => plot::run(args, &opts, t),
        Command::Pairs(args) => pairs::run(args, &opts, t),
        Command::Generate(args) => generate::run(args),
        Command::Locate(args) => locate::run(args),
        Command::View(args) => view::run(args, &opts),
        Command::Groups(args) => groups::run(args, &opts, t),
        Command::EvalGroups(args) => groups::run_eval(args),
        Command::Export(args) => export::run(args, &opts),
        Command::Report(args) => report::run(args, &opts, t),
        Command::Completions { shell } => {
            let mut cmd = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut cmd, "earshot", &mut out);
            emit(&out)
        }
        Command::Man { dir } => man(dir.as_deref()),
    }
}

/// The manual: the whole page on standard output, or a page per command in `dir`.
fn man(dir: Option<&Path>) -> Result<()> {
    let cmd = <Cli as clap::CommandFactory>::command();
    let page = |c: clap::Command, title: &str| -> Result<Vec<u8>> {
        let mut out = Vec::new();
        clap_mangen::Man::new(c).title(title).render(&mut out)?;
        Ok(out)
    };
    let Some(dir) = dir else {
        return emit(&page(cmd, "earshot")?);
    };
    std::fs::create_dir_all(dir)?;
    let top = page(cmd.clone(), "earshot")?;
    earshot::output::atomic::write_atomic(&dir.join("earshot.1"), || Ok(top))?;
    for sub in cmd.get_subcommands() {
        let name = format!("earshot-{}", sub.get_name());
        let body = page(sub.clone(), &name)?;
        earshot::output::atomic::write_atomic(&dir.join(format!("{name}.1")), || Ok(body))?;
    }
    eprintln!(
        "wrote {} pages into {}",
        cmd.get_subcommands().count() + 1,
        dir.display()
    );
    Ok(())
}

/// Loads a scene for analysis; a scene with problems is refused with a pointer to `validate`.
pub fn load(path: &Path, opts: &LoadOptions) -> Result<Scene> {
    let loaded = scene::load(path, opts);
    // warnings do not stop the analysis, but a reader should know what was ignored
    if let Ok(s) = &loaded {
        for w in &s.warnings {
            eprintln!("warning: {w}");
        }
    }
    loaded.map_err(|e| {
        let n = e.diagnostics.len();
        let mut msg = String::from("the scene has problems:\n");
        for d in e.diagnostics.iter().take(10) {
            msg.push_str(&format!("  {d}\n"));
        }
        if n > 10 {
            msg.push_str(&format!("  … and {} more\n", n - 10));
        }
        msg.push_str(&format!(
            "run `earshot validate {}` to see every problem",
            path.display()
        ));
        anyhow::Error::new(BadInput(msg))
    })
}

/// Where a picture of `phase` goes: the `-o` file when one is given (it names one file, so it
/// needs one phase), else `output/<scene>-<phase><suffix>.svg`.
pub fn picture_paths(
    scene: &Scene,
    phases: &[usize],
    output: Option<&Path>,
    suffix: &str,
) -> Result<Vec<PathBuf>> {
    if let Some(o) = output {
        if phases.len() > 1 {
            return Err(BadInput(format!(
                "-o names one file but the scene has {} phases: add --phase",
                phases.len()
            ))
            .into());
        }
        return Ok(vec![o.to_path_buf()]);
    }
    Ok(phases
        .iter()
        .map(|&p| {
            PathBuf::from("output").join(format!(
                "{}-{}{suffix}.svg",
                file_safe(&scene.slug),
                file_safe(&scene.phases[p].name)
            ))
        })
        .collect())
}

/// A file-name-safe version of a name from the input.
pub fn file_safe(s: &str) -> String {
    let t: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .take(60)
        .collect();
    if t.is_empty() { "scene".into() } else { t }
}

/// The attendees `names` name, in order; the first unknown name is an error.
pub fn find_all(scene: &Scene, names: &[String]) -> Result<Vec<usize>> {
    Ok(names
        .iter()
        .map(|n| scene.find_attendee(n))
        .collect::<Result<Vec<_>, _>>()?)
}

/// The phases a command applies to: the one named, or all.
pub fn phases(scene: &Scene, phase: Option<&str>) -> Result<Vec<usize>> {
    match phase {
        None => Ok((0..scene.phases.len()).collect()),
        Some(p) => match scene.phase_index(p) {
            Some(i) => Ok(vec![i]),
            None => Err(BadInput(format!(
                "unknown phase {:?}: this scene has {}",
                p,
                scene
                    .phases
                    .iter()
                    .map(|p| format!("{:?}", p.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .into()),
        },
    }
}

/// How verdicts treat uncertain inputs (seat sets, ranges, presence probabilities).
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct UncertaintyArgs {
    /// Draws when the uncertain cases are too many to enumerate (Latin hypercube)
    #[arg(long, default_value_t = earshot::analysis::uncertainty::DEFAULT_SAMPLES as u32,
          value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    samples: u32,
    /// Seed of the draws: the same seed gives the same output
    #[arg(long, default_value_t = earshot::analysis::uncertainty::DEFAULT_SEED)]
    seed: u64,
}

impl UncertaintyArgs {
    /// The options these arguments ask for.
    pub fn options(self) -> earshot::analysis::uncertainty::Options {
        earshot::analysis::uncertainty::Options {
            samples: self.samples as usize,
            seed: self.seed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// The example command lines in a help text (lines that start with `earshot `), split as a
    /// shell would split them (quotes, `\` continuations) and without comments or redirections.
    fn examples(help: &str) -> Vec<Vec<String>> {
        let joined = help.replace("\\\n", " ");
        joined
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with("earshot ") && !l.contains('|'))
            .map(|l| {
                let l = l.split(" #").next().unwrap_or(l);
                let l = l.split(['>', '<']).next().unwrap_or(l);
                let mut words = vec![];
                let (mut word, mut quoted, mut any) = (String::new(), false, false);
                for c in l.chars() {
                    match c {
                        '"' => {
                            quoted = !quoted;
                            any = true;
                        }
                        c if c.is_whitespace() && !quoted => {
                            if any || !word.is_empty() {
                                words.push(std::mem::take(&mut word));
                            }
                            any = false;
                        }
                        c => word.push(c),
                    }
                }
                if any || !word.is_empty() {
                    words.push(word);
                }
                words
            })
            .collect()
    }

    #[test]
    fn every_command_has_examples_that_parse() {
        let cmd = Cli::command();
        let mut checked = 0;
        for sub in cmd.get_subcommands() {
            let help = sub
                .get_after_help()
                .map(|h| h.to_string())
                .unwrap_or_default();
            let ex = examples(&help);
            assert!(
                !ex.is_empty(),
                "`earshot {}` has no example",
                sub.get_name()
            );
            for words in ex {
                if let Err(e) = Cli::command().try_get_matches_from(&words) {
                    panic!("example {words:?} does not parse: {e}");
                }
                checked += 1;
            }
        }
        assert!(checked >= 2 * cmd.get_subcommands().count(), "{checked}");
    }

    #[test]
    fn completions_and_manual_name_every_command() {
        let mut cmd = Cli::command();
        let mut out = Vec::new();
        clap_complete::generate(clap_complete::Shell::Bash, &mut cmd, "earshot", &mut out);
        let bash = String::from_utf8_lossy(&out);
        let mut page = Vec::new();
        clap_mangen::Man::new(Cli::command())
            .render(&mut page)
            .unwrap_or_else(|e| panic!("{e}"));
        let page = String::from_utf8_lossy(&page);
        assert!(
            page.starts_with(".ie") || page.contains(".TH earshot"),
            "{page}"
        );
        for sub in Cli::command().get_subcommands() {
            assert!(
                bash.contains(sub.get_name()),
                "{} not completed",
                sub.get_name()
            );
            assert!(
                page.contains(&sub.get_name().replace('-', "\\-")),
                "{} not in the manual",
                sub.get_name()
            );
        }
    }
}
