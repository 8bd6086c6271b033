//! Commands of the Dashboard: plan versus actual with its KPI tiles and the shared charts.

use chrono::Utc;
use leadplan_charts::shared::{SharedData, render};
use leadplan_charts::{ChartId, Theme};
use leadplan_core::actuals::{Filter, PlanVsActual};
use leadplan_core::{LeadQualityFeedback, i18n};
use leadplan_workbook::{Workbook, WorkbookError};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::ipc::IpcError;
use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

/// Which comparison to show.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct DashboardInput {
    #[ts(type = "number")]
    pub version_id: i64,
    pub filter: Filter,
    /// Draw the charts for a dark background.
    pub dark: bool,
    /// Size of the charts in pixels (default 960 × 540).
    pub chart_width: Option<u32>,
    pub chart_height: Option<u32>,
}

/// One chart as SVG.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChartSvg {
    /// The chart's id (`leads_plan_vs_actual`, …).
    pub id: String,
    pub svg: String,
}

/// Everything the Dashboard shows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Dashboard {
    pub compare: PlanVsActual,
    pub charts: Vec<ChartSvg>,
    /// Definitions in the glossary not yet agreed by both sides.
    pub definitions_not_agreed: u32,
    /// Sales' ratings of lead quality in the year's calendar months.
    pub feedback: Vec<LeadQualityFeedback>,
}

/// Input of `get_chart` and `save_chart`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ChartInput {
    pub dashboard: DashboardInput,
    /// The chart's id.
    pub chart: String,
    pub width: u32,
    pub height: u32,
    /// `svg` or `png` (for `save_chart`).
    pub format: String,
}

fn theme(wb: &Workbook, dark: bool, size: Option<(u32, u32)>) -> Result<Theme, WorkbookError> {
    let locale = wb.settings()?.locale;
    let theme = if dark {
        Theme::dark(locale)
    } else {
        Theme::light(locale)
    };
    Ok(match size {
        Some((w, h)) => theme.with_size(w, h),
        None => theme,
    })
}

/// The comparison, the plan and the currency, then `draw` on them.
fn with_charts<T>(
    wb: &Workbook,
    input: &DashboardInput,
    draw: impl FnOnce(&SharedData<'_>, PlanVsActual) -> Result<T, WorkbookError>,
) -> Result<T, WorkbookError> {
    let today = Utc::now().date_naive();
    let compare = wb.compare(input.version_id, &input.filter, today)?;
    let plan = wb.computed_plan(input.version_id)?;
    let currency = wb.settings()?.currency;
    let snapshot = compare.clone();
    let data = SharedData {
        compare: &snapshot,
        plan: &plan,
        currency: &currency,
    };
    draw(&data, compare)
}

fn chart_id(id: &str) -> Result<ChartId, IpcError> {
    ChartId::parse(id).ok_or_else(|| IpcError::internal(format!("no chart {id:?}")))
}

#[tauri::command(async)]
pub fn get_dashboard(state: State<'_, AppState>, input: DashboardInput) -> Reply<Dashboard> {
    state.with(|wb| {
        let size = input.chart_width.zip(input.chart_height);
        let theme = theme(wb, input.dark, size)?;
        let year = wb.plan_version(input.version_id)?.year;
        let definitions_not_agreed =
            u32::try_from(wb.glossary()?.iter().filter(|t| !t.is_shared()).count())
                .unwrap_or(u32::MAX);
        let feedback = wb.feedback(year)?;
        with_charts(wb, &input, |data, compare| {
            let charts = ChartId::ALL
                .into_iter()
                .map(|id| ChartSvg {
                    id: id.as_str().to_owned(),
                    svg: render(id, data, &theme),
                })
                .collect();
            Ok(Dashboard {
                compare,
                charts,
                definitions_not_agreed,
                feedback,
            })
        })
    })
}

#[tauri::command(async)]
pub fn get_chart(state: State<'_, AppState>, input: ChartInput) -> Reply<String> {
    let id = chart_id(&input.chart)?;
    state.with(|wb| {
        let theme = theme(wb, input.dashboard.dark, Some((input.width, input.height)))?;
        with_charts(wb, &input.dashboard, |data, _| Ok(render(id, data, &theme)))
    })
}

/// Saves one chart as SVG or PNG to a file chosen in a dialog; returns the path, or `None`
/// when the dialog was cancelled.
#[tauri::command(async)]
pub fn save_chart(
    app: AppHandle,
    state: State<'_, AppState>,
    input: ChartInput,
) -> Reply<Option<String>> {
    let id = chart_id(&input.chart)?;
    let png = input.format == "png";
    let svg = state.with(|wb| {
        let theme = theme(wb, input.dashboard.dark, Some((input.width, input.height)))?;
        with_charts(wb, &input.dashboard, |data, _| Ok(render(id, data, &theme)))
    })?;
    let extension = if png { "png" } else { "svg" };
    let Some(path) = app
        .dialog()
        .file()
        .set_title(i18n::text(state.locale(), "dashboard.save_chart"))
        .add_filter(extension.to_uppercase(), &[extension])
        .set_file_name(format!("{}.{extension}", id.as_str()))
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
    else {
        return Ok(None);
    };
    let bytes = if png {
        leadplan_report::render_chart_png(id.as_str(), &svg, 2.0)
            .map_err(|e| IpcError::internal(e.to_string()))?
    } else {
        svg.into_bytes()
    };
    std::fs::write(&path, bytes)
        .map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))?;
    Ok(Some(path.display().to_string()))
}
