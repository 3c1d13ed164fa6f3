//! `qadesk list`, `show` and `export`: reading the database for people and spreadsheets.

use std::io::{BufWriter, Write};
use std::path::Path;

use qadesk_domain::{Scorecard, Segment, Verdict};
use qadesk_store::{Detail, ListRow, Store};
use qadesk_transcript::Format;

use crate::args::{ExportArgs, ExportFormat, ListArgs, OutputFormat, ShowArgs};
use crate::commands::rescore::filter;
use crate::commands::transcribe::write_atomically;
use crate::exit::Status;

/// Opens a database that must already exist: reading commands never create one.
pub fn open_existing(db: &Path) -> anyhow::Result<Store> {
    if !db.exists() {
        anyhow::bail!(
            "{}: no such database; run `qadesk ingest` first, or point --db (or QADESK_DB) at one",
            db.display()
        );
    }
    Ok(Store::open(db)?)
}

pub fn list(db: &Path, args: &ListArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let rows = store.list(&filter(&args.filter, args.below)?)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        OutputFormat::Table => list_table(&mut out, &rows)?,
        OutputFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(LIST_COLUMNS)?;
            for row in &rows {
                csv.write_record(list_fields(row))?;
            }
            csv.flush()?;
        }
        OutputFormat::Json => {
            for row in &rows {
                let object: serde_json::Map<String, serde_json::Value> = LIST_COLUMNS
                    .iter()
                    .zip(list_fields(row))
                    .map(|(k, v)| (k.to_string(), serde_json::Value::String(v)))
                    .collect();
                serde_json::to_writer(&mut out, &object)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

const LIST_COLUMNS: [&str; 10] = [
    "interaction",
    "call_id",
    "kind",
    "started_at",
    "employee_id",
    "employee_name",
    "rubric",
    "rubric_version",
    "score",
    "band",
];

fn list_fields(row: &ListRow) -> [String; 10] {
    [
        row.interaction.to_string(),
        row.call_id.clone(),
        kind_name(row.kind).to_string(),
        row.started_at.clone().unwrap_or_default(),
        row.employee_id.clone().unwrap_or_default(),
        row.employee_name.clone().unwrap_or_default(),
        row.rubric.clone(),
        row.rubric_version.to_string(),
        row.score.map(|s| format!("{s:.1}")).unwrap_or_default(),
        row.band.clone().unwrap_or_default(),
    ]
}

fn list_table(out: &mut impl Write, rows: &[ListRow]) -> anyhow::Result<()> {
    if rows.is_empty() {
        writeln!(out, "no interactions match")?;
        return Ok(());
    }
    let cells: Vec<[String; 7]> = rows
        .iter()
        .map(|r| {
            let employee = match (&r.employee_id, &r.employee_name) {
                (Some(id), Some(name)) => format!("{id} {name}"),
                (Some(id), None) => id.clone(),
                _ => "(unknown)".to_string(),
            };
            let score = r.score.map_or("–".to_string(), |s| format!("{s:.1}"));
            let critical = if r.critical_miss { " critical miss" } else { "" };
            [
                r.interaction.to_string(),
                r.call_id.clone(),
                r.started_at.clone().unwrap_or_else(|| "–".to_string()),
                employee,
                format!("{} v{}", r.rubric, r.rubric_version),
                score,
                format!("{}{critical}", r.band.as_deref().unwrap_or("")),
            ]
        })
        .collect();
    let header = ["#", "call", "date", "employee", "rubric", "score", "band"];
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            cells.iter().map(|c| c[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0)
        })
        .collect();
    let line = |fields: &[&str]| -> String {
        let mut text = String::new();
        for (i, field) in fields.iter().enumerate() {
            let pad = widths[i].saturating_sub(field.chars().count());
            if i == 0 || i == 5 {
                text.push_str(&" ".repeat(pad));
                text.push_str(field);
            } else {
                text.push_str(field);
                text.push_str(&" ".repeat(pad));
            }
            text.push_str("  ");
        }
        text.trim_end().to_string()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &cells {
        writeln!(out, "{}", line(&row.iter().map(String::as_str).collect::<Vec<_>>()))?;
    }
    writeln!(out, "{} interaction score(s)", rows.len())?;
    Ok(())
}

pub fn show(db: &Path, args: &ShowArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let detail = store.detail(&args.interaction)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    show_detail(&mut out, &detail)?;
    out.flush()?;
    Ok(Status::Ok)
}

pub(crate) fn show_detail(out: &mut impl Write, d: &Detail) -> anyhow::Result<()> {
    let employee = match (&d.employee_id, &d.employee_name) {
        (Some(id), Some(name)) => format!("{id} ({name})"),
        (Some(id), None) => id.clone(),
        _ => "unknown".to_string(),
    };
    writeln!(
        out,
        "{} · interaction {} · {} · {} · employee {employee}",
        d.call_id,
        d.interaction,
        kind_name(d.kind),
        d.started_at.as_deref().unwrap_or("date unknown"),
    )?;
    let mut facts = Vec::new();
    facts.extend(d.queue.as_ref().map(|q| format!("queue {q}")));
    facts.extend(d.direction.clone());
    if let Some(r) = &d.recording {
        let length = r.duration_ms.map(|ms| format!(", {}", clock(ms))).unwrap_or_default();
        facts.push(format!("{} {} Hz {} ch{length}", r.codec, r.sample_rate, r.channels));
    }
    facts.extend(d.transcript_origin.as_ref().map(|o| format!("transcript {o}")));
    facts.extend(d.transcript.language.as_ref().map(|l| format!("language {l}")));
    facts.extend(d.transcript.confidence().map(|c| {
        let unsure =
            if c < qadesk_report::LOW_CONFIDENCE { " (unsure: check the audio)" } else { "" };
        format!("confidence {:.0} %{unsure}", c * 100.0)
    }));
    writeln!(out, "source: {}", d.source_path)?;
    if !facts.is_empty() {
        writeln!(out, "{}", facts.join(" · "))?;
    }
    if let Some(m) = &d.metrics {
        writeln!(
            out,
            "metrics: talk agent {:.0} % / customer {:.0} % · silence {:.1} s (longest {:.1} s, \
             dead air {}) · interruptions agent {} / customer {} · holds {} ({:.1} s) · agent \
             first words {}",
            m.agent_talk_share * 100.0,
            m.customer_talk_share * 100.0,
            m.total_silence_ms as f64 / 1000.0,
            m.longest_silence_ms as f64 / 1000.0,
            m.dead_air_count,
            m.agent_interruptions,
            m.customer_interruptions,
            m.hold_count,
            m.hold_total_ms as f64 / 1000.0,
            m.time_to_agent_first_words_ms
                .map_or("–".to_string(), |ms| format!("{:.1} s", ms as f64 / 1000.0)),
        )?;
    }
    if let Some(v) = &d.visit {
        let mut facts = Vec::new();
        facts.extend(v.location.clone());
        if let (Some(a), Some(b)) = (&v.time_in, &v.time_out) {
            facts.push(format!("{a}–{b}"));
        }
        facts.extend(v.shopper_id.as_ref().map(|s| format!("shopper {s}")));
        facts.extend(v.employee_description.as_ref().map(|e| format!("employee seen: {e}")));
        writeln!(out, "visit: {}", facts.join(" · "))?;
    }
    for card in &d.scorecards {
        writeln!(out, "{}", card_headline(card))?;
    }
    show_reviews(out, d)?;
    if !d.answers.is_empty() {
        writeln!(out, "\nanswers:")?;
        for (question, value) in &d.answers {
            let attached = d
                .attachments
                .iter()
                .find(|a| &a.question == question)
                .map(|a| format!(" (file, sha256 {}…, {} bytes)", &a.sha256[..12], a.size_bytes))
                .unwrap_or_default();
            writeln!(out, "  {question}: {}{attached}", qadesk_rubric::answer_text(value))?;
        }
    }
    writeln!(out)?;

    // Each verdict goes under the first utterance its evidence quotes; the rest follow.
    let segments = &d.transcript.segments;
    let several = d.scorecards.len() > 1;
    let mut under: Vec<Vec<String>> = vec![Vec::new(); segments.len()];
    let mut unplaced = Vec::new();
    for card in &d.scorecards {
        for c in &card.criteria {
            let line = verdict_line(card, c, several);
            match c.evidence.iter().find_map(|e| evidence_turn(segments, e)) {
                Some(turn) => under[turn].push(line),
                None => unplaced.push(line),
            }
        }
    }
    // The transcript as its text file would be: one utterance a line, in the contract format.
    let lines = if segments.is_empty() {
        String::new()
    } else {
        qadesk_transcript::write(&d.transcript, Format::Text)
            .map_err(|e| anyhow::anyhow!("interaction {}: {e}", d.call_id))?
    };
    for (line, verdicts) in lines.lines().zip(&under) {
        writeln!(out, "{line}")?;
        for line in verdicts {
            writeln!(out, "      {line}")?;
        }
    }
    if !unplaced.is_empty() {
        writeln!(out, "\nverdicts without a quoted moment:")?;
        for line in unplaced {
            writeln!(out, "      {line}")?;
        }
    }
    Ok(())
}

/// Each reviewer's review (its total and overrides), then the disputes: open ones first.
fn show_reviews(out: &mut impl Write, d: &Detail) -> anyhow::Result<()> {
    for review in &d.reviews {
        let card = &review.scorecard;
        let overridden: Vec<_> = review.decisions.iter().filter(|r| !r.accepted).collect();
        writeln!(
            out,
            "{} v{} reviewed by {} at {}: {} · {} of {} accepted, {} overridden",
            card.rubric,
            card.rubric_version,
            review.reviewer,
            review.reviewed_at,
            crate::output::score_line(card),
            review.decisions.len() - overridden.len(),
            review.decisions.len(),
            overridden.len()
        )?;
        for r in overridden {
            let now = card.criteria.iter().find(|c| c.id == r.criterion);
            writeln!(
                out,
                "  {}: {} → {}: {}",
                r.criterion,
                r.automatic_verdict,
                now.map_or("?", |c| c.verdict.as_str()),
                r.reason.as_deref().unwrap_or("")
            )?;
        }
    }
    let (open, decided): (Vec<_>, Vec<_>) = d.disputes.iter().partition(|x| x.outcome.is_none());
    for (title, list) in [("open disputes", open), ("decided disputes", decided)] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "{title}:")?;
        for x in list {
            let of = match &x.reviewer {
                Some(reviewer) => format!("{reviewer}'s review"),
                None => "automatic".to_string(),
            };
            let decided = match (&x.outcome, &x.decided_by) {
                (Some(o), Some(by)) => format!(" · {o} by {by}"),
                _ => String::new(),
            };
            writeln!(
                out,
                "  #{} {}/{} ({}, {of}) by {} at {}{decided}: {}",
                x.id, x.rubric, x.criterion, x.verdict, x.employee, x.opened_at, x.reason
            )?;
        }
    }
    Ok(())
}

fn card_headline(card: &Scorecard) -> String {
    format!("{} v{}: {}", card.rubric, card.rubric_version, crate::output::score_line(card))
}

fn verdict_line(card: &Scorecard, c: &qadesk_domain::CriterionResult, several: bool) -> String {
    let mark = match c.verdict {
        Verdict::Pass => "✓",
        Verdict::Partial => "~",
        Verdict::Fail => "✗",
        Verdict::Na => "–",
    };
    let points =
        if c.verdict == Verdict::Na { String::new() } else { format!(" {}/{}", c.points, c.max) };
    let rubric = if several { format!("{}/", card.rubric) } else { String::new() };
    let critical = if c.critical_miss { " CRITICAL MISS" } else { "" };
    format!("{mark} {rubric}{} {}{points}{critical}: {}", c.id, c.verdict.as_str(), c.reason)
}

/// The 0-based index of the utterance a piece of evidence quotes: by its (1-based) turn when
/// the scorer recorded one, else by speaker and start time.
fn evidence_turn(segments: &[Segment], e: &qadesk_domain::Evidence) -> Option<usize> {
    e.turn.and_then(|t| t.checked_sub(1)).filter(|&t| t < segments.len()).or_else(|| {
        segments.iter().position(|s| {
            s.speaker == e.speaker && e.start_ms.is_some() && s.start_ms == e.start_ms
        })
    })
}

fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

fn kind_name(kind: qadesk_domain::InteractionKind) -> &'static str {
    match kind {
        qadesk_domain::InteractionKind::Call => "call",
        qadesk_domain::InteractionKind::MysteryCall => "mystery call",
        qadesk_domain::InteractionKind::Visit => "visit",
    }
}

pub fn export(db: &Path, args: &ExportArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let filter = filter(&args.filter, args.below)?;
    let mut bytes: Vec<u8> = Vec::new();
    let stdout = std::io::stdout();
    let mut out: Box<dyn Write> = match &args.out {
        Some(_) => Box::new(&mut bytes),
        None => Box::new(BufWriter::new(stdout.lock())),
    };
    match args.format {
        ExportFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            store.export(&filter, |row| -> anyhow::Result<()> { Ok(csv.serialize(row)?) })?;
            csv.flush()?;
        }
        ExportFormat::Json => {
            store.export(&filter, |row| -> anyhow::Result<()> {
                serde_json::to_writer(&mut out, &row)?;
                Ok(writeln!(out)?)
            })?;
        }
    }
    out.flush()?;
    drop(out);
    if let Some(target) = &args.out {
        write_atomically(target, &bytes)
            .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", target.display()))?;
    }
    Ok(Status::Ok)
}
