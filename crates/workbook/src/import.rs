//! Importing a CRM export: every row validated, the valid leads written in one transaction
//! (all of them, or nothing when the user asked for all or nothing and a row was rejected),
//! leads already in the workbook updated by external id, the monthly rollups brought up to
//! date, and the import recorded so it can be undone as a whole.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use leadplan_core::actuals::{LeadRollup, RollupAccumulator};
use leadplan_core::{FollowUpSla, Lead, Money, SourceAssumptions, SourceKind, Spend, Stage};
use leadplan_import::{
    ColumnMapping, Flow, ImportOptions, ImportReport, ImportedLead, LeadReader, Progress,
    RowOutcome, ValueMapping, preview, read_spend,
};
use rusqlite::{Connection, OptionalExtension, Statement, TransactionBehavior, params};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::catalogue::{NewSource, insert_source, list_product_lines, list_sources};
use crate::error::{Result, WorkbookError};
use crate::leads::{
    LEAD_COLUMNS, UPDATE_LEAD, bind_lead, created_month, insert_leads_sql, lead_from_row,
    set_spend, write_lead,
};
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

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Comparison key of a name: sources and product lines are matched ignoring case.
fn key(name: &str) -> String {
    name.trim().to_lowercase()
}

/// The options a read needs from the workbook: its names, remembered mappings and SLA.
fn workbook_options(
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
        && let Ok(p) = preview(bytes, &options, 0)
        && let Some(saved) = column_mapping(conn, &p.layout.signature)?
    {
        options.mapping = Some(saved);
    }
    Ok(options)
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

/// Source or product-line names as a file spells them, resolved to ids: names are matched
/// ignoring case, and each spelling is looked up once.
struct Names {
    by_key: HashMap<String, i64>,
    by_spelling: HashMap<String, Option<i64>>,
}

/// Spellings remembered at most: a file full of different names costs lookups, not memory.
const SPELLINGS_KEPT: usize = 10_000;

impl Names {
    fn new(names: impl Iterator<Item = (String, i64)>) -> Self {
        Self {
            by_key: names.map(|(name, id)| (key(&name), id)).collect(),
            by_spelling: HashMap::new(),
        }
    }

    /// The id of `name`; for a name the workbook does not know, `unknown` may add it and
    /// return its id.
    fn id(
        &mut self,
        name: &str,
        unknown: impl FnOnce(&str) -> Result<Option<i64>>,
    ) -> Result<Option<i64>> {
        if let Some(&id) = self.by_spelling.get(name) {
            return Ok(id);
        }
        let k = key(name);
        let id = match self.by_key.get(&k) {
            Some(&id) => Some(id),
            None => {
                let id = unknown(name)?;
                if let Some(id) = id {
                    self.by_key.insert(k, id);
                }
                id
            }
        };
        if self.by_spelling.len() < SPELLINGS_KEPT {
            self.by_spelling.insert(name.to_owned(), id);
        }
        Ok(id)
    }
}

/// The lead as stored, with names resolved to ids.
fn to_lead(l: ImportedLead, source_id: Option<i64>, product_line_id: Option<i64>) -> Lead {
    Lead {
        external_id: l.external_id,
        created_at: l.created_at,
        source_id,
        product_line_id,
        first_attempt_at: l.first_attempt_at,
        first_two_way_at: l.first_two_way_at,
        attempts: l.attempts,
        stage: l.stage,
        lost_reason: l.lost_reason,
        appointment_at: l.appointment_at,
        won_at: l.won_at,
        value: l.value,
        owner: l.owner.as_deref().map(str::to_owned),
    }
}

/// How often a long import reports progress and looks for a cancel.
const PROGRESS_EVERY: u64 = 8192;

/// Rows sent from the reader to the writer at a time.
const BATCH: usize = 2048;
/// Batches the reader may be ahead of the writer.
const BATCHES_IN_FLIGHT: usize = 8;
/// SQLite's page cache during an import, in KiB.
const IMPORT_CACHE_KIB: i64 = 32 * 1024;

/// What is recorded about the imported file.
struct ImportHeader<'a> {
    file_name: &'a str,
    format: &'a str,
    sha256: String,
    now: DateTime<Utc>,
}

/// The outcome of the write: new, updated, unchanged, the import's id, the sources added,
/// and whether anything may be kept.
struct Written {
    import_id: i64,
    new: u64,
    updated: u64,
    unchanged: u64,
    sources_added: Vec<String>,
    keep: bool,
    sha256: String,
}

/// Reads the file on its own thread: valid leads as `Some`, rejected rows as `None`.
fn read_batches(
    mut reader: LeadReader<'_>,
    send: &std::sync::mpsc::SyncSender<(Vec<Option<ImportedLead>>, Progress)>,
) -> std::result::Result<ImportReport, leadplan_import::ImportError> {
    let mut batch = Vec::with_capacity(BATCH);
    while let Some((_, outcome)) = reader.next_outcome() {
        match outcome {
            RowOutcome::Imported(lead) => batch.push(Some(lead)),
            RowOutcome::Rejected => batch.push(None),
            RowOutcome::Empty => {}
        }
        if batch.len() == BATCH
            && send
                .send((
                    std::mem::replace(&mut batch, Vec::with_capacity(BATCH)),
                    reader.progress(),
                ))
                .is_err()
        {
            return reader.finish(true);
        }
    }
    let _ = send.send((batch, reader.progress()));
    reader.finish(false)
}

/// Leads inserted by one statement: fewer statements run (bound, stepped, reset) per lead;
/// about 5 % of a large import (`docs/benchmarks.md`).
const LEADS_PER_INSERT: usize = 64;

/// Writes an import's leads and counts what that did.
struct LeadWriter<'t> {
    import_id: i64,
    insert_many: Statement<'t>,
    insert_one: Statement<'t>,
    update: Statement<'t>,
    find: Statement<'t>,
    keep_previous: Statement<'t>,
    new: u64,
    updated: u64,
    unchanged: u64,
    /// The new leads, rolled up.
    direct: RollupAccumulator,
    /// Months where a lead changed, to be rolled up anew from the table.
    rebuild: HashSet<i64>,
}

impl<'t> LeadWriter<'t> {
    fn new(tx: &'t Connection, import_id: i64, sla: &FollowUpSla) -> Result<Self> {
        Ok(Self {
            import_id,
            insert_many: tx.prepare(&insert_leads_sql(LEADS_PER_INSERT))?,
            insert_one: tx.prepare(&insert_leads_sql(1))?,
            update: tx.prepare(UPDATE_LEAD)?,
            find: tx.prepare(&format!(
                "SELECT {LEAD_COLUMNS}, import_id FROM lead WHERE external_id = ?1"
            ))?,
            keep_previous: tx.prepare(
                "INSERT INTO lead_history (import_id, external_id, previous) VALUES (?1, ?2, ?3)",
            )?,
            new: 0,
            updated: 0,
            unchanged: 0,
            direct: RollupAccumulator::new(sla),
            rebuild: HashSet::new(),
        })
    }

    /// Inserts the leads the workbook does not have, [`LEADS_PER_INSERT`] at a time, and
    /// compares the others with the stored ones.
    fn write(&mut self, leads: &[Lead]) -> Result<()> {
        let mut chunks = leads.chunks_exact(LEADS_PER_INSERT);
        for chunk in &mut chunks {
            for (row, lead) in chunk.iter().enumerate() {
                bind_lead(&mut self.insert_many, row, lead, Some(self.import_id))?;
            }
            if self.insert_many.raw_execute()? == chunk.len() {
                for lead in chunk {
                    self.added(lead);
                }
            } else {
                for lead in chunk {
                    self.settle(lead)?;
                }
            }
        }
        for lead in chunks.remainder() {
            if write_lead(&mut self.insert_one, lead, Some(self.import_id))? == 1 {
                self.added(lead);
            } else {
                self.settle(lead)?;
            }
        }
        Ok(())
    }

    fn added(&mut self, lead: &Lead) {
        self.new += 1;
        self.direct.add(lead);
    }

    /// A lead whose insert may have met a stored lead with its external id: new if this
    /// import wrote it (ids are unique within a file), else unchanged, or updated with the
    /// stored data kept for undo.
    fn settle(&mut self, lead: &Lead) -> Result<()> {
        let (old, old_import): (Lead, Option<i64>) = self
            .find
            .query_row([&lead.external_id], |r| Ok((lead_from_row(r)?, r.get(13)?)))?;
        if old_import == Some(self.import_id) {
            self.added(lead);
        } else if old == *lead {
            self.unchanged += 1;
        } else {
            let previous = serde_json::json!({ "lead": old, "import_id": old_import });
            self.keep_previous.execute(params![
                self.import_id,
                lead.external_id,
                previous.to_string()
            ])?;
            write_lead(&mut self.update, lead, Some(self.import_id))?;
            self.updated += 1;
            self.rebuild.insert(created_month(lead));
            self.rebuild.insert(created_month(&old));
        }
        Ok(())
    }
}

/// Writes the leads as they arrive, in one transaction that is handed back uncommitted.
fn write_leads<'c>(
    conn: &'c mut Connection,
    request: &ImportRequest,
    header: &ImportHeader<'_>,
    receive: std::sync::mpsc::Receiver<(Vec<Option<ImportedLead>>, Progress)>,
    progress: &mut impl FnMut(Progress) -> Flow,
) -> Result<(rusqlite::Transaction<'c>, Written)> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let sla = crate::settings::get(&tx)?.sla;
    let mut sources = Names::new(list_sources(&tx)?.into_iter().map(|s| (s.name, s.id)));
    let mut lines = Names::new(list_product_lines(&tx)?.into_iter().map(|p| (p.name, p.id)));
    tx.execute(
        "INSERT INTO import (file_name, format, sha256, imported_at) VALUES (?1, ?2, ?3, ?4)",
        params![
            header.file_name,
            header.format,
            header.sha256,
            ts(header.now)
        ],
    )?;
    let import_id = tx.last_insert_rowid();
    // months whose rollups exist already are rebuilt from the table; leads of other months
    // are rolled up as they are written
    let rolled_up: HashSet<i64> = tx
        .prepare("SELECT DISTINCT year * 100 + month FROM lead_rollup")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut w = Written {
        import_id,
        new: 0,
        updated: 0,
        unchanged: 0,
        sources_added: Vec::new(),
        keep: !request.dry_run,
        sha256: header.sha256.clone(),
    };
    let mut next_report = PROGRESS_EVERY;
    let mut writer = LeadWriter::new(&tx, import_id, &sla)?;
    let mut leads = Vec::with_capacity(BATCH);
    for (batch, p) in receive {
        for row in batch {
            let Some(row) = row else {
                if request.mode == ImportMode::AllOrNothing {
                    w.keep = false;
                }
                continue;
            };
            if !w.keep {
                continue;
            }
            let source_id = match row.source.as_deref() {
                None => None,
                Some(name) => sources.id(name, |name| {
                    if !request.add_unknown_sources {
                        return Ok(None);
                    }
                    let new_source = NewSource {
                        name: name.trim().to_owned(),
                        kind: SourceKind::Paid,
                        defaults: new_source_defaults(),
                    };
                    let id = insert_source(&tx, &new_source)?;
                    w.sources_added.push(new_source.name);
                    Ok(Some(id))
                })?,
            };
            let line_id = match row.product_line.as_deref() {
                None => None,
                Some(name) => lines.id(name, |_| Ok(None))?,
            };
            leads.push(to_lead(row, source_id, line_id));
        }
        if w.keep {
            writer.write(&leads)?;
        }
        leads.clear();
        if p.rows_read >= next_report {
            next_report = p.rows_read + PROGRESS_EVERY;
            if progress(p) == Flow::Stop {
                return Err(WorkbookError::Cancelled);
            }
        }
    }
    // the writer's statements end here, the transaction goes on
    let LeadWriter {
        new,
        updated,
        unchanged,
        direct,
        rebuild,
        ..
    } = { writer };
    (w.new, w.updated, w.unchanged) = (new, updated, unchanged);
    if w.keep {
        // New leads are added to the stored rollups of their month; a month where a lead
        // changed is rolled up anew from the table.
        let month_of = |r: &LeadRollup| i64::from(r.year) * 100 + i64::from(r.month);
        let new_rows = direct.finish();
        let mut merged = RollupAccumulator::new(&sla);
        let added: HashSet<i64> = new_rows
            .iter()
            .map(month_of)
            .filter(|m| !rebuild.contains(m))
            .collect();
        for &m in added.iter().filter(|m| rolled_up.contains(m)) {
            for row in crate::rollups::load(&tx, m, m)? {
                merged.add_rollup(&row);
            }
            tx.execute(
                "DELETE FROM lead_rollup WHERE year = ?1 AND month = ?2",
                params![m / 100, m % 100],
            )?;
        }
        for row in new_rows.iter().filter(|r| added.contains(&month_of(r))) {
            merged.add_rollup(row);
        }
        crate::rollups::insert(&tx, &merged.finish())?;
        let months: Vec<i64> = rebuild.into_iter().collect();
        crate::rollups::rebuild(&tx, &sla, Some(&months))?;
    }
    Ok((tx, w))
}

/// Records the import and commits, or drops everything when nothing may be kept.
fn finish_import(
    tx: rusqlite::Transaction<'_>,
    request: &ImportRequest,
    report: ImportReport,
    w: Written,
) -> Result<ImportSummary> {
    let summary = |imported: bool, report: ImportReport, w: Written| ImportSummary {
        import_id: imported.then_some(w.import_id),
        imported,
        report,
        new: w.new,
        updated: w.updated,
        unchanged: w.unchanged,
        sources_added: w.sources_added,
        sha256: w.sha256,
    };
    if !w.keep {
        // rejected rows under all-or-nothing, or a dry run: the transaction is dropped
        return Ok(summary(false, report, w));
    }
    let c = &report.counts;
    let n = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    tx.execute(
        "UPDATE import SET rows_read = ?2, rows_imported = ?3, rows_rejected = ?4, duplicates = ?5,
             leads_new = ?6, leads_updated = ?7, leads_unchanged = ?8, report = ?9 WHERE id = ?1",
        params![
            w.import_id,
            n(c.read),
            n(w.new + w.updated + w.unchanged),
            n(c.rejected),
            n(c.duplicates),
            n(w.new),
            n(w.updated),
            n(w.unchanged),
            serde_json::to_string(&report).map_err(|e| WorkbookError::Corrupt(e.to_string()))?
        ],
    )?;
    if let Some(mapping) = &report.layout.mapping
        && report.layout.preset.is_none()
    {
        let json =
            serde_json::to_string(mapping).map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
        tx.execute(
            "INSERT INTO column_mapping (signature, mapping) VALUES (?1, ?2)
             ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping",
            params![report.layout.signature, json],
        )?;
    }
    save_value_mappings(&tx, &request.options.values)?;
    tx.commit()?;
    Ok(summary(true, report, w))
}

impl Workbook {
    /// Imports a CRM export (see [`ImportRequest`]); `progress` is called every few thousand
    /// rows and may stop the import, which then writes nothing.
    ///
    /// The file is read and checked on a second thread while this one writes, so reading and
    /// writing overlap.
    ///
    /// # Errors
    /// `Import` when the file cannot be read at all (not a CSV or XLSX, no header, a mapping
    /// that names missing columns), `Cancelled`, storage errors. In every error case the
    /// workbook is exactly as it was.
    pub fn import_leads(
        &mut self,
        bytes: &[u8],
        request: &ImportRequest,
        now: DateTime<Utc>,
        mut progress: impl FnMut(Progress) -> Flow,
    ) -> Result<ImportSummary> {
        if self.is_read_only() {
            return Err(WorkbookError::ReadOnly);
        }
        let options = workbook_options(&self.conn, bytes, request.options.clone())?;
        let reader =
            LeadReader::new(bytes, &options).map_err(|e| WorkbookError::Import(e.to_string()))?;
        let format = format!("{:?}", reader.layout().format).to_lowercase();
        if !request.dry_run {
            crate::backup::take(
                &self.conn,
                self.path(),
                now,
                crate::backup::BackupReason::Import,
            )?;
        }
        let header = ImportHeader {
            file_name: &request.file_name,
            format: &format,
            sha256: sha256(bytes),
            now,
        };
        // The writer relies on ids it looked up itself; foreign-key checks per row would
        // only slow a large import down. A bigger page cache keeps the indexes in memory.
        self.conn.pragma_update(None, "foreign_keys", "OFF")?;
        // Its CHECK constraints test what the types guarantee already (a stage written from
        // `Stage`, attempts from a `u32`), and SQLite tests a stage against its list of six by
        // building a table of them for every row.
        self.conn
            .pragma_update(None, "ignore_check_constraints", "ON")?;
        self.conn
            .pragma_update(None, "cache_size", -IMPORT_CACHE_KIB)?;
        let result = std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel::<(
                Vec<Option<ImportedLead>>,
                Progress,
            )>(BATCHES_IN_FLIGHT);
            let reading = scope.spawn(move || read_batches(reader, &send));
            let written = write_leads(&mut self.conn, request, &header, receive, &mut progress);
            // a failed or cancelled write dropped the receiver: the reader stops at its next batch
            let report = reading
                .join()
                .map_err(|_| WorkbookError::Import("the reader stopped unexpectedly".into()))?;
            let (tx, counts) = written?;
            let report = report.map_err(|e| WorkbookError::Import(e.to_string()))?;
            finish_import(tx, request, report, counts)
        });
        let _ = self.conn.pragma_update(None, "foreign_keys", "ON");
        let _ = self
            .conn
            .pragma_update(None, "ignore_check_constraints", "OFF");
        let _ = self.conn.pragma_update(None, "cache_size", -2000);
        result
    }

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
            let mut months: HashSet<i64> = tx
                .prepare("SELECT DISTINCT created_month FROM lead WHERE import_id = ?1")?
                .query_map([import_id], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            let restored: Vec<(String, String)> = tx
                .prepare("SELECT external_id, previous FROM lead_history WHERE import_id = ?1")?
                .query_map([import_id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?;
            let changed: HashSet<&str> = restored.iter().map(|(id, _)| id.as_str()).collect();
            let new_ids: Vec<String> = tx
                .prepare("SELECT external_id FROM lead WHERE import_id = ?1")?
                .query_map([import_id], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?
                .into_iter()
                .filter(|id| !changed.contains(id.as_str()))
                .collect();
            for id in &new_ids {
                tx.execute("DELETE FROM lead WHERE external_id = ?1", [id])?;
            }
            let mut update = tx.prepare(UPDATE_LEAD)?;
            for (_, previous) in &restored {
                let value: serde_json::Value = serde_json::from_str(previous)
                    .map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
                let lead: Lead = serde_json::from_value(value["lead"].clone())
                    .map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
                let old_import = value["import_id"].as_i64();
                write_lead(&mut update, &lead, old_import)?;
                months.insert(created_month(&lead));
            }
            let sla = crate::settings::get(tx)?.sla;
            let months: Vec<i64> = months.into_iter().collect();
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

fn save_value_mappings(conn: &Connection, values: &ValueMapping) -> Result<()> {
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
fn new_source_defaults() -> SourceAssumptions {
    SourceAssumptions {
        cost_per_lead: Money::ZERO,
        fixed_monthly_cost: Money::ZERO,
        contact_rate: 1.0,
        appointment_rate: 1.0,
        close_rate: 1.0,
        direct_conversion: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pragma(wb: &Workbook, name: &str) -> i64 {
        wb.conn
            .pragma_query_value(None, name, |r| r.get(0))
            .unwrap()
    }

    /// An import switches foreign keys and CHECK constraints off for its own writes; after
    /// it, whether it completed or was cancelled, the workbook enforces both again.
    #[test]
    fn constraints_are_enforced_again_after_an_import() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = Workbook::create(
            &dir.path().join("w.leadplan"),
            &leadplan_core::Settings::default(),
        )
        .unwrap();
        let mut csv = Vec::new();
        crate::demo::write_demo_csv(&mut csv, 20_000, 3, 2025).unwrap();
        let request = ImportRequest {
            file_name: "leads.csv".into(),
            options: ImportOptions::default(),
            mode: ImportMode::ValidRowsOnly,
            add_unknown_sources: false,
            dry_run: false,
        };
        let now = Utc::now();
        for flow in [Flow::Stop, Flow::Continue] {
            let _ = wb.import_leads(&csv, &request, now, |_| flow);
            assert_eq!(pragma(&wb, "foreign_keys"), 1);
            assert_eq!(pragma(&wb, "ignore_check_constraints"), 0);
            let bad_stage = wb.conn.execute(
                "INSERT INTO lead (external_id, created_at, created_month, attempts, stage)
                 VALUES ('bad', 0, 197001, 0, 'maybe')",
                [],
            );
            assert!(bad_stage.is_err(), "{flow:?}: {bad_stage:?}");
        }
        assert_eq!(wb.lead_count().unwrap(), 20_000);
    }
}
