//! The differences between two computed versions of a plan, source by source.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::plan::result::PlanResult;

/// Which of the two versions a source appears in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    /// Only in the first version; its figures in the second count as 0.
    OnlyA,
    /// Only in the second version; its figures in the first count as 0.
    OnlyB,
}

/// Leads and spend in both versions; each change is `b − a`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize, TS)]
pub struct Delta {
    pub leads_a: f64,
    pub leads_b: f64,
    pub leads_change: f64,
    pub spend_a: f64,
    pub spend_b: f64,
    pub spend_change: f64,
}

impl Delta {
    fn new(leads_a: f64, leads_b: f64, spend_a: f64, spend_b: f64) -> Self {
        Delta {
            leads_a,
            leads_b,
            leads_change: leads_b - leads_a,
            spend_a,
            spend_b,
            spend_change: spend_b - spend_a,
        }
    }

    fn add(&mut self, other: &Delta) {
        *self = Delta::new(
            self.leads_a + other.leads_a,
            self.leads_b + other.leads_b,
            self.spend_a + other.spend_a,
            self.spend_b + other.spend_b,
        );
    }
}

/// One source in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthSourceDelta {
    pub month: u32,
    #[ts(type = "number")]
    pub source_id: i64,
    pub presence: Presence,
    #[serde(flatten)]
    #[ts(flatten)]
    pub delta: Delta,
}

/// One source over the year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceDelta {
    #[ts(type = "number")]
    pub source_id: i64,
    pub presence: Presence,
    #[serde(flatten)]
    #[ts(flatten)]
    pub delta: Delta,
}

/// How version `b` differs from version `a`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanComparison {
    /// Month by month; within a month the sources of `a` in their order, then those only
    /// in `b`.
    pub month_sources: Vec<MonthSourceDelta>,
    /// The same sources, over the year.
    pub sources: Vec<SourceDelta>,
    pub year: Delta,
}

/// Compares two computed versions per month and source (leads and spend), matching
/// sources by id.
#[must_use]
pub fn compare(a: &PlanResult, b: &PlanResult) -> PlanComparison {
    let mut sources: Vec<(i64, Presence, Option<usize>, Option<usize>)> = a
        .source_ids
        .iter()
        .enumerate()
        .map(|(sa, &id)| {
            let sb = b.source_position(id);
            let presence = if sb.is_some() {
                Presence::Both
            } else {
                Presence::OnlyA
            };
            (id, presence, Some(sa), sb)
        })
        .collect();
    for (sb, &id) in b.source_ids.iter().enumerate() {
        if a.source_position(id).is_none() {
            sources.push((id, Presence::OnlyB, None, Some(sb)));
        }
    }

    let figures = |plan: &PlanResult, m: usize, s: Option<usize>| {
        s.and_then(|s| plan.month_source(m, s))
            .map_or((0.0, 0.0), |f| (f.leads, f.spend))
    };
    let mut month_sources = Vec::with_capacity(12 * sources.len());
    let mut totals: Vec<SourceDelta> = sources
        .iter()
        .map(|&(source_id, presence, _, _)| SourceDelta {
            source_id,
            presence,
            delta: Delta::default(),
        })
        .collect();
    let mut year = Delta::default();
    for m in 0..12_u32 {
        for (&(source_id, presence, sa, sb), total) in sources.iter().zip(&mut totals) {
            let (leads_a, spend_a) = figures(a, m as usize, sa);
            let (leads_b, spend_b) = figures(b, m as usize, sb);
            let delta = Delta::new(leads_a, leads_b, spend_a, spend_b);
            total.delta.add(&delta);
            year.add(&delta);
            month_sources.push(MonthSourceDelta {
                month: m,
                source_id,
                presence,
                delta,
            });
        }
    }
    PlanComparison {
        month_sources,
        sources: totals,
        year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Money;
    use crate::plan::compute;
    use crate::plan::fixtures::{
        MARKETPLACE, WEBSITE, assert_close, direct_source, mix_every_month, small_plan,
    };

    const PHONE: i64 = 13;

    /// Version a: the small plan, 15 sales a month. Website 45 leads (1400.00), Marketplace
    /// 60 leads (2400.00) a month.
    /// Version b: the Marketplace is dropped for a Phone line (cost per lead 10, conversion
    /// 0.25) and the mix is 50/50: Website `15 × 0.5 / 0.2 = 37.5` leads,
    /// `37.5 × 20 + 500 = 1250.00`; Phone `15 × 0.5 / 0.25 = 30` leads, 300.00.
    fn versions() -> (PlanResult, PlanResult) {
        let a = small_plan();
        let mut b = small_plan();
        b.sources[1] = direct_source(PHONE, "Phone", Money::from_units(10), Money::ZERO, 0.25);
        b.mix = mix_every_month(&[(WEBSITE, 0.5), (PHONE, 0.5)]);
        (compute(&a, 0.13).unwrap(), compute(&b, 0.13).unwrap())
    }

    #[test]
    fn versions_are_compared_source_by_source_matching_ids() {
        let (a, b) = versions();
        let diff = compare(&a, &b);
        assert_eq!(diff.month_sources.len(), 36);
        let ids: Vec<(i64, Presence)> = diff
            .sources
            .iter()
            .map(|s| (s.source_id, s.presence))
            .collect();
        assert_eq!(
            ids,
            [
                (WEBSITE, Presence::Both),
                (MARKETPLACE, Presence::OnlyA),
                (PHONE, Presence::OnlyB)
            ]
        );
        for m in 0..12 {
            let row = |s: usize| &diff.month_sources[m * 3 + s];
            assert_eq!(row(0).month, u32::try_from(m).unwrap());
            let web = &row(0).delta;
            assert_close(web.leads_a, 45.0);
            assert_close(web.leads_b, 37.5);
            assert_close(web.leads_change, -7.5);
            assert_close(web.spend_change, -150.0);
            let market = &row(1).delta;
            assert_close(market.leads_b, 0.0);
            assert_close(market.leads_change, -60.0);
            assert_close(market.spend_change, -2400.0);
            let phone = &row(2).delta;
            assert_close(phone.leads_a, 0.0);
            assert_close(phone.leads_change, 30.0);
            assert_close(phone.spend_b, 300.0);
        }
        assert_close(diff.sources[0].delta.leads_change, -90.0);
        assert_close(diff.sources[2].delta.spend_change, 3600.0);
        // a: 105 leads and 3800.00 a month; b: 67.5 leads and 1550.00
        assert_close(diff.year.leads_a, 1260.0);
        assert_close(diff.year.leads_b, 810.0);
        assert_close(diff.year.leads_change, -450.0);
        assert_close(diff.year.spend_a, 45_600.0);
        assert_close(diff.year.spend_change, -27_000.0);
    }

    #[test]
    fn a_version_compared_with_itself_has_no_changes() {
        let (a, _) = versions();
        let diff = compare(&a, &a);
        assert!(
            diff.month_sources
                .iter()
                .all(|r| r.presence == Presence::Both
                    && r.delta.leads_change == 0.0
                    && r.delta.spend_change == 0.0)
        );
    }
}
