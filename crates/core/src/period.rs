//! Plan years and their twelve months. A plan year starts at the workbook's first month of
//! the fiscal year; month index 0 is that month. With the default (January) index 0 is
//! January of the plan year.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Twelve values, one per month of a plan year, index 0 = first month of the fiscal year.
pub type Months<T> = [T; 12];

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
pub struct YearMonth {
    pub year: i32,
    /// 1 = January … 12 = December.
    pub month: u32,
}

impl YearMonth {
    #[must_use]
    pub fn of(date: NaiveDate) -> Self {
        YearMonth {
            year: date.year(),
            month: date.month(),
        }
    }

    /// The first day of this month, or `None` for a month outside 1..=12 or chrono's range.
    #[must_use]
    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// The month `n` months later (or earlier for negative `n`).
    #[must_use]
    pub fn plus_months(self, n: i32) -> Self {
        // month is 1..=12, so the cast cannot overflow
        #[allow(clippy::cast_possible_wrap)]
        let zero_based = self.year * 12 + (self.month as i32 - 1) + n;
        #[allow(clippy::cast_sign_loss)] // rem_euclid(12) is 0..=11
        let month = zero_based.rem_euclid(12) as u32 + 1;
        YearMonth {
            year: zero_based.div_euclid(12),
            month,
        }
    }

    /// The last day of this month.
    #[must_use]
    pub fn last_day(self) -> Option<NaiveDate> {
        self.plus_months(1).first_day().and_then(|d| d.pred_opt())
    }
}

/// A plan year: the calendar year it is named after and the month it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct PlanYear {
    pub year: i32,
    /// First month of the fiscal year, 1..=12.
    pub start_month: u32,
}

impl PlanYear {
    #[must_use]
    pub fn new(year: i32, start_month: u32) -> Self {
        PlanYear {
            year,
            start_month: start_month.clamp(1, 12),
        }
    }

    /// The calendar month of plan month `index` (0..12).
    #[must_use]
    pub fn month(self, index: usize) -> YearMonth {
        // index < 12 in every caller; larger values simply run on into the next year
        #[allow(clippy::cast_possible_truncation, clippy::cast_possible_wrap)]
        let n = index as i32;
        YearMonth {
            year: self.year,
            month: self.start_month,
        }
        .plus_months(n)
    }

    /// All twelve calendar months of the plan year, in order.
    #[must_use]
    pub fn months(self) -> Months<YearMonth> {
        std::array::from_fn(|i| self.month(i))
    }

    /// The plan month index (0..12) that `date` falls in, if it is inside this plan year.
    #[must_use]
    pub fn index_of(self, date: NaiveDate) -> Option<usize> {
        self.index_of_month(YearMonth::of(date))
    }

    /// The plan month index (0..12) of a calendar month, if it is inside this plan year.
    #[must_use]
    pub fn index_of_month(self, ym: YearMonth) -> Option<usize> {
        #[allow(clippy::cast_possible_wrap)] // months are 1..=12
        let diff = (ym.year - self.year) * 12 + (ym.month as i32 - self.start_month as i32);
        usize::try_from(diff).ok().filter(|&i| i < 12)
    }

    /// First and last day of the plan year.
    #[must_use]
    pub fn date_range(self) -> Option<(NaiveDate, NaiveDate)> {
        Some((self.month(0).first_day()?, self.month(11).last_day()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn ym(year: i32, month: u32) -> YearMonth {
        YearMonth { year, month }
    }

    #[rstest]
    #[case(ym(2026, 1), 1, ym(2026, 2))]
    #[case(ym(2026, 12), 1, ym(2027, 1))]
    #[case(ym(2026, 1), -1, ym(2025, 12))]
    #[case(ym(2026, 3), 24, ym(2028, 3))]
    #[case(ym(2026, 3), -15, ym(2024, 12))]
    fn months_are_added_across_year_ends(
        #[case] from: YearMonth,
        #[case] n: i32,
        #[case] to: YearMonth,
    ) {
        assert_eq!(from.plus_months(n), to);
    }

    #[test]
    fn a_calendar_plan_year_runs_january_to_december() {
        let y = PlanYear::new(2026, 1);
        assert_eq!(y.month(0), ym(2026, 1));
        assert_eq!(y.month(11), ym(2026, 12));
        assert_eq!(
            y.index_of(NaiveDate::from_ymd_opt(2026, 7, 31).unwrap()),
            Some(6)
        );
        assert_eq!(
            y.index_of(NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            None
        );
    }

    #[test]
    fn a_fiscal_year_starting_in_april_ends_in_march_of_the_next_year() {
        let y = PlanYear::new(2026, 4);
        assert_eq!(y.month(0), ym(2026, 4));
        assert_eq!(y.month(8), ym(2026, 12));
        assert_eq!(y.month(9), ym(2027, 1));
        assert_eq!(y.month(11), ym(2027, 3));
        assert_eq!(
            y.index_of(NaiveDate::from_ymd_opt(2027, 3, 15).unwrap()),
            Some(11)
        );
        assert_eq!(
            y.index_of(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap()),
            None
        );
        let (first, last) = y.date_range().unwrap();
        assert_eq!(first, NaiveDate::from_ymd_opt(2026, 4, 1).unwrap());
        assert_eq!(last, NaiveDate::from_ymd_opt(2027, 3, 31).unwrap());
    }

    #[test]
    fn the_last_day_of_february_knows_leap_years() {
        assert_eq!(ym(2028, 2).last_day(), NaiveDate::from_ymd_opt(2028, 2, 29));
        assert_eq!(ym(2026, 2).last_day(), NaiveDate::from_ymd_opt(2026, 2, 28));
    }
}
