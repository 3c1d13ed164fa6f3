//! The QA lead's summary: per-criterion pass rates and their weekly trend, the score
//! distribution, the interactions most worth a human look, and volume per employee. Any
//! breakdown that would cover fewer than [`MIN_EMPLOYEES`] employees is suppressed, so a
//! figure can never be read as one or two people's result.

use std::collections::{BTreeMap, BTreeSet};

use qadesk_domain::{InteractionKind, ScoredInteraction, Verdict};
use serde::Serialize;

use crate::coach::kind_name;
use crate::format;
use crate::guide::{Guides, guide_for};

/// The fewest employees a breakdown may cover.
pub const MIN_EMPLOYEES: usize = 3;
/// How many interactions the "worth a human look" list holds at most.
const WORTH_A_LOOK: usize = 15;
/// For a rubric without bands, scores below this count as low.
const LOW_WITHOUT_BANDS: f64 = 70.0;
/// Transcripts the recogniser was less sure of than this (mean token probability) are worth
/// a look: their verdicts may rest on misheard words. Measured with tiny.en: clear recorded
/// speech (LibriVox, cards) 0.85; the same clips under loud noise, a third of the words wrong,
/// 0.74; the 8 kHz sample call `en-mobile-objection-handled.wav`, names and words misheard
/// ("catchful mobile" for Kestrel Mobile), segments from 0.25 to 0.94.
pub const LOW_CONFIDENCE: f32 = 0.75;
/// How many of the "worth a look" places low-confidence transcripts may take at most.
const UNSURE_PLACES: usize = 5;

#[derive(Debug, Clone, Copy)]
pub struct SummaryInput<'a> {
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    pub interactions: &'a [ScoredInteraction],
    /// What the "worth a human look" list is chosen from: every selected interaction's
    /// latest scorecard per rubric, reviewed or not (automatic ones nobody has reviewed are
    /// exactly those that need a look), whatever `interactions` leaves out.
    pub look_over: &'a [ScoredInteraction],
    pub guides: &'a Guides,
    pub prepared_on: Option<&'a str>,
    /// Interactions of the period left out of the figures because nobody has reviewed them
    /// yet (0 when unreviewed ones are included).
    pub left_out: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub period: crate::coach::Period,
    pub prepared_on: Option<String>,
    pub min_employees: usize,
    pub totals: Totals,
    /// Monday dates of the weeks the trend columns stand for.
    pub weeks: Vec<String>,
    pub criteria: Vec<CriterionRow>,
    /// `None` when suppressed (fewer than [`MIN_EMPLOYEES`] employees in the period).
    pub distribution: Option<Vec<Bucket>>,
    pub worth_a_look: Vec<LookRow>,
    /// `None` when suppressed.
    pub volume: Option<Vec<VolumeRow>>,
    /// Interactions left out of the figures because nobody has reviewed them yet; the "worth
    /// a look" list still covers them.
    pub left_out: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    pub interactions: usize,
    pub calls: usize,
    pub mystery_calls: usize,
    pub visits: usize,
    pub employees: usize,
    /// Interactions without a known employee.
    pub unassigned: usize,
    pub average: Option<String>,
    /// Scorecards a person reviewed, and automatic ones nobody has reviewed yet (only when
    /// reports are asked to include them).
    pub reviewed: usize,
    pub unreviewed: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CriterionRow {
    pub rubric: String,
    pub rubric_title: String,
    pub criterion: String,
    pub title: String,
    pub critical: bool,
    /// The counts are `None` when suppressed: they would be a breakdown too.
    pub applicable: Option<usize>,
    pub passed: Option<usize>,
    pub partial: Option<usize>,
    pub failed: Option<usize>,
    /// Whole percent, `None` when suppressed.
    pub rate: Option<String>,
    pub suppressed: bool,
    /// One cell per entry of `Summary::weeks`: a percent, or `None` when nothing applied that
    /// week or it is suppressed.
    pub trend: Vec<Option<String>>,
    /// How many of the applicable verdicts are automatic ones nobody has reviewed; `None` when
    /// suppressed.
    pub unreviewed: Option<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Bucket {
    pub label: String,
    pub count: usize,
    /// Bar length as a percent of the largest bucket.
    pub bar: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct LookRow {
    pub call_id: String,
    pub kind: &'static str,
    pub date: String,
    pub employee: String,
    pub rubric: String,
    pub score: Option<String>,
    /// Why it is listed: `critical` (with the criteria), `low`, and/or `unsure`.
    pub critical: Vec<String>,
    pub low: bool,
    /// The transcript's confidence as a whole percent when it is below [`LOW_CONFIDENCE`].
    pub unsure: Option<String>,
    /// True when nobody has reviewed the scorecard yet.
    pub unreviewed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct VolumeRow {
    pub employee_id: String,
    pub name: String,
    pub calls: usize,
    pub mystery_calls: usize,
    pub visits: usize,
    pub total: usize,
    pub average: Option<String>,
}

#[derive(Default)]
struct CriterionTally {
    unreviewed: usize,
    passed: usize,
    partial: usize,
    failed: usize,
    employees: BTreeSet<String>,
    /// week → (applicable, passed, employees)
    weeks: BTreeMap<String, (usize, usize, BTreeSet<String>)>,
}

pub fn build_summary(input: &SummaryInput<'_>) -> Summary {
    let items = input.interactions;
    let guides = input.guides;
    let guide_of = |item: &ScoredInteraction| guide_for(guides, item.rubric_key);
    let rubric_title = |item: &ScoredInteraction| {
        let g = guide_of(item);
        if g.title.is_empty() { item.scorecard.rubric.clone() } else { g.title.clone() }
    };

    let mut seen = BTreeSet::new();
    let mut totals = Totals {
        interactions: 0,
        calls: 0,
        mystery_calls: 0,
        visits: 0,
        employees: 0,
        unassigned: 0,
        average: None,
        reviewed: items.iter().filter(|i| i.review.is_some()).count(),
        unreviewed: items.iter().filter(|i| i.review.is_none()).count(),
    };
    let mut employees = BTreeSet::new();
    for item in items {
        if !seen.insert(item.interaction) {
            continue;
        }
        totals.interactions += 1;
        match item.kind {
            InteractionKind::Call => totals.calls += 1,
            InteractionKind::MysteryCall => totals.mystery_calls += 1,
            InteractionKind::Visit => totals.visits += 1,
        }
        match &item.employee_id {
            Some(id) => {
                employees.insert(id.clone());
            }
            None => totals.unassigned += 1,
        }
    }
    totals.employees = employees.len();
    let scores: Vec<f64> = items.iter().filter_map(|i| i.scorecard.score).collect();
    totals.average = (!scores.is_empty())
        .then(|| format::score(scores.iter().sum::<f64>() / scores.len() as f64));
    let enough = employees.len() >= MIN_EMPLOYEES;

    // Per criterion, in rubric order of first appearance.
    let mut order: Vec<(String, String, String, String, bool)> = Vec::new();
    let mut tallies: BTreeMap<(String, String), CriterionTally> = BTreeMap::new();
    let mut weeks = BTreeSet::new();
    for item in items {
        let week = item.started_at.as_deref().and_then(format::week_start);
        if let Some(w) = &week {
            weeks.insert(w.clone());
        }
        let guide = guide_of(item);
        for result in &item.scorecard.criteria {
            if result.verdict == Verdict::Na {
                continue;
            }
            let key = (item.scorecard.rubric.clone(), result.id.clone());
            let tally = tallies.entry(key.clone()).or_insert_with(|| {
                let g = guide.criterion(&result.id);
                order.push((
                    key.0.clone(),
                    rubric_title(item),
                    key.1.clone(),
                    g.map_or_else(|| result.id.clone(), |g| g.title.clone()),
                    g.is_some_and(|g| g.critical),
                ));
                CriterionTally::default()
            });
            let pass = result.verdict == Verdict::Pass;
            tally.unreviewed += usize::from(item.review.is_none());
            match result.verdict {
                Verdict::Pass => tally.passed += 1,
                Verdict::Partial => tally.partial += 1,
                _ => tally.failed += 1,
            }
            if let Some(id) = &item.employee_id {
                tally.employees.insert(id.clone());
            }
            if let Some(w) = &week {
                let cell = tally.weeks.entry(w.clone()).or_default();
                cell.0 += 1;
                cell.1 += usize::from(pass);
                if let Some(id) = &item.employee_id {
                    cell.2.insert(id.clone());
                }
            }
        }
    }
    let weeks: Vec<String> = weeks.into_iter().collect();
    let criteria = order
        .into_iter()
        .map(|(rubric, rubric_title, criterion, title, critical)| {
            let t = &tallies[&(rubric.clone(), criterion.clone())];
            let applicable = t.passed + t.partial + t.failed;
            let suppressed = t.employees.len() < MIN_EMPLOYEES;
            let trend = weeks
                .iter()
                .map(|w| {
                    let (n, p, people) = t.weeks.get(w)?;
                    (*n > 0 && people.len() >= MIN_EMPLOYEES)
                        .then(|| format::percent(*p as f64 / *n as f64))
                })
                .collect();
            CriterionRow {
                rubric,
                rubric_title,
                criterion,
                title,
                critical,
                applicable: (!suppressed).then_some(applicable),
                passed: (!suppressed).then_some(t.passed),
                partial: (!suppressed).then_some(t.partial),
                failed: (!suppressed).then_some(t.failed),
                rate: (!suppressed && applicable > 0)
                    .then(|| format::percent(t.passed as f64 / applicable as f64)),
                suppressed,
                trend,
                unreviewed: (!suppressed).then_some(t.unreviewed),
            }
        })
        .collect();

    let distribution = enough.then(|| {
        let mut counts = [0usize; 10];
        for score in &scores {
            counts[((score / 10.0).floor().clamp(0.0, 9.0)) as usize] += 1;
        }
        let largest = counts.iter().copied().max().unwrap_or(0).max(1);
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Bucket {
                label: if i == 9 {
                    "90–100".to_string()
                } else {
                    format!("{}–{}", i * 10, i * 10 + 9)
                },
                count,
                bar: format::percent(count as f64 / largest as f64),
            })
            .collect()
    });

    let worth_a_look = worth_a_look(input.look_over, guides, &rubric_title);

    let volume = enough.then(|| {
        let mut rows: BTreeMap<String, (VolumeRow, Vec<f64>, BTreeSet<i64>)> = BTreeMap::new();
        for item in items {
            let Some(id) = &item.employee_id else { continue };
            let (row, scores, seen) = rows.entry(id.clone()).or_insert_with(|| {
                (
                    VolumeRow {
                        employee_id: id.clone(),
                        name: item.employee_name.clone().unwrap_or_else(|| id.clone()),
                        calls: 0,
                        mystery_calls: 0,
                        visits: 0,
                        total: 0,
                        average: None,
                    },
                    Vec::new(),
                    BTreeSet::new(),
                )
            });
            scores.extend(item.scorecard.score);
            if seen.insert(item.interaction) {
                row.total += 1;
                match item.kind {
                    InteractionKind::Call => row.calls += 1,
                    InteractionKind::MysteryCall => row.mystery_calls += 1,
                    InteractionKind::Visit => row.visits += 1,
                }
            }
        }
        rows.into_values()
            .map(|(mut row, scores, _)| {
                row.average = (!scores.is_empty())
                    .then(|| format::score(scores.iter().sum::<f64>() / scores.len() as f64));
                row
            })
            .collect()
    });

    let dates: Vec<String> = items
        .iter()
        .map(|i| format::date(i.started_at.as_deref()))
        .filter(|d| !d.is_empty())
        .collect();
    Summary {
        period: crate::coach::Period {
            from: input
                .since
                .map(str::to_string)
                .or_else(|| dates.iter().min().cloned())
                .unwrap_or_default(),
            to: input
                .until
                .map(str::to_string)
                .or_else(|| dates.iter().max().cloned())
                .unwrap_or_default(),
        },
        prepared_on: input.prepared_on.map(str::to_string),
        min_employees: MIN_EMPLOYEES,
        totals,
        weeks,
        criteria,
        distribution,
        worth_a_look,
        volume,
        left_out: input.left_out,
    }
}

/// Critical misses first, then the lowest scores, then the transcripts the recogniser was
/// least sure of; each interaction and rubric once. Chosen from `items` as given: reviewed and
/// unreviewed scorecards alike (the summary passes every latest scorecard).
fn worth_a_look(
    items: &[ScoredInteraction],
    guides: &Guides,
    rubric_title: &dyn Fn(&ScoredInteraction) -> String,
) -> Vec<LookRow> {
    let mut ranked: Vec<&ScoredInteraction> = items.iter().collect();
    // A scorecard without a score (nothing applied) is worth a look too: sort it first.
    ranked.sort_by(|a, b| {
        b.scorecard
            .critical_miss
            .cmp(&a.scorecard.critical_miss)
            .then(a.scorecard.score.unwrap_or(-1.0).total_cmp(&b.scorecard.score.unwrap_or(-1.0)))
            .then(a.call_id.cmp(&b.call_id))
    });
    // "Lowest" means among the lowest few and below the rubric's top band: a list of perfect
    // scores is not worth anyone's time.
    let below_top = |item: &ScoredInteraction| match item.scorecard.score {
        None => true,
        Some(score) => guide_for(guides, item.rubric_key)
            .bands
            .first()
            .map_or(score < LOW_WITHOUT_BANDS, |(top, _)| score < *top),
    };
    let lowest: BTreeSet<(i64, &str)> = {
        let mut by_score: Vec<&ScoredInteraction> = items.iter().filter(|i| below_top(i)).collect();
        by_score.sort_by(|a, b| {
            a.scorecard
                .score
                .unwrap_or(-1.0)
                .total_cmp(&b.scorecard.score.unwrap_or(-1.0))
                .then(a.call_id.cmp(&b.call_id))
        });
        by_score
            .iter()
            .take(WORTH_A_LOOK / 2)
            .map(|i| (i.interaction, i.scorecard.rubric.as_str()))
            .collect()
    };
    let unsure =
        |item: &ScoredInteraction| item.transcript_confidence.filter(|c| *c < LOW_CONFIDENCE);
    let least_sure: BTreeSet<i64> = {
        let mut by_confidence: Vec<(f32, &ScoredInteraction)> =
            items.iter().filter_map(|i| Some((unsure(i)?, i))).collect();
        by_confidence.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.call_id.cmp(&b.1.call_id)));
        let mut chosen = BTreeSet::new();
        for (_, item) in by_confidence {
            if chosen.len() == UNSURE_PLACES {
                break;
            }
            chosen.insert(item.interaction);
        }
        chosen
    };
    let flagged = |i: &ScoredInteraction| {
        i.scorecard.critical_miss || lowest.contains(&(i.interaction, i.scorecard.rubric.as_str()))
    };
    let mut listed: Vec<&ScoredInteraction> =
        ranked.iter().copied().filter(|i| flagged(i)).take(WORTH_A_LOOK).collect();
    // Low-confidence transcripts not listed already come after, still within the list's size.
    let mut rest: Vec<&ScoredInteraction> = ranked
        .iter()
        .copied()
        .filter(|i| !flagged(i) && least_sure.contains(&i.interaction))
        .collect();
    rest.sort_by(|a, b| {
        unsure(a)
            .unwrap_or(1.0)
            .total_cmp(&unsure(b).unwrap_or(1.0))
            .then(a.call_id.cmp(&b.call_id))
            .then(a.scorecard.rubric.cmp(&b.scorecard.rubric))
    });
    let room = WORTH_A_LOOK.saturating_sub(listed.len());
    listed.extend(rest.into_iter().take(room));
    listed
        .into_iter()
        .map(|item| LookRow {
            call_id: item.call_id.clone(),
            kind: kind_name(item.kind),
            date: format::date(item.started_at.as_deref()),
            employee: match (&item.employee_id, &item.employee_name) {
                (Some(id), Some(name)) => format!("{name} ({id})"),
                (Some(id), None) => id.clone(),
                (None, _) => String::new(),
            },
            rubric: rubric_title(item),
            score: item.scorecard.score.map(format::score),
            critical: item
                .scorecard
                .criteria
                .iter()
                .filter(|c| c.critical_miss)
                .map(|c| {
                    guide_for(guides, item.rubric_key)
                        .criterion(&c.id)
                        .map_or_else(|| c.id.clone(), |g| g.title.clone())
                })
                .collect(),
            low: lowest.contains(&(item.interaction, item.scorecard.rubric.as_str())),
            unsure: unsure(item).map(|c| format::percent(f64::from(c))),
            unreviewed: item.review.is_none(),
        })
        .collect()
}

impl Summary {
    /// The per-criterion table as CSV records, header first: what spreadsheets want from a
    /// summary. Suppressed rates are empty cells. The last column, `unreviewed`, counts the
    /// verdicts of the row nobody has reviewed (added with human review, after the weeks).
    pub fn criteria_records(&self) -> Vec<Vec<String>> {
        let mut records = vec![
            [
                "rubric",
                "criterion",
                "title",
                "critical",
                "applicable",
                "passed",
                "partial",
                "failed",
                "pass_rate_percent",
                "suppressed",
            ]
            .iter()
            .map(|s| s.to_string())
            .chain(self.weeks.iter().map(|w| format!("week_{w}")))
            .chain(["unreviewed".to_string()])
            .collect(),
        ];
        for row in &self.criteria {
            let mut record = vec![
                row.rubric.clone(),
                row.criterion.clone(),
                row.title.clone(),
                row.critical.to_string(),
                cell(row.applicable),
                cell(row.passed),
                cell(row.partial),
                cell(row.failed),
                row.rate.clone().unwrap_or_default(),
                row.suppressed.to_string(),
            ];
            record.extend(row.trend.iter().map(|c| c.clone().unwrap_or_default()));
            record.push(cell(row.unreviewed));
            records.push(record);
        }
        records
    }
}

fn cell(count: Option<usize>) -> String {
    count.map(|n| n.to_string()).unwrap_or_default()
}
