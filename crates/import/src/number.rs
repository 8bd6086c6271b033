//! Numbers as CRM exports and spreadsheets write them: `1234.56`, `1,234.56`, `1.234,56`,
//! `1234,56`, `€ 1.234,56`, `1 234,56`, `-12`, `(12.00)`.
//!
//! Which of `.` and `,` is the decimal separator is decided once per file (see
//! [`DecimalSeparator::detect`]); the other one (and spaces or apostrophes) may then only
//! group thousands, in groups of exactly three digits. A value that contradicts the file's
//! separator (`12.5` in a decimal-comma file) is an invalid number, never a silent guess.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The character that separates the fraction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DecimalSeparator {
    /// `1,234.56`
    Point,
    /// `1.234,56`
    Comma,
}

impl DecimalSeparator {
    fn char(self) -> char {
        match self {
            DecimalSeparator::Point => '.',
            DecimalSeparator::Comma => ',',
        }
    }

    fn grouping(self) -> char {
        match self {
            DecimalSeparator::Point => ',',
            DecimalSeparator::Comma => '.',
        }
    }

    /// Decides the separator of a file from sample values: each value that can only be read
    /// one way votes (`1.234,56`, `12,5`, `0,99` vote comma; `1,234.56`, `12.5` vote point);
    /// the majority wins. Without any vote, a semicolon-delimited file (the European Excel
    /// convention) uses the comma and every other file the point.
    pub fn detect<'s>(samples: impl IntoIterator<Item = &'s str>, delimiter: Option<u8>) -> Self {
        let (mut comma, mut point) = (0_u32, 0_u32);
        for sample in samples {
            match evidence(sample) {
                Some(DecimalSeparator::Comma) => comma += 1,
                Some(DecimalSeparator::Point) => point += 1,
                None => {}
            }
        }
        if comma > point || (comma == point && comma == 0 && delimiter == Some(b';')) {
            DecimalSeparator::Comma
        } else {
            DecimalSeparator::Point
        }
    }
}

/// The decimal separator a single value proves, if it can only be read one way.
#[must_use]
pub fn evidence(value: &str) -> Option<DecimalSeparator> {
    let (_, body) = strip_decorations(value)?;
    let last_point = body.rfind('.');
    let last_comma = body.rfind(',');
    match (last_point, last_comma) {
        (Some(p), Some(c)) => Some(if p > c {
            DecimalSeparator::Point
        } else {
            DecimalSeparator::Comma
        }),
        (Some(p), None) => single_separator_evidence(body, '.', p, DecimalSeparator::Point),
        (None, Some(c)) => single_separator_evidence(body, ',', c, DecimalSeparator::Comma),
        (None, None) => None,
    }
}

fn single_separator_evidence(
    body: &str,
    sep: char,
    at: usize,
    as_decimal: DecimalSeparator,
) -> Option<DecimalSeparator> {
    if body.matches(sep).count() > 1 {
        // only a thousands separator repeats
        return Some(other(as_decimal));
    }
    let digits_after = body[at + 1..].chars().filter(char::is_ascii_digit).count();
    if digits_after == 3 && body[..at].chars().any(|c| c.is_ascii_digit()) {
        None // 1.234 and 1,234 read both ways
    } else {
        Some(as_decimal)
    }
}

fn other(sep: DecimalSeparator) -> DecimalSeparator {
    match sep {
        DecimalSeparator::Point => DecimalSeparator::Comma,
        DecimalSeparator::Comma => DecimalSeparator::Point,
    }
}

const CURRENCY_CODES: [&str; 6] = ["EUR", "USD", "GBP", "CHF", "DKK", "SEK"];
const CURRENCY_SIGNS: [char; 4] = ['€', '$', '£', '¥'];

/// Strips whitespace, a currency sign or code and the sign; returns (negative, body).
fn strip_decorations(value: &str) -> Option<(bool, &str)> {
    // the common case: plain digits and separators, nothing to strip
    if value
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b',')
    {
        return (!value.is_empty()).then_some((false, value));
    }
    let mut s = value.trim_matches(is_space);
    let mut negative = false;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim_matches(is_space);
    }
    s = strip_currency(s);
    if let Some(rest) = s.strip_prefix(['-', '−']) {
        negative = !negative;
        s = rest;
    } else if let Some(rest) = s.strip_prefix('+') {
        s = rest;
    } else if let Some(rest) = s.strip_suffix('-') {
        negative = !negative;
        s = rest;
    }
    s = strip_currency(s.trim_matches(is_space));
    if s.is_empty() {
        None
    } else {
        Some((negative, s))
    }
}

fn strip_currency(mut s: &str) -> &str {
    for sign in CURRENCY_SIGNS {
        if let Some(rest) = s.strip_prefix(sign) {
            s = rest;
        }
        if let Some(rest) = s.strip_suffix(sign) {
            s = rest;
        }
    }
    for code in CURRENCY_CODES {
        if s.len() > 3 {
            if s.get(..3).is_some_and(|p| p.eq_ignore_ascii_case(code)) {
                s = &s[3..];
            } else if s
                .get(s.len() - 3..)
                .is_some_and(|p| p.eq_ignore_ascii_case(code))
            {
                s = &s[..s.len() - 3];
            }
        }
    }
    s.trim_matches(is_space)
}

fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}'
}

fn is_group_char(c: char, grouping: char) -> bool {
    c == grouping || c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\'' || c == '’'
}

/// Reads an amount in currency units and returns it in hundredths (cents), rounded half
/// away from zero. `None` when the text is not a number in the given style.
#[must_use]
pub fn parse_hundredths(value: &str, decimal: DecimalSeparator) -> Option<i64> {
    let (negative, body) = strip_decorations(value)?;
    let (int_part, frac_part) = match body.split_once(decimal.char()) {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    let grouping = decimal.grouping();
    let mut units: i64 = 0;
    let mut digits = 0_u32;
    let mut group_len: Option<u32> = None; // digits since the last separator, once one was seen
    let mut first_group = 0_u32;
    let mut last_was_sep = false;
    let mut sep_kind: Option<char> = None;
    for c in int_part.chars() {
        if let Some(d) = c.to_digit(10) {
            units = units.checked_mul(10)?.checked_add(i64::from(d))?;
            digits += 1;
            match group_len.as_mut() {
                Some(n) => *n += 1,
                None => first_group += 1,
            }
            last_was_sep = false;
        } else if is_group_char(c, grouping) {
            let kind = if c == grouping { grouping } else { ' ' };
            if last_was_sep || digits == 0 || sep_kind.is_some_and(|k| k != kind) {
                return None;
            }
            sep_kind = Some(kind);
            match group_len {
                Some(3) => {}
                Some(_) => return None,
                None if first_group > 3 => return None,
                None => {}
            }
            group_len = Some(0);
            last_was_sep = true;
        } else {
            return None;
        }
    }
    if last_was_sep || group_len.is_some_and(|n| n != 3) {
        return None;
    }
    let mut hundredths = units.checked_mul(100)?;
    match frac_part {
        Some(frac) => {
            if frac.is_empty() || !frac.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let mut fd = frac.bytes().map(|b| i64::from(b - b'0'));
            let tenths = fd.next().unwrap_or(0);
            let hundredth = fd.next().unwrap_or(0);
            let round_up = fd.next().unwrap_or(0) >= 5;
            hundredths = hundredths.checked_add(tenths * 10 + hundredth + i64::from(round_up))?;
        }
        None if digits == 0 => return None,
        None => {}
    }
    Some(if negative { -hundredths } else { hundredths })
}

/// Reads a whole number (`3`, `3.0`, `1.200` in a comma file). `None` for text that is not a
/// number or has a fraction.
#[must_use]
pub fn parse_whole(value: &str, decimal: DecimalSeparator) -> Option<i64> {
    let h = parse_hundredths(value, decimal)?;
    (h % 100 == 0).then_some(h / 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use DecimalSeparator::{Comma, Point};
    use rstest::rstest;

    #[rstest]
    #[case("1234.56", Point, Some(123_456))]
    #[case("1,234.56", Point, Some(123_456))]
    #[case("1.234,56", Comma, Some(123_456))]
    #[case("1234,56", Comma, Some(123_456))]
    #[case("€ 1.234,56", Comma, Some(123_456))]
    #[case("1 234,5 EUR", Comma, Some(123_450))]
    #[case("1.234.567", Comma, Some(123_456_700))]
    #[case("-12", Point, Some(-1200))]
    #[case("(12.00)", Point, Some(-1200))]
    #[case("0.005", Point, Some(1))]
    #[case("-0.005", Point, Some(-1))]
    #[case("0.0049", Point, Some(0))]
    #[case(".5", Point, Some(50))]
    #[case("12.5", Comma, None)] // a point can only group thousands in a comma file
    #[case("1,23.4", Point, None)]
    #[case("1,2345", Point, None)]
    #[case("12,", Comma, None)]
    #[case("", Point, None)]
    #[case("abc", Point, None)]
    #[case("1.2.3", Point, None)]
    #[case("99999999999999999999", Point, None)]
    fn amounts_read_to_hundredths(
        #[case] text: &str,
        #[case] sep: DecimalSeparator,
        #[case] expected: Option<i64>,
    ) {
        assert_eq!(parse_hundredths(text, sep), expected);
    }

    #[rstest]
    #[case("1.234,56", Some(Comma))]
    #[case("12,5", Some(Comma))]
    #[case("1,234.56", Some(Point))]
    #[case("0.99", Some(Point))]
    #[case("1.234", None)]
    #[case("1,234", None)]
    #[case("1,234,567", Some(Point))]
    #[case("1234", None)]
    fn values_vote_for_a_separator_only_when_unambiguous(
        #[case] text: &str,
        #[case] expected: Option<DecimalSeparator>,
    ) {
        assert_eq!(evidence(text), expected);
    }

    #[test]
    fn a_file_without_evidence_follows_its_delimiter() {
        assert_eq!(DecimalSeparator::detect(["1.234"], Some(b';')), Comma);
        assert_eq!(DecimalSeparator::detect(["1.234"], Some(b',')), Point);
        assert_eq!(
            DecimalSeparator::detect(["1.234", "5,5", "3,25"], Some(b'\t')),
            Comma
        );
    }

    #[test]
    fn whole_numbers_refuse_fractions() {
        assert_eq!(parse_whole("3", Point), Some(3));
        assert_eq!(parse_whole("3,0", Comma), Some(3));
        assert_eq!(parse_whole("3.5", Point), None);
    }
}
