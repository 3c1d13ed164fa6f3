//! Rendering view models with minijinja: the built-in templates and labels (embedded, so the
//! binary works from any folder), overrides given by the caller, and errors that name the
//! template, the line and the expression at fault.

use std::collections::BTreeMap;

use minijinja::{Environment, UndefinedBehavior, Value, context};

use crate::coach::CoachingSheet;
use crate::error::ReportError;
use crate::summary::Summary;

/// The templates and label files qadesk ships, by the name a templates folder uses for them.
const BUILTIN: &[(&str, &str)] = &[
    ("coach.html", include_str!("../../../templates/coach.html")),
    ("coach.md", include_str!("../../../templates/coach.md")),
    ("summary.html", include_str!("../../../templates/summary.html")),
    ("summary.md", include_str!("../../../templates/summary.md")),
    ("style.css", include_str!("../../../templates/style.css")),
    ("labels/en.toml", include_str!("../../../templates/labels/en.toml")),
    ("labels/nb.toml", include_str!("../../../templates/labels/nb.toml")),
];

/// The language whose labels every other labels file must match key for key.
const REFERENCE_LANG: &str = "en";

/// Output formats a template exists for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    Markdown,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Html => "html",
            Format::Markdown => "md",
        }
    }
}

/// Template and label sources by name (`coach.html`, `labels/nb.toml`): the built-in ones,
/// with any the caller read from a templates folder on top.
#[derive(Debug, Clone)]
pub struct TemplateSet {
    files: BTreeMap<String, String>,
}

impl Default for TemplateSet {
    fn default() -> Self {
        Self::builtin()
    }
}

impl TemplateSet {
    pub fn builtin() -> Self {
        TemplateSet { files: BUILTIN.iter().map(|(n, t)| (n.to_string(), t.to_string())).collect() }
    }

    /// Replaces or adds a file; `name` is its path inside the templates folder, with `/`.
    pub fn set(&mut self, name: &str, text: String) {
        self.files.insert(name.to_string(), text);
    }

    /// Language codes with a labels file.
    pub fn languages(&self) -> Vec<String> {
        self.files
            .keys()
            .filter_map(|n| n.strip_prefix("labels/")?.strip_suffix(".toml"))
            .map(str::to_string)
            .collect()
    }

    /// The names of the built-in files, for `--templates` help and documentation.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(n, _)| *n).collect()
    }
}

/// A ready environment: templates parsed and labels of one language loaded and checked.
pub struct Renderer {
    env: Environment<'static>,
    labels: Value,
    lang: String,
}

impl Renderer {
    /// Parses every template and the labels for `lang`, reporting the first broken template
    /// or every missing label at once.
    pub fn new(set: &TemplateSet, lang: &str) -> Result<Renderer, ReportError> {
        let mut env = Environment::new();
        // A misspelt variable must fail loudly, not print an empty string on a sheet.
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        // Debug mode keeps the template source on errors, so they can quote the expression.
        env.set_debug(true);
        env.set_keep_trailing_newline(true);
        env.set_trim_blocks(true);
        env.set_lstrip_blocks(true);
        for (name, text) in &set.files {
            if name.starts_with("labels/") {
                continue;
            }
            env.add_template_owned(name.clone(), text.clone()).map_err(template_error)?;
        }
        let labels = labels(set, lang)?;
        Ok(Renderer { env, labels: Value::from_serialize(&labels), lang: lang.to_string() })
    }

    /// The coaching sheet in `format`.
    pub fn coach(&self, sheet: &CoachingSheet, format: Format) -> Result<String, ReportError> {
        self.render(&format!("coach.{}", format.extension()), context! { sheet => sheet })
    }

    /// The QA summary in `format`.
    pub fn summary(&self, summary: &Summary, format: Format) -> Result<String, ReportError> {
        self.render(&format!("summary.{}", format.extension()), context! { summary => summary })
    }

    fn render(&self, name: &str, data: Value) -> Result<String, ReportError> {
        let template = self
            .env
            .get_template(name)
            .map_err(|_| ReportError::MissingTemplate(name.to_string()))?;
        let ctx = context! { t => self.labels.clone(), lang => self.lang.clone(), ..data };
        template.render(ctx).map_err(template_error)
    }
}

/// The labels of `lang`, checked against the reference language: every key it has, the
/// other must have too, so a template never meets a missing label halfway through a batch.
fn labels(set: &TemplateSet, lang: &str) -> Result<toml::Table, ReportError> {
    let file = format!("labels/{lang}.toml");
    let Some(text) = set.files.get(&file) else {
        return Err(ReportError::UnknownLanguage {
            lang: lang.to_string(),
            available: set.languages().join(", "),
        });
    };
    let parse = |name: &str, text: &str| {
        text.parse::<toml::Table>()
            .map_err(|e| ReportError::Labels { file: name.to_string(), message: e.to_string() })
    };
    let table = parse(&file, text)?;
    let reference_file = format!("labels/{REFERENCE_LANG}.toml");
    if lang != REFERENCE_LANG
        && let Some(reference) = set.files.get(&reference_file)
    {
        let reference = parse(&reference_file, reference)?;
        let mut missing = Vec::new();
        missing_keys(&reference, &table, "", &mut missing);
        if !missing.is_empty() {
            return Err(ReportError::Labels {
                file,
                message: format!(
                    "missing {} that {reference_file} has: {}",
                    if missing.len() == 1 { "a label" } else { "labels" },
                    missing.join(", ")
                ),
            });
        }
    }
    Ok(table)
}

fn missing_keys(reference: &toml::Table, table: &toml::Table, prefix: &str, out: &mut Vec<String>) {
    for (key, value) in reference {
        let path = format!("{prefix}{key}");
        match (value, table.get(key)) {
            (_, None) => out.push(path),
            (toml::Value::Table(inner), Some(toml::Value::Table(other))) => {
                missing_keys(inner, other, &format!("{path}."), out);
            }
            _ => {}
        }
    }
}

/// A minijinja error as "template `coach.html`, line 12: undefined value `sheet.emplyee`".
fn template_error(error: minijinja::Error) -> ReportError {
    let expression = error.range().and_then(|range| {
        let source = error.template_source()?;
        // minijinja points at the failing step (`.emplyee`); widen it to the whole path
        // (`sheet.emplyee.name`) so the message names the variable as written.
        let start = source[..range.start]
            .rfind(|c: char| !(c.is_alphanumeric() || matches!(c, '_' | '.')))
            .map_or(0, |i| i + 1);
        source.get(start..range.end)
    });
    let expression = expression.map(str::trim).filter(|e| !e.is_empty());
    let mut message = error.kind().to_string();
    if let Some(detail) = error.detail() {
        message.push_str(&format!(" ({detail})"));
    }
    if let Some(expression) = expression {
        message.push_str(&format!(" in `{expression}`"));
    }
    ReportError::Template {
        template: error.name().unwrap_or("?").to_string(),
        line: error.line(),
        message,
    }
}
