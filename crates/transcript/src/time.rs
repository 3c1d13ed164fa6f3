//! Clock times as the formats spell them (`03.2`, `1:02:03.5`, `00:00:01,000`); owns no line syntax.

use std::fmt::Write;

/// Parses `[H:]MM:SS[<sep>fraction]` into milliseconds.
///
/// The first field may have any number of digits (up to nine, which keeps the
/// arithmetic far from overflow), so `75:00.0` works for long calls written
/// without hours; later fields need two digits and must stay below 60. The
/// fraction is decimal: `.5` is half a second, and digits beyond the third are
/// below a millisecond and dropped.
pub(crate) fn parse_clock(text: &str, separators: &[char]) -> Option<u64> {
    let (clock, fraction) = match text.find(separators) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mut fields = clock.split(':');
    let first = fields.next()?;
    let second = fields.next()?;
    let third = fields.next();
    if fields.next().is_some() {
        return None;
    }
    let (hours, minutes, seconds) = match third {
        Some(seconds) => (number(first, 1..=9)?, two_digits(second)?, two_digits(seconds)?),
        None => (0, number(first, 1..=9)?, two_digits(second)?),
    };
    if seconds >= 60 || (third.is_some() && minutes >= 60) {
        return None;
    }
    let millis = match fraction {
        Some(digits) => fraction_millis(digits)?,
        None => 0,
    };
    Some(((hours * 60 + minutes) * 60 + seconds) * 1000 + millis)
}

fn two_digits(field: &str) -> Option<u64> {
    number(field, 2..=2)
}

fn number(field: &str, digits: std::ops::RangeInclusive<usize>) -> Option<u64> {
    if !digits.contains(&field.len()) || !field.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    field.parse().ok()
}

fn fraction_millis(digits: &str) -> Option<u64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let millis = digits.bytes().chain(std::iter::repeat(b'0')).take(3);
    Some(millis.fold(0, |acc, digit| acc * 10 + u64::from(digit - b'0')))
}

/// Appends `MM:SS.d`, or `H:MM:SS.d` from one hour on, rounded to the nearest tenth.
pub(crate) fn push_tenths(out: &mut String, ms: u64) {
    let tenths = ms.saturating_add(50) / 100;
    let (seconds, tenth) = (tenths / 10, tenths % 10);
    let (hours, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    // Writing to a String cannot fail.
    let _ = if hours > 0 {
        write!(out, "{hours}:{minute:02}:{second:02}.{tenth}")
    } else {
        write!(out, "{minute:02}:{second:02}.{tenth}")
    };
}

/// Appends `HH:MM:SS<sep>mmm`, the subtitle spelling; hours grow past two digits if needed.
pub(crate) fn push_millis(out: &mut String, ms: u64, separator: char) {
    let (seconds, milli) = (ms / 1000, ms % 1000);
    let (hours, minute, second) = (seconds / 3600, seconds / 60 % 60, seconds % 60);
    // Writing to a String cannot fail.
    let _ = write!(out, "{hours:02}:{minute:02}:{second:02}{separator}{milli:03}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_accepted_spelling() {
        let dot = &['.'][..];
        assert_eq!(parse_clock("00:03", dot), Some(3_000));
        assert_eq!(parse_clock("00:03.2", dot), Some(3_200));
        assert_eq!(parse_clock("00:03.25", dot), Some(3_250));
        assert_eq!(parse_clock("01:03.257", dot), Some(63_257));
        assert_eq!(parse_clock("01:03.2579", dot), Some(63_257));
        assert_eq!(parse_clock("1:02:03.5", dot), Some(3_723_500));
        assert_eq!(parse_clock("75:00.0", dot), Some(4_500_000));
        assert_eq!(parse_clock("0:00", dot), Some(0));
        assert_eq!(parse_clock("00:00:01,000", &[',', '.']), Some(1_000));
        assert_eq!(parse_clock("123:00:01.000", dot), Some(442_801_000));
    }

    #[test]
    fn rejects_malformed_times() {
        let dot = &['.'][..];
        for bad in [
            "",
            "3",
            "03.2",
            "00:3.2",
            "00:60.0",
            "1:60:00",
            "00:03.",
            "00:03.x",
            "0x:03",
            "00:03,2",
            "1:2:3:4",
            "-1:00",
            "+1:00",
            "00:03.2.1",
            "0000000000:00",
            " 00:03",
        ] {
            assert_eq!(parse_clock(bad, dot), None, "{bad:?}");
        }
    }

    #[test]
    fn formats_tenths_with_hours_only_when_needed() {
        let cases = [
            (0, "00:00.0"),
            (3_200, "00:03.2"),
            (3_249, "00:03.2"),
            (3_250, "00:03.3"),
            (59_960, "01:00.0"),
            (3_599_900, "59:59.9"),
            (3_599_960, "1:00:00.0"),
            (36_000_000, "10:00:00.0"),
        ];
        for (ms, expected) in cases {
            let mut out = String::new();
            push_tenths(&mut out, ms);
            assert_eq!(out, expected, "{ms} ms");
        }
    }

    #[test]
    fn formats_milliseconds_for_subtitles() {
        let mut out = String::new();
        push_millis(&mut out, 3_723_004, ',');
        out.push(' ');
        push_millis(&mut out, 360_000_000, '.');
        assert_eq!(out, "01:02:03,004 100:00:00.000");
    }
}
