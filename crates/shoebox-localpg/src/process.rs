//! Running helper programs and turning their failures into readable errors.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::LocalPgError;

/// Runs `command` to completion with no standard input, capturing its output,
/// and fails with everything it printed when it exits unsuccessfully.
pub(crate) fn run(command: &mut Command) -> Result<Output, LocalPgError> {
    let output = command.stdin(Stdio::null()).output().map_err(|error| {
        LocalPgError::io(format!("could not run `{}`", describe(command)), error)
    })?;
    if output.status.success() {
        Ok(output)
    } else {
        Err(LocalPgError::CommandFailed {
            command: describe(command),
            status: output.status.to_string(),
            output: printed(&output),
        })
    }
}

/// Everything a finished command printed, stderr first, trimmed.
pub(crate) fn printed(output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let stdout = String::from_utf8_lossy(&output.stdout);
    let both = format!("{}\n{}", stderr.trim(), stdout.trim());
    both.trim().to_owned()
}

/// The command line of `command`, for messages.
pub(crate) fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(
        command
            .get_args()
            .map(|arg| arg.to_string_lossy().into_owned()),
    );
    words.join(" ")
}

/// Quotes `path` for a POSIX shell. `pg_ctl -o` hands its options to `sh`, so
/// a socket directory with a space or quote in it must be quoted there.
pub(crate) fn shell_quote(path: &Path) -> String {
    let text = path.to_string_lossy();
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The last `lines` lines of the file at `path`, or a note saying why there are none.
pub(crate) fn tail(path: &Path, lines: usize) -> String {
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let all: Vec<&str> = text.lines().collect();
            all[all.len().saturating_sub(lines)..].join("\n")
        }
        Err(error) => format!("(could not read {}: {error})", path.display()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shell_quote_survives_quotes_and_spaces() {
        assert_eq!(shell_quote(Path::new("/tmp/a b")), "'/tmp/a b'");
        assert_eq!(shell_quote(Path::new("/tmp/it's")), r"'/tmp/it'\''s'");
    }

    #[test]
    fn tail_keeps_only_the_last_lines() {
        let dir = std::env::temp_dir().join(format!("localpg-tail-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("log");
        std::fs::write(&file, "one\ntwo\nthree\nfour\n").unwrap();
        assert_eq!(tail(&file, 2), "three\nfour");
        assert_eq!(tail(&file, 10), "one\ntwo\nthree\nfour");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(tail(&file, 2).starts_with("(could not read"));
    }

    #[test]
    fn run_reports_what_a_failing_command_printed() {
        let error = run(Command::new("sh").args(["-c", "echo oops >&2; exit 3"])).unwrap_err();
        let message = error.to_string();
        assert!(message.contains("oops"), "{message}");
        assert!(message.contains("exit status: 3"), "{message}");
    }
}
