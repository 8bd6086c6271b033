//! Follow-up quality: how fast leads got a first contact attempt, the share contacted within
//! the SLA per source, and the leads written off without enough attempts.

use leadplan_core::Locale;
use leadplan_core::format;
use leadplan_core::i18n::{text, text_with};
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::conversion::{RateBar, RateChart, rate_chart};
use crate::frame::{self, Area, Datum, Hit, LegendEntry, Mark, Spec, Style};
use crate::plot::{self, Axes, Fit, Orientation};
use crate::theme::{okabe_ito, role};
use crate::values::{Scale, Unit, clean_label, count, finite, percent, ratio};
use crate::{ChartId, LostCount, LostWithoutAttempts, ResponseTimes, SlaBySource, Theme};

/// A duration as the largest whole unit: 45 min, 2 h, 1 d. (number, catalogue key)
fn duration_parts(minutes: u32) -> (u32, &'static str) {
    if minutes >= 1440 && minutes.is_multiple_of(1440) {
        (minutes / 1440, "chart.duration.days")
    } else if minutes >= 60 && minutes.is_multiple_of(60) {
        (minutes / 60, "chart.duration.hours")
    } else {
        (minutes, "chart.duration.minutes")
    }
}

fn whole(n: u32, locale: Locale) -> String {
    format::number(f64::from(n), 0, locale)
}

/// A duration in words of the locale: "45 min", "2 Std.".
pub(crate) fn duration(minutes: u32, locale: Locale) -> String {
    let (n, key) = duration_parts(minutes);
    text_with(locale, key, &[("n", &whole(n, locale))])
}

/// The label of a bucket of response times: "15–30 min", "30 min–1 h", "1 d or more".
fn bucket_label(from: u32, to: Option<u32>, locale: Locale) -> String {
    let Some(to) = to else {
        return text_with(
            locale,
            "chart.bucket.from",
            &[("duration", &duration(from, locale))],
        );
    };
    let (n_to, key_to) = duration_parts(to);
    let (n_from, key_from) = duration_parts(from);
    if from == 0 || key_from == key_to {
        let n_from = if from == 0 { 0 } else { n_from };
        let range = format!("{}–{}", whole(n_from, locale), whole(n_to, locale));
        text_with(locale, key_to, &[("n", &range)])
    } else {
        format!("{}–{}", duration(from, locale), duration(to, locale))
    }
}

/// A histogram of the time to the first contact attempt: buckets within the SLA in one
/// colour, later ones in another, leads never contacted in a third.
#[must_use]
pub fn response_times(data: &ResponseTimes, theme: &Theme) -> String {
    let locale = theme.locale;
    let sla = duration(data.sla_minutes, locale);
    let within_name = text_with(locale, "chart.response.within", &[("sla", &sla)]);
    let later_name = text(locale, "chart.response.later");
    let never_name = text(locale, "chart.response.never");
    // (label, leads, series, colour)
    let mut bars: Vec<(String, Option<f64>, &str, plotters::style::RGBColor)> = data
        .buckets
        .iter()
        .map(|b| {
            let within = b.to_minutes.is_some_and(|to| to <= data.sla_minutes);
            let (series, color) = if within {
                (within_name.as_str(), role::GOOD)
            } else {
                (later_name.as_str(), okabe_ito::ORANGE)
            };
            (
                bucket_label(b.from_minutes, b.to_minutes, locale),
                finite(b.leads),
                series,
                color,
            )
        })
        .collect();
    let never = finite(data.not_contacted).unwrap_or(0.0);
    if never != 0.0 {
        bars.push((
            never_name.clone(),
            Some(never),
            never_name.as_str(),
            role::BAD,
        ));
    }
    let total: f64 = bars.iter().filter_map(|b| b.1).sum();
    let within: f64 = bars
        .iter()
        .filter(|b| b.2 == within_name)
        .filter_map(|b| b.1)
        .sum();
    let summary = text_with(
        locale,
        "chart.response.summary",
        &[
            ("within", &count(within, locale)),
            ("total", &count(total, locale)),
            ("share", &ratio(within, total, locale)),
            ("sla", &sla),
            ("never", &count(never, locale)),
        ],
    );
    let spec = Spec {
        id: ChartId::ResponseTimes,
        title: text_with(locale, "chart.response.title", &[("sla", &sla)]),
        summary,
        legend: vec![
            LegendEntry::new(within_name.clone(), role::GOOD, Mark::Box),
            LegendEntry::new(later_name.clone(), okabe_ito::ORANGE, Mark::Box),
            LegendEntry::new(never_name.clone(), role::BAD, Mark::Box),
        ],
    };
    let has_data = bars.iter().any(|b| b.1.is_some_and(|v| v != 0.0));
    let labels: Vec<String> = bars.iter().map(|b| b.0.clone()).collect();
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let max = bars.iter().filter_map(|b| b.1).fold(0.0, f64::max);
        let axes = Axes {
            categories: &labels,
            fit: Fit::Truncate,
            orientation: Orientation::Vertical,
            category_desc: style.text("chart.axis.first_contact"),
            unit: Unit::Count,
            scale: Scale::new(0.0, max, &Unit::Count),
            value_desc: style.text("chart.axis.leads"),
        };
        let mut plot = plot::category_plot(area, style, &axes)?;
        for (i, (label, value, series, color)) in bars.iter().enumerate() {
            let Some(value) = *value else { continue };
            let (x0, x1) = plot::slot(i, 0, 1);
            let rect = plot.bar((x0 - 0.06, x1 + 0.06), (0.0, value), *color)?;
            let shown = text_with(
                locale,
                "chart.response.value",
                &[
                    ("count", &count(value, locale)),
                    ("share", &ratio(value, total, locale)),
                ],
            );
            hits.push(plot.hit(rect, 0.0, Datum::new(series, label, shown, value)));
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}

/// Share of each source's leads with a first contact attempt within the SLA, against the
/// target share; sources under the target are flagged.
#[must_use]
pub fn contacted_within_sla(data: &SlaBySource, theme: &Theme) -> String {
    let locale = theme.locale;
    let target = finite(data.target).unwrap_or(0.0);
    let target_text = percent(target, locale);
    let sla = duration(data.sla_minutes, locale);
    let chart = RateChart {
        id: ChartId::ContactedWithinSla,
        title: text_with(
            locale,
            "chart.sla.title",
            &[("sla", &sla), ("target", &target_text)],
        ),
        level: target,
        level_label: text_with(locale, "chart.sla.target", &[("target", &target_text)]),
        meets_label: text(locale, "chart.sla.meets"),
        below_label: text(locale, "chart.sla.below"),
        pending_label: None,
        pending_note: None,
        y_desc: text_with(locale, "chart.axis.within_sla", &[("sla", &sla)]),
        bars: data
            .sources
            .iter()
            .map(|s| RateBar {
                name: clean_label(&s.source),
                value: finite(s.share),
                pending: false,
            })
            .collect(),
        summary_key: "chart.sla.summary",
    };
    rate_chart(&chart, theme)
}

/// The leads each source and each owner closed as lost, and how many of those had fewer
/// attempts than the SLA asks: two panels, by source beside by owner.
#[must_use]
pub fn lost_without_attempts(data: &LostWithoutAttempts, theme: &Theme) -> String {
    let locale = theme.locale;
    let min = data.min_attempts.to_string();
    let lost_name = text(locale, "chart.lost.all");
    let few_name = text_with(locale, "chart.lost.too_few", &[("min", &min)]);
    let clean = |rows: &[LostCount]| -> Vec<(String, [Option<f64>; 2])> {
        rows.iter()
            .map(|r| {
                (
                    clean_label(&r.name),
                    [finite(r.lost), finite(r.too_few_attempts)],
                )
            })
            .collect()
    };
    let panels = [clean(&data.by_source), clean(&data.by_owner)];
    let lost: f64 = panels[0].iter().filter_map(|r| r.1[0]).sum();
    let few: f64 = panels[0].iter().filter_map(|r| r.1[1]).sum();
    let mut summary = text_with(
        locale,
        "chart.lost.summary",
        &[
            ("few", &count(few, locale)),
            ("lost", &count(lost, locale)),
            ("share", &ratio(few, lost, locale)),
            ("min", &min),
        ],
    );
    let most = |rows: &[(String, [Option<f64>; 2])]| {
        rows.iter()
            .filter_map(|(name, v)| v[1].map(|few| (name.clone(), few)))
            .filter(|(_, few)| *few > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1))
    };
    if let (Some(source), Some(owner)) = (most(&panels[0]), most(&panels[1])) {
        summary.push(' ');
        summary.push_str(&text_with(
            locale,
            "chart.lost.most",
            &[
                ("source", &source.0),
                ("source_count", &count(source.1, locale)),
                ("owner", &owner.0),
                ("owner_count", &count(owner.1, locale)),
            ],
        ));
    }
    let colors = theme.colors();
    let spec = Spec {
        id: ChartId::LostWithoutAttempts,
        title: text_with(locale, "chart.lost.title", &[("min", &min)]),
        summary,
        legend: vec![
            LegendEntry::new(lost_name.clone(), colors.muted, Mark::Box),
            LegendEntry::new(few_name.clone(), role::BAD, Mark::Box),
        ],
    };
    let has_data = panels
        .iter()
        .flatten()
        .flat_map(|r| r.1)
        .flatten()
        .any(|v| v != 0.0);
    let draw = has_data.then_some(|area: &Area<'_>, style: &Style, hits: &mut Vec<Hit>| {
        let titles = [
            style.text("chart.lost.by_source"),
            style.text("chart.lost.by_owner"),
        ];
        let areas = plot::small_multiples(area, style, &titles, Some(2))?;
        let series = [lost_name.as_str(), few_name.as_str()];
        let colors = [style.colors.muted, role::BAD];
        let value_style = style
            .font(style.tick_px(), style.colors.text)
            .pos(Pos::new(HPos::Left, VPos::Center));
        for ((panel, rows), title) in areas.iter().zip(&panels).zip(&titles) {
            let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
            let max = rows.iter().flat_map(|r| r.1).flatten().fold(0.0, f64::max);
            let axes = Axes {
                categories: &names,
                fit: Fit::Truncate,
                orientation: Orientation::Horizontal,
                category_desc: String::new(),
                unit: Unit::Count,
                // room right of the longest bar for its label
                scale: Scale::new(0.0, max * 1.15, &Unit::Count),
                value_desc: style.text("chart.axis.leads"),
            };
            let mut plot = plot::category_plot(panel, style, &axes)?;
            for (i, (name, values)) in rows.iter().enumerate() {
                for (k, value) in values.iter().enumerate() {
                    let Some(value) = *value else { continue };
                    let extent = plot::slot(i, k, 2);
                    let rect = plot.bar(extent, (0.0, value), colors[k])?;
                    let datum =
                        Datum::new(series[k], name, count(value, locale), value).in_group(title);
                    hits.push(plot.hit(rect, 0.0, datum));
                    let at = plot.px(f64::midpoint(extent.0, extent.1), value.max(0.0));
                    plot::draw_text(panel, &count(value, locale), (at.0 + 4, at.1), &value_style)?;
                }
            }
        }
        Ok(())
    });
    frame::render(theme, &spec, draw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(0, Some(15), Locale::En, "0–15 min")]
    #[case(15, Some(30), Locale::En, "15–30 min")]
    #[case(30, Some(60), Locale::En, "30 min–1 h")]
    #[case(60, Some(240), Locale::En, "1–4 h")]
    #[case(1440, None, Locale::En, "1 d or more")]
    #[case(60, Some(240), Locale::De, "1–4 Std.")]
    fn buckets_are_named_in_the_largest_whole_unit(
        #[case] from: u32,
        #[case] to: Option<u32>,
        #[case] locale: Locale,
        #[case] expected: &str,
    ) {
        assert_eq!(bucket_label(from, to, locale), expected);
    }
}
