//! `qadesk model`: import a CTranslate2 model, fetch a published one, list what is found.

use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};

use crate::args::ModelCommand;
use crate::exit::Status;

/// Where whisper.cpp publishes its ggml models; `QADESK_MODEL_URL` overrides it (tests point
/// it at a local server).
const MODEL_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

pub fn run(command: &ModelCommand) -> anyhow::Result<Status> {
    let mut out = std::io::stdout().lock();
    match command {
        ModelCommand::ImportCt2 { dir, out: target } => {
            let summary = qadesk_transcribe::import_ct2(dir, target)
                .with_context(|| format!("cannot import {}", dir.display()))?;
            writeln!(
                out,
                "wrote {} ({} MB, {} model: {} audio + {} text layers, width {}, {} tokens, {} tensors)",
                target.display(),
                summary.bytes / 1_000_000,
                if summary.multilingual { "multilingual" } else { "English-only" },
                summary.n_audio_layer,
                summary.n_text_layer,
                summary.n_state,
                summary.n_vocab,
                summary.tensors
            )?;
        }
        ModelCommand::Fetch { name, dir } => {
            let base = std::env::var("QADESK_MODEL_URL").unwrap_or_else(|_| MODEL_URL.to_string());
            let bar = if std::io::stderr().is_terminal() {
                ProgressBar::new(0)
            } else {
                ProgressBar::hidden()
            };
            bar.set_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} eta {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            );
            bar.set_message(format!("ggml-{name}.bin"));
            let mut progress = |done: u64, total: Option<u64>| {
                if let Some(total) = total {
                    bar.set_length(total);
                }
                bar.set_position(done);
            };
            let path = qadesk_transcribe::fetch_model(name, &base, dir, &mut progress)
                .with_context(|| format!("cannot fetch model {name} from {base}"))?;
            bar.finish_and_clear();
            writeln!(out, "wrote {}", path.display())?;
        }
        ModelCommand::List => {
            let models = qadesk_transcribe::list_models(Some(Path::new(".")));
            if models.is_empty() {
                writeln!(
                    out,
                    "no models found; run scripts/setup, or: qadesk model fetch tiny.en"
                )?;
            }
            for model in models {
                writeln!(
                    out,
                    "{}\t{} MB\t{}",
                    model.path.display(),
                    model.bytes / 1_000_000,
                    model.kind
                )?;
            }
        }
    }
    Ok(Status::Ok)
}
