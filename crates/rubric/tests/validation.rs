//! Every rubric under tests/data/invalid is rejected with all of its problems, each located;
//! the snapshot is the exact list a user sees.

use std::fs;
use std::path::Path;

fn problems(path: &Path) -> String {
    let source = fs::read_to_string(path).expect("test data is readable");
    match qadesk_rubric::parse(&source) {
        Ok(rubric) => {
            panic!("{} should be invalid but compiled as `{}`", path.display(), rubric.id)
        }
        Err(error) => error.problems().iter().map(|p| format!("{p}\n")).collect(),
    }
}

#[test]
fn invalid_rubrics_report_every_problem_with_line_and_column() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/invalid");
    let mut files: Vec<_> =
        fs::read_dir(&dir).expect("data dir").map(|e| e.expect("entry").path()).collect();
    files.sort();
    assert!(files.len() >= 6, "expected the invalid rubric samples in {}", dir.display());
    for file in files {
        let name = file.file_stem().expect("file name").to_string_lossy().into_owned();
        insta::assert_snapshot!(format!("invalid-{name}"), problems(&file));
    }
}

#[test]
fn shipped_rubrics_are_valid() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../rubrics");
    let mut count = 0;
    for entry in fs::read_dir(&dir).expect("rubrics dir") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let source = fs::read_to_string(&path).expect("readable");
            if let Err(error) = qadesk_rubric::parse(&source) {
                panic!("{}: {:?}", path.display(), error.problems());
            }
            count += 1;
        }
    }
    assert!(count >= 2, "expected the shipped rubrics in {}", dir.display());
}
