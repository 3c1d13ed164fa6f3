//! `qadesk dispute open | decide | list`: employees' disputes of verdicts, recorded with their
//! reason and decided once, with who decided and when.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::io::{BufWriter, Write};
use std::path::Path;

use qadesk_domain::{Dispute, Outcome};
use qadesk_store::{NewDispute, Store};

use crate::args::{
    DisputeCommand, DisputeDecideArgs, DisputeListArgs, DisputeOpenArgs, DisputeOutcome,
    OutputFormat,
};
use crate::commands::browse::open_existing;
use crate::exit::Status;

pub fn run(db: &Path, command: &DisputeCommand) -> anyhow::Result<Status> {
    let mut store = open_existing(db)?;
    match command {
        DisputeCommand::Open(args) => open(&mut store, args),
        DisputeCommand::Decide(args) => decide(&mut store, args),
        DisputeCommand::List(args) => list(&store, args),
    }
}

fn open(store: &mut Store, args: &DisputeOpenArgs) -> anyhow::Result<Status> {
    if args.reason.trim().is_empty() {
        anyhow::bail!("--reason is empty: say why the verdict is disputed");
    }
    if args.employee.trim().is_empty() {
        anyhow::bail!("--employee is empty: give the id of the employee who disputes it");
    }
    let dispute = store.open_dispute(&NewDispute {
        interaction: &args.interaction,
        criterion: &args.criterion,
        rubric: args.rubric.as_deref(),
        employee: &args.employee,
        reason: args.reason.trim(),
    })?;
    println!(
        "opened dispute #{} of {} {}/{} ({}, {})",
        dispute.id,
        dispute.call_id,
        dispute.rubric,
        dispute.criterion,
        dispute.verdict,
        scorecard_name(&dispute)
    );
    Ok(Status::Ok)
}

fn decide(store: &mut Store, args: &DisputeDecideArgs) -> anyhow::Result<Status> {
    let outcome = match args.outcome {
        DisputeOutcome::Upheld => Outcome::Upheld,
        DisputeOutcome::Rejected => Outcome::Rejected,
        DisputeOutcome::Partly => Outcome::Partly,
    };
    if args.by.trim().is_empty() {
        anyhow::bail!("--by is empty: say who decided");
    }
    let note = args.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let dispute = store.decide_dispute(args.dispute, outcome, &args.by, note)?;
    println!(
        "dispute #{} of {} {}/{}: {} by {} at {}",
        dispute.id,
        dispute.call_id,
        dispute.rubric,
        dispute.criterion,
        outcome,
        dispute.decided_by.as_deref().unwrap_or(""),
        dispute.decided_at.as_deref().unwrap_or("")
    );
    Ok(Status::Ok)
}

fn list(store: &Store, args: &DisputeListArgs) -> anyhow::Result<Status> {
    let disputes = store.disputes(args.employee.as_deref(), args.open, None)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        OutputFormat::Table => table(&mut out, &disputes)?,
        OutputFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(COLUMNS)?;
            for d in &disputes {
                csv.write_record(fields(d))?;
            }
            csv.flush()?;
        }
        OutputFormat::Json => {
            for d in &disputes {
                serde_json::to_writer(&mut out, d)?;
                writeln!(out)?;
            }
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

const COLUMNS: [&str; 16] = [
    "id",
    "interaction",
    "call_id",
    "scorecard",
    "scorecard_kind",
    "reviewer",
    "rubric",
    "criterion",
    "verdict",
    "employee",
    "reason",
    "opened_at",
    "outcome",
    "decided_by",
    "decided_at",
    "note",
];

fn fields(d: &Dispute) -> [String; 16] {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        d.id.to_string(),
        d.interaction.to_string(),
        d.call_id.clone(),
        d.scorecard.to_string(),
        d.scorecard_kind.clone(),
        text(&d.reviewer),
        d.rubric.clone(),
        d.criterion.clone(),
        d.verdict.to_string(),
        d.employee.clone(),
        d.reason.clone(),
        d.opened_at.clone(),
        d.outcome.map_or(String::new(), |o| o.to_string()),
        text(&d.decided_by),
        text(&d.decided_at),
        text(&d.note),
    ]
}

/// Which scorecard a dispute is of, in words.
fn scorecard_name(d: &Dispute) -> String {
    match &d.reviewer {
        Some(reviewer) => format!("{reviewer}'s review"),
        None => "automatic scorecard".to_string(),
    }
}

fn table(out: &mut impl Write, disputes: &[Dispute]) -> anyhow::Result<()> {
    if disputes.is_empty() {
        writeln!(out, "no disputes match")?;
        return Ok(());
    }
    for d in disputes {
        let status = match (&d.outcome, &d.decided_by, &d.decided_at) {
            (Some(o), Some(by), Some(at)) => format!("{o} by {by} at {at}"),
            _ => "open".to_string(),
        };
        writeln!(
            out,
            "#{} {} · {} · {}/{} ({}, {}) · {} · opened {}",
            d.id,
            status,
            d.call_id,
            d.rubric,
            d.criterion,
            d.verdict,
            scorecard_name(d),
            d.employee,
            d.opened_at
        )?;
        writeln!(out, "    reason: {}", d.reason)?;
        if let Some(note) = &d.note {
            writeln!(out, "    note: {note}")?;
        }
    }
    let open = disputes.iter().filter(|d| d.outcome.is_none()).count();
    writeln!(out, "{} dispute(s), {open} open", disputes.len())?;
    Ok(())
}
