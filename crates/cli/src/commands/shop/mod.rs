//! `qadesk shop`: mystery shopping. `import` checks and stores answer files (a recording named
//! in one is transcribed and scored with a call rubric too); `print` writes a blank form.
#![allow(clippy::print_stderr)]

mod answers;
mod fill;
mod print;

use std::io::IsTerminal;
use std::path::Path;

use qadesk_domain::{AnswerValue, Answers, CallMetrics, Interaction};
use qadesk_rubric::{Rubric, ScoreOptions};
use qadesk_store::{
    Attachment, Metadata, NewInteraction, RecordingInfo, SourceFile, Store, Stored, VisitInfo,
};

use self::answers::RawVisit;
use crate::args::{ShopCommand, ShopImportArgs, SpeechArgs};
use crate::commands::ingest::metadata::{normalise_date, normalise_time};
use crate::commands::ingest::sha256_hex;
use crate::commands::rubric::RubricFile;
use crate::exit::{Status, batch_status, report_input_error};
use crate::speech::Speech;
use crate::{inputs, redaction};

pub fn run(db: &Path, command: &ShopCommand) -> anyhow::Result<Status> {
    match command {
        ShopCommand::Import(args) => import(db, args),
        ShopCommand::Print(args) => print::run(args),
        ShopCommand::Fill(args) => fill::run(db, args),
    }
}

/// A rubric compiled, and its row in the database.
struct RubricInStore {
    rubric: Rubric,
    row: i64,
}

fn load_into(store: &mut Store, path: &Path) -> anyhow::Result<RubricInStore> {
    let file = RubricFile::load(path)?;
    let row = file.store_in(store)?;
    Ok(RubricInStore { rubric: file.rubric, row })
}

fn import(db: &Path, args: &ShopImportArgs) -> anyhow::Result<Status> {
    let mut store = Store::open(db)?;
    let checklist = load_into(&mut store, &args.checklist)?;
    if checklist.rubric.questions.is_empty() {
        anyhow::bail!(
            "{}: `{}` has no [[question]] tables, so it is not a checklist",
            args.checklist.display(),
            checklist.rubric.id
        );
    }
    let call_rubric = args.call_rubric.as_deref().map(|p| load_into(&mut store, p)).transpose()?;
    let mut speech: Option<Speech> = None;
    let (mut imported, mut already, mut failed, mut total) = (0, 0, 0, 0);
    for file in &args.answers {
        let visits = match answers::read(file) {
            Ok(visits) => visits,
            Err(message) => {
                report_input_error(&message);
                failed += 1;
                total += 1;
                continue;
            }
        };
        for visit in visits {
            total += 1;
            let item = prepare(&visit, &checklist, call_rubric.as_ref(), &args.speech, &mut speech);
            let outcome = item.and_then(|item| {
                store
                    .insert_batch(std::slice::from_ref(&item))
                    .map_err(|e| e.to_string())?
                    .remove(0)
                    .map_err(|e| format!("{}: {e}", visit.origin))
            });
            match outcome {
                Ok(Stored::Inserted { .. }) => imported += 1,
                Ok(Stored::AlreadyStored { .. }) => already += 1,
                Err(message) => {
                    report_input_error(&message);
                    failed += 1;
                }
            }
        }
    }
    eprintln!("imported {imported}, already stored {already}, failed {failed}");
    Ok(batch_status(failed, total, "visit(s)", "imported"))
}

/// Checks one visit's answers against the checklist and builds what is stored; every problem
/// of the visit is reported at once.
fn prepare(
    visit: &RawVisit,
    checklist: &RubricInStore,
    call_rubric: Option<&RubricInStore>,
    speech_args: &SpeechArgs,
    speech: &mut Option<Speech>,
) -> Result<NewInteraction, String> {
    let rubric = &checklist.rubric;
    let mut problems = Vec::new();
    if let Some(error) = visit.field("row-error") {
        problems.push(error.to_string());
    }
    if let Some(id) = &visit.checklist
        && !id.is_empty()
        && *id != rubric.id
    {
        // Nothing else is worth reading when the file answers another checklist.
        let wrong = format!("written for checklist `{id}`, not `{}`", rubric.id);
        return Err(problem_report(visit, &[wrong]));
    }
    let mut answers = Answers::new();
    let mut attachments = Vec::new();
    for (question, raw) in &visit.answers {
        let Some(q) = rubric.question(question) else {
            problems.push(format!(
                "unknown question `{question}`; checklist `{}` asks {}",
                rubric.id,
                rubric.questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>().join(", ")
            ));
            continue;
        };
        if raw.trim().is_empty() {
            continue;
        }
        match q.interpret(raw) {
            Ok(AnswerValue::Text(path)) if q.kind == qadesk_rubric::schema::AnswerType::File => {
                match attachment(visit, question, &path) {
                    Ok(a) => {
                        answers.insert(question.clone(), AnswerValue::Text(path));
                        attachments.push(a);
                    }
                    Err(e) => problems.push(e),
                }
            }
            // Free text (a shopper's comment) can hold a phone number or an e-mail address.
            Ok(AnswerValue::Text(text)) => {
                answers.insert(question.clone(), AnswerValue::Text(redaction::text(&text)));
            }
            Ok(value) => {
                answers.insert(question.clone(), value);
            }
            Err(e) => problems.push(e),
        }
    }
    problems
        .extend(rubric.check_answers(&answers).into_iter().filter(|p| !p.starts_with("unknown")));
    let kind = visit.kind().unwrap_or_else(|e| {
        problems.push(e);
        qadesk_domain::InteractionKind::Visit
    });
    let checked = |f: fn(&str) -> Result<String, String>, key: &str, problems: &mut Vec<String>| {
        visit.field(key).and_then(|v| f(v).map_err(|e| problems.push(format!("`{key}`: {e}"))).ok())
    };
    let date = checked(normalise_date, "date", &mut problems);
    let time_in = checked(normalise_time, "time-in", &mut problems);
    let time_out = checked(normalise_time, "time-out", &mut problems);
    let Some(call_id) = visit.field("id").map(str::to_string) else {
        problems.push("no visit `id`: give each visit its own id".to_string());
        return Err(problem_report(visit, &problems));
    };
    let recording = match (visit.field("recording"), call_rubric) {
        (None, _) => None,
        (Some(path), None) => {
            problems.push(format!(
                "names the recording {path}; give --call-rubric to transcribe and score it"
            ));
            None
        }
        (Some(path), Some(_)) if problems.is_empty() => Some(
            transcribe(&visit.path(path), speech_args, speech)
                .map_err(|e| problem_report(visit, &[e]))?,
        ),
        (Some(_), Some(_)) => None,
    };
    if !problems.is_empty() {
        return Err(problem_report(visit, &problems));
    }

    let started_at = match (&date, &time_in) {
        (Some(d), Some(t)) => Some(format!("{d}T{t}")),
        (d, _) => d.clone(),
    };
    let (transcript, redactions) = match recording.as_ref() {
        Some((heard, ..)) => {
            let (clean, spans) = redaction::transcript(heard);
            (Some(clean), spans)
        }
        None => (None, Vec::new()),
    };
    let mut interaction = Interaction {
        id: call_id.clone(),
        kind,
        transcript: transcript.clone(),
        answers: answers.clone(),
    };
    let mut scorecards =
        vec![(checklist.row, rubric.score(&interaction, &ScoreOptions::default()))];
    if let (Some(call), Some(_)) = (call_rubric, &transcript) {
        interaction.answers = Answers::new();
        scorecards.push((call.row, call.rubric.score(&interaction, &ScoreOptions::default())));
    }
    let employee_id = visit.field("employee").map(str::to_string);
    Ok(NewInteraction {
        source: SourceFile {
            path: visit.source.clone(),
            sha256: sha256_hex(visit.content.as_bytes()),
        },
        meta: Metadata {
            call_id,
            kind,
            employee_name: visit
                .field("employee-name")
                .filter(|_| employee_id.is_some())
                .map(str::to_string),
            employee_id,
            started_at,
            queue: None,
            direction: None,
        },
        metrics: transcript.as_ref().and_then(CallMetrics::from_transcript),
        origin: recording.as_ref().map(|(_, _, origin)| origin.clone()).unwrap_or_default(),
        recording: recording.map(|(_, info, _)| info),
        transcript,
        scorecards,
        visit: Some(VisitInfo {
            location: visit.field("location").map(str::to_string),
            time_in,
            time_out,
            shopper_id: visit.field("shopper").map(str::to_string),
            employee_description: visit.field("employee-description").map(redaction::text),
        }),
        // Stored in the checklist's order, so that reports read like the form.
        answers: rubric
            .questions
            .iter()
            .filter_map(|q| answers.get(&q.id).map(|a| (q.id.clone(), a.clone())))
            .collect(),
        attachments,
        redactions,
    })
}

fn problem_report(visit: &RawVisit, problems: &[String]) -> String {
    if problems.len() == 1 {
        return format!("{}: {}", visit.origin, problems[0]);
    }
    let mut text = format!("{}: {} problems:", visit.origin, problems.len());
    for p in problems {
        text.push_str("\n  ");
        text.push_str(p);
    }
    text
}

/// A file an answer names, hashed (not copied): the receipt photo stays where the shopper put it.
fn attachment(visit: &RawVisit, question: &str, path: &str) -> Result<Attachment, String> {
    let full = visit.path(path);
    let bytes = std::fs::read(&full).map_err(|e| {
        format!("`{question}`: attachment {}: {}", full.display(), inputs::io_reason(&e))
    })?;
    Ok(Attachment {
        question: question.to_string(),
        path: crate::commands::ingest::stored_path(&full),
        sha256: sha256_hex(&bytes),
        size_bytes: bytes.len() as u64,
    })
}

/// The transcript, the recording's facts, and where the transcript came from.
type Heard = (qadesk_domain::Transcript, RecordingInfo, String);

fn transcribe(
    path: &Path,
    speech_args: &SpeechArgs,
    speech: &mut Option<Speech>,
) -> Result<Heard, String> {
    if speech.is_none() {
        *speech = Some(Speech::load(speech_args, "auto", 1).map_err(|e| format!("{e:#}"))?);
    }
    let speech = speech.as_ref().ok_or("no model")?;
    let started = std::time::Instant::now();
    let bytes = std::fs::read(path)
        .map_err(|e| format!("{}: cannot read: {}", path.display(), inputs::io_reason(&e)))?;
    let (transcript, report, info) =
        speech.transcribe_with_info(path, std::io::stderr().is_terminal())?;
    let recording = RecordingInfo {
        path: crate::commands::ingest::stored_path(path),
        sha256: sha256_hex(&bytes),
        codec: info.codec,
        duration_ms: Some(report.audio_ms).filter(|&ms| ms > 0).or(info.duration_ms),
        sample_rate: info.sample_rate,
        channels: info.channels,
        transcribe_ms: started.elapsed().as_millis() as u64,
    };
    Ok((transcript, recording, format!("whisper:{}", speech.model_name())))
}
