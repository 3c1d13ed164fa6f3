//! Renders scorecards for people (a table), for programs (JSON Lines) and for spreadsheets (CSV).

use std::io::Write;

use qadesk_domain::{Scorecard, Verdict};

use crate::args::OutputFormat;

/// Where scorecards go, in the chosen format, as they are produced.
pub enum Sink<W: Write> {
    Table(W),
    Json(W),
    Csv(Box<csv::Writer<W>>),
}

impl<W: Write> Sink<W> {
    pub fn new(format: OutputFormat, out: W) -> anyhow::Result<Sink<W>> {
        Ok(match format {
            OutputFormat::Table => Sink::Table(out),
            OutputFormat::Json => Sink::Json(out),
            OutputFormat::Csv => {
                let mut writer = csv::Writer::from_writer(out);
                writer.write_record(CSV_HEADER)?;
                Sink::Csv(Box::new(writer))
            }
        })
    }

    pub fn emit(&mut self, card: &Scorecard) -> anyhow::Result<()> {
        match self {
            Sink::Table(out) => table(out, card),
            Sink::Json(out) => json_line(out, card),
            Sink::Csv(out) => csv_rows(out, card),
        }
    }

    pub fn finish(self) -> anyhow::Result<()> {
        match self {
            Sink::Table(mut out) | Sink::Json(mut out) => out.flush()?,
            Sink::Csv(mut out) => out.flush()?,
        }
        Ok(())
    }
}

/// The CSV columns, one row per interaction × criterion.
pub const CSV_HEADER: [&str; 14] = [
    "interaction",
    "rubric",
    "rubric_version",
    "score",
    "band",
    "section",
    "criterion",
    "verdict",
    "points",
    "max",
    "reason",
    "evidence_speaker",
    "evidence_start_ms",
    "evidence_quote",
];

pub fn json_line(out: &mut impl Write, card: &Scorecard) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, card)?;
    writeln!(out)?;
    Ok(())
}

pub fn csv_rows<W: Write>(out: &mut csv::Writer<W>, card: &Scorecard) -> anyhow::Result<()> {
    let score = card.score.map(|s| s.to_string()).unwrap_or_default();
    for c in &card.criteria {
        let first = c.evidence.first();
        out.write_record([
            card.interaction.as_str(),
            card.rubric.as_str(),
            &card.rubric_version.to_string(),
            &score,
            card.band.as_deref().unwrap_or_default(),
            &c.section,
            &c.id,
            c.verdict.as_str(),
            &c.points.to_string(),
            &c.max.to_string(),
            &c.reason,
            first.map(|e| e.speaker.as_str()).unwrap_or_default(),
            &first.and_then(|e| e.start_ms).map(|ms| ms.to_string()).unwrap_or_default(),
            first.map(|e| e.quote.as_str()).unwrap_or_default(),
        ])?;
    }
    Ok(())
}

/// A block per scorecard: a heading line, then criterion, verdict, points and reason.
/// `82.5 % · Good` (with `· CRITICAL MISS` when one was missed).
pub fn score_line(card: &Scorecard) -> String {
    let score = match card.score {
        Some(s) if card.score_unit == "percent" => format!("{s:.1} %"),
        Some(s) => format!("{s} points"),
        None => "no applicable criteria".to_string(),
    };
    let band = card.band.as_deref().map(|b| format!(" · {b}")).unwrap_or_default();
    let critical = if card.critical_miss { " · CRITICAL MISS" } else { "" };
    format!("{score}{band}{critical}")
}

pub fn table(out: &mut impl Write, card: &Scorecard) -> anyhow::Result<()> {
    writeln!(
        out,
        "{} · {} v{} · {}",
        card.interaction,
        card.rubric,
        card.rubric_version,
        score_line(card)
    )?;
    let id_width = card.criteria.iter().map(|c| c.id.len()).max().unwrap_or(9).max(9);
    writeln!(out, "  {:<id_width$}  {:<7}  {:>7}  reason", "criterion", "verdict", "points")?;
    for c in &card.criteria {
        let points = if c.verdict == Verdict::Na {
            "–".to_string()
        } else {
            format!("{}/{}", c.points, c.max)
        };
        let mark = if c.critical_miss { "critical miss: " } else { "" };
        writeln!(
            out,
            "  {:<id_width$}  {:<7}  {points:>7}  {mark}{}",
            c.id,
            c.verdict.as_str(),
            c.reason
        )?;
    }
    writeln!(out)?;
    Ok(())
}
