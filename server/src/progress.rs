//! A progress line on stderr for long commands (`tribune verify`, `tribune
//! demo --cases N`): redrawn in place on a terminal, with the time left;
//! elsewhere (CI logs, pipes) one line per tenth of the way.

use std::cell::Cell;
use std::io::IsTerminal as _;
use std::time::{Duration, Instant};

pub struct Progress {
    label: &'static str,
    total: u64,
    terminal: bool,
    started: Instant,
    /// The last tenth written (off a terminal) or the last redraw (on one).
    shown_tenth: Cell<u64>,
    shown_at: Cell<Option<Instant>>,
}

impl Progress {
    pub fn new(label: &'static str, total: u64) -> Self {
        Self {
            label,
            total,
            terminal: std::io::stderr().is_terminal(),
            started: Instant::now(),
            shown_tenth: Cell::new(0),
            shown_at: Cell::new(None),
        }
    }

    /// `done` of the total are done.
    pub fn update(&self, done: u64) {
        if self.total == 0 {
            return;
        }
        let done = done.min(self.total);
        if self.terminal {
            // A redraw at most every 100 ms, and at the end.
            let now = Instant::now();
            let due = self
                .shown_at
                .get()
                .is_none_or(|at| now.duration_since(at) >= Duration::from_millis(100));
            if due || done == self.total {
                self.shown_at.set(Some(now));
                eprint!("\r{}\x1b[K", self.line(done));
            }
        } else {
            let tenth = done * 10 / self.total;
            if tenth > self.shown_tenth.get() {
                self.shown_tenth.set(tenth);
                eprintln!("{}", self.line(done));
            }
        }
    }

    pub fn finish(&self) {
        if self.terminal && self.total > 0 {
            eprintln!();
        }
    }

    fn line(&self, done: u64) -> String {
        let percent = done * 100 / self.total;
        let elapsed = self.started.elapsed();
        let left = if done == 0 || done == self.total {
            String::new()
        } else {
            let per_item = elapsed.as_secs_f64() / done as f64;
            let seconds = (per_item * (self.total - done) as f64).round() as u64;
            format!(", about {} left", duration(seconds))
        };
        format!("{}: {done}/{} ({percent}%){left}", self.label, self.total)
    }
}

/// `75` → `1m 15s`; `3700` → `1h 1m`.
fn duration(seconds: u64) -> String {
    match seconds {
        0..60 => format!("{seconds}s"),
        60..3600 => format!("{}m {}s", seconds / 60, seconds % 60),
        _ => format!("{}h {}m", seconds / 3600, seconds % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(duration(0), "0s");
        assert_eq!(duration(75), "1m 15s");
        assert_eq!(duration(3700), "1h 1m");
    }

    #[test]
    fn the_line_says_how_far_and_how_long() {
        let progress = Progress::new("demo cases", 200);
        assert_eq!(progress.line(200), "demo cases: 200/200 (100%)");
        let halfway = progress.line(100);
        assert!(
            halfway.starts_with("demo cases: 100/200 (50%), about "),
            "{halfway}"
        );
    }
}
