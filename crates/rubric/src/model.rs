//! The compiled rubric: references resolved, regexes and phrase automata built, ready to score.

use std::collections::BTreeMap;

use qadesk_domain::Role;
use regex::Regex;

use crate::matcher::{LanguagePack, SetId};
use crate::schema::{
    Aggregate, AnswerType, CriticalScope, MetricName, Scale, ScoreUnit, Thresholds,
};

/// A validated rubric, compiled once and used for any number of interactions.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub id: String,
    pub title: String,
    pub version: u32,
    pub description: Option<String>,
    pub languages: Vec<String>,
    pub score_unit: ScoreUnit,
    pub critical_scope: CriticalScope,
    /// Extra speaker labels and the roles they stand for.
    pub speaker_map: Vec<(String, Role)>,
    pub bands: Vec<Band>,
    pub sections: Vec<Section>,
    pub criteria: Vec<Criterion>,
    /// Checklist questions, in the order they are asked.
    pub questions: Vec<Question>,
    /// Criteria in an order where every `after`/`before` target comes first.
    pub(crate) evaluation_order: Vec<usize>,
    pub(crate) packs: BTreeMap<String, LanguagePack>,
    /// Normalised question openers per language, each wrapped in spaces: (open, closed).
    pub(crate) question_starters: BTreeMap<String, (Vec<String>, Vec<String>)>,
    pub(crate) needs_metrics: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub min: f64,
    pub label: String,
}

#[derive(Debug, Clone)]
pub struct Section {
    pub id: String,
    pub title: Option<String>,
    pub weight: f64,
    pub aggregate: Aggregate,
    /// Indices into [`Rubric::criteria`].
    pub criteria: Vec<usize>,
}

/// A checklist question, compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub kind: AnswerType,
    /// The question per language.
    pub text: BTreeMap<String, String>,
    pub help: BTreeMap<String, String>,
    pub required: bool,
    pub na_allowed: bool,
    /// Scale or three-point labels per language.
    pub labels: BTreeMap<String, Vec<String>>,
    pub options: Vec<ChoiceOption>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub unit: Option<String>,
    pub show_if: Option<ShowIf>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceOption {
    pub id: String,
    pub label: BTreeMap<String, String>,
    pub points: f64,
}

/// The answer to an earlier question that makes a question asked.
#[derive(Debug, Clone, PartialEq)]
pub struct ShowIf {
    pub question: String,
    pub is: String,
}

#[derive(Debug, Clone)]
pub struct Criterion {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub coaching: String,
    /// A line to try next time, by language code; may be empty.
    pub examples: BTreeMap<String, String>,
    pub weight: f64,
    pub scale: Scale,
    pub critical: bool,
    /// Index into [`Rubric::sections`].
    pub section: usize,
    pub(crate) check: Check,
}

/// Which utterances a check looks at.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scope {
    pub speaker: Option<Role>,
    pub first_ms: Option<u64>,
    pub last_ms: Option<u64>,
    /// Criterion index whose first evidence opens the scope.
    pub after: Option<usize>,
    /// Criterion index whose first evidence closes the scope.
    pub before: Option<usize>,
}

/// How a phrase check's sets must be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhraseMode {
    /// One phrase of any set, in `min_count` utterances.
    Any { min_count: u32 },
    /// Every phrase of the (single) set.
    All,
}

#[derive(Debug, Clone)]
pub(crate) enum Check {
    All(Vec<Check>),
    Any(Vec<Check>),
    Not(Box<Check>),
    Phrase {
        sets: Vec<SetId>,
        mode: PhraseMode,
        scope: Scope,
        what: String,
    },
    Regex {
        regex: Regex,
        min_count: u32,
        scope: Scope,
        what: String,
    },
    Absent {
        sets: Vec<SetId>,
        regex: Option<Regex>,
        scope: Scope,
        what: String,
    },
    Question {
        min: u32,
        open: bool,
        scope: Scope,
    },
    Response(Box<ResponseCheck>),
    Metric {
        name: MetricName,
        thresholds: Thresholds,
    },
    Answer {
        question: String,
        thresholds: Thresholds,
        /// The question's type and option points, when the rubric declares the question.
        kind: Option<AnswerType>,
        options: Vec<(String, f64)>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct ResponseCheck {
    pub triggers: Vec<SetId>,
    pub trigger_speaker: Option<Role>,
    pub moves: Vec<(String, SetId)>,
    pub speaker: Option<Role>,
    pub within_turns: u32,
    pub within_ms: Option<u64>,
}

impl Rubric {
    /// The band a total falls in: the first whose `min` it reaches.
    pub fn band_for(&self, score: f64) -> Option<&Band> {
        self.bands.iter().find(|b| score >= b.min)
    }

    /// The criterion with this id.
    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
}
