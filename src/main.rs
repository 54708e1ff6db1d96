//! The `earshot` command line: parse arguments, call the library, print. Exit codes: 0 success,
//! 1 runtime failure, 2 bad input or usage.

mod alloc;
mod cmd;

#[global_allocator]
static ALLOCATOR: alloc::Allocator = alloc::Allocator;

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match <cmd::Cli as clap::Parser>::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // a bug must still end in a message and a defined exit code, never a bare panic
    std::panic::set_hook(Box::new(|info| {
        eprintln!("error: internal error in earshot (please report it): {info}");
    }));
    match std::panic::catch_unwind(|| cmd::run(cli)) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        Ok(Err(e)) => {
            eprintln!("error: {e:#}");
            ExitCode::from(cmd::exit_code(&e))
        }
        Err(_) => ExitCode::from(1),
    }
}
