//! Scoring throughput: synthetic five-minute calls (~750 words, ~60 turns) against
//! rubrics/call-quality.toml on one thread, with the rubric compiled once, and for comparison
//! with the rubric parsed again for every transcript. Prints figures; asserts nothing.
#![allow(clippy::print_stdout)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use qadesk_domain::{Interaction, Role, Segment, Transcript};
use qadesk_rubric::ScoreOptions;

const FILLER: &[&str] = &[
    "the",
    "router",
    "light",
    "is",
    "blinking",
    "and",
    "my",
    "connection",
    "keeps",
    "dropping",
    "since",
    "yesterday",
    "evening",
    "I",
    "have",
    "restarted",
    "it",
    "twice",
    "we",
    "can",
    "see",
    "a",
    "fault",
    "on",
    "line",
    "your",
    "account",
    "shows",
    "invoice",
    "for",
    "October",
    "plan",
    "speed",
    "technician",
    "appointment",
    "tomorrow",
    "morning",
    "between",
    "eight",
    "twelve",
    "okay",
    "right",
    "so",
    "that",
    "means",
    "price",
    "month",
    "contract",
    "new",
    "modem",
];

/// Turns that carry the moments a rubric looks for; even turns are the agent's.
const MOMENTS: &[(usize, &str)] = &[
    (0, "Good morning, thank you for calling Nordlys Telecom, my name is Anna."),
    (2, "How can I help you today? What exactly happens when it drops?"),
    (10, "Just to confirm, the internet stops every evening, is that right?"),
    (21, "Honestly that is too expensive for me."),
    (22, "I understand. Another option is the basic plan, or we can lower the speed."),
    (58, "Is there anything else I can help you with? Thank you for calling, have a nice day."),
];

/// A small deterministic generator so every run scores the same calls.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

fn synthetic_call(seed: u64) -> Interaction {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut segments = Vec::with_capacity(60);
    let mut clock = 0u64;
    for turn in 0..60 {
        let speaker = if turn % 2 == 0 { Role::Agent } else { Role::Customer };
        let text = if let Some((_, moment)) = MOMENTS.iter().find(|m| m.0 == turn) {
            moment.to_string()
        } else {
            let words = 8 + rng.below(9);
            let mut text: Vec<&str> = (0..words).map(|_| FILLER[rng.below(FILLER.len())]).collect();
            if rng.below(4) == 0 {
                text.push("?");
            }
            text.join(" ")
        };
        let words = text.split_whitespace().count() as u64;
        let end = clock + words * 400;
        segments.push(Segment::timed(speaker, clock, end, text));
        clock = end + 200 + rng.below(800) as u64;
    }
    Interaction::call(
        format!("synthetic-{seed}"),
        Transcript { language: Some("en".into()), segments },
    )
}

fn measure(
    label: &str,
    calls: &[Interaction],
    budget: Duration,
    mut score_one: impl FnMut(&Interaction),
) -> f64 {
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < budget {
        for call in calls {
            score_one(call);
        }
        done += calls.len();
    }
    let per_second = done as f64 / start.elapsed().as_secs_f64();
    println!(
        "{label:<44} {per_second:>10.0} transcripts/s  ({:.1} µs each, {done} scored)",
        1e6 / per_second
    );
    per_second
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let budget = Duration::from_millis(if quick { 300 } else { 3000 });
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../rubrics/call-quality.toml");
    let source = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let compile_start = Instant::now();
    let rubric =
        qadesk_rubric::parse(&source).unwrap_or_else(|e| panic!("{path}: {:?}", e.problems()));
    let compile_time = compile_start.elapsed();

    let calls: Vec<Interaction> = (0..200).map(synthetic_call).collect();
    let words: usize = calls
        .iter()
        .flat_map(|c| c.transcript.iter().flat_map(|t| &t.segments))
        .map(|s| s.text.split_whitespace().count())
        .sum();
    let options = ScoreOptions::default();
    println!(
        "rubric call-quality: {} criteria, compiled in {:.2} ms",
        rubric.criteria.len(),
        compile_time.as_secs_f64() * 1e3
    );
    println!(
        "synthetic calls: {}, {:.0} words and 60 turns each, one thread",
        calls.len(),
        words as f64 / calls.len() as f64
    );

    let compiled = measure("score, rubric compiled once", &calls, budget, |call| {
        black_box(rubric.score(call, &options));
    });
    let reparsed =
        measure("score, rubric parsed again per transcript", &calls, budget / 3, |call| {
            let fresh =
                qadesk_rubric::parse(&source).unwrap_or_else(|_| unreachable!("parsed above"));
            black_box(fresh.score(call, &options));
        });
    println!("speed-up from compiling once: {:.1}x", compiled / reparsed);
    let sample = rubric.score(&calls[0], &options);
    let verdicts: Vec<String> =
        sample.criteria.iter().map(|c| format!("{}={}", c.id, c.verdict)).collect();
    println!("sanity, first synthetic call: score {:?}; {}", sample.score, verdicts.join(" "));
}
