//! Progress output: an indicatif spinner per long step on a terminal, plain
//! `==>` lines where nobody watches a terminal (pipes, CI=true).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// Whether a person is watching: stderr is a terminal and `CI` is not set.
pub(crate) fn interactive() -> bool {
    let in_ci =
        std::env::var("CI").is_ok_and(|value| !matches!(value.as_str(), "" | "0" | "false"));
    std::io::stderr().is_terminal() && !in_ci
}

/// One long step, shown as a spinner until it finishes.
#[derive(Debug)]
pub(crate) struct Step {
    title: String,
    bar: Option<ProgressBar>,
    started: Instant,
}

impl Step {
    /// Announces the step: a spinner on a terminal, a `==>` line elsewhere.
    pub(crate) fn start(title: impl Into<String>) -> Self {
        let title = title.into();
        let bar = if interactive() {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner:.cyan} {msg} {elapsed:.dim}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.set_message(title.clone());
            bar.enable_steady_tick(Duration::from_millis(100));
            Some(bar)
        } else {
            eprintln!("==> {title}");
            None
        };
        Self {
            title,
            bar,
            started: Instant::now(),
        }
    }

    /// Shows what the step is doing right now (the spinner only).
    pub(crate) fn detail(&self, text: &str) {
        if let Some(bar) = &self.bar {
            let text: String = text.chars().take(90).collect();
            bar.set_message(format!("{}: {text}", self.title));
        }
    }

    /// Ends the step as a success.
    pub(crate) fn done(self) {
        self.finish("✓");
    }

    /// Ends the step as a failure.
    pub(crate) fn failed(self) {
        self.finish("✗");
    }

    fn finish(mut self, mark: &str) {
        let elapsed = self.started.elapsed().as_secs_f32();
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        eprintln!("{mark} {} ({elapsed:.1}s)", self.title);
    }
}

impl Drop for Step {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

/// Prints a plain status line.
pub(crate) fn note(text: &str) {
    eprintln!("==> {text}");
}
