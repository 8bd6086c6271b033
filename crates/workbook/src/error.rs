use std::path::PathBuf;

use leadplan_core::ValidationErrors;

/// Everything that can go wrong with a workbook. Messages name the file and, where there is
/// one, the field.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    #[error("{path}: not a Leadplan workbook ({reason})")]
    NotAWorkbook { path: PathBuf, reason: String },

    #[error(
        "{path}: written by a newer Leadplan (schema {found}; this version reads up to {supported}); \
         the file was not changed"
    )]
    TooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("{path}: no such file")]
    NotFound { path: PathBuf },

    #[error("{path}: already exists")]
    AlreadyExists { path: PathBuf },

    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("{0}")]
    Validation(#[from] ValidationErrors),

    #[error("no {what} with id {id}")]
    Missing { what: &'static str, id: i64 },

    #[error("no {what} named {name:?}")]
    UnknownName { what: &'static str, name: String },

    #[error("the workbook is opened read-only")]
    ReadOnly,

    #[error("the workbook is busy: another Leadplan is writing to it; try again in a moment")]
    Busy,

    #[error("the file cannot be imported: {0}")]
    Import(String),

    #[error("cancelled; the workbook was not changed")]
    Cancelled,

    #[error("migrating the workbook failed: {0}")]
    Migration(String),

    #[error("workbook storage: {0}")]
    Sqlite(rusqlite::Error),

    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

impl From<rusqlite::Error> for WorkbookError {
    fn from(e: rusqlite::Error) -> Self {
        if let rusqlite::Error::SqliteFailure(code, _) = &e
            && matches!(
                code.code,
                rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
            )
        {
            return WorkbookError::Busy;
        }
        WorkbookError::Sqlite(e)
    }
}

pub type Result<T, E = WorkbookError> = std::result::Result<T, E>;
