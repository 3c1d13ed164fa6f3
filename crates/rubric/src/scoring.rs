//! Turns check outcomes into a scorecard: scales, points, `na` handling, critical misses,
//! section and total scores, bands.

use qadesk_domain::{
    CriterionResult, Evidence, Interaction, Scorecard, SectionResult, Transcript, Verdict,
};

use crate::engine::{Evaluator, Level, Outcome, five_point_level, round2};
use crate::model::{Criterion, Rubric};
use crate::prepare::Prepared;
use crate::schema::{Aggregate, CriticalScope, Scale, ScoreUnit};

/// Options a caller may set per scoring run.
#[derive(Debug, Clone, Default)]
pub struct ScoreOptions {
    /// Language to use instead of the transcript's own or the detected one.
    pub language: Option<String>,
}

impl Rubric {
    /// Scores one interaction. Never fails: what cannot be judged is `na` with a reason.
    pub fn score(&self, interaction: &Interaction, options: &ScoreOptions) -> Scorecard {
        let empty = Transcript::default();
        let transcript = interaction.transcript.as_ref().unwrap_or(&empty);
        let prepared = Prepared::new(self, transcript, options.language.as_deref());
        let criterion_ids: Vec<String> = self.criteria.iter().map(|c| c.id.clone()).collect();
        let mut anchors: Vec<Option<usize>> = vec![None; self.criteria.len()];
        let mut outcomes: Vec<Option<Outcome>> = vec![None; self.criteria.len()];
        for &i in &self.evaluation_order {
            let evaluator = Evaluator {
                prepared: &prepared,
                answers: &interaction.answers,
                anchors: &anchors,
                criterion_ids: &criterion_ids,
            };
            let outcome = evaluator.evaluate(&self.criteria[i].check);
            if matches!(outcome.level, Level::Pass | Level::Partial) {
                anchors[i] = outcome.anchor;
            }
            outcomes[i] = Some(outcome);
        }

        let results: Vec<CriterionResult> = self
            .criteria
            .iter()
            .zip(outcomes)
            .map(|(criterion, outcome)| {
                let outcome = outcome.unwrap_or_else(|| Outcome {
                    level: Level::Na,
                    evidence: Vec::new(),
                    reason: "not evaluated".to_string(),
                    value: None,
                    anchor: None,
                });
                self.result(criterion, outcome, prepared.estimated_times)
            })
            .collect();

        self.total(&interaction.id, results, Some(prepared.language.clone()))
    }

    /// Section scores, the total and its band from one result per criterion (in the rubric's
    /// order), by this rubric's rules: aggregation, weights, critical misses, score unit. Used
    /// for automatic scoring and again after a person's review changed some verdicts.
    pub(crate) fn total(
        &self,
        interaction: &str,
        results: Vec<CriterionResult>,
        language: Option<String>,
    ) -> Scorecard {
        let mut sections = Vec::new();
        let mut card_critical = false;
        for section in &self.sections {
            let members = || section.criteria.iter().map(|&i| &results[i]);
            let (points, max) = match section.aggregate {
                Aggregate::Sum => {
                    (members().map(|r| r.points).sum(), members().map(|r| r.max).sum())
                }
                // The mean value (1–5) of the criteria that applied, out of 5.
                Aggregate::Average => {
                    let values: Vec<f64> = members()
                        .filter(|r| r.verdict != Verdict::Na)
                        .filter_map(|r| r.value)
                        .collect();
                    if values.is_empty() {
                        (0.0, 0.0)
                    } else {
                        (values.iter().sum::<f64>() / values.len() as f64, 5.0)
                    }
                }
            };
            let critical = members().any(|r| r.critical_miss);
            let zeroed = critical && self.critical_scope == CriticalScope::Section;
            card_critical |= critical && self.critical_scope == CriticalScope::Card;
            let points = if zeroed { 0.0 } else { points };
            let score = (max > 0.0).then(|| round2(100.0 * points / max));
            sections.push(SectionResult {
                id: section.id.clone(),
                score,
                points: round2(points),
                max: round2(max),
                critical_miss: critical,
            });
        }

        let points: f64 = sections.iter().map(|s| s.points).sum();
        let max_points: f64 = sections.iter().map(|s| s.max).sum();
        let total = match self.score_unit {
            ScoreUnit::Percent => {
                let weighted: Vec<(f64, f64)> = sections
                    .iter()
                    .zip(&self.sections)
                    .filter_map(|(result, section)| result.score.map(|s| (s, section.weight)))
                    .collect();
                let weight: f64 = weighted.iter().map(|w| w.1).sum();
                (weight > 0.0).then(|| weighted.iter().map(|(s, w)| s * w).sum::<f64>() / weight)
            }
            ScoreUnit::Points => (max_points > 0.0).then_some(points),
        };
        let total = total.map(|t| if card_critical { 0.0 } else { round2(t) });
        Scorecard {
            interaction: interaction.to_string(),
            rubric: self.id.clone(),
            rubric_version: self.version,
            score: total,
            band: total.and_then(|t| self.band_for(t)).map(|b| b.label.clone()),
            score_unit: self.score_unit.as_str().to_string(),
            points: round2(points),
            max_points: round2(max_points),
            language,
            critical_miss: card_critical,
            sections,
            criteria: results,
        }
    }

    fn result(
        &self,
        criterion: &Criterion,
        outcome: Outcome,
        estimated_times: bool,
    ) -> CriterionResult {
        let (verdict, value) = match (outcome.level, criterion.scale) {
            (Level::Na, _) => (Verdict::Na, None),
            (Level::Pass, Scale::PassFail) => (Verdict::Pass, None),
            (_, Scale::PassFail) => (Verdict::Fail, None),
            (level, Scale::ThreePoint | Scale::Number) => {
                let verdict = match level {
                    Level::Pass => Verdict::Pass,
                    Level::Partial => Verdict::Partial,
                    _ => Verdict::Fail,
                };
                (verdict, outcome.value)
            }
            (level, Scale::FivePoint) => {
                let value =
                    outcome.value.filter(|v| (1.0..=5.0).contains(v)).unwrap_or(match level {
                        Level::Pass => 5.0,
                        Level::Partial => 3.0,
                        _ => 1.0,
                    });
                (five_point_verdict(value), Some(value))
            }
        };
        let applicable = verdict != Verdict::Na;
        let mut reason = outcome.reason;
        if estimated_times && applicable && !outcome.evidence.is_empty() {
            reason.push_str(" (no timestamps: times estimated from word counts)");
        }
        let evidence = if applicable { outcome.evidence } else { Vec::new() };
        self.judged(criterion, verdict, value, evidence, reason)
    }

    /// A criterion's result for a verdict (and value) on its scale: points, maximum and
    /// critical miss follow from the rubric, whoever gave the verdict.
    pub(crate) fn judged(
        &self,
        criterion: &Criterion,
        verdict: Verdict,
        value: Option<f64>,
        evidence: Vec<Evidence>,
        reason: String,
    ) -> CriterionResult {
        let applicable = verdict != Verdict::Na;
        CriterionResult {
            id: criterion.id.clone(),
            section: self.sections[criterion.section].id.clone(),
            verdict,
            points: round2(criterion.weight * share(criterion.scale, verdict, value)),
            max: if applicable { criterion.weight } else { 0.0 },
            value: if applicable { value } else { None },
            critical_miss: criterion.critical && verdict == Verdict::Fail,
            evidence,
            reason,
        }
    }
}

/// The verdict a value on a five-point scale stands for: 4 and up pass, 3 partial, below fail.
pub(crate) fn five_point_verdict(value: f64) -> Verdict {
    match five_point_level(value) {
        Level::Pass => Verdict::Pass,
        Level::Partial => Verdict::Partial,
        _ => Verdict::Fail,
    }
}

/// The share of a criterion's weight a verdict earns on its scale: all of it for a pass, half
/// for a partial, none for a fail; on a five-point scale the value decides, 1 = none, 5 = all.
fn share(scale: Scale, verdict: Verdict, value: Option<f64>) -> f64 {
    match (verdict, scale) {
        (Verdict::Na, _) => 0.0,
        (_, Scale::FivePoint) => value.map_or(0.0, |v| (v - 1.0) / 4.0),
        (Verdict::Pass, _) => 1.0,
        (Verdict::Partial, _) => 0.5,
        (Verdict::Fail, _) => 0.0,
    }
}
