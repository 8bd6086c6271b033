//! Numbers, money, percentages and dates in the workbook's locale, for charts, reports and
//! the command line. The UI formats with the ECMA-402 `Intl` API; both are checked against
//! the same cases (`i18n/format-cases.json`, written from `Intl`), so a figure reads the
//! same on screen and on paper: de `1.234,56 €`, nl `€ 1.234,56`, en `€1,234.56`.
//!
//! Like `Intl`, rounding is half away from zero on the shortest decimal form of the number
//! (1.005 → 1.01), and a value that rounds to zero has no minus sign.

use chrono::NaiveDate;

use crate::model::Locale;

/// The no-break space `Intl` puts between number and currency or percent sign.
const NBSP: char = '\u{a0}';

struct Symbols {
    group: char,
    decimal: char,
}

fn symbols(locale: Locale) -> Symbols {
    match locale {
        Locale::En => Symbols {
            group: ',',
            decimal: '.',
        },
        Locale::De | Locale::Nl => Symbols {
            group: '.',
            decimal: ',',
        },
    }
}

/// Digits of |value| × 10^shift rounded half away from zero to `decimals` places.
/// Returns (integer digits, fraction digits), both plain ASCII digit strings.
fn round_decimal(value: f64, shift: i32, decimals: usize) -> (String, String) {
    // Rust's Display for f64 prints the shortest string that reads back as the same
    // number, in plain (never scientific) notation.
    let text = format!("{}", value.abs());
    let (int_part, frac_part) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let mut digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b - b'0')
        .collect();
    // position of the decimal point within `digits`
    #[allow(clippy::cast_possible_wrap)] // a float prints with far fewer than 2^31 digits
    let mut point = int_part.len() as i32 + shift;
    while point < 1 {
        digits.insert(0, 0);
        point += 1;
    }
    #[allow(clippy::cast_sign_loss)] // point >= 1 here
    let point = point as usize;
    while digits.len() < point + decimals + 1 {
        digits.push(0);
    }
    let keep = point + decimals;
    let round_up = digits[keep] >= 5;
    digits.truncate(keep);
    if round_up {
        let mut i = keep;
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let int_len = digits.len() - decimals;
    let to_text = |ds: &[u8]| ds.iter().map(|d| char::from(b'0' + d)).collect::<String>();
    let mut int_digits = to_text(&digits[..int_len]);
    let trimmed = int_digits.trim_start_matches('0');
    int_digits = if trimmed.is_empty() {
        "0".to_owned()
    } else {
        trimmed.to_owned()
    };
    (int_digits, to_text(&digits[int_len..]))
}

fn group(int_digits: &str, sep: char) -> String {
    let len = int_digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in int_digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// (is negative, grouped absolute number) for a value scaled by 10^shift.
fn number_parts(value: f64, shift: i32, decimals: usize, locale: Locale) -> (bool, String) {
    let sym = symbols(locale);
    let (int_digits, frac) = round_decimal(value, shift, decimals);
    let is_zero = int_digits == "0" && frac.bytes().all(|b| b == b'0');
    let mut text = group(&int_digits, sym.group);
    if decimals > 0 {
        text.push(sym.decimal);
        text.push_str(&frac);
    }
    (value < 0.0 && !is_zero, text)
}

fn not_finite(value: f64) -> Option<String> {
    if value.is_nan() {
        Some("–".to_owned())
    } else if value.is_infinite() {
        Some(if value > 0.0 { "∞" } else { "-∞" }.to_owned())
    } else {
        None
    }
}

/// A plain number with exactly `decimals` decimals: de `1.234,5`, en `1,234.5`.
#[must_use]
pub fn number(value: f64, decimals: usize, locale: Locale) -> String {
    if let Some(text) = not_finite(value) {
        return text;
    }
    let (negative, text) = number_parts(value, 0, decimals, locale);
    if negative { format!("-{text}") } else { text }
}

/// A fraction as a percentage: 0.135 → de `13,5 %`, nl and en `13,5%` / `13.5%`.
#[must_use]
pub fn percent(fraction: f64, decimals: usize, locale: Locale) -> String {
    if let Some(text) = not_finite(fraction) {
        return text;
    }
    let (negative, text) = number_parts(fraction, 2, decimals, locale);
    let sign = if negative { "-" } else { "" };
    match locale {
        Locale::De => format!("{sign}{text}{NBSP}%"),
        Locale::En | Locale::Nl => format!("{sign}{text}%"),
    }
}

/// How a currency is written in a locale, and whether the symbol is separated by a space.
fn currency_symbol(currency: &str, locale: Locale) -> (String, bool) {
    match (currency, locale) {
        ("EUR", _) => ("€".to_owned(), false),
        ("GBP", _) => ("£".to_owned(), false),
        ("USD", Locale::De) => ("$".to_owned(), false),
        ("USD", _) => ("US$".to_owned(), false),
        (code, _) => (code.to_owned(), true),
    }
}

/// An amount in currency units: de `1.234,56 €`, nl `€ 1.234,56`, en `€1,234.56`.
#[must_use]
pub fn money(units: f64, currency: &str, decimals: usize, locale: Locale) -> String {
    if let Some(text) = not_finite(units) {
        return text;
    }
    let (negative, text) = number_parts(units, 0, decimals, locale);
    let sign = if negative { "-" } else { "" };
    let (symbol, spaced) = currency_symbol(currency, locale);
    match locale {
        Locale::De => format!("{sign}{text}{NBSP}{symbol}"),
        Locale::Nl => format!("{symbol}{NBSP}{sign}{text}"),
        Locale::En if spaced => format!("{sign}{symbol}{NBSP}{text}"),
        Locale::En => format!("{sign}{symbol}{text}"),
    }
}

/// A date: de `04.11.2026`, nl `04-11-2026`, en `04/11/2026`.
#[must_use]
pub fn date(date: NaiveDate, locale: Locale) -> String {
    let pattern = match locale {
        Locale::De => "%d.%m.%Y",
        Locale::Nl => "%d-%m-%Y",
        Locale::En => "%d/%m/%Y",
    };
    date.format(pattern).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize)]
    struct Case {
        locale: String,
        kind: String,
        #[serde(default)]
        value: f64,
        #[serde(default)]
        decimals: usize,
        #[serde(default)]
        currency: String,
        #[serde(default)]
        date: String,
        expected: String,
    }

    #[derive(Deserialize)]
    struct Cases {
        cases: Vec<Case>,
    }

    #[test]
    fn formatting_matches_the_intl_cases_shared_with_the_ui() {
        let cases: Cases =
            serde_json::from_str(include_str!("../../../i18n/format-cases.json")).unwrap();
        assert!(cases.cases.len() > 200);
        let mut failures = Vec::new();
        for c in &cases.cases {
            let locale = Locale::parse(&c.locale).unwrap();
            let got = match c.kind.as_str() {
                "number" => number(c.value, c.decimals, locale),
                "percent" => percent(c.value, c.decimals, locale),
                "money" => money(c.value, &c.currency, c.decimals, locale),
                "date" => date(c.date.parse().unwrap(), locale),
                other => panic!("unknown case kind {other}"),
            };
            if got != c.expected {
                failures.push(format!(
                    "{} {} {} ({}): got {got:?}, want {:?}",
                    c.locale, c.kind, c.value, c.decimals, c.expected
                ));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn the_three_locales_write_money_as_their_users_expect() {
        assert_eq!(money(1234.56, "EUR", 2, Locale::De), "1.234,56\u{a0}€");
        assert_eq!(money(1234.56, "EUR", 2, Locale::Nl), "€\u{a0}1.234,56");
        assert_eq!(money(1234.56, "EUR", 2, Locale::En), "€1,234.56");
    }

    #[test]
    fn numbers_that_are_not_finite_do_not_panic() {
        assert_eq!(number(f64::NAN, 2, Locale::En), "–");
        assert_eq!(percent(f64::INFINITY, 0, Locale::De), "∞");
        assert_eq!(money(f64::NEG_INFINITY, "EUR", 2, Locale::Nl), "-∞");
        assert_eq!(number(1e300, 0, Locale::En).len(), 401);
    }
}
