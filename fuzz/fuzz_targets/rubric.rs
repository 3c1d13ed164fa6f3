//! Fuzz target: the rubric and checklist parser never panics, and a rubric that parses scores
//! sample calls and answers into well-formed scorecards (`qadesk_rubric::fuzzing::rubric`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(broken) = qadesk_rubric::fuzzing::rubric(text) {
        panic!("{broken}");
    }
});
