//! Writing an import's leads. The file is read on one thread per core
//! ([`leadplan_import::read_leads_parallel`]); on those threads every valid lead is checked
//! against the leads stored already, and new leads are packed into blocks and rolled up.
//! This thread takes the backup, holds the transaction and stores the blocks as they fill;
//! at the end it writes changed copies of the blocks whose leads the file changed, brings
//! the rollups up to date and records the import. Nothing is committed unless all of it
//! worked (and, for all or nothing, no row was rejected).

use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel};
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use chrono::{DateTime, Timelike, Utc};
use leadplan_core::actuals::{LeadRollup, RollupAccumulator};
use leadplan_core::{FollowUpSla, Lead, SourceKind};
use leadplan_import::{
    FileLayout, Flow, ImportReport, LeadConsumer, LeadRow, Progress, ReadControl,
    read_leads_parallel,
};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior, params};
use rustc_hash::{FxHashMap, FxHashSet};

use crate::catalogue::{NewSource, insert_source, list_product_lines, list_sources};
use crate::error::{Result, WorkbookError};
use crate::import::{
    ImportMode, ImportRequest, ImportSummary, key, new_source_defaults, save_value_mappings,
    sha256, workbook_options,
};
use crate::lead_block::{Block, BlockBuilder};
use crate::leads::{
    BlockFiller, LeadIndex, Location, NewBlock, StoredLeads, created_month, insert_block,
};
use crate::sql::ts;
use crate::store::Workbook;

/// How often the caller hears of the progress and may cancel.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(50);
/// Full blocks the readers may be ahead of the writer.
const BLOCKS_IN_FLIGHT: usize = 16;
/// Spellings of names a reading thread remembers at most.
const SPELLINGS_KEPT: usize = 10_000;

/// How many threads read a file: one per core.
fn reading_threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
}

/// What the reading threads send this one.
enum ToWriter {
    /// A full block of part `part` of the file.
    Block { part: usize, block: NewBlock },
    /// A source the file names and the workbook lacks, to be added (only when the request
    /// asks for it; the file is then read on one thread, so sources are added in file
    /// order); the answer is its id.
    AddSource(String, SyncSender<Option<i64>>),
}

/// The workbook's source or product-line names with their ids. The reader gives the names
/// the workbook knows as the workbook spells them (matched ignoring case, spaces and web
/// domains, and through the user's mapping), so they are looked up as they are.
type NameIds = FxHashMap<String, i64>;

fn name_ids(names: impl Iterator<Item = (String, i64)>) -> NameIds {
    names
        .map(|(name, id)| (name.trim().to_owned(), id))
        .collect()
}

/// What the reading threads check leads against, set once the transaction has begun.
struct Context<'s> {
    stored: LeadIndex<'s>,
    sources: NameIds,
    lines: NameIds,
    sla: FollowUpSla,
}

/// The leads of one part of the file: new ones packed into blocks and rolled up, the
/// stored ones they change kept for the end.
struct LeadSink<'c> {
    context: &'c Context<'c>,
    part: usize,
    /// Full blocks go to the writer at once, also those of a part not yet known to count
    /// (they are deleted again if it does not).
    send: SyncSender<ToWriter>,
    filler: BlockFiller,
    rollup: RollupAccumulator,
    new: u64,
    unchanged: u64,
    /// Where the changed leads are stored, and their new state (packed, in the same order).
    changed_at: Vec<Location>,
    changed: BlockBuilder,
    lead: LeadBuffer,
    /// Sources added for names the workbook lacked, by spelling.
    added: FxHashMap<String, Option<i64>>,
    /// Set when the writer has gone (it failed or the import was cancelled).
    writer_gone: bool,
}

impl LeadSink<'_> {
    fn take(&mut self, row: LeadRow<'_>, add_sources: bool) {
        let source_id = match row.source.as_deref() {
            None => None,
            Some(name) => self.source_id(name, add_sources),
        };
        let product_line_id = row
            .product_line
            .as_deref()
            .and_then(|name| self.context.lines.get(name).copied());
        let lead = &mut self.lead;
        lead.set(&row, source_id, product_line_id);
        let lead = &lead.lead;
        let stored = &self.context.stored;
        if !stored.is_empty()
            && let Some(at) = stored.find(&lead.external_id)
        {
            // a stored lead that cannot be read is replaced by the file's
            if stored.lead(at).is_ok_and(|old| old == *lead) {
                self.unchanged += 1;
            } else {
                self.changed_at.push(at);
                self.changed.push(lead);
            }
            return;
        }
        self.new += 1;
        self.rollup.add(lead);
        if let Some(block) = self.filler.push(lead) {
            self.ship(block);
        }
    }

    fn source_id(&mut self, name: &str, add: bool) -> Option<i64> {
        if let Some(&id) = self.context.sources.get(name) {
            return Some(id);
        }
        if !add {
            return None;
        }
        if let Some(&id) = self.added.get(name) {
            return id;
        }
        let id = self.add_source(name);
        if self.added.len() < SPELLINGS_KEPT {
            self.added.insert(name.to_owned(), id);
        }
        id
    }

    /// Asks the writer to add a source; its id, or `None` when it could not be added.
    fn add_source(&mut self, name: &str) -> Option<i64> {
        let (answer, id) = sync_channel(1);
        self.send
            .send(ToWriter::AddSource(name.trim().to_owned(), answer))
            .ok()?;
        id.recv().ok().flatten()
    }

    fn ship(&mut self, block: NewBlock) {
        if !self.writer_gone {
            let part = self.part;
            self.writer_gone = self.send.send(ToWriter::Block { part, block }).is_err();
        }
    }
}

/// The lead a row becomes, rewritten in place for every row (its texts keep their memory).
#[derive(Debug)]
struct LeadBuffer {
    lead: Lead,
    spare: Vec<String>,
}

impl Default for LeadBuffer {
    fn default() -> Self {
        LeadBuffer {
            lead: Lead {
                external_id: String::new(),
                created_at: DateTime::UNIX_EPOCH,
                source_id: None,
                product_line_id: None,
                first_attempt_at: None,
                first_two_way_at: None,
                attempts: 0,
                stage: leadplan_core::Stage::New,
                lost_reason: None,
                appointment_at: None,
                won_at: None,
                value: None,
                owner: None,
            },
            spare: Vec::new(),
        }
    }
}

impl LeadBuffer {
    /// The lead as stored: names resolved to ids, times to the second.
    fn set(&mut self, row: &LeadRow<'_>, source_id: Option<i64>, product_line_id: Option<i64>) {
        let second = |t: DateTime<Utc>| {
            if t.nanosecond() == 0 {
                t
            } else {
                t.with_nanosecond(0).unwrap_or(t)
            }
        };
        let l = &mut self.lead;
        l.external_id.clear();
        l.external_id.push_str(&row.external_id);
        l.created_at = second(row.created_at);
        l.source_id = source_id;
        l.product_line_id = product_line_id;
        l.first_attempt_at = row.first_attempt_at.map(second);
        l.first_two_way_at = row.first_two_way_at.map(second);
        l.attempts = row.attempts;
        l.stage = row.stage;
        l.appointment_at = row.appointment_at.map(second);
        l.won_at = row.won_at.map(second);
        l.value = row.value;
        for (text, to) in [
            (row.lost_reason.as_deref(), &mut l.lost_reason),
            (row.owner.as_deref(), &mut l.owner),
        ] {
            match (text, to.as_mut()) {
                (Some(t), Some(s)) => {
                    s.clear();
                    s.push_str(t);
                }
                (Some(t), None) => {
                    let mut s = self.spare.pop().unwrap_or_default();
                    s.push_str(t);
                    *to = Some(s);
                }
                (None, _) => {
                    if let Some(mut s) = to.take() {
                        s.clear();
                        self.spare.push(s);
                    }
                }
            }
        }
    }
}

/// The reading threads' side of an import.
struct Importer<'c> {
    opened: SyncSender<FileLayout>,
    go: Mutex<Receiver<bool>>,
    context: &'c OnceLock<Context<'c>>,
    to_writer: SyncSender<ToWriter>,
    add_sources: bool,
}

impl<'c> LeadConsumer for Importer<'c> {
    type Sink = LeadSink<'c>;

    fn opened(&self, layout: &FileLayout) -> Flow {
        let go = self.opened.send(layout.clone()).is_ok()
            && self
                .go
                .lock()
                .is_ok_and(|answer| answer.recv().unwrap_or(false));
        if go { Flow::Continue } else { Flow::Stop }
    }

    fn sink(&self, part: usize) -> LeadSink<'c> {
        // set before `opened` lets the read go on; an empty one if that ever failed
        let context = self.context.get_or_init(|| Context {
            stored: LeadIndex::default(),
            sources: NameIds::default(),
            lines: NameIds::default(),
            sla: FollowUpSla::default(),
        });
        LeadSink {
            context,
            part,
            send: self.to_writer.clone(),
            filler: BlockFiller::default(),
            rollup: RollupAccumulator::new(&context.sla),
            new: 0,
            unchanged: 0,
            changed_at: Vec::new(),
            changed: BlockBuilder::default(),
            lead: LeadBuffer::default(),
            added: FxHashMap::default(),
            writer_gone: false,
        }
    }

    fn lead(&self, sink: &mut LeadSink<'c>, lead: LeadRow<'_>) {
        sink.take(lead, self.add_sources);
    }
}

impl Workbook {
    /// Imports a CRM export (see [`ImportRequest`]); `progress` is called every 50 ms or so
    /// and may stop the import, which then writes nothing.
    ///
    /// The file is read on one thread per core while this one writes.
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
        progress: impl FnMut(Progress) -> Flow,
    ) -> Result<ImportSummary> {
        self.import_leads_on(reading_threads(), bytes, request, now, progress)
    }

    /// [`Workbook::import_leads`] reading on up to `threads` threads.
    fn import_leads_on(
        &mut self,
        threads: usize,
        bytes: &[u8],
        request: &ImportRequest,
        now: DateTime<Utc>,
        mut progress: impl FnMut(Progress) -> Flow,
    ) -> Result<ImportSummary> {
        if self.is_read_only() {
            return Err(WorkbookError::ReadOnly);
        }
        let options = workbook_options(&self.conn, bytes, request.options.clone())?;
        // sources are added in file order
        let threads = if request.add_unknown_sources {
            1
        } else {
            threads
        };
        let control = ReadControl::default();
        let (opened, opened_here) = sync_channel(1);
        let (go, go_there) = sync_channel(1);
        let (to_writer, from_readers) = sync_channel(BLOCKS_IN_FLIGHT);
        let stored_cell = OnceLock::new();
        let context_cell = OnceLock::new();
        let importer = Importer {
            opened,
            go: Mutex::new(go_there),
            context: &context_cell,
            to_writer,
            add_sources: request.add_unknown_sources,
        };
        let path = self.path().to_owned();
        let conn = &mut self.conn;
        std::thread::scope(|scope| {
            // hashed beside the reading: a tenth of a second for 100 MB
            let hashing = scope.spawn(|| sha256(bytes));
            let reading =
                scope.spawn(|| read_leads_parallel(bytes, &options, threads, &control, &importer));
            // the file opened (else the reader says why) before anything is written
            while let Err(RecvTimeoutError::Timeout) = opened_here.recv_timeout(PROGRESS_INTERVAL) {
                if reading.is_finished() && opened_here.try_recv().is_err() {
                    return Err(match reading.join() {
                        Ok(Err(e)) => WorkbookError::Import(e.to_string()),
                        _ => WorkbookError::Import("the reader stopped unexpectedly".into()),
                    });
                }
            }
            // the backup reads the workbook as it is now through a connection of its own, beside
            // the reading; the import is committed only once it is complete
            let path = &path;
            let backing_up = (!request.dry_run).then(|| {
                scope.spawn(move || {
                    let before = Connection::open_with_flags(
                        path,
                        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                    )?;
                    crate::backup::take(&before, path, now, crate::backup::BackupReason::Import)
                })
            });
            let tx = match begin(conn, &request.file_name, now, &stored_cell, &context_cell) {
                Ok(started) => started,
                Err(e) => {
                    let _ = go.send(false);
                    let _ = reading.join();
                    return Err(e);
                }
            };
            let _ = go.send(true);
            let (tx, import_id) = tx;
            let mut written = Writing {
                tx: &tx,
                import_id,
                blocks: Vec::new(),
                sources_added: FxHashMap::default(),
                error: None,
            };
            let cancelled = written.receive(&from_readers, &control, &reading, &mut progress);
            let read = match reading.join() {
                Ok(Ok(read)) => read,
                Ok(Err(e)) => return Err(WorkbookError::Import(e.to_string())),
                Err(_) => {
                    return Err(WorkbookError::Import(
                        "the reader stopped unexpectedly".into(),
                    ));
                }
            };
            if let Some(e) = written.error {
                return Err(e);
            }
            if cancelled || read.report.cancelled {
                return Err(WorkbookError::Cancelled);
            }
            let Some(context) = context_cell.get() else {
                return Err(WorkbookError::Import(
                    "the reader stopped unexpectedly".into(),
                ));
            };
            let counted: Vec<usize> = read.sinks.iter().map(|s| s.part).collect();
            written.drop_parts_except(&counted)?;
            let rejected = read.report.counts.rejected > 0;
            let keep = !(request.dry_run || request.mode == ImportMode::AllOrNothing && rejected);
            let sha256 = hashing
                .join()
                .map_err(|_| WorkbookError::Import("hashing the file failed".into()))?;
            if let Some(backing_up) = backing_up {
                backing_up.join().map_err(|_| {
                    WorkbookError::Import("the backup stopped unexpectedly".into())
                })??;
            }
            tx.execute(
                "UPDATE import SET sha256 = ?2 WHERE id = ?1",
                params![import_id, sha256],
            )?;
            let mut summary = finish(
                &tx,
                request,
                import_id,
                context,
                read.report,
                read.sinks,
                keep,
                sha256,
            )?;
            summary.sources_added = written.sources_added();
            if keep {
                tx.commit()?;
            }
            Ok(summary)
        })
    }
}

/// Begins the import's transaction: the stored leads loaded and indexed for the reading
/// threads, the import recorded (its figures follow at the end).
fn begin<'c, 's>(
    conn: &'c mut Connection,
    file_name: &str,
    now: DateTime<Utc>,
    stored: &'s OnceLock<StoredLeads>,
    context: &'s OnceLock<Context<'s>>,
) -> Result<(Transaction<'c>, i64)> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let loaded = StoredLeads::load(&tx)?;
    let stored = stored.get_or_init(|| loaded);
    let loaded = Context {
        stored: stored.index()?,
        sources: name_ids(list_sources(&tx)?.into_iter().map(|s| (s.name, s.id))),
        lines: name_ids(list_product_lines(&tx)?.into_iter().map(|p| (p.name, p.id))),
        sla: crate::settings::get(&tx)?.sla,
    };
    // `begin` runs once, before any reading thread looks
    let _ = context.set(loaded);
    tx.execute(
        "INSERT INTO import (file_name, format, sha256, imported_at) VALUES (?1, '', '', ?2)",
        params![file_name, ts(now)],
    )?;
    let import_id = tx.last_insert_rowid();
    Ok((tx, import_id))
}

/// Where the blocks go while the file is read.
struct Writing<'t> {
    tx: &'t Transaction<'t>,
    import_id: i64,
    /// The blocks stored so far, by part of the file.
    blocks: Vec<Vec<i64>>,
    /// Sources added, by name ignoring case.
    sources_added: FxHashMap<String, (String, i64)>,
    error: Option<WorkbookError>,
}

impl Writing<'_> {
    /// Stores the blocks as they come until the reading has ended, telling `progress` how
    /// far it is; returns whether `progress` asked to stop.
    fn receive<T>(
        &mut self,
        from: &Receiver<ToWriter>,
        control: &ReadControl,
        reading: &std::thread::ScopedJoinHandle<'_, T>,
        progress: &mut impl FnMut(Progress) -> Flow,
    ) -> bool {
        let mut cancelled = false;
        let mut told = std::time::Instant::now();
        loop {
            match from.recv_timeout(PROGRESS_INTERVAL) {
                Ok(message) => self.handle(message, control),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
            if reading.is_finished() {
                while let Ok(message) = from.try_recv() {
                    self.handle(message, control);
                }
                break;
            }
            if !cancelled && told.elapsed() >= PROGRESS_INTERVAL {
                told = std::time::Instant::now();
                if progress(control.progress()) == Flow::Stop {
                    cancelled = true;
                    control.cancel();
                }
            }
        }
        if !cancelled {
            // the last report cannot stop anything any more
            let _ = progress(control.progress());
        }
        cancelled
    }

    fn handle(&mut self, message: ToWriter, control: &ReadControl) {
        if self.error.is_some() {
            // the import failed: the readers are stopping, what they send is dropped
            if let ToWriter::AddSource(_, answer) = message {
                let _ = answer.send(None);
            }
            return;
        }
        let done = match message {
            ToWriter::Block { part, block } => insert_block(self.tx, &block, Some(self.import_id))
                .map(|id| {
                    if self.blocks.len() <= part {
                        self.blocks.resize_with(part + 1, Vec::new);
                    }
                    self.blocks[part].push(id);
                }),
            ToWriter::AddSource(name, answer) => {
                let added = match self.sources_added.get(&key(&name)) {
                    Some(&(_, id)) => Ok(id),
                    None => self.add_source(name),
                };
                let _ = answer.send(added.as_ref().ok().copied());
                added.map(|_| ())
            }
        };
        if let Err(e) = done {
            self.error = Some(e);
            control.cancel();
        }
    }
}

impl Writing<'_> {
    fn add_source(&mut self, name: String) -> Result<i64> {
        let source = NewSource {
            name,
            kind: SourceKind::Paid,
            defaults: new_source_defaults(),
        };
        let id = insert_source(self.tx, &source)?;
        self.sources_added
            .insert(key(&source.name), (source.name, id));
        Ok(id)
    }

    /// Deletes the blocks of the parts of the file that did not count (read again after the
    /// part before).
    fn drop_parts_except(&self, counted: &[usize]) -> Result<()> {
        let mut delete = self.tx.prepare("DELETE FROM lead_block WHERE id = ?1")?;
        for (part, ids) in self.blocks.iter().enumerate() {
            if !counted.contains(&part) {
                for id in ids {
                    delete.execute([id])?;
                }
            }
        }
        Ok(())
    }

    /// The names of the sources added, in the order they were added.
    fn sources_added(&self) -> Vec<String> {
        let mut added: Vec<&(String, i64)> = self.sources_added.values().collect();
        added.sort_by_key(|(_, id)| *id);
        added.into_iter().map(|(name, _)| name.clone()).collect()
    }
}

/// What the reading threads found, written: the blocks they kept, the changed copies of
/// stored blocks, the rollups, the import's record. Only counted when `keep` is false.
#[allow(clippy::too_many_arguments)] // the parts of one import, each used once
fn finish(
    tx: &Transaction<'_>,
    request: &ImportRequest,
    import_id: i64,
    context: &Context<'_>,
    report: ImportReport,
    sinks: Vec<LeadSink<'_>>,
    keep: bool,
    sha256: String,
) -> Result<ImportSummary> {
    let (mut new, mut unchanged) = (0, 0);
    let mut direct = RollupAccumulator::new(&context.sla);
    let mut changes: std::collections::BTreeMap<u32, Vec<(u32, Lead)>> = Default::default();
    for sink in sinks {
        new += sink.new;
        unchanged += sink.unchanged;
        let changed = sink.changed.finish();
        for (at, lead) in sink.changed_at.iter().zip(Block::open(&changed)?.leads()) {
            changes
                .entry(at.block)
                .or_default()
                .push((at.offset, lead?.1));
        }
        if keep {
            for block in sink.filler.finish() {
                insert_block(tx, &block, Some(import_id))?;
            }
            for row in sink.rollup.finish() {
                direct.add_rollup(&row);
            }
        }
    }
    let updated = changes.values().map(Vec::len).sum::<usize>() as u64;
    if keep {
        let changed_months = write_changed(tx, import_id, &context.stored, changes)?;
        update_rollups(tx, &context.sla, direct, &changed_months)?;
        record(tx, import_id, &report, new, updated, unchanged)?;
        if let Some(mapping) = &report.layout.mapping
            && report.layout.preset.is_none()
        {
            let json = serde_json::to_string(mapping)
                .map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
            tx.execute(
                "INSERT INTO column_mapping (signature, mapping) VALUES (?1, ?2)
                 ON CONFLICT (signature) DO UPDATE SET mapping = excluded.mapping",
                params![report.layout.signature, json],
            )?;
        }
        save_value_mappings(tx, &request.options.values)?;
    }
    Ok(ImportSummary {
        import_id: keep.then_some(import_id),
        imported: keep,
        report,
        new,
        updated,
        unchanged,
        sources_added: Vec::new(),
        sha256,
    })
}

/// Replaces every stored block with a changed lead by a changed copy (a lead whose creation
/// month changed moves to a block of its new month); the old blocks stay, marked as replaced
/// by the import. Returns the months whose leads changed.
fn write_changed(
    tx: &Transaction<'_>,
    import_id: i64,
    stored: &LeadIndex<'_>,
    changes: std::collections::BTreeMap<u32, Vec<(u32, Lead)>>,
) -> Result<FxHashSet<i64>> {
    let mut months = FxHashSet::default();
    let mut moved = BlockFiller::default();
    for (block, changes) in changes {
        let (id, month) = stored.block_key(block)?;
        let mut changes: FxHashMap<u32, Lead> = changes.into_iter().collect();
        let mut copy = BlockBuilder::default();
        for (offset, lead) in stored.block_leads(block)? {
            match changes.remove(&offset) {
                Some(new) if created_month(&new) == month => copy.push(&new),
                Some(new) => {
                    months.insert(created_month(&new));
                    if let Some(full) = moved.push(&new) {
                        insert_block(tx, &full, Some(import_id))?;
                    }
                }
                None => copy.push(&lead),
            }
        }
        tx.execute(
            "UPDATE lead_block SET replaced_by = ?1 WHERE id = ?2",
            params![import_id, id],
        )?;
        if !copy.is_empty() {
            let block = NewBlock {
                month,
                leads: copy.len(),
                bytes: copy.finish(),
            };
            insert_block(tx, &block, Some(import_id))?;
        }
        months.insert(month);
    }
    for block in moved.finish() {
        insert_block(tx, &block, Some(import_id))?;
    }
    Ok(months)
}

/// New leads are added to the stored rollups of their month; a month where a stored lead
/// changed is rolled up anew from its blocks.
fn update_rollups(
    tx: &Transaction<'_>,
    sla: &FollowUpSla,
    direct: RollupAccumulator,
    changed_months: &FxHashSet<i64>,
) -> Result<()> {
    let month_of = |r: &LeadRollup| i64::from(r.year) * 100 + i64::from(r.month);
    let new_rows = direct.finish();
    let rolled_up: FxHashSet<i64> = tx
        .prepare("SELECT DISTINCT year * 100 + month FROM lead_rollup")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let added: FxHashSet<i64> = new_rows
        .iter()
        .map(month_of)
        .filter(|m| !changed_months.contains(m))
        .collect();
    let mut merged = RollupAccumulator::new(sla);
    for &m in added.iter().filter(|m| rolled_up.contains(m)) {
        for row in crate::rollups::load(tx, m, m)? {
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
    crate::rollups::insert(tx, &merged.finish())?;
    let months: Vec<i64> = changed_months.iter().copied().collect();
    crate::rollups::rebuild(tx, sla, Some(&months))
}

/// The import's figures and report.
fn record(
    tx: &Transaction<'_>,
    import_id: i64,
    report: &ImportReport,
    new: u64,
    updated: u64,
    unchanged: u64,
) -> Result<()> {
    let c = &report.counts;
    let n = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    let json = serde_json::to_string(report).map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
    tx.execute(
        "UPDATE import SET format = ?2, rows_read = ?3, rows_imported = ?4, rows_rejected = ?5,
             duplicates = ?6, leads_new = ?7, leads_updated = ?8, leads_unchanged = ?9,
             report = ?10
         WHERE id = ?1",
        params![
            import_id,
            format!("{:?}", report.layout.format).to_lowercase(),
            n(c.read),
            n(new + updated + unchanged),
            n(c.rejected),
            n(c.duplicates),
            n(new),
            n(updated),
            n(unchanged),
            json
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use leadplan_core::Settings;
    use leadplan_import::ImportOptions;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
    }

    fn request() -> ImportRequest {
        ImportRequest {
            file_name: "leads.csv".into(),
            options: ImportOptions::default(),
            mode: ImportMode::ValidRowsOnly,
            add_unknown_sources: false,
            dry_run: false,
        }
    }

    /// 20,000 demo leads (2.6 MB, so read in parts) with `edit` applied to the text.
    fn csv(edit: impl FnOnce(String) -> String) -> Vec<u8> {
        let mut bytes = Vec::new();
        crate::demo::write_demo_csv(&mut bytes, 20_000, 3, 2025).unwrap();
        edit(String::from_utf8(bytes).unwrap()).into_bytes()
    }

    /// A workbook with the demo's sources and product lines, no leads.
    fn workbook(dir: &std::path::Path, name: &str) -> Workbook {
        let mut wb = Workbook::create(&dir.join(name), &Settings::default()).unwrap();
        for s in crate::demo::SOURCES {
            wb.add_source(&NewSource {
                name: s.name.into(),
                kind: SourceKind::Paid,
                defaults: new_source_defaults(),
            })
            .unwrap();
        }
        wb
    }

    /// Everything an import leaves that a user can see: the summary, every lead, the counts.
    fn outcome(
        threads: usize,
        bytes: &[u8],
    ) -> (ImportSummary, Vec<Lead>, Vec<crate::LeadCount>, u64) {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = workbook(dir.path(), "w.leadplan");
        let mut summary = wb
            .import_leads_on(threads, bytes, &request(), now(), |_| Flow::Continue)
            .unwrap();
        summary.import_id = None;
        let blocks: i64 = wb
            .conn
            .query_row("SELECT COALESCE(SUM(leads), 0) FROM lead_block", [], |r| {
                r.get(0)
            })
            .unwrap();
        (
            summary,
            wb.leads_created_between(0, 999_999).unwrap(),
            wb.lead_counts(2025).unwrap(),
            u64::try_from(blocks).unwrap(),
        )
    }

    #[test]
    fn a_file_read_in_parts_imports_what_one_thread_imports() {
        let bytes = csv(|s| s);
        let one = outcome(1, &bytes);
        assert_eq!(one.1.len(), 20_000);
        assert_eq!(one.3, 20_000, "every block stored counts");
        for threads in [2, 3] {
            assert_eq!(outcome(threads, &bytes), one, "{threads} threads");
        }
    }

    #[test]
    fn parts_read_again_leave_none_of_their_blocks_behind() {
        // a quote in an unquoted field makes every guessed start of a part wrong
        let bytes = csv(|s| s.replacen("No response", "5\" tyre", 1));
        let one = outcome(1, &bytes);
        let three = outcome(3, &bytes);
        assert_eq!(
            three.3, 20_000,
            "the blocks of the parts read again are gone"
        );
        assert_eq!(three, one);
    }

    #[test]
    fn a_repeated_id_in_a_file_read_in_parts_is_rejected_as_on_one_thread() {
        let bytes = csv(|s| {
            let last =
                s.lines()
                    .last()
                    .unwrap()
                    .replacen("CRM-2025-0020000", "CRM-2025-0000007", 1);
            format!("{s}{last}\n")
        });
        let one = outcome(1, &bytes);
        assert_eq!(one.0.report.counts.duplicates, 1);
        assert_eq!(one.1.len(), 20_000);
        assert_eq!(outcome(2, &bytes), one);
    }
}
