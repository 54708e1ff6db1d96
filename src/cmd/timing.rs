//! `--timings`: one line per stage on stderr, exactly `timing <stage> <seconds>`.

use std::time::Instant;

pub struct Timer {
    on: bool,
    last: Instant,
}

impl Timer {
    pub fn new(on: bool) -> Self {
        Timer {
            on,
            last: Instant::now(),
        }
    }

    /// Ends a stage: prints the seconds since the previous one.
    pub fn stage(&mut self, name: &str) {
        let now = Instant::now();
        if self.on {
            eprintln!("timing {name} {:.6}", (now - self.last).as_secs_f64());
        }
        self.last = now;
    }
}
