//! Reading CRM exports (CSV, XLSX) into typed lead rows and a data-quality report. Pure:
//! bytes in, rows and findings out. The file format, the presets and the mapping file are
//! described in `docs/import-format.md`.
//!
//! ```no_run
//! # fn demo(bytes: &[u8]) -> Result<(), leadplan_import::ImportError> {
//! use leadplan_import::{Flow, ImportOptions, read_leads};
//! let import = read_leads(bytes, &ImportOptions::default(), |progress| {
//!     println!("{:.0} %", progress.fraction() * 100.0);
//!     Flow::Continue
//! })?;
//! println!("{} leads, {} rejected", import.leads.len(), import.report.counts.rejected);
//! # Ok(()) }
//! ```

pub mod date;
pub mod decode;
mod error;
pub mod fields;
mod leads;
pub mod number;
mod ods;
mod options;
mod parallel;
pub mod presets;
mod records;
mod report;
pub mod spend;
mod table;
pub mod validate;
pub mod vocab;

pub use date::{DateOrder, DateParser, LocalTime};
pub use decode::TextEncoding;
pub use error::ImportError;
pub use fields::{ColumnMapping, ResolvedColumns, TargetField, header_signature};
pub use leads::{Flow, LeadImport, LeadReader, Preview, PreviewRow, Progress, preview, read_leads};
pub use number::DecimalSeparator;
pub use options::{ImportOptions, MappingFile};
pub use parallel::{
    CollectLeads, LeadConsumer, ParallelRead, ReadControl, read_leads_in_parts, read_leads_parallel,
};
pub use presets::{LEADPLAN_HEADER, Preset};
pub use report::{
    FileFormat, FileLayout, Finding, FindingKind, ImportCounts, ImportReport, ImportedLead,
    Severity, UnknownValue,
};
pub use spend::{SpendImport, SpendRow, read_spend};
pub use validate::{Cell, Checked, LeadRow, RowCells, RowOutcome, RowValidator};
pub use vocab::ValueMapping;

#[cfg(test)]
mod tests {
    use ts_rs::TS;

    #[test]
    fn the_types_the_ui_shows_have_typescript_declarations() {
        let report = crate::ImportReport::decl(&ts_rs::Config::default());
        assert!(report.contains("findings: Array<Finding>"), "{report}");
        let options = crate::ImportOptions::decl(&ts_rs::Config::default());
        assert!(options.contains("local_time: LocalTime"), "{options}");
        let local = crate::LocalTime::decl(&ts_rs::Config::default());
        assert!(local.contains("\"kind\": \"european_union\""), "{local}");
        let lead = crate::ImportedLead::decl(&ts_rs::Config::default());
        assert!(lead.contains("source: string | null"), "{lead}");
    }
}
