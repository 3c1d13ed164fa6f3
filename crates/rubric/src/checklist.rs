//! Checklist questions: compiling `[[question]]` tables, reading an answer given as text
//! (from an answer file, a CSV cell or the terminal form) into an `AnswerValue`, and checking a
//! set of answers against the questions (unknown ids, values off the scale, missing required
//! answers). No I/O: attachments are named here, hashed by the caller.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use qadesk_domain::{AnswerValue, Answers};

use crate::load::Loaded;
use crate::model::{ChoiceOption, Question, Rubric, ShowIf};
use crate::schema::{AnswerType, ChecklistQuestionConfig};

/// Compiles the questions, in order; problems come back with the span they concern.
pub(crate) fn compile_questions(
    loaded: &[Loaded<ChecklistQuestionConfig>],
    languages: &[String],
) -> (Vec<Question>, Vec<(Range<usize>, String)>) {
    let mut problems = Vec::new();
    let mut questions: Vec<Question> = Vec::new();
    let mut seen = HashSet::new();
    for item in loaded {
        let q = &item.config;
        let mut problem = |key: &str, message: String| problems.push((item.span_of(key), message));
        if !crate::compile::is_identifier(&q.id) {
            problem(
                "id",
                format!("question id {:?} must be lowercase letters, digits and dashes", q.id),
            );
        }
        if !seen.insert(q.id.clone()) {
            problem("id", format!("question id `{}` is used twice", q.id));
        }
        for lang in languages {
            if q.text.get(lang).is_none_or(|t| t.trim().is_empty()) {
                problem("text", format!("question `{}`: no `text.{lang}`", q.id));
            }
        }
        let wanted_labels = match q.kind {
            AnswerType::Scale => Some(5),
            AnswerType::ThreePoint => Some(3),
            _ => None,
        };
        for (lang, labels) in &q.labels {
            if wanted_labels != Some(labels.len()) {
                problem(
                    "labels",
                    format!(
                        "question `{}`: `labels.{lang}` has {} labels; {}",
                        q.id,
                        labels.len(),
                        match wanted_labels {
                            Some(n) => format!("a {} question has {n}", type_name(q.kind)),
                            None => format!("a {} question has none", type_name(q.kind)),
                        }
                    ),
                );
            }
        }
        let is_choice = matches!(q.kind, AnswerType::Choice | AnswerType::MultiChoice);
        if is_choice && q.options.len() < 2 {
            problem("options", format!("question `{}`: a choice needs at least 2 `options`", q.id));
        }
        if !is_choice && !q.options.is_empty() {
            problem("options", format!("question `{}`: only choices have `options`", q.id));
        }
        let mut option_ids = HashSet::new();
        for option in &q.options {
            if !option_ids.insert(option.id.as_str()) || option.id.contains(',') {
                problem(
                    "options",
                    format!(
                        "question `{}`: option id `{}` is repeated or has a comma",
                        q.id, option.id
                    ),
                );
            }
            if !option.points.is_finite() {
                problem("options", format!("question `{}`: option `{}` points", q.id, option.id));
            }
            for lang in languages {
                if !option.label.contains_key(lang) {
                    problem(
                        "options",
                        format!(
                            "question `{}`: option `{}` has no `label.{lang}`",
                            q.id, option.id
                        ),
                    );
                }
            }
        }
        if (q.min.is_some() || q.max.is_some()) && q.kind != AnswerType::Number {
            problem("min", format!("question `{}`: only numbers have `min`/`max`", q.id));
        }
        if let (Some(lo), Some(hi)) = (q.min, q.max)
            && lo > hi
        {
            problem("max", format!("question `{}`: `min` is above `max`", q.id));
        }
        if q.na_allowed && matches!(q.kind, AnswerType::Text | AnswerType::File) {
            problem("na-allowed", format!("question `{}`: text and files need no n/a", q.id));
        }
        let show_if =
            q.show_if.as_ref().map(|s| ShowIf { question: s.question.clone(), is: s.is.clone() });
        if let Some(condition) = &show_if {
            match questions.iter().find(|earlier| earlier.id == condition.question) {
                None => problem(
                    "show-if",
                    format!(
                        "question `{}`: `show-if` names `{}`, which is not an earlier question",
                        q.id, condition.question
                    ),
                ),
                Some(earlier) => {
                    if let Err(reason) = earlier.interpret(&condition.is) {
                        problem("show-if", format!("question `{}`: `show-if.is`: {reason}", q.id));
                    }
                }
            }
        }
        questions.push(Question {
            id: q.id.clone(),
            kind: q.kind,
            text: q.text.clone(),
            help: q.help.clone(),
            required: q.required,
            na_allowed: q.na_allowed,
            labels: q.labels.clone(),
            options: q
                .options
                .iter()
                .map(|o| ChoiceOption {
                    id: o.id.clone(),
                    label: o.label.clone(),
                    points: o.points,
                })
                .collect(),
            min: q.min,
            max: q.max,
            unit: q.unit.clone(),
            show_if,
        });
    }
    (questions, problems)
}

/// How a question type is written in a rubric.
pub fn type_name(kind: AnswerType) -> &'static str {
    match kind {
        AnswerType::YesNo => "yes-no",
        AnswerType::Scale => "scale",
        AnswerType::ThreePoint => "three-point",
        AnswerType::Choice => "choice",
        AnswerType::MultiChoice => "multi-choice",
        AnswerType::Number => "number",
        AnswerType::Time => "time",
        AnswerType::Text => "text",
        AnswerType::File => "file",
    }
}

const THREE_POINT_WORDS: [&str; 3] = ["bad", "neutral", "good"];

impl Question {
    /// Reads an answer written as text: `yes`/`no`/`na`, a number, `bad`/`neutral`/`good`,
    /// option ids (comma-separated for several), `HH:MM`, free text, or a file path. The error
    /// says what would have been accepted.
    pub fn interpret(&self, raw: &str) -> Result<AnswerValue, String> {
        let text = raw.trim();
        let lower = text.to_lowercase();
        if matches!(lower.as_str(), "na" | "n/a") && self.kind != AnswerType::Text {
            return if self.na_allowed {
                Ok(AnswerValue::Na)
            } else {
                Err(format!("`{}` does not allow n/a", self.id))
            };
        }
        let off_scale = |accepted: &str| format!("`{}`: {text:?} is not {accepted}", self.id);
        match self.kind {
            AnswerType::YesNo => match lower.as_str() {
                "yes" | "y" | "true" => Ok(AnswerValue::Yes),
                "no" | "n" | "false" => Ok(AnswerValue::No),
                _ => Err(off_scale("yes or no")),
            },
            AnswerType::Scale => match lower.parse::<u8>() {
                Ok(n @ 1..=5) => Ok(AnswerValue::Number(f64::from(n))),
                _ => Err(off_scale("a whole number from 1 to 5")),
            },
            AnswerType::ThreePoint => {
                let position = THREE_POINT_WORDS.iter().position(|w| *w == lower).or_else(|| {
                    lower.parse::<usize>().ok().filter(|n| (1..=3).contains(n)).map(|n| n - 1)
                });
                position
                    .map(|p| AnswerValue::Number(p as f64 + 1.0))
                    .ok_or_else(|| off_scale("bad, neutral or good (or 1, 2, 3)"))
            }
            AnswerType::Choice | AnswerType::MultiChoice => {
                let picked: Vec<String> = text
                    .split(',')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect();
                let ids: Vec<&str> = self.options.iter().map(|o| o.id.as_str()).collect();
                if let Some(unknown) = picked.iter().find(|p| !ids.contains(&p.as_str())) {
                    return Err(format!(
                        "`{}`: {unknown:?} is not an option; the options are {}",
                        self.id,
                        ids.join(", ")
                    ));
                }
                match (self.kind, picked.len()) {
                    (_, 0) => Err(off_scale(&format!("one of {}", ids.join(", ")))),
                    (AnswerType::Choice, n) if n > 1 => {
                        Err(format!("`{}`: pick one option, not {n}", self.id))
                    }
                    _ => Ok(AnswerValue::Choice(picked)),
                }
            }
            AnswerType::Number => {
                let n: f64 = lower
                    .replace(',', ".")
                    .parse()
                    .ok()
                    .filter(|n: &f64| n.is_finite())
                    .ok_or_else(|| off_scale("a number"))?;
                if self.min.is_some_and(|lo| n < lo) || self.max.is_some_and(|hi| n > hi) {
                    let bound = |b: Option<f64>| b.map_or("…".to_string(), |b| b.to_string());
                    return Err(format!(
                        "`{}`: {n} is outside {} to {}",
                        self.id,
                        bound(self.min),
                        bound(self.max)
                    ));
                }
                Ok(AnswerValue::Number(n))
            }
            AnswerType::Time => {
                let (h, m) = text.split_once(':').ok_or_else(|| off_scale("a time HH:MM"))?;
                match (h.parse::<u8>(), m.parse::<u8>()) {
                    (Ok(h @ 0..=23), Ok(m @ 0..=59)) => {
                        Ok(AnswerValue::Text(format!("{h:02}:{m:02}")))
                    }
                    _ => Err(off_scale("a time HH:MM")),
                }
            }
            AnswerType::Text => Ok(AnswerValue::Text(text.to_string())),
            AnswerType::File if text.is_empty() => Err(off_scale("a file path")),
            AnswerType::File => Ok(AnswerValue::Text(text.to_string())),
        }
    }

    /// Whether the question is asked, given the answers so far.
    pub fn is_shown(&self, answers: &Answers) -> bool {
        let Some(condition) = &self.show_if else { return true };
        answers.get(&condition.question).is_some_and(|given| answer_text(given) == condition.is)
    }

    /// The question in `language`, or in the first language it has.
    pub fn text_in(&self, language: &str) -> &str {
        localized(&self.text, language)
    }
}

/// The canonical text of an answer, as `show-if` compares it and reports print it.
pub fn answer_text(answer: &AnswerValue) -> String {
    match answer {
        AnswerValue::Yes => "yes".into(),
        AnswerValue::No => "no".into(),
        AnswerValue::Na => "na".into(),
        AnswerValue::Number(n) => n.to_string(),
        AnswerValue::Text(t) => t.clone(),
        AnswerValue::Choice(ids) => ids.join(","),
    }
}

/// A text in `language`, or the first one there is.
pub fn localized<'a>(texts: &'a BTreeMap<String, String>, language: &str) -> &'a str {
    texts.get(language).or_else(|| texts.values().next()).map_or("", String::as_str)
}

impl Rubric {
    /// The checklist question with this id.
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Every problem with a set of answers: unknown questions, answers to questions that are
    /// not shown, and missing required answers. Values are checked when they are read
    /// ([`Question::interpret`]).
    pub fn check_answers(&self, answers: &Answers) -> Vec<String> {
        let mut problems = Vec::new();
        for id in answers.keys() {
            match self.question(id) {
                None => problems.push(format!(
                    "unknown question `{id}`; checklist `{}` asks {}",
                    self.id,
                    self.questions.iter().map(|q| q.id.as_str()).collect::<Vec<_>>().join(", ")
                )),
                Some(q) if !q.is_shown(answers) => problems.push(format!(
                    "`{id}` is answered, but it is only asked when `{}` is {}",
                    q.show_if.as_ref().map_or("", |s| s.question.as_str()),
                    q.show_if.as_ref().map_or("", |s| s.is.as_str()),
                )),
                Some(_) => {}
            }
        }
        for q in &self.questions {
            if q.required && q.is_shown(answers) && !answers.contains_key(&q.id) {
                problems.push(format!("required question `{}` has no answer", q.id));
            }
        }
        problems
    }
}
