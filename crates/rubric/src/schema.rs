//! The rubric file's schema as serde types; what each key means is documented in rubrics/README.md.

use std::collections::BTreeMap;

use serde::Deserialize;

/// Phrase lists keyed by language code.
pub type PhraseLists = BTreeMap<String, Vec<String>>;

/// Top-level keys of a rubric file, without its sections.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct HeaderConfig {
    pub id: String,
    pub title: String,
    pub version: u32,
    #[serde(default)]
    pub description: Option<String>,
    pub languages: Vec<String>,
    #[serde(default)]
    pub score: ScoreUnit,
    #[serde(default)]
    pub critical_fails: CriticalScope,
    #[serde(default)]
    pub speaker_map: BTreeMap<String, RoleName>,
    #[serde(default)]
    pub bands: Vec<BandConfig>,
    #[serde(default)]
    pub lexicon: BTreeMap<String, PhraseLists>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreUnit {
    #[default]
    Percent,
    Points,
}

impl ScoreUnit {
    pub fn as_str(self) -> &'static str {
        match self {
            ScoreUnit::Percent => "percent",
            ScoreUnit::Points => "points",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CriticalScope {
    #[default]
    Card,
    Section,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RoleName {
    Agent,
    Customer,
    Unknown,
}

/// Speaker filter of a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SpeakerFilter {
    Agent,
    Customer,
    Any,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BandConfig {
    pub min: f64,
    pub label: String,
}

/// A section's own keys; its criteria are read one by one so each gets its own error.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct SectionConfig {
    pub id: String,
    #[serde(default)]
    pub title: Option<String>,
    pub weight: f64,
    #[serde(default)]
    pub aggregate: Aggregate,
}

/// How a section's criteria make its score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregate {
    /// Points add up; the section's percent is points over maximum.
    #[default]
    Sum,
    /// The section's points are the average value of its five-point criteria (1–5), as in a
    /// self-assessment where each area scores the mean of its statements.
    Average,
}

/// One question of a checklist, asked of a mystery shopper (or an owner in a self-test).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChecklistQuestionConfig {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: AnswerType,
    /// The question, per language.
    pub text: BTreeMap<String, String>,
    #[serde(default)]
    pub help: BTreeMap<String, String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub na_allowed: bool,
    /// For `scale` (5 labels) and `three-point` (3 labels), per language.
    #[serde(default)]
    pub labels: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub options: Vec<ChoiceConfig>,
    /// Bounds of a `number` answer.
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub show_if: Option<ShowIfConfig>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerType {
    YesNo,
    Scale,
    ThreePoint,
    Choice,
    MultiChoice,
    Number,
    Time,
    Text,
    File,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ChoiceConfig {
    pub id: String,
    pub label: BTreeMap<String, String>,
    #[serde(default)]
    pub points: f64,
}

/// Ask a question only when an earlier one got a given answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ShowIfConfig {
    pub question: String,
    /// The answer that shows it: `yes`, `no`, an option id, a number.
    pub is: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct CriterionConfig {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub coaching: String,
    /// A line the employee could say next time, per language code (optional): coaching sheets
    /// show it under the focus area, in the language of the calls.
    #[serde(default)]
    pub example: BTreeMap<String, String>,
    pub weight: f64,
    #[serde(default)]
    pub scale: Scale,
    #[serde(default)]
    pub critical: bool,
    pub check: CheckConfig,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scale {
    #[default]
    PassFail,
    ThreePoint,
    FivePoint,
    Number,
}

/// A check: exactly one key naming its kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub enum CheckConfig {
    All(Vec<CheckConfig>),
    Any(Vec<CheckConfig>),
    Not(Box<CheckConfig>),
    Phrase(PhraseConfig),
    Regex(RegexConfig),
    Absent(AbsentConfig),
    Question(QuestionConfig),
    Response(ResponseConfig),
    Metric(MetricConfig),
    Answer(AnswerConfig),
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PhraseConfig {
    #[serde(default)]
    pub any: Option<PhraseLists>,
    #[serde(default)]
    pub all: Option<PhraseLists>,
    #[serde(default)]
    pub lexicon: Vec<String>,
    #[serde(default)]
    pub min_count: Option<u32>,
    #[serde(default)]
    pub speaker: Option<SpeakerFilter>,
    #[serde(default)]
    pub within_first_s: Option<f64>,
    #[serde(default)]
    pub within_last_s: Option<f64>,
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RegexConfig {
    pub pattern: String,
    #[serde(default)]
    pub min_count: Option<u32>,
    #[serde(default)]
    pub speaker: Option<SpeakerFilter>,
    #[serde(default)]
    pub within_first_s: Option<f64>,
    #[serde(default)]
    pub within_last_s: Option<f64>,
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AbsentConfig {
    #[serde(default)]
    pub any: Option<PhraseLists>,
    #[serde(default)]
    pub lexicon: Vec<String>,
    #[serde(default)]
    pub pattern: Option<String>,
    #[serde(default)]
    pub speaker: Option<SpeakerFilter>,
    #[serde(default)]
    pub within_first_s: Option<f64>,
    #[serde(default)]
    pub within_last_s: Option<f64>,
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct QuestionConfig {
    #[serde(default)]
    pub min: Option<u32>,
    #[serde(default)]
    pub open: bool,
    #[serde(default)]
    pub speaker: Option<SpeakerFilter>,
    #[serde(default)]
    pub within_first_s: Option<f64>,
    #[serde(default)]
    pub within_last_s: Option<f64>,
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default)]
    pub before: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ResponseConfig {
    #[serde(default)]
    pub trigger: Option<PhraseLists>,
    #[serde(default)]
    pub trigger_lexicon: Vec<String>,
    #[serde(default)]
    pub trigger_speaker: Option<SpeakerFilter>,
    pub moves: Vec<String>,
    #[serde(default)]
    pub speaker: Option<SpeakerFilter>,
    #[serde(default)]
    pub within_turns: Option<u32>,
    #[serde(default)]
    pub within_s: Option<f64>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct MetricConfig {
    pub name: MetricName,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub partial_min: Option<f64>,
    #[serde(default)]
    pub partial_max: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MetricName {
    DurationS,
    AgentTalkShare,
    CustomerTalkShare,
    TotalSilenceS,
    LongestSilenceS,
    DeadAirCount,
    AgentInterruptions,
    CustomerInterruptions,
    AgentWpm,
    CustomerWpm,
    AgentFirstWordsS,
    HoldCount,
    HoldTotalS,
    LongestHoldS,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct AnswerConfig {
    pub question: String,
    #[serde(default)]
    pub min: Option<f64>,
    #[serde(default)]
    pub max: Option<f64>,
    #[serde(default)]
    pub partial_min: Option<f64>,
    #[serde(default)]
    pub partial_max: Option<f64>,
}

/// Thresholds shared by `metric` and `answer` checks.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub partial_min: Option<f64>,
    pub partial_max: Option<f64>,
}
