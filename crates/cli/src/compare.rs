//! `leadplan compare`: plan versus actual for a year, as text or JSON.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::NaiveDate;
use leadplan_core::actuals::{Filter, KpiStatus, PlanVsActual};
use leadplan_core::{Locale, Money, format};
use leadplan_workbook::Workbook;

use crate::err;
use crate::plan::find_version;

/// The arguments of `leadplan compare`.
#[derive(clap::Args)]
pub struct CompareArgs {
    workbook: PathBuf,
    #[command(flatten)]
    which: crate::WhichVersion,
    /// Compare as of this day (YYYY-MM-DD); default today.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// Only these sources (by name; repeat for several).
    #[arg(long = "source")]
    sources: Vec<String>,
    /// Only these product lines (by name; repeat for several).
    #[arg(long = "product-line")]
    product_lines: Vec<String>,
    /// First month of the plan year (1 = its first month).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=12))]
    from: u32,
    /// Last month of the plan year (12 = its last month).
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=12))]
    to: u32,
    /// Print every figure as JSON (format: docs/compare-format.md).
    #[arg(long)]
    json: bool,
}

pub fn run(args: CompareArgs, today: NaiveDate) -> Result<(), String> {
    let wb = Workbook::open(&args.workbook).map_err(err)?;
    let version = find_version(&wb, &args.which)?;
    let sources = wb.sources().map_err(err)?;
    let lines = wb.product_lines().map_err(err)?;
    let mut filter = Filter {
        first_month: args.from - 1,
        last_month: args.to - 1,
        ..Filter::default()
    };
    for name in &args.sources {
        let s = sources
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| format!("--source: no source named {name:?}"))?;
        filter.sources.push(s.id);
    }
    for name in &args.product_lines {
        let p = lines
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| format!("--product-line: no product line named {name:?}"))?;
        filter.product_lines.push(p.id);
    }
    let result = wb
        .compare(version.id, &filter, args.today.unwrap_or(today))
        .map_err(err)?;
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&result).map_err(|e| e.to_string())?
        );
    } else {
        let settings = wb.settings().map_err(err)?;
        put!(
            "{}",
            text(&result, &version.name, settings.locale, &settings.currency)
        );
    }
    Ok(())
}

fn status(s: Option<KpiStatus>) -> &'static str {
    match s {
        Some(KpiStatus::Ok) => "ok",
        Some(KpiStatus::Warn) => "warning",
        Some(KpiStatus::Bad) => "bad",
        None => "–",
    }
}

fn text(r: &PlanVsActual, version: &str, locale: Locale, currency: &str) -> String {
    let n = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format::number(x, 0, locale));
    #[allow(clippy::cast_precision_loss)] // counts of leads are far below 2^53
    let c = |x: Option<u64>| n(x.map(|x| x as f64));
    let p = |x: Option<f64>| x.map_or_else(|| "–".to_owned(), |x| format::percent(x, 1, locale));
    let m = |x: Option<Money>| {
        x.map_or_else(
            || "–".to_owned(),
            |x| format::money(x.as_units(), currency, 0, locale),
        )
    };
    let k = &r.kpis;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {version}, as of {}",
        r.year.year,
        format::date(r.today, locale)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "Leads vs plan     {} of {} planned to date ({}) [{}]",
        c(k.leads_vs_plan.actual),
        n(k.leads_vs_plan.planned_to_date),
        p(k.leads_vs_plan.attainment),
        status(k.leads_vs_plan.status)
    );
    let _ = writeln!(
        out,
        "Conversion        {} against a floor of {}{} [{}]",
        p(k.conversion_vs_floor.actual),
        p(Some(k.conversion_vs_floor.floor)),
        if k.conversion_vs_floor.maturing {
            " (maturing)"
        } else {
            ""
        },
        status(k.conversion_vs_floor.status)
    );
    let _ = writeln!(
        out,
        "Spend vs budget   {} of {} to date [{}]",
        m(k.spend_vs_budget.actual),
        m(k.spend_vs_budget.budget_to_date),
        status(k.spend_vs_budget.status)
    );
    let _ = writeln!(
        out,
        "Cost per sale     {} (planned {}) [{}]",
        m(k.cost_per_sale.actual),
        m(k.cost_per_sale.planned),
        status(k.cost_per_sale.status)
    );
    let _ = writeln!(
        out,
        "Forecast          {} sales of a target of {}, gap {} [{}]",
        n(k.forecast_gap.forecast_sales),
        n(k.forecast_gap.target_sales),
        n(k.forecast_gap.gap_sales),
        status(k.forecast_gap.status)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<16} {:>9} {:>9} {:>8} {:>8} {:>11} {:>11}",
        "Source", "Leads", "Plan", "of plan", "Conv.", "Cost/lead", "Cost/sale"
    );
    for s in &r.sources {
        let f = &s.figures;
        let _ = writeln!(
            out,
            "{:<16} {:>9} {:>9} {:>8} {:>8} {:>11} {:>11}",
            s.name.as_deref().unwrap_or("(no source)"),
            c(f.leads.actual),
            n(f.leads.planned_to_date),
            p(f.leads.attainment),
            p(f.conversion.actual),
            m(f.spend.cost_per_lead),
            m(f.spend.cost_per_sale)
        );
    }
    out
}
