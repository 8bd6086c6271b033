//! Importing a CRM export: the request and its outcome, the list of imports, undoing an
//! import as a whole, spend files, and the column and value mappings remembered between
//! imports. Writing the leads is `import_leads`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use leadplan_core::{Money, SourceAssumptions, Spend, Stage};
use leadplan_import::{
    ColumnMapping, ImportOptions, ImportReport, ValueMapping, preview, read_spend,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::catalogue::{list_product_lines, list_sources};
use crate::error::{Result, WorkbookError};
use crate::leads::set_spend;
use crate::sql::ts;
use crate::store::Workbook;

/// What to do when some rows are rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportMode {
    /// Import nothing if any row is rejected.
    AllOrNothing,
    /// Import the valid rows and leave the rejected ones out.
    ValidRowsOnly,
}

/// How to import a file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportRequest {
    /// The file's name as shown in the list of imports.
    pub file_name: String,
    /// Reading options: mapping, sheet, time zone policy … The workbook adds its sources,
    /// product lines, remembered mappings and SLA.
    pub options: ImportOptions,
    pub mode: ImportMode,
    /// Add sources the workbook does not know as new sources (else such leads get none).
    pub add_unknown_sources: bool,
    /// Read and check everything, write nothing.
    pub dry_run: bool,
}

/// What an import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportSummary {
    /// The recorded import; `None` when nothing was written.
    #[ts(type = "number | null")]
    pub import_id: Option<i64>,
    /// Whether leads were written.
    pub imported: bool,
    pub report: ImportReport,
    /// Leads the workbook did not have.
    #[ts(type = "number")]
    pub new: u64,
    /// Leads it had, with changed data.
    #[ts(type = "number")]
    pub updated: u64,
    /// Leads it had with exactly the same data.
    #[ts(type = "number")]
    pub unchanged: u64,
    /// Sources added because the file named them and the request asked for it.
    pub sources_added: Vec<String>,
    pub sha256: String,
}

/// One import in the list of imports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ImportRecord {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    pub format: String,
    pub sha256: String,
    pub imported_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub rows_read: u64,
    #[ts(type = "number")]
    pub rows_imported: u64,
    #[ts(type = "number")]
    pub rows_rejected: u64,
    #[ts(type = "number")]
    pub duplicates: u64,
    #[ts(type = "number")]
    pub new: u64,
    #[ts(type = "number")]
    pub updated: u64,
    #[ts(type = "number")]
    pub unchanged: u64,
    pub undone_at: Option<DateTime<Utc>>,
    /// Only the latest import still in effect can be undone.
    pub can_undo: bool,
}

/// What a spend import did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SpendSummary {
    /// Rows written (none when any row was rejected).
    #[ts(type = "number")]
    pub written: u64,
    pub counts: leadplan_import::ImportCounts,
    pub findings: Vec<leadplan_import::Finding>,
}

pub(crate) fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Comparison key of a name: sources and product lines are matched ignoring case.
pub(crate) fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The options a read needs from the workbook: its names, remembered mappings and SLA.
pub(crate) fn workbook_options(
    conn: &Connection,
    bytes: &[u8],
    mut options: ImportOptions,
) -> Result<ImportOptions> {
    options.known_sources = list_sources(conn)?.into_iter().map(|s| s.name).collect();
    options.known_product_lines = list_product_lines(conn)?
        .into_iter()
        .map(|p| p.name)
        .collect();
    options.sla_min_attempts = crate::settings::get(conn)?.sla.min_attempts_before_lost;
    let remembered = value_mappings(conn)?;
    options.values.stages.extend(
        remembered
            .stages
            .into_iter()
            .filter(|(k, _)| !options.values.stages.contains_key(k))
            .collect::<Vec<_>>(),
    );
    for (raw, mapped) in remembered.sources {
        options.values.sources.entry(raw).or_insert(mapped);
    }
    for (raw, mapped) in remembered.product_lines {
        options.values.product_lines.entry(raw).or_insert(mapped);
    }
    if options.mapping.is_none()
        && let Ok(p) = preview(head(bytes), &options, 0)
        && let Some(saved) = column_mapping(conn, &p.layout.signature)?
    {
        options.mapping = Some(saved);
    }
    Ok(options)
}

/// The start of a file, enough to read its header from: a text file up to a line break
/// (which never falls inside a UTF-8 character) within its first 64 KiB, so that a large
/// file is not decoded as a whole just to look up a mapping saved for its header.
fn head(bytes: &[u8]) -> &[u8] {
    const HEAD: usize = 64 * 1024;
    let spreadsheet =
        bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]);
    if spreadsheet || bytes.len() <= HEAD {
        return bytes;
    }
    match bytes[..HEAD].iter().rposition(|&b| b == b'\n') {
        Some(end) => &bytes[..=end],
        None => bytes,
    }
}

fn column_mapping(conn: &Connection, signature: &str) -> Result<Option<ColumnMapping>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT mapping FROM column_mapping WHERE signature = ?1",
            [signature],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

fn value_mappings(conn: &Connection) -> Result<ValueMapping> {
    let mut out = ValueMapping::default();
    let mut stmt = conn.prepare_cached("SELECT kind, raw, mapped FROM value_mapping")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
        ))
    })?;
    for row in rows {
        let (kind, raw, mapped) = row?;
        match kind.as_str() {
            "stage" => {
                if let Some(stage) = Stage::parse(&mapped) {
                    out.stages.insert(raw, stage);
                }
            }
            "source" => {
                out.sources.insert(raw, mapped);
            }
            _ => {
                out.product_lines.insert(raw, mapped);
            }
        }
    }
    Ok(out)
}

impl Workbook {
    /// Every import, newest first.
    ///
    /// # Errors
    /// Storage errors.
    pub fn imports(&self) -> Result<Vec<ImportRecord>> {
        let latest: Option<i64> = self.conn.query_row(
            "SELECT MAX(id) FROM import WHERE undone_at IS NULL AND format <> 'spend'",
            [],
            |r| r.get(0),
        )?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, file_name, format, sha256, imported_at, rows_read, rows_imported, rows_rejected,
                    duplicates, leads_new, leads_updated, leads_unchanged, undone_at
             FROM import ORDER BY id DESC",
        )?;
        let rows = stmt
            .query_map([], |r| {
                let n = |i: usize| {
                    r.get::<_, i64>(i)
                        .map(|x| u64::try_from(x).unwrap_or_default())
                };
                let id: i64 = r.get(0)?;
                let undone_at = crate::sql::opt_time(r, 12)?;
                Ok(ImportRecord {
                    id,
                    file_name: r.get(1)?,
                    format: r.get(2)?,
                    sha256: r.get(3)?,
                    imported_at: crate::sql::time(r, 4)?,
                    rows_read: n(5)?,
                    rows_imported: n(6)?,
                    rows_rejected: n(7)?,
                    duplicates: n(8)?,
                    new: n(9)?,
                    updated: n(10)?,
                    unchanged: n(11)?,
                    can_undo: undone_at.is_none() && latest == Some(id),
                    undone_at,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The data-quality report of an import, as it was when the file was read.
    ///
    /// # Errors
    /// `Missing`, damaged data.
    pub fn import_report(&self, import_id: i64) -> Result<ImportReport> {
        let json: String = self
            .conn
            .query_row(
                "SELECT report FROM import WHERE id = ?1",
                [import_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(WorkbookError::Missing {
                what: "import",
                id: import_id,
            })?;
        serde_json::from_str(&json)
            .map_err(|e| WorkbookError::Corrupt(format!("import report: {e}")))
    }

    /// Undoes an import as a whole: the leads it added are removed, the leads it changed get
    /// their earlier data back, the rollups follow. Only the latest import still in effect
    /// can be undone (later imports may have built on it).
    ///
    /// # Errors
    /// `Missing`, `Validation` when it is not the latest import or was undone already.
    pub fn undo_import(&mut self, import_id: i64, now: DateTime<Utc>) -> Result<()> {
        let can = self
            .imports()?
            .iter()
            .any(|i| i.id == import_id && i.can_undo);
        if !can {
            if !self.imports()?.iter().any(|i| i.id == import_id) {
                return Err(WorkbookError::Missing {
                    what: "import",
                    id: import_id,
                });
            }
            let mut v = leadplan_core::Validator::new();
            v.fail(
                "import",
                leadplan_core::Rule::Other {
                    message: "only the latest import can be undone".into(),
                },
            );
            v.finish()?;
        }
        self.write(|tx| {
            let months: Vec<i64> = tx
                .prepare(
                    "SELECT DISTINCT created_month FROM lead_block
                     WHERE import_id = ?1 OR replaced_by = ?1",
                )?
                .query_map([import_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            tx.execute("DELETE FROM lead_block WHERE import_id = ?1", [import_id])?;
            tx.execute(
                "UPDATE lead_block SET replaced_by = NULL WHERE replaced_by = ?1",
                [import_id],
            )?;
            let sla = crate::settings::get(tx)?.sla;
            crate::rollups::rebuild(tx, &sla, Some(&months))?;
            tx.execute(
                "UPDATE import SET undone_at = ?2 WHERE id = ?1",
                params![import_id, ts(now)],
            )?;
            Ok(())
        })
    }

    /// Imports monthly spend per source from a CSV or XLSX file: all rows, or none when any
    /// row is rejected or names a source the workbook does not know.
    ///
    /// # Errors
    /// `Import` when the file cannot be read, storage errors.
    pub fn import_spend(&mut self, bytes: &[u8], options: &ImportOptions) -> Result<SpendSummary> {
        let mut options = options.clone();
        options.known_sources = self.sources()?.into_iter().map(|s| s.name).collect();
        let read = read_spend(bytes, &options).map_err(|e| WorkbookError::Import(e.to_string()))?;
        let ids: HashMap<String, i64> = self
            .sources()?
            .into_iter()
            .map(|s| (key(&s.name), s.id))
            .collect();
        let resolved: Vec<Option<Spend>> = read
            .rows
            .iter()
            .map(|r| {
                ids.get(&key(&r.source)).map(|&source_id| Spend {
                    source_id,
                    year: r.year,
                    month: r.month,
                    amount: r.amount,
                })
            })
            .collect();
        let ok = read.counts.rejected == 0
            && read.unknown_sources.is_empty()
            && resolved.iter().all(Option::is_some);
        let mut written = 0;
        if ok {
            self.write(|tx| {
                for s in resolved.iter().flatten() {
                    crate::leads::check_spend(s)?;
                    set_spend(tx, s)?;
                }
                Ok(())
            })?;
            written = resolved.len() as u64;
        }
        Ok(SpendSummary {
            written,
            counts: read.counts,
            findings: read.findings,
        })
    }

    /// Remembers how a file's columns map to lead fields, for every file with its header.
    ///
    /// # Errors
    /// Storage errors.
    pub fn save_column_mapping(&mut self, signature: &str, mapping: &ColumnMapping) -> Result<()> {
        let json =
            serde_json::to_string(mapping).map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
        self.write(|tx| {
            tx.execute(
                "INSERT INTO column_mapping (signature, mapping) VALUES (?1, ?2)
                 ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping",
                params![signature, json],
            )?;
            Ok(())
        })
    }

    /// The options a file would be read with: the workbook's names, remembered mappings and
    /// SLA added to `options` (for a preview).
    ///
    /// # Errors
    /// Storage errors.
    pub fn import_options(&self, bytes: &[u8], options: ImportOptions) -> Result<ImportOptions> {
        workbook_options(&self.conn, bytes, options)
    }

    /// The stage, source and product-line mappings remembered from earlier imports.
    ///
    /// # Errors
    /// Storage errors.
    pub fn value_mappings(&self) -> Result<ValueMapping> {
        value_mappings(&self.conn)
    }
}

pub(crate) fn save_value_mappings(conn: &Connection, values: &ValueMapping) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO value_mapping (kind, raw, mapped) VALUES (?1, ?2, ?3)
         ON CONFLICT (kind, raw) DO UPDATE SET mapped = excluded.mapped",
    )?;
    for (raw, stage) in &values.stages {
        stmt.execute(params!["stage", raw, stage.code()])?;
    }
    for (raw, mapped) in &values.sources {
        stmt.execute(params!["source", raw, mapped])?;
    }
    for (raw, mapped) in &values.product_lines {
        stmt.execute(params!["product_line", raw, mapped])?;
    }
    Ok(())
}

/// Assumptions of a source first met in an import: none known yet, to be set on the Plan
/// screen.
pub(crate) fn new_source_defaults() -> SourceAssumptions {
    SourceAssumptions {
        cost_per_lead: Money::ZERO,
        fixed_monthly_cost: Money::ZERO,
        contact_rate: 1.0,
        appointment_rate: 1.0,
        close_rate: 1.0,
        direct_conversion: None,
    }
}
