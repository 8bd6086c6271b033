//! `leadplan plan show|export|import`.

use std::fmt::Write as _;
use std::path::Path;

use chrono::{DateTime, Utc};
use leadplan_core::plan::{BudgetScope, PlanResult, PlanWarning, parse_plan_file};
use leadplan_core::{PlanVersion, PlanYear, Settings, format, i18n};
use leadplan_workbook::Workbook;

use crate::{PlanAction, WhichVersion, err};

fn open(path: &Path) -> Result<Workbook, String> {
    Workbook::open(path).map_err(err)
}

/// The version asked for: by name, else the year's baseline, else its first version.
pub fn find_version(wb: &Workbook, which: &WhichVersion) -> Result<PlanVersion, String> {
    let versions = wb.plan_versions(Some(which.year)).map_err(err)?;
    let found = match &which.version {
        Some(name) => versions
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(name.trim())),
        None => versions.iter().find(|v| v.baseline).or(versions.first()),
    };
    found.cloned().ok_or_else(|| {
        let names: Vec<&str> = versions.iter().map(|v| v.name.as_str()).collect();
        match &which.version {
            Some(name) if names.is_empty() => format!(
                "no plan version {name:?}: {} has no plan versions",
                which.year
            ),
            Some(name) => format!(
                "no plan version {name:?} in {} (there are: {})",
                which.year,
                names.join(", ")
            ),
            None => format!("{} has no plan versions", which.year),
        }
    })
}

pub fn run(action: PlanAction, now: DateTime<Utc>) -> Result<(), String> {
    match action {
        PlanAction::Show {
            workbook,
            which,
            json,
        } => {
            let wb = open(&workbook)?;
            let version = find_version(&wb, &which)?;
            let plan = wb.computed_plan(version.id).map_err(err)?;
            if json {
                say!(
                    "{}",
                    serde_json::to_string_pretty(&plan).map_err(|e| e.to_string())?
                );
            } else {
                let settings = wb.settings().map_err(err)?;
                put!("{}", show(&wb, &version, &plan, &settings)?);
            }
            Ok(())
        }
        PlanAction::Export {
            workbook,
            which,
            out,
        } => {
            let wb = open(&workbook)?;
            let version = find_version(&wb, &which)?;
            let json = wb
                .export_plan(version.id)
                .map_err(err)?
                .to_json()
                .map_err(|e| e.to_string())?;
            match out {
                Some(path) => {
                    std::fs::write(&path, json + "\n")
                        .map_err(|e| format!("{}: {e}", path.display()))?;
                    say!(
                        "Wrote {} {} to {}.",
                        version.year,
                        version.name,
                        path.display()
                    );
                }
                None => say!("{json}"),
            }
            Ok(())
        }
        PlanAction::Import {
            workbook,
            file,
            year,
            version,
        } => {
            // read and check the whole file before the workbook is even opened
            let text =
                std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            let plan = parse_plan_file(&text).map_err(|errors| {
                let mut message = format!(
                    "{}: {} problem(s), nothing was imported",
                    file.display(),
                    errors.len()
                );
                for e in &errors {
                    let _ = write!(message, "\n  {}: {e}", file.display());
                }
                message
            })?;
            if let Some(y) = year
                && y != plan.year
            {
                return Err(format!(
                    "{}: $.year: the file is for {}, not {y}; nothing was imported",
                    file.display(),
                    plan.year
                ));
            }
            let mut wb = open(&workbook)?;
            let created = wb
                .import_plan(&plan, version.as_deref(), "leadplan plan import", now)
                .map_err(err)?;
            say!(
                "Imported {} as {} {} (draft).",
                file.display(),
                created.year,
                created.name
            );
            Ok(())
        }
    }
}

fn scope_text(scope: BudgetScope) -> &'static str {
    match scope {
        BudgetScope::MonthSource => "source in month",
        BudgetScope::Month => "month",
        BudgetScope::Source => "source over the year",
        BudgetScope::Year => "year",
        BudgetScope::Cap => "annual cap",
    }
}

fn show(
    wb: &Workbook,
    version: &PlanVersion,
    plan: &PlanResult,
    settings: &Settings,
) -> Result<String, String> {
    let (locale, currency) = (settings.locale, settings.currency.as_str());
    let year = PlanYear::new(version.year, settings.fiscal_year_start_month);
    let sources = wb.sources().map_err(err)?;
    let lines = wb.product_lines().map_err(err)?;
    let name_of = |id: i64| {
        sources
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    };
    let line_of = |id: i64| {
        lines
            .iter()
            .find(|p| p.id == id)
            .map_or_else(|| id.to_string(), |p| p.name.clone())
    };
    let month_label = |m: u32| {
        let ym = year.month(m as usize);
        format!("{} {}", i18n::month_short(locale, ym.month), ym.year)
    };
    let n = |x: f64| format::number(x, 0, locale);
    let m = |x: f64| format::money(x, currency, 0, locale);
    let mut out = String::new();
    let status = if version.baseline {
        format!("{}, baseline", version.status.code())
    } else {
        version.status.code().to_owned()
    };
    let _ = writeln!(out, "{} {} ({status})", version.year, version.name);
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<16} {:>10} {:>10} {:>14} {:>14} {:>14} {:>11}",
        "Source", "Leads", "Sales", "Spend", "Budget", "Gap", "Conversion"
    );
    for totals in &plan.sources {
        let _ = writeln!(
            out,
            "{:<16} {:>10} {:>10} {:>14} {:>14} {:>14} {:>11}",
            totals.name,
            n(totals.leads),
            n(totals.planned_sales),
            m(totals.spend),
            m(totals.budget),
            m(totals.gap),
            format::percent(totals.conversion, 1, locale)
        );
    }
    let y = &plan.year;
    let _ = writeln!(
        out,
        "{:<16} {:>10} {:>10} {:>14} {:>14} {:>14}",
        "Total",
        n(y.leads),
        n(y.planned_sales),
        m(y.spend),
        m(y.budget),
        m(y.gap)
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<16} {:>10} {:>10} {:>14}",
        "Month", "Leads", "Sales", "Spend"
    );
    for (i, month) in plan.months.iter().enumerate() {
        let label = month_label(u32::try_from(i).unwrap_or_default());
        let _ = writeln!(
            out,
            "{label:<16} {:>10} {:>10} {:>14}",
            n(month.leads),
            n(month.planned_sales),
            m(month.spend)
        );
    }
    if !plan.warnings.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "Warnings");
        for w in &plan.warnings {
            let text = match w {
                PlanWarning::BudgetExceeded {
                    scope,
                    month,
                    source_id,
                    budget,
                    spend,
                    over,
                } => format!(
                    "budget exceeded ({}{}{}): spend {} against budget {}, {} over",
                    scope_text(*scope),
                    month
                        .map(|m| format!(", {}", month_label(m)))
                        .unwrap_or_default(),
                    source_id
                        .map(|s| format!(", {}", name_of(s)))
                        .unwrap_or_default(),
                    m(*spend),
                    m(*budget),
                    m(*over)
                ),
                PlanWarning::StockCap {
                    month,
                    product_line_id,
                    target,
                    stock,
                    capped,
                } => format!(
                    "stock cap: {} in {}: demand {} against stock {}, {} not planned",
                    line_of(*product_line_id),
                    month_label(*month),
                    n(*target),
                    n(*stock),
                    n(*capped)
                ),
                PlanWarning::ConversionBelowFloor {
                    source_id,
                    conversion,
                    floor,
                } => format!(
                    "conversion below floor: {} converts {} (floor {})",
                    name_of(*source_id),
                    format::percent(*conversion, 1, locale),
                    format::percent(*floor, 1, locale)
                ),
            };
            let _ = writeln!(out, "  {text}");
        }
    }
    Ok(out)
}
