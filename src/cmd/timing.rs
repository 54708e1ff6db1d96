//! `--timings`: one line per stage on stderr, exactly `timing <stage> <seconds>`.

use std::time::Instant;

pub struct Timer {
    on: bool,
    last: Instant,
    /// Seconds measured in laps that belong to the next stage.
    carry: f64,
}

impl Timer {
    pub fn new(on: bool) -> Self {
        Timer {
            on,
            last: Instant::now(),
            carry: 0.0,
        }
    }

    /// Ends a stage: prints the seconds since the previous one.
    pub fn stage(&mut self, name: &str) {
        let secs = self.lap() + std::mem::take(&mut self.carry);
        self.report(name, secs);
    }

    /// Adds seconds measured in laps to the next stage.
    pub fn add_to_next(&mut self, secs: f64) {
        self.carry += secs;
    }

    /// The seconds since the previous stage or lap, starting the next (for stages that take
    /// turns, summed by the caller).
    pub fn lap(&mut self) -> f64 {
        let now = Instant::now();
        let secs = (now - self.last).as_secs_f64();
        self.last = now;
        secs
    }

    /// Prints a stage measured in laps.
    pub fn report(&self, name: &str, secs: f64) {
        if self.on {
            eprintln!("timing {name} {secs:.6}");
        }
    }
}
