//! Fuzz target: the transcript readers, every format, never panic, and what they read can be
//! written and read back (`qadesk_transcript::fuzzing::check`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(broken) = qadesk_transcript::fuzzing::check(data) {
        panic!("{broken}");
    }
});
