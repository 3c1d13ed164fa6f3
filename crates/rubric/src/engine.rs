//! Evaluates compiled checks against a prepared transcript and an interaction's answers.
//!
//! Every check returns an [`Outcome`] with its evidence and a reason in plain words; a check
//! that cannot be judged returns `Na` with the reason why, never an error or a panic.

use qadesk_domain::{AnswerValue, Answers, CallMetrics, Evidence, Role, metrics};

use crate::matcher::SetId;
use crate::model::{Check, PhraseMode, ResponseCheck, Scope};
use crate::prepare::{Prepared, QuestionKind};
use crate::schema::{AnswerType, MetricName, Thresholds};

/// Evidence lists are capped: a coaching sheet needs a few moments, not every one.
const MAX_EVIDENCE: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    Fail,
    Partial,
    Pass,
    Na,
}

#[derive(Debug, Clone)]
pub struct Outcome {
    pub level: Level,
    pub evidence: Vec<Evidence>,
    pub reason: String,
    /// A raw value for five-point and number scales (an answer, a metric).
    pub value: Option<f64>,
    /// The first utterance of the evidence, used as an anchor by `after`/`before`.
    pub anchor: Option<usize>,
}

impl Outcome {
    fn new(level: Level, reason: String) -> Outcome {
        Outcome { level, evidence: Vec::new(), reason, value: None, anchor: None }
    }
}

pub struct Evaluator<'a> {
    pub prepared: &'a Prepared<'a>,
    pub answers: &'a Answers,
    /// First evidence utterance of each criterion evaluated so far, by criterion index.
    pub anchors: &'a [Option<usize>],
    pub criterion_ids: &'a [String],
}

impl Evaluator<'_> {
    pub fn evaluate(&self, check: &Check) -> Outcome {
        match check {
            Check::All(parts) => self.combine(parts, true),
            Check::Any(parts) => self.combine(parts, false),
            Check::Not(inner) => {
                let mut outcome = self.evaluate(inner);
                outcome.level = match outcome.level {
                    Level::Pass => Level::Fail,
                    Level::Fail => Level::Pass,
                    other => other,
                };
                outcome.reason = format!("not: {}", outcome.reason);
                outcome
            }
            Check::Phrase { sets, mode, scope, what } => self.phrase(sets, *mode, scope, what),
            Check::Regex { regex, min_count, scope, what } => {
                let turns = self.scope_turns(scope);
                let matching: Vec<usize> =
                    turns.iter().copied().filter(|&t| regex.is_match(self.text(t))).collect();
                self.counted(&turns, &matching, *min_count, scope, what)
            }
            Check::Absent { sets, regex, scope, what } => {
                self.absent(sets, regex.as_ref(), scope, what)
            }
            Check::Question { min, open, scope } => self.question(*min, *open, scope),
            Check::Response(response) => self.response(response),
            Check::Metric { name, thresholds } => self.metric(*name, thresholds),
            Check::Answer { question, thresholds, kind, options } => {
                self.answer(question, thresholds, *kind, options)
            }
        }
    }

    fn combine(&self, parts: &[Check], all: bool) -> Outcome {
        let outcomes: Vec<Outcome> = parts.iter().map(|p| self.evaluate(p)).collect();
        let applicable: Vec<&Outcome> = outcomes.iter().filter(|o| o.level != Level::Na).collect();
        let reason = outcomes.iter().map(|o| o.reason.as_str()).collect::<Vec<_>>().join("; ");
        if applicable.is_empty() {
            return Outcome::new(Level::Na, reason);
        }
        let level = if all {
            if applicable.iter().all(|o| o.level == Level::Pass) {
                Level::Pass
            } else if applicable.iter().all(|o| o.level == Level::Fail) {
                Level::Fail
            } else {
                Level::Partial
            }
        } else {
            applicable.iter().map(|o| o.level).max().unwrap_or(Level::Fail)
        };
        // Show the evidence that explains the verdict: what failed for a miss, what passed for a pass.
        let mut ordered = applicable.clone();
        ordered.sort_by_key(|o| {
            if level == Level::Pass { o.level != Level::Pass } else { o.level == Level::Pass }
        });
        let mut evidence: Vec<Evidence> = Vec::new();
        for o in &ordered {
            for e in &o.evidence {
                if evidence.len() < MAX_EVIDENCE && !evidence.contains(e) {
                    evidence.push(e.clone());
                }
            }
        }
        let anchor =
            applicable.iter().filter(|o| o.level != Level::Fail).filter_map(|o| o.anchor).min();
        let value = applicable.iter().find_map(|o| o.value);
        Outcome { level, evidence, reason, value, anchor }
    }

    fn text(&self, turn: usize) -> &str {
        &self.prepared.segments[turn].text
    }

    /// Utterances a check with this scope looks at, in order.
    fn scope_turns(&self, scope: &Scope) -> Vec<usize> {
        let p = self.prepared;
        let from = match scope.after {
            Some(c) => match self.anchors.get(c).copied().flatten() {
                Some(turn) => turn,
                None => return Vec::new(),
            },
            None => 0,
        };
        let to = scope
            .before
            .and_then(|c| self.anchors.get(c).copied().flatten())
            .unwrap_or(p.segments.len());
        (from..to.min(p.segments.len()))
            .filter(|&t| scope.speaker.is_none_or(|role| p.speaker(t) == role))
            .filter(|&t| scope.first_ms.is_none_or(|ms| p.times[t].0 <= p.call_start + ms))
            .filter(|&t| scope.last_ms.is_none_or(|ms| p.times[t].1 + ms >= p.call_end))
            .collect()
    }

    /// "the agent in the first 15 s after `greeting`": who and where a check looked.
    fn describe_scope(&self, scope: &Scope) -> String {
        let mut parts = vec![match scope.speaker {
            Some(role) => format!("the {role}"),
            None => "anyone".to_string(),
        }];
        if let Some(ms) = scope.first_ms {
            parts.push(format!("in the first {} s", ms / 1000));
        }
        if let Some(ms) = scope.last_ms {
            parts.push(format!("in the last {} s", ms / 1000));
        }
        if let Some(c) = scope.after {
            parts.push(format!("after `{}`", self.criterion_ids[c]));
        }
        if let Some(c) = scope.before {
            parts.push(format!("before `{}`", self.criterion_ids[c]));
        }
        parts.join(" ")
    }

    fn at(&self, turn: usize) -> String {
        let p = self.prepared;
        if p.estimated_times {
            format!("in turn {}", turn + 1)
        } else {
            format!("at {}", clock(p.times[turn].0))
        }
    }

    pub fn evidence(&self, turn: usize) -> Evidence {
        let p = self.prepared;
        let segment = &p.segments[turn];
        Evidence {
            speaker: segment.speaker,
            start_ms: segment.start_ms.filter(|_| !p.estimated_times),
            end_ms: segment.end_ms.filter(|_| !p.estimated_times),
            quote: segment.text.clone(),
            turn: Some(turn + 1),
        }
    }

    fn evidence_of(&self, turns: &[usize]) -> Vec<Evidence> {
        turns.iter().take(MAX_EVIDENCE).map(|&t| self.evidence(t)).collect()
    }

    /// Where something should have happened: the first utterance in scope, or else the
    /// first utterance of the scope's speaker.
    fn missing_at(&self, turns: &[usize], scope: &Scope) -> Vec<Evidence> {
        let fallback = || {
            (0..self.prepared.segments.len())
                .find(|&t| scope.speaker.is_none_or(|r| self.prepared.speaker(t) == r))
        };
        turns.first().copied().or_else(fallback).map(|t| vec![self.evidence(t)]).unwrap_or_default()
    }

    fn no_language(&self) -> Option<Outcome> {
        if self.prepared.pack.is_some() {
            return None;
        }
        Some(Outcome::new(
            Level::Na,
            format!("the rubric has no phrases for language `{}`", self.prepared.language),
        ))
    }

    fn set_hits<'s>(&'s self, turn: usize, sets: &'s [SetId]) -> impl Iterator<Item = u32> + 's {
        self.prepared.hits[turn].iter().filter(move |h| sets.contains(&h.set)).map(|h| h.phrase)
    }

    fn quoted_phrase(&self, phrase: u32) -> String {
        self.prepared.pack.map(|p| format!("\"{}\"", p.phrase(phrase))).unwrap_or_default()
    }

    fn phrase(&self, sets: &[SetId], mode: PhraseMode, scope: &Scope, what: &str) -> Outcome {
        if let Some(na) = self.no_language() {
            return na;
        }
        let turns = self.scope_turns(scope);
        let who = self.describe_scope(scope);
        match mode {
            PhraseMode::Any { min_count } => {
                let matching: Vec<(usize, u32)> = turns
                    .iter()
                    .filter_map(|&t| self.set_hits(t, sets).next().map(|phrase| (t, phrase)))
                    .collect();
                let Some(&(first, phrase)) = matching.first() else {
                    let mut o = Outcome::new(Level::Fail, format!("no {what} from {who}"));
                    o.evidence = self.missing_at(&turns, scope);
                    return o;
                };
                let said = format!(
                    "{} said {} {}",
                    role_name(self.prepared.speaker(first)),
                    self.quoted_phrase(phrase),
                    self.at(first)
                );
                let n = matching.len() as u32;
                let (level, reason) = if n >= min_count {
                    let extra = if min_count > 1 {
                        format!(" ({n} utterances, {min_count} needed)")
                    } else {
                        String::new()
                    };
                    (Level::Pass, format!("{said}{extra}"))
                } else {
                    (
                        Level::Partial,
                        format!(
                            "{said}, but only {n} utterance(s) had a {what}, {min_count} needed"
                        ),
                    )
                };
                let turns: Vec<usize> = matching.iter().map(|m| m.0).collect();
                Outcome {
                    level,
                    evidence: self.evidence_of(&turns),
                    reason,
                    value: None,
                    anchor: Some(first),
                }
            }
            PhraseMode::All => {
                let needed: usize =
                    sets.iter().map(|&s| self.prepared.pack.map_or(0, |p| p.set_size(s))).sum();
                let mut found: Vec<(u32, usize)> = Vec::new();
                for &t in &turns {
                    for phrase in self.set_hits(t, sets) {
                        if !found.iter().any(|f| f.0 == phrase) {
                            found.push((phrase, t));
                        }
                    }
                }
                if found.is_empty() {
                    let mut o =
                        Outcome::new(Level::Fail, format!("none of the listed phrases from {who}"));
                    o.evidence = self.missing_at(&turns, scope);
                    return o;
                }
                let quoted: Vec<String> = found.iter().map(|f| self.quoted_phrase(f.0)).collect();
                let level = if found.len() >= needed { Level::Pass } else { Level::Partial };
                let reason = format!(
                    "{} of {needed} listed phrases from {who}: {}",
                    found.len(),
                    quoted.join(", ")
                );
                let mut turns: Vec<usize> = found.iter().map(|f| f.1).collect();
                turns.sort_unstable();
                turns.dedup();
                Outcome {
                    level,
                    evidence: self.evidence_of(&turns),
                    reason,
                    value: None,
                    anchor: turns.first().copied(),
                }
            }
        }
    }

    fn counted(
        &self,
        turns: &[usize],
        matching: &[usize],
        min_count: u32,
        scope: &Scope,
        what: &str,
    ) -> Outcome {
        let who = self.describe_scope(scope);
        let Some(&first) = matching.first() else {
            let mut o = Outcome::new(Level::Fail, format!("no {what} from {who}"));
            o.evidence = self.missing_at(turns, scope);
            return o;
        };
        let n = matching.len() as u32;
        let level = if n >= min_count { Level::Pass } else { Level::Partial };
        let reason =
            format!("{what} from {who} {} ({n} utterance(s), {min_count} needed)", self.at(first));
        Outcome {
            level,
            evidence: self.evidence_of(matching),
            reason,
            value: None,
            anchor: Some(first),
        }
    }

    fn absent(
        &self,
        sets: &[SetId],
        regex: Option<&regex::Regex>,
        scope: &Scope,
        what: &str,
    ) -> Outcome {
        if !sets.is_empty()
            && regex.is_none()
            && let Some(na) = self.no_language()
        {
            return na;
        }
        let turns = self.scope_turns(scope);
        let who = self.describe_scope(scope);
        let offending: Vec<(usize, String)> = turns
            .iter()
            .filter_map(|&t| {
                if let Some(phrase) = self.set_hits(t, sets).next() {
                    return Some((t, self.quoted_phrase(phrase)));
                }
                let m = regex?.find(&self.prepared.segments[t].text)?;
                Some((t, format!("\"{}\"", m.as_str())))
            })
            .collect();
        match offending.first() {
            None => {
                let mut o = Outcome::new(
                    Level::Pass,
                    format!("no {what} from {who} in {} utterance(s) checked", turns.len()),
                );
                let bounds: Vec<usize> = match (turns.first(), turns.last()) {
                    (Some(&a), Some(&b)) if a != b => vec![a, b],
                    (Some(&a), _) => vec![a],
                    _ => Vec::new(),
                };
                o.evidence = self.evidence_of(&bounds);
                o
            }
            Some((first, said)) => {
                let more = match offending.len() {
                    1 => String::new(),
                    n => format!(" and {} more time(s)", n - 1),
                };
                let turns: Vec<usize> = offending.iter().map(|o| o.0).collect();
                Outcome {
                    level: Level::Fail,
                    evidence: self.evidence_of(&turns),
                    reason: format!(
                        "{} said {said} {}{more}, a {what} that must not be said",
                        role_name(self.prepared.speaker(*first)),
                        self.at(*first)
                    ),
                    value: None,
                    anchor: Some(*first),
                }
            }
        }
    }

    fn question(&self, min: u32, open: bool, scope: &Scope) -> Outcome {
        if let Some(na) = self.no_language() {
            return na;
        }
        let turns = self.scope_turns(scope);
        let who = self.describe_scope(scope);
        let kind = if open { "open question" } else { "question" };
        let mut asked = Vec::new();
        let mut count = 0u32;
        for &t in &turns {
            let n = self.prepared.questions[t]
                .iter()
                .filter(|&&k| !open || k == QuestionKind::Open)
                .count() as u32;
            if n > 0 {
                asked.push(t);
                count += n;
            }
        }
        let Some(&first) = asked.first() else {
            let mut o = Outcome::new(Level::Fail, format!("no {kind} from {who}"));
            o.evidence = self.missing_at(&turns, scope);
            return o;
        };
        let level = if count >= min { Level::Pass } else { Level::Partial };
        let reason =
            format!("{count} {kind}(s) from {who}, {min} needed; the first {}", self.at(first));
        Outcome {
            level,
            evidence: self.evidence_of(&asked),
            reason,
            value: None,
            anchor: Some(first),
        }
    }

    fn response(&self, r: &ResponseCheck) -> Outcome {
        if let Some(na) = self.no_language() {
            return na;
        }
        let p = self.prepared;
        let triggers: Vec<(usize, u32)> = (0..p.segments.len())
            .filter(|&t| r.trigger_speaker.is_none_or(|role| p.speaker(t) == role))
            .filter_map(|t| self.set_hits(t, &r.triggers).next().map(|phrase| (t, phrase)))
            .collect();
        let trigger_who = r.trigger_speaker.map_or("anyone", role_name);
        let responder = r.speaker.map_or("anyone", role_name);
        if triggers.is_empty() {
            return Outcome::new(
                Level::Na,
                format!(
                    "the {trigger_who} never raised a trigger phrase, so there was nothing to answer"
                ),
            );
        }
        let move_names: Vec<&str> = r.moves.iter().map(|m| m.0.as_str()).collect();
        let mut answered = 0;
        let mut evidence = Vec::new();
        let mut notes = Vec::new();
        for &(trigger, phrase) in &triggers {
            let deadline = r.within_ms.map(|ms| p.times[trigger].1 + ms);
            let window: Vec<usize> = (trigger + 1..p.segments.len())
                .filter(|&t| r.speaker.is_none_or(|role| p.speaker(t) == role))
                .take(r.within_turns as usize)
                .filter(|&t| deadline.is_none_or(|d| p.times[t].0 <= d))
                .collect();
            let reply = window.iter().find_map(|&t| {
                r.moves.iter().find_map(|(name, set)| {
                    self.set_hits(t, &[*set]).next().map(|ph| (t, name, ph))
                })
            });
            let raised =
                format!("{trigger_who} said {} {}", self.quoted_phrase(phrase), self.at(trigger));
            evidence.push(self.evidence(trigger));
            match reply {
                Some((t, name, ph)) => {
                    answered += 1;
                    evidence.push(self.evidence(t));
                    notes.push(format!(
                        "{raised}; {responder} answered with {name} ({}) {}",
                        self.quoted_phrase(ph),
                        self.at(t)
                    ));
                }
                None => {
                    if let Some(&t) = window.first() {
                        evidence.push(self.evidence(t));
                    }
                    notes.push(format!(
                        "{raised}; no {} move in the {responder}'s next {} turn(s)",
                        move_names.join("/"),
                        r.within_turns
                    ));
                }
            }
        }
        let level = match answered {
            0 => Level::Fail,
            n if n == triggers.len() => Level::Pass,
            _ => Level::Partial,
        };
        evidence.dedup();
        evidence.truncate(MAX_EVIDENCE + 1);
        let summary = format!("{answered} of {} trigger(s) answered: ", triggers.len());
        Outcome {
            level,
            evidence,
            reason: summary + &notes.join("; "),
            value: None,
            anchor: Some(triggers[0].0),
        }
    }

    fn metric(&self, name: MetricName, thresholds: &Thresholds) -> Outcome {
        let p = self.prepared;
        let Some(m) = &p.metrics else {
            return Outcome::new(
                Level::Na,
                format!(
                    "`{}` needs segment times, and this transcript has none",
                    metric_name(name)
                ),
            );
        };
        let value = metric_value(m, name);
        let level = threshold_level(value, thresholds);
        let turns: Vec<usize> = match name {
            MetricName::AgentInterruptions => metrics::interruptions(p.transcript, Role::Agent),
            MetricName::CustomerInterruptions => {
                metrics::interruptions(p.transcript, Role::Customer)
            }
            MetricName::LongestSilenceS | MetricName::TotalSilenceS | MetricName::DeadAirCount => {
                metrics::silences(p.transcript)
                    .iter()
                    .max_by_key(|s| s.ms)
                    .map(|s| s.next_turn)
                    .into_iter()
                    .collect()
            }
            MetricName::AgentTalkShare | MetricName::AgentWpm => self.longest_turn(Role::Agent),
            MetricName::CustomerTalkShare | MetricName::CustomerWpm => {
                self.longest_turn(Role::Customer)
            }
            MetricName::AgentFirstWordsS | MetricName::DurationS => {
                (0..p.segments.len()).find(|&t| p.speaker(t) == Role::Agent).into_iter().collect()
            }
            // The request to hold, for the longest hold.
            MetricName::HoldCount | MetricName::HoldTotalS | MetricName::LongestHoldS => {
                metrics::holds(p.transcript)
                    .iter()
                    .max_by_key(|s| s.ms)
                    .map(|s| s.previous_turn)
                    .into_iter()
                    .collect()
            }
        };
        let reason = format!(
            "{} = {} ({})",
            metric_name(name),
            round2(value),
            describe_thresholds(thresholds)
        );
        Outcome {
            level,
            evidence: self.evidence_of(&turns),
            reason,
            value: Some(round2(value)),
            anchor: None,
        }
    }

    fn longest_turn(&self, role: Role) -> Vec<usize> {
        let p = self.prepared;
        (0..p.segments.len())
            .filter(|&t| p.speaker(t) == role)
            .max_by_key(|&t| p.times[t].1 - p.times[t].0)
            .into_iter()
            .collect()
    }

    fn answer(
        &self,
        question: &str,
        thresholds: &Thresholds,
        kind: Option<AnswerType>,
        options: &[(String, f64)],
    ) -> Outcome {
        let Some(answer) = self.answers.get(question) else {
            return Outcome::new(Level::Na, format!("no answer to `{question}`"));
        };
        let evidence = |shown: String| Evidence {
            speaker: Role::Unknown,
            start_ms: None,
            end_ms: None,
            quote: format!("{question}: {shown}"),
            turn: None,
        };
        let has_thresholds = thresholds.min.is_some() || thresholds.max.is_some();
        let (level, value, shown) = match answer {
            AnswerValue::Yes => (Level::Pass, None, "yes".to_string()),
            AnswerValue::No => (Level::Fail, None, "no".to_string()),
            AnswerValue::Na => {
                return Outcome::new(Level::Na, format!("`{question}` was answered n/a"));
            }
            AnswerValue::Number(n) if has_thresholds => {
                (threshold_level(*n, thresholds), Some(*n), n.to_string())
            }
            // bad / neutral / good
            AnswerValue::Number(n) if kind == Some(AnswerType::ThreePoint) => {
                let level = match *n as i64 {
                    3 => Level::Pass,
                    2 => Level::Partial,
                    _ => Level::Fail,
                };
                (level, Some(*n), ["bad", "neutral", "good"][(*n as usize).clamp(1, 3) - 1].into())
            }
            AnswerValue::Number(n) => (five_point_level(*n), Some(*n), n.to_string()),
            AnswerValue::Text(_) => {
                return Outcome::new(
                    Level::Na,
                    format!("`{question}` is free text, which is never scored"),
                );
            }
            AnswerValue::Choice(picked) if !options.is_empty() => {
                // Points of the options picked; the best possible is the best single option, or
                // every positive option of a multiple choice.
                let points_of = |id: &String| {
                    options.iter().find(|(o, _)| o == id).map_or(0.0, |(_, points)| *points)
                };
                let got: f64 = picked.iter().map(points_of).sum();
                let best = if kind == Some(AnswerType::MultiChoice) {
                    options.iter().map(|(_, p)| p.max(0.0)).sum::<f64>()
                } else {
                    options.iter().map(|(_, p)| *p).fold(0.0, f64::max)
                };
                let level = if has_thresholds {
                    threshold_level(got, thresholds)
                } else if got >= best {
                    Level::Pass
                } else if got > 0.0 {
                    Level::Partial
                } else {
                    Level::Fail
                };
                (level, Some(got), format!("{} ({got} of {best} points)", picked.join(", ")))
            }
            AnswerValue::Choice(picked) => {
                return Outcome::new(
                    Level::Na,
                    format!(
                        "`{question}` is a choice ({}) and this check has no points for options",
                        picked.join(", ")
                    ),
                );
            }
        };
        let mut o = Outcome::new(level, format!("answer to `{question}` is {shown}"));
        o.evidence = vec![evidence(shown)];
        o.value = value;
        o
    }
}

pub fn five_point_level(value: f64) -> Level {
    if value >= 4.0 {
        Level::Pass
    } else if value >= 3.0 {
        Level::Partial
    } else {
        Level::Fail
    }
}

fn threshold_level(value: f64, t: &Thresholds) -> Level {
    let within = |lo: Option<f64>, hi: Option<f64>| {
        lo.is_none_or(|lo| value >= lo) && hi.is_none_or(|hi| value <= hi)
    };
    if within(t.min, t.max) {
        Level::Pass
    } else if (t.partial_min.is_some() || t.partial_max.is_some())
        && within(t.partial_min, t.partial_max)
    {
        Level::Partial
    } else {
        Level::Fail
    }
}

fn describe_thresholds(t: &Thresholds) -> String {
    let range = |lo: Option<f64>, hi: Option<f64>| match (lo, hi) {
        (Some(lo), Some(hi)) => format!("{lo}–{hi}"),
        (Some(lo), None) => format!("≥ {lo}"),
        (None, Some(hi)) => format!("≤ {hi}"),
        (None, None) => "any".to_string(),
    };
    let mut text = format!("pass at {}", range(t.min, t.max));
    if t.partial_min.is_some() || t.partial_max.is_some() {
        text.push_str(&format!(", partial at {}", range(t.partial_min, t.partial_max)));
    }
    text
}

fn metric_value(m: &CallMetrics, name: MetricName) -> f64 {
    let seconds = |ms: u64| ms as f64 / 1000.0;
    match name {
        MetricName::DurationS => seconds(m.duration_ms),
        MetricName::AgentTalkShare => m.agent_talk_share * 100.0,
        MetricName::CustomerTalkShare => m.customer_talk_share * 100.0,
        MetricName::TotalSilenceS => seconds(m.total_silence_ms),
        MetricName::LongestSilenceS => seconds(m.longest_silence_ms),
        MetricName::DeadAirCount => f64::from(m.dead_air_count),
        MetricName::AgentInterruptions => f64::from(m.agent_interruptions),
        MetricName::CustomerInterruptions => f64::from(m.customer_interruptions),
        MetricName::AgentWpm => m.agent_wpm.unwrap_or(0.0),
        MetricName::CustomerWpm => m.customer_wpm.unwrap_or(0.0),
        MetricName::AgentFirstWordsS => {
            m.time_to_agent_first_words_ms.map_or(f64::INFINITY, seconds)
        }
        MetricName::HoldCount => f64::from(m.hold_count),
        MetricName::HoldTotalS => seconds(m.hold_total_ms),
        MetricName::LongestHoldS => seconds(m.longest_hold_ms),
    }
}

pub fn metric_name(name: MetricName) -> &'static str {
    match name {
        MetricName::DurationS => "duration-s",
        MetricName::AgentTalkShare => "agent-talk-share",
        MetricName::CustomerTalkShare => "customer-talk-share",
        MetricName::TotalSilenceS => "total-silence-s",
        MetricName::LongestSilenceS => "longest-silence-s",
        MetricName::DeadAirCount => "dead-air-count",
        MetricName::AgentInterruptions => "agent-interruptions",
        MetricName::CustomerInterruptions => "customer-interruptions",
        MetricName::AgentWpm => "agent-wpm",
        MetricName::CustomerWpm => "customer-wpm",
        MetricName::AgentFirstWordsS => "agent-first-words-s",
        MetricName::HoldCount => "hold-count",
        MetricName::HoldTotalS => "hold-total-s",
        MetricName::LongestHoldS => "longest-hold-s",
    }
}

fn role_name(role: Role) -> &'static str {
    role.as_str()
}

/// `mm:ss`, or `h:mm:ss` past an hour.
pub fn clock(ms: u64) -> String {
    let s = ms / 1000;
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    } else {
        format!("{:02}:{:02}", s / 60, s % 60)
    }
}

pub fn round2(value: f64) -> f64 {
    if value.is_finite() { (value * 100.0).round() / 100.0 } else { value }
}
