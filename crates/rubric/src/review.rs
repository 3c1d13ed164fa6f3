//! A person's review of an automatic scorecard: each decision checked against the criterion's
//! scale, overridden verdicts given their points, and section scores, total and band worked
//! out again by the rubric's own scoring rules. Never touches the automatic scorecard.

use qadesk_domain::{CriterionDecision, CriterionResult, Decision, Scorecard, Verdict};

use crate::model::Rubric;
use crate::schema::Scale;
use crate::scoring::five_point_verdict;

/// One problem with the decisions of a review, for the criterion it names (or the review as a
/// whole when `criterion` is `None`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewProblem {
    pub criterion: Option<String>,
    pub message: String,
}

/// The verdicts a criterion's scale allows, for prompts and messages.
pub fn verdicts_for(scale: Scale) -> &'static [Verdict] {
    match scale {
        Scale::PassFail => &[Verdict::Pass, Verdict::Fail, Verdict::Na],
        _ => &[Verdict::Pass, Verdict::Partial, Verdict::Fail, Verdict::Na],
    }
}

/// A verdict by its name (`pass`, `partial`, `fail`, `na`), ignoring case.
pub fn verdict_from_name(name: &str) -> Option<Verdict> {
    [Verdict::Pass, Verdict::Partial, Verdict::Fail, Verdict::Na]
        .into_iter()
        .find(|v| v.as_str().eq_ignore_ascii_case(name.trim()))
}

impl Rubric {
    /// Checks a reviewer's verdict and value for one criterion against its scale and returns
    /// them complete: on a five-point scale the value (1–5) decides the verdict, and a verdict
    /// given with it must agree; elsewhere a value is not the reviewer's to give.
    pub fn check_override(
        &self,
        criterion: &str,
        verdict: Option<Verdict>,
        value: Option<f64>,
    ) -> Result<(Verdict, Option<f64>), String> {
        let c = self.criterion(criterion).ok_or_else(|| self.unknown_criterion(criterion))?;
        let allowed = verdicts_for(c.scale);
        let names = || allowed.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ");
        if c.scale == Scale::FivePoint && verdict != Some(Verdict::Na) {
            let Some(value) = value else {
                return Err(format!(
                    "`{criterion}` is on a five-point scale: give `value` 1–5 (it decides the \
                     verdict and the points), or the verdict na"
                ));
            };
            if !(1.0..=5.0).contains(&value) {
                return Err(format!("`{criterion}`: value {value} is not between 1 and 5"));
            }
            let implied = five_point_verdict(value);
            if let Some(given) = verdict
                && given != implied
            {
                return Err(format!(
                    "`{criterion}`: value {value} is a {implied} on the five-point scale (4–5 \
                     pass, 3 partial, 1–2 fail), not a {given}"
                ));
            }
            return Ok((implied, Some(value)));
        }
        let Some(verdict) = verdict else {
            return Err(format!("`{criterion}`: give a verdict ({})", names()));
        };
        if !allowed.contains(&verdict) {
            return Err(format!(
                "`{criterion}` is pass-fail: {verdict} is not one of its verdicts ({})",
                names()
            ));
        }
        if value.is_some() && verdict != Verdict::Na {
            return Err(format!(
                "`{criterion}`: `value` is only for five-point criteria; this one's points follow \
                 from the verdict"
            ));
        }
        Ok((verdict, None))
    }

    /// Applies a reviewer's decisions (one per criterion of the automatic scorecard, by id) and
    /// returns the reviewed scorecard with a record of each decision. Accepted criteria keep
    /// the automatic result; an override gets the points its verdict earns on the criterion's
    /// scale, keeps the automatic evidence (none for `na`) and takes the reviewer's reason.
    /// Every problem is returned, not only the first.
    pub fn review(
        &self,
        automatic: &Scorecard,
        decisions: &[(String, Decision)],
    ) -> Result<(Scorecard, Vec<CriterionDecision>), Vec<ReviewProblem>> {
        let mut problems = Vec::new();
        let mut problem = |criterion: Option<&str>, message: String| {
            problems.push(ReviewProblem { criterion: criterion.map(str::to_string), message });
        };
        if automatic.rubric != self.id || automatic.rubric_version != self.version {
            problem(
                None,
                format!(
                    "the scorecard is of {} version {}, not of {} version {}",
                    automatic.rubric, automatic.rubric_version, self.id, self.version
                ),
            );
        }
        for (id, _) in decisions {
            if self.criterion(id).is_none() {
                problem(Some(id), self.unknown_criterion(id));
            } else if decisions.iter().filter(|(other, _)| other == id).count() > 1 {
                problem(Some(id), format!("`{id}` is decided more than once"));
            }
        }
        let mut results = Vec::with_capacity(self.criteria.len());
        let mut records = Vec::with_capacity(self.criteria.len());
        let mut missing = Vec::new();
        for criterion in &self.criteria {
            let Some(auto) = automatic.criteria.iter().find(|c| c.id == criterion.id) else {
                problem(
                    Some(&criterion.id),
                    format!("the automatic scorecard has no result for `{}`", criterion.id),
                );
                continue;
            };
            let Some((_, decision)) = decisions.iter().find(|(id, _)| id == &criterion.id) else {
                missing.push(criterion.id.as_str());
                continue;
            };
            match decision {
                Decision::Accept => {
                    results.push(auto.clone());
                    records.push(record(auto, true, None));
                }
                Decision::Override { verdict, value, reason } => {
                    let reason = reason.trim();
                    if reason.is_empty() {
                        problem(
                            Some(&criterion.id),
                            format!("`{}`: an override needs a reason", criterion.id),
                        );
                    }
                    match self.check_override(&criterion.id, Some(*verdict), *value) {
                        Err(message) => problem(Some(&criterion.id), message),
                        Ok((verdict, value))
                            if verdict == auto.verdict
                                && (criterion.scale != Scale::FivePoint || value == auto.value) =>
                        {
                            problem(
                                Some(&criterion.id),
                                format!(
                                    "`{}`: the override gives the automatic verdict ({verdict}) \
                                     again; accept it instead",
                                    criterion.id
                                ),
                            );
                        }
                        Ok((verdict, value)) => {
                            // Off the five-point scale a value is what was measured (a
                            // metric, an answer), not a judgement: it stays as it was.
                            let value = match criterion.scale {
                                Scale::FivePoint => value,
                                _ => auto.value,
                            };
                            let evidence = if verdict == Verdict::Na {
                                Vec::new()
                            } else {
                                auto.evidence.clone()
                            };
                            results.push(self.judged(
                                criterion,
                                verdict,
                                value,
                                evidence,
                                reason.to_string(),
                            ));
                            records.push(record(auto, false, Some(reason.to_string())));
                        }
                    }
                }
            }
        }
        if !missing.is_empty() {
            problem(
                None,
                format!(
                    "no decision for {}: every criterion is accepted or overridden",
                    missing.iter().map(|id| format!("`{id}`")).collect::<Vec<_>>().join(", ")
                ),
            );
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let card = self.total(&automatic.interaction, results, automatic.language.clone());
        Ok((card, records))
    }

    fn unknown_criterion(&self, id: &str) -> String {
        let known: Vec<&str> = self.criteria.iter().map(|c| c.id.as_str()).collect();
        format!("`{id}` is not a criterion of {} (its criteria: {})", self.id, known.join(", "))
    }
}

fn record(auto: &CriterionResult, accepted: bool, reason: Option<String>) -> CriterionDecision {
    CriterionDecision {
        criterion: auto.id.clone(),
        accepted,
        automatic_verdict: auto.verdict,
        automatic_points: auto.points,
        reason,
    }
}
