//! Plan versions and what each holds: source assumptions, targets, seasonality, stock,
//! launches, channel mix and budgets.

use chrono::{DateTime, Utc};
use leadplan_core::model::{MAX_NAME, MAX_QUANTITY, MAX_TEXT};
use leadplan_core::{
    Launch, Money, Months, PlanStatus, PlanVersion, Rule, SourceAssumptions, Validator,
};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, WorkbookError};
use crate::sql::{code, time, ts};
use crate::store::Workbook;

/// How a new plan version starts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanOrigin {
    /// Every source with its default assumptions, no targets, flat seasonality.
    Empty,
    /// A deep copy of another version (of any year).
    CopyOf {
        #[ts(type = "number")]
        version_id: i64,
    },
}

/// A plan version to create.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewPlanVersion {
    pub year: i32,
    pub name: String,
    pub created_by: String,
    pub origin: PlanOrigin,
}

const VERSION_COLUMNS: &str = "id, year, name, status, baseline, created_from, created_at, created_by, annual_budget_cap_cents, notes";

fn version_from_row(r: &Row<'_>) -> rusqlite::Result<PlanVersion> {
    Ok(PlanVersion {
        id: r.get(0)?,
        year: r.get(1)?,
        name: r.get(2)?,
        status: code(r, 3, PlanStatus::parse)?,
        baseline: r.get(4)?,
        created_from: r.get(5)?,
        created_at: time(r, 6)?,
        created_by: r.get(7)?,
        annual_budget_cap: r.get::<_, Option<i64>>(8)?.map(Money),
        notes: r.get(9)?,
    })
}

pub(crate) fn list_versions(conn: &Connection, year: Option<i32>) -> Result<Vec<PlanVersion>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {VERSION_COLUMNS} FROM plan_version
         WHERE ?1 IS NULL OR year = ?1 ORDER BY year, baseline DESC, id"
    ))?;
    let rows = stmt
        .query_map([year], version_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn get_version(conn: &Connection, id: i64) -> Result<PlanVersion> {
    conn.query_row(
        &format!("SELECT {VERSION_COLUMNS} FROM plan_version WHERE id = ?1"),
        [id],
        version_from_row,
    )
    .optional()?
    .ok_or(WorkbookError::Missing {
        what: "plan version",
        id,
    })
}

fn check_month(v: &mut Validator, month: u32) {
    if month > 11 {
        v.fail(
            "month",
            Rule::Range {
                min: 0.0,
                max: 11.0,
            },
        );
    }
}

fn check_units(v: &mut Validator, field: &str, units: f64) {
    v.range(field, units, 0.0, MAX_QUANTITY);
}

fn check_money(v: &mut Validator, field: &str, amount: Money) {
    if amount.cents() < 0 || amount.cents() > 10_000_000_000_000 {
        v.fail(
            field,
            Rule::Range {
                min: 0.0,
                max: 1.0e11,
            },
        );
    }
}

pub(crate) fn insert_version(
    conn: &Connection,
    new: &NewPlanVersion,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut v = Validator::new();
    v.text("name", &new.name, MAX_NAME);
    v.range("year", f64::from(new.year), 1900.0, 9999.0);
    v.optional_text("created_by", &new.created_by, MAX_NAME);
    v.finish()?;
    let taken: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM plan_version WHERE year = ?1 AND name = ?2)",
        params![new.year, new.name.trim()],
        |r| r.get(0),
    )?;
    if taken {
        let mut v = Validator::new();
        v.fail("name", Rule::Duplicate);
        v.finish()?;
    }
    match new.origin {
        PlanOrigin::Empty => {
            conn.execute(
                "INSERT INTO plan_version (year, name, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
                params![new.year, new.name.trim(), ts(now), new.created_by.trim()],
            )?;
            let id = conn.last_insert_rowid();
            conn.execute(
                "INSERT INTO plan_source (plan_version_id, source_id, cost_per_lead_cents,
                     fixed_monthly_cents, contact_rate, appointment_rate, close_rate, direct_conversion)
                 SELECT ?1, id, cost_per_lead_cents, fixed_monthly_cents, contact_rate,
                     appointment_rate, close_rate, direct_conversion FROM source WHERE active = 1",
                [id],
            )?;
            conn.execute(
                "INSERT INTO plan_product_line (plan_version_id, product_line_id, annual_units)
                 SELECT ?1, id, 0 FROM product_line WHERE active = 1",
                [id],
            )?;
            Ok(id)
        }
        PlanOrigin::CopyOf { version_id } => copy_version(conn, version_id, new, now),
    }
}

/// A deep copy of every part of a version; the caller's transaction makes it atomic.
fn copy_version(
    conn: &Connection,
    from: i64,
    new: &NewPlanVersion,
    now: DateTime<Utc>,
) -> Result<i64> {
    get_version(conn, from)?;
    conn.execute(
        "INSERT INTO plan_version (year, name, created_from, created_at, created_by,
             annual_budget_cap_cents, notes, seasonality)
         SELECT ?2, ?3, id, ?4, ?5, annual_budget_cap_cents, notes, seasonality
         FROM plan_version WHERE id = ?1",
        params![
            from,
            new.year,
            new.name.trim(),
            ts(now),
            new.created_by.trim()
        ],
    )?;
    let id = conn.last_insert_rowid();
    for (table, columns) in [
        (
            "plan_source",
            "source_id, cost_per_lead_cents, fixed_monthly_cents, contact_rate, appointment_rate, close_rate, direct_conversion",
        ),
        ("plan_product_line", "product_line_id, annual_units"),
        ("sales_target", "product_line_id, month, units"),
        ("stock", "product_line_id, month, units"),
        (
            "launch",
            "product_line_id, month, uplift, duration_months, prelaunch_months, extra_budget_cents",
        ),
        ("channel_mix", "month, source_id, product_line_id, share"),
        ("budget", "source_id, month, amount_cents"),
    ] {
        conn.execute(
            &format!(
                "INSERT INTO {table} (plan_version_id, {columns})
                 SELECT ?2, {columns} FROM {table} WHERE plan_version_id = ?1"
            ),
            params![from, id],
        )?;
    }
    Ok(id)
}

impl Workbook {
    /// Plan versions of one year (or of every year), the baseline first.
    ///
    /// # Errors
    /// Storage errors.
    pub fn plan_versions(&self, year: Option<i32>) -> Result<Vec<PlanVersion>> {
        list_versions(&self.conn, year)
    }

    /// One plan version.
    ///
    /// # Errors
    /// `Missing` when there is no such version.
    pub fn plan_version(&self, id: i64) -> Result<PlanVersion> {
        get_version(&self.conn, id)
    }

    /// Creates a plan version, empty or as a deep copy of another, in one transaction.
    ///
    /// # Errors
    /// `Validation` (empty name, a name already used in that year), `Missing` source version.
    pub fn create_plan_version(
        &mut self,
        new: &NewPlanVersion,
        now: DateTime<Utc>,
    ) -> Result<PlanVersion> {
        self.write(|tx| {
            let id = insert_version(tx, new, now)?;
            get_version(tx, id)
        })
    }

    /// Sets a version's status; making it the baseline marks it agreed and takes the mark
    /// from any other version of the same year.
    ///
    /// # Errors
    /// `Missing` when there is no such version.
    pub fn set_plan_status(
        &mut self,
        id: i64,
        status: PlanStatus,
        baseline: bool,
    ) -> Result<PlanVersion> {
        self.write(|tx| {
            let v = get_version(tx, id)?;
            if baseline {
                tx.execute(
                    "UPDATE plan_version SET baseline = 0 WHERE year = ?1",
                    [v.year],
                )?;
            }
            let status = if baseline { PlanStatus::Agreed } else { status };
            tx.execute(
                "UPDATE plan_version SET status = ?2, baseline = ?3 WHERE id = ?1",
                params![
                    id,
                    status.code(),
                    baseline && status != PlanStatus::Archived
                ],
            )?;
            get_version(tx, id)
        })
    }

    /// Renames a version and sets its notes and annual budget cap.
    ///
    /// # Errors
    /// `Validation`, `Missing`.
    pub fn update_plan_version(
        &mut self,
        id: i64,
        name: &str,
        notes: &str,
        annual_budget_cap: Option<Money>,
    ) -> Result<PlanVersion> {
        let mut v = Validator::new();
        v.text("name", name, MAX_NAME);
        v.optional_text("notes", notes, MAX_TEXT);
        if let Some(cap) = annual_budget_cap {
            check_money(&mut v, "annual_budget_cap", cap);
        }
        v.finish()?;
        self.write(|tx| {
            let current = get_version(tx, id)?;
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM plan_version WHERE year = ?1 AND name = ?2 AND id <> ?3)",
                params![current.year, name.trim(), id],
                |r| r.get(0),
            )?;
            if taken {
                let mut v = Validator::new();
                v.fail("name", Rule::Duplicate);
                v.finish()?;
            }
            tx.execute(
                "UPDATE plan_version SET name = ?2, notes = ?3, annual_budget_cap_cents = ?4 WHERE id = ?1",
                params![id, name.trim(), notes, annual_budget_cap.map(Money::cents)],
            )?;
            get_version(tx, id)
        })
    }

    /// Seasonality of a version, as entered.
    ///
    /// # Errors
    /// `Missing`, damaged data.
    pub fn seasonality(&self, version_id: i64) -> Result<Months<f64>> {
        let json: String = self
            .conn
            .query_row(
                "SELECT seasonality FROM plan_version WHERE id = ?1",
                [version_id],
                |r| r.get(0),
            )
            .optional()?
            .ok_or(WorkbookError::Missing {
                what: "plan version",
                id: version_id,
            })?;
        serde_json::from_str(&json).map_err(|e| WorkbookError::Corrupt(format!("seasonality: {e}")))
    }

    /// Stores 12 seasonality indices as entered (the engine normalises them).
    ///
    /// # Errors
    /// `Validation` for a negative or non-finite index.
    pub fn set_seasonality(&mut self, version_id: i64, indices: &Months<f64>) -> Result<()> {
        let mut v = Validator::new();
        for (m, x) in indices.iter().enumerate() {
            v.range(&format!("seasonality[{m}]"), *x, 0.0, 1000.0);
        }
        v.finish()?;
        let json =
            serde_json::to_string(indices).map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE plan_version SET seasonality = ?2 WHERE id = ?1",
                params![version_id, json],
            )?;
            if n == 0 {
                return Err(WorkbookError::Missing {
                    what: "plan version",
                    id: version_id,
                });
            }
            Ok(())
        })
    }

    /// Sets one source's assumptions within a version.
    ///
    /// # Errors
    /// `Validation`.
    pub fn set_plan_source(
        &mut self,
        version_id: i64,
        source_id: i64,
        a: &SourceAssumptions,
    ) -> Result<()> {
        let mut v = Validator::new();
        a.check(&mut v, "");
        v.finish()?;
        self.write(|tx| set_plan_source(tx, version_id, source_id, a))
    }

    /// Sets a product line's annual sales target within a version.
    ///
    /// # Errors
    /// `Validation`.
    pub fn set_annual_target(
        &mut self,
        version_id: i64,
        product_line_id: i64,
        units: f64,
    ) -> Result<()> {
        let mut v = Validator::new();
        check_units(&mut v, "annual_units", units);
        v.finish()?;
        self.write(|tx| set_annual_target(tx, version_id, product_line_id, units))
    }

    /// Enters (Some) or clears (None) a monthly sales target.
    ///
    /// # Errors
    /// `Validation`.
    pub fn set_monthly_target(
        &mut self,
        version_id: i64,
        product_line_id: i64,
        month: u32,
        units: Option<f64>,
    ) -> Result<()> {
        self.set_month_value("sales_target", version_id, product_line_id, month, units)
    }

    /// Enters (Some) or clears (None) the stock expected in a month.
    ///
    /// # Errors
    /// `Validation`.
    pub fn set_stock(
        &mut self,
        version_id: i64,
        product_line_id: i64,
        month: u32,
        units: Option<f64>,
    ) -> Result<()> {
        self.set_month_value("stock", version_id, product_line_id, month, units)
    }

    fn set_month_value(
        &mut self,
        table: &'static str,
        version_id: i64,
        product_line_id: i64,
        month: u32,
        units: Option<f64>,
    ) -> Result<()> {
        let mut v = Validator::new();
        check_month(&mut v, month);
        if let Some(u) = units {
            check_units(&mut v, "units", u);
        }
        v.finish()?;
        self.write(|tx| set_month_value(tx, table, version_id, product_line_id, month, units))
    }

    /// Sets a source's share of a month's leads (for every product line, or one).
    ///
    /// # Errors
    /// `Validation` for a share outside 0..=1 or a month outside 0..=11.
    pub fn set_mix(
        &mut self,
        version_id: i64,
        month: u32,
        source_id: i64,
        product_line_id: Option<i64>,
        share: f64,
    ) -> Result<()> {
        let mut v = Validator::new();
        check_month(&mut v, month);
        v.rate("share", share);
        v.finish()?;
        self.write(|tx| set_mix(tx, version_id, month, source_id, product_line_id, share))
    }

    /// Sets the budget of a source in a month.
    ///
    /// # Errors
    /// `Validation`.
    pub fn set_budget(
        &mut self,
        version_id: i64,
        source_id: i64,
        month: u32,
        amount: Money,
    ) -> Result<()> {
        let mut v = Validator::new();
        check_month(&mut v, month);
        check_money(&mut v, "amount", amount);
        v.finish()?;
        self.write(|tx| set_budget(tx, version_id, source_id, month, amount))
    }

    /// The launches planned in a version.
    ///
    /// # Errors
    /// Storage errors.
    pub fn launches(&self, version_id: i64) -> Result<Vec<Launch>> {
        list_launches(&self.conn, version_id)
    }

    /// Adds a launch; returns its id.
    ///
    /// # Errors
    /// `Validation`.
    pub fn add_launch(&mut self, version_id: i64, l: &Launch) -> Result<i64> {
        check_launch(l)?;
        self.write(|tx| insert_launch(tx, version_id, l))
    }

    /// Removes a launch.
    ///
    /// # Errors
    /// `Missing`.
    pub fn delete_launch(&mut self, launch_id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM launch WHERE id = ?1", [launch_id])? == 0 {
                return Err(WorkbookError::Missing {
                    what: "launch",
                    id: launch_id,
                });
            }
            Ok(())
        })
    }
}

pub(crate) fn seasonality(conn: &Connection, version_id: i64) -> Result<Months<f64>> {
    let json: String = conn
        .query_row(
            "SELECT seasonality FROM plan_version WHERE id = ?1",
            [version_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(WorkbookError::Missing {
            what: "plan version",
            id: version_id,
        })?;
    serde_json::from_str(&json).map_err(|e| WorkbookError::Corrupt(format!("seasonality: {e}")))
}

pub(crate) fn check_launch(l: &Launch) -> Result<()> {
    let mut v = Validator::new();
    check_month(&mut v, l.month);
    v.range("uplift", l.uplift, 0.0, 100.0);
    v.range("duration_months", f64::from(l.duration_months), 1.0, 12.0);
    v.range("prelaunch_months", f64::from(l.prelaunch_months), 0.0, 12.0);
    check_money(&mut v, "extra_budget", l.extra_budget);
    Ok(v.finish()?)
}

pub(crate) fn set_plan_source(
    conn: &Connection,
    version_id: i64,
    source_id: i64,
    a: &SourceAssumptions,
) -> Result<()> {
    conn.execute(
        "INSERT INTO plan_source (plan_version_id, source_id, cost_per_lead_cents, fixed_monthly_cents,
             contact_rate, appointment_rate, close_rate, direct_conversion)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (plan_version_id, source_id) DO UPDATE SET
             cost_per_lead_cents = excluded.cost_per_lead_cents,
             fixed_monthly_cents = excluded.fixed_monthly_cents,
             contact_rate = excluded.contact_rate, appointment_rate = excluded.appointment_rate,
             close_rate = excluded.close_rate, direct_conversion = excluded.direct_conversion",
        params![
            version_id,
            source_id,
            a.cost_per_lead.cents(),
            a.fixed_monthly_cost.cents(),
            a.contact_rate,
            a.appointment_rate,
            a.close_rate,
            a.direct_conversion
        ],
    )?;
    Ok(())
}

pub(crate) fn set_annual_target(
    conn: &Connection,
    version_id: i64,
    product_line_id: i64,
    units: f64,
) -> Result<()> {
    conn.execute(
        "INSERT INTO plan_product_line (plan_version_id, product_line_id, annual_units) VALUES (?1, ?2, ?3)
         ON CONFLICT (plan_version_id, product_line_id) DO UPDATE SET annual_units = excluded.annual_units",
        params![version_id, product_line_id, units],
    )?;
    Ok(())
}

pub(crate) fn set_month_value(
    conn: &Connection,
    table: &'static str,
    version_id: i64,
    product_line_id: i64,
    month: u32,
    units: Option<f64>,
) -> Result<()> {
    match units {
        Some(u) => conn.execute(
            &format!(
                "INSERT INTO {table} (plan_version_id, product_line_id, month, units) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (plan_version_id, product_line_id, month) DO UPDATE SET units = excluded.units"
            ),
            params![version_id, product_line_id, month, u],
        )?,
        None => conn.execute(
            &format!("DELETE FROM {table} WHERE plan_version_id = ?1 AND product_line_id = ?2 AND month = ?3"),
            params![version_id, product_line_id, month],
        )?,
    };
    Ok(())
}

pub(crate) fn set_mix(
    conn: &Connection,
    version_id: i64,
    month: u32,
    source_id: i64,
    product_line_id: Option<i64>,
    share: f64,
) -> Result<()> {
    conn.execute(
        "DELETE FROM channel_mix WHERE plan_version_id = ?1 AND month = ?2 AND source_id = ?3
             AND IFNULL(product_line_id, 0) = IFNULL(?4, 0)",
        params![version_id, month, source_id, product_line_id],
    )?;
    conn.execute(
        "INSERT INTO channel_mix (plan_version_id, month, source_id, product_line_id, share)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![version_id, month, source_id, product_line_id, share],
    )?;
    Ok(())
}

pub(crate) fn set_budget(
    conn: &Connection,
    version_id: i64,
    source_id: i64,
    month: u32,
    amount: Money,
) -> Result<()> {
    conn.execute(
        "INSERT INTO budget (plan_version_id, source_id, month, amount_cents) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (plan_version_id, source_id, month) DO UPDATE SET amount_cents = excluded.amount_cents",
        params![version_id, source_id, month, amount.cents()],
    )?;
    Ok(())
}

pub(crate) fn insert_launch(conn: &Connection, version_id: i64, l: &Launch) -> Result<i64> {
    conn.execute(
        "INSERT INTO launch (plan_version_id, product_line_id, month, uplift, duration_months,
             prelaunch_months, extra_budget_cents)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            version_id,
            l.product_line_id,
            l.month,
            l.uplift,
            l.duration_months,
            l.prelaunch_months,
            l.extra_budget.cents()
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn list_launches(conn: &Connection, version_id: i64) -> Result<Vec<Launch>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, product_line_id, month, uplift, duration_months, prelaunch_months, extra_budget_cents
         FROM launch WHERE plan_version_id = ?1 ORDER BY month, id",
    )?;
    let rows = stmt
        .query_map([version_id], |r| {
            Ok(Launch {
                id: r.get(0)?,
                product_line_id: r.get(1)?,
                month: r.get(2)?,
                uplift: r.get(3)?,
                duration_months: r.get(4)?,
                prelaunch_months: r.get(5)?,
                extra_budget: Money(r.get(6)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}
