//! Check digits and shapes of card numbers and national ids: Luhn, the Norwegian fødselsnummer
//! (two mod-11 digits), the Dutch BSN (11-proof), the Spanish DNI/NIE letter, the Italian
//! codice fiscale check letter, the Estonian isikukood, the US SSN's reserved ranges.

fn digits(text: &str) -> Option<Vec<u32>> {
    text.chars().map(|c| c.to_digit(10)).collect()
}

/// The Luhn checksum of a card number (digits only).
pub(crate) fn luhn(number: &str) -> bool {
    let Some(digits) = digits(number) else { return false };
    if digits.len() < 2 {
        return false;
    }
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A Norwegian fødselsnummer or D-number: DDMMYY, three digits, two mod-11 check digits.
pub(crate) fn fodselsnummer(number: &str) -> bool {
    let Some(d) = digits(number) else { return false };
    if d.len() != 11 {
        return false;
    }
    let day = d[0] * 10 + d[1];
    let month = d[2] * 10 + d[3];
    // D-numbers add 40 to the day; H-numbers (and test ids) 40 or 80 to the month.
    let day_ok = (1..=31).contains(&day) || (41..=71).contains(&day);
    let month_ok = (1..=12).contains(&(month % 40));
    let check = |weights: &[u32]| -> Option<u32> {
        let sum: u32 = weights.iter().zip(&d).map(|(w, x)| w * x).sum();
        match 11 - sum % 11 {
            11 => Some(0),
            10 => None,
            k => Some(k),
        }
    };
    let k1 = check(&[3, 7, 6, 1, 8, 9, 4, 5, 2]);
    let k2 = check(&[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]);
    day_ok && month_ok && k1 == Some(d[9]) && k2 == Some(d[10])
}

/// A Dutch burgerservicenummer: nine digits passing the 11-proof.
pub(crate) fn bsn(number: &str) -> bool {
    let Some(d) = digits(number) else { return false };
    if d.len() != 9 || d.iter().all(|&x| x == 0) {
        return false;
    }
    let sum: i64 = d[..8].iter().zip((2..=9).rev()).map(|(&x, w)| i64::from(x * w)).sum::<i64>()
        - i64::from(d[8]);
    sum % 11 == 0
}

/// An Estonian isikukood: century and sex digit, YYMMDD, serial, check digit.
pub(crate) fn isikukood(number: &str) -> bool {
    let Some(d) = digits(number) else { return false };
    if d.len() != 11 || !(1..=8).contains(&d[0]) {
        return false;
    }
    let month = d[3] * 10 + d[4];
    let day = d[5] * 10 + d[6];
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum = |weights: [u32; 10]| weights.iter().zip(&d).map(|(w, x)| w * x).sum::<u32>() % 11;
    let mut check = sum([1, 2, 3, 4, 5, 6, 7, 8, 9, 1]);
    if check == 10 {
        check = sum([3, 4, 5, 6, 7, 8, 9, 1, 2, 3]) % 10;
    }
    check == d[10]
}

const DNI_LETTERS: &[u8; 23] = b"TRWAGMYFPDXBNJZSQVHLCKE";

/// A Spanish DNI (eight digits) or NIE (X, Y or Z and seven digits) with its control letter.
pub(crate) fn dni(number: &str, letter: char) -> bool {
    let number = number.to_ascii_uppercase();
    let leading = match number.chars().next() {
        Some('X') => Some('0'),
        Some('Y') => Some('1'),
        Some('Z') => Some('2'),
        _ => None,
    };
    let numeric: String = match leading {
        Some(d) => std::iter::once(d).chain(number.chars().skip(1)).collect(),
        None => number,
    };
    if numeric.len() != 8 || !numeric.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let Ok(value) = numeric.parse::<usize>() else { return false };
    char::from(DNI_LETTERS[value % 23]) == letter.to_ascii_uppercase()
}

/// An Italian codice fiscale: 16 characters (omocodia letters allowed in digit places) whose
/// last letter checks the other fifteen.
pub(crate) fn codice_fiscale(code: &str) -> bool {
    const ODD: [u32; 26] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24,
        23,
    ];
    let code = code.to_ascii_uppercase();
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 16 || !chars.iter().all(char::is_ascii_alphanumeric) {
        return false;
    }
    let mut sum = 0;
    for (i, c) in chars[..15].iter().enumerate() {
        // A digit counts as the letter in its place: 0 as A, 1 as B, …
        let index = match c.to_digit(10) {
            Some(d) => d,
            None => *c as u32 - 'A' as u32,
        };
        sum += if i % 2 == 0 { ODD[index as usize] } else { index };
    }
    char::from(b'A' + (sum % 26) as u8) == chars[15]
}

/// A US social security number written as AAA-GG-SSSS, outside the ranges never issued.
pub(crate) fn ssn(area: &str, group: &str, serial: &str) -> bool {
    let (Ok(a), Ok(g), Ok(s)) = (area.parse::<u32>(), group.parse::<u32>(), serial.parse::<u32>())
    else {
        return false;
    };
    area.len() == 3
        && group.len() == 2
        && serial.len() == 4
        && a != 0
        && a != 666
        && a < 900
        && g != 0
        && s != 0
}

/// A card's expiry month and year: MMYY or MMYYYY, a month, a year from 2020 to 2049.
pub(crate) fn expiry(digits: &str) -> bool {
    let month = digits.get(..2).and_then(|m| m.parse::<u32>().ok());
    let month_ok = month.is_some_and(|m| (1..=12).contains(&m));
    match digits.len() {
        4 => month_ok && plausible_year(&digits[2..]),
        6 => month_ok && plausible_year(&digits[2..]),
        _ => false,
    }
}

/// A card year: 20–49 or 2020–2049.
pub(crate) fn plausible_year(year: &str) -> bool {
    match (year.len(), year.parse::<u32>()) {
        (2, Ok(y)) => (20..=49).contains(&y),
        (4, Ok(y)) => (2020..=2049).contains(&y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_of_known_test_cards() {
        for card in ["4532015112830366", "5425233430109903", "378282246310005", "6011000990139424"]
        {
            assert!(luhn(card), "{card}");
        }
        assert!(!luhn("4532015112830367"));
        assert!(!luhn("45x2"));
    }

    #[test]
    fn national_ids() {
        // Made with the published algorithms; none is a real person's.
        assert!(fodselsnummer("01019012480"));
        assert!(!fodselsnummer("01019012481"));
        assert!(bsn("111222333"));
        assert!(!bsn("111222334"));
        assert!(isikukood("38001085718"));
        assert!(!isikukood("38001085719"));
        assert!(dni("12345678", 'Z'));
        assert!(!dni("12345678", 'A'));
        assert!(dni("X1234567", 'L'));
        assert!(codice_fiscale("RSSMRA85T10A562S"));
        assert!(!codice_fiscale("RSSMRA85T10A562T"));
        assert!(ssn("123", "45", "6789"));
        assert!(!ssn("666", "45", "6789"));
        assert!(expiry("0927") && expiry("092027") && !expiry("1327") && !expiry("0915"));
    }
}
