//! What the caller decides about a read. Everything has a default; detected values
//! (encoding, delimiter, decimal separator, date order) can be forced.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{DateOrder, LocalTime};
use crate::decode::TextEncoding;
use crate::fields::ColumnMapping;
use crate::number::DecimalSeparator;
use crate::vocab::ValueMapping;

/// Options of a lead import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ImportOptions {
    /// Force an encoding instead of detecting it (CSV only).
    pub encoding: Option<TextEncoding>,
    /// Force the delimiter (`,`, `;` or tab) instead of detecting it (CSV only).
    pub delimiter: Option<char>,
    /// Force the decimal separator instead of detecting it.
    pub decimal: Option<DecimalSeparator>,
    /// Force the order of day and month in `01/02/2026` instead of detecting it.
    pub date_order: Option<DateOrder>,
    /// How timestamps without zone (the dealership's local time) become UTC.
    pub local_time: LocalTime,
    /// The sheet to read from a spreadsheet; the first sheet when `None`.
    pub sheet: Option<String>,
    /// The column mapping; when `None` a preset is detected from the header.
    pub mapping: Option<ColumnMapping>,
    /// The user's stage, source and product-line mappings.
    pub values: ValueMapping,
    /// The workbook's source names; when empty, sources are not checked.
    pub known_sources: Vec<String>,
    /// The workbook's product-line names; when empty, product lines are not checked.
    pub known_product_lines: Vec<String>,
    /// The follow-up SLA's minimum number of attempts before a lead may be lost.
    pub sla_min_attempts: u32,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            encoding: None,
            delimiter: None,
            decimal: None,
            date_order: None,
            local_time: LocalTime::Utc,
            sheet: None,
            mapping: None,
            values: ValueMapping::default(),
            known_sources: Vec::new(),
            known_product_lines: Vec::new(),
            sla_min_attempts: leadplan_core::FollowUpSla::default().min_attempts_before_lost,
        }
    }
}

/// The file a user keeps for a recurring export and passes to the CLI as `--mapping FILE`:
/// the column mapping plus value mappings. See `docs/import-format.md`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct MappingFile {
    /// Column mapping; absent: detect a preset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<ColumnMapping>,
    #[serde(default)]
    pub values: ValueMapping,
}

impl MappingFile {
    /// Reads a mapping file's JSON.
    ///
    /// # Errors
    /// JSON that is not a mapping file, naming the line and column of the problem.
    pub fn from_json(json: &str) -> Result<Self, crate::ImportError> {
        serde_json::from_str(json).map_err(|e| crate::ImportError::Mapping(e.to_string()))
    }

    /// Puts this file's mappings into `options`.
    pub fn apply(self, options: &mut ImportOptions) {
        if self.columns.is_some() {
            options.mapping = self.columns;
        }
        options.values = self.values;
    }
}
