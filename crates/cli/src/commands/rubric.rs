//! `qadesk rubric check`: validates rubric files and lists every problem.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use qadesk_rubric::Rubric;
use qadesk_store::{RubricText, Store, StoreError};

use crate::commands::ingest::sha256_hex;
use crate::exit::{Status, report_input_error};
use crate::inputs;

/// A rubric compiled from a file, with the file's exact text, which is stored with the scores
/// so that every score can be reproduced and explained.
pub struct RubricFile {
    pub rubric: Rubric,
    text: String,
}

impl RubricFile {
    pub fn load(path: &Path) -> anyhow::Result<RubricFile> {
        let text = inputs::read_text(path)
            .map_err(anyhow::Error::msg)
            .context("cannot load the rubric")?;
        Ok(RubricFile { rubric: inputs::parse_rubric(path, &text)?, text })
    }

    /// The rubric's row in the database, added the first time this exact text is used.
    pub fn store_in(&self, store: &mut Store) -> Result<i64, StoreError> {
        store.rubric(&RubricText {
            rubric_id: &self.rubric.id,
            version: self.rubric.version,
            title: &self.rubric.title,
            sha256: &sha256_hex(self.text.as_bytes()),
            toml: &self.text,
        })
    }
}

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
