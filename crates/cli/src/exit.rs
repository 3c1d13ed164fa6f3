//! The one place where outcomes and errors become exit codes: 0 ok, 1 some inputs failed,
//! 2 usage or configuration error.
#![allow(clippy::print_stderr)]

use std::path::Path;
use std::process::ExitCode;

/// How a command that ran to the end went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Some inputs could not be processed; the others were.
    SomeInputsFailed,
}

pub fn finish(result: anyhow::Result<Status>) -> ExitCode {
    match result {
        Ok(Status::Ok) => ExitCode::SUCCESS,
        Ok(Status::SomeInputsFailed) => ExitCode::from(1),
        Err(error) => {
            // A closed pipe (`qadesk score … | head`) is the reader's choice, not an error.
            if error.chain().any(is_broken_pipe) {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// A write to a closed pipe, however deep the writer (CSV, JSON) wrapped it.
fn is_broken_pipe(cause: &(dyn std::error::Error + 'static)) -> bool {
    let broken = std::io::ErrorKind::BrokenPipe;
    if let Some(e) = cause.downcast_ref::<std::io::Error>() {
        return e.kind() == broken;
    }
    if let Some(e) = cause.downcast_ref::<csv::Error>() {
        return matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == broken);
    }
    if let Some(e) = cause.downcast_ref::<serde_json::Error>() {
        return e.io_error_kind() == Some(broken);
    }
    false
}

/// Reports a failed input on stderr, redacted (a message may quote the input); the batch
/// carries on.
pub fn report_input_error(message: &str) {
    eprintln!("error: {}", crate::redaction::text(message));
}

/// Runs the work on one input of a batch so that a bug in qadesk (a panic) fails that input,
/// with an error naming the file, instead of ending the whole batch.
pub fn one_input<T>(path: &Path, work: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_owned());
        format!("{}: internal error in qadesk ({what}); please report it", path.display())
    })
}

/// Closes a batch: when some inputs failed, says how many (and that the rest went through) and
/// returns the matching status. `what` names the inputs, `done` what happened to the others.
pub fn batch_status(failed: usize, total: usize, what: &str, done: &str) -> Status {
    if failed == 0 {
        return Status::Ok;
    }
    let rest = if failed < total { format!("; the others were {done}") } else { String::new() };
    report_input_error(&format!("{failed} of {total} {what} could not be {done}{rest}"));
    Status::SomeInputsFailed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_in_one_input_becomes_its_error() {
        let path = Path::new("calls/a.wav");
        assert_eq!(one_input(path, || 7), Ok(7));
        let failed = one_input(path, || -> u32 { panic!("min > max") });
        assert_eq!(
            failed,
            Err("calls/a.wav: internal error in qadesk (min > max); please report it".to_owned())
        );
        let formatted = one_input(path, || -> u32 { panic!("bad {}", 3) });
        assert!(formatted.is_err_and(|e| e.contains("(bad 3)")));
    }
}
