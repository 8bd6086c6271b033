//! What a read produces besides the rows: findings per row, values to map, counts.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use leadplan_core::{Money, Stage};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::DateOrder;
use crate::decode::TextEncoding;
use crate::fields::{ColumnMapping, TargetField};
use crate::number::DecimalSeparator;
use crate::presets::Preset;

/// One lead as read from a file. Source and product line are names (mapped to the
/// workbook's names where possible); the workbook resolves them to ids.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportedLead {
    /// Physical line (CSV) or row (sheet) where the record starts, 1-based; header = 1.
    #[ts(type = "number")]
    pub line: u64,
    pub external_id: String,
    pub created_at: DateTime<Utc>,
    pub source: Option<Arc<str>>,
    pub product_line: Option<Arc<str>>,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub first_two_way_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub stage: Stage,
    pub lost_reason: Option<String>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub won_at: Option<DateTime<Utc>>,
    pub value: Option<Money>,
    /// The salesperson.
    pub owner: Option<Arc<str>>,
}

/// Errors reject a row; warnings are data-quality findings on rows that are imported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// What is wrong with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    // errors: the row is rejected
    InvalidDate,
    InvalidNumber,
    NegativeAttempts,
    MissingCreatedDate,
    MissingExternalId,
    TooFewFields,
    TooManyFields,
    DuplicateId,
    FirstContactBeforeCreation,
    TwoWayContactBeforeCreation,
    WonBeforeCreation,
    UnknownStage,
    /// A spend row without source.
    MissingSource,
    // warnings: the row is imported
    LostWithoutContactAttempt,
    LostBelowSlaAttempts,
    NeverContacted,
    NoSource,
    UnknownSource,
    UnknownProductLine,
}

impl FindingKind {
    #[must_use]
    pub fn severity(self) -> Severity {
        match self {
            FindingKind::LostWithoutContactAttempt
            | FindingKind::LostBelowSlaAttempts
            | FindingKind::NeverContacted
            | FindingKind::NoSource
            | FindingKind::UnknownSource
            | FindingKind::UnknownProductLine => Severity::Warning,
            _ => Severity::Error,
        }
    }
}

/// One problem in one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Finding {
    /// Physical line where the record starts, 1-based; header = 1.
    #[ts(type = "number")]
    pub line: u64,
    /// The header of the column concerned, as written in the file.
    pub column: Option<String>,
    pub kind: FindingKind,
    pub severity: Severity,
    /// The offending value as written, if any.
    pub value: Option<String>,
    /// An English sentence for logs and the command line; the UI words it from `kind`.
    pub message: String,
}

/// A value the vocabularies do not know, to be mapped once by the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct UnknownValue {
    pub field: TargetField,
    pub value: String,
    #[ts(type = "number")]
    pub count: u64,
    /// The first few lines it occurs on.
    #[ts(type = "Array<number>")]
    pub first_lines: Vec<u64>,
}

/// How many rows went where.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ImportCounts {
    /// Records read after the header, empty lines not counted.
    #[ts(type = "number")]
    pub read: u64,
    /// Rows that became leads.
    #[ts(type = "number")]
    pub valid: u64,
    /// Rows rejected for at least one error (duplicates included).
    #[ts(type = "number")]
    pub rejected: u64,
    /// Rows rejected because their id occurred earlier in the file.
    #[ts(type = "number")]
    pub duplicates: u64,
}

/// The kind of file read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FileFormat {
    Csv,
    /// XLSX (or XLS/ODS, which the same reader opens).
    Spreadsheet,
}

/// How a file was read: what was detected and which mapping applied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FileLayout {
    pub format: FileFormat,
    pub encoding: Option<TextEncoding>,
    /// The CSV delimiter as a character.
    pub delimiter: Option<char>,
    /// The sheet read.
    pub sheet: Option<String>,
    pub headers: Vec<String>,
    /// [`crate::header_signature`] of `headers`.
    pub signature: String,
    /// The preset that applied, if no mapping was given.
    pub preset: Option<Preset>,
    /// The mapping applied (from the preset or the caller); `None` when none fits yet.
    pub mapping: Option<ColumnMapping>,
    pub decimal: DecimalSeparator,
    pub date_order: DateOrder,
}

/// Everything a read found out, besides the rows themselves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportReport {
    pub layout: FileLayout,
    pub counts: ImportCounts,
    /// The findings in file order: all of them, or the first
    /// [`crate::validate::MAX_FINDINGS_PER_KIND`] of a kind that occurs more often
    /// (`finding_counts` has the full counts).
    pub findings: Vec<Finding>,
    /// Number of findings per kind.
    pub finding_counts: BTreeMap<FindingKind, u64>,
    /// Stages, sources and product lines to map, most frequent first.
    pub unknown_values: Vec<UnknownValue>,
    /// The caller stopped the read early: counts cover the rows read so far.
    pub cancelled: bool,
}
