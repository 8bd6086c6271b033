//! The one error type of the crate: problems that stop a file from being read at all.
//! Problems with single rows are not errors but [`crate::report::Finding`]s.

use crate::fields::TargetField;

/// Why a file (or a mapping file) cannot be read.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file has no header row")]
    NoHeader,
    #[error("the workbook cannot be read: {0}")]
    Workbook(String),
    #[error("the workbook has no sheet named {0:?}")]
    NoSuchSheet(String),
    #[error("the workbook has no sheets")]
    NoSheets,
    #[error(
        "the sheet {sheet:?} spans {rows} rows × {columns} columns, more than Leadplan can read \
         (20,000,000 cells); save only the lead rows and columns, or export them as CSV"
    )]
    SheetTooLarge {
        sheet: String,
        rows: u64,
        columns: u64,
    },
    #[error("line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("no column is mapped to {}", join_fields(.0))]
    MissingColumns(Vec<TargetField>),
    #[error("the mapping names column {header:?} for {}, which the file does not have", .field.code())]
    UnknownColumn { field: TargetField, header: String },
    #[error("the mapping file cannot be read: {0}")]
    Mapping(String),
}

fn join_fields(fields: &[TargetField]) -> String {
    fields
        .iter()
        .map(|f| f.code())
        .collect::<Vec<_>>()
        .join(", ")
}
