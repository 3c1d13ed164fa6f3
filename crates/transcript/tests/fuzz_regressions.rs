//! Inputs the `transcript` fuzz target (`fuzz/fuzz_targets/transcript.rs`) once broke, fed to
//! the same entry point, `qadesk_transcript::fuzzing::check`. Each file in `data/fuzz/` (all
//! but its README) must now be read, written and read back without a panic or a difference.

use std::path::Path;

#[test]
fn issue_7_fuzz_crash_inputs_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/fuzz");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/data/fuzz") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md") {
            continue;
        }
        let data = std::fs::read(&path).expect("crash input");
        if let Err(broken) = qadesk_transcript::fuzzing::check(&data) {
            panic!("{}: {broken}", path.display());
        }
        checked += 1;
    }
    assert!(checked > 0, "no crash inputs in {}", dir.display());
}
