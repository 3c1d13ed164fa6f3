//! `qadesk shop fill`: the checklist as a terminal form, one question at a time, right after a
//! visit. Every answer is saved to a draft (an answer file) at once, so an interrupted session
//! resumes where it stopped; Esc goes back one question; the end shows a summary to confirm
//! and stores the visit through the same checks as `shop import`.
#![allow(clippy::print_stderr, clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use inquire::validator::Validation;
use inquire::{Confirm, InquireError, Text};
use qadesk_rubric::schema::AnswerType;
use qadesk_rubric::{Question, Rubric, localized};
use qadesk_store::{Store, Stored};

use super::answers::{self, RawVisit};
use super::{RubricInStore, load_into, prepare};
use crate::args::ShopFillArgs;
use crate::commands::transcribe::write_atomically;
use crate::exit::Status;

/// One step of the form: a fact of the visit, or a question.
#[derive(Debug, Clone, Copy)]
enum Step {
    Field(&'static str, &'static str),
    Question(usize),
}

const FIELDS: &[(&str, &str)] = &[
    ("id", "Visit id"),
    ("location", "Location"),
    ("date", "Date (YYYY-MM-DD)"),
    ("time-in", "Time in (HH:MM)"),
    ("time-out", "Time out (HH:MM)"),
    ("employee", "Employee id (empty when you do not know it)"),
    ("employee-description", "What the employee looked like (when the id is unknown)"),
    ("shopper", "Your shopper id"),
];

/// The form's state: what is answered so far, as text, in an answer file's shape.
struct Draft {
    path: PathBuf,
    checklist: String,
    kind: String,
    fields: Vec<(String, String)>,
    answers: Vec<(String, String)>,
}

impl Draft {
    fn get<'a>(list: &'a [(String, String)], key: &str) -> Option<&'a str> {
        list.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    fn set(list: &mut Vec<(String, String)>, key: &str, value: String) {
        list.retain(|(k, _)| k != key);
        if !value.is_empty() {
            list.push((key.to_string(), value));
        }
    }

    /// The draft as an answer file (TOML), in form order.
    fn to_toml(&self, rubric: &Rubric) -> String {
        let quote = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut text = format!(
            "# Draft of `qadesk shop fill`; run the same command to resume.\nchecklist = {}\n\n[visit]\n",
            quote(&self.checklist)
        );
        let _ = writeln!(text, "kind = {}", quote(&self.kind));
        for (key, _) in FIELDS {
            if let Some(value) = Self::get(&self.fields, key) {
                let _ = writeln!(text, "{key} = {}", quote(value));
            }
        }
        text.push_str("\n[answers]\n");
        for q in &rubric.questions {
            if let Some(value) = Self::get(&self.answers, &q.id) {
                let _ = writeln!(text, "{} = {}", q.id, quote(value));
            }
        }
        text
    }

    fn save(&self, rubric: &Rubric) -> anyhow::Result<()> {
        write_atomically(&self.path, self.to_toml(rubric).as_bytes())
            .map_err(|e| anyhow::anyhow!("{}: cannot save the draft: {e}", self.path.display()))
    }
}

pub fn run(db: &Path, args: &ShopFillArgs) -> anyhow::Result<Status> {
    let mut store = Store::open(db)?;
    let checklist = load_into(&mut store, &args.checklist)?;
    let rubric = &checklist.rubric;
    if rubric.questions.is_empty() {
        anyhow::bail!("{}: `{}` has no [[question]] tables", args.checklist.display(), rubric.id);
    }
    let language = args
        .lang
        .clone()
        .filter(|l| rubric.languages.contains(l))
        .or_else(|| rubric.languages.first().cloned())
        .unwrap_or_else(|| "en".into());
    let path =
        args.draft.clone().unwrap_or_else(|| PathBuf::from(format!("{}.draft.toml", rubric.id)));
    let (mut draft, resumed) = start(&path, args, rubric)?;

    let steps: Vec<Step> = FIELDS
        .iter()
        .map(|(k, l)| Step::Field(k, l))
        .chain((0..rubric.questions.len()).map(Step::Question))
        .collect();
    // A resumed draft starts at its first unanswered step; a new one at the top.
    let mut at = if resumed {
        steps
            .iter()
            .position(|&step| {
                applies(step, &draft, rubric) && value_of(step, &draft, rubric).is_none()
            })
            .unwrap_or(steps.len())
    } else {
        0
    };
    while at < steps.len() {
        if !applies(steps[at], &draft, rubric) {
            at += 1;
            continue;
        }
        match ask(steps[at], &draft, rubric, &language, at, steps.len()) {
            Ok(value) => {
                match steps[at] {
                    Step::Field(key, _) => Draft::set(&mut draft.fields, key, value),
                    Step::Question(i) => {
                        Draft::set(&mut draft.answers, &rubric.questions[i].id, value)
                    }
                }
                draft.save(rubric)?;
                at += 1;
            }
            // Esc: back to the previous step that applies.
            Err(InquireError::OperationCanceled) => {
                while at > 0 {
                    at -= 1;
                    if applies(steps[at], &draft, rubric) {
                        break;
                    }
                }
            }
            Err(InquireError::OperationInterrupted) => {
                draft.save(rubric)?;
                eprintln!(
                    "stopped; the answers so far are in {}: run the same command to resume",
                    path.display()
                );
                return Ok(Status::SomeInputsFailed);
            }
            Err(InquireError::NotTTY) => {
                anyhow::bail!(
                    "`shop fill` needs a terminal; write an answer file and use `qadesk shop import`"
                )
            }
            Err(e) => return Err(e.into()),
        }
    }
    // Answers to questions that a later change hid are not part of the visit.
    let visible: Vec<bool> = draft
        .answers
        .iter()
        .map(|(id, _)| rubric.question(id).is_some_and(|q| shown(q, &draft, rubric)))
        .collect();
    let mut keep = visible.into_iter();
    draft.answers.retain(|_| keep.next().unwrap_or(false));
    draft.save(rubric)?;

    println!("\n{}", summary(&draft, rubric, &language));
    let confirmed = Confirm::new("Store this visit?").with_default(true).prompt();
    if !matches!(confirmed, Ok(true)) {
        eprintln!("not stored; the answers are kept in {}", path.display());
        return Ok(Status::SomeInputsFailed);
    }
    let visit = answers::read(&path).map_err(anyhow::Error::msg)?.remove(0);
    store_visit(&mut store, &checklist, &visit, &path)
}

/// A fresh draft, or the saved one when the shopper wants to resume it.
fn start(path: &Path, args: &ShopFillArgs, rubric: &Rubric) -> anyhow::Result<(Draft, bool)> {
    let mut draft = Draft {
        path: path.to_path_buf(),
        checklist: rubric.id.clone(),
        kind: args.kind.clone(),
        fields: Vec::new(),
        answers: Vec::new(),
    };
    if path.exists() {
        let saved = answers::read(path).map_err(anyhow::Error::msg)?.remove(0);
        let resume = Confirm::new(&format!(
            "Resume the draft in {} ({} answer(s))?",
            path.display(),
            saved.answers.len()
        ))
        .with_default(true)
        .prompt()?;
        if resume {
            draft.fields = saved.fields.into_iter().filter(|(k, _)| k != "kind").collect();
            draft.answers = saved.answers;
            return Ok((draft, true));
        }
    }
    let now = jiff::ZonedDateTime::now();
    let defaults = [
        ("id", args.id.clone().unwrap_or_else(|| format!("VISIT-{}", now.strftime("%Y%m%d-%H%M")))),
        ("date", now.strftime("%Y-%m-%d").to_string()),
        ("location", args.location.clone().unwrap_or_default()),
        ("employee", args.employee.clone().unwrap_or_default()),
    ];
    for (key, value) in defaults {
        Draft::set(&mut draft.fields, key, value);
    }
    Ok((draft, false))
}

fn value_of<'a>(step: Step, draft: &'a Draft, rubric: &Rubric) -> Option<&'a str> {
    match step {
        Step::Field(key, _) => Draft::get(&draft.fields, key),
        Step::Question(i) => Draft::get(&draft.answers, &rubric.questions[i].id),
    }
}

fn applies(step: Step, draft: &Draft, rubric: &Rubric) -> bool {
    match step {
        Step::Field("employee-description", _) => Draft::get(&draft.fields, "employee").is_none(),
        Step::Field(..) => true,
        Step::Question(i) => shown(&rubric.questions[i], draft, rubric),
    }
}

/// Whether a question is asked, given the draft's answers so far.
fn shown(q: &Question, draft: &Draft, rubric: &Rubric) -> bool {
    let Some(condition) = &q.show_if else { return true };
    let Some(earlier) = rubric.question(&condition.question) else { return false };
    Draft::get(&draft.answers, &earlier.id)
        .and_then(|raw| earlier.interpret(raw).ok())
        .is_some_and(|answer| qadesk_rubric::answer_text(&answer) == condition.is)
}

/// Asks one step; the text returned is already valid for it.
fn ask(
    step: Step,
    draft: &Draft,
    rubric: &Rubric,
    language: &str,
    at: usize,
    total: usize,
) -> Result<String, InquireError> {
    let progress = format!("[{}/{}]", at + 1, total);
    match step {
        Step::Field(key, label) => {
            let message = format!("{progress} {label}");
            let current = Draft::get(&draft.fields, key).unwrap_or("").to_string();
            let validator = move |input: &str| -> Result<Validation, inquire::CustomUserError> {
                let input = input.trim();
                let checked = match key {
                    "id" if input.is_empty() => Err("a visit needs an id".to_string()),
                    "date" => crate::commands::ingest::metadata::normalise_date(input).map(drop),
                    "time-in" | "time-out" if !input.is_empty() => {
                        crate::commands::ingest::metadata::normalise_time(input).map(drop)
                    }
                    _ => Ok(()),
                };
                Ok(checked.map_or_else(|e| Validation::Invalid(e.into()), |()| Validation::Valid))
            };
            Text::new(&message)
                .with_initial_value(&current)
                .with_help_message(
                    "Enter to accept, Esc to go back, Ctrl-C to stop (the draft is kept)",
                )
                .with_validator(validator)
                .prompt()
                .map(|s| s.trim().to_string())
        }
        Step::Question(i) => {
            let q = rubric.questions[i].clone();
            let required = if q.required { " (required)" } else { "" };
            let message = format!("{progress} {}{required}", q.text_in(language));
            let mut help = localized(&q.help, language).to_string();
            let choices = choice_help(&q, language);
            if !choices.is_empty() {
                if !help.is_empty() {
                    help.push_str(" · ");
                }
                help.push_str(&choices);
            }
            let current = Draft::get(&draft.answers, &q.id).unwrap_or("").to_string();
            let lang = language.to_string();
            let validator = move |input: &str| -> Result<Validation, inquire::CustomUserError> {
                let input = input.trim();
                if input.is_empty() {
                    return Ok(if q.required {
                        Validation::Invalid("this question needs an answer".into())
                    } else {
                        Validation::Valid
                    });
                }
                Ok(match q.interpret(&by_number(&q, input, &lang)) {
                    Ok(_) => Validation::Valid,
                    Err(e) => Validation::Invalid(e.into()),
                })
            };
            let q = &rubric.questions[i];
            Text::new(&message)
                .with_initial_value(&current)
                .with_help_message(&help)
                .with_validator(validator)
                .prompt()
                .map(|s| by_number(q, s.trim(), language))
        }
    }
}

/// The choices of a question, numbered, for its help line.
fn choice_help(q: &Question, language: &str) -> String {
    let list: Vec<String> = match q.kind {
        AnswerType::YesNo => vec!["yes".into(), "no".into()],
        AnswerType::Scale | AnswerType::ThreePoint => {
            let labels = q.labels.get(language).or_else(|| q.labels.values().next());
            let n = if q.kind == AnswerType::Scale { 5 } else { 3 };
            (1..=n)
                .map(|i| match labels.and_then(|l| l.get(i - 1)) {
                    Some(label) => format!("{i} {label}"),
                    None => i.to_string(),
                })
                .collect()
        }
        AnswerType::Choice | AnswerType::MultiChoice => q
            .options
            .iter()
            .enumerate()
            .map(|(n, o)| format!("{} {}", n + 1, localized(&o.label, language)))
            .collect(),
        AnswerType::Time => vec!["HH:MM".into()],
        AnswerType::Number => vec![q.unit.clone().unwrap_or_else(|| "a number".into())],
        AnswerType::File => vec!["path of the file".into()],
        AnswerType::Text => Vec::new(),
    };
    let several = if q.kind == AnswerType::MultiChoice { " (several: 1,3)" } else { "" };
    let na = if q.na_allowed { " · na" } else { "" };
    if list.is_empty() { String::new() } else { format!("{}{several}{na}", list.join(" · ")) }
}

/// Lets the shopper type an option's number, or a scale label, instead of its id.
fn by_number(q: &Question, input: &str, language: &str) -> String {
    match q.kind {
        AnswerType::Choice | AnswerType::MultiChoice => input
            .split(',')
            .map(str::trim)
            .map(|part| {
                part.parse::<usize>()
                    .ok()
                    .and_then(|n| q.options.get(n.wrapping_sub(1)))
                    .map_or(part.to_string(), |o| o.id.clone())
            })
            .collect::<Vec<_>>()
            .join(","),
        AnswerType::Scale | AnswerType::ThreePoint => q
            .labels
            .get(language)
            .and_then(|labels| labels.iter().position(|l| l.eq_ignore_ascii_case(input)))
            .map_or(input.to_string(), |i| (i + 1).to_string()),
        _ => input.to_string(),
    }
}

fn summary(draft: &Draft, rubric: &Rubric, language: &str) -> String {
    let mut text = format!("{} — summary\n", rubric.title);
    for (key, label) in FIELDS {
        if let Some(value) = Draft::get(&draft.fields, key) {
            let _ = writeln!(text, "  {label}: {value}");
        }
    }
    for q in &rubric.questions {
        if let Some(value) = Draft::get(&draft.answers, &q.id) {
            let _ = writeln!(text, "  {}: {value}", q.text_in(language));
        }
    }
    text
}

fn store_visit(
    store: &mut Store,
    checklist: &RubricInStore,
    visit: &RawVisit,
    draft: &Path,
) -> anyhow::Result<Status> {
    let item = prepare(visit, checklist, None, &Default::default(), &mut None)
        .map_err(anyhow::Error::msg)?;
    let card = item.scorecards[0].1.clone();
    match store.insert_batch(std::slice::from_ref(&item))?.remove(0)? {
        Stored::Inserted { .. } => {
            let mut out = std::io::stdout().lock();
            crate::output::table(&mut out, &card)?;
            let _ = std::fs::remove_file(draft);
            eprintln!("stored visit {} in {}", item.meta.call_id, store.path().display());
        }
        Stored::AlreadyStored { .. } => eprintln!("this visit was stored before"),
    }
    Ok(Status::Ok)
}
