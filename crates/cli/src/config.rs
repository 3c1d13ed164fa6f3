//! `qadesk.toml`, the settings file: where it is found (`--config`, `QADESK_CONFIG`, else beside
//! the database), reading it with every problem located at `file:line:col`, and retention
//! periods turned into cut-off dates.

use std::ops::Range;
use std::path::{Path, PathBuf};

use qadesk_rubric::Problem;
use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

/// The file name looked for beside the database.
pub const FILE_NAME: &str = "qadesk.toml";

/// The settings, with the file they came from (`None`: no file, so nothing is set).
#[derive(Debug, Clone, Default)]
pub struct Config {
    pub file: Option<PathBuf>,
    pub retention: Retention,
}

/// How long things are kept; `None` keeps them for ever.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Retention {
    pub interactions: Option<Period>,
    pub transcripts: Option<Period>,
    pub failures: Option<Period>,
}

impl Retention {
    pub fn is_empty(&self) -> bool {
        self.interactions.is_none() && self.transcripts.is_none() && self.failures.is_none()
    }
}

/// A retention period as written (`400d`, `13 months`): a whole number and a calendar unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub amount: u32,
    pub unit: Unit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

impl Period {
    /// The first day still kept on `today`: anything dated before it is past the period.
    /// Months and years are calendar ones (31 March minus one month is 28 or 29 February).
    pub fn cutoff(self, today: jiff::civil::Date) -> Result<jiff::civil::Date, String> {
        let n = i64::from(self.amount);
        let span = match self.unit {
            Unit::Days => jiff::Span::new().days(n),
            Unit::Weeks => jiff::Span::new().weeks(n),
            Unit::Months => jiff::Span::new().months(n),
            Unit::Years => jiff::Span::new().years(n),
        };
        today.checked_sub(span).map_err(|e| format!("{self} before {today}: {e}"))
    }
}

impl std::fmt::Display for Period {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let unit = match self.unit {
            Unit::Days => "day",
            Unit::Weeks => "week",
            Unit::Months => "month",
            Unit::Years => "year",
        };
        let plural = if self.amount == 1 { "" } else { "s" };
        write!(f, "{} {unit}{plural}", self.amount)
    }
}

/// The longest period accepted, in days: a typo such as `4000y` is refused rather than
/// meaning "for ever".
const LONGEST_DAYS: u64 = 100 * 366;

/// Reads `400d`, `400 days`, `58w`, `13 months`, `2y`, `1 year`.
pub fn parse_period(text: &str) -> Result<Period, String> {
    let trimmed = text.trim();
    let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
    let (number, unit) = trimmed.split_at(digits);
    let unit = match unit.trim().to_ascii_lowercase().as_str() {
        "d" | "day" | "days" => Unit::Days,
        "w" | "week" | "weeks" => Unit::Weeks,
        "month" | "months" => Unit::Months,
        "y" | "year" | "years" => Unit::Years,
        "m" => {
            return Err(format!(
                "`{trimmed}`: `m` could be minutes or months; write `{number} months`"
            ));
        }
        _ => {
            return Err(format!(
                "`{trimmed}` is not a period: write a whole number and a unit, such as \"400d\", \
                 \"58w\", \"13 months\" or \"2y\""
            ));
        }
    };
    let amount: u32 = number
        .parse()
        .map_err(|_| format!("`{trimmed}`: the period needs a whole number, such as \"400d\""))?;
    let days = u64::from(amount)
        * match unit {
            Unit::Days => 1,
            Unit::Weeks => 7,
            Unit::Months => 31,
            Unit::Years => 366,
        };
    if amount == 0 {
        return Err(format!("`{trimmed}`: a period of 0 would delete everything at once"));
    }
    if days > LONGEST_DAYS {
        return Err(format!(
            "`{trimmed}`: longer than 100 years; leave the key out to keep for ever"
        ));
    }
    Ok(Period { amount, unit })
}

/// The settings file to read: `explicit` (from `--config` or `QADESK_CONFIG`), which must
/// exist, else `qadesk.toml` beside the database, which may be missing.
pub fn locate(explicit: Option<&Path>, db: &Path) -> anyhow::Result<Option<PathBuf>> {
    if let Some(path) = explicit {
        if !path.is_file() {
            anyhow::bail!(
                "{}: no such settings file (from --config or QADESK_CONFIG)",
                path.display()
            );
        }
        return Ok(Some(path.to_path_buf()));
    }
    let beside = db.parent().unwrap_or(Path::new("")).join(FILE_NAME);
    Ok(beside.is_file().then_some(beside))
}

/// Finds and reads the settings; no file means nothing is set.
pub fn load(explicit: Option<&Path>, db: &Path) -> anyhow::Result<Config> {
    let Some(file) = locate(explicit, db)? else {
        return Ok(Config::default());
    };
    let text = crate::inputs::read_text(&file).map_err(anyhow::Error::msg)?;
    match parse(&text) {
        Ok(retention) => Ok(Config { file: Some(file), retention }),
        Err(problems) => {
            let shown = file.display();
            let lines: Vec<String> = problems.iter().map(|p| format!("{shown}:{p}")).collect();
            anyhow::bail!("{} problem(s) in the settings:\n{}", problems.len(), lines.join("\n"))
        }
    }
}

/// The file's tables. Unknown keys are errors, so a misspelt setting never silently means
/// "keep for ever".
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TopLevel {}

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RetentionTable {
    /// Calls, visits and mystery calls, with everything stored with them.
    interactions: Option<Spanned<String>>,
    /// Transcript text and evidence quotes; scores and metrics stay.
    transcripts: Option<Spanned<String>>,
    /// The list of files that could not be ingested.
    failures: Option<Spanned<String>>,
}

/// Parses the text of a settings file; every problem is returned, in source order.
pub fn parse(source: &str) -> Result<Retention, Vec<Problem>> {
    let mut problems = Vec::new();
    let (document, syntax) = DeTable::parse_recoverable(source);
    for error in syntax {
        problems.push(problem_from(source, &error, 0));
    }
    let span = document.span();
    let mut root = document.into_inner();
    let retention_value = root.remove("retention");
    deserialize_table::<TopLevel>(source, root, span, &mut problems);
    let mut retention = Retention::default();
    if let Some(value) = retention_value {
        let span = value.span();
        match value.into_inner() {
            DeValue::Table(table) => {
                if let Some(table) =
                    deserialize_table::<RetentionTable>(source, table, span, &mut problems)
                {
                    let mut period = |value: Option<Spanned<String>>| {
                        let value = value?;
                        parse_period(value.get_ref())
                            .map_err(|e| problems.push(Problem::at(source, value.span().start, e)))
                            .ok()
                    };
                    retention.interactions = period(table.interactions);
                    retention.transcripts = period(table.transcripts);
                    retention.failures = period(table.failures);
                }
            }
            other => problems.push(Problem::at(
                source,
                span.start,
                format!("`retention` must be a table (`[retention]`), found {}", other.type_str()),
            )),
        }
    }
    problems.sort_by_key(|p| (p.line, p.column));
    problems.dedup();
    if problems.is_empty() { Ok(retention) } else { Err(problems) }
}

/// Deserializes one table; after an error the key at fault is dropped and the table tried
/// again, so that every bad key is reported, not only the first. The keys that were read are
/// returned even then, so their values are checked too.
fn deserialize_table<T: DeserializeOwned>(
    source: &str,
    mut table: DeTable<'_>,
    span: Range<usize>,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    for _ in 0..32 {
        let value = Spanned::new(span.clone(), DeValue::Table(table.clone()));
        let error = match T::deserialize(ValueDeserializer::from(value)) {
            Ok(config) => return Some(config),
            Err(error) => error,
        };
        let mut problem = problem_from(source, &error, span.start);
        // The top level has no fields of its own: `[retention]` is taken out before.
        problem.message = problem.message.replace("there are no fields", "expected `retention`");
        if problem.message.contains("expected a string") {
            problem.message.push_str(": write the period in quotes, such as \"400d\"");
        }
        problems.push(problem);
        let at = error.span().map_or(usize::MAX, |s| s.start);
        let culprit = table
            .iter()
            .find(|(k, v)| k.span().contains(&at) || v.span().contains(&at))
            .map(|(k, _)| k.get_ref().to_string());
        match culprit {
            Some(key) => {
                table.remove(key.as_str());
            }
            None => return None,
        }
    }
    None
}

fn problem_from(source: &str, error: &toml::de::Error, fallback: usize) -> Problem {
    let offset = error.span().map_or(fallback, |s| s.start);
    let message = error.message().trim().trim_end_matches('.').replace('\n', " ");
    Problem::at(source, offset, message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_in_every_spelling_and_their_cut_off_days() {
        let today = jiff::civil::date(2026, 3, 31);
        let cases = [
            ("400d", "2025-02-24"),
            ("1 day", "2026-03-30"),
            ("2w", "2026-03-17"),
            ("1 month", "2026-02-28"),
            ("13 months", "2025-02-28"),
            ("2y", "2024-03-31"),
            (" 1 Year ", "2025-03-31"),
        ];
        for (text, cutoff) in cases {
            let period = parse_period(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(period.cutoff(today).expect("a date").to_string(), cutoff, "{text}");
        }
    }

    #[test]
    fn bad_periods_say_what_to_write() {
        for (text, says) in [
            ("0d", "0 would delete everything"),
            ("12m", "write `12 months`"),
            ("d", "needs a whole number"),
            ("forever", "is not a period"),
            ("-3d", "is not a period"),
            ("200y", "longer than 100 years"),
        ] {
            let error = parse_period(text).expect_err(text);
            assert!(error.contains(says), "{text}: {error}");
        }
    }

    #[test]
    fn every_problem_of_a_file_is_located() {
        let source = "[retention]\ninteractions = \"4m\"\ntranscript = \"90d\"\nfailures = 30\n\
                      [retension]\nx = 1\n";
        let problems = parse(source).expect_err("problems");
        let mut shown: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:#?}");
        assert!(shown.remove(0).starts_with("2:16: `4m`: `m` could be"), "{shown:#?}");
        assert!(shown[0].starts_with("3:1: unknown field `transcript`"), "{shown:#?}");
        assert!(shown[1].starts_with("4:12: invalid type: integer `30`"), "{shown:#?}");
        assert!(shown[1].ends_with("such as \"400d\""), "{shown:#?}");
        assert_eq!(shown[2], "5:2: unknown field `retension`, expected `retention`");
        let bad_value = parse("[retention]\ninteractions = \"12m\"\n").expect_err("problem");
        assert_eq!(bad_value[0].line, 2);
        assert_eq!(bad_value[0].column, 16);
    }

    #[test]
    fn the_sample_settings_file_sets_every_period() {
        let sample = include_str!("../../../samples/qadesk.toml.example");
        let retention = parse(sample).unwrap_or_else(|p| panic!("{p:?}"));
        assert_eq!(retention.interactions, Some(Period { amount: 400, unit: Unit::Days }));
        assert_eq!(retention.transcripts, Some(Period { amount: 90, unit: Unit::Days }));
        assert_eq!(retention.failures, Some(Period { amount: 30, unit: Unit::Days }));
    }

    #[test]
    fn an_empty_file_or_table_sets_nothing() {
        assert!(parse("").expect("empty").is_empty());
        assert!(parse("# nothing yet\n[retention]\n").expect("empty table").is_empty());
        let set = parse("[retention]\ninteractions = \"2y\"\n").expect("valid");
        assert_eq!(set.interactions, Some(Period { amount: 2, unit: Unit::Years }));
    }
}
