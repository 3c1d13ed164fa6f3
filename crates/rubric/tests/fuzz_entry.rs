//! The entry points of the `rubric` and `answers` fuzz targets (`qadesk_rubric::fuzzing`) hold
//! on the inputs their corpora are seeded with: the shipped rubrics and checklists, the invalid
//! rubrics, and the sample answer files in both readers. The targets have found no crash so far
//! (`fuzz/README.md`); one they find is kept in `tests/data/fuzz/` and fed to the same entry
//! point by a test here, as `crates/transcript/tests/fuzz_regressions.rs` does.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == extension));
    found.sort();
    found
}

fn checklists() -> Vec<qadesk_rubric::Rubric> {
    ["store-visit.toml", "mystery-call.toml"]
        .iter()
        .map(|name| {
            let text = std::fs::read_to_string(root().join("samples/checklists").join(name))
                .expect("sample checklist");
            qadesk_rubric::parse(&text).unwrap_or_else(|e| panic!("{name}: {:?}", e.problems()))
        })
        .collect()
}

#[test]
fn the_rubric_entry_point_holds_on_every_shipped_and_invalid_rubric() {
    let mut paths = files(&root().join("rubrics"), "toml");
    paths.extend(files(&root().join("samples/checklists"), "toml"));
    let valid = paths.len();
    paths.extend(files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/invalid"), "toml"));
    assert!(valid >= 5 && paths.len() > valid, "{paths:?}");
    for path in paths {
        let text = std::fs::read_to_string(&path).expect("rubric");
        qadesk_rubric::fuzzing::rubric(&text)
            .unwrap_or_else(|broken| panic!("{}: {broken}", path.display()));
    }
}

#[test]
fn the_answer_file_entry_point_holds_on_the_sample_answers_in_both_readers() {
    let checklists = checklists();
    let answers = root().join("samples/answers");
    let mut checked = 0;
    for (name, selector) in [
        ("visit-2026-03-12-oslo.toml", 0u8),
        ("mystery-call-2026-03-01.toml", 2),
        ("visits-march.csv", 1),
    ] {
        let mut data = vec![selector];
        data.extend(std::fs::read(answers.join(name)).expect("sample answers"));
        qadesk_rubric::fuzzing::answer_file(&data, &checklists)
            .unwrap_or_else(|broken| panic!("{name}: {broken}"));
        checked += 1;
    }
    assert_eq!(checked, 3);
}
