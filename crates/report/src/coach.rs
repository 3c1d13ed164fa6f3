//! The coaching sheet's view model: one employee's scored interactions turned into a header,
//! scores and trend, strengths, focus areas with moments and a line to try, mystery-shop
//! results, and the interactions it draws on; automatic verdicts nobody has reviewed and
//! disputed verdicts are marked where they appear. Private by construction: the builder drops every
//! interaction that is not the employee's, and nothing here compares people.

use std::collections::{BTreeMap, HashMap};

use qadesk_domain::{Employee, InteractionKind, Role, ScoredInteraction, Verdict};
use serde::Serialize;

use crate::chart::{self, TrendPoint};
use crate::format;
use crate::guide::{CriterionGuide, Guides, RubricGuide, guide_for};
use crate::mask::mask;

/// Longest quote a strength shows, in characters.
const STRENGTH_QUOTE: usize = 140;
/// Longest quote a moment shows.
const MOMENT_QUOTE: usize = 220;
const MAX_STRENGTHS: usize = 3;
const MAX_FOCUS: usize = 3;
const MAX_MOMENTS: usize = 3;
/// A criterion counts as a strength from this pass rate on: three of four is "consistently",
/// and a sheet that opens with what went well is easier to discuss.
const STRENGTH_RATE: f64 = 0.75;

/// What a sheet is built from.
#[derive(Debug, Clone, Copy)]
pub struct CoachInput<'a> {
    pub employee: &'a Employee,
    /// The period asked for, `YYYY-MM-DD`; `None` = from the first / to the last interaction.
    pub since: Option<&'a str>,
    pub until: Option<&'a str>,
    /// Scored interactions; any that are not this employee's are ignored.
    pub interactions: &'a [ScoredInteraction],
    pub guides: &'a Guides,
    /// The sheet's language: the fallback for the line to try.
    pub lang: &'a str,
    /// The date printed as "prepared on"; left out when `None`, so output can be reproduced.
    pub prepared_on: Option<&'a str>,
    /// The employee's interactions in the period left off the sheet because nobody has
    /// reviewed them yet (0 when unreviewed ones are included).
    pub left_out: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CoachingSheet {
    pub employee: Person,
    pub period: Period,
    pub prepared_on: Option<String>,
    pub counts: Counts,
    pub rubrics: Vec<RubricRef>,
    /// The average score per rubric (usually one).
    pub overall: Vec<Overall>,
    pub trend: Trend,
    pub strengths: Vec<Strength>,
    pub focus: Vec<Focus>,
    pub mystery: Mystery,
    /// Every interaction the sheet draws on, oldest first; moments link to these.
    pub interactions: Vec<InteractionRow>,
    /// The people whose reviews the sheet's scorecards are, by id.
    pub reviewers: Vec<String>,
    /// Scorecards on the sheet nobody has reviewed yet (only when reports are asked to include
    /// them): their verdicts are automatic, and marked so wherever they appear.
    pub unreviewed: usize,
    /// Disputes of the sheet's verdicts still waiting for a decision.
    pub open_disputes: usize,
    /// Interactions of the period left off the sheet because nobody has reviewed them yet.
    pub left_out: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Person {
    pub id: String,
    /// The name, or the id when the store has no name.
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Period {
    /// As asked for, else the first interaction's date.
    pub from: String,
    pub to: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Counts {
    pub calls: usize,
    pub mystery_calls: usize,
    pub visits: usize,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct RubricRef {
    pub id: String,
    pub title: String,
    pub version: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct Overall {
    pub rubric: String,
    /// Average of the scores, one decimal at most; `None` when nothing could be scored.
    pub score: Option<String>,
    pub band: Option<String>,
    pub scored: usize,
    pub critical_misses: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trend {
    pub points: Vec<TrendPoint>,
    /// The inline chart (HTML templates print it with `|safe`); empty with fewer than 2 points.
    pub svg: String,
    /// The same as block characters, for text.
    pub sparkline: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Strength {
    pub criterion: String,
    pub title: String,
    pub rubric: String,
    pub passed: usize,
    pub applicable: usize,
    /// Pass rate as a whole percent.
    pub rate: String,
    pub quote: Option<Moment>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Focus {
    pub criterion: String,
    pub title: String,
    pub rubric: String,
    pub coaching: String,
    /// Misses (a partial counts half) and the interactions where it applied.
    pub missed: String,
    pub applicable: usize,
    /// Miss rate as a whole percent.
    pub rate: String,
    /// weight × miss rate (doubled for a critical criterion): why this one was chosen.
    pub impact: String,
    pub critical: bool,
    pub moments: Vec<Moment>,
    /// A line to try, in the language of the calls when the rubric has one.
    pub try_line: Option<String>,
    pub try_lang: Option<String>,
}

/// A quoted moment of one of the employee's interactions.
#[derive(Debug, Clone, Serialize)]
pub struct Moment {
    pub call_id: String,
    /// The `id` of the interaction's row in the sheet's list, for links.
    pub anchor: String,
    pub date: String,
    /// `m:ss` into the call, when the transcript has times.
    pub at: Option<String>,
    pub speaker: String,
    /// Masked and shortened.
    pub quote: String,
    /// Why the verdict went this way, as the rubric engine (or the reviewer) put it.
    pub reason: String,
    /// True when the verdict is automatic: nobody has reviewed the scorecard yet.
    pub unreviewed: bool,
    /// When the employee disputed the verdict: `open`, or how it was decided.
    pub dispute: Option<&'static str>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Mystery {
    pub items: Vec<MysteryItem>,
    /// True: the shopper's free-text answers are stored with the visit (issue 5). Templates
    /// for older databases may still check it.
    pub comments_available: bool,
}

/// One mystery call or visit; a mystery call can have a call-rubric and a checklist result.
#[derive(Debug, Clone, Serialize)]
pub struct MysteryItem {
    pub call_id: String,
    pub anchor: String,
    pub kind: &'static str,
    pub date: String,
    pub results: Vec<MysteryResult>,
    /// Titles of the criteria missed, over all results.
    pub missed: Vec<String>,
    /// The shopper's free-text answers, masked.
    pub comments: Vec<Comment>,
    /// True when a result of it is automatic: nobody has reviewed it yet.
    pub unreviewed: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct MysteryResult {
    pub rubric: String,
    pub score: Option<String>,
    pub band: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Comment {
    /// The checklist's question, in the sheet's language when it has one, else its id.
    pub question: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct InteractionRow {
    pub anchor: String,
    pub call_id: String,
    pub kind: &'static str,
    pub date: String,
    pub time: Option<String>,
    pub rubric: String,
    pub score: Option<String>,
    pub band: Option<String>,
    pub critical_miss: bool,
    /// Who reviewed the scorecard; `None` when nobody has (an automatic scorecard).
    pub reviewer: Option<String>,
    pub unreviewed: bool,
    /// The disputed verdicts of this scorecard: the criterion's title and `open` or the outcome.
    pub disputes: Vec<DisputeNote>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DisputeNote {
    pub criterion: String,
    pub status: &'static str,
}

/// The status of the dispute of one criterion on a scorecard: an open one first, else the
/// latest decided one.
pub(crate) fn dispute_status(item: &ScoredInteraction, criterion: &str) -> Option<&'static str> {
    let mut of = item.disputes.iter().filter(|d| d.criterion == criterion);
    if of.clone().any(|d| d.outcome.is_none()) {
        return Some("open");
    }
    of.next_back().and_then(|d| d.outcome).map(|o| o.as_str())
}

pub(crate) fn kind_name(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Call => "call",
        InteractionKind::MysteryCall => "mystery-call",
        InteractionKind::Visit => "visit",
    }
}

/// Tallies of one criterion (per rubric id) over the employee's scorecards.
#[derive(Default)]
struct Tally<'a> {
    guide: Option<&'a CriterionGuide>,
    rubric_title: String,
    applicable: usize,
    passed: usize,
    /// fail = 1, partial = ½.
    missed: f64,
    /// (interaction index, criterion index) of passes and misses, oldest first.
    passes: Vec<(usize, usize)>,
    misses: Vec<(usize, usize)>,
}

/// Builds the sheet. Interactions of other employees are dropped before anything is counted.
pub fn build_sheet(input: &CoachInput<'_>) -> CoachingSheet {
    let own: Vec<&ScoredInteraction> = input
        .interactions
        .iter()
        .filter(|i| i.employee_id.as_deref() == Some(input.employee.id.as_str()))
        .collect();
    let guides = input.guides;
    let guide_of = |item: &ScoredInteraction| guide_for(guides, item.rubric_key);

    // One row per interaction (an interaction scored with two rubrics has two scorecards).
    let mut anchors: HashMap<i64, String> = HashMap::new();
    for item in &own {
        let next = format!("interaction-{}", anchors.len() + 1);
        anchors.entry(item.interaction).or_insert(next);
    }
    let anchor = |item: &ScoredInteraction| anchors[&item.interaction].clone();

    let mut counts = Counts { calls: 0, mystery_calls: 0, visits: 0, total: anchors.len() };
    let mut counted = std::collections::HashSet::new();
    for item in &own {
        if counted.insert(item.interaction) {
            match item.kind {
                InteractionKind::Call => counts.calls += 1,
                InteractionKind::MysteryCall => counts.mystery_calls += 1,
                InteractionKind::Visit => counts.visits += 1,
            }
        }
    }

    let mut rubrics: BTreeMap<(String, u32), RubricRef> = BTreeMap::new();
    for item in &own {
        let guide = guide_of(item);
        let card = &item.scorecard;
        rubrics.entry((card.rubric.clone(), card.rubric_version)).or_insert_with(|| RubricRef {
            id: card.rubric.clone(),
            title: if guide.title.is_empty() { card.rubric.clone() } else { guide.title.clone() },
            version: card.rubric_version,
        });
    }
    let title_of = |rubric_id: &str| {
        rubrics
            .values()
            .rev()
            .find(|r| r.id == rubric_id)
            .map_or_else(|| rubric_id.to_string(), |r| r.title.clone())
    };

    let overall = overall(&own, guides, &title_of);
    let trend = trend(&own, guides, input.employee);

    // Tally every criterion, keyed by rubric id and criterion id so that versions add up.
    let mut tallies: BTreeMap<(String, String), Tally<'_>> = BTreeMap::new();
    for (i, item) in own.iter().enumerate() {
        let guide = guide_of(item);
        for (c, result) in item.scorecard.criteria.iter().enumerate() {
            let tally =
                tallies.entry((item.scorecard.rubric.clone(), result.id.clone())).or_default();
            // The newest rubric text wins for titles and coaching (interactions come oldest first).
            if let Some(g) = guide.criterion(&result.id) {
                tally.guide = Some(g);
            }
            tally.rubric_title = title_of(&item.scorecard.rubric);
            match result.verdict {
                Verdict::Na => continue,
                Verdict::Pass => {
                    tally.passed += 1;
                    tally.passes.push((i, c));
                }
                Verdict::Partial => {
                    tally.missed += 0.5;
                    tally.misses.push((i, c));
                }
                Verdict::Fail => {
                    tally.missed += 1.0;
                    tally.misses.push((i, c));
                }
            }
            tally.applicable += 1;
        }
    }

    // A criterion's evidence, best first. A miss usually points at an utterance that many
    // missed criteria share (the opening, "where it should have been said") and then at the
    // words that were actually wrong; the quote fewest criteria share says most about this one.
    // The agent's own words come before the customer's.
    let moments = |(i, c): (usize, usize), max: usize| -> Vec<Moment> {
        let item = own[i];
        let result = &item.scorecard.criteria[c];
        let shared = |quote: &str, start: Option<u64>| {
            item.scorecard
                .criteria
                .iter()
                .flat_map(|other| &other.evidence)
                .filter(|e| e.quote == quote && e.start_ms == start)
                .count()
        };
        let mut ranked: Vec<(bool, usize, usize, &qadesk_domain::Evidence)> = result
            .evidence
            .iter()
            .enumerate()
            .map(|(p, e)| (e.speaker != Role::Agent, shared(&e.quote, e.start_ms), p, e))
            .collect();
        ranked.sort_by_key(|&(customer, shared, position, _)| (customer, shared, position));
        ranked
            .into_iter()
            .map(|(_, _, _, evidence)| Moment {
                call_id: item.call_id.clone(),
                anchor: anchor(item),
                date: format::date(item.started_at.as_deref()),
                at: evidence.start_ms.map(format::call_time),
                speaker: evidence.speaker.as_str().to_string(),
                quote: format::shorten(&mask(&evidence.quote), max),
                reason: mask(&result.reason),
                unreviewed: item.review.is_none(),
                dispute: dispute_status(item, &result.id),
            })
            .collect()
    };

    let focus = focus(&tallies, &own, input.lang, &moments);
    let chosen: Vec<&str> = focus.iter().map(|f| f.criterion.as_str()).collect();
    let strengths = strengths(&tallies, own.len(), &chosen, &moments);

    let mut mystery_items: Vec<MysteryItem> = Vec::new();
    for item in own.iter().filter(|item| item.kind != InteractionKind::Call) {
        let guide = guide_of(item);
        let anchor = anchor(item);
        let at = match mystery_items.iter().position(|m| m.anchor == anchor) {
            Some(at) => at,
            None => {
                mystery_items.push(MysteryItem {
                    call_id: item.call_id.clone(),
                    anchor,
                    kind: kind_name(item.kind),
                    date: format::date(item.started_at.as_deref()),
                    results: Vec::new(),
                    missed: Vec::new(),
                    comments: Vec::new(),
                    unreviewed: false,
                });
                mystery_items.len() - 1
            }
        };
        let entry = &mut mystery_items[at];
        entry.unreviewed |= item.review.is_none();
        entry.results.push(MysteryResult {
            rubric: title_of(&item.scorecard.rubric),
            score: item.scorecard.score.map(format::score),
            band: item.scorecard.band.clone(),
        });
        for c in &item.scorecard.criteria {
            if matches!(c.verdict, Verdict::Fail | Verdict::Partial) {
                entry
                    .missed
                    .push(guide.criterion(&c.id).map_or_else(|| c.id.clone(), |g| g.title.clone()));
            }
        }
        if entry.comments.is_empty() {
            // A comment is the answer to a free-text question of the checklist; with no
            // checklist to ask (its text no longer parses), every text answer is shown.
            let known = guide.questions.is_empty() && guide.criteria.is_empty();
            entry.comments = item
                .comments
                .iter()
                .filter_map(|(question, text)| {
                    let label = guide.question(question, input.lang);
                    (known || label.is_some()).then(|| Comment {
                        question: label.unwrap_or(question).to_string(),
                        text: mask(text),
                    })
                })
                .collect();
        }
    }
    let mystery = Mystery { items: mystery_items, comments_available: true };

    let interactions = own
        .iter()
        .map(|item| InteractionRow {
            anchor: anchor(item),
            call_id: item.call_id.clone(),
            kind: kind_name(item.kind),
            date: format::date(item.started_at.as_deref()),
            time: format::clock(item.started_at.as_deref()),
            rubric: title_of(&item.scorecard.rubric),
            score: item.scorecard.score.map(format::score),
            band: item.scorecard.band.clone(),
            critical_miss: item.scorecard.critical_miss,
            reviewer: item.review.as_ref().map(|r| r.reviewer.clone()),
            unreviewed: item.review.is_none(),
            disputes: {
                let mut criteria: Vec<&str> = Vec::new();
                for d in &item.disputes {
                    if !criteria.contains(&d.criterion.as_str()) {
                        criteria.push(&d.criterion);
                    }
                }
                criteria
                    .into_iter()
                    .filter_map(|c| {
                        Some(DisputeNote {
                            criterion: guide_of(item)
                                .criterion(c)
                                .map_or_else(|| c.to_string(), |g| g.title.clone()),
                            status: dispute_status(item, c)?,
                        })
                    })
                    .collect()
            },
        })
        .collect();
    let reviewers: Vec<String> = own
        .iter()
        .filter_map(|i| i.review.as_ref().map(|r| r.reviewer.clone()))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let unreviewed = own.iter().filter(|i| i.review.is_none()).count();
    let open_disputes =
        own.iter().flat_map(|i| &i.disputes).filter(|d| d.outcome.is_none()).count();

    let dates: Vec<String> = own
        .iter()
        .map(|i| format::date(i.started_at.as_deref()))
        .filter(|d| !d.is_empty())
        .collect();
    CoachingSheet {
        employee: Person {
            id: input.employee.id.clone(),
            name: input.employee.name.clone().unwrap_or_else(|| input.employee.id.clone()),
        },
        period: Period {
            from: input
                .since
                .map(str::to_string)
                .or_else(|| dates.first().cloned())
                .unwrap_or_default(),
            to: input
                .until
                .map(str::to_string)
                .or_else(|| dates.last().cloned())
                .unwrap_or_default(),
        },
        prepared_on: input.prepared_on.map(str::to_string),
        counts,
        rubrics: rubrics.into_values().collect(),
        overall,
        trend,
        strengths,
        focus,
        mystery,
        interactions,
        reviewers,
        unreviewed,
        open_disputes,
        left_out: input.left_out,
    }
}

fn overall(
    own: &[&ScoredInteraction],
    guides: &Guides,
    title_of: &dyn Fn(&str) -> String,
) -> Vec<Overall> {
    let mut by_rubric: BTreeMap<&str, (Vec<f64>, usize, Option<&RubricGuide>)> = BTreeMap::new();
    for item in own {
        let entry = by_rubric.entry(item.scorecard.rubric.as_str()).or_default();
        entry.0.extend(item.scorecard.score);
        entry.1 += usize::from(item.scorecard.critical_miss);
        entry.2 = Some(guide_for(guides, item.rubric_key));
    }
    by_rubric
        .into_iter()
        .map(|(rubric, (scores, critical_misses, guide))| {
            let average =
                (!scores.is_empty()).then(|| scores.iter().sum::<f64>() / scores.len() as f64);
            Overall {
                rubric: title_of(rubric),
                score: average.map(format::score),
                band: average.and_then(|a| guide.and_then(|g| g.band_for(a)).map(str::to_string)),
                scored: scores.len(),
                critical_misses,
            }
        })
        .collect()
}

fn trend(own: &[&ScoredInteraction], guides: &Guides, employee: &Employee) -> Trend {
    let scores: Vec<(String, f64)> = own
        .iter()
        .filter_map(|i| Some((format::date(i.started_at.as_deref()), i.scorecard.score?)))
        .collect();
    let points = chart::points(&scores);
    let bands =
        own.last().map(|i| guide_for(guides, i.rubric_key).bands.clone()).unwrap_or_default();
    let name = employee.name.as_deref().unwrap_or(&employee.id);
    let svg = if points.len() >= 2 { chart::svg(&points, &bands, name) } else { String::new() };
    Trend { sparkline: chart::sparkline(&points), points, svg }
}

fn focus(
    tallies: &BTreeMap<(String, String), Tally<'_>>,
    own: &[&ScoredInteraction],
    lang: &str,
    moments: &dyn Fn((usize, usize), usize) -> Vec<Moment>,
) -> Vec<Focus> {
    let mut ranked: Vec<(f64, &(String, String), &Tally<'_>)> = tallies
        .iter()
        .filter(|(_, t)| t.missed > 0.0 && t.applicable > 0)
        .map(|(key, t)| {
            let weight = t.guide.map_or(1.0, |g| g.weight);
            let critical = if t.guide.is_some_and(|g| g.critical) { 2.0 } else { 1.0 };
            (weight * critical * t.missed / t.applicable as f64, key, t)
        })
        .collect();
    // Highest impact first; ties by more misses, then by id, so the choice is reproducible.
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0).then(b.2.missed.total_cmp(&a.2.missed)).then(a.1.cmp(b.1))
    });
    ranked
        .into_iter()
        .take(MAX_FOCUS)
        .map(|(impact, (_, criterion), t)| {
            // The best moment of each miss, most recent first; when there are fewer misses than
            // moments to show, the next-best moments of the same misses fill in.
            let per_miss: Vec<Vec<Moment>> =
                t.misses.iter().rev().map(|&m| moments(m, MOMENT_QUOTE)).collect();
            let depth = per_miss.iter().map(Vec::len).max().unwrap_or(0);
            let moments: Vec<Moment> = (0..depth)
                .flat_map(|rank| per_miss.iter().filter_map(move |list| list.get(rank).cloned()))
                .take(if t.misses.len() >= 2 { MAX_MOMENTS } else { 2 })
                .collect();
            // The line to try is most useful in the language the employee speaks with customers.
            let mut call_langs: BTreeMap<&str, usize> = BTreeMap::new();
            for &(i, _) in &t.misses {
                if let Some(l) = own[i].scorecard.language.as_deref() {
                    *call_langs.entry(l).or_default() += 1;
                }
            }
            let mut langs: Vec<(&str, usize)> = call_langs.into_iter().collect();
            langs.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            let examples = t.guide.map(|g| &g.examples);
            let (try_lang, try_line) = langs
                .iter()
                .map(|(l, _)| *l)
                .chain([lang])
                .find_map(|l| {
                    examples.and_then(|e| e.get(l)).map(|line| (l.to_string(), line.clone()))
                })
                .unzip();
            let rate = t.missed / t.applicable as f64;
            Focus {
                criterion: criterion.clone(),
                title: t.guide.map_or_else(|| criterion.clone(), |g| g.title.clone()),
                rubric: t.rubric_title.clone(),
                coaching: t.guide.map(|g| g.coaching.clone()).unwrap_or_default(),
                missed: format::score(t.missed),
                applicable: t.applicable,
                rate: format::percent(rate),
                impact: format::score(impact),
                critical: t.guide.is_some_and(|g| g.critical),
                moments,
                try_line,
                try_lang,
            }
        })
        .collect()
}

fn strengths(
    tallies: &BTreeMap<(String, String), Tally<'_>>,
    interactions: usize,
    exclude: &[&str],
    moments: &dyn Fn((usize, usize), usize) -> Vec<Moment>,
) -> Vec<Strength> {
    // "Consistently" needs more than one interaction when there is more than one.
    let min_applicable = interactions.clamp(1, 2);
    let mut ranked: Vec<(f64, &(String, String), &Tally<'_>)> = tallies
        .iter()
        .filter(|((_, id), t)| {
            t.applicable >= min_applicable && !exclude.contains(&id.as_str()) && t.passed > 0
        })
        .map(|(key, t)| (t.passed as f64 / t.applicable as f64, key, t))
        .filter(|(rate, _, _)| *rate >= STRENGTH_RATE)
        .collect();
    ranked.sort_by(|a, b| {
        b.0.total_cmp(&a.0)
            .then(b.2.applicable.cmp(&a.2.applicable))
            .then_with(|| {
                let w = |t: &Tally<'_>| t.guide.map_or(0.0, |g| g.weight);
                w(b.2).total_cmp(&w(a.2))
            })
            .then(a.1.cmp(b.1))
    });
    ranked
        .into_iter()
        .take(MAX_STRENGTHS)
        .map(|(rate, (_, criterion), t)| {
            // The shortest agent quote among the passes reads best as an example.
            let quote = t
                .passes
                .iter()
                .filter_map(|&p| moments(p, STRENGTH_QUOTE).into_iter().next())
                .min_by_key(|m| (m.speaker != "agent", m.quote.chars().count()));
            Strength {
                criterion: criterion.clone(),
                title: t.guide.map_or_else(|| criterion.clone(), |g| g.title.clone()),
                rubric: t.rubric_title.clone(),
                passed: t.passed,
                applicable: t.applicable,
                rate: format::percent(rate),
                quote,
            }
        })
        .collect()
}
