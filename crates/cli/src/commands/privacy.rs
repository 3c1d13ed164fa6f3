//! `qadesk purge` and `qadesk person export|erase`: retention from the settings file, a
//! person's export written as JSON, and erasure after confirmation on the terminal. The
//! deleting and reading is `qadesk_store`'s, what an export shows `qadesk_report`'s.
#![allow(clippy::print_stderr)]

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use qadesk_store::{Removal, Retention};

use crate::args::{PersonCommand, PersonEraseArgs, PersonExportArgs, PurgeArgs};
use crate::commands::browse::open_existing;
use crate::commands::ingest::metadata::day_arg;
use crate::commands::transcribe::write_atomically;
use crate::config::{self, Period};
use crate::exit::{Status, report_input_error};

pub fn purge(db: &Path, config_file: Option<&Path>, args: &PurgeArgs) -> anyhow::Result<Status> {
    let settings = config::load(config_file, db)?;
    let mut store = open_existing(db)?;
    let Some(file) = &settings.file else {
        eprintln!(
            "no retention is set (no --config, no QADESK_CONFIG, no {} beside {}): nothing purged",
            config::FILE_NAME,
            db.display()
        );
        return Ok(Status::Ok);
    };
    if settings.retention.is_empty() {
        eprintln!("{}: no [retention] periods are set: nothing purged", file.display());
        return Ok(Status::Ok);
    }
    let today = match day_arg("--as-of", args.as_of.as_deref())? {
        Some(day) => day.parse::<jiff::civil::Date>()?,
        // UTC, as `coach --date`: jiff is built without time-zone data.
        None => utc_now()[..10].parse::<jiff::civil::Date>()?,
    };
    let cutoff = |what: &str, period: Option<Period>| -> anyhow::Result<Option<String>> {
        let Some(period) = period else { return Ok(None) };
        let day = period.cutoff(today).map_err(anyhow::Error::msg)?.to_string();
        eprintln!("{what}: kept {period}, so what is dated before {day} goes");
        Ok(Some(day))
    };
    eprintln!("retention from {} on {today}:", file.display());
    let retention = Retention {
        interactions_before: cutoff("  interactions", settings.retention.interactions)?,
        transcripts_before: cutoff("  transcripts", settings.retention.transcripts)?,
        failures_before: cutoff("  failed files", settings.retention.failures)?,
    };
    let removal = store.purge(&retention, args.dry_run)?;
    report(&removal, args.dry_run, "past their retention period")
}

pub fn person(db: &Path, command: &PersonCommand) -> anyhow::Result<Status> {
    match command {
        PersonCommand::Export(args) => export(db, args),
        PersonCommand::Erase(args) => erase(db, args),
    }
}

fn export(db: &Path, args: &PersonExportArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let record = store.person_record(&args.id)?;
    let everyone = store.employees()?;
    let now = format!("{}Z", &utc_now()[..19]);
    let export = qadesk_report::build_export(&record, &everyone, &now);
    let mut json = serde_json::to_string_pretty(&export)?;
    json.push('\n');
    match &args.out {
        Some(out) => {
            write_atomically(out, json.as_bytes())
                .map_err(|e| anyhow::anyhow!("{}: cannot write: {e}", out.display()))?;
            eprintln!(
                "wrote {} interaction(s) and {} failed file(s) stored about {} to {}",
                export.interactions.len(),
                export.failures.len(),
                args.id,
                out.display()
            );
        }
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(json.as_bytes())?;
            stdout.flush()?;
        }
    }
    Ok(Status::Ok)
}

fn erase(db: &Path, args: &PersonEraseArgs) -> anyhow::Result<Status> {
    let mut store = open_existing(db)?;
    if args.dry_run {
        let preview = store.erase_person(&args.id, true)?;
        return report(&preview, true, "about this person");
    }
    if !args.yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "erasing a person needs a confirmation and there is no terminal to ask on: run \
                 it in a terminal, or pass --yes (see first what goes with --dry-run)"
            );
        }
        let preview = store.erase_person(&args.id, true)?;
        let name = store.employee(&args.id)?.and_then(|e| e.name);
        let who = name.map_or(args.id.clone(), |n| format!("{} ({n})", args.id));
        eprintln!("This removes everything stored about {who}:");
        eprint!("{}", rows(&preview));
        if !confirmed(&format!("Erase {who}? This cannot be undone."))? {
            eprintln!("Nothing was erased.");
            return Ok(Status::Ok);
        }
    }
    let removal = store.erase_person(&args.id, false)?;
    report(&removal, false, "about this person")
}

/// `YYYY-MM-DDTHH:MM:SS…Z`: jiff prints a timestamp in UTC.
fn utc_now() -> String {
    jiff::Timestamp::now().to_string()
}

fn confirmed(question: &str) -> anyhow::Result<bool> {
    eprint!("{question} [y/N] ");
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
}

/// The rows per table, one a line, aligned.
fn rows(removal: &Removal) -> String {
    let width = removal.rows.iter().map(|(t, _)| t.len()).max().unwrap_or(0).max(8);
    let mut text = String::new();
    for (table, n) in &removal.rows {
        text.push_str(&format!("  {table:<width$} {n:>8}\n"));
    }
    if removal.quotes_cleared > 0 {
        text.push_str(&format!(
            "  {:<width$} {:>8} (evidence rows kept, their quotes cleared)\n",
            "quotes", removal.quotes_cleared
        ));
    }
    text
}

/// Prints what a deletion removed (stdout) and how the file was cleaned (stderr).
fn report(removal: &Removal, dry_run: bool, what: &str) -> anyhow::Result<Status> {
    let mut out = std::io::stdout().lock();
    if removal.is_empty() {
        writeln!(out, "nothing {what} is stored: nothing removed")?;
    } else if dry_run {
        writeln!(out, "dry run: would remove (rows per table):")?;
        write!(out, "{}", rows(removal))?;
        writeln!(out, "nothing was changed")?;
    } else {
        writeln!(out, "removed (rows per table):")?;
        write!(out, "{}", rows(removal))?;
    }
    out.flush()?;
    let Some(cleanup) = removal.cleanup else {
        return Ok(Status::Ok);
    };
    let mb = |bytes: u64| bytes as f64 / 1_048_576.0;
    eprintln!(
        "database and WAL: {:.2} MB before, {:.2} MB after{}",
        mb(cleanup.bytes_before),
        mb(cleanup.bytes_after),
        if cleanup.vacuumed { " (rebuilt with VACUUM)" } else { "" }
    );
    if !cleanup.wal_truncated {
        report_input_error(
            "the write-ahead log could not be emptied because another process kept reading the \
             database: the deleted rows are gone, but old copies of their pages stay in the \
             -wal file until that process closes the database; run the command again then",
        );
        return Ok(Status::SomeInputsFailed);
    }
    Ok(Status::Ok)
}
