//! Semantic validation and compilation of a loaded rubric: ids, weights, references, bands,
//! language coverage, regexes; every problem is reported, none stops the others.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::ops::Range;

use qadesk_domain::Role;
use regex::{Regex, RegexBuilder};

use crate::error::Problem;
use crate::language;
use crate::load::LoadedRubric;
use crate::matcher::{PackBuilder, SetId};
use crate::model::{
    Band, Check, Criterion, PhraseMode, Question, ResponseCheck, Rubric, Scope, Section,
};
use crate::schema::{
    Aggregate, CheckConfig, PhraseLists, RoleName, Scale, ScoreUnit, SpeakerFilter, Thresholds,
};

/// Validates and compiles; `source` is only used to locate problems.
pub fn compile(source: &str, loaded: &LoadedRubric) -> Result<Rubric, Vec<Problem>> {
    let mut c = Compiler {
        source,
        problems: Vec::new(),
        sets: Vec::new(),
        lexicon: HashMap::new(),
        questions: Vec::new(),
    };
    let header = &loaded.header.config;
    let head = &loaded.header;

    if !is_identifier(&header.id) {
        c.problem(
            head.span_of("id"),
            format!("`id` {:?} must be lowercase letters, digits and dashes", header.id),
        );
    }
    if header.title.trim().is_empty() {
        c.problem(head.span_of("title"), "`title` is empty");
    }
    if header.version == 0 {
        c.problem(head.span_of("version"), "`version` must be 1 or more");
    }
    let languages = &header.languages;
    if languages.is_empty() {
        c.problem(
            head.span_of("languages"),
            "`languages` is empty: list the language codes the phrases cover",
        );
    }
    let mut seen_languages = HashSet::new();
    for lang in languages {
        if !is_language_code(lang) {
            c.problem(
                head.span_of("languages"),
                format!("{lang:?} is not a language code such as \"en\" or \"nb\""),
            );
        }
        if !seen_languages.insert(lang) {
            c.problem(head.span_of("languages"), format!("language {lang:?} is listed twice"));
        }
    }

    let bands = c.bands(loaded);
    for (name, lists) in &header.lexicon {
        let span = head.span_of("lexicon");
        c.check_coverage(span, &format!("lexicon `{name}`"), lists, languages);
        let set = c.new_set(lists.clone());
        c.lexicon.insert(name.clone(), set);
    }
    let speaker_map = header
        .speaker_map
        .iter()
        .map(|(label, role)| {
            let role = match role {
                RoleName::Agent => Role::Agent,
                RoleName::Customer => Role::Customer,
                RoleName::Unknown => Role::Unknown,
            };
            (label.clone(), role)
        })
        .collect();

    let (questions, question_problems) =
        crate::checklist::compile_questions(&loaded.questions, languages);
    for (span, message) in question_problems {
        c.problem(span, message);
    }
    c.questions = questions;

    // Criterion ids first, so `after`/`before` may point forwards.
    let mut criterion_index: HashMap<&str, usize> = HashMap::new();
    let mut section_ids = HashSet::new();
    for section in &loaded.sections {
        let s = &section.section;
        if !is_identifier(&s.config.id) {
            c.problem(
                s.span_of("id"),
                format!(
                    "section id {:?} must be lowercase letters, digits and dashes",
                    s.config.id
                ),
            );
        }
        if !section_ids.insert(s.config.id.as_str()) {
            c.problem(s.span_of("id"), format!("section id `{}` is used twice", s.config.id));
        }
        if !(s.config.weight.is_finite() && s.config.weight > 0.0) {
            c.problem(
                s.span_of("weight"),
                format!("section `{}`: `weight` must be a number above 0", s.config.id),
            );
        }
        for criterion in &section.criteria {
            let id = criterion.config.id.as_str();
            if !is_identifier(id) {
                c.problem(
                    criterion.span_of("id"),
                    format!("criterion id {id:?} must be lowercase letters, digits and dashes"),
                );
            }
            if criterion_index.insert(id, criterion_index.len()).is_some() {
                c.problem(criterion.span_of("id"), format!("criterion id `{id}` is used twice"));
            }
        }
    }

    let mut sections = Vec::new();
    let mut criteria = Vec::new();
    let mut dependencies: Vec<Vec<usize>> = Vec::new();
    for section in &loaded.sections {
        let mut members = Vec::new();
        for loaded_criterion in &section.criteria {
            let config = &loaded_criterion.config;
            let span = loaded_criterion.span_of("check");
            if !(config.weight.is_finite() && config.weight > 0.0) {
                c.problem(
                    loaded_criterion.span_of("weight"),
                    format!("criterion `{}`: `weight` must be a number above 0", config.id),
                );
            }
            if config.title.trim().is_empty() {
                c.problem(
                    loaded_criterion.span_of("title"),
                    format!("criterion `{}`: `title` is empty", config.id),
                );
            }
            if config.coaching.trim().is_empty() {
                c.problem(
                    loaded_criterion.span_of("coaching"),
                    format!(
                        "criterion `{}`: `coaching` is empty: say what good looks like",
                        config.id
                    ),
                );
            }
            for (lang, line) in &config.example {
                if !languages.contains(lang) {
                    c.problem(
                        loaded_criterion.span_of("example"),
                        format!(
                            "criterion `{}`: `example.{lang}` is for a language `languages` does \
                             not list",
                            config.id
                        ),
                    );
                } else if line.trim().is_empty() {
                    c.problem(
                        loaded_criterion.span_of("example"),
                        format!("criterion `{}`: `example.{lang}` is empty", config.id),
                    );
                }
            }
            let mut refs = Vec::new();
            let context = CheckContext {
                criterion: &config.id,
                span: span.clone(),
                languages,
                criteria: &criterion_index,
            };
            let check = c.check(&config.check, &context, &mut refs);
            if refs.contains(&criteria.len()) {
                c.problem(
                    span,
                    format!("criterion `{}` refers to itself in `after`/`before`", config.id),
                );
            }
            members.push(criteria.len());
            dependencies.push(refs);
            criteria.push(Criterion {
                id: config.id.clone(),
                title: config.title.clone(),
                description: config.description.clone(),
                coaching: config.coaching.clone(),
                examples: config.example.clone(),
                weight: config.weight,
                scale: config.scale,
                critical: config.critical,
                section: sections.len(),
                check,
            });
        }
        let aggregate = section.section.config.aggregate;
        if aggregate == Aggregate::Average
            && let Some(other) =
                members.iter().map(|&i| &criteria[i]).find(|cr| cr.scale != Scale::FivePoint)
        {
            c.problem(
                section.section.span_of("aggregate"),
                format!(
                    "section `{}`: `aggregate = \"average\"` averages five-point values, and \
                     criterion `{}` is not `scale = \"five-point\"`",
                    section.section.config.id, other.id
                ),
            );
        }
        sections.push(Section {
            id: section.section.config.id.clone(),
            title: section.section.config.title.clone(),
            weight: section.section.config.weight,
            aggregate,
            criteria: members,
        });
    }

    let evaluation_order = match evaluation_order(&dependencies) {
        Ok(order) => order,
        Err(cycle) => {
            let names: Vec<&str> = cycle.iter().map(|&i| criteria[i].id.as_str()).collect();
            c.problem(
                head.span.start..head.span.start,
                format!("`after`/`before` references form a cycle: {}", names.join(" → ")),
            );
            Vec::new()
        }
    };

    let mut packs = BTreeMap::new();
    let mut question_starters = BTreeMap::new();
    for lang in languages {
        let mut builder = PackBuilder::default();
        for (set, lists) in c.sets.iter().enumerate() {
            if let Some(phrases) = lists.get(lang) {
                builder.add(set as SetId, phrases);
            }
        }
        match builder.build(lang) {
            Ok(pack) => {
                let normalise = |phrases: &[&str]| -> Vec<String> {
                    phrases
                        .iter()
                        .map(|p| {
                            let mut words = Vec::new();
                            pack.normalizer.words(p, &mut words);
                            format!(" {} ", words.join(" "))
                        })
                        .collect()
                };
                question_starters.insert(
                    lang.clone(),
                    (
                        normalise(language::open_question_starters(lang)),
                        normalise(language::closed_question_starters(lang)),
                    ),
                );
                packs.insert(lang.clone(), pack);
            }
            Err(message) => {
                c.problem(head.span.start..head.span.start, format!("language `{lang}`: {message}"))
            }
        }
    }

    if !c.problems.is_empty() {
        let mut problems = c.problems;
        problems.sort_by_key(|p| (p.line, p.column));
        problems.dedup();
        return Err(problems);
    }
    let needs_metrics = criteria.iter().any(|cr| uses_metrics(&cr.check));
    Ok(Rubric {
        id: header.id.clone(),
        title: header.title.clone(),
        version: header.version,
        description: header.description.clone(),
        languages: languages.clone(),
        score_unit: header.score,
        critical_scope: header.critical_fails,
        speaker_map,
        bands,
        sections,
        criteria,
        questions: c.questions,
        evaluation_order,
        packs,
        question_starters,
        needs_metrics,
    })
}

struct Compiler<'a> {
    source: &'a str,
    problems: Vec<Problem>,
    /// Every phrase set, by [`SetId`], as per-language lists.
    sets: Vec<PhraseLists>,
    lexicon: HashMap<String, SetId>,
    /// The checklist questions, compiled before the criteria that score them.
    questions: Vec<Question>,
}

struct CheckContext<'a> {
    criterion: &'a str,
    span: Range<usize>,
    languages: &'a [String],
    criteria: &'a HashMap<&'a str, usize>,
}

impl CheckContext<'_> {
    fn label(&self, kind: &str) -> String {
        format!("criterion `{}`: `{kind}` check", self.criterion)
    }
}

impl Compiler<'_> {
    fn problem(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(Problem::at(self.source, span.start, message));
    }

    fn new_set(&mut self, lists: PhraseLists) -> SetId {
        self.sets.push(lists);
        (self.sets.len() - 1) as SetId
    }

    fn bands(&mut self, loaded: &LoadedRubric) -> Vec<Band> {
        let header = &loaded.header.config;
        let span = loaded.header.span_of("bands");
        let mut previous: Option<f64> = None;
        let mut bands = Vec::new();
        for band in &header.bands {
            if band.label.trim().is_empty() {
                self.problem(span.clone(), "a band has an empty `label`");
            }
            if !band.min.is_finite() {
                self.problem(
                    span.clone(),
                    format!("band `{}`: `min` must be a number", band.label),
                );
            }
            if header.score == ScoreUnit::Percent && !(0.0..=100.0).contains(&band.min) {
                self.problem(
                    span.clone(),
                    format!(
                        "band `{}`: `min` {} is not a percent between 0 and 100",
                        band.label, band.min
                    ),
                );
            }
            if let Some(prev) = previous
                && band.min >= prev
            {
                self.problem(span.clone(), format!("bands must go from the highest `min` to the lowest: `{}` (min {}) comes after a band with min {prev}", band.label, band.min));
            }
            previous = Some(band.min);
            bands.push(Band { min: band.min, label: band.label.clone() });
        }
        bands
    }

    /// Reports languages missing from, or not declared for, a phrase list.
    fn check_coverage(
        &mut self,
        span: Range<usize>,
        what: &str,
        lists: &PhraseLists,
        languages: &[String],
    ) {
        for lang in languages {
            match lists.get(lang) {
                None => self.problem(
                    span.clone(),
                    format!("{what} has no phrases for `{lang}`, which `languages` lists"),
                ),
                Some(list) if list.is_empty() => {
                    self.problem(span.clone(), format!("{what}: the `{lang}` list is empty"))
                }
                Some(list) => {
                    for phrase in list {
                        if !phrase.chars().any(char::is_alphanumeric) {
                            self.problem(
                                span.clone(),
                                format!("{what}: phrase {phrase:?} has no words to match"),
                            );
                        }
                    }
                }
            }
        }
        for lang in lists.keys() {
            if !languages.contains(lang) {
                self.problem(
                    span.clone(),
                    format!("{what} has phrases for `{lang}`, which is not in `languages`"),
                );
            }
        }
    }

    fn lexicon_sets(&mut self, names: &[String], ctx: &CheckContext<'_>, kind: &str) -> Vec<SetId> {
        let mut sets = Vec::new();
        for name in names {
            match self.lexicon.get(name) {
                Some(&set) => sets.push(set),
                None => {
                    let known: Vec<&str> = self.lexicon.keys().map(String::as_str).collect();
                    self.problem(
                        ctx.span.clone(),
                        format!(
                            "{}: no lexicon entry `{name}` (known: {})",
                            ctx.label(kind),
                            if known.is_empty() { "none".to_string() } else { sorted(known) }
                        ),
                    );
                }
            }
        }
        sets
    }

    fn inline_set(&mut self, lists: &PhraseLists, ctx: &CheckContext<'_>, kind: &str) -> SetId {
        self.check_coverage(ctx.span.clone(), &ctx.label(kind), lists, ctx.languages);
        self.new_set(lists.clone())
    }

    #[allow(clippy::too_many_arguments)]
    fn scope(
        &mut self,
        ctx: &CheckContext<'_>,
        kind: &str,
        speaker: Option<SpeakerFilter>,
        default_speaker: Option<Role>,
        first_s: Option<f64>,
        last_s: Option<f64>,
        after: &Option<String>,
        before: &Option<String>,
        refs: &mut Vec<usize>,
    ) -> Scope {
        let mut reference = |c: &mut Self, key: &str, target: &Option<String>| -> Option<usize> {
            let target = target.as_ref()?;
            match ctx.criteria.get(target.as_str()) {
                Some(&i) => {
                    refs.push(i);
                    Some(i)
                }
                None => {
                    c.problem(
                        ctx.span.clone(),
                        format!(
                            "{}: `{key}` names criterion `{target}`, which does not exist",
                            ctx.label(kind)
                        ),
                    );
                    None
                }
            }
        };
        let after = reference(self, "after", after);
        let before = reference(self, "before", before);
        let seconds = |c: &mut Self, key: &str, value: Option<f64>| -> Option<u64> {
            let value = value?;
            if !(value.is_finite() && value > 0.0) {
                c.problem(
                    ctx.span.clone(),
                    format!("{}: `{key}` must be a number of seconds above 0", ctx.label(kind)),
                );
                return None;
            }
            Some((value * 1000.0).round() as u64)
        };
        Scope {
            speaker: match speaker {
                None => default_speaker,
                Some(SpeakerFilter::Agent) => Some(Role::Agent),
                Some(SpeakerFilter::Customer) => Some(Role::Customer),
                Some(SpeakerFilter::Any) => None,
            },
            first_ms: seconds(self, "within-first-s", first_s),
            last_ms: seconds(self, "within-last-s", last_s),
            after,
            before,
        }
    }

    fn regex(&mut self, pattern: &str, ctx: &CheckContext<'_>, kind: &str) -> Option<Regex> {
        match RegexBuilder::new(pattern).case_insensitive(true).size_limit(1 << 20).build() {
            Ok(regex) => Some(regex),
            Err(e) => {
                let detail = e.to_string().lines().last().unwrap_or_default().trim().to_string();
                self.problem(
                    ctx.span.clone(),
                    format!("{}: pattern {pattern:?} does not compile: {detail}", ctx.label(kind)),
                );
                None
            }
        }
    }

    fn thresholds(&mut self, t: Thresholds, ctx: &CheckContext<'_>, kind: &str) -> Thresholds {
        if t.min.is_none() && t.max.is_none() {
            self.problem(
                ctx.span.clone(),
                format!("{}: give `min`, `max` or both", ctx.label(kind)),
            );
        }
        for (lo, hi, names) in [
            (t.min, t.max, "`min` is above `max`"),
            (t.partial_min, t.partial_max, "`partial-min` is above `partial-max`"),
        ] {
            if let (Some(lo), Some(hi)) = (lo, hi)
                && lo > hi
            {
                self.problem(ctx.span.clone(), format!("{}: {names}", ctx.label(kind)));
            }
        }
        t
    }

    fn check(
        &mut self,
        config: &CheckConfig,
        ctx: &CheckContext<'_>,
        refs: &mut Vec<usize>,
    ) -> Check {
        match config {
            CheckConfig::All(parts) | CheckConfig::Any(parts) => {
                let kind = if matches!(config, CheckConfig::All(_)) { "all" } else { "any" };
                if parts.is_empty() {
                    self.problem(
                        ctx.span.clone(),
                        format!("{}: the list is empty", ctx.label(kind)),
                    );
                }
                let parts = parts.iter().map(|p| self.check(p, ctx, refs)).collect();
                if kind == "all" { Check::All(parts) } else { Check::Any(parts) }
            }
            CheckConfig::Not(inner) => Check::Not(Box::new(self.check(inner, ctx, refs))),
            CheckConfig::Phrase(p) => {
                let kind = "phrase";
                let scope = self.scope(
                    ctx,
                    kind,
                    p.speaker,
                    Some(Role::Agent),
                    p.within_first_s,
                    p.within_last_s,
                    &p.after,
                    &p.before,
                    refs,
                );
                let min_count = p.min_count.unwrap_or(1);
                if min_count == 0 {
                    self.problem(
                        ctx.span.clone(),
                        format!("{}: `min-count` must be 1 or more", ctx.label(kind)),
                    );
                }
                let mut sets = self.lexicon_sets(&p.lexicon, ctx, kind);
                let mut what = describe_lexicon(&p.lexicon);
                let mode = match (&p.any, &p.all) {
                    (Some(_), Some(_)) => {
                        self.problem(
                            ctx.span.clone(),
                            format!("{}: use either `any` or `all`, not both", ctx.label(kind)),
                        );
                        PhraseMode::Any { min_count }
                    }
                    (None, Some(all)) => {
                        if !p.lexicon.is_empty() || p.min_count.is_some() {
                            self.problem(
                                ctx.span.clone(),
                                format!(
                                    "{}: `all` cannot be combined with `lexicon` or `min-count`",
                                    ctx.label(kind)
                                ),
                            );
                        }
                        sets.push(self.inline_set(all, ctx, kind));
                        what = "all of the listed phrases".to_string();
                        PhraseMode::All
                    }
                    (any, None) => {
                        if let Some(any) = any {
                            sets.push(self.inline_set(any, ctx, kind));
                            what = if p.lexicon.is_empty() {
                                "listed phrase".to_string()
                            } else {
                                format!("{what} or listed phrase")
                            };
                        } else if p.lexicon.is_empty() {
                            self.problem(
                                ctx.span.clone(),
                                format!(
                                    "{}: give the phrases with `any`, `all` or `lexicon`",
                                    ctx.label(kind)
                                ),
                            );
                        }
                        PhraseMode::Any { min_count }
                    }
                };
                Check::Phrase { sets, mode, scope, what }
            }
            CheckConfig::Regex(r) => {
                let kind = "regex";
                let scope = self.scope(
                    ctx,
                    kind,
                    r.speaker,
                    Some(Role::Agent),
                    r.within_first_s,
                    r.within_last_s,
                    &r.after,
                    &r.before,
                    refs,
                );
                let regex = self.regex(&r.pattern, ctx, kind).unwrap_or_else(never_matches);
                Check::Regex {
                    regex,
                    min_count: r.min_count.unwrap_or(1).max(1),
                    scope,
                    what: format!("match of /{}/", r.pattern),
                }
            }
            CheckConfig::Absent(a) => {
                let kind = "absent";
                let scope = self.scope(
                    ctx,
                    kind,
                    a.speaker,
                    Some(Role::Agent),
                    a.within_first_s,
                    a.within_last_s,
                    &a.after,
                    &a.before,
                    refs,
                );
                let mut sets = self.lexicon_sets(&a.lexicon, ctx, kind);
                let mut what = describe_lexicon(&a.lexicon);
                if let Some(any) = &a.any {
                    sets.push(self.inline_set(any, ctx, kind));
                    what = if a.lexicon.is_empty() {
                        "listed phrase".to_string()
                    } else {
                        format!("{what} or listed phrase")
                    };
                }
                let regex = a
                    .pattern
                    .as_ref()
                    .map(|p| self.regex(p, ctx, kind).unwrap_or_else(never_matches));
                if sets.is_empty() && regex.is_none() && a.lexicon.is_empty() {
                    self.problem(
                        ctx.span.clone(),
                        format!(
                            "{}: give what must not be said with `any`, `lexicon` or `pattern`",
                            ctx.label(kind)
                        ),
                    );
                }
                if let Some(p) = &a.pattern {
                    what = if sets.is_empty() {
                        format!("match of /{p}/")
                    } else {
                        format!("{what} or match of /{p}/")
                    };
                }
                Check::Absent { sets, regex, scope, what }
            }
            CheckConfig::Question(q) => {
                let kind = "question";
                let scope = self.scope(
                    ctx,
                    kind,
                    q.speaker,
                    Some(Role::Agent),
                    q.within_first_s,
                    q.within_last_s,
                    &q.after,
                    &q.before,
                    refs,
                );
                let min = q.min.unwrap_or(1);
                if min == 0 {
                    self.problem(
                        ctx.span.clone(),
                        format!("{}: `min` must be 1 or more", ctx.label(kind)),
                    );
                }
                Check::Question { min: min.max(1), open: q.open, scope }
            }
            CheckConfig::Response(r) => {
                let kind = "response";
                let mut triggers = self.lexicon_sets(&r.trigger_lexicon, ctx, kind);
                if let Some(trigger) = &r.trigger {
                    triggers.push(self.inline_set(trigger, ctx, kind));
                }
                if r.trigger.is_none() && r.trigger_lexicon.is_empty() {
                    self.problem(
                        ctx.span.clone(),
                        format!(
                            "{}: give the trigger with `trigger` or `trigger-lexicon`",
                            ctx.label(kind)
                        ),
                    );
                }
                if r.moves.is_empty() {
                    self.problem(ctx.span.clone(), format!("{}: `moves` is empty: name the lexicon entries that answer the trigger", ctx.label(kind)));
                }
                let move_sets = self.lexicon_sets(&r.moves, ctx, kind);
                let moves = r.moves.iter().cloned().zip(move_sets).collect();
                let within_turns = r.within_turns.unwrap_or(2);
                if within_turns == 0 {
                    self.problem(
                        ctx.span.clone(),
                        format!("{}: `within-turns` must be 1 or more", ctx.label(kind)),
                    );
                }
                let within_ms = match r.within_s {
                    Some(s) if !(s.is_finite() && s > 0.0) => {
                        self.problem(
                            ctx.span.clone(),
                            format!(
                                "{}: `within-s` must be a number of seconds above 0",
                                ctx.label(kind)
                            ),
                        );
                        None
                    }
                    other => other.map(|s| (s * 1000.0).round() as u64),
                };
                let role = |filter: Option<SpeakerFilter>, default: Role| match filter {
                    None => Some(default),
                    Some(SpeakerFilter::Agent) => Some(Role::Agent),
                    Some(SpeakerFilter::Customer) => Some(Role::Customer),
                    Some(SpeakerFilter::Any) => None,
                };
                Check::Response(Box::new(ResponseCheck {
                    triggers,
                    trigger_speaker: role(r.trigger_speaker, Role::Customer),
                    moves,
                    speaker: role(r.speaker, Role::Agent),
                    within_turns: within_turns.max(1),
                    within_ms,
                }))
            }
            CheckConfig::Metric(m) => {
                let thresholds = Thresholds {
                    min: m.min,
                    max: m.max,
                    partial_min: m.partial_min,
                    partial_max: m.partial_max,
                };
                Check::Metric {
                    name: m.name,
                    thresholds: self.thresholds(thresholds, ctx, "metric"),
                }
            }
            CheckConfig::Answer(a) => {
                if a.question.trim().is_empty() {
                    self.problem(
                        ctx.span.clone(),
                        format!("{}: `question` is empty", ctx.label("answer")),
                    );
                }
                let thresholds = Thresholds {
                    min: a.min,
                    max: a.max,
                    partial_min: a.partial_min,
                    partial_max: a.partial_max,
                };
                let has_any =
                    [a.min, a.max, a.partial_min, a.partial_max].iter().any(Option::is_some);
                let thresholds =
                    if has_any { self.thresholds(thresholds, ctx, "answer") } else { thresholds };
                let declared = self.questions.iter().find(|q| q.id == a.question).cloned();
                if declared.is_none() && !self.questions.is_empty() {
                    self.problem(
                        ctx.span.clone(),
                        format!(
                            "{}: no `[[question]]` has the id `{}`",
                            ctx.label("answer"),
                            a.question
                        ),
                    );
                }
                Check::Answer {
                    question: a.question.clone(),
                    thresholds,
                    kind: declared.as_ref().map(|q| q.kind),
                    options: declared
                        .map(|q| q.options.iter().map(|o| (o.id.clone(), o.points)).collect())
                        .unwrap_or_default(),
                }
            }
        }
    }
}

fn describe_lexicon(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("`{one}` phrase"),
        many => format!(
            "{} phrase",
            many.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join("/")
        ),
    }
}

fn sorted(mut names: Vec<&str>) -> String {
    names.sort_unstable();
    names.join(", ")
}

/// Stands in for a pattern that failed to compile; the rubric is rejected anyway.
fn never_matches() -> Regex {
    Regex::new(r"[^\s\S]").unwrap_or_else(|_| unreachable!("a constant pattern compiles"))
}

fn uses_metrics(check: &Check) -> bool {
    match check {
        Check::All(parts) | Check::Any(parts) => parts.iter().any(uses_metrics),
        Check::Not(inner) => uses_metrics(inner),
        Check::Metric { .. } => true,
        _ => false,
    }
}

pub(crate) fn is_identifier(id: &str) -> bool {
    !id.is_empty()
        && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
}

fn is_language_code(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.chars().all(|c| c.is_ascii_lowercase())
}

/// Topological order of criteria by their `after`/`before` references, or a cycle.
fn evaluation_order(dependencies: &[Vec<usize>]) -> Result<Vec<usize>, Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    fn visit(
        i: usize,
        deps: &[Vec<usize>],
        marks: &mut [Mark],
        order: &mut Vec<usize>,
        path: &mut Vec<usize>,
    ) -> Result<(), Vec<usize>> {
        match marks[i] {
            Mark::Done => return Ok(()),
            Mark::Active => {
                let from = path.iter().position(|&p| p == i).unwrap_or(0);
                let mut cycle = path[from..].to_vec();
                cycle.push(i);
                return Err(cycle);
            }
            Mark::New => {}
        }
        marks[i] = Mark::Active;
        path.push(i);
        for &d in &deps[i] {
            if d < deps.len() {
                visit(d, deps, marks, order, path)?;
            }
        }
        path.pop();
        marks[i] = Mark::Done;
        order.push(i);
        Ok(())
    }
    let mut marks = vec![Mark::New; dependencies.len()];
    let mut order = Vec::with_capacity(dependencies.len());
    for i in 0..dependencies.len() {
        visit(i, dependencies, &mut marks, &mut order, &mut Vec::new())?;
    }
    Ok(order)
}
