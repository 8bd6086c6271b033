//! Actual leads and monthly spend.

use chrono::Datelike;
use leadplan_core::{Lead, Money, Rule, Spend, Stage, Validator, YearMonth};
use rusqlite::{Connection, Statement, params};

use crate::error::{Result, WorkbookError};
use crate::sql::{code, count, opt_time, opt_ts, time, ts};
use crate::store::Workbook;

/// `created_month` of a lead: calendar year × 100 + month, the cohort it belongs to.
pub(crate) fn created_month(lead: &Lead) -> i64 {
    i64::from(lead.created_at.year()) * 100 + i64::from(lead.created_at.month())
}

/// Parameters a lead is written with (see [`bind_lead`]).
const LEAD_PARAMS: usize = 15;

/// Inserts `rows` leads at once, each unless a lead with its external id exists (that one is
/// left as it is). Takes `rows` times the parameters of [`bind_lead`].
///
/// `OR FAIL`: a statement that fails keeps the leads it inserted before the failure, so SQLite
/// needs no statement journal (which would copy every page the statement changes). Every
/// caller runs it inside a transaction that is rolled back on any error.
pub(crate) fn insert_leads_sql(rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|row| {
            let params: Vec<String> = (1..=LEAD_PARAMS)
                .map(|i| format!("?{}", row * LEAD_PARAMS + i))
                .collect();
            format!("({})", params.join(", "))
        })
        .collect();
    format!(
        "INSERT OR FAIL INTO lead (external_id, created_at, created_month, source_id, product_line_id,
             first_attempt_at, first_two_way_at, attempts, stage, lost_reason, appointment_at,
             won_at, value_cents, owner, import_id)
         VALUES {}
         ON CONFLICT (external_id) DO NOTHING",
        values.join(", ")
    )
}

/// Writes new data over the lead with the same external id. Takes the parameters of
/// [`bind_lead`].
pub(crate) const UPDATE_LEAD: &str =
    "UPDATE lead SET created_at = ?2, created_month = ?3, source_id = ?4, product_line_id = ?5,
         first_attempt_at = ?6, first_two_way_at = ?7, attempts = ?8, stage = ?9,
         lost_reason = ?10, appointment_at = ?11, won_at = ?12, value_cents = ?13, owner = ?14,
         import_id = ?15
     WHERE external_id = ?1";

/// Binds `l` as the `row`-th lead of a statement from [`insert_leads_sql`] or
/// [`UPDATE_LEAD`], with the import that last touched it.
pub(crate) fn bind_lead(
    stmt: &mut Statement<'_>,
    row: usize,
    l: &Lead,
    import_id: Option<i64>,
) -> Result<()> {
    let at = row * LEAD_PARAMS;
    stmt.raw_bind_parameter(at + 1, &l.external_id)?;
    stmt.raw_bind_parameter(at + 2, ts(l.created_at))?;
    stmt.raw_bind_parameter(at + 3, created_month(l))?;
    stmt.raw_bind_parameter(at + 4, l.source_id)?;
    stmt.raw_bind_parameter(at + 5, l.product_line_id)?;
    stmt.raw_bind_parameter(at + 6, opt_ts(l.first_attempt_at))?;
    stmt.raw_bind_parameter(at + 7, opt_ts(l.first_two_way_at))?;
    stmt.raw_bind_parameter(at + 8, l.attempts)?;
    stmt.raw_bind_parameter(at + 9, l.stage.code())?;
    stmt.raw_bind_parameter(at + 10, &l.lost_reason)?;
    stmt.raw_bind_parameter(at + 11, opt_ts(l.appointment_at))?;
    stmt.raw_bind_parameter(at + 12, opt_ts(l.won_at))?;
    stmt.raw_bind_parameter(at + 13, l.value.map(Money::cents))?;
    stmt.raw_bind_parameter(at + 14, &l.owner)?;
    stmt.raw_bind_parameter(at + 15, import_id)?;
    Ok(())
}

/// Runs a one-lead statement ([`insert_leads_sql`]`(1)` or [`UPDATE_LEAD`]) for `l`; returns
/// how many rows changed (0 or 1).
pub(crate) fn write_lead(
    stmt: &mut Statement<'_>,
    l: &Lead,
    import_id: Option<i64>,
) -> Result<usize> {
    bind_lead(stmt, 0, l, import_id)?;
    Ok(stmt.raw_execute()?)
}

/// Inserts leads that are known not to exist yet (demo data).
///
/// # Errors
/// A lead whose external id exists already.
pub(crate) fn insert_new(conn: &Connection, leads: &[Lead], import_id: Option<i64>) -> Result<()> {
    let mut insert = conn.prepare(&insert_leads_sql(1))?;
    for l in leads {
        if write_lead(&mut insert, l, import_id)? == 0 {
            let mut v = Validator::new();
            v.fail("external_id", Rule::Duplicate);
            v.finish()?;
        }
    }
    Ok(())
}

/// The columns [`lead_from_row`] reads, in order.
pub(crate) const LEAD_COLUMNS: &str =
    "external_id, created_at, source_id, product_line_id, first_attempt_at,
    first_two_way_at, attempts, stage, lost_reason, appointment_at, won_at, value_cents, owner";

pub(crate) fn lead_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Lead> {
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
        let n: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM lead", [], |r| r.get(0))?;
        Ok(u64::try_from(n).unwrap_or_default())
    }

    /// Leads created in calendar months `from..=to` (each `year * 100 + month`), oldest first.
    ///
    /// # Errors
    /// Storage errors.
    pub fn leads_created_between(&self, from: i64, to: i64) -> Result<Vec<Lead>> {
        let mut stmt = self.conn.prepare_cached(
            &format!(
                "SELECT {LEAD_COLUMNS} FROM lead WHERE created_month BETWEEN ?1 AND ?2 ORDER BY created_at, external_id"
            ),
        )?;
        let rows = stmt
            .query_map([from, to], lead_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
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
        // one index seek per year rather than a scan of every lead (1.2 ms instead of 230 ms
        // for a million leads; the overview asks for this whenever the window opens)
        let mut stmt = self.conn.prepare_cached(
            "WITH RECURSIVE years (year) AS (
                 SELECT (SELECT MIN(created_month) FROM lead) / 100
                 UNION ALL
                 SELECT (SELECT MIN(created_month) FROM lead WHERE created_month >= (year + 1) * 100) / 100
                 FROM years WHERE year IS NOT NULL
             )
             SELECT year FROM years WHERE year IS NOT NULL",
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
