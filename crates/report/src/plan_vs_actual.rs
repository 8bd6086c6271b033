//! The plan-versus-actual report: what the Dashboard and the meeting showed, written for
//! management and for those who were not in the room.
//!
//! [`report_data`] gathers everything from a workbook ([`ReportData`]); [`plan_vs_actual`]
//! turns it into a [`Document`] without computing a figure of its own — every number comes
//! from the comparison ([`PlanVsActual`]) or the computed plan ([`PlanResult`]) — and
//! [`render_report`] writes that document in the format asked for.
//!
//! The parts, each optional ([`ReportSection`]): a one-page summary (the KPI table with
//! status against plan, floor and budget, the three largest gaps, the forecast), every
//! shared chart, tables by source, plan and actuals per month and source, data-quality notes
//! of the imports, open action items and definitions not yet agreed.
//!
//! **The three largest gaps** are the three sources whose actual leads differ most from the
//! leads planned for them up to the report's date, in absolute leads, whichever direction:
//! 40 leads short and 40 leads ahead are the same size of gap. Sources without a plan to
//! date (leads without a source, or any source under a product-line filter) have no gap.
//! Ties keep the sources' order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use leadplan_charts::shared::{SharedData, render};
use leadplan_charts::{ChartId, Theme};
use leadplan_core::actuals::{
    ConversionBasis, Figures, Filter, KpiStatus, PlanVsActual, ResponseBucket, SPEND_WARN,
    SourceRow,
};
use leadplan_core::i18n::{month_short, text, text_with};
use leadplan_core::plan::PlanResult;
use leadplan_core::report_options::{PaperSize, ReportFormat, ReportOptions, ReportSection};
use leadplan_core::{ActionItem, GlossaryTerm, Locale, Money, PlanVersion, PlanYear, format};
use leadplan_import::FindingKind;
use leadplan_workbook::{Workbook, WorkbookError};

use crate::files::paths_beside;
use crate::minutes::{action_table, period};
use crate::{
    Block, Cell, Chart, Column, ColumnKind, Document, Metadata, PageSize, PdfOptions, ReportError,
    Section, Status, Table, render_chart_png, render_csv, render_pdf, render_xlsx,
};

/// At most this many imports are described in the data-quality notes, newest first.
pub const MAX_IMPORT_NOTES: usize = 20;

/// What one import of a CRM export found.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportNote {
    pub file_name: String,
    pub imported_on: NaiveDate,
    pub rows_read: u64,
    pub rows_imported: u64,
    pub rows_rejected: u64,
    pub duplicates: u64,
    /// Findings by kind, most frequent first; `None` when the import's report cannot be
    /// read.
    pub findings: Option<Vec<(FindingKind, u64)>>,
}

/// Everything the report is made from.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportData {
    pub organisation: String,
    /// ISO 4217 code.
    pub currency: String,
    pub locale: Locale,
    pub version: PlanVersion,
    /// The comparison: its year, its date ("data as of"), its filter and period.
    pub compare: PlanVsActual,
    pub plan: PlanResult,
    /// The names of the sources and product lines the report is limited to (empty: all).
    pub source_names: Vec<String>,
    pub product_line_names: Vec<String>,
    /// Action items still open.
    pub action_items: Vec<ActionItem>,
    /// Glossary terms not agreed by both sides.
    pub open_definitions: Vec<GlossaryTerm>,
    /// Newest first, at most [`MAX_IMPORT_NOTES`].
    pub imports: Vec<ImportNote>,
    /// The parts to include.
    pub sections: Vec<ReportSection>,
    pub paper: PaperSize,
}

impl ReportData {
    fn includes(&self, section: ReportSection) -> bool {
        self.sections.contains(&section)
    }
}

/// The plan version `name` of `year`, else the year's baseline, else its first version.
///
/// # Errors
/// [`ReportError::NoPlanVersion`], [`ReportError::UnknownVersion`], storage errors.
pub fn find_version(
    wb: &Workbook,
    year: i32,
    name: Option<&str>,
) -> Result<PlanVersion, ReportError> {
    let versions = wb.plan_versions(Some(year))?;
    if versions.is_empty() {
        return Err(ReportError::NoPlanVersion { year });
    }
    let found = match name {
        Some(name) => versions
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(name.trim())),
        None => versions.iter().find(|v| v.baseline).or(versions.first()),
    };
    found.cloned().ok_or_else(|| ReportError::UnknownVersion {
        year,
        name: name.unwrap_or_default().to_owned(),
        available: versions
            .iter()
            .map(|v| v.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn import_notes(wb: &Workbook) -> Result<Vec<ImportNote>, WorkbookError> {
    let mut notes = Vec::new();
    for record in wb
        .imports()?
        .into_iter()
        .filter(|r| r.undone_at.is_none())
        .take(MAX_IMPORT_NOTES)
    {
        // a report that cannot be read is noted as such; it does not stop the report
        let findings = wb.import_report(record.id).ok().map(|report| {
            let mut counts: Vec<(FindingKind, u64)> = report
                .finding_counts
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .collect();
            counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            counts
        });
        notes.push(ImportNote {
            file_name: record.file_name,
            imported_on: record.imported_at.date_naive(),
            rows_read: record.rows_read,
            rows_imported: record.rows_imported,
            rows_rejected: record.rows_rejected,
            duplicates: record.duplicates,
            findings,
        });
    }
    Ok(notes)
}

/// Gathers the report on plan year `year` from the workbook, as of `today`.
///
/// # Errors
/// No such plan version, a source or product line the workbook does not know
/// ([`WorkbookError::UnknownName`]), invalid options, a plan that cannot be computed,
/// storage errors.
pub fn report_data(
    wb: &Workbook,
    year: i32,
    options: &ReportOptions,
    today: NaiveDate,
) -> Result<ReportData, ReportError> {
    options.validate().map_err(WorkbookError::from)?;
    let settings = wb.settings()?;
    let version = find_version(wb, year, options.version.as_deref())?;
    let plan_year = PlanYear::new(version.year, settings.fiscal_year_start_month);
    let (first_month, last_month) = options.period.month_range(plan_year, today);
    let mut filter = Filter {
        first_month,
        last_month,
        ..Filter::default()
    };
    let sources = wb.sources()?;
    let mut source_names = Vec::new();
    for name in &options.sources {
        let s = sources
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| WorkbookError::UnknownName {
                what: "source",
                name: name.clone(),
            })?;
        filter.sources.push(s.id);
        source_names.push(s.name.clone());
    }
    let lines = wb.product_lines()?;
    let mut product_line_names = Vec::new();
    for name in &options.product_lines {
        let p = lines
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
            .ok_or_else(|| WorkbookError::UnknownName {
                what: "product line",
                name: name.clone(),
            })?;
        filter.product_lines.push(p.id);
        product_line_names.push(p.name.clone());
    }
    let compare = wb.compare(version.id, &filter, today)?;
    let plan = wb.computed_plan(version.id)?;
    let action_items = wb
        .action_items(None)?
        .into_iter()
        .filter(|a| a.status.is_open())
        .collect();
    let open_definitions = wb
        .glossary()?
        .into_iter()
        .filter(|t| !t.is_shared())
        .collect();
    let mut sections = options.sections.clone();
    sections.sort_unstable();
    sections.dedup();
    Ok(ReportData {
        organisation: settings.organisation,
        currency: settings.currency,
        locale: settings.locale,
        version,
        compare,
        plan,
        source_names,
        product_line_names,
        action_items,
        open_definitions,
        imports: import_notes(wb)?,
        sections,
        paper: options.paper,
    })
}

// ---- the document ----------------------------------------------------------------------

const COUNT: ColumnKind = ColumnKind::Integer;
const LEADS: ColumnKind = ColumnKind::Number { decimals: 0 };
const DETAIL: ColumnKind = ColumnKind::Number { decimals: 1 };
const SHARE: ColumnKind = ColumnKind::Percent { decimals: 1 };
const AMOUNT: ColumnKind = ColumnKind::Money { decimals: 0 };
const UNIT_COST: ColumnKind = ColumnKind::Money { decimals: 2 };

#[allow(clippy::cast_possible_wrap)] // counts of leads are far below 2^63
fn count(n: Option<u64>) -> Cell {
    n.map_or_else(Cell::empty, |n| Cell::integer(n as i64))
}

fn number(x: Option<f64>) -> Cell {
    x.map_or_else(Cell::empty, Cell::number)
}

fn money(m: Option<Money>) -> Cell {
    m.map_or_else(Cell::empty, Cell::money)
}

fn status(s: Option<KpiStatus>) -> Option<Status> {
    s.map(|s| match s {
        KpiStatus::Ok => Status::Ok,
        KpiStatus::Warn => Status::Warn,
        KpiStatus::Bad => Status::Bad,
    })
}

/// A rate against the target it should reach: ok at or above it, bad below.
fn against(cell: Cell, value: Option<f64>, target: f64) -> Cell {
    match value {
        Some(v) if v >= target => cell.with_status(Status::Ok),
        Some(_) => cell.with_status(Status::Bad),
        None => cell,
    }
}

/// The leads' conversion compared with the floor: the mature cohorts' if any, else all.
fn compared_conversion(f: &Figures) -> Option<f64> {
    f.conversion.mature.or(f.conversion.actual)
}

struct Words {
    l: Locale,
}

impl Words {
    fn t(&self, key: &str) -> String {
        text(self.l, &format!("report.{key}"))
    }

    fn with(&self, key: &str, args: &[(&str, &str)]) -> String {
        text_with(self.l, &format!("report.{key}"), args)
    }

    fn column(&self, key: &str, kind: ColumnKind) -> Column {
        Column::new(self.t(&format!("column.{key}")), kind)
    }

    fn status(&self, s: Option<KpiStatus>) -> Cell {
        let key = match s {
            Some(KpiStatus::Ok) => "status.ok",
            Some(KpiStatus::Warn) => "status.warn",
            Some(KpiStatus::Bad) => "status.bad",
            None => "status.none",
        };
        let cell = Cell::text(self.t(key));
        match status(s) {
            Some(s) => cell.with_status(s),
            None => cell,
        }
    }

    fn source_name(&self, row: &SourceRow) -> String {
        match (&row.name, row.source_id) {
            (Some(name), _) => name.clone(),
            (None, Some(id)) => self.with("unknown_source", &[("id", &id.to_string())]),
            (None, None) => self.t("no_source"),
        }
    }

    fn month(&self, year: PlanYear, index: u32) -> String {
        let ym = year.month(index as usize);
        format!("{} {}", month_short(self.l, ym.month), ym.year)
    }

    fn duration(&self, minutes: u32) -> String {
        let (key, n) = if minutes < 120 {
            ("chart.duration.minutes", minutes)
        } else if minutes < 48 * 60 {
            ("chart.duration.hours", minutes / 60)
        } else {
            ("chart.duration.days", minutes / (24 * 60))
        };
        text_with(self.l, key, &[("n", &n.to_string())])
    }

    fn bucket(&self, bucket: Option<ResponseBucket>) -> Cell {
        match bucket {
            Some(ResponseBucket {
                to_minutes: Some(to),
                ..
            }) => Cell::text(self.with("under", &[("duration", &self.duration(to))])),
            Some(ResponseBucket {
                from_minutes,
                to_minutes: None,
            }) => Cell::text(text_with(
                self.l,
                "chart.bucket.from",
                &[("duration", &self.duration(from_minutes))],
            )),
            None => Cell::empty(),
        }
    }

    fn percent(&self, x: f64) -> String {
        format::percent(x, 1, self.l)
    }
}

fn kpi_table(d: &ReportData, w: &Words) -> Table {
    let k = &d.compare.kpis;
    let row = |key: &str, actual: Cell, against: Cell, share: Cell, s: Option<KpiStatus>| {
        vec![Cell::text(w.t(key)), actual, against, share, w.status(s)]
    };
    Table {
        id: "kpis".into(),
        title: w.t("kpis"),
        columns: vec![
            w.column("kpi", ColumnKind::Text),
            w.column("actual", LEADS),
            w.column("plan", LEADS),
            w.column("share", SHARE),
            w.column("status", ColumnKind::Text),
        ],
        rows: vec![
            row(
                "kpi.leads",
                count(k.leads_vs_plan.actual).shown_as(COUNT),
                number(k.leads_vs_plan.planned_to_date),
                number(k.leads_vs_plan.attainment),
                k.leads_vs_plan.status,
            ),
            row(
                "kpi.conversion",
                number(k.conversion_vs_floor.actual).shown_as(SHARE),
                Cell::number(k.conversion_vs_floor.floor).shown_as(SHARE),
                Cell::empty(),
                k.conversion_vs_floor.status,
            ),
            row(
                "kpi.spend",
                money(k.spend_vs_budget.actual).shown_as(AMOUNT),
                money(k.spend_vs_budget.budget_to_date).shown_as(AMOUNT),
                number(k.spend_vs_budget.share_of_budget),
                k.spend_vs_budget.status,
            ),
            row(
                "kpi.cost_per_sale",
                money(k.cost_per_sale.actual).shown_as(AMOUNT),
                money(k.cost_per_sale.planned).shown_as(AMOUNT),
                number(k.cost_per_sale.ratio),
                k.cost_per_sale.status,
            ),
            row(
                "kpi.forecast",
                number(k.forecast_gap.forecast_sales),
                number(k.forecast_gap.target_sales),
                number(k.forecast_gap.attainment),
                k.forecast_gap.status,
            ),
        ],
        totals: None,
    }
}

/// The sources with the largest absolute difference between actual and planned leads to
/// date, largest first, at most `n`; ties keep the sources' order.
#[must_use]
pub fn largest_gaps(compare: &PlanVsActual, n: usize) -> Vec<&SourceRow> {
    let mut rows: Vec<(&SourceRow, f64)> = compare
        .sources
        .iter()
        .filter_map(|s| {
            s.figures
                .leads
                .difference
                .filter(|d| d.is_finite())
                .map(|d| (s, d.abs()))
        })
        .collect();
    // a stable sort keeps the sources' order among equal gaps
    rows.sort_by(|a, b| b.1.total_cmp(&a.1));
    rows.into_iter().take(n).map(|(s, _)| s).collect()
}

fn gaps_table(d: &ReportData, w: &Words) -> Table {
    Table {
        id: "largest_gaps".into(),
        title: w.t("largest_gaps"),
        columns: vec![
            w.column("source", ColumnKind::Text),
            w.column("plan_to_date", LEADS),
            w.column("leads", COUNT),
            w.column("difference", LEADS),
            w.column("of_plan", SHARE),
        ],
        rows: largest_gaps(&d.compare, 3)
            .into_iter()
            .map(|s| {
                let l = &s.figures.leads;
                vec![
                    Cell::text(w.source_name(s)),
                    number(l.planned_to_date),
                    count(l.actual),
                    number(l.difference),
                    number(l.attainment),
                ]
            })
            .collect(),
        totals: None,
    }
}

fn forecast_blocks(d: &ReportData, w: &Words) -> Vec<Block> {
    let f = &d.compare.total.forecast;
    let table = Table {
        id: "forecast".into(),
        title: w.t("forecast"),
        columns: vec![
            w.column("measure", ColumnKind::Text),
            w.column("forecast", LEADS),
            w.column("target", LEADS),
            w.column("gap", LEADS),
        ],
        rows: vec![
            vec![
                Cell::text(w.t("column.leads")),
                number(f.forecast_leads),
                number(f.target_leads),
                number(f.gap_leads),
            ],
            vec![
                Cell::text(w.t("column.sales")),
                number(f.forecast_sales),
                number(f.target_sales),
                number(f.gap_sales),
            ],
        ],
        totals: None,
    };
    let dash = || "–".to_owned();
    let run_rate = f.run_rate.map_or_else(dash, |r| {
        w.with(
            "run_rate_value",
            &[
                ("rate", &w.percent(r)),
                ("months", &f.run_rate_months.to_string()),
            ],
        )
    });
    let basis = match f.conversion_basis {
        ConversionBasis::MatureCohorts => w.t("basis.mature"),
        ConversionBasis::Plan => w.t("basis.plan"),
        ConversionBasis::None => String::new(),
    };
    let conversion = f.observed_conversion.map_or_else(dash, |c| {
        if basis.is_empty() {
            w.percent(c)
        } else {
            format!("{} ({basis})", w.percent(c))
        }
    });
    let per_month = f
        .leads_per_remaining_month
        .map_or_else(dash, |x| format::number(x, 0, d.locale));
    vec![
        Block::Table(table),
        Block::Paragraph(w.t("forecast_note")),
        Block::KeyValues(vec![
            (w.t("run_rate"), run_rate),
            (w.t("observed_conversion"), conversion),
            (w.t("remaining_months"), f.remaining_months.to_string()),
            (w.t("leads_per_remaining_month"), per_month),
        ]),
    ]
}

fn summary(d: &ReportData, w: &Words) -> Section {
    let mut blocks = vec![Block::Paragraph(w.with(
        "as_of",
        &[("date", &format::date(d.compare.today, d.locale))],
    ))];
    if !d.compare.spend_attributable {
        blocks.push(Block::Paragraph(w.t("spend_not_attributable")));
    }
    blocks.push(Block::Table(kpi_table(d, w)));
    blocks.push(Block::Table(gaps_table(d, w)));
    blocks.push(Block::Paragraph(w.t("largest_gaps_note")));
    blocks.extend(forecast_blocks(d, w));
    Section {
        title: w.t("section.summary"),
        blocks,
    }
}

fn charts(d: &ReportData, w: &Words) -> Section {
    let data = SharedData {
        compare: &d.compare,
        plan: &d.plan,
        currency: &d.currency,
    };
    let theme = Theme::light(d.locale);
    Section {
        title: w.t("section.charts"),
        blocks: ChartId::ALL
            .into_iter()
            .map(|id| {
                Block::Chart(Chart {
                    id: id.as_str().to_owned(),
                    svg: render(id, &data, &theme),
                    caption: String::new(),
                })
            })
            .collect(),
    }
}

fn source_rows<'a>(d: &'a ReportData) -> impl Iterator<Item = (String, &'a Figures)> + 'a {
    let w = Words { l: d.locale };
    d.compare
        .sources
        .iter()
        .map(move |s| (w.source_name(s), &s.figures))
        .chain(std::iter::once((
            text(d.locale, "report.total"),
            &d.compare.total.figures,
        )))
}

/// Rows per source, the total last, each made by `row`.
fn by_source(
    d: &ReportData,
    row: impl Fn(String, &Figures) -> Vec<Cell>,
) -> (Vec<Vec<Cell>>, Vec<Cell>) {
    let mut rows: Vec<Vec<Cell>> = source_rows(d).map(|(name, f)| row(name, f)).collect();
    let totals = rows.pop().unwrap_or_default();
    (rows, totals)
}

fn sources(d: &ReportData, w: &Words) -> Section {
    let floor = d.compare.conversion_floor;
    let (rows, totals) = by_source(d, |name, f| {
        let conversion = compared_conversion(f);
        vec![
            Cell::text(name),
            number(f.leads.planned),
            number(f.leads.planned_to_date),
            count(f.leads.actual),
            number(f.leads.attainment),
            count(f.sales.won),
            against(number(conversion), conversion, floor),
        ]
    });
    let leads = Table {
        id: "sources_leads".into(),
        title: w.t("sources_leads"),
        columns: vec![
            w.column("source", ColumnKind::Text),
            w.column("planned", LEADS),
            w.column("plan_to_date", LEADS),
            w.column("leads", COUNT),
            w.column("of_plan", SHARE),
            w.column("won", COUNT),
            w.column("conversion", SHARE),
        ],
        rows,
        totals: Some(totals),
    };
    let (rows, totals) = by_source(d, |name, f| {
        let s = &f.spend;
        let share = s
            .actual
            .zip(s.budget_to_date)
            .and_then(|(a, b)| (b.cents() > 0).then(|| a.as_units() / b.as_units()));
        let share_cell = match share {
            Some(x) if x <= 1.0 => Cell::number(x).with_status(Status::Ok),
            Some(x) if x <= SPEND_WARN => Cell::number(x).with_status(Status::Warn),
            Some(x) => Cell::number(x).with_status(Status::Bad),
            None => Cell::empty(),
        };
        vec![
            Cell::text(name),
            money(s.actual),
            money(s.budget_to_date),
            share_cell,
            money(s.cost_per_lead),
            money(s.planned_cost_per_lead),
            money(s.cost_per_sale),
            money(s.planned_cost_per_sale),
        ]
    });
    let cost = Table {
        id: "sources_cost".into(),
        title: w.t("sources_cost"),
        columns: vec![
            w.column("source", ColumnKind::Text),
            w.column("spend", AMOUNT),
            w.column("budget_to_date", AMOUNT),
            w.column("of_budget", SHARE),
            w.column("cost_per_lead", UNIT_COST),
            w.column("planned_cost_per_lead", UNIT_COST),
            w.column("cost_per_sale", AMOUNT),
            w.column("planned_cost_per_sale", AMOUNT),
        ],
        rows,
        totals: Some(totals),
    };
    let sla = &d.compare.sla;
    let (rows, totals) = by_source(d, |name, f| match &f.follow_up {
        Some(u) => vec![
            Cell::text(name),
            count(Some(u.leads)),
            w.bucket(u.median_response),
            against(
                number(u.within_sla_share),
                u.within_sla_share,
                sla.within_sla_target,
            ),
            against(
                number(u.two_way_rate),
                u.two_way_rate,
                sla.two_way_contact_target,
            ),
            count(Some(u.lost)),
            number(u.avg_attempts_before_lost),
            count(Some(u.lost_below_min_attempts)),
        ],
        None => vec![Cell::text(name)],
    });
    let follow_up = Table {
        id: "sources_follow_up".into(),
        title: w.t("sources_follow_up"),
        columns: vec![
            w.column("source", ColumnKind::Text),
            w.column("leads", COUNT),
            w.column("median_response", ColumnKind::Text),
            w.column("within_sla", SHARE),
            w.column("two_way", SHARE),
            w.column("lost", COUNT),
            w.column("attempts_before_lost", DETAIL),
            w.column("lost_below_min", COUNT),
        ],
        rows,
        totals: Some(totals),
    };
    let note = w.with(
        "sources_note",
        &[
            ("floor", &w.percent(floor)),
            ("minutes", &sla.first_contact_minutes.to_string()),
            ("within", &w.percent(sla.within_sla_target)),
            ("two_way", &w.percent(sla.two_way_contact_target)),
            ("attempts", &sla.min_attempts_before_lost.to_string()),
        ],
    );
    let mut blocks = vec![Block::Paragraph(note)];
    if !d.compare.spend_attributable {
        blocks.push(Block::Paragraph(w.t("spend_not_attributable")));
    }
    blocks.extend([
        Block::Table(leads),
        Block::Table(cost),
        Block::Table(follow_up),
    ]);
    Section {
        title: w.t("section.sources"),
        blocks,
    }
}

fn monthly_detail(d: &ReportData, w: &Words) -> Section {
    let c = &d.compare;
    let year = c.year;
    let months = c.filter.first_month..=c.filter.last_month;
    let selected = |id: i64| c.filter.sources.is_empty() || c.filter.sources.contains(&id);
    let mut plan_rows = Vec::new();
    let mut totals = [0.0f64; 4];
    for m in months.clone() {
        for (s, total) in d.plan.sources.iter().enumerate() {
            if !selected(total.source_id) {
                continue;
            }
            let Some(f) = d.plan.month_source(m as usize, s) else {
                continue;
            };
            for (sum, x) in totals
                .iter_mut()
                .zip([f.leads, f.planned_sales, f.spend, f.budget])
            {
                *sum += x;
            }
            plan_rows.push(vec![
                Cell::text(w.month(year, m)),
                Cell::text(total.name.clone()),
                Cell::number(f.leads),
                Cell::number(f.planned_sales),
                Cell::number(f.spend).shown_as(UNIT_COST),
                Cell::number(f.budget).shown_as(UNIT_COST),
            ]);
        }
    }
    let plan = Table {
        id: "plan".into(),
        title: w.t("plan_table"),
        columns: vec![
            w.column("month", ColumnKind::Text),
            w.column("source", ColumnKind::Text),
            w.column("leads_needed", DETAIL),
            w.column("planned_sales", DETAIL),
            w.column("planned_spend", UNIT_COST),
            w.column("budget", UNIT_COST),
        ],
        rows: plan_rows,
        totals: Some(vec![
            Cell::text(w.t("total")),
            Cell::empty(),
            Cell::number(totals[0]),
            Cell::number(totals[1]),
            Cell::number(totals[2]),
            Cell::number(totals[3]),
        ]),
    };
    let started = |index: u32| c.months.iter().any(|m| m.index == index && m.started);
    let names: BTreeMap<Option<i64>, String> = c
        .sources
        .iter()
        .map(|s| (s.source_id, w.source_name(s)))
        .collect();
    let actual_rows = c
        .cells
        .iter()
        .filter(|cell| started(cell.index))
        .map(|cell| {
            let f = &cell.figures;
            vec![
                Cell::text(w.month(year, cell.index)),
                Cell::text(names.get(&cell.source_id).cloned().unwrap_or_default()),
                count(f.leads.actual),
                count(f.sales.won),
                money(f.spend.actual),
            ]
        })
        .collect();
    let t = &c.total.figures;
    let actuals = Table {
        id: "actuals".into(),
        title: w.t("actuals_table"),
        columns: vec![
            w.column("month", ColumnKind::Text),
            w.column("source", ColumnKind::Text),
            w.column("leads", COUNT),
            w.column("won", COUNT),
            w.column("spend", UNIT_COST),
        ],
        rows: actual_rows,
        totals: Some(vec![
            Cell::text(w.t("total")),
            Cell::empty(),
            count(t.leads.actual),
            count(t.sales.won),
            money(t.spend.actual),
        ]),
    };
    Section {
        title: w.t("section.monthly_detail"),
        blocks: vec![
            Block::Paragraph(w.t("monthly_detail_note")),
            Block::Table(plan),
            Block::Table(actuals),
        ],
    }
}

fn finding_kind_code(kind: FindingKind) -> String {
    // the kinds' serde names are their stable codes (`unknown_source`)
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn data_quality(d: &ReportData, w: &Words) -> Section {
    if d.imports.is_empty() {
        return Section {
            title: w.t("section.data_quality"),
            blocks: vec![Block::Paragraph(w.t("no_imports"))],
        };
    }
    let rows = d
        .imports
        .iter()
        .map(|i| {
            let findings = match &i.findings {
                None => w.t("findings_unreadable"),
                Some(f) if f.is_empty() => w.t("no_findings"),
                Some(f) => f
                    .iter()
                    .map(|(kind, n)| {
                        let label = w.t(&format!("finding.{}", finding_kind_code(*kind)));
                        format!("{} × {label}", format::number(*n as f64, 0, d.locale))
                    })
                    .collect::<Vec<_>>()
                    .join("\n"),
            };
            vec![
                Cell::text(i.file_name.clone()),
                Cell::date(i.imported_on),
                count(Some(i.rows_read)),
                count(Some(i.rows_imported)),
                count(Some(i.rows_rejected)).with_status(if i.rows_rejected > 0 {
                    Status::Warn
                } else {
                    Status::Ok
                }),
                count(Some(i.duplicates)),
                Cell::text(findings),
            ]
        })
        .collect();
    let table = Table {
        id: "imports".into(),
        title: w.t("imports"),
        columns: vec![
            w.column("file", ColumnKind::Text),
            w.column("imported_on", ColumnKind::Date),
            w.column("rows_read", COUNT),
            w.column("rows_imported", COUNT),
            w.column("rows_rejected", COUNT),
            w.column("duplicates", COUNT),
            w.column("findings", ColumnKind::Text),
        ],
        rows,
        totals: None,
    };
    Section {
        title: w.t("section.data_quality"),
        blocks: vec![
            Block::Paragraph(w.with("imports_note", &[("max", &MAX_IMPORT_NOTES.to_string())])),
            Block::Table(table),
        ],
    }
}

fn action_items(d: &ReportData, w: &Words) -> Section {
    let blocks = if d.action_items.is_empty() {
        vec![Block::Paragraph(w.t("no_action_items"))]
    } else {
        vec![Block::Table(action_table(
            &d.action_items,
            d.locale,
            d.compare.today,
        ))]
    };
    Section {
        title: w.t("section.action_items"),
        blocks,
    }
}

fn definitions(d: &ReportData, w: &Words) -> Section {
    if d.open_definitions.is_empty() {
        return Section {
            title: w.t("section.definitions"),
            blocks: vec![Block::Paragraph(w.t("all_agreed"))],
        };
    }
    let agreed = |a: &Option<leadplan_core::Agreement>| match a {
        Some(a) => Cell::text(format!(
            "{}, {}",
            a.by,
            format::date(a.at.date_naive(), d.locale)
        ))
        .with_status(Status::Ok),
        None => Cell::text(w.t("not_yet")).with_status(Status::Warn),
    };
    let table = Table {
        id: "definitions_not_agreed".into(),
        title: w.t("section.definitions"),
        columns: vec![
            w.column("term", ColumnKind::Text),
            w.column("definition", ColumnKind::Text),
            w.column("agreed_marketing", ColumnKind::Text),
            w.column("agreed_sales", ColumnKind::Text),
        ],
        rows: d
            .open_definitions
            .iter()
            .map(|t| {
                vec![
                    Cell::text(t.term.clone()),
                    Cell::text(t.definition.clone()),
                    agreed(&t.marketing),
                    agreed(&t.sales),
                ]
            })
            .collect(),
        totals: None,
    };
    Section {
        title: w.t("section.definitions"),
        blocks: vec![
            Block::Paragraph(w.t("definitions_note")),
            Block::Table(table),
        ],
    }
}

/// The report as a document: every chosen part, each starting on a new page.
#[must_use]
pub fn plan_vs_actual(d: &ReportData) -> Document {
    let w = Words { l: d.locale };
    let c = &d.compare;
    let period_text = period(c.year, c.filter.first_month, c.filter.last_month, d.locale);
    let mut sections: Vec<Section> = Vec::new();
    for part in ReportSection::ALL {
        if !d.includes(part) {
            continue;
        }
        let section = match part {
            ReportSection::Summary => summary(d, &w),
            ReportSection::Charts => charts(d, &w),
            ReportSection::Sources => sources(d, &w),
            ReportSection::MonthlyDetail => monthly_detail(d, &w),
            ReportSection::DataQuality => data_quality(d, &w),
            ReportSection::ActionItems => action_items(d, &w),
            ReportSection::Definitions => definitions(d, &w),
        };
        if let Some(previous) = sections.last_mut() {
            previous.blocks.push(Block::PageBreak);
        }
        sections.push(section);
    }
    let mut subtitle = vec![period_text.clone()];
    if !d.source_names.is_empty() {
        subtitle.push(w.with("only_sources", &[("names", &d.source_names.join(", "))]));
    }
    if !d.product_line_names.is_empty() {
        subtitle.push(w.with(
            "only_product_lines",
            &[("names", &d.product_line_names.join(", "))],
        ));
    }
    Document {
        title: w.t("title"),
        subtitle: subtitle.join("\n"),
        locale: d.locale,
        currency: d.currency.clone(),
        page_size: match d.paper {
            PaperSize::A4 => PageSize::A4,
            PaperSize::Letter => PageSize::UsLetter,
        },
        metadata: Metadata {
            organisation: d.organisation.clone(),
            period: period_text,
            plan_version: format!("{} {}", d.version.year, d.version.name),
            data_date: Some(c.today),
        },
        sections,
    }
}

// ---- writing ---------------------------------------------------------------------------

/// The files of a report in memory, each with the path it is to be written to.
pub type ReportFiles = Vec<(PathBuf, Vec<u8>)>;

/// Renders the document in `format` for the output path `out`:
///
/// - PDF and XLSX: one file, `out`;
/// - CSV: one file per table, SVG and PNG: one file per chart (PNG at twice the chart's
///   size), placed by [`paths_beside`]: into `out` if it is a folder, else beside it named
///   `<out's name>-<id>.<extension>`;
/// - with `chart`, only that chart (by its id, e.g. `leads_plan_vs_actual`), as `out`
///   itself.
///
/// Nothing is written: pass the result to [`crate::write_files`].
///
/// # Errors
/// [`ReportError::NothingToWrite`] when the report has no table (CSV) or chart (SVG, PNG),
/// [`ReportError::UnknownChart`], [`ReportError::Cancelled`], and the writers' errors.
pub fn render_report(
    doc: &Document,
    format: ReportFormat,
    out: &Path,
    chart: Option<&str>,
    options: PdfOptions<'_>,
) -> Result<ReportFiles, ReportError> {
    let cancel = options.cancel;
    let cancelled = || cancel.is_some_and(|c| c.load(std::sync::atomic::Ordering::Relaxed));
    match format {
        ReportFormat::Pdf => Ok(vec![(out.to_owned(), render_pdf(doc, options)?)]),
        ReportFormat::Xlsx => {
            let created = options.created;
            if cancelled() {
                return Err(ReportError::Cancelled);
            }
            Ok(vec![(out.to_owned(), render_xlsx(doc, created)?)])
        }
        ReportFormat::Csv => {
            let tables: Vec<&Table> = doc.tables().collect();
            if tables.is_empty() {
                return Err(ReportError::NothingToWrite { what: "tables" });
            }
            let ids: Vec<&str> = tables.iter().map(|t| t.id.as_str()).collect();
            let mut files = Vec::with_capacity(tables.len());
            for (table, path) in tables.into_iter().zip(paths_beside(out, &ids, "csv")) {
                if cancelled() {
                    return Err(ReportError::Cancelled);
                }
                files.push((path, render_csv(table, doc.locale)?));
            }
            Ok(files)
        }
        ReportFormat::Svg | ReportFormat::Png => {
            let png = format == ReportFormat::Png;
            let render_one = |c: &Chart| -> Result<Vec<u8>, ReportError> {
                if png {
                    render_chart_png(&c.id, &c.svg, 2.0)
                } else {
                    Ok(c.svg.clone().into_bytes())
                }
            };
            if let Some(id) = chart {
                let found =
                    doc.charts()
                        .find(|c| c.id == id)
                        .ok_or_else(|| ReportError::UnknownChart {
                            id: id.to_owned(),
                            available: doc
                                .charts()
                                .map(|c| c.id.clone())
                                .collect::<Vec<_>>()
                                .join(", "),
                        })?;
                return Ok(vec![(out.to_owned(), render_one(found)?)]);
            }
            let charts: Vec<&Chart> = doc.charts().collect();
            if charts.is_empty() {
                return Err(ReportError::NothingToWrite { what: "charts" });
            }
            let ids: Vec<&str> = charts.iter().map(|c| c.id.as_str()).collect();
            let mut files = Vec::with_capacity(charts.len());
            for (c, path) in charts
                .into_iter()
                .zip(paths_beside(out, &ids, format.extension()))
            {
                if cancelled() {
                    return Err(ReportError::Cancelled);
                }
                files.push((path, render_one(c)?));
            }
            Ok(files)
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};
    use leadplan_core::report_options::ReportPeriod;

    use super::*;

    fn demo(dir: &tempfile::TempDir) -> Workbook {
        let now = Utc.with_ymd_and_hms(2026, 6, 15, 12, 0, 0).unwrap();
        leadplan_workbook::demo::create_demo(&dir.path().join("d.leadplan"), now, 7).unwrap()
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
    }

    #[test]
    fn the_largest_gaps_are_the_largest_differences_in_either_direction() {
        let dir = tempfile::tempdir().unwrap();
        let wb = demo(&dir);
        let data = report_data(&wb, 2026, &ReportOptions::default(), today()).unwrap();
        let mut compare = data.compare.clone();
        // by hand: |−40| = |40| < |−55.5|; 10 and 3 are smaller; no plan, no gap
        let differences = [
            Some(-40.0),
            Some(10.0),
            None,
            Some(40.0),
            Some(-55.5),
            Some(3.0),
        ];
        for (row, d) in compare.sources.iter_mut().zip(differences) {
            row.figures.leads.difference = d;
        }
        for row in compare.sources.iter_mut().skip(differences.len()) {
            row.figures.leads.difference = None;
        }
        let names: Vec<Option<i64>> = largest_gaps(&compare, 3)
            .into_iter()
            .map(|s| s.source_id)
            .collect();
        let id = |i: usize| compare.sources[i].source_id;
        assert_eq!(names, [id(4), id(0), id(3)], "ties keep the sources' order");
        assert_eq!(largest_gaps(&compare, 10).len(), 5);
    }

    #[test]
    fn only_the_chosen_parts_are_there_each_starting_a_page() {
        let dir = tempfile::tempdir().unwrap();
        let wb = demo(&dir);
        let options = ReportOptions {
            sections: vec![ReportSection::DataQuality, ReportSection::Summary],
            period: ReportPeriod::Months { from: 2, to: 4 },
            sources: vec!["website".into(), "Marktplaats".into()],
            ..ReportOptions::default()
        };
        let data = report_data(&wb, 2026, &options, today()).unwrap();
        assert_eq!(data.source_names, ["Website", "Marktplaats"]);
        let doc = plan_vs_actual(&data);
        let titles: Vec<&str> = doc.sections.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(titles, ["Summary", "Data quality"]);
        assert_eq!(doc.sections[0].blocks.last(), Some(&Block::PageBreak));
        assert_ne!(doc.sections[1].blocks.last(), Some(&Block::PageBreak));
        assert_eq!(doc.metadata.period, "Feb–Apr 2026");
        assert!(
            doc.subtitle.contains("Sources: Website, Marktplaats"),
            "{}",
            doc.subtitle
        );
        // the demo's leads were not imported from a file: the notes say so
        assert_eq!(
            doc.sections[1].blocks,
            [Block::Paragraph(
                "No CRM export has been imported into this workbook yet.".into()
            )]
        );
        assert_eq!(doc.charts().count(), 0);
    }

    #[test]
    fn names_the_workbook_does_not_know_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let wb = demo(&dir);
        let unknown = |options: ReportOptions| {
            report_data(&wb, 2026, &options, today())
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            unknown(ReportOptions {
                sources: vec!["Fax".into()],
                ..ReportOptions::default()
            }),
            "no source named \"Fax\""
        );
        assert_eq!(
            unknown(ReportOptions {
                product_lines: vec!["Hover".into()],
                ..ReportOptions::default()
            }),
            "no product line named \"Hover\""
        );
        assert!(
            unknown(ReportOptions {
                version: Some("Nope".into()),
                ..ReportOptions::default()
            })
            .starts_with("no plan version \"Nope\" in 2026 (there are: ")
        );
        assert_eq!(
            report_data(&wb, 1999, &ReportOptions::default(), today())
                .unwrap_err()
                .to_string(),
            "1999 has no plan versions"
        );
    }

    #[test]
    fn a_german_workbook_gets_a_german_report_with_semicolon_csv() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = demo(&dir);
        let mut settings = wb.settings().unwrap();
        settings.locale = Locale::De;
        wb.update_settings(&settings).unwrap();
        let options = ReportOptions {
            sections: vec![ReportSection::Summary],
            ..ReportOptions::default()
        };
        let doc = plan_vs_actual(&report_data(&wb, 2026, &options, today()).unwrap());
        assert_eq!(doc.title, "Plan und Ist");
        let files = render_report(
            &doc,
            ReportFormat::Csv,
            dir.path(),
            None,
            PdfOptions::new(Utc::now().fixed_offset()),
        )
        .unwrap();
        let (path, bytes) = &files[0];
        assert_eq!(path, &dir.path().join("kpis.csv"));
        let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
        assert!(text.starts_with("Kennzahl;Ist;"), "{text}");
        assert!(text.contains("Leads gegenüber Plan;"), "{text}");
    }

    #[test]
    fn the_preview_is_the_real_first_page_of_the_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let wb = demo(&dir);
        let options = ReportOptions {
            sections: vec![ReportSection::Summary],
            ..ReportOptions::default()
        };
        let doc = plan_vs_actual(&report_data(&wb, 2026, &options, today()).unwrap());
        let pdf = render_pdf(&doc, PdfOptions::new(Utc::now().fixed_offset())).unwrap();
        assert_eq!(crate::page_count(&pdf).unwrap(), 3);
        let png = crate::render_page_png(&pdf, 0, 0.5).unwrap();
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().unwrap();
        // A4 is 595.3 × 841.9 points: half of that in pixels
        assert_eq!((reader.info().width, reader.info().height), (297, 420));
        let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
        let frame = reader.next_frame(&mut pixels).unwrap();
        let drawn = pixels[..frame.buffer_size()]
            .chunks(frame.buffer_size() / (297 * 420))
            .filter(|p| p[..3] != [255, 255, 255])
            .count();
        // the cover's title, rule and details are drawn, on a white page
        assert!(
            drawn > 1000 && drawn < 297 * 420 / 2,
            "{drawn} pixels drawn"
        );
        assert!(crate::render_page_png(&pdf, 3, 0.5).is_err());
        assert!(crate::render_page_png(&pdf, 0, f32::NAN).is_err());
        assert!(crate::render_page_png(b"not a pdf", 0, 1.0).is_err());
    }
}
