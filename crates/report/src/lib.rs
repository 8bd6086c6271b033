//! Leadplan's exports. A [`Document`] — title, metadata, sections of headings, paragraphs,
//! tables of typed values and charts as SVG — is written as
//!
//! - a PDF ([`render_pdf`]): cover page, table of contents with page numbers, "Page 3 of 12"
//!   footers, tables that break across pages repeating their header, charts as vector
//!   graphics, the bundled DejaVu Sans embedded, text extractable;
//! - an Excel workbook ([`render_xlsx`]): a sheet per table with real numbers and number
//!   formats, text never run as a formula;
//! - CSV files ([`render_csv`]): one per table, in the locale's delimiter and decimal
//!   separator, text that a spreadsheet would run as a formula neutralised;
//! - PNG images of the charts ([`render_chart_png`]).
//!
//! The writers know nothing of workbooks ([`minutes`] assembles a meeting's minutes from
//! one), read no clock (the creation time is a
//! parameter) and no system font. No document content makes it panic: text the font cannot
//! show is replaced, empty tables say so, NaN and infinite numbers are shown as `–` and `∞`.

mod chart;
mod csv_export;
mod document;
mod files;
mod minutes;
mod pdf;
pub mod plan_vs_actual;
mod preview;
mod text;
mod xlsx;

use std::path::PathBuf;

pub use chart::{MAX_PNG_SIDE, render_chart_png};
pub use csv_export::{csv_delimiter, neutralise, render_csv};
pub use document::{
    Block, Cell, Chart, Column, ColumnKind, Document, Metadata, PageSize, Section, Status, Table,
    Value, display_value,
};
pub use files::{
    paths_beside, write_chart_pngs, write_csv_files, write_files, write_pdf, write_xlsx,
};
pub use minutes::minutes;
pub use pdf::{PdfOptions, Progress, render_pdf};
pub use plan_vs_actual::{
    ReportData, ReportFiles, find_version, plan_vs_actual, render_report, report_data,
};
pub use preview::{page_count, render_page_png};
pub use xlsx::{MAX_ROWS, render_xlsx};

/// Everything that can go wrong while writing a report.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("the export was cancelled")]
    Cancelled,
    #[error("the bundled font could not be loaded")]
    Font,
    #[error("chart {id}: the SVG cannot be read: {message}")]
    InvalidSvg { id: String, message: String },
    #[error("chart {id}: an image of {width} × {height} pixels cannot be made")]
    ImageSize { id: String, width: f32, height: f32 },
    #[error("chart {id}: the PNG cannot be encoded: {message}")]
    Png { id: String, message: String },
    #[error("the PDF cannot be written: {0}")]
    Pdf(#[from] krilla::error::KrillaError),
    #[error("the Excel workbook cannot be written: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error(
        "table {table}: {rows} rows and {columns} columns do not fit in an Excel sheet \
         (at most 1,048,574 rows and 16,384 columns)"
    )]
    TooLargeForExcel {
        table: String,
        rows: usize,
        columns: usize,
    },
    #[error("table {table}: the CSV cannot be written: {source}")]
    Csv { table: String, source: csv::Error },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Workbook(#[from] leadplan_workbook::WorkbookError),
    #[error("{year} has no plan versions")]
    NoPlanVersion { year: i32 },
    #[error("no plan version {name:?} in {year} (there are: {available})")]
    UnknownVersion {
        year: i32,
        name: String,
        available: String,
    },
    #[error("no chart {id:?} in the report (there are: {available})")]
    UnknownChart { id: String, available: String },
    #[error("the report has no {what} to write: include a part that has some")]
    NothingToWrite { what: &'static str },
    #[error("the PDF page cannot be shown: {0}")]
    Preview(String),
}
