//! Running child processes: streamed to the terminal, or captured behind a
//! spinner and replayed only when they fail.

use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::os::unix::process::ExitStatusExt;
use std::process::{Command, ExitStatus, Stdio};
use std::sync::mpsc;

use anyhow::{Context, Result};

use crate::ui::{self, Step};

/// A command that ran and exited unsuccessfully; `main` hands its code on.
#[derive(Debug)]
pub(crate) struct CommandFailed {
    pub(crate) command: String,
    pub(crate) code: Option<i32>,
    status: ExitStatus,
}

impl CommandFailed {
    /// Whether the command was killed by SIGINT (Ctrl-C).
    pub(crate) fn interrupted(&self) -> bool {
        self.status.signal() == Some(nix::libc::SIGINT)
    }
}

impl fmt::Display for CommandFailed {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "`{}` failed ({})", self.command, self.status)
    }
}

impl std::error::Error for CommandFailed {}

/// The command line, for messages.
pub(crate) fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

fn check(command: &Command, status: ExitStatus) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        Err(CommandFailed {
            command: describe(command),
            code: status.code(),
            status,
        }
        .into())
    }
}

/// Runs `command` with the terminal as its standard streams, so that its
/// output (cargo's, the tests') streams live, and fails if it fails.
pub(crate) fn run_streamed(command: &mut Command) -> Result<()> {
    ui::note(&format!("$ {}", describe(command)));
    let status = command
        .stdin(Stdio::null())
        .status()
        .with_context(|| format!("could not run `{}`", describe(command)))?;
    check(command, status)
}

/// Runs a long step. On a terminal its output is captured behind a spinner
/// that shows the latest line, and replayed only if it fails (cargo is told
/// to keep its colours for that). Elsewhere the output simply streams.
/// Returns what it printed when captured (empty when streamed), for callers
/// that show it on success too.
pub(crate) fn run_step(title: &str, command: &mut Command) -> Result<String> {
    if !ui::interactive() {
        let step = Step::start(title);
        let result = run_streamed(command);
        match &result {
            Ok(()) => step.done(),
            Err(_) => step.failed(),
        }
        return result.map(|()| String::new());
    }
    if std::env::var_os("CARGO_TERM_COLOR").is_none() {
        command.env("CARGO_TERM_COLOR", "always");
    }
    let step = Step::start(title);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not run `{}`", describe(command)))?;
    let (sender, lines) = mpsc::channel();
    let stdout = child
        .stdout
        .take()
        .map(|out| Box::new(out) as Box<dyn Read + Send>);
    let stderr = child
        .stderr
        .take()
        .map(|err| Box::new(err) as Box<dyn Read + Send>);
    let readers = [
        forward_lines(stdout, &sender),
        forward_lines(stderr, &sender),
    ];
    drop(sender);
    let mut transcript = Vec::new();
    for line in lines {
        step.detail(&strip_ansi(&line));
        transcript.push(line);
    }
    for reader in readers.into_iter().flatten() {
        let _ = reader.join();
    }
    let status = child.wait().context("could not wait for a child process")?;
    if status.success() {
        step.done();
    } else {
        step.failed();
        eprintln!("{}", transcript.join("\n"));
    }
    check(command, status).map(|()| transcript.join("\n"))
}

fn forward_lines(
    stream: Option<Box<dyn Read + Send>>,
    sender: &mpsc::Sender<String>,
) -> Option<std::thread::JoinHandle<()>> {
    let stream = stream?;
    let sender = sender.clone();
    Some(std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    }))
}

/// The text of `line` without ANSI escape sequences, for the spinner.
fn strip_ansi(line: &str) -> String {
    let mut plain = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(character) = chars.next() {
        if character == '\u{1b}' {
            // Skip "ESC [ parameters final-letter".
            for next in chars.by_ref() {
                if next.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(character);
        }
    }
    plain
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_colour_codes() {
        assert_eq!(
            strip_ansi("\u{1b}[1m\u{1b}[32mCompiling\u{1b}[0m x"),
            "Compiling x"
        );
        assert_eq!(strip_ansi("plain"), "plain");
    }

    #[test]
    fn a_failing_command_carries_its_exit_code() {
        let error = run_streamed(Command::new("sh").args(["-c", "exit 7"])).unwrap_err();
        let failed = error.downcast_ref::<CommandFailed>().unwrap();
        assert_eq!(failed.code, Some(7));
        assert!(failed.command.starts_with("sh -c"));
    }
}
