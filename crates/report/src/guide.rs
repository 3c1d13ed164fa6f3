//! What the reports need to know about a rubric besides the scorecards: titles, weights,
//! coaching texts, example lines and bands. The CLI fills these from the parsed rubric, so this
//! crate does not depend on the rubric engine.

use std::collections::{BTreeMap, HashMap};

/// One rubric text, as far as the reports are concerned.
#[derive(Debug, Clone, Default)]
pub struct RubricGuide {
    pub rubric_id: String,
    pub version: u32,
    pub title: String,
    /// (minimum, label), highest minimum first, as the rubric lists them.
    pub bands: Vec<(f64, String)>,
    pub criteria: Vec<CriterionGuide>,
    /// A checklist's free-text questions, whose answers are the shopper's comments:
    /// question id → language → text.
    pub questions: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, Default)]
pub struct CriterionGuide {
    pub id: String,
    pub title: String,
    pub section: String,
    pub weight: f64,
    pub critical: bool,
    pub coaching: String,
    /// A line to try next time, by language code.
    pub examples: BTreeMap<String, String>,
}

impl RubricGuide {
    pub fn criterion(&self, id: &str) -> Option<&CriterionGuide> {
        self.criteria.iter().find(|c| c.id == id)
    }

    /// A question's text in `lang`, else English, else any; `None` for an unknown question.
    pub fn question(&self, id: &str, lang: &str) -> Option<&str> {
        let texts = self.questions.get(id)?;
        texts
            .get(lang)
            .or_else(|| texts.get("en"))
            .or_else(|| texts.values().next())
            .map(String::as_str)
    }

    /// The band a score falls in: the first whose minimum it reaches.
    pub fn band_for(&self, score: f64) -> Option<&str> {
        self.bands.iter().find(|(min, _)| score >= *min).map(|(_, label)| label.as_str())
    }
}

/// Rubric guides by the row id of the stored rubric text (`ScoredInteraction::rubric_key`).
pub type Guides = HashMap<i64, RubricGuide>;

/// What a scorecard whose rubric text is unknown is explained with: ids instead of titles.
static UNKNOWN: RubricGuide = RubricGuide {
    rubric_id: String::new(),
    version: 0,
    title: String::new(),
    bands: Vec::new(),
    criteria: Vec::new(),
    questions: BTreeMap::new(),
};

/// The guide of a stored rubric text, or an empty one.
pub(crate) fn guide_for(guides: &Guides, key: i64) -> &RubricGuide {
    guides.get(&key).unwrap_or(&UNKNOWN)
}
