//! What a number on a chart means (a count, an amount of money, a rate) and how it is written
//! in the theme's locale, plus the cleaning every input number goes through.

use leadplan_core::Locale;
use leadplan_core::format;

/// The unit of a value axis and of the values drawn against it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Unit {
    /// Leads, sales or units: whole numbers on the axis.
    Count,
    /// Amounts in units (not cents) of the currency with this ISO code.
    Money(String),
    /// Fractions shown as percentages.
    Percent,
}

impl Unit {
    /// The value as hovering shows it: counts with a decimal only when they have one, money
    /// to the cent, rates to a tenth of a percent.
    pub fn exact(&self, value: f64, locale: Locale) -> String {
        match self {
            Unit::Count => count(value, locale),
            Unit::Money(code) => format::money(value, code, 2, locale),
            Unit::Percent => percent(value, locale),
        }
    }

    /// The value as a short label on a bar or a line: rates to whole percent, money to whole
    /// units.
    pub fn short(&self, value: f64, locale: Locale) -> String {
        match self {
            Unit::Count => count(value, locale),
            Unit::Money(code) => format::money(value, code, 0, locale),
            Unit::Percent => format::percent(value, 0, locale),
        }
    }

    /// A tick label of an axis whose ticks are `step` apart.
    pub fn tick(&self, value: f64, step: f64, locale: Locale) -> String {
        match self {
            Unit::Count => format::number(value, decimals_for(step), locale),
            Unit::Money(code) => format::money(value, code, decimals_for(step), locale),
            Unit::Percent => format::percent(value, decimals_for(step * 100.0), locale),
        }
    }

    /// The smallest tick step that makes sense: no fractions of a lead, no tenths of a cent.
    fn min_step(&self) -> f64 {
        match self {
            Unit::Count => 1.0,
            Unit::Money(_) => 0.01,
            Unit::Percent => 0.001,
        }
    }
}

/// Decimals needed to tell ticks `step` apart (steps are 1, 2 or 5 times a power of ten).
fn decimals_for(step: f64) -> usize {
    if step >= 1.0 || step <= 0.0 || !step.is_finite() {
        0
    } else {
        // step < 1 here, so the logarithm is negative and small
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let decimals = (-step.log10()).ceil() as usize;
        decimals.min(6)
    }
}

/// A count: whole numbers without decimals, others with one.
pub(crate) fn count(value: f64, locale: Locale) -> String {
    let decimals = usize::from((value - value.round()).abs() >= 0.05);
    format::number(value, decimals, locale)
}

/// A rate as a percentage, with a decimal only when it has one: 13 %, 12.5 %.
pub(crate) fn percent(fraction: f64, locale: Locale) -> String {
    let tenths = fraction * 1000.0;
    let decimals = usize::from((tenths - (fraction * 100.0).round() * 10.0).abs() >= 0.5);
    format::percent(fraction, decimals, locale)
}

/// A share of a whole as a whole percentage, or "–" when the whole is zero.
pub(crate) fn ratio(part: f64, whole: f64, locale: Locale) -> String {
    if whole.abs() > f64::EPSILON && part.is_finite() && whole.is_finite() {
        format::percent(part / whole, 0, locale)
    } else {
        "–".to_owned()
    }
}

/// The symbol the locale writes for a currency (`€`, `US$`, `CHF`), taken from the one money
/// formatter so axis titles and amounts never disagree.
pub(crate) fn currency_symbol(code: &str, locale: Locale) -> String {
    format::money(0.0, code, 0, locale)
        .chars()
        .filter(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .collect()
}

/// A finite number, or nothing: NaN and infinities are treated as missing.
pub(crate) fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// A name typed by a user, made safe to put into SVG text: control characters (which XML
/// cannot hold) become spaces, surrounding space is trimmed.
pub(crate) fn clean_label(name: &str) -> String {
    name.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

/// A value axis from zero to a round number at or above every value, with ticks 1, 2 or 5
/// times a power of ten apart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    /// Number of ticks, both ends included.
    pub ticks: usize,
    /// The values the scale was made for, and the smallest step their unit allows.
    lo: f64,
    span: f64,
    min_step: f64,
}

impl Scale {
    /// A scale for values from `min` (at most 0) to `max` in about six steps; non-finite
    /// bounds count as zero, and an empty range gets a default span for the unit.
    pub fn new(min: f64, max: f64, unit: &Unit) -> Scale {
        let max = finite(max).unwrap_or(0.0).max(0.0);
        let lo = finite(min).unwrap_or(0.0).min(0.0);
        let span = if max - lo > 0.0 {
            max - lo
        } else {
            default_span(unit)
        };
        Scale::build(lo, max, span, unit.min_step(), 6.0)
    }

    fn build(lo: f64, hi: f64, span: f64, min_step: f64, intervals: f64) -> Scale {
        let step = nice_step(span / intervals).max(min_step);
        let top = (hi / step).ceil() * step;
        let bottom = (lo / step).floor() * step;
        let top = if top - bottom < step {
            bottom + step
        } else {
            top
        };
        // span / step is at most about 12 by construction
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let ticks = ((top - bottom) / step).round() as usize + 1;
        Scale {
            min: bottom,
            max: top,
            step,
            ticks,
            lo,
            span,
            min_step,
        }
    }

    /// The same values with at most `intervals` steps, for axes too short for more labels.
    pub fn at_most(self, intervals: usize) -> Scale {
        let intervals = intervals.max(1);
        if self.ticks <= intervals + 1 {
            return self;
        }
        let hi = self.lo + self.span;
        #[allow(clippy::cast_precision_loss)] // a handful of intervals
        let mut scale = Scale::build(self.lo, hi, self.span, self.min_step, intervals as f64);
        // rounding the top up can add a step; widen once more if it did
        if scale.ticks > intervals + 1 {
            scale = Scale::build(self.lo, hi, self.span, scale.step * 1.01, 1.0);
        }
        scale
    }
}

fn default_span(unit: &Unit) -> f64 {
    match unit {
        Unit::Count => 5.0,
        Unit::Money(_) => 10.0,
        Unit::Percent => 0.2,
    }
}

/// The smallest of 1, 2, 5 times a power of ten that is at least `raw`.
fn nice_step(raw: f64) -> f64 {
    if !(raw.is_finite() && raw > 0.0) {
        return 1.0;
    }
    let magnitude = 10f64.powf(raw.log10().floor());
    let normal = raw / magnitude;
    let factor = if normal <= 1.0 + 1e-9 {
        1.0
    } else if normal <= 2.0 + 1e-9 {
        2.0
    } else if normal <= 5.0 + 1e-9 {
        5.0
    } else {
        10.0
    };
    factor * magnitude
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    // 1240 / 6 = 207 → step 500, top 1500, ticks 0, 500, 1000, 1500
    #[case(1240.0, Unit::Count, 500.0, 1500.0, 4)]
    // 0.16 / 6 = 0.027 → step 0.05, top 0.2
    #[case(0.16, Unit::Percent, 0.05, 0.2, 5)]
    // all zero: a step of 5 / 6 leads rounds to 1, and the axis is one step tall
    #[case(0.0, Unit::Count, 1.0, 1.0, 2)]
    // 2 leads: 2 / 6 = 0.33 would be a fraction of a lead, so the step is 1
    #[case(2.0, Unit::Count, 1.0, 2.0, 3)]
    // NaN counts as zero: the money default span 10 / 6 = 1.7 → step 2, one step tall
    #[case(f64::NAN, Unit::Money("EUR".into()), 2.0, 2.0, 2)]
    fn scales_end_on_a_round_number(
        #[case] max: f64,
        #[case] unit: Unit,
        #[case] step: f64,
        #[case] top: f64,
        #[case] ticks: usize,
    ) {
        let scale = Scale::new(0.0, max, &unit);
        assert!((scale.step - step).abs() < 1e-12, "{scale:?}");
        assert!((scale.max - top).abs() < 1e-12, "{scale:?}");
        assert_eq!(scale.ticks, ticks, "{scale:?}");
    }

    #[test]
    fn values_are_written_in_the_locale() {
        assert_eq!(Unit::Count.exact(1105.0, Locale::De), "1.105");
        assert_eq!(Unit::Count.exact(12.25, Locale::En), "12.3");
        assert_eq!(Unit::Percent.exact(0.134, Locale::De), "13,4\u{a0}%");
        assert_eq!(Unit::Percent.exact(0.13, Locale::De), "13\u{a0}%");
        assert_eq!(percent(0.125, Locale::En), "12.5%");
        assert_eq!(Unit::Percent.short(0.13, Locale::De), "13\u{a0}%");
        assert_eq!(
            Unit::Money("EUR".into()).short(1234.0, Locale::De),
            "1.234\u{a0}€"
        );
        assert_eq!(Unit::Percent.tick(0.025, 0.005, Locale::En), "2.5%");
        assert_eq!(currency_symbol("EUR", Locale::Nl), "€");
        assert_eq!(currency_symbol("CHF", Locale::En), "CHF");
        assert_eq!(ratio(1105.0, 1240.0, Locale::En), "89%");
        assert_eq!(ratio(3.0, 0.0, Locale::En), "–");
    }

    #[test]
    fn control_characters_never_reach_the_svg() {
        assert_eq!(clean_label(" Web\u{0}site\n"), "Web site");
    }

    #[test]
    fn a_short_axis_gets_fewer_ticks() {
        // 0..100 leads in steps of 20 (6 ticks); at most 3 intervals: 100 / 3 = 33 → step 50
        let scale = Scale::new(0.0, 96.0, &Unit::Count);
        assert_eq!((scale.step, scale.ticks), (20.0, 6));
        let short = scale.at_most(3);
        assert_eq!((short.step, short.max, short.ticks), (50.0, 100.0, 3));
        assert_eq!(scale.at_most(10), scale);
    }

    proptest! {
        #[test]
        fn every_value_fits_under_the_top_of_its_scale(max in 0.0f64..1e12, intervals in 1usize..8) {
            let scale = Scale::new(0.0, max, &Unit::Money("EUR".into()));
            prop_assert!(scale.max >= max);
            prop_assert!(scale.ticks >= 2 && scale.ticks <= 12, "{:?}", scale);
            let short = scale.at_most(intervals);
            prop_assert!(short.max >= max);
            prop_assert!(short.ticks <= intervals + 1, "{:?}", short);
        }
    }
}
