//! `qadesk coach` and `qadesk summary`: reads scored interactions from the store (reviewed
//! scorecards, and automatic ones only with `--include-unreviewed`; the summary's "worth a
//! human look" list always covers every latest scorecard), says what was left out unreviewed,
//! explains them with the
//! rubric texts they were scored with, and has `qadesk-report` render sheets and summaries
//! into files. Owns the paths (templates folder, output folder), nothing else.
#![allow(clippy::print_stderr)]

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use qadesk_domain::ScoredInteraction;
use qadesk_report::{
    CoachInput, CriterionGuide, Format, Guides, Renderer, RubricGuide, SummaryInput, TemplateSet,
    build_sheet, build_summary,
};
use qadesk_store::{Filter, Store};

use crate::args::{CoachArgs, FilterArgs, SheetFormat, SummaryArgs, SummaryFormat, TemplateArgs};
use crate::commands::browse::open_existing;
use crate::commands::ingest::day_arg;
use crate::commands::rescore::filter;
use crate::commands::transcribe::write_atomically;
use crate::exit::Status;

pub fn coach(db: &Path, args: &CoachArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let period = filter(
        &FilterArgs { employee: None, since: args.since.clone(), until: args.until.clone() },
        None,
    )?;
    let (renderer, prepared_on) = renderer(&args.templates)?;
    let format = match args.format {
        SheetFormat::Html => Format::Html,
        SheetFormat::Md => Format::Markdown,
    };
    let employees = match &args.employee {
        Some(id) => {
            let employee = store.employee(id)?.with_context(|| {
                format!("{}: no employee `{id}`; `qadesk list` shows who is stored", db.display())
            })?;
            vec![employee]
        }
        // Everyone with a scorecard, reviewed or not, so those left without a sheet are named.
        None => store.employees_scored(&period, true)?,
    };
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("{}: cannot create the folder", args.out.display()))?;

    let mut guides = Guides::new();
    let mut written = 0;
    let mut left_out_total = 0;
    let mut unreviewed_only: Vec<&str> = Vec::new();
    for employee in &employees {
        let selection = Filter { employee: Some(employee.id.clone()), ..period.clone() };
        let all = store.scored_interactions(&selection, true)?;
        let (interactions, left_out) = used(all, args.include_unreviewed);
        if interactions.is_empty() {
            if args.employee.is_none() {
                unreviewed_only.push(&employee.id);
                continue;
            }
            if left_out > 0 {
                anyhow::bail!(
                    "{}: nobody has reviewed employee `{}`'s interactions{} yet: review them \
                     with `qadesk review`, or add --include-unreviewed to use their automatic \
                     scorecards (marked unreviewed)",
                    db.display(),
                    employee.id,
                    describe_period(&period)
                );
            }
            anyhow::bail!(
                "{}: no scored interactions for employee `{}`{}",
                db.display(),
                employee.id,
                describe_period(&period)
            );
        }
        add_guides(&store, &interactions, &mut guides)?;
        let sheet = build_sheet(&CoachInput {
            employee,
            since: period.since.as_deref(),
            until: period.until.as_deref(),
            interactions: &interactions,
            guides: &guides,
            lang: &args.templates.lang,
            prepared_on: prepared_on.as_deref(),
            left_out,
        });
        let text = renderer.coach(&sheet, format)?;
        let target =
            args.out.join(format!("coaching-{}.{}", file_safe(&employee.id), format.extension()));
        write_atomically(&target, text.as_bytes())
            .with_context(|| format!("{}: cannot write the sheet", target.display()))?;
        written += 1;
        left_out_total += left_out;
    }
    if written == 0 && !unreviewed_only.is_empty() {
        anyhow::bail!(
            "{}: no employee has reviewed interactions{}: review them with `qadesk review`, \
             or add --include-unreviewed to use the automatic scorecards (marked unreviewed)",
            db.display(),
            describe_period(&period)
        );
    }
    if employees.is_empty() {
        eprintln!("no employee has scored interactions{}", describe_period(&period));
        return Ok(Status::Ok);
    }
    eprintln!(
        "wrote {written} coaching sheet{} to {}",
        if written == 1 { "" } else { "s" },
        args.out.display()
    );
    if left_out_total > 0 {
        eprintln!(
            "{} left off the sheet{}: nobody has reviewed {} yet (add --include-unreviewed to \
             include {}, marked unreviewed)",
            interactions_count(left_out_total),
            if written == 1 { "" } else { "s" },
            if left_out_total == 1 { "it" } else { "them" },
            if left_out_total == 1 { "it" } else { "them" },
        );
    }
    if !unreviewed_only.is_empty() {
        eprintln!(
            "no sheet for {} employee{} ({}): none of their interactions{} is reviewed yet \
             (review them with `qadesk review`, or add --include-unreviewed)",
            unreviewed_only.len(),
            if unreviewed_only.len() == 1 { "" } else { "s" },
            unreviewed_only.join(", "),
            describe_period(&period)
        );
    }
    Ok(Status::Ok)
}

pub fn summary(db: &Path, args: &SummaryArgs) -> anyhow::Result<Status> {
    let store = open_existing(db)?;
    let period = filter(
        &FilterArgs { employee: None, since: args.since.clone(), until: args.until.clone() },
        None,
    )?;
    let (renderer, prepared_on) = renderer(&args.templates)?;
    // Every interaction's latest scorecard, reviewed or not: the "worth a human look" list is
    // chosen from these; the figures use the reviewed ones unless asked otherwise.
    let all = store.scored_interactions(&period, true)?;
    let (interactions, left_out) = used(all.clone(), args.include_unreviewed);
    if interactions.is_empty() && left_out > 0 {
        anyhow::bail!(
            "{}: no reviewed scorecards{}: review interactions with `qadesk review`, or add \
             --include-unreviewed to summarise the automatic scorecards too (marked unreviewed)",
            db.display(),
            describe_period(&period)
        );
    }
    let mut guides = Guides::new();
    add_guides(&store, &all, &mut guides)?;
    let summary = build_summary(&SummaryInput {
        since: period.since.as_deref(),
        until: period.until.as_deref(),
        interactions: &interactions,
        look_over: &all,
        guides: &guides,
        prepared_on: prepared_on.as_deref(),
        left_out,
    });
    let bytes = match args.format {
        SummaryFormat::Html => renderer.summary(&summary, Format::Html)?.into_bytes(),
        SummaryFormat::Md => renderer.summary(&summary, Format::Markdown)?.into_bytes(),
        SummaryFormat::Csv => {
            let mut csv = csv::Writer::from_writer(Vec::new());
            for record in summary.criteria_records() {
                csv.write_record(&record)?;
            }
            csv.into_inner().context("cannot write CSV")?
        }
    };
    match &args.out {
        Some(target) => write_atomically(target, &bytes)
            .with_context(|| format!("{}: cannot write the summary", target.display()))?,
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    if left_out > 0 {
        eprintln!(
            "{} left out of the summary's figures: nobody has reviewed {} yet (add \
             --include-unreviewed to include {}, marked unreviewed); the list of interactions \
             worth a human look covers {} already",
            interactions_count(left_out),
            if left_out == 1 { "it" } else { "them" },
            if left_out == 1 { "it" } else { "them" },
            if left_out == 1 { "it" } else { "them" },
        );
    }
    Ok(Status::Ok)
}

/// The scorecards a report uses out of every latest one (`all`, reviewed first per rubric):
/// all of them with `--include-unreviewed`, else the reviewed ones; and how many interactions
/// that leaves out entirely because nobody has reviewed any of their scorecards.
fn used(all: Vec<ScoredInteraction>, include_unreviewed: bool) -> (Vec<ScoredInteraction>, usize) {
    if include_unreviewed {
        return (all, 0);
    }
    let reviewed: std::collections::BTreeSet<i64> =
        all.iter().filter(|i| i.review.is_some()).map(|i| i.interaction).collect();
    let left_out: std::collections::BTreeSet<i64> =
        all.iter().map(|i| i.interaction).filter(|i| !reviewed.contains(i)).collect();
    (all.into_iter().filter(|i| i.review.is_some()).collect(), left_out.len())
}

fn interactions_count(n: usize) -> String {
    format!("{n} interaction{}", if n == 1 { "" } else { "s" })
}

/// The built-in templates with the `--templates` folder's files on top, ready for `--lang`.
fn renderer(args: &TemplateArgs) -> anyhow::Result<(Renderer, Option<String>)> {
    let mut set = TemplateSet::builtin();
    if let Some(dir) = &args.templates {
        for (name, path) in template_files(dir)? {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("{}: cannot read the template", path.display()))?;
            set.set(&name, text);
        }
    }
    let renderer = Renderer::new(&set, &args.lang).map_err(|e| match &args.templates {
        Some(dir) => anyhow::anyhow!("{}: {e}", dir.display()),
        None => anyhow::anyhow!("{e}"),
    })?;
    let prepared_on = match &args.date {
        Some(date) => day_arg("--date", Some(date))?,
        // UTC: jiff is built without time-zone data, and a day off at midnight is harmless here.
        None => Some(jiff::Timestamp::now().to_string().chars().take(10).collect()),
    };
    Ok((renderer, prepared_on))
}

/// Files of a templates folder by the name templates use for them (`coach.html`,
/// `labels/nb.toml`): the folder itself and its `labels/` subfolder, hidden files left out.
fn template_files(dir: &Path) -> anyhow::Result<Vec<(String, PathBuf)>> {
    if !dir.is_dir() {
        anyhow::bail!("{}: not a folder of templates", dir.display());
    }
    let mut files = Vec::new();
    for (prefix, folder) in [("", dir.to_path_buf()), ("labels/", dir.join("labels"))] {
        if !folder.is_dir() {
            continue;
        }
        let entries = std::fs::read_dir(&folder)
            .with_context(|| format!("{}: cannot list the folder", folder.display()))?;
        for entry in entries {
            let path = entry.with_context(|| format!("{}: cannot list", folder.display()))?.path();
            let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
            if path.is_file() && !name.starts_with('.') {
                files.push((format!("{prefix}{name}"), path));
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Parses, once each, the rubric texts these interactions were scored with. A text that no
/// longer parses (an older schema) still names its rubric; criteria then show their ids.
fn add_guides(
    store: &Store,
    interactions: &[ScoredInteraction],
    guides: &mut Guides,
) -> anyhow::Result<()> {
    let missing: Vec<i64> =
        interactions.iter().map(|i| i.rubric_key).filter(|key| !guides.contains_key(key)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    for stored in store.rubric_texts(&missing)? {
        let guide = match qadesk_rubric::parse(&stored.toml) {
            Ok(rubric) => guide(&rubric),
            Err(error) => {
                eprintln!(
                    "warning: stored rubric `{}` version {} no longer parses ({error}); its \
                     criteria are shown by id",
                    stored.rubric_id, stored.version
                );
                RubricGuide {
                    rubric_id: stored.rubric_id.clone(),
                    version: stored.version,
                    title: stored.title.clone(),
                    ..RubricGuide::default()
                }
            }
        };
        guides.insert(stored.key, guide);
    }
    Ok(())
}

fn guide(rubric: &qadesk_rubric::Rubric) -> RubricGuide {
    RubricGuide {
        rubric_id: rubric.id.clone(),
        version: rubric.version,
        title: rubric.title.clone(),
        bands: rubric.bands.iter().map(|b| (b.min, b.label.clone())).collect(),
        criteria: rubric
            .criteria
            .iter()
            .map(|c| CriterionGuide {
                id: c.id.clone(),
                title: c.title.clone(),
                section: rubric.sections[c.section].id.clone(),
                weight: c.weight,
                critical: c.critical,
                coaching: c.coaching.split_whitespace().collect::<Vec<_>>().join(" "),
                examples: c.examples.clone(),
            })
            .collect(),
        // Only free-text questions: their answers are the shopper's comments on a sheet (file
        // answers are stored as text too, but a file name is not a comment).
        questions: rubric
            .questions
            .iter()
            .filter(|q| q.kind == qadesk_rubric::schema::AnswerType::Text)
            .map(|q| (q.id.clone(), q.text.clone()))
            .collect(),
    }
}

fn describe_period(period: &Filter) -> String {
    match (&period.since, &period.until) {
        (None, None) => String::new(),
        (Some(s), None) => format!(" since {s}"),
        (None, Some(u)) => format!(" until {u}"),
        (Some(s), Some(u)) => format!(" between {s} and {u}"),
    }
}

/// An employee id as part of a file name: anything but letters, digits, `-`, `_` and `.`
/// becomes `_`, so an id can never point outside the output folder.
fn file_safe(id: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if safe.trim_matches('.').is_empty() { format!("_{safe}") } else { safe }
}
