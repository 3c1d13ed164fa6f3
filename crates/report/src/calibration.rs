//! Evaluator calibration: from reviewers' verdicts on the same interactions, per criterion,
//! how often they agree (percent, Cohen's or Fleiss' kappa) and how often the automatic
//! verdict agrees with them; the criteria whose automatic rules agree least come first.
//! Categories are the verdicts (pass, partial, fail, na).

use std::collections::{BTreeMap, BTreeSet};

use qadesk_domain::{Rating, Verdict};
use serde::Serialize;

use crate::agreement::{Kappa, MIN_ITEMS, cohen, fleiss, percent_agreement};

const VERDICTS: [Verdict; 4] = [Verdict::Pass, Verdict::Partial, Verdict::Fail, Verdict::Na];

/// The calibration report.
#[derive(Debug, Clone, Serialize)]
pub struct Calibration {
    /// The fewest items a kappa is computed from.
    pub min_items: usize,
    /// Worst automatic agreement first.
    pub criteria: Vec<CriterionAgreement>,
}

/// A percent with the number of items (or ratings) behind it; `None` when there are none.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Percent {
    pub percent: Option<f64>,
    pub count: usize,
}

impl Percent {
    pub fn shown(&self) -> String {
        self.percent.map_or("–".to_string(), |p| format!("{p:.1} %"))
    }
}

/// Which kappa suits the raters of a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    /// The same two reviewers rated every item.
    Cohen,
    /// More than two reviewers: Fleiss' kappa over the items with the most common number of
    /// reviewers (`raters`).
    Fleiss,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReviewerKappa {
    /// `None` when no interaction has two reviews.
    pub method: Option<Method>,
    /// Reviewers per item the kappa counts: 2 for Cohen's, the modal number for Fleiss'.
    pub raters: usize,
    #[serde(flatten)]
    pub kappa: Kappa,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionAgreement {
    pub rubric: String,
    pub criterion: String,
    /// Interactions at least one reviewer rated.
    pub reviewed: usize,
    /// Interactions two or more reviewers rated: the items of reviewer agreement.
    pub multi_reviewed: usize,
    /// The reviewers of those interactions.
    pub reviewers: Vec<String>,
    /// Reviewer pairs who agree, averaged over the multi-reviewed interactions.
    pub agreement: Percent,
    pub kappa: ReviewerKappa,
    /// Reviews whose verdict is the automatic verdict that reviewer saw, over every review
    /// (count: reviews). A rescore can change the automatic verdict between two reviews.
    pub automatic_agreement: Percent,
    /// Cohen's kappa of the automatic verdict against the reviewers' majority, over the
    /// interactions with a majority whose reviewers all saw the same automatic verdict
    /// (count: items).
    pub automatic_kappa: Kappa,
    /// Interactions left out of `automatic_kappa` because their reviewers were split evenly.
    pub automatic_ties: usize,
    /// Interactions left out of `automatic_kappa` because their reviewers saw different
    /// automatic verdicts (a rescore came between their reviews).
    pub automatic_mixed: usize,
}

/// One interaction's ratings of one criterion.
#[derive(Default)]
struct Item {
    ratings: Vec<(String, Verdict)>,
    /// The automatic verdict each reviewer saw, in the order of `ratings`.
    automatic: Vec<Option<Verdict>>,
}

/// Builds the report from every reviewer's verdict (one rating per reviewer, criterion and
/// interaction), in any order.
pub fn build_calibration(ratings: &[Rating]) -> Calibration {
    // (rubric, criterion) → interaction → ratings; criteria in order of first appearance.
    let mut order: Vec<(String, String)> = Vec::new();
    let mut groups: BTreeMap<(String, String), BTreeMap<i64, Item>> = BTreeMap::new();
    for r in ratings {
        let key = (r.rubric.clone(), r.criterion.clone());
        let items = groups.entry(key.clone()).or_insert_with(|| {
            order.push(key);
            BTreeMap::new()
        });
        let item = items.entry(r.interaction).or_default();
        item.ratings.push((r.reviewer.clone(), r.verdict));
        item.automatic.push(r.automatic);
    }
    let mut criteria: Vec<(usize, CriterionAgreement)> = order
        .into_iter()
        .enumerate()
        .map(|(position, key)| {
            let items = &groups[&key];
            (position, criterion(key.0, key.1, items.values().collect()))
        })
        .collect();
    // Worst automatic agreement first; criteria without any comparison last, in report order.
    criteria.sort_by(|(pa, a), (pb, b)| {
        let rank = |c: &CriterionAgreement| c.automatic_agreement.percent.unwrap_or(f64::INFINITY);
        rank(a)
            .total_cmp(&rank(b))
            .then_with(|| {
                let k = |c: &CriterionAgreement| c.automatic_kappa.value.unwrap_or(f64::INFINITY);
                k(a).total_cmp(&k(b))
            })
            .then(pa.cmp(pb))
    });
    Calibration { min_items: MIN_ITEMS, criteria: criteria.into_iter().map(|(_, c)| c).collect() }
}

fn criterion(rubric: String, criterion: String, items: Vec<&Item>) -> CriterionAgreement {
    let multi: Vec<&&Item> = items.iter().filter(|i| i.ratings.len() >= 2).collect();
    let reviewers: BTreeSet<&str> =
        multi.iter().flat_map(|i| i.ratings.iter().map(|(who, _)| who.as_str())).collect();
    let verdict_lists: Vec<Vec<Verdict>> =
        multi.iter().map(|i| i.ratings.iter().map(|(_, v)| *v).collect()).collect();
    let agreement =
        Percent { percent: percent_agreement(&verdict_lists), count: verdict_lists.len() };

    let kappa = match reviewers.len() {
        0 | 1 => ReviewerKappa { method: None, raters: 0, kappa: cohen::<Verdict>(&[]) },
        // The same two reviewers on every multi-reviewed item: Cohen's kappa, rater by name.
        2 => {
            let first = reviewers.first().copied();
            let pairs: Vec<(Verdict, Verdict)> = multi
                .iter()
                .map(|item| {
                    let of = |mine: bool| {
                        item.ratings
                            .iter()
                            .find(|(who, _)| (Some(who.as_str()) == first) == mine)
                            .map(|(_, v)| *v)
                            .unwrap_or(Verdict::Na)
                    };
                    (of(true), of(false))
                })
                .collect();
            ReviewerKappa { method: Some(Method::Cohen), raters: 2, kappa: cohen(&pairs) }
        }
        // More reviewers: Fleiss' kappa needs the same number of raters on every item, so it
        // counts the items with the most common number (the larger on a tie).
        _ => {
            let mut by_count: BTreeMap<usize, usize> = BTreeMap::new();
            for item in &multi {
                *by_count.entry(item.ratings.len()).or_default() += 1;
            }
            let raters = by_count
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(a.0.cmp(b.0)))
                .map_or(0, |(&n, _)| n);
            let table: Vec<Vec<usize>> = multi
                .iter()
                .filter(|item| item.ratings.len() == raters)
                .map(|item| {
                    VERDICTS
                        .iter()
                        .map(|v| item.ratings.iter().filter(|(_, r)| r == v).count())
                        .collect()
                })
                .collect();
            ReviewerKappa { method: Some(Method::Fleiss), raters, kappa: fleiss(&table) }
        }
    };

    // The automatic verdict against every review, and against each item's majority.
    let mut compared = 0;
    let mut agreed = 0;
    let mut majority_pairs = Vec::new();
    let mut ties = 0;
    let mut mixed = 0;
    for item in &items {
        // Each review against the automatic verdict its reviewer saw.
        let seen: Vec<(Verdict, Verdict)> = item
            .ratings
            .iter()
            .zip(&item.automatic)
            .filter_map(|((_, verdict), automatic)| Some(((*automatic)?, *verdict)))
            .collect();
        compared += seen.len();
        agreed += seen.iter().filter(|(automatic, verdict)| automatic == verdict).count();
        let Some(&(automatic, _)) = seen.first() else { continue };
        if seen.iter().any(|(other, _)| *other != automatic) {
            mixed += 1;
            continue;
        }
        match majority(&item.ratings) {
            Some(m) => majority_pairs.push((automatic, m)),
            None => ties += 1,
        }
    }
    CriterionAgreement {
        rubric,
        criterion,
        reviewed: items.len(),
        multi_reviewed: multi.len(),
        reviewers: reviewers.into_iter().map(str::to_string).collect(),
        agreement,
        kappa,
        automatic_agreement: Percent {
            percent: (compared > 0).then(|| 100.0 * agreed as f64 / compared as f64),
            count: compared,
        },
        automatic_kappa: cohen(&majority_pairs),
        automatic_ties: ties,
        automatic_mixed: mixed,
    }
}

/// The verdict most reviewers gave, when one verdict has more votes than any other.
fn majority(ratings: &[(String, Verdict)]) -> Option<Verdict> {
    let counts: Vec<(Verdict, usize)> = VERDICTS
        .iter()
        .map(|v| (*v, ratings.iter().filter(|(_, r)| r == v).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let top = counts.iter().map(|(_, n)| *n).max()?;
    let mut leaders = counts.iter().filter(|(_, n)| *n == top);
    let leader = leaders.next()?;
    leaders.next().is_none().then_some(leader.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::KappaStatus;

    fn rating(criterion: &str, item: i64, who: &str, v: Verdict, auto: Verdict) -> Rating {
        Rating {
            rubric: "call-quality".into(),
            criterion: criterion.into(),
            interaction: item,
            reviewer: who.into(),
            verdict: v,
            automatic: Some(auto),
        }
    }

    /// Six items, reviewers A and B, automatic verdicts:
    ///
    /// ```text
    ///   item  1     2     3     4     5     6
    ///   auto  pass  pass  fail  fail  pass  fail
    ///   A     pass  pass  fail  fail  pass  pass
    ///   B     pass  fail  fail  fail  pass  pass
    /// ```
    ///
    /// A–B agree on 5 of 6 = 83.3 %. Cohen: A pass 4 fail 2, B pass 3 fail 3,
    /// pₒ = 5/6, pₑ = (4/6)(3/6) + (2/6)(3/6) = 18/36 = 0.5, κ = (5/6 − 0.5)/0.5 = 0.6667.
    /// Automatic vs reviews: 12 reviews, disagreeing on item 2 (B), item 6 (A and B) = 9/12 = 75 %.
    /// Majorities: items 1, 3, 4, 5, 6 (item 2 is split, a tie): pairs (auto, majority)
    /// (pass, pass), (fail, fail), (fail, fail), (pass, pass), (fail, pass): pₒ = 4/5,
    /// auto pass 2 fail 3, majority pass 3 fail 2, pₑ = (2/5)(3/5) + (3/5)(2/5) = 0.48,
    /// κ = (0.8 − 0.48)/0.52 = 0.6154.
    #[test]
    fn two_reviewers_get_cohens_kappa_and_the_automatic_verdict_is_compared() {
        use Verdict::{Fail, Pass};
        let table = [
            (1, Pass, Pass, Pass),
            (2, Pass, Pass, Fail),
            (3, Fail, Fail, Fail),
            (4, Fail, Fail, Fail),
            (5, Pass, Pass, Pass),
            (6, Fail, Pass, Pass),
        ];
        let mut ratings = Vec::new();
        for (item, auto, a, b) in table {
            ratings.push(rating("greeting", item, "A", a, auto));
            ratings.push(rating("greeting", item, "B", b, auto));
        }
        let report = build_calibration(&ratings);
        let c = &report.criteria[0];
        assert_eq!((c.reviewed, c.multi_reviewed), (6, 6));
        assert_eq!(c.reviewers, ["A", "B"]);
        assert!((c.agreement.percent.unwrap() - 500.0 / 6.0).abs() < 1e-9);
        assert_eq!(c.kappa.method, Some(Method::Cohen));
        assert!((c.kappa.kappa.value.unwrap() - 2.0 / 3.0).abs() < 1e-9);
        assert_eq!(c.automatic_agreement, Percent { percent: Some(75.0), count: 12 });
        assert_eq!((c.automatic_kappa.items, c.automatic_ties), (5, 1));
        assert!((c.automatic_kappa.value.unwrap() - 0.32 / 0.52).abs() < 1e-9);
    }

    /// Three reviewers on 5 items and two on a sixth: Fleiss' kappa over the 5 items with the
    /// modal 3 raters. Counts (pass, fail): (3,0), (3,0), (0,3), (2,1), (1,2).
    /// pass = 9/15 = 0.6, fail = 0.4, P̄ₑ = 0.36 + 0.16 = 0.52;
    /// Pᵢ = 1, 1, 1, (4 + 1 − 3)/6 = 1/3, 1/3; P̄ = 3.6667/5 = 0.7333;
    /// κ = (0.7333 − 0.52)/0.48 = 0.4444.
    #[test]
    fn three_reviewers_get_fleiss_kappa_over_the_items_with_the_modal_number_of_raters() {
        use Verdict::{Fail, Pass};
        let table = [
            (1, [Pass, Pass, Pass]),
            (2, [Pass, Pass, Pass]),
            (3, [Fail, Fail, Fail]),
            (4, [Pass, Pass, Fail]),
            (5, [Fail, Pass, Fail]),
        ];
        let mut ratings = Vec::new();
        for (item, verdicts) in table {
            for (who, v) in ["A", "B", "C"].into_iter().zip(verdicts) {
                ratings.push(rating("closing", item, who, v, Pass));
            }
        }
        ratings.push(rating("closing", 6, "A", Pass, Pass));
        ratings.push(rating("closing", 6, "B", Fail, Pass));
        let c = &build_calibration(&ratings).criteria[0];
        assert_eq!(c.kappa.method, Some(Method::Fleiss));
        assert_eq!((c.kappa.raters, c.kappa.kappa.items), (3, 5));
        assert!((c.kappa.kappa.value.unwrap() - (11.0 / 15.0 - 0.52) / 0.48).abs() < 1e-9);
        assert_eq!(c.multi_reviewed, 6);
    }

    #[test]
    fn few_items_say_so_and_the_least_agreeing_criterion_comes_first() {
        use Verdict::{Fail, Pass};
        let mut ratings = Vec::new();
        for item in 1..=3 {
            ratings.push(rating("greeting", item, "A", Pass, Pass));
            ratings.push(rating("greeting", item, "B", Pass, Pass));
            ratings.push(rating("closing", item, "A", Pass, Fail));
            ratings.push(rating("closing", item, "B", Fail, Fail));
        }
        let report = build_calibration(&ratings);
        let names: Vec<&str> = report.criteria.iter().map(|c| c.criterion.as_str()).collect();
        assert_eq!(names, ["closing", "greeting"], "50 % automatic agreement before 100 %");
        for c in &report.criteria {
            assert_eq!(c.kappa.kappa.status, KappaStatus::TooFewItems);
            assert_eq!(c.kappa.kappa.items, 3);
        }
        // One reviewer alone: no reviewer agreement, but the automatic comparison stands.
        let single = build_calibration(&[rating("greeting", 1, "A", Pass, Fail)]);
        let c = &single.criteria[0];
        assert_eq!((c.kappa.method, c.agreement.percent), (None, None));
        assert_eq!(c.automatic_agreement, Percent { percent: Some(0.0), count: 1 });
    }

    /// A rescore between two reviews: A saw an automatic fail on item 6, B (later) a pass. Each
    /// review is compared with what its reviewer saw (11 of 12 agree, not 10 of 12 against
    /// A's or 12 of 12 against B's), and item 6 has no one automatic verdict to set against
    /// the majority: it is left out of the kappa and counted.
    #[test]
    fn each_review_is_compared_with_the_automatic_verdict_its_reviewer_saw() {
        use Verdict::{Fail, Pass};
        let mut ratings = Vec::new();
        for (item, verdict) in [(1, Pass), (2, Pass), (3, Pass), (4, Fail), (5, Fail)] {
            ratings.push(rating("closing", item, "A", verdict, verdict));
            ratings.push(rating("closing", item, "B", verdict, verdict));
        }
        ratings.push(rating("closing", 6, "A", Pass, Fail));
        ratings.push(rating("closing", 6, "B", Pass, Pass));
        let c = &build_calibration(&ratings).criteria[0];
        assert_eq!(c.automatic_agreement.count, 12);
        assert!((c.automatic_agreement.percent.unwrap() - 100.0 * 11.0 / 12.0).abs() < 1e-9);
        // Items 1–5 agree all round (κ = 1); item 6 is mixed, not a pair (fail, pass).
        assert_eq!((c.automatic_ties, c.automatic_mixed, c.automatic_kappa.items), (0, 1, 5));
        assert_eq!(c.automatic_kappa.value, Some(1.0));
    }
}
