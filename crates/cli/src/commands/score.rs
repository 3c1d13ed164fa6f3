//! `qadesk score`: reads transcripts, scores each against one rubric, prints scorecards.

use std::io::{BufWriter, IsTerminal};

use qadesk_domain::Interaction;

use crate::args::ScoreArgs;
use crate::exit::{Status, batch_status, report_input_error};
use crate::output::Sink;
use crate::speech::{Speech, is_audio};
use crate::{inputs, redaction};

pub fn run(args: &ScoreArgs) -> anyhow::Result<Status> {
    let rubric = inputs::load_rubric(&args.rubric)?;
    let speakers = inputs::speaker_map(&rubric, args.speaker_map.as_deref())?;
    let forced = inputs::forced_format(args.input_format.as_deref())?;
    let options = inputs::score_options(&rubric, &args.language)?;

    let mut sink = Sink::new(args.format, BufWriter::new(std::io::stdout().lock()))?;
    let mut speech: Option<Speech> = None;
    let mut failed = 0;
    for path in &args.inputs {
        let read = if forced.is_none() && is_audio(path) {
            if speech.is_none() {
                speech = Some(Speech::load(&args.speech, &args.language, 1)?);
            }
            speech
                .as_ref()
                .map_or_else(
                    || Err("no model".to_string()),
                    |s| s.transcribe(path, std::io::stderr().is_terminal()),
                )
                .map(|(transcript, _)| transcript)
        } else {
            inputs::read_transcript(path, forced, &speakers)
        };
        let transcript = match read {
            // The rubric sees tags where card numbers and personal data were.
            Ok(t) => redaction::transcript(&t).0,
            Err(message) => {
                report_input_error(&message);
                failed += 1;
                continue;
            }
        };
        let interaction = Interaction::call(inputs::interaction_id(path), transcript);
        sink.emit(&rubric.score(&interaction, &options))?;
    }
    sink.finish()?;
    Ok(batch_status(failed, args.inputs.len(), "input(s)", "scored"))
}
