//! `qadesk calibrate`: reviewer agreement and the automatic verdicts' agreement with the
//! reviewers, per criterion, as a table, CSV or one JSON document. The statistics are
//! `qadesk-report`'s; this module reads the ratings and prints.
#![allow(clippy::print_stderr)]

use std::io::{BufWriter, Write};
use std::path::Path;

use qadesk_report::agreement::Kappa;
use qadesk_report::{Calibration, CriterionAgreement, Method, build_calibration};

use crate::args::{CalibrateArgs, FilterArgs, OutputFormat};
use crate::commands::browse::open_existing;
use crate::commands::rescore::filter;
use crate::exit::Status;

pub fn run(db: &Path, args: &CalibrateArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let period = filter(
        &FilterArgs { employee: None, since: args.since.clone(), until: args.until.clone() },
        None,
    )?;
    if let Some(rubric) = &args.rubric {
        let reviewed = store.reviewed_rubrics()?;
        if !reviewed.contains(rubric) {
            anyhow::bail!(
                "{}: no reviews with rubric `{rubric}` (reviewed rubrics: {})",
                db.display(),
                if reviewed.is_empty() { "none yet".to_string() } else { reviewed.join(", ") }
            );
        }
    }
    let ratings = store.ratings(&period, args.rubric.as_deref())?;
    if ratings.is_empty() {
        eprintln!(
            "no reviews in {} for that period: `qadesk review` interactions first",
            db.display()
        );
    }
    let report = build_calibration(&ratings);
    let mut out = BufWriter::new(std::io::stdout().lock());
    match args.format {
        OutputFormat::Table => table(&mut out, &report)?,
        OutputFormat::Csv => {
            let mut csv = csv::Writer::from_writer(&mut out);
            csv.write_record(CSV_COLUMNS)?;
            for c in &report.criteria {
                csv.write_record(csv_fields(c))?;
            }
            csv.flush()?;
        }
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(Status::Ok)
}

const CSV_COLUMNS: [&str; 19] = [
    "rubric",
    "criterion",
    "reviewed",
    "multi_reviewed",
    "reviewers",
    "agreement_percent",
    "agreement_items",
    "kappa_method",
    "kappa",
    "kappa_items",
    "kappa_status",
    "kappa_raters",
    "automatic_agreement_percent",
    "automatic_reviews",
    "automatic_kappa",
    "automatic_kappa_items",
    "automatic_kappa_status",
    "automatic_ties",
    "automatic_mixed",
];

fn csv_fields(c: &CriterionAgreement) -> [String; 19] {
    let number = |v: Option<f64>| v.map_or(String::new(), |v| format!("{v:.4}"));
    [
        c.rubric.clone(),
        c.criterion.clone(),
        c.reviewed.to_string(),
        c.multi_reviewed.to_string(),
        c.reviewers.join(" "),
        number(c.agreement.percent),
        c.agreement.count.to_string(),
        method_name(c.kappa.method).to_string(),
        number(c.kappa.kappa.value),
        c.kappa.kappa.items.to_string(),
        c.kappa.kappa.status.label().to_string(),
        c.kappa.raters.to_string(),
        number(c.automatic_agreement.percent),
        c.automatic_agreement.count.to_string(),
        number(c.automatic_kappa.value),
        c.automatic_kappa.items.to_string(),
        c.automatic_kappa.status.label().to_string(),
        c.automatic_ties.to_string(),
        c.automatic_mixed.to_string(),
    ]
}

fn method_name(method: Option<Method>) -> &'static str {
    match method {
        Some(Method::Cohen) => "cohen",
        Some(Method::Fleiss) => "fleiss",
        None => "",
    }
}

/// A kappa and its count: `0.47 (8)`, `too few items (3)`, `undefined (8)`.
fn kappa_cell(kappa: &Kappa) -> String {
    format!("{} ({})", kappa.shown(), kappa.items)
}

fn table(out: &mut impl Write, report: &Calibration) -> anyhow::Result<()> {
    if report.criteria.is_empty() {
        writeln!(out, "no reviewed criteria")?;
        return Ok(());
    }
    let header = [
        "rubric",
        "criterion",
        "reviewed",
        "by 2+",
        "reviewers agree",
        "kappa",
        "automatic agrees",
        "auto kappa vs majority",
    ];
    let rows: Vec<[String; 8]> = report
        .criteria
        .iter()
        .map(|c| {
            let kappa = match c.kappa.method {
                None => "–".to_string(),
                Some(Method::Cohen) => format!("Cohen {}", kappa_cell(&c.kappa.kappa)),
                Some(Method::Fleiss) => {
                    format!("Fleiss, {} raters: {}", c.kappa.raters, kappa_cell(&c.kappa.kappa))
                }
            };
            let percent = |p: &qadesk_report::Percent| format!("{} ({})", p.shown(), p.count);
            [
                c.rubric.clone(),
                c.criterion.clone(),
                c.reviewed.to_string(),
                c.multi_reviewed.to_string(),
                percent(&c.agreement),
                kappa,
                percent(&c.automatic_agreement),
                kappa_cell(&c.automatic_kappa),
            ]
        })
        .collect();
    let widths: Vec<usize> = (0..header.len())
        .map(|i| {
            rows.iter().map(|r| r[i].chars().count()).chain([header[i].len()]).max().unwrap_or(0)
        })
        .collect();
    let line = |cells: &[&str]| -> String {
        let mut text = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.chars().count()));
            if (2..=3).contains(&i) {
                text.push_str(&pad);
                text.push_str(cell);
            } else {
                text.push_str(cell);
                text.push_str(&pad);
            }
            text.push_str("  ");
        }
        text.trim_end().to_string()
    };
    writeln!(out, "{}", line(&header))?;
    for row in &rows {
        writeln!(out, "{}", line(&row.iter().map(String::as_str).collect::<Vec<_>>()))?;
    }
    writeln!(
        out,
        "Counts in brackets: interactions (reviews for \"automatic agrees\"). A kappa needs {} \
         interactions or more (\"too few items\" below that) and more than one verdict among \
         the ratings (\"undefined\" otherwise). Kappa reads: below 0.2 slight, 0.21–0.40 fair, \
         0.41–0.60 moderate, 0.61–0.80 substantial, above 0.8 almost perfect agreement. The \
         criteria whose automatic verdicts agree least with the reviewers come first.",
        report.min_items
    )?;
    Ok(())
}
