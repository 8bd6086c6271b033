//! The fields of a lead that a file's columns can fill, the user's column mapping and the
//! header signature it is remembered by.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::error::ImportError;

/// A field of [`crate::ImportedLead`] a column can be mapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TargetField {
    ExternalId,
    CreatedAt,
    Source,
    ProductLine,
    FirstAttemptAt,
    FirstTwoWayAt,
    Attempts,
    Stage,
    /// An open/won/lost status column; where it says won or lost it overrides `stage`
    /// (Pipedrive's "Deal - Status", HubSpot's lifecycle stage "customer").
    Status,
    LostReason,
    AppointmentAt,
    WonAt,
    /// A close date that is the won date when the lead was won (HubSpot's "Close Date"
    /// is also filled, as an expected date, for open and lost deals).
    ClosedAt,
    Value,
    Owner,
}

impl TargetField {
    pub const ALL: [TargetField; 15] = [
        TargetField::ExternalId,
        TargetField::CreatedAt,
        TargetField::Source,
        TargetField::ProductLine,
        TargetField::FirstAttemptAt,
        TargetField::FirstTwoWayAt,
        TargetField::Attempts,
        TargetField::Stage,
        TargetField::Status,
        TargetField::LostReason,
        TargetField::AppointmentAt,
        TargetField::WonAt,
        TargetField::ClosedAt,
        TargetField::Value,
        TargetField::Owner,
    ];

    /// Fields without which no lead can be read.
    pub const REQUIRED: [TargetField; 2] = [TargetField::ExternalId, TargetField::CreatedAt];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            TargetField::ExternalId => "external_id",
            TargetField::CreatedAt => "created_at",
            TargetField::Source => "source",
            TargetField::ProductLine => "product_line",
            TargetField::FirstAttemptAt => "first_attempt_at",
            TargetField::FirstTwoWayAt => "first_two_way_at",
            TargetField::Attempts => "attempts",
            TargetField::Stage => "stage",
            TargetField::Status => "status",
            TargetField::LostReason => "lost_reason",
            TargetField::AppointmentAt => "appointment_at",
            TargetField::WonAt => "won_at",
            TargetField::ClosedAt => "closed_at",
            TargetField::Value => "value",
            TargetField::Owner => "owner",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<TargetField> {
        TargetField::ALL.into_iter().find(|f| f.code() == code)
    }

    fn index(self) -> usize {
        self as usize
    }

    /// Fields holding a date or timestamp.
    #[must_use]
    pub fn is_date(self) -> bool {
        matches!(
            self,
            TargetField::CreatedAt
                | TargetField::FirstAttemptAt
                | TargetField::FirstTwoWayAt
                | TargetField::AppointmentAt
                | TargetField::WonAt
                | TargetField::ClosedAt
        )
    }
}

/// Which header feeds which field: chosen by the user for a file no preset recognises and
/// remembered by the header signature. Serialised as
/// `{"signature": "…", "columns": {"external_id": "Lead-Nr.", …}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ColumnMapping {
    /// The [`header_signature`] of the files this mapping was made for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// Target field → header name as it appears in the file (matched ignoring case and
    /// surrounding or repeated spaces).
    pub columns: BTreeMap<TargetField, String>,
}

impl ColumnMapping {
    /// Finds each mapped header in `headers`.
    ///
    /// # Errors
    /// A mapped header the file does not have, or a required field left unmapped.
    pub fn resolve(&self, headers: &[String]) -> Result<ResolvedColumns, ImportError> {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let mut resolved = ResolvedColumns::default();
        for (&field, header) in &self.columns {
            let wanted = normalize_header(header);
            let index = normalized
                .iter()
                .position(|h| *h == wanted)
                .ok_or_else(|| ImportError::UnknownColumn {
                    field,
                    header: header.clone(),
                })?;
            resolved.indices[field.index()] = Some(index);
            resolved.names[field.index()] = headers[index].trim().to_owned();
        }
        let missing: Vec<TargetField> = TargetField::REQUIRED
            .into_iter()
            .filter(|f| resolved.index(*f).is_none())
            .collect();
        if missing.is_empty() {
            Ok(resolved)
        } else {
            Err(ImportError::MissingColumns(missing))
        }
    }
}

/// A mapping applied to one file: the column index of every mapped field.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ResolvedColumns {
    indices: [Option<usize>; 15],
    names: [String; 15],
}

impl ResolvedColumns {
    /// The column of `field`, if mapped.
    #[must_use]
    pub fn index(&self, field: TargetField) -> Option<usize> {
        self.indices[field.index()]
    }

    /// The header of the column of `field` as written in the file ("" if unmapped).
    #[must_use]
    pub fn name(&self, field: TargetField) -> &str {
        &self.names[field.index()]
    }

    #[must_use]
    pub fn is_mapped(&self, field: TargetField) -> bool {
        self.index(field).is_some()
    }
}

/// A header compared ignoring case, a BOM, surrounding and repeated whitespace.
#[must_use]
pub fn normalize_header(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A stable fingerprint of a header row: the first 16 hex digits of the SHA-256 of the
/// normalised headers joined by U+001F. Files from the same export (same columns in the
/// same order) share it, whatever their rows.
#[must_use]
pub fn header_signature<S: AsRef<str>>(headers: &[S]) -> String {
    let mut hasher = Sha256::new();
    for (i, h) in headers.iter().enumerate() {
        if i > 0 {
            hasher.update([0x1f]);
        }
        hasher.update(normalize_header(h.as_ref()).as_bytes());
    }
    let digest = hasher.finalize();
    digest[..8].iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_signature_ignores_case_and_spacing_but_not_order() {
        let a = header_signature(&["Lead-Nr.", "Erstellt am"]);
        assert_eq!(a, header_signature(&[" lead-nr. ", "ERSTELLT  am"]));
        assert_ne!(a, header_signature(&["Erstellt am", "Lead-Nr."]));
        assert_eq!(a.len(), 16);
    }

    #[test]
    fn the_signature_of_a_known_header_is_pinned() {
        // python3: hashlib.sha256(b"id\x1fcreated").hexdigest()[:16]
        assert_eq!(header_signature(&["ID", "Created"]), "3455a12d9571ba01");
    }

    #[test]
    fn a_mapping_resolves_headers_ignoring_case() {
        let mapping: ColumnMapping = serde_json::from_str(
            r#"{"columns": {"external_id": "lead-nr.", "created_at": "Erstellt  am"}}"#,
        )
        .unwrap();
        let cols = mapping
            .resolve(&headers(&["Quelle", "Lead-Nr.", "Erstellt am"]))
            .unwrap();
        assert_eq!(cols.index(TargetField::ExternalId), Some(1));
        assert_eq!(cols.index(TargetField::CreatedAt), Some(2));
        assert_eq!(cols.name(TargetField::CreatedAt), "Erstellt am");
        assert_eq!(cols.index(TargetField::Source), None);
    }

    #[test]
    fn a_mapping_without_the_created_date_is_refused() {
        let mut mapping = ColumnMapping::default();
        mapping.columns.insert(TargetField::ExternalId, "id".into());
        assert_eq!(
            mapping.resolve(&headers(&["id"])),
            Err(ImportError::MissingColumns(vec![TargetField::CreatedAt]))
        );
        mapping
            .columns
            .insert(TargetField::CreatedAt, "created".into());
        assert!(matches!(
            mapping.resolve(&headers(&["id"])),
            Err(ImportError::UnknownColumn {
                field: TargetField::CreatedAt,
                ..
            })
        ));
    }
}
