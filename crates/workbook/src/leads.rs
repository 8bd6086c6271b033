//! Actual leads and monthly spend. Leads are stored in blocks (see [`crate::lead_block`]):
//! `lead_block` holds the blocks of every import and of leads added otherwise; a block an
//! import changed stays, marked as replaced by that import, so that undoing the import puts
//! it back.

use chrono::{DateTime, Datelike, Utc};
use leadplan_core::{Lead, Money, Rule, Spend, Validator, YearMonth};
use rusqlite::{Connection, params};
use rustc_hash::FxHashMap;

use crate::error::{Result, WorkbookError};
use crate::lead_block::{BadBlock, Block, BlockBuilder};
use crate::store::Workbook;

/// Calendar year × 100 + month of a time: the cohort a lead created then belongs to.
pub(crate) fn month_of(t: DateTime<Utc>) -> i64 {
    let t = t.naive_utc();
    i64::from(t.year()) * 100 + i64::from(t.month())
}

/// `created_month` of a lead.
pub(crate) fn created_month(lead: &Lead) -> i64 {
    month_of(lead.created_at)
}

impl From<BadBlock> for WorkbookError {
    fn from(e: BadBlock) -> Self {
        WorkbookError::Corrupt(e.to_string())
    }
}

/// A block of leads of one creation month, ready to be stored.
#[derive(Debug)]
pub(crate) struct NewBlock {
    pub month: i64,
    pub leads: usize,
    pub bytes: Vec<u8>,
}

/// Stores a block of leads written by `import_id` (`None`: added otherwise); returns its
/// row id.
pub(crate) fn insert_block(
    conn: &Connection,
    block: &NewBlock,
    import_id: Option<i64>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO lead_block (created_month, leads, import_id, data) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        block.month,
        i64::try_from(block.leads).unwrap_or(i64::MAX),
        import_id,
        block.bytes
    ])?;
    Ok(conn.last_insert_rowid())
}

/// New leads sorted into blocks by creation month as they come.
#[derive(Debug, Default)]
pub(crate) struct BlockFiller {
    open: FxHashMap<i64, BlockBuilder>,
}

impl BlockFiller {
    /// Adds a lead; hands back its month's block when that is full.
    pub fn push(&mut self, lead: &Lead) -> Option<NewBlock> {
        let month = created_month(lead);
        let block = self.open.entry(month).or_default();
        block.push(lead);
        if !block.is_full() {
            return None;
        }
        let full = std::mem::take(block);
        Some(NewBlock {
            month,
            leads: full.len(),
            bytes: full.finish(),
        })
    }

    /// The blocks not yet full.
    pub fn finish(self) -> impl Iterator<Item = NewBlock> {
        self.open
            .into_iter()
            .filter(|(_, b)| !b.is_empty())
            .map(|(month, b)| NewBlock {
                month,
                leads: b.len(),
                bytes: b.finish(),
            })
    }
}

/// Stores leads the workbook does not have yet, in blocks of `import_id`.
///
/// # Errors
/// A lead whose external id the workbook or `leads` has already (nothing is written then).
pub(crate) fn insert_new(conn: &Connection, leads: &[Lead], import_id: Option<i64>) -> Result<()> {
    let stored = StoredLeads::load(conn)?;
    let index = stored.index()?;
    let mut ids = rustc_hash::FxHashSet::default();
    for l in leads {
        if index.find(&l.external_id).is_some() || !ids.insert(l.external_id.as_str()) {
            let mut v = Validator::new();
            v.fail("external_id", Rule::Duplicate);
            v.finish()?;
        }
    }
    let mut filler = BlockFiller::default();
    for l in leads {
        if let Some(block) = filler.push(l) {
            insert_block(conn, &block, import_id)?;
        }
    }
    for block in filler.finish() {
        insert_block(conn, &block, import_id)?;
    }
    Ok(())
}

/// Calls `f` with every lead in effect created in one of `months` (each `year * 100 +
/// month`), or with every lead for `None`.
pub(crate) fn for_each_lead(
    conn: &Connection,
    months: Option<&[i64]>,
    mut f: impl FnMut(Lead),
) -> Result<()> {
    let mut each_block = |row: &rusqlite::Row<'_>| -> Result<()> {
        let bytes = row
            .get_ref(0)?
            .as_blob()
            .map_err(|e| WorkbookError::Corrupt(format!("lead block: {e}")))?;
        for lead in Block::open(bytes)?.leads() {
            f(lead?.1);
        }
        Ok(())
    };
    match months {
        None => {
            let mut stmt =
                conn.prepare_cached("SELECT data FROM lead_block WHERE replaced_by IS NULL")?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                each_block(row)?;
            }
        }
        Some(months) => {
            let mut stmt = conn.prepare_cached(
                "SELECT data FROM lead_block WHERE replaced_by IS NULL AND created_month = ?1",
            )?;
            for &month in months {
                let mut rows = stmt.query([month])?;
                while let Some(row) = rows.next()? {
                    each_block(row)?;
                }
            }
        }
    }
    Ok(())
}

/// One stored block in effect, as loaded for an import.
#[derive(Debug)]
pub(crate) struct StoredBlock {
    pub id: i64,
    pub month: i64,
    pub bytes: Vec<u8>,
}

/// The blocks in effect, loaded to check an import's leads against.
#[derive(Debug, Default)]
pub(crate) struct StoredLeads {
    pub blocks: Vec<StoredBlock>,
}

/// Where a stored lead is: its block (index into [`StoredLeads::blocks`]) and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Location {
    pub block: u32,
    pub offset: u32,
}

impl StoredLeads {
    pub fn load(conn: &Connection) -> Result<Self> {
        let mut stmt = conn.prepare_cached(
            "SELECT id, created_month, data FROM lead_block WHERE replaced_by IS NULL ORDER BY id",
        )?;
        let blocks = stmt
            .query_map([], |r| {
                Ok(StoredBlock {
                    id: r.get(0)?,
                    month: r.get(1)?,
                    bytes: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(StoredLeads { blocks })
    }

    /// The stored leads by external id.
    pub fn index(&self) -> Result<LeadIndex<'_>> {
        let blocks = self
            .blocks
            .iter()
            .map(|b| Block::open(&b.bytes))
            .collect::<Result<Vec<_>, _>>()?;
        let mut by_id = FxHashMap::default();
        by_id.reserve(blocks.iter().map(Block::len).sum());
        for (i, block) in blocks.iter().enumerate() {
            for entry in block.ids() {
                let (offset, id) = entry?;
                let location = Location {
                    block: u32::try_from(i).map_err(|_| BadBlock("too many blocks"))?,
                    offset: u32::try_from(offset).map_err(|_| BadBlock("a block is too large"))?,
                };
                by_id.insert(id, location);
            }
        }
        Ok(LeadIndex {
            stored: &self.blocks,
            blocks,
            by_id,
        })
    }
}

/// The stored leads by external id, borrowed from [`StoredLeads`].
#[derive(Debug, Default)]
pub(crate) struct LeadIndex<'s> {
    stored: &'s [StoredBlock],
    blocks: Vec<Block<'s>>,
    by_id: FxHashMap<&'s str, Location>,
}

impl LeadIndex<'_> {
    /// The row id and creation month of block `block`.
    pub fn block_key(&self, block: u32) -> Result<(i64, i64)> {
        let b = self
            .stored
            .get(block as usize)
            .ok_or(BadBlock("no such block"))?;
        Ok((b.id, b.month))
    }

    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }

    pub fn find(&self, external_id: &str) -> Option<Location> {
        self.by_id.get(external_id).copied()
    }

    /// The lead stored at `at`.
    pub fn lead(&self, at: Location) -> Result<Lead> {
        let block = self
            .blocks
            .get(at.block as usize)
            .ok_or(BadBlock("no such block"))?;
        Ok(block.lead_at(at.offset as usize)?)
    }

    /// Every lead of block `block`, with its offset.
    pub fn block_leads(&self, block: u32) -> Result<Vec<(u32, Lead)>> {
        let block = self
            .blocks
            .get(block as usize)
            .ok_or(BadBlock("no such block"))?;
        block
            .leads()
            .map(|r| {
                let (offset, lead) = r?;
                let offset = u32::try_from(offset).map_err(|_| BadBlock("a block is too large"))?;
                Ok((offset, lead))
            })
            .collect()
    }
}

impl Workbook {
    /// Adds leads that are not in the workbook yet (by external id) and brings the monthly
    /// rollups up to date, in one transaction.
    ///
    /// # Errors
    /// A lead whose external id is already there (nothing is added then), storage errors.
    pub fn add_leads(&mut self, leads: &[Lead]) -> Result<()> {
        let mut months: Vec<i64> = leads.iter().map(created_month).collect();
        months.sort_unstable();
        months.dedup();
        self.write(|tx| {
            insert_new(tx, leads, None)?;
            let sla = crate::settings::get(tx)?.sla;
            crate::rollups::rebuild(tx, &sla, Some(&months))
        })
    }

    /// How many leads the workbook holds.
    ///
    /// # Errors
    /// Storage errors.
    pub fn lead_count(&self) -> Result<u64> {
        let n: i64 = self.conn.query_row(
            "SELECT COALESCE(SUM(leads), 0) FROM lead_block WHERE replaced_by IS NULL",
            [],
            |r| r.get(0),
        )?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// Leads created in calendar months `from..=to` (each `year * 100 + month`), oldest first
    /// (by creation time, then external id).
    ///
    /// # Errors
    /// Storage errors, damaged blocks.
    pub fn leads_created_between(&self, from: i64, to: i64) -> Result<Vec<Lead>> {
        let months: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT DISTINCT created_month FROM lead_block
                 WHERE replaced_by IS NULL AND created_month BETWEEN ?1 AND ?2",
            )?
            .query_map([from, to], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let mut leads = Vec::new();
        for_each_lead(&self.conn, Some(&months), |l| leads.push(l))?;
        leads.sort_by(|a, b| (a.created_at, &a.external_id).cmp(&(b.created_at, &b.external_id)));
        Ok(leads)
    }

    /// Leads and won leads per calendar month and source of a calendar year.
    ///
    /// # Errors
    /// Storage errors.
    pub fn lead_counts(&self, year: i32) -> Result<Vec<crate::rollups::LeadCount>> {
        crate::rollups::lead_counts(&self.conn, year)
    }

    /// The calendar years that have leads, ascending.
    ///
    /// # Errors
    /// Storage errors.
    pub fn lead_years(&self) -> Result<Vec<i32>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT created_month / 100 FROM lead_block
             WHERE replaced_by IS NULL ORDER BY 1",
        )?;
        let years = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(years)
    }

    /// Actual spend per source and month of one calendar year.
    ///
    /// # Errors
    /// Storage errors.
    pub fn spend(&self, year: i32) -> Result<Vec<Spend>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT source_id, year, month, amount_cents FROM spend WHERE year = ?1 ORDER BY source_id, month",
        )?;
        let rows = stmt
            .query_map([year], |r| {
                Ok(Spend {
                    source_id: r.get(0)?,
                    year: r.get(1)?,
                    month: r.get(2)?,
                    amount: Money(r.get(3)?),
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Records what was spent on a source in a month (replacing an earlier figure).
    ///
    /// # Errors
    /// `Validation` (negative amount, month outside 1..=12), `Missing` source.
    pub fn set_spend(&mut self, s: &Spend) -> Result<()> {
        self.set_spends(std::slice::from_ref(s))
    }

    /// Records several spend figures at once (a block pasted, an undo): all of them, or none
    /// when one is refused.
    ///
    /// # Errors
    /// As [`Workbook::set_spend`], for the first figure refused.
    pub fn set_spends(&mut self, spends: &[Spend]) -> Result<()> {
        for s in spends {
            check_spend(s)?;
        }
        self.write(|tx| spends.iter().try_for_each(|s| set_spend(tx, s)))
    }
}

/// Actual spend of the calendar months `first..=last`.
pub(crate) fn spend_between(
    conn: &Connection,
    first: YearMonth,
    last: YearMonth,
) -> Result<Vec<Spend>> {
    let key = |ym: YearMonth| i64::from(ym.year) * 100 + i64::from(ym.month);
    let mut stmt = conn.prepare_cached(
        "SELECT source_id, year, month, amount_cents FROM spend
         WHERE year * 100 + month BETWEEN ?1 AND ?2 ORDER BY source_id, year, month",
    )?;
    let rows = stmt
        .query_map([key(first), key(last)], |r| {
            Ok(Spend {
                source_id: r.get(0)?,
                year: r.get(1)?,
                month: r.get(2)?,
                amount: Money(r.get(3)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn check_spend(s: &Spend) -> Result<()> {
    let mut v = Validator::new();
    v.range("month", f64::from(s.month), 1.0, 12.0);
    v.range("year", f64::from(s.year), 1900.0, 9999.0);
    if s.amount.cents() < 0 {
        v.fail(
            "amount",
            Rule::Range {
                min: 0.0,
                max: 1.0e11,
            },
        );
    }
    Ok(v.finish()?)
}

pub(crate) fn set_spend(conn: &Connection, s: &Spend) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM source WHERE id = ?1)",
        [s.source_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(WorkbookError::Missing {
            what: "source",
            id: s.source_id,
        });
    }
    conn.execute(
        "INSERT INTO spend (source_id, year, month, amount_cents) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (source_id, year, month) DO UPDATE SET amount_cents = excluded.amount_cents",
        params![s.source_id, s.year, s.month, s.amount.cents()],
    )?;
    Ok(())
}
