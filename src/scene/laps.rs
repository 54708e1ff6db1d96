//! The parts of loading, timed: with `--timings`, each prints `timing load.<part> <seconds>`
//! before the whole load stage's line, so a slow load shows where its time goes.

use std::cell::Cell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

static ON: AtomicBool = AtomicBool::new(false);

thread_local! {
    static LAST: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Prints the parts of every later load (the binary's `--timings`).
pub fn enable() {
    ON.store(true, Ordering::Relaxed);
}

/// Starts timing a load on this thread.
pub(crate) fn start() {
    if ON.load(Ordering::Relaxed) {
        LAST.with(|l| l.set(Some(Instant::now())));
    }
}

/// Ends a part begun by [`start`] or the previous `lap` on this thread: prints its seconds.
pub(crate) fn lap(part: &str) {
    if !ON.load(Ordering::Relaxed) {
        return;
    }
    let now = Instant::now();
    LAST.with(|l| {
        if let Some(t) = l.get() {
            eprintln!("timing load.{part} {:.6}", (now - t).as_secs_f64());
        }
        l.set(Some(now));
    });
}
