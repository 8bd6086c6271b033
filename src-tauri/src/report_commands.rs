//! Commands of the Reports screen: the plan-versus-actual report made exactly as
//! `leadplan report` makes it, a preview of its first pages, the export with progress and
//! cancel, the folder shown afterwards, and export templates saved in the workbook.
//!
//! The preview is the real PDF: its first pages are drawn by a PDF renderer inside the app
//! (no program outside it is needed), so what the user sees is what the file will hold.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use base64::Engine as _;
use chrono::{NaiveDate, Utc};
use leadplan_charts::ChartId;
use leadplan_core::i18n;
use leadplan_core::report_options::{ReportFormat, ReportOptions, ReportTemplate};
use leadplan_report::{
    Document, PdfOptions, Progress, ReportError, page_count, plan_vs_actual, render_page_png,
    render_pdf, render_report, report_data, write_files,
};
use serde::{Deserialize, Serialize};
use tauri::ipc::Channel;
use tauri::{AppHandle, State};
use ts_rs::TS;

use crate::ipc::IpcError;
use crate::meeting_commands::export_path;
use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

/// How many pages the preview shows: the cover, the contents and the first page of the
/// report's body (the summary, when it is included).
const PREVIEW_PAGES: usize = 3;
/// Pixels per PDF point of the preview images (A4 becomes about 476 × 674 pixels).
const PREVIEW_SCALE: f32 = 0.8;

/// The cancel flag of a running export and the files the last export wrote.
#[derive(Default)]
pub struct ReportState {
    cancel: AtomicBool,
    last_export: Mutex<Option<PathBuf>>,
}

/// What the Reports screen offers to choose from.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportSetup {
    pub templates: Vec<ReportTemplate>,
    pub sources: Vec<String>,
    pub product_lines: Vec<String>,
    /// Chart ids, in the report's order.
    pub charts: Vec<String>,
    /// First month of the fiscal year, 1..=12, to name the plan months.
    pub fiscal_year_start_month: u32,
}

/// The report asked for: plan year and options.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReportInput {
    pub year: i32,
    pub options: ReportOptions,
}

/// One page of the preview.
#[derive(Debug, Clone, Serialize, TS)]
pub struct PreviewPage {
    /// 1-based page number.
    pub number: u32,
    /// The page as a PNG `data:` URL.
    pub image: String,
}

/// What the report will hold.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportPreview {
    /// The first pages of the PDF.
    pub pages: Vec<PreviewPage>,
    pub page_count: u32,
    /// The part titles, in order (the PDF's table of contents).
    pub sections: Vec<String>,
    /// The table titles: the Excel sheets and CSV files.
    pub tables: Vec<String>,
    /// The chart ids: the SVG and PNG files.
    pub charts: Vec<String>,
}

/// Input of `export_report`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ExportReportInput {
    pub year: i32,
    pub options: ReportOptions,
    /// For SVG and PNG: only this chart.
    pub chart: Option<String>,
    /// The file name to write; used only by the end-to-end tests (with
    /// LEADPLAN_E2E_EXPORT_DIR set), otherwise the save dialog asks.
    pub target: Option<String>,
}

/// How far an export has come.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct ExportProgress {
    pub done: u32,
    pub total: u32,
}

/// What an export did.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportOutcome {
    /// The files written (none when cancelled).
    pub paths: Vec<String>,
    /// The export was cancelled; nothing was written.
    pub cancelled: bool,
}

/// Input of `save_report_template`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct SaveTemplateInput {
    pub name: String,
    pub options: ReportOptions,
}

/// Input naming a template.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct TemplateIdInput {
    #[ts(type = "number")]
    pub id: i64,
}

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

fn report_error(e: ReportError, state: &AppState) -> IpcError {
    match e {
        ReportError::Workbook(e) => IpcError::from_workbook(e, state.locale()),
        other => IpcError::internal(other.to_string()),
    }
}

/// The document of the report asked for (the workbook is locked only while it is read).
fn document(state: &AppState, year: i32, options: &ReportOptions) -> Reply<Document> {
    let data = state
        .with(|wb| Ok(report_data(wb, year, options, today())))?
        .map_err(|e| report_error(e, state))?;
    Ok(plan_vs_actual(&data))
}

#[tauri::command(async)]
pub fn get_report_setup(state: State<'_, AppState>) -> Reply<ReportSetup> {
    state.with(|wb| {
        Ok(ReportSetup {
            templates: wb.report_templates()?,
            sources: wb.sources()?.into_iter().map(|s| s.name).collect(),
            product_lines: wb.product_lines()?.into_iter().map(|p| p.name).collect(),
            charts: ChartId::ALL.iter().map(|c| c.as_str().to_owned()).collect(),
            fiscal_year_start_month: wb.settings()?.fiscal_year_start_month,
        })
    })
}

/// The first pages of the report's PDF as images, and what the other formats will hold.
#[tauri::command(async)]
pub fn preview_report(state: State<'_, AppState>, input: ReportInput) -> Reply<ReportPreview> {
    let doc = document(&state, input.year, &input.options)?;
    let fail = |e: ReportError| report_error(e, &state);
    let pdf = render_pdf(&doc, PdfOptions::new(Utc::now().fixed_offset())).map_err(fail)?;
    let count = page_count(&pdf).map_err(fail)?;
    let engine = base64::engine::general_purpose::STANDARD;
    let pages = (0..count.min(PREVIEW_PAGES))
        .map(|i| {
            let png = render_page_png(&pdf, i, PREVIEW_SCALE)?;
            Ok(PreviewPage {
                number: u32::try_from(i + 1).unwrap_or(u32::MAX),
                image: format!("data:image/png;base64,{}", engine.encode(png)),
            })
        })
        .collect::<Result<_, ReportError>>()
        .map_err(fail)?;
    Ok(ReportPreview {
        pages,
        page_count: u32::try_from(count).unwrap_or(u32::MAX),
        sections: doc.sections.iter().map(|s| s.title.clone()).collect(),
        tables: doc.tables().map(|t| t.title.clone()).collect(),
        charts: doc.charts().map(|c| c.id.clone()).collect(),
    })
}

/// A file name for the report: its title, the year and the version, safe on every system.
fn suggested_name(doc: &Document, year: i32, format: ReportFormat) -> String {
    let base = format!("{} {year} {}", doc.title, doc.metadata.plan_version);
    let safe: String = base
        .chars()
        .map(|c| {
            if "/\\:*?\"<>|".contains(c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{}.{}", safe.trim(), format.extension())
}

/// Writes the report where the user chooses (in end-to-end tests: `target` in
/// LEADPLAN_E2E_EXPORT_DIR), sending progress through `on_progress`; `cancel_report_export`
/// stops it with nothing written. `None` when the save dialog was closed.
#[tauri::command(async)]
pub fn export_report(
    app: AppHandle,
    state: State<'_, AppState>,
    reports: State<'_, ReportState>,
    input: ExportReportInput,
    on_progress: Channel<ExportProgress>,
) -> Reply<Option<ExportOutcome>> {
    let format = input.options.format;
    let doc = document(&state, input.year, &input.options)?;
    let suggested = match (&input.target, std::env::var_os("LEADPLAN_E2E_EXPORT_DIR")) {
        // the target is a file name inside the test folder, never a path of the UI's choice
        (Some(target), Some(_)) => PathBuf::from(target).file_name().map_or_else(
            || suggested_name(&doc, input.year, format),
            |n| n.to_string_lossy().into_owned(),
        ),
        _ => suggested_name(&doc, input.year, format),
    };
    let title = i18n::text(state.locale(), "report.screen.save_title");
    let Some(path) = export_path(&app, &title, &suggested, format.extension()) else {
        return Ok(None);
    };
    reports.cancel.store(false, Ordering::SeqCst);
    let send = |done: usize, total: usize| {
        let _ = on_progress.send(ExportProgress {
            done: u32::try_from(done).unwrap_or(u32::MAX),
            total: u32::try_from(total).unwrap_or(u32::MAX),
        });
    };
    // one more step than the sections: writing the files
    let steps = doc.sections.len() + 1;
    send(0, steps);
    let mut report_progress = |p: Progress| send(p.sections_done, steps);
    let mut options = PdfOptions::new(Utc::now().fixed_offset()).with_cancel(&reports.cancel);
    if format == ReportFormat::Pdf {
        options = options.with_progress(&mut report_progress);
    }
    let files = match render_report(&doc, format, &path, input.chart.as_deref(), options) {
        Ok(files) => files,
        Err(ReportError::Cancelled) => {
            return Ok(Some(ExportOutcome {
                paths: vec![],
                cancelled: true,
            }));
        }
        Err(e) => return Err(report_error(e, &state)),
    };
    if reports.cancel.load(Ordering::SeqCst) {
        return Ok(Some(ExportOutcome {
            paths: vec![],
            cancelled: true,
        }));
    }
    write_files(&files).map_err(|e| report_error(e, &state))?;
    send(steps, steps);
    let paths: Vec<PathBuf> = files.into_iter().map(|(p, _)| p).collect();
    *reports
        .last_export
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner) = paths.first().cloned();
    Ok(Some(ExportOutcome {
        paths: paths.iter().map(|p| p.display().to_string()).collect(),
        cancelled: false,
    }))
}

#[tauri::command(async)]
pub fn cancel_report_export(reports: State<'_, ReportState>) {
    reports.cancel.store(true, Ordering::SeqCst);
}

/// Shows the last exported file in the system's file manager. Only that file: the UI cannot
/// name a path.
#[tauri::command(async)]
pub fn reveal_report(reports: State<'_, ReportState>) -> Reply<()> {
    let last = reports
        .last_export
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .clone();
    let Some(path) = last else {
        return Err(IpcError::internal("no report has been exported yet"));
    };
    tauri_plugin_opener::reveal_item_in_dir(&path)
        .map_err(|e| IpcError::internal(format!("{}: {e}", path.display())))
}

#[tauri::command(async)]
pub fn save_report_template(
    state: State<'_, AppState>,
    input: SaveTemplateInput,
) -> Reply<Vec<ReportTemplate>> {
    state.with(|wb| {
        wb.save_report_template(&input.name, &input.options)?;
        wb.report_templates()
    })
}

#[tauri::command(async)]
pub fn delete_report_template(
    state: State<'_, AppState>,
    input: TemplateIdInput,
) -> Reply<Vec<ReportTemplate>> {
    state.with(|wb| {
        wb.delete_report_template(input.id)?;
        wb.report_templates()
    })
}
