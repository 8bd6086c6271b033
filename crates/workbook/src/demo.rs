//! Realistic demo data for a fictional dealer group, generated deterministically from a
//! seed: two years of plans, leads with real-world follow-up behaviour, spend, meetings,
//! definitions and feedback. The same lead simulation writes CRM-style CSV exports of any
//! size for benchmarks.

use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use leadplan_core::{
    Attendee, Launch, Lead, Locale, Money, Months, PlanStatus, PlanYear, Settings, Side,
    SourceAssumptions, SourceKind, Spend, Stage,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson};
use rusqlite::{Connection, params};

use crate::catalogue::{NewProductLine, NewSource, insert_product_line, insert_source};
use crate::collaboration::{
    NewActionItem, NewFeedback, NewMeeting, insert_action, insert_feedback, insert_meeting,
    insert_term,
};
use crate::error::{Result, WorkbookError};
use crate::plans::{
    NewPlanVersion, PlanOrigin, insert_launch, insert_version, set_annual_target, set_budget,
    set_mix, set_month_value,
};
use crate::store::Workbook;

/// The seed `leadplan new --demo` and the app's first start use.
pub const DEFAULT_SEED: u64 = 2026;

/// How a source's leads behave in reality (not what the plan assumes).
pub(crate) struct SourceProfile {
    pub(crate) name: &'static str,
    kind: SourceKind,
    cost_per_lead_cents: i64,
    fixed_monthly_cents: i64,
    /// planned funnel: contact, appointment, close
    planned: (f64, f64, f64),
    /// share of the plan's sales expected from this source
    mix: f64,
    /// actual leads ÷ planned leads
    delivery: f64,
    /// median minutes to the first attempt
    response_median_min: f64,
    /// chance a lead is never called at all
    never_contacted: f64,
    /// chance a called lead is actually reached
    reach: f64,
    /// chance a reached lead makes an appointment
    appointment: f64,
    /// chance an appointment ends in a sale
    close: f64,
    /// actual budget ÷ planned spend
    budget_factor: f64,
}

pub(crate) const SOURCES: [SourceProfile; 8] = [
    SourceProfile {
        name: "Website",
        kind: SourceKind::Owned,
        cost_per_lead_cents: 1800,
        fixed_monthly_cents: 0,
        planned: (0.95, 0.40, 0.35),
        mix: 0.24,
        delivery: 0.93,
        response_median_min: 38.0,
        never_contacted: 0.05,
        reach: 0.74,
        appointment: 0.42,
        close: 0.36,
        budget_factor: 1.10,
    },
    SourceProfile {
        name: "Importer",
        kind: SourceKind::Partner,
        cost_per_lead_cents: 0,
        fixed_monthly_cents: 0,
        planned: (0.90, 0.35, 0.35),
        mix: 0.10,
        delivery: 1.05,
        response_median_min: 95.0,
        never_contacted: 0.09,
        reach: 0.62,
        appointment: 0.36,
        close: 0.33,
        budget_factor: 1.0,
    },
    SourceProfile {
        name: "Marktplaats",
        kind: SourceKind::Marketplace,
        cost_per_lead_cents: 900,
        fixed_monthly_cents: 45_000,
        planned: (0.90, 0.30, 0.30),
        mix: 0.13,
        delivery: 1.18,
        response_median_min: 140.0,
        never_contacted: 0.12,
        reach: 0.52,
        appointment: 0.27,
        close: 0.29,
        budget_factor: 0.85,
    },
    SourceProfile {
        name: "AutoTrack",
        kind: SourceKind::Marketplace,
        cost_per_lead_cents: 1200,
        fixed_monthly_cents: 35_000,
        planned: (0.92, 0.33, 0.32),
        mix: 0.09,
        delivery: 1.02,
        response_median_min: 110.0,
        never_contacted: 0.08,
        reach: 0.58,
        appointment: 0.31,
        close: 0.31,
        budget_factor: 1.05,
    },
    SourceProfile {
        name: "mobile.de",
        kind: SourceKind::Marketplace,
        cost_per_lead_cents: 1400,
        fixed_monthly_cents: 30_000,
        planned: (0.92, 0.32, 0.30),
        mix: 0.07,
        delivery: 0.88,
        response_median_min: 120.0,
        never_contacted: 0.10,
        reach: 0.55,
        appointment: 0.30,
        close: 0.30,
        budget_factor: 1.05,
    },
    SourceProfile {
        name: "AutoScout24",
        kind: SourceKind::Marketplace,
        cost_per_lead_cents: 1500,
        fixed_monthly_cents: 30_000,
        planned: (0.92, 0.32, 0.31),
        mix: 0.07,
        delivery: 0.97,
        response_median_min: 125.0,
        never_contacted: 0.09,
        reach: 0.56,
        appointment: 0.30,
        close: 0.30,
        budget_factor: 1.05,
    },
    SourceProfile {
        name: "Phone",
        kind: SourceKind::Offline,
        cost_per_lead_cents: 500,
        fixed_monthly_cents: 0,
        planned: (1.00, 0.55, 0.40),
        mix: 0.12,
        delivery: 1.0,
        response_median_min: 2.0,
        never_contacted: 0.0,
        reach: 0.97,
        appointment: 0.52,
        close: 0.40,
        budget_factor: 1.10,
    },
    SourceProfile {
        name: "Walk-in",
        kind: SourceKind::Offline,
        cost_per_lead_cents: 0,
        fixed_monthly_cents: 0,
        planned: (1.00, 0.80, 0.45),
        mix: 0.18,
        delivery: 0.96,
        response_median_min: 0.0,
        never_contacted: 0.0,
        reach: 1.0,
        appointment: 0.78,
        close: 0.46,
        budget_factor: 1.0,
    },
];

struct LineProfile {
    name: &'static str,
    segment: &'static str,
    revenue_cents: i64,
    margin_cents: i64,
    annual_units: f64,
}

const PRODUCT_LINES: [LineProfile; 5] = [
    LineProfile {
        name: "Aster City",
        segment: "Compact",
        revenue_cents: 2_190_000,
        margin_cents: 175_000,
        annual_units: 300.0,
    },
    LineProfile {
        name: "Aster Family",
        segment: "SUV",
        revenue_cents: 3_450_000,
        margin_cents: 310_000,
        annual_units: 240.0,
    },
    LineProfile {
        name: "Aster e-Cross",
        segment: "Electric",
        revenue_cents: 4_190_000,
        margin_cents: 360_000,
        annual_units: 170.0,
    },
    LineProfile {
        name: "Aster Tourer",
        segment: "Estate",
        revenue_cents: 3_890_000,
        margin_cents: 335_000,
        annual_units: 90.0,
    },
    LineProfile {
        name: "Aster Van",
        segment: "Light commercial",
        revenue_cents: 3_150_000,
        margin_cents: 280_000,
        annual_units: 70.0,
    },
];

/// Registrations peak in March and September; August and the winter are quiet.
const SEASONALITY: Months<f64> = [
    0.80, 0.85, 1.30, 1.05, 1.00, 1.05, 0.90, 0.75, 1.20, 1.05, 1.00, 1.05,
];

const OWNERS: [&str; 7] = [
    "Sanne de Vries",
    "Daan Bakker",
    "Lotte Jansen",
    "Bram Visser",
    "Eva Smit",
    "Tim Mulder",
    "Noor Meijer",
];
/// How thoroughly each owner follows up: 1.0 = as the SLA asks, lower = gives up sooner.
const OWNER_DILIGENCE: [f64; 7] = [1.0, 0.9, 1.0, 0.55, 0.95, 0.8, 1.0];

const LOST_REASONS: [&str; 6] = [
    "Bought elsewhere",
    "Price",
    "No response",
    "Not interested",
    "Financing refused",
    "Trade-in value",
];

/// Stock limits: (product line, plan month, units). The e-Cross launch outruns deliveries.
const STOCK_LIMITS: [(usize, usize, f64); 3] = [(2, 3, 14.0), (2, 4, 16.0), (2, 5, 18.0)];

fn planned_conversion(s: &SourceProfile) -> f64 {
    s.planned.0 * s.planned.1 * s.planned.2
}

/// The launches of a demo year: e-Cross facelift in April, new Van in September.
fn launches() -> [Launch; 2] {
    [
        Launch {
            id: 0,
            product_line_id: 2,
            month: 3,
            uplift: 0.25,
            duration_months: 3,
            prelaunch_months: 1,
            extra_budget: Money::from_units(6_000),
        },
        Launch {
            id: 0,
            product_line_id: 4,
            month: 8,
            uplift: 0.40,
            duration_months: 4,
            prelaunch_months: 2,
            extra_budget: Money::from_units(8_000),
        },
    ]
}

/// Sales target per plan month and product line (annual × seasonality, launches applied),
/// the basis for generating leads. `year_factor` grows the targets year on year.
fn monthly_sales(year_factor: f64) -> Vec<Months<f64>> {
    let mean = SEASONALITY.iter().sum::<f64>() / 12.0;
    PRODUCT_LINES
        .iter()
        .enumerate()
        .map(|(p, line)| {
            std::array::from_fn(|m| {
                let mut t = line.annual_units * year_factor * SEASONALITY[m] / mean / 12.0;
                for l in launches() {
                    let start = l.month as usize;
                    if l.product_line_id as usize == p
                        && m >= start
                        && m < start + l.duration_months as usize
                    {
                        t *= 1.0 + l.uplift;
                    }
                }
                let cap = STOCK_LIMITS
                    .iter()
                    .find(|(lp, lm, _)| *lp == p && *lm == m)
                    .map(|x| x.2);
                cap.map_or(t, |c| t.min(c))
            })
        })
        .collect()
}

/// Leads the plan expects per source and plan month: Σp sales × mix ÷ conversion.
fn planned_leads(year_factor: f64) -> Vec<Months<f64>> {
    let sales = monthly_sales(year_factor);
    SOURCES
        .iter()
        .map(|s| {
            std::array::from_fn(|m| {
                sales.iter().map(|p| p[m]).sum::<f64>() * s.mix / planned_conversion(s)
            })
        })
        .collect()
}

fn at(date: NaiveDate, minutes_into_day: i64) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
        + Duration::minutes(minutes_into_day)
}

/// A simulated lead, with names instead of ids so it can be written to a CSV export too.
struct SimLead {
    source: usize,
    product_line: usize,
    owner: usize,
    created_at: DateTime<Utc>,
    first_attempt_at: Option<DateTime<Utc>>,
    first_two_way_at: Option<DateTime<Utc>>,
    attempts: u32,
    stage: Stage,
    lost_reason: Option<&'static str>,
    appointment_at: Option<DateTime<Utc>>,
    won_at: Option<DateTime<Utc>>,
    value_cents: Option<i64>,
}

/// Follows one lead from its creation to what has happened to it by `now`.
fn simulate(
    rng: &mut ChaCha8Rng,
    source: usize,
    product_line: usize,
    created_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> SimLead {
    let s = &SOURCES[source];
    let owner = rng.random_range(0..OWNERS.len());
    let diligence = OWNER_DILIGENCE[owner];
    let mut lead = SimLead {
        source,
        product_line,
        owner,
        created_at,
        first_attempt_at: None,
        first_two_way_at: None,
        attempts: 0,
        stage: Stage::New,
        lost_reason: None,
        appointment_at: None,
        won_at: None,
        value_cents: None,
    };
    let walk_in = s.response_median_min <= 0.0;
    // When the lead's fate is sealed as lost, if it is.
    let mut lost_at: Option<DateTime<Utc>> = None;
    if !walk_in && rng.random_bool(s.never_contacted.min(1.0) * (2.0 - diligence)) {
        // never called; written off after two to six weeks
        lost_at = Some(created_at + Duration::days(rng.random_range(14..42)));
        lead.lost_reason = Some(LOST_REASONS[rng.random_range(2..4)]);
    } else {
        let minutes = if walk_in {
            0.0
        } else {
            LogNormal::new(s.response_median_min.ln(), 1.1)
                .map_or(s.response_median_min, |d| d.sample(rng))
        };
        // a response time of minutes to days, in whole minutes
        #[allow(clippy::cast_possible_truncation)]
        let first = created_at + Duration::minutes(minutes.min(20_000.0) as i64);
        lead.first_attempt_at = Some(first);
        let reached = rng.random_bool(s.reach);
        if reached {
            let tries = 1 + Poisson::new(0.8)
                .map_or(0.0, |p: Poisson<f64>| p.sample(rng))
                .min(5.0) as u32;
            lead.attempts = if walk_in { 1 } else { tries };
            let two_way = first + Duration::hours(i64::from(tries - 1) * rng.random_range(4..30));
            lead.first_two_way_at = Some(two_way);
            if rng.random_bool(s.appointment) {
                let appointment = if walk_in {
                    created_at
                } else {
                    two_way + Duration::days(rng.random_range(1..10))
                };
                lead.appointment_at = Some(appointment);
                if rng.random_bool(s.close) {
                    lead.won_at = Some(appointment + Duration::days(rng.random_range(2..40)));
                    let spread = rng.random_range(0.88..1.12);
                    #[allow(clippy::cast_possible_truncation, clippy::cast_precision_loss)]
                    let value = (PRODUCT_LINES[product_line].revenue_cents as f64 * spread) as i64;
                    lead.value_cents = Some(value / 100 * 100);
                } else {
                    lost_at = Some(appointment + Duration::days(rng.random_range(5..45)));
                    lead.lost_reason = Some(LOST_REASONS[rng.random_range(0..LOST_REASONS.len())]);
                }
            } else {
                lost_at = Some(two_way + Duration::days(rng.random_range(1..20)));
                lead.lost_reason = Some(LOST_REASONS[rng.random_range(0..LOST_REASONS.len())]);
            }
        } else {
            // not reached: diligent owners try at least the SLA's four times, others give up
            let max = if rng.random_bool(diligence) { 7 } else { 3 };
            let min = if max == 7 { 4 } else { 1 };
            lead.attempts = rng.random_range(min..=max);
            lost_at =
                Some(first + Duration::days(i64::from(lead.attempts) * rng.random_range(1..4)));
            lead.lost_reason = Some("No response");
        }
    }
    settle(&mut lead, lost_at, now);
    lead
}

/// Keeps only what has happened by `now` and derives the stage from it.
fn settle(lead: &mut SimLead, lost_at: Option<DateTime<Utc>>, now: DateTime<Utc>) {
    let happened = |t: Option<DateTime<Utc>>| t.filter(|t| *t <= now);
    if lead.first_attempt_at.is_some_and(|t| t > now) {
        lead.attempts = 0;
    }
    lead.first_attempt_at = happened(lead.first_attempt_at);
    lead.first_two_way_at = happened(lead.first_two_way_at);
    lead.appointment_at = happened(lead.appointment_at);
    lead.won_at = happened(lead.won_at);
    if lead.won_at.is_none() {
        lead.value_cents = None;
    }
    lead.stage = if lead.won_at.is_some() {
        Stage::Won
    } else if lost_at.is_some_and(|t| t <= now) {
        Stage::Lost
    } else {
        lead.lost_reason = None;
        match lead.appointment_at {
            Some(a) if a + Duration::days(3) <= now => Stage::Offer,
            Some(_) => Stage::Appointment,
            None if lead.first_attempt_at.is_some() => Stage::Contacted,
            None => Stage::New,
        }
    };
}

/// A creation time within `day`: showroom and office hours, a few in the evening.
fn creation_time(rng: &mut ChaCha8Rng, day: NaiveDate) -> DateTime<Utc> {
    let minute = if rng.random_bool(0.85) {
        rng.random_range(8 * 60..18 * 60)
    } else {
        rng.random_range(18 * 60..23 * 60)
    };
    at(day, minute)
}

fn random_day(rng: &mut ChaCha8Rng, first: NaiveDate, last: NaiveDate) -> NaiveDate {
    let days = (last - first).num_days().max(0);
    first + Duration::days(rng.random_range(0..=days))
}

/// Samples an index with probability proportional to its weight.
fn weighted(rng: &mut ChaCha8Rng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut x = rng.random_range(0.0..total.max(f64::MIN_POSITIVE));
    for (i, w) in weights.iter().enumerate() {
        if x < *w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

fn to_lead(sim: &SimLead, id: String, source_ids: &[i64], line_ids: &[i64]) -> Lead {
    Lead {
        external_id: id,
        created_at: sim.created_at,
        source_id: Some(source_ids[sim.source]),
        product_line_id: Some(line_ids[sim.product_line]),
        first_attempt_at: sim.first_attempt_at,
        first_two_way_at: sim.first_two_way_at,
        attempts: sim.attempts,
        stage: sim.stage,
        lost_reason: sim.lost_reason.map(str::to_owned),
        appointment_at: sim.appointment_at,
        won_at: sim.won_at,
        value: sim.value_cents.map(Money),
        owner: Some(OWNERS[sim.owner].to_owned()),
    }
}

/// The demo organisation's settings.
#[must_use]
pub fn demo_settings() -> Settings {
    Settings {
        organisation: "Van Dijk Auto Group".into(),
        locale: Locale::En,
        ..Settings::default()
    }
}

/// Creates a demo workbook at `path` whose actuals run up to `now`.
///
/// # Errors
/// `AlreadyExists`, storage errors.
pub fn create_demo(path: &Path, now: DateTime<Utc>, seed: u64) -> Result<Workbook> {
    let mut wb = Workbook::create_with(path, &demo_settings(), |tx| fill(tx, now, seed))?;
    agenda_of_last_meeting(&mut wb)?;
    Ok(wb)
}

/// The demo meeting's agenda, as the data proposed it on the day, with notes and a decision.
fn agenda_of_last_meeting(wb: &mut Workbook) -> Result<()> {
    let Some(meeting) = wb.meetings()?.into_iter().next() else {
        return Ok(());
    };
    let Some(version) = meeting.plan_version_id else {
        return Ok(());
    };
    let proposals = wb.propose_agenda(
        version,
        meeting.period_from,
        meeting.period_to,
        Some(meeting.id),
        meeting.held_on,
    )?;
    wb.write(|tx| crate::meetings::insert_items(tx, meeting.id, &proposals))?;
    let agenda = wb.agenda(meeting.id)?;
    if let Some(first) = agenda.first() {
        wb.update_agenda_item(
            first.id,
            &first.title,
            "Sales: many of these leads ask for a price only. Marketing: the form asks too little.",
            "Add a purchase-timing question to the web form.",
        )?;
    }
    Ok(())
}

fn fill(tx: &Connection, now: DateTime<Utc>, seed: u64) -> Result<()> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut source_ids = Vec::new();
    for s in &SOURCES {
        source_ids.push(insert_source(
            tx,
            &NewSource {
                name: s.name.into(),
                kind: s.kind,
                defaults: SourceAssumptions {
                    cost_per_lead: Money(s.cost_per_lead_cents),
                    fixed_monthly_cost: Money(s.fixed_monthly_cents),
                    contact_rate: s.planned.0,
                    appointment_rate: s.planned.1,
                    close_rate: s.planned.2,
                    direct_conversion: None,
                },
            },
        )?);
    }
    let mut line_ids = Vec::new();
    for p in &PRODUCT_LINES {
        line_ids.push(insert_product_line(
            tx,
            &NewProductLine {
                name: p.name.into(),
                segment: p.segment.into(),
                avg_revenue: Money(p.revenue_cents),
                avg_margin: Money(p.margin_cents),
            },
        )?);
    }
    let this_year = now.year();
    for (year, factor) in [(this_year - 1, 0.93), (this_year, 1.0)] {
        let version = plan_year(tx, year, factor, &source_ids, &line_ids, now)?;
        actuals(tx, &mut rng, year, factor, &source_ids, &line_ids, now)?;
        if year == this_year {
            reforecast(tx, version, year, &source_ids, now)?;
        }
    }
    collaboration(tx, &mut rng, &source_ids, now)?;
    monthly_report_template(tx)?;
    crate::rollups::rebuild(tx, &demo_settings().sla, None)
}

/// The export template a management team uses every month.
fn monthly_report_template(tx: &Connection) -> Result<()> {
    use leadplan_core::report_options::{ReportOptions, ReportPeriod, ReportSection};
    let options = ReportOptions {
        sections: ReportSection::ALL
            .into_iter()
            .filter(|s| *s != ReportSection::MonthlyDetail)
            .collect(),
        period: ReportPeriod::YearToDate,
        ..ReportOptions::default()
    };
    crate::report_templates::save(tx, "Monthly management report", &options).map(|_| ())
}

/// The agreed plan of one year; returns the version id.
fn plan_year(
    tx: &Connection,
    year: i32,
    factor: f64,
    source_ids: &[i64],
    line_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<i64> {
    let created = at(
        NaiveDate::from_ymd_opt(year - 1, 11, 15).unwrap_or_default(),
        10 * 60,
    )
    .min(now);
    let version = insert_version(
        tx,
        &NewPlanVersion {
            year,
            name: format!("Baseline {year}"),
            created_by: "Marketing".into(),
            origin: PlanOrigin::Empty,
        },
        created,
    )?;
    tx.execute(
        "UPDATE plan_version SET status = ?2, baseline = 1, seasonality = ?3 WHERE id = ?1",
        params![
            version,
            PlanStatus::Agreed.code(),
            serde_json::to_string(&SEASONALITY).unwrap_or_default()
        ],
    )?;
    for (p, line) in PRODUCT_LINES.iter().enumerate() {
        set_annual_target(
            tx,
            version,
            line_ids[p],
            (line.annual_units * factor).round(),
        )?;
        // generous stock everywhere, tight for the e-Cross around its launch
        let sales = monthly_sales(factor);
        for m in 0..12u32 {
            let limit = STOCK_LIMITS
                .iter()
                .find(|(lp, lm, _)| *lp == p && *lm == m as usize)
                .map(|x| x.2);
            let units = limit.unwrap_or_else(|| (sales[p][m as usize] * 1.4).ceil());
            set_month_value(tx, "stock", version, line_ids[p], m, Some(units))?;
        }
    }
    for mut launch in launches() {
        launch.product_line_id =
            line_ids[usize::try_from(launch.product_line_id).unwrap_or_default()];
        insert_launch(tx, version, &launch)?;
    }
    let leads = planned_leads(factor);
    for (s, profile) in SOURCES.iter().enumerate() {
        for m in 0..12u32 {
            set_mix(tx, version, m, source_ids[s], None, profile.mix)?;
            #[allow(clippy::cast_precision_loss)]
            let spend = leads[s][m as usize] * profile.cost_per_lead_cents as f64
                + profile.fixed_monthly_cents as f64;
            // budgets are set in round hundreds, up for the generous ones
            let hundreds = spend * profile.budget_factor / 10_000.0;
            let hundreds = if profile.budget_factor >= 1.0 {
                hundreds.ceil()
            } else {
                hundreds.round()
            };
            #[allow(clippy::cast_possible_truncation)]
            let budget = (hundreds * 10_000.0) as i64;
            set_budget(tx, version, source_ids[s], m, Money(budget))?;
        }
    }
    Ok(version)
}

/// Leads and spend of one year up to `now`.
fn actuals(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    year: i32,
    factor: f64,
    source_ids: &[i64],
    line_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    let plan_year = PlanYear::new(year, 1);
    let leads = planned_leads(factor);
    let sales = monthly_sales(factor);
    let mut batch = Vec::new();
    let mut n = 0u32;
    for m in 0..12 {
        let ym = plan_year.month(m);
        let (Some(first), Some(last)) = (ym.first_day(), ym.last_day()) else {
            continue;
        };
        if at(first, 0) > now {
            break;
        }
        let line_weights: Vec<f64> = sales.iter().map(|p| p[m]).collect();
        for (s, profile) in SOURCES.iter().enumerate() {
            let expected = leads[s][m] * profile.delivery * rng.random_range(0.9..1.1);
            let count =
                Poisson::new(expected.max(0.1)).map_or(0.0, |p: Poisson<f64>| p.sample(rng));
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            for _ in 0..count as u32 {
                let day = random_day(rng, first, last);
                let created = creation_time(rng, day);
                if created > now {
                    continue;
                }
                let line = weighted(rng, &line_weights);
                let sim = simulate(rng, s, line, created, now);
                n += 1;
                batch.push(to_lead(
                    &sim,
                    format!("LD-{year}-{n:05}"),
                    source_ids,
                    line_ids,
                ));
            }
            // spend for complete months, and the current month so far
            let month_end = at(last, 24 * 60);
            let share = if month_end <= now {
                1.0
            } else {
                #[allow(clippy::cast_precision_loss)]
                let elapsed = (now - at(first, 0)).num_minutes() as f64
                    / (month_end - at(first, 0)).num_minutes() as f64;
                elapsed
            };
            #[allow(clippy::cast_precision_loss)]
            let planned = leads[s][m] * profile.cost_per_lead_cents as f64
                + profile.fixed_monthly_cents as f64;
            #[allow(clippy::cast_possible_truncation)]
            let amount =
                (planned * profile.delivery * rng.random_range(0.95..1.08) * share).round() as i64;
            if amount > 0 {
                crate::leads::set_spend(
                    tx,
                    &Spend {
                        source_id: source_ids[s],
                        year,
                        month: ym.month,
                        amount: Money(amount),
                    },
                )?;
            }
        }
    }
    crate::leads::insert_new(tx, &batch, None)
}

/// A draft re-forecast of the current year: more web leads, fewer from one marketplace.
fn reforecast(
    tx: &Connection,
    baseline: i64,
    year: i32,
    source_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    let created = at(
        NaiveDate::from_ymd_opt(year, 6, 12).unwrap_or_default(),
        15 * 60,
    )
    .min(now);
    let version = insert_version(
        tx,
        &NewPlanVersion {
            year,
            name: format!("Re-forecast June {year}"),
            created_by: "Marketing".into(),
            origin: PlanOrigin::CopyOf {
                version_id: baseline,
            },
        },
        created,
    )?;
    for m in 6..12u32 {
        set_mix(tx, version, m, source_ids[0], None, SOURCES[0].mix + 0.03)?;
        set_mix(tx, version, m, source_ids[2], None, SOURCES[2].mix - 0.03)?;
    }
    Ok(())
}

fn collaboration(
    tx: &Connection,
    rng: &mut ChaCha8Rng,
    source_ids: &[i64],
    now: DateTime<Utc>,
) -> Result<()> {
    for (term, definition, agreed) in [
        (
            "Lead",
            "A person who asked us about a specific vehicle or service and left a way to reach them.",
            (true, true),
        ),
        (
            "Qualified lead",
            "A lead we reached in a two-way contact who has a concrete purchase intention within six months.",
            (true, false),
        ),
        (
            "Appointment",
            "A test drive or sales conversation with a date and time, in the showroom or at the customer's.",
            (true, true),
        ),
        (
            "Sale",
            "A signed purchase contract; counted in the month it was signed.",
            (true, true),
        ),
        (
            "Lost",
            "A lead closed without a sale after at least four contact attempts, with a reason.",
            (false, true),
        ),
        (
            "Two-way contact",
            "A conversation in which the customer answered: a call picked up, a reply to a message. A voicemail is not a contact.",
            (false, false),
        ),
    ] {
        let id = insert_term(tx, term, definition)?;
        let when = crate::sql::ts(now - Duration::days(40));
        if agreed.0 {
            tx.execute("UPDATE glossary_term SET marketing_agreed_by = 'Femke Willems', marketing_agreed_at = ?2 WHERE id = ?1", params![id, when])?;
        }
        if agreed.1 {
            tx.execute("UPDATE glossary_term SET sales_agreed_by = 'Rob Hendriks', sales_agreed_at = ?2 WHERE id = ?1", params![id, when])?;
        }
    }
    let today = now.date_naive();
    let held_on = today - Duration::days(35);
    let meeting = insert_meeting(
        tx,
        &NewMeeting {
            held_on,
            title: "Monthly lead review".into(),
            // the current year's baseline, created first among this year's versions
            plan_version_id: tx
                .query_row(
                    "SELECT id FROM plan_version WHERE year = ?1 AND baseline = 1",
                    [held_on.year()],
                    |r| r.get(0),
                )
                .ok(),
            period_from: 0,
            period_to: held_on.month0().saturating_sub(1),
            attendees: vec![
                Attendee {
                    name: "Femke Willems".into(),
                    side: Side::Marketing,
                },
                Attendee {
                    name: "Joris Peters".into(),
                    side: Side::Marketing,
                },
                Attendee {
                    name: "Rob Hendriks".into(),
                    side: Side::Sales,
                },
                Attendee {
                    name: "Sanne de Vries".into(),
                    side: Side::Sales,
                },
            ],
            notes: "Marketplace leads are up, but half of them are not called back within a day."
                .into(),
        },
    )?;
    for (text, side, owner, due_days, done) in [
        (
            "Call back every Marktplaats lead within two hours",
            Side::Sales,
            "Rob Hendriks",
            -20,
            false,
        ),
        (
            "Cap the Marktplaats budget at the agreed amount",
            Side::Marketing,
            "Femke Willems",
            -14,
            true,
        ),
        (
            "Agree the definition of a two-way contact",
            Side::Sales,
            "Sanne de Vries",
            10,
            false,
        ),
        (
            "Prepare the e-Cross autumn campaign",
            Side::Marketing,
            "Joris Peters",
            25,
            false,
        ),
    ] {
        let id = insert_action(
            tx,
            &NewActionItem {
                meeting_id: Some(meeting),
                text: text.into(),
                owner_side: side,
                owner: owner.into(),
                due_on: Some(today + Duration::days(due_days)),
            },
            now - Duration::days(35),
        )?;
        if done {
            tx.execute(
                "UPDATE action_item SET status = 'done', closed_at = ?2 WHERE id = ?1",
                params![id, crate::sql::ts(now - Duration::days(16))],
            )?;
        }
    }
    let reasons = [
        "No purchase intention",
        "Wrong phone number",
        "Duplicate of an earlier lead",
        "Wants a price only",
        "Good fit",
    ];
    for back in 1..=3 {
        let ym = leadplan_core::YearMonth::of(today).plus_months(-back);
        for (s, source) in source_ids.iter().enumerate() {
            if s == 7 {
                continue; // walk-ins need no rating
            }
            let rating: u8 = match s {
                2 => rng.random_range(1..=2),
                3..=5 => rng.random_range(2..=4),
                _ => rng.random_range(3..=5),
            };
            let reason = if rating <= 2 {
                reasons[rng.random_range(0..4)]
            } else {
                reasons[4]
            };
            insert_feedback(
                tx,
                &NewFeedback {
                    source_id: *source,
                    year: ym.year,
                    month: ym.month,
                    rating,
                    reasons: vec![reason.into()],
                    given_by: "Rob Hendriks".into(),
                },
                now - Duration::days(30 * i64::from(back)),
            )?;
        }
    }
    Ok(())
}

/// The header of Leadplan's own CSV format, which the demo export writes.
pub const CSV_HEADER: [&str; 13] = [
    "external_id",
    "created_at",
    "source",
    "product_line",
    "first_attempt_at",
    "first_two_way_at",
    "attempts",
    "stage",
    "lost_reason",
    "appointment_at",
    "won_at",
    "value",
    "owner",
];

/// Writes `count` simulated leads created in `year` as a CRM-style CSV export, leads spread
/// over the months by seasonality and over sources by the plan's mix. Every lead is
/// followed up to 90 days after the year's end.
///
/// # Errors
/// `Io` when writing fails.
pub fn write_demo_csv<W: Write>(out: W, count: u64, seed: u64, year: i32) -> Result<()> {
    let io = |e: csv::Error| WorkbookError::Io {
        path: "CSV export".into(),
        source: e.into(),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut w = csv::WriterBuilder::new().from_writer(out);
    w.write_record(CSV_HEADER).map_err(io)?;
    let plan_year = PlanYear::new(year, 1);
    let Some((_, year_end)) = plan_year.date_range() else {
        return Ok(());
    };
    let now = at(year_end, 24 * 60) + Duration::days(90);
    let leads = planned_leads(1.0);
    let sales = monthly_sales(1.0);
    let month_weights: Vec<f64> = (0..12).map(|m| leads.iter().map(|s| s[m]).sum()).collect();
    let time = |t: Option<DateTime<Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
            .unwrap_or_default()
    };
    for n in 1..=count {
        let m = weighted(&mut rng, &month_weights);
        let ym = plan_year.month(m);
        let (Some(first), Some(last)) = (ym.first_day(), ym.last_day()) else {
            continue;
        };
        let source_weights: Vec<f64> = leads.iter().map(|s| s[m]).collect();
        let s = weighted(&mut rng, &source_weights);
        let line_weights: Vec<f64> = sales.iter().map(|p| p[m]).collect();
        let line = weighted(&mut rng, &line_weights);
        let day = random_day(&mut rng, first, last);
        let created = creation_time(&mut rng, day);
        let sim = simulate(&mut rng, s, line, created, now);
        w.write_record([
            format!("CRM-{year}-{n:07}").as_str(),
            &time(Some(sim.created_at)),
            SOURCES[s].name,
            PRODUCT_LINES[line].name,
            &time(sim.first_attempt_at),
            &time(sim.first_two_way_at),
            &sim.attempts.to_string(),
            sim.stage.code(),
            sim.lost_reason.unwrap_or(""),
            &time(sim.appointment_at),
            &time(sim.won_at),
            &sim.value_cents
                .map(|c| Money(c).to_string())
                .unwrap_or_default(),
            OWNERS[sim.owner],
        ])
        .map_err(io)?;
    }
    w.flush().map_err(|source| WorkbookError::Io {
        path: "CSV export".into(),
        source,
    })?;
    Ok(())
}
