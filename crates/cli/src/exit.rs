//! The one place where outcomes and errors become exit codes: 0 ok, 1 some inputs failed,
//! 2 usage or configuration error.
#![allow(clippy::print_stderr)]

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
