//! Monthly lead rollups: rebuilt for the months whose leads changed, in the same
//! transaction as the change.

use leadplan_core::actuals::{LeadRollup, ResponseHistogram, RollupAccumulator};
use leadplan_core::{FollowUpSla, Money};
use rusqlite::{Connection, params};

use crate::error::{Result, WorkbookError};

pub(crate) fn insert(conn: &Connection, rows: &[LeadRollup]) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO lead_rollup (year, month, source_id, product_line_id, owner, leads, contacted,
             reached, appointments, won, lost, lost_without_attempt, lost_below_min_attempts,
             contacted_within_sla, attempts_on_lost, revenue_cents, response_minutes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    )?;
    let n = |x: u64| i64::try_from(x).unwrap_or(i64::MAX);
    for r in rows {
        stmt.execute(params![
            r.year,
            r.month,
            r.source_id,
            r.product_line_id,
            r.owner,
            n(r.leads),
            n(r.contacted),
            n(r.reached),
            n(r.appointments),
            n(r.won),
            n(r.lost),
            n(r.lost_without_attempt),
            n(r.lost_below_min_attempts),
            n(r.contacted_within_sla),
            n(r.attempts_on_lost),
            r.revenue.cents(),
            r.response_minutes.encode()
        ])?;
    }
    Ok(())
}

/// Rebuilds the rollups of the given creation months (`year * 100 + month`), or of every
/// month when `months` is `None`.
pub(crate) fn rebuild(conn: &Connection, sla: &FollowUpSla, months: Option<&[i64]>) -> Result<()> {
    let mut acc = RollupAccumulator::new(sla);
    match months {
        None => {
            conn.execute("DELETE FROM lead_rollup", [])?;
        }
        Some(months) => {
            let mut delete =
                conn.prepare_cached("DELETE FROM lead_rollup WHERE year = ?1 AND month = ?2")?;
            for &ym in months {
                delete.execute(params![ym / 100, ym % 100])?;
            }
        }
    }
    crate::leads::for_each_lead(conn, months, |lead| acc.add(&lead))?;
    insert(conn, &acc.finish())?;
    conn.execute("DELETE FROM rollup_stale", [])?;
    Ok(())
}

/// Builds the rollups if a migration left them stale.
pub(crate) fn ensure_fresh(conn: &Connection) -> Result<()> {
    let stale: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM rollup_stale)", [], |r| {
        r.get(0)
    })?;
    if stale {
        let sla = crate::settings::get(conn)?.sla;
        rebuild(conn, &sla, None)?;
    }
    Ok(())
}

/// Leads per calendar month and source of one calendar year, from the rollups.
pub(crate) fn lead_counts(conn: &Connection, year: i32) -> Result<Vec<LeadCount>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, source_id, SUM(leads), SUM(won) FROM lead_rollup WHERE year = ?1
         GROUP BY month, source_id ORDER BY month, source_id",
    )?;
    let rows = stmt
        .query_map([year], |r| {
            let n = |i: usize| {
                r.get::<_, i64>(i)
                    .map(|x| u64::try_from(x).unwrap_or_default())
            };
            Ok(LeadCount {
                month: r.get(0)?,
                source_id: r.get(1)?,
                leads: n(2)?,
                won: n(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Leads created in one calendar month from one source.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct LeadCount {
    /// 1..=12
    pub month: u32,
    #[ts(type = "number | null")]
    pub source_id: Option<i64>,
    #[ts(type = "number")]
    pub leads: u64,
    #[ts(type = "number")]
    pub won: u64,
}

/// The rollups of the calendar months `from..=to` (each `year * 100 + month`).
pub(crate) fn load(conn: &Connection, from: i64, to: i64) -> Result<Vec<LeadRollup>> {
    let mut stmt = conn.prepare_cached(
        "SELECT year, month, source_id, product_line_id, owner, leads, contacted, reached,
                appointments, won, lost, lost_without_attempt, lost_below_min_attempts,
                contacted_within_sla, attempts_on_lost, revenue_cents, response_minutes
         FROM lead_rollup WHERE year * 100 + month BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map([from, to], |r| {
        let n = |i: usize| {
            r.get::<_, i64>(i)
                .map(|x| u64::try_from(x).unwrap_or_default())
        };
        let blob: Vec<u8> = r.get(16)?;
        Ok((
            LeadRollup {
                year: r.get(0)?,
                month: r.get(1)?,
                source_id: r.get(2)?,
                product_line_id: r.get(3)?,
                owner: r.get(4)?,
                leads: n(5)?,
                contacted: n(6)?,
                reached: n(7)?,
                appointments: n(8)?,
                won: n(9)?,
                lost: n(10)?,
                lost_without_attempt: n(11)?,
                lost_below_min_attempts: n(12)?,
                contacted_within_sla: n(13)?,
                attempts_on_lost: n(14)?,
                revenue: Money(r.get(15)?),
                response_minutes: ResponseHistogram::new(),
            },
            blob,
        ))
    })?;
    rows.map(|row| {
        let (mut rollup, blob) = row?;
        rollup.response_minutes = ResponseHistogram::decode(&blob)
            .map_err(|e| WorkbookError::Corrupt(format!("lead rollup: {e}")))?;
        Ok(rollup)
    })
    .collect()
}
