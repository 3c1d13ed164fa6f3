//! Fuzz target: the answer-file reader (TOML and CSV) never panics, and the answers it reads
//! are checked and scored against the sample checklists (`qadesk_rubric::fuzzing::answer_file`).
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::fuzz_target;
use qadesk_rubric::Rubric;

static CHECKLISTS: LazyLock<Vec<Rubric>> = LazyLock::new(|| {
    [
        include_str!("../../samples/checklists/store-visit.toml"),
        include_str!("../../samples/checklists/mystery-call.toml"),
    ]
    .into_iter()
    .map(|text| qadesk_rubric::parse(text).expect("the sample checklists are valid"))
    .collect()
});

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = qadesk_rubric::fuzzing::answer_file(data, &CHECKLISTS) {
        panic!("{broken}");
    }
});
