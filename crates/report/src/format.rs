//! Small text formats shared by the view models: scores, percentages, dates and call times.
//! Done here, not in templates, so every template shows numbers the same way.

/// A score with at most one decimal: `82.5`, `90`.
pub fn score(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 { format!("{rounded:.0}") } else { format!("{rounded:.1}") }
}

/// A share 0–1 as a whole percent: `75 %` is left to the template, this gives `75`.
pub fn percent(share: f64) -> String {
    format!("{:.0}", (share * 100.0).round())
}

/// The date part of a stored `started_at` (`YYYY-MM-DD[THH:MM:SS]`).
pub fn date(started_at: Option<&str>) -> String {
    started_at.map(|s| s.get(..10).unwrap_or(s).to_string()).unwrap_or_default()
}

/// The clock time part (`HH:MM`) of a stored `started_at`, if it has one.
pub fn clock(started_at: Option<&str>) -> Option<String> {
    started_at.and_then(|s| s.get(11..16)).map(str::to_string)
}

/// A position in a call, `m:ss`, from milliseconds.
pub fn call_time(ms: u64) -> String {
    let seconds = ms / 1000;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Shortens a quote to about `max` characters at a word boundary, marking the cut with `…`.
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', ' ']))
}

/// Days since 1970-01-01 of a `YYYY-MM-DD` date (proleptic Gregorian), for week buckets.
pub fn day_number(date: &str) -> Option<i64> {
    let mut parts = date.get(..10)?.split('-');
    let y: i64 = parts.next()?.parse().ok()?;
    let m: i64 = parts.next()?.parse().ok()?;
    let d: i64 = parts.next()?.parse().ok()?;
    // Howard Hinnant's days_from_civil: exact and branch-free over the whole range.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The `YYYY-MM-DD` of a day number (inverse of [`day_number`]).
pub fn civil(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The Monday that starts the week of a date, as `YYYY-MM-DD`.
pub fn week_start(date: &str) -> Option<String> {
    let day = day_number(date)?;
    // 1970-01-01 was a Thursday: Monday-based weekday = (day + 3) mod 7.
    Some(civil(day - (day + 3).rem_euclid(7)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday_across_month_and_year_ends() {
        let cases = [
            ("2026-03-01", "2026-02-23"),
            ("2026-03-02", "2026-03-02"),
            ("2026-03-08", "2026-03-02"),
            ("2027-01-01", "2026-12-28"),
            ("2024-02-29", "2024-02-26"),
        ];
        for (date, monday) in cases {
            assert_eq!(week_start(date).as_deref(), Some(monday), "{date}");
        }
    }

    #[test]
    fn shortening_cuts_at_a_word_and_says_so() {
        assert_eq!(shorten("one two three four", 11), "one two…");
        assert_eq!(shorten("short", 11), "short");
        assert_eq!(score(82.46), "82.5");
        assert_eq!(score(90.0), "90");
        assert_eq!(call_time(83_500), "1:23");
    }
}
