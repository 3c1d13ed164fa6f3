//! The rubric crate's errors: every problem of a rubric file, each with its line and column.

use std::fmt;

/// One thing wrong with a rubric, located in its source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    pub message: String,
}

impl Problem {
    /// Locates `message` at byte `offset` of `source`.
    pub fn at(source: &str, offset: usize, message: impl Into<String>) -> Problem {
        let offset = offset.min(source.len());
        let before = source.get(..offset).unwrap_or(source);
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        Problem { line, column, message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    /// The rubric cannot be used; the problems are in source order.
    #[error("{} problem(s) in rubric", .0.len())]
    Invalid(Vec<Problem>),
}

impl RubricError {
    pub fn problems(&self) -> &[Problem] {
        match self {
            RubricError::Invalid(problems) => problems,
        }
    }
}
