//! Dates and timestamps as CRM exports write them, and the dealership's local time.
//!
//! Accepted forms: ISO 8601 (`2026-03-05`, `2026-03-05T14:30`, `2026-03-05 14:30:15`,
//! optional fraction, optional `Z` or `±HH[:MM]`), `dd.mm.yyyy [HH:MM[:SS]]`, `dd/mm/yyyy`
//! and `dd-mm-yyyy` (day or month first, see [`DateOrder`]) with optional `AM`/`PM`,
//! `yyyymmdd[HHMMSS]`, and Excel serial numbers (`46086`, `46086.604`). A timestamp without
//! zone is the dealership's local time, converted to UTC with a [`LocalTime`] policy.

use chrono::{
    DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// How to read `01/02/2026` and `01-02-2026`: dotted dates are always day first and ISO
/// dates always year first.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DateOrder {
    /// `05/03/2026` is 5 March (Europe).
    #[default]
    DayFirst,
    /// `03/05/2026` is 5 March (US exports of HubSpot and Salesforce).
    MonthFirst,
}

impl DateOrder {
    /// Decides the order from sample values: a first number above 12 proves day first, a
    /// second number above 12 proves month first; the majority wins, day first without votes.
    pub fn detect<'s>(samples: impl IntoIterator<Item = &'s str>) -> Self {
        let (mut day, mut month) = (0_u32, 0_u32);
        for s in samples {
            let s = s.trim();
            let Some(date) = s.split([' ', 'T']).next() else {
                continue;
            };
            let parts: Vec<&str> = date.split(['/', '-']).collect();
            if parts.len() != 3 || parts[0].len() > 2 {
                continue; // ISO or not a date
            }
            let (Ok(a), Ok(b)) = (parts[0].parse::<u32>(), parts[1].parse::<u32>()) else {
                continue;
            };
            if a > 12 && b <= 12 {
                day += 1;
            } else if b > 12 && a <= 12 {
                month += 1;
            }
        }
        if month > day {
            DateOrder::MonthFirst
        } else {
            DateOrder::DayFirst
        }
    }
}

/// How a timestamp without zone (local time of the dealership) becomes UTC.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LocalTime {
    /// Read local times as UTC (the default: nothing is shifted).
    #[default]
    Utc,
    /// A fixed offset east of UTC, in minutes (`60` for UTC+1 all year).
    Fixed { offset_minutes: i32 },
    /// A standard offset plus one hour of summer time under the EU rule (last Sunday of
    /// March 01:00 UTC to last Sunday of October 01:00 UTC): `60` is Germany and the
    /// Netherlands (CET/CEST), `0` Portugal and Ireland's rule, `120` Finland and Greece.
    /// A local time in the repeated autumn hour is read as the first (summer) one; one in
    /// the skipped spring hour as standard time.
    EuropeanUnion { standard_offset_minutes: i32 },
}

impl LocalTime {
    /// The instant a local time denotes.
    #[must_use]
    pub fn to_utc(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        let minutes = match self {
            LocalTime::Utc => return Some(local.and_utc()),
            LocalTime::Fixed { offset_minutes } => offset_minutes,
            LocalTime::EuropeanUnion {
                standard_offset_minutes,
            } => {
                let standard = local
                    .checked_sub_signed(Duration::minutes(i64::from(standard_offset_minutes)))?;
                let summer = standard.checked_sub_signed(Duration::hours(1))?;
                let (start, end) = eu_summer_time(summer.year())?;
                if summer >= start && summer < end {
                    return Some(Utc.from_utc_datetime(&summer));
                }
                return Some(Utc.from_utc_datetime(&standard));
            }
        };
        let utc = local.checked_sub_signed(Duration::minutes(i64::from(minutes)))?;
        Some(Utc.from_utc_datetime(&utc))
    }
}

/// Start and end of EU summer time in `year`, as UTC.
fn eu_summer_time(year: i32) -> Option<(NaiveDateTime, NaiveDateTime)> {
    let last_sunday = |month: u32| -> Option<NaiveDateTime> {
        let day = NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, 5)
            .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Sun, 4))?;
        day.and_hms_opt(1, 0, 0)
    };
    Some((last_sunday(3)?, last_sunday(10)?))
}

/// A parsed point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedTime {
    pub utc: DateTime<Utc>,
    /// The wall-clock time as written (or as UTC when the text carried a zone).
    pub local: NaiveDateTime,
    /// Only a date was given: comparisons with it are by day.
    pub date_only: bool,
}

impl ParsedTime {
    /// Whether `self` lies before `other`; by calendar day when either is only a date.
    #[must_use]
    pub fn is_before(&self, other: &ParsedTime) -> bool {
        if self.date_only || other.date_only {
            self.local.date() < other.local.date()
        } else {
            self.utc < other.utc
        }
    }
}

/// Reads dates with a file's conventions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DateParser {
    pub order: DateOrder,
    pub local: LocalTime,
}

impl DateParser {
    /// Parses a date or timestamp; `None` when the text is not one.
    #[must_use]
    pub fn parse(&self, text: &str) -> Option<ParsedTime> {
        let text = crate::validate::trimmed(text);
        if text.is_empty() {
            return None;
        }
        if let Some((local, offset)) = iso_fast(text.as_bytes()) {
            return self.finish(local, false, offset);
        }
        self.parse_general(text)
    }

    /// Every accepted form (the fast path above is a shortcut for one of them).
    fn parse_general(&self, text: &str) -> Option<ParsedTime> {
        if let Some(parsed) = self.parse_number(text) {
            return Some(parsed);
        }
        let mut cur = Cursor::new(text);
        let date = self.date(&mut cur)?;
        let had_separator = cur.eat(b'T') || cur.eat_spaces();
        let time = if had_separator && cur.peek().is_some_and(|b| b.is_ascii_digit()) {
            Some(time(&mut cur)?)
        } else {
            None
        };
        cur.eat_spaces();
        let offset = zone(&mut cur)?;
        cur.eat_spaces();
        if !cur.at_end() {
            return None;
        }
        let local = date.and_time(time.unwrap_or(NaiveTime::MIN));
        self.finish(local, time.is_none(), offset)
    }

    /// An Excel serial day number (fraction = time of day) as local time.
    #[must_use]
    pub fn from_excel_serial(&self, serial: f64) -> Option<ParsedTime> {
        let local = excel_serial_to_naive(serial)?;
        self.finish(local, serial.fract() == 0.0, None)
    }

    /// A wall-clock time read from a spreadsheet cell.
    #[must_use]
    pub fn from_local(&self, local: NaiveDateTime, date_only: bool) -> Option<ParsedTime> {
        self.finish(local, date_only, None)
    }

    fn finish(
        &self,
        local: NaiveDateTime,
        date_only: bool,
        offset_minutes: Option<i32>,
    ) -> Option<ParsedTime> {
        let utc = match offset_minutes {
            Some(0) => local.and_utc(),
            Some(m) => {
                Utc.from_utc_datetime(&local.checked_sub_signed(Duration::minutes(i64::from(m)))?)
            }
            None if date_only => Utc.from_utc_datetime(&local),
            None => self.local.to_utc(local)?,
        };
        Some(ParsedTime {
            utc,
            local,
            date_only,
        })
    }

    fn parse_number(&self, text: &str) -> Option<ParsedTime> {
        let bytes = text.as_bytes();
        if bytes.iter().all(u8::is_ascii_digit) {
            match bytes.len() {
                8 => {
                    let d = ymd(num(&text[0..4])?, num(&text[4..6])?, num(&text[6..8])?)?;
                    return self.finish(d.and_time(NaiveTime::MIN), true, None);
                }
                14 => {
                    let d = ymd(num(&text[0..4])?, num(&text[4..6])?, num(&text[6..8])?)?;
                    let t = NaiveTime::from_hms_opt(
                        num(&text[8..10])?,
                        num(&text[10..12])?,
                        num(&text[12..14])?,
                    )?;
                    return self.finish(d.and_time(t), false, None);
                }
                1..=7 => {}
                _ => return None,
            }
        }
        // an Excel serial: digits with an optional fraction (point or comma)
        let (int, frac) = match text.split_once(['.', ',']) {
            Some((i, f)) => (i, Some(f)),
            None => (text, None),
        };
        if int.is_empty() || int.len() > 7 || !int.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Some(f) = frac
            && (f.is_empty() || f.len() > 12 || !f.bytes().all(|b| b.is_ascii_digit()))
        {
            return None;
        }
        let serial: f64 = match frac {
            Some(f) => format!("{int}.{f}").parse().ok()?,
            None => int.parse().ok()?,
        };
        self.from_excel_serial(serial)
    }

    fn date(&self, cur: &mut Cursor<'_>) -> Option<NaiveDate> {
        let first = cur.digits(1, 4)?;
        let sep = cur.next()?;
        if !matches!(sep, b'-' | b'/' | b'.') {
            return None;
        }
        if first.len() == 4 {
            if sep == b'.' {
                return None;
            }
            let month = cur.digits(1, 2)?;
            if !cur.eat(sep) {
                return None;
            }
            let day = cur.digits(1, 2)?;
            return ymd(num(first)?, num(month)?, num(day)?);
        }
        if first.len() > 2 {
            return None;
        }
        let second = cur.digits(1, 2)?;
        if !cur.eat(sep) {
            return None;
        }
        let year = cur.digits(2, 4)?;
        let year = match year.len() {
            4 => num(year)?,
            2 => 2000 + num::<i32>(year)?,
            _ => return None,
        };
        let (day, month) = if sep == b'.' || self.order == DateOrder::DayFirst {
            (first, second)
        } else {
            (second, first)
        };
        ymd(year, num(month)?, num(day)?)
    }
}

/// `YYYY-MM-DDTHH:MM:SS[Z]` (also with a space), the form Leadplan itself writes, read
/// without the general parser. Anything else, including invalid dates, goes the long way.
fn iso_fast(b: &[u8]) -> Option<(NaiveDateTime, Option<i32>)> {
    /// Where the digits of `yyyy-mm-dd hh:mm:ss` are.
    const DIGITS: [usize; 14] = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];
    let zulu = match b.len() {
        19 => false,
        20 if b[19] == b'Z' => true,
        _ => return None,
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b' ')
        || b[13] != b':'
        || b[16] != b':'
        || DIGITS.iter().any(|&i| !b[i].is_ascii_digit())
    {
        return None;
    }
    let two = |i: usize| u32::from(b[i] - b'0') * 10 + u32::from(b[i + 1] - b'0');
    let year = i32::try_from(two(0) * 100 + two(2)).ok()?;
    let date = ymd(year, two(5), two(8))?;
    let time = NaiveTime::from_hms_opt(two(11), two(14), two(17))?;
    Some((date.and_time(time), zulu.then_some(0)))
}

fn time(cur: &mut Cursor<'_>) -> Option<NaiveTime> {
    let hour: u32 = num(cur.digits(1, 2)?)?;
    if !cur.eat(b':') {
        return None;
    }
    let minute: u32 = num(cur.digits(2, 2)?)?;
    let mut second = 0;
    let mut nanos = 0;
    if cur.eat(b':') {
        second = num(cur.digits(2, 2)?)?;
        if cur.eat(b'.') || cur.eat(b',') {
            let frac = cur.digits(1, 9)?;
            let scale = 10_u32.pow(9 - u32::try_from(frac.len()).ok()?);
            nanos = num::<u32>(frac)? * scale;
        }
    }
    let save = cur.pos;
    cur.eat_spaces();
    let hour = if cur.eat_word("am") {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour % 12
    } else if cur.eat_word("pm") {
        if !(1..=12).contains(&hour) {
            return None;
        }
        hour % 12 + 12
    } else {
        cur.pos = save;
        hour
    };
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// `Z`, `UTC`, `GMT`, `+01:00`, `+0100`, `+01`; `Some(None)` when there is no zone.
fn zone(cur: &mut Cursor<'_>) -> Option<Option<i32>> {
    if cur.eat(b'Z') || cur.eat(b'z') || cur.eat_word("utc") || cur.eat_word("gmt") {
        return Some(Some(0));
    }
    let sign = match cur.peek() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return Some(None),
    };
    cur.pos += 1;
    let hours: i32 = num(cur.digits(2, 2)?)?;
    cur.eat(b':');
    let minutes: i32 = if cur.peek().is_some_and(|b| b.is_ascii_digit()) {
        num(cur.digits(2, 2)?)?
    } else {
        0
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    Some(Some(sign * (hours * 60 + minutes)))
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn num<T: std::str::FromStr>(digits: &str) -> Option<T> {
    digits.parse().ok()
}

/// Excel's 1900 date system: serial 1 is 1900-01-01, 60 the non-existent 1900-02-29 (not
/// accepted), 61 is 1900-03-01. The fraction is the time of day, rounded to the millisecond.
#[must_use]
pub fn excel_serial_to_naive(serial: f64) -> Option<NaiveDateTime> {
    if !serial.is_finite()
        || !(1.0..2_958_466.0).contains(&serial)
        || (60.0..61.0).contains(&serial)
    {
        return None;
    }
    // range checked above, so the casts are exact
    #[allow(clippy::cast_possible_truncation)]
    let days = serial.trunc() as i64;
    #[allow(clippy::cast_possible_truncation)]
    let millis = ((serial - serial.trunc()) * 86_400_000.0).round() as i64;
    let epoch = if days < 60 {
        NaiveDate::from_ymd_opt(1899, 12, 31)?
    } else {
        NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    epoch
        .and_time(NaiveTime::MIN)
        .checked_add_signed(Duration::days(days))?
        .checked_add_signed(Duration::milliseconds(millis))
}

struct Cursor<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor { text, pos: 0 }
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.peek() == Some(b) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_spaces(&mut self) -> bool {
        let start = self.pos;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        self.pos > start
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let end = self.pos + word.len();
        if self
            .text
            .get(self.pos..end)
            .is_some_and(|w| w.eq_ignore_ascii_case(word))
        {
            self.pos = end;
            true
        } else {
            false
        }
    }

    /// Between `min` and `max` ASCII digits.
    fn digits(&mut self, min: usize, max: usize) -> Option<&'a str> {
        let start = self.pos;
        while self.pos - start < max && self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.pos += 1;
        }
        let n = self.pos - start;
        (n >= min).then(|| &self.text[start..self.pos])
    }

    fn at_end(&self) -> bool {
        self.pos >= self.text.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
    }

    #[rstest]
    #[case("2026-03-05", at(2026, 3, 5, 0, 0, 0), true)]
    #[case("2026-03-05T14:30", at(2026, 3, 5, 14, 30, 0), false)]
    #[case("2026-03-05 14:30:15", at(2026, 3, 5, 14, 30, 15), false)]
    #[case("2026-03-05T14:30:15Z", at(2026, 3, 5, 14, 30, 15), false)]
    #[case("2026-03-05T14:30:15.250Z", at(2026, 3, 5, 14, 30, 15) + Duration::milliseconds(250), false)]
    #[case("2026-03-05T14:30:15+01:00", at(2026, 3, 5, 13, 30, 15), false)]
    #[case("2026-03-05T14:30-0230", at(2026, 3, 5, 17, 0, 0), false)]
    #[case("05.03.2026", at(2026, 3, 5, 0, 0, 0), true)]
    #[case("5.3.2026 9:07", at(2026, 3, 5, 9, 7, 0), false)]
    #[case("05.03.2026 14:30:15", at(2026, 3, 5, 14, 30, 15), false)]
    #[case("05/03/2026", at(2026, 3, 5, 0, 0, 0), true)]
    #[case("05-03-2026 08:00", at(2026, 3, 5, 8, 0, 0), false)]
    #[case("05.03.26", at(2026, 3, 5, 0, 0, 0), true)]
    #[case("2026/03/05", at(2026, 3, 5, 0, 0, 0), true)]
    #[case("20260305", at(2026, 3, 5, 0, 0, 0), true)]
    #[case("20260305143015", at(2026, 3, 5, 14, 30, 15), false)]
    #[case("46086", at(2026, 3, 5, 0, 0, 0), true)] // Excel serial of 2026-03-05
    #[case("46086.5", at(2026, 3, 5, 12, 0, 0), false)]
    #[case("46086,75", at(2026, 3, 5, 18, 0, 0), false)]
    #[case("61", at(1900, 3, 1, 0, 0, 0), true)]
    #[case("1", at(1900, 1, 1, 0, 0, 0), true)]
    fn dates_in_every_accepted_form_are_read(
        #[case] text: &str,
        #[case] expected: DateTime<Utc>,
        #[case] date_only: bool,
    ) {
        let parsed = DateParser::default().parse(text).unwrap();
        assert_eq!(
            (parsed.utc, parsed.date_only),
            (expected, date_only),
            "{text}"
        );
    }

    #[rstest]
    #[case("")]
    #[case("2026-02-30")]
    #[case("31.13.2026")]
    #[case("2026-03-05T25:00")]
    #[case("yesterday")]
    #[case("2026-03-05 14:30 banana")]
    #[case("60")] // 1900-02-29 does not exist
    #[case("0")]
    #[case("99999999")]
    #[case("13:00 PM 2026")]
    #[case("05.03.2026 13:00 PM")]
    #[case("2026.03.05")]
    fn text_that_is_no_date_is_refused(#[case] text: &str) {
        assert_eq!(DateParser::default().parse(text), None, "{text}");
    }

    proptest::proptest! {
        #[test]
        fn the_iso_shortcut_agrees_with_the_general_parser(
            year in 1890_i32..2210, month in 0_u32..14, day in 0_u32..33,
            hour in 0_u32..26, minute in 0_u32..61, second in 0_u32..61,
            sep in proptest::sample::select(vec!['T', ' ', 'x']),
            zone in proptest::sample::select(vec!["", "Z", "+01:00"]),
        ) {
            let text = format!("{year:04}-{month:02}-{day:02}{sep}{hour:02}:{minute:02}:{second:02}{zone}");
            let parser = DateParser { order: DateOrder::DayFirst, local: LocalTime::Fixed { offset_minutes: 90 } };
            proptest::prop_assert_eq!(parser.parse(&text), parser.parse_general(&text), "{}", text);
        }
    }

    #[test]
    fn us_dates_with_am_pm_read_month_first() {
        let parser = DateParser {
            order: DateOrder::MonthFirst,
            local: LocalTime::Utc,
        };
        assert_eq!(
            parser.parse("3/5/2026 2:30 PM").unwrap().utc,
            at(2026, 3, 5, 14, 30, 0)
        );
        assert_eq!(
            parser.parse("3/5/2026 12:10 AM").unwrap().utc,
            at(2026, 3, 5, 0, 10, 0)
        );
    }

    #[test]
    fn the_date_order_follows_the_unambiguous_samples() {
        assert_eq!(
            DateOrder::detect(["03/05/2026", "25/05/2026"]),
            DateOrder::DayFirst
        );
        assert_eq!(
            DateOrder::detect(["12/25/2026 10:00", "1/2/2026"]),
            DateOrder::MonthFirst
        );
        assert_eq!(
            DateOrder::detect(["2026-12-25", "01/02/2026"]),
            DateOrder::DayFirst
        );
    }

    #[test]
    fn german_local_time_shifts_by_one_hour_in_winter_and_two_in_summer() {
        let cet = LocalTime::EuropeanUnion {
            standard_offset_minutes: 60,
        };
        let local = |s: &str| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap();
        assert_eq!(
            cet.to_utc(local("2026-01-15 10:00")),
            Some(at(2026, 1, 15, 9, 0, 0))
        );
        assert_eq!(
            cet.to_utc(local("2026-07-15 10:00")),
            Some(at(2026, 7, 15, 8, 0, 0))
        );
        // summer time 2026: 29 March 01:00 UTC to 25 October 01:00 UTC
        assert_eq!(
            cet.to_utc(local("2026-03-29 01:59")),
            Some(at(2026, 3, 29, 0, 59, 0))
        );
        assert_eq!(
            cet.to_utc(local("2026-03-29 03:00")),
            Some(at(2026, 3, 29, 1, 0, 0))
        );
        // the repeated hour on 25 October is read as its first (summer) occurrence
        assert_eq!(
            cet.to_utc(local("2026-10-25 02:30")),
            Some(at(2026, 10, 25, 0, 30, 0))
        );
        assert_eq!(
            cet.to_utc(local("2026-10-25 03:00")),
            Some(at(2026, 10, 25, 2, 0, 0))
        );
        let fixed = LocalTime::Fixed {
            offset_minutes: -300,
        };
        assert_eq!(
            fixed.to_utc(local("2026-07-15 10:00")),
            Some(at(2026, 7, 15, 15, 0, 0))
        );
    }

    #[test]
    fn a_zone_in_the_text_beats_the_local_time_policy() {
        let parser = DateParser {
            order: DateOrder::DayFirst,
            local: LocalTime::Fixed {
                offset_minutes: 120,
            },
        };
        assert_eq!(
            parser.parse("2026-07-15T10:00:00Z").unwrap().utc,
            at(2026, 7, 15, 10, 0, 0)
        );
        assert_eq!(
            parser.parse("2026-07-15 10:00").unwrap().utc,
            at(2026, 7, 15, 8, 0, 0)
        );
    }

    #[test]
    fn a_date_only_value_is_before_a_timestamp_only_on_an_earlier_day() {
        let p = DateParser::default();
        let day = p.parse("2026-03-05").unwrap();
        let later_same_day = p.parse("2026-03-05 16:00").unwrap();
        assert!(!day.is_before(&later_same_day));
        assert!(p.parse("2026-03-04").unwrap().is_before(&later_same_day));
        assert!(
            p.parse("2026-03-05 15:59")
                .unwrap()
                .is_before(&later_same_day)
        );
    }
}
