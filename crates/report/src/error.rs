//! The report crate's one error type: template and label problems, named by file, line and
//! expression so someone editing a copied template can find the mistake.

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A template failed to parse or render.
    #[error("template `{template}`{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default())]
    Template { template: String, line: Option<usize>, message: String },
    /// A labels file is not valid TOML or lacks labels the templates use.
    #[error("labels `{file}`: {message}")]
    Labels { file: String, message: String },
    #[error(
        "no labels for language `{lang}` (available: {available}); add `labels/{lang}.toml` to a \
         templates folder and pass it with --templates"
    )]
    UnknownLanguage { lang: String, available: String },
    #[error("no template `{0}` among the built-in or given templates")]
    MissingTemplate(String),
}
