//! `qadesk shop print`: a blank checklist for a shopper working on paper, as self-contained
//! HTML (inline CSS, prints on A4 and Letter) or Markdown.

use std::fmt::Write as _;
use std::io::Write as _;

use qadesk_rubric::schema::AnswerType;
use qadesk_rubric::{Question, Rubric, localized};

use crate::args::{PrintFormat, ShopPrintArgs};
use crate::exit::Status;
use crate::inputs;

pub fn run(args: &ShopPrintArgs) -> anyhow::Result<Status> {
    let rubric = inputs::load_rubric(&args.checklist)?;
    if rubric.questions.is_empty() {
        anyhow::bail!("{}: `{}` has no [[question]] tables", args.checklist.display(), rubric.id);
    }
    let language = match &args.lang {
        Some(l) if rubric.languages.contains(l) => l.clone(),
        Some(l) => anyhow::bail!(
            "--lang {l}: checklist `{}` is written in {}",
            rubric.id,
            rubric.languages.join(", ")
        ),
        None => rubric.languages.first().cloned().unwrap_or_else(|| "en".into()),
    };
    let form = match args.format {
        PrintFormat::Md => markdown(&rubric, &language),
        PrintFormat::Html => html(&rubric, &language),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(form.as_bytes())?;
    out.flush()?;
    Ok(Status::Ok)
}

/// The fixed labels of the form, per language; English where a language has none.
fn label(language: &str, key: &str) -> &'static str {
    let nb = language == "nb";
    match key {
        "visit" if nb => "Besøket",
        "visit" => "Visit",
        "location" if nb => "Sted",
        "location" => "Location",
        "date" if nb => "Dato",
        "date" => "Date",
        "time" if nb => "Tid inn / ut",
        "time" => "Time in / out",
        "employee" if nb => "Ansatt (navn, id eller beskrivelse)",
        "employee" => "Employee (name, id or description)",
        "shopper" if nb => "Kunde-id (mystery shopper)",
        "shopper" => "Shopper id",
        "required" if nb => "må besvares",
        "required" => "required",
        "only-if" if nb => "bare hvis",
        "only-if" => "only if",
        "na" => "n/a",
        "yes" if nb => "ja",
        "yes" => "yes",
        "no" if nb => "nei",
        "no" => "no",
        "attach" if nb => "Legg ved",
        _ => "Attach",
    }
}

/// The answer area of a question as a list of choices, or `None` for a blank to write on.
fn choices(q: &Question, language: &str) -> Option<Vec<String>> {
    let mut list: Vec<String> = match q.kind {
        AnswerType::YesNo => vec![label(language, "yes").into(), label(language, "no").into()],
        AnswerType::Scale | AnswerType::ThreePoint => {
            let n = if q.kind == AnswerType::Scale { 5 } else { 3 };
            let labels = q.labels.get(language).or_else(|| q.labels.values().next());
            (1..=n)
                .map(|i| match labels.and_then(|l| l.get(i - 1)) {
                    Some(text) => format!("{i} {text}"),
                    None => i.to_string(),
                })
                .collect()
        }
        AnswerType::Choice | AnswerType::MultiChoice => {
            q.options.iter().map(|o| localized(&o.label, language).to_string()).collect()
        }
        _ => return None,
    };
    if q.na_allowed {
        list.push(label(language, "na").into());
    }
    Some(list)
}

fn blank(q: &Question, language: &str) -> String {
    match q.kind {
        AnswerType::Number => format!("______ {}", q.unit.as_deref().unwrap_or("")),
        AnswerType::Time => "__ : __".into(),
        AnswerType::File => format!("{}: ____________________", label(language, "attach")),
        _ => String::new(),
    }
}

fn condition(q: &Question, rubric: &Rubric, language: &str) -> Option<String> {
    let s = q.show_if.as_ref()?;
    let number = rubric.questions.iter().position(|x| x.id == s.question).map_or(0, |i| i + 1);
    Some(format!("{} {number} = {}", label(language, "only-if"), s.is))
}

fn markdown(rubric: &Rubric, language: &str) -> String {
    let mut md = format!("# {} (v{})\n\n", rubric.title, rubric.version);
    let _ = writeln!(md, "## {}\n", label(language, "visit"));
    for key in ["location", "date", "time", "employee", "shopper"] {
        let _ = writeln!(md, "- {}: ______________________", label(language, key));
    }
    md.push('\n');
    for (i, q) in rubric.questions.iter().enumerate() {
        let mut notes = Vec::new();
        if q.required {
            notes.push(label(language, "required").to_string());
        }
        notes.extend(condition(q, rubric, language));
        let notes =
            if notes.is_empty() { String::new() } else { format!(" _({})_", notes.join(", ")) };
        let _ = writeln!(md, "**{}. {}**{notes}\n", i + 1, q.text_in(language));
        if let Some(help) = q.help.get(language) {
            let _ = writeln!(md, "> {help}\n");
        }
        match choices(q, language) {
            Some(list) => {
                for choice in list {
                    let _ = writeln!(md, "- [ ] {choice}");
                }
            }
            None if q.kind == AnswerType::Text => md.push_str("\n\n_____________________________________________\n\n_____________________________________________\n"),
            None => {
                let _ = writeln!(md, "{}", blank(q, language));
            }
        }
        md.push('\n');
    }
    md
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:42rem;margin:2rem auto;\
color:#111;line-height:1.4}h1{font-size:1.4rem}h2{font-size:1.1rem;border-bottom:1px solid #999}\
.field{margin:.4rem 0}.field span{display:inline-block;min-width:16rem;border-bottom:1px solid #555}\
.q{margin:1rem 0;break-inside:avoid}.q p{margin:.2rem 0}.note{color:#555;font-size:.9em}\
.help{color:#444;font-style:italic;font-size:.9em}.box{display:inline-block;width:.9em;height:.9em;\
border:1px solid #222;margin-right:.3em;vertical-align:-.1em}ul{list-style:none;padding-left:1rem}\
.lines{border-bottom:1px solid #555;height:1.6rem}\
@media print{body{margin:0;max-width:none}@page{margin:15mm}}";

fn html(rubric: &Rubric, language: &str) -> String {
    let title = escape(&format!("{} (v{})", rubric.title, rubric.version));
    let mut h = format!(
        "<!doctype html>\n<html lang=\"{language}\"><head><meta charset=\"utf-8\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n<h2>{}</h2>\n",
        label(language, "visit")
    );
    for key in ["location", "date", "time", "employee", "shopper"] {
        let _ =
            writeln!(h, "<div class=\"field\">{}: <span>&nbsp;</span></div>", label(language, key));
    }
    for (i, q) in rubric.questions.iter().enumerate() {
        let mut notes = Vec::new();
        if q.required {
            notes.push(label(language, "required").to_string());
        }
        notes.extend(condition(q, rubric, language));
        let notes = if notes.is_empty() {
            String::new()
        } else {
            format!(" <span class=\"note\">({})</span>", escape(&notes.join(", ")))
        };
        let _ = writeln!(
            h,
            "<div class=\"q\"><p><strong>{}. {}</strong>{notes}</p>",
            i + 1,
            escape(q.text_in(language))
        );
        if let Some(help) = q.help.get(language) {
            let _ = writeln!(h, "<p class=\"help\">{}</p>", escape(help));
        }
        match choices(q, language) {
            Some(list) => {
                h.push_str("<ul>");
                for choice in list {
                    let _ = write!(h, "<li><span class=\"box\"></span>{}</li>", escape(&choice));
                }
                h.push_str("</ul>\n");
            }
            None if q.kind == AnswerType::Text => {
                h.push_str("<div class=\"lines\"></div><div class=\"lines\"></div><div class=\"lines\"></div>\n");
            }
            None => {
                let _ = writeln!(h, "<p>{}</p>", escape(&blank(q, language)));
            }
        }
        h.push_str("</div>\n");
    }
    h.push_str("</body></html>\n");
    h
}
