//! Money as integer cents. Stored amounts (cost per lead, budgets, spend, revenue) are
//! `Money`; computed plan figures stay `f64` currency units until they are displayed.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Mul, Neg, Sub, SubAssign};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// An amount of money in cents of the workbook's currency.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS,
)]
#[serde(transparent)]
pub struct Money(#[ts(type = "number")] pub i64);

impl Money {
    pub const ZERO: Money = Money(0);

    #[must_use]
    pub const fn from_cents(cents: i64) -> Self {
        Money(cents)
    }

    #[must_use]
    pub const fn cents(self) -> i64 {
        self.0
    }

    /// Whole currency units, e.g. `Money::from_units(25)` is 25.00.
    #[must_use]
    pub const fn from_units(units: i64) -> Self {
        Money(units * 100)
    }

    /// The amount in currency units as a float, for computations that stay unrounded.
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // cents up to 2^53 are exact
    pub fn as_units(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// Rounds a computed amount in currency units to the nearest cent (half away from zero).
    /// Returns `None` for NaN, infinities and amounts beyond ±9e15 units.
    #[must_use]
    #[allow(clippy::cast_possible_truncation)] // range checked before the cast
    pub fn from_units_f64(units: f64) -> Option<Self> {
        let cents = (units * 100.0).round();
        if cents.is_finite() && cents.abs() < 9.0e17 {
            Some(Money(cents as i64))
        } else {
            None
        }
    }
}

impl fmt::Display for Money {
    /// Plain, locale-free form used in logs and errors: `-1234.56`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Mul<i64> for Money {
    type Output = Money;
    fn mul(self, rhs: i64) -> Money {
        Money(self.0 * rhs)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, "0.00")]
    #[case(5, "0.05")]
    #[case(123_456, "1234.56")]
    #[case(-123_456, "-1234.56")]
    #[case(-5, "-0.05")]
    fn money_displays_as_units_with_two_decimals(#[case] cents: i64, #[case] text: &str) {
        assert_eq!(Money(cents).to_string(), text);
    }

    #[rstest]
    #[case(12.345, Some(1235))]
    #[case(-12.345, Some(-1235))]
    #[case(0.004, Some(0))]
    #[case(f64::NAN, None)]
    #[case(f64::INFINITY, None)]
    #[case(1e17, None)]
    fn money_rounds_computed_units_to_the_nearest_cent(
        #[case] units: f64,
        #[case] cents: Option<i64>,
    ) {
        assert_eq!(Money::from_units_f64(units).map(Money::cents), cents);
    }

    #[test]
    fn money_sums_and_subtracts_in_cents() {
        let total: Money = [Money(150), Money(250), Money(-100)].into_iter().sum();
        assert_eq!(total, Money(300));
        assert_eq!(Money::from_units(3) - Money(1), Money(299));
        assert!((Money(1999).as_units() - 19.99).abs() < 1e-12);
    }
}
