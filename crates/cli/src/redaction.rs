//! Redaction at the command line's edges: every transcript, free-text answer and input error
//! passes through `qadesk-redact` before it is stored, scored or printed.

use qadesk_domain::Transcript;
use qadesk_store::Redaction;

/// The redacted transcript, and where it was redacted as the store keeps it (turns from 1).
pub fn transcript(transcript: &Transcript) -> (Transcript, Vec<Redaction>) {
    let redacted = qadesk_redact::redact(transcript);
    let spans = redacted
        .spans
        .iter()
        .map(|span| Redaction {
            turn: span.segment + 1,
            kind: span.kind.as_str(),
            start_ms: span.start_ms,
            end_ms: span.end_ms,
        })
        .collect();
    (redacted.transcript, spans)
}

/// A free text (an answer, a comment, an error message that may quote a transcript line).
pub fn text(text: &str) -> String {
    qadesk_redact::redact_text(text)
}
