//! What gets scored: a recorded call, a mystery call or a visit, with its transcript and answers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Transcript;

/// The kind of event an interaction records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum InteractionKind {
    #[default]
    Call,
    MysteryCall,
    Visit,
}

/// One value a mystery shopper (or an evaluator) gave to a checklist question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AnswerValue {
    Yes,
    No,
    /// The question did not apply on this occasion.
    Na,
    Number(f64),
    Text(String),
    /// One or more chosen option ids.
    Choice(Vec<String>),
}

/// Answers by question id.
pub type Answers = BTreeMap<String, AnswerValue>;

/// Everything the rubric engine may look at for one interaction.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Interaction {
    pub id: String,
    pub kind: InteractionKind,
    pub transcript: Option<Transcript>,
    pub answers: Answers,
}

impl Interaction {
    /// A recorded call known only by its transcript.
    pub fn call(id: impl Into<String>, transcript: Transcript) -> Self {
        Interaction { id: id.into(), transcript: Some(transcript), ..Interaction::default() }
    }
}
