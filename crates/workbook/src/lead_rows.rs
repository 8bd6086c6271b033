//! Leads as schema 4 stored them, a row each in `lead` (and the state before an import
//! changed them in `lead_history`): moved into blocks by the upgrade to schema 5.

use std::collections::BTreeMap;

use leadplan_core::{Lead, Money, Stage};
use rusqlite::{Connection, Transaction, params};
use rusqlite_migration::{HookError, HookResult};

use crate::error::{Result, WorkbookError};
use crate::leads::{BlockFiller, NewBlock};
use crate::sql::{code, count, opt_time, time};

fn lead_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Lead> {
    Ok(Lead {
        external_id: r.get(0)?,
        created_at: time(r, 1)?,
        source_id: r.get(2)?,
        product_line_id: r.get(3)?,
        first_attempt_at: opt_time(r, 4)?,
        first_two_way_at: opt_time(r, 5)?,
        attempts: count(r, 6)?,
        stage: code(r, 7, Stage::parse)?,
        lost_reason: r.get(8)?,
        appointment_at: opt_time(r, 9)?,
        won_at: opt_time(r, 10)?,
        value: r.get::<_, Option<i64>>(11)?.map(Money),
        owner: r.get(12)?,
    })
}

/// The blocks being filled: one filler per (import that wrote, import that replaced).
type Fillers = BTreeMap<(Option<i64>, Option<i64>), BlockFiller>;

fn store(conn: &Connection, key: (Option<i64>, Option<i64>), block: &NewBlock) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO lead_block (created_month, leads, import_id, replaced_by, data)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        block.month,
        i64::try_from(block.leads).unwrap_or(i64::MAX),
        key.0,
        key.1,
        block.bytes
    ])?;
    Ok(())
}

fn add(
    conn: &Connection,
    fillers: &mut Fillers,
    key: (Option<i64>, Option<i64>),
    lead: &Lead,
) -> Result<()> {
    if let Some(block) = fillers.entry(key).or_default().push(lead) {
        store(conn, key, &block)?;
    }
    Ok(())
}

/// Moves every lead into blocks by the import that last wrote it, and the earlier state of
/// the leads an import still in effect changed into blocks replaced by that import (so it
/// can still be undone); then drops the old tables.
fn move_into_blocks(tx: &Transaction<'_>) -> Result<()> {
    let mut fillers = Fillers::new();
    {
        let mut stmt = tx.prepare(
            "SELECT external_id, created_at, source_id, product_line_id, first_attempt_at,
                    first_two_way_at, attempts, stage, lost_reason, appointment_at, won_at,
                    value_cents, owner, import_id
             FROM lead ORDER BY created_at, external_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let lead = lead_from_row(row)?;
            add(tx, &mut fillers, (row.get(13)?, None), &lead)?;
        }
        let mut stmt = tx.prepare(
            "SELECT h.import_id, h.previous FROM lead_history h JOIN import i ON i.id = h.import_id
             WHERE i.undone_at IS NULL ORDER BY h.import_id, h.external_id",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let replaced_by: i64 = row.get(0)?;
            let previous: String = row.get(1)?;
            let bad = |e: serde_json::Error| WorkbookError::Corrupt(format!("lead history: {e}"));
            let value: serde_json::Value = serde_json::from_str(&previous).map_err(bad)?;
            let lead: Lead = serde_json::from_value(value["lead"].clone()).map_err(bad)?;
            let written_by = value["import_id"].as_i64();
            add(tx, &mut fillers, (written_by, Some(replaced_by)), &lead)?;
        }
    }
    for (key, filler) in fillers {
        for block in filler.finish() {
            store(tx, key, &block)?;
        }
    }
    tx.execute_batch("DROP TABLE lead_history; DROP TABLE lead;")?;
    Ok(())
}

/// The upgrade hook of schema 5.
pub(crate) fn upgrade_to_blocks(tx: &Transaction<'_>) -> HookResult {
    move_into_blocks(tx).map_err(|e| match e {
        WorkbookError::Sqlite(e) => HookError::RusqliteError(e),
        other => HookError::Hook(other.to_string()),
    })
}
