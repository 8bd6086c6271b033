//! Seasonality: twelve monthly indices with a mean of 1.0, so that `annual × s[m] / 12`
//! spreads an annual figure over the months without changing its total.

use crate::period::Months;

/// Scales twelve indices as entered to a mean of exactly 1.0 (a sum of 12).
///
/// Returns `None` when an index is negative, NaN or infinite, or when every index is 0:
/// such indices describe no pattern.
#[must_use]
pub fn normalise_seasonality(indices: &Months<f64>) -> Option<Months<f64>> {
    if indices.iter().any(|x| !x.is_finite() || *x < 0.0) {
        return None;
    }
    let sum: f64 = indices.iter().sum();
    if !(sum.is_finite() && sum > 0.0) {
        return None;
    }
    Some(indices.map(|x| x * 12.0 / sum))
}

/// Derives seasonality from a previous year's monthly counts (leads or won sales), given
/// in plan-month order (index 0 = first month of the fiscal year): each month's share of
/// the year, times 12. A month without any count gets the index 0.
///
/// Returns `None` when every month is 0: there is no pattern to derive.
#[must_use]
#[allow(clippy::cast_precision_loss)] // counts above 2^53 lose digits no index could show
pub fn seasonality_from_history(counts: &Months<u64>) -> Option<Months<f64>> {
    normalise_seasonality(&counts.map(|c| c as f64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn close(a: &Months<f64>, b: &Months<f64>) -> bool {
        a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-12)
    }

    #[rstest]
    // flat indices of any size mean "no season": all 1.0
    #[case([5.0; 12], [1.0; 12])]
    // sum 24 → every index halves: 2 → 1, 0.5 → 0.25 …
    #[case(
        [2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 3.0, 1.0],
        [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.5, 0.5]
    )]
    // sum 6 → every index doubles; the zero months stay 0
    #[case(
        [1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0],
        [2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0, 2.0, 0.0]
    )]
    fn seasonality_is_normalised_to_a_mean_of_one(
        #[case] entered: Months<f64>,
        #[case] expected: Months<f64>,
    ) {
        let normalised = normalise_seasonality(&entered).unwrap();
        assert!(close(&normalised, &expected), "{normalised:?}");
    }

    #[rstest]
    #[case([0.0; 12])]
    #[case([1.0, -1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])]
    #[case([1.0, f64::NAN, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])]
    #[case([1.0, f64::INFINITY, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])]
    #[case([f64::MAX; 12])]
    fn seasonality_without_a_pattern_is_refused(#[case] entered: Months<f64>) {
        assert_eq!(normalise_seasonality(&entered), None);
    }

    #[test]
    fn seasonality_is_derived_from_last_years_counts() {
        // 1 200 leads in the year, mean 100 a month: each month's index is count / 100
        let counts = [80, 90, 120, 110, 100, 100, 70, 60, 110, 130, 120, 110];
        let expected = [0.8, 0.9, 1.2, 1.1, 1.0, 1.0, 0.7, 0.6, 1.1, 1.3, 1.2, 1.1];
        let derived = seasonality_from_history(&counts).unwrap();
        assert!(close(&derived, &expected), "{derived:?}");
        let mean = derived.iter().sum::<f64>() / 12.0;
        assert!((mean - 1.0).abs() < 1e-12);
    }

    #[test]
    fn seasonality_cannot_be_derived_from_an_empty_year() {
        assert_eq!(seasonality_from_history(&[0; 12]), None);
    }

    #[test]
    fn a_single_sale_puts_the_whole_year_in_its_month() {
        let mut counts = [0; 12];
        counts[3] = 1;
        let derived = seasonality_from_history(&counts).unwrap();
        let mut expected = [0.0; 12];
        expected[3] = 12.0;
        assert!(close(&derived, &expected));
    }
}
