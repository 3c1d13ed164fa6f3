//! `qadesk rubric check`: validates rubric files and lists every problem.

use std::io::Write;
use std::path::PathBuf;

use crate::exit::{Status, report_input_error};
use crate::inputs;

pub fn check(files: &[PathBuf]) -> anyhow::Result<Status> {
    let mut invalid = 0;
    let mut out = std::io::stdout().lock();
    for path in files {
        match inputs::load_rubric(path) {
            Ok(rubric) => writeln!(
                out,
                "ok: {} ({} v{}, {} section(s), {} criteria, languages {})",
                path.display(),
                rubric.id,
                rubric.version,
                rubric.sections.len(),
                rubric.criteria.len(),
                rubric.languages.join(", ")
            )?,
            Err(error) => {
                report_input_error(&format!("{error:#}"));
                invalid += 1;
            }
        }
    }
    if invalid > 0 {
        anyhow::bail!("{invalid} of {} rubric(s) invalid", files.len());
    }
    Ok(Status::Ok)
}
