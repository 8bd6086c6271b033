//! Editing a plan version cell by cell, with undo and redo: every edit is saved at once in
//! one transaction and hands back the edits that restore what was there before.

use leadplan_core::model::MAX_QUANTITY;
use leadplan_core::plan::{PlanInput, PlanResult, compute};
use leadplan_core::{
    FieldError, Launch, Money, PlanStatus, PlanVersion, Rule, ValidationErrors, Validator,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, WorkbookError};
use crate::plans::{check_launch, get_version, insert_launch, list_launches};
use crate::store::Workbook;

/// One value of a plan version that the Plan screen edits. Money is in currency units,
/// rates are fractions, months are plan month indices 0..12.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum PlanCell {
    AnnualTarget {
        #[ts(type = "number")]
        product_line_id: i64,
    },
    /// Clearing it lets the month follow the annual target again.
    MonthlyTarget {
        #[ts(type = "number")]
        product_line_id: i64,
        month: u32,
    },
    /// Clearing it means no stock limit.
    Stock {
        #[ts(type = "number")]
        product_line_id: i64,
        month: u32,
    },
    Seasonality {
        month: u32,
    },
    /// A source's share of a month's sales; `product_line_id` for a product line's own mix.
    Mix {
        month: u32,
        #[ts(type = "number")]
        source_id: i64,
        #[ts(type = "number | null")]
        product_line_id: Option<i64>,
    },
    Budget {
        #[ts(type = "number")]
        source_id: i64,
        month: u32,
    },
    CostPerLead {
        #[ts(type = "number")]
        source_id: i64,
    },
    FixedMonthlyCost {
        #[ts(type = "number")]
        source_id: i64,
    },
    ContactRate {
        #[ts(type = "number")]
        source_id: i64,
    },
    AppointmentRate {
        #[ts(type = "number")]
        source_id: i64,
    },
    CloseRate {
        #[ts(type = "number")]
        source_id: i64,
    },
    /// Clearing it makes the conversion the product of the funnel rates again.
    DirectConversion {
        #[ts(type = "number")]
        source_id: i64,
    },
    AnnualBudgetCap,
}

impl PlanCell {
    /// A stable name for the cell, used as the field of a validation error so the UI can
    /// mark the cell: e.g. `stock.12.3` (product line 12, month 3).
    #[must_use]
    pub fn key(&self) -> String {
        match *self {
            PlanCell::AnnualTarget { product_line_id } => {
                format!("annual_target.{product_line_id}")
            }
            PlanCell::MonthlyTarget {
                product_line_id,
                month,
            } => format!("monthly_target.{product_line_id}.{month}"),
            PlanCell::Stock {
                product_line_id,
                month,
            } => format!("stock.{product_line_id}.{month}"),
            PlanCell::Seasonality { month } => format!("seasonality.{month}"),
            PlanCell::Mix {
                month,
                source_id,
                product_line_id,
            } => match product_line_id {
                Some(p) => format!("mix.{source_id}.{month}.{p}"),
                None => format!("mix.{source_id}.{month}"),
            },
            PlanCell::Budget { source_id, month } => format!("budget.{source_id}.{month}"),
            PlanCell::CostPerLead { source_id } => format!("cost_per_lead.{source_id}"),
            PlanCell::FixedMonthlyCost { source_id } => format!("fixed_monthly_cost.{source_id}"),
            PlanCell::ContactRate { source_id } => format!("contact_rate.{source_id}"),
            PlanCell::AppointmentRate { source_id } => format!("appointment_rate.{source_id}"),
            PlanCell::CloseRate { source_id } => format!("close_rate.{source_id}"),
            PlanCell::DirectConversion { source_id } => format!("direct_conversion.{source_id}"),
            PlanCell::AnnualBudgetCap => "annual_budget_cap".to_owned(),
        }
    }

    fn month(&self) -> Option<u32> {
        match *self {
            PlanCell::MonthlyTarget { month, .. }
            | PlanCell::Stock { month, .. }
            | PlanCell::Seasonality { month }
            | PlanCell::Mix { month, .. }
            | PlanCell::Budget { month, .. } => Some(month),
            _ => None,
        }
    }

    /// Whether the cell may be empty.
    fn clearable(&self) -> bool {
        matches!(
            self,
            PlanCell::MonthlyTarget { .. }
                | PlanCell::Stock { .. }
                | PlanCell::DirectConversion { .. }
                | PlanCell::AnnualBudgetCap
                | PlanCell::Mix { .. }
                | PlanCell::Budget { .. }
        )
    }

    fn is_rate(&self) -> bool {
        matches!(
            self,
            PlanCell::Mix { .. }
                | PlanCell::ContactRate { .. }
                | PlanCell::AppointmentRate { .. }
                | PlanCell::CloseRate { .. }
                | PlanCell::DirectConversion { .. }
        )
    }

    fn is_money(&self) -> bool {
        matches!(
            self,
            PlanCell::Budget { .. }
                | PlanCell::CostPerLead { .. }
                | PlanCell::FixedMonthlyCost { .. }
                | PlanCell::AnnualBudgetCap
        )
    }
}

/// One change to a plan version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum PlanEdit {
    /// Sets a cell (`None` clears it).
    Cell { cell: PlanCell, value: Option<f64> },
    /// Replaces the version's launches with these.
    Launches { launches: Vec<Launch> },
}

/// Largest amount of money a plan cell takes, in currency units.
const MAX_MONEY_UNITS: f64 = 1.0e9;

fn check(edits: &[PlanEdit]) -> Result<(), ValidationErrors> {
    let mut v = Validator::new();
    for edit in edits {
        match edit {
            PlanEdit::Cell { cell, value } => {
                let key = cell.key();
                if cell.month().is_some_and(|m| m > 11) {
                    v.fail(
                        key.clone(),
                        Rule::Range {
                            min: 0.0,
                            max: 11.0,
                        },
                    );
                }
                match value {
                    None if !cell.clearable() => v.fail(key, Rule::Required),
                    None => {}
                    Some(x) if cell.is_rate() => v.rate(&key, *x),
                    Some(x) if cell.is_money() => v.range(&key, *x, 0.0, MAX_MONEY_UNITS),
                    Some(x) if matches!(cell, PlanCell::Seasonality { .. }) => {
                        v.range(&key, *x, 0.0, 1000.0);
                    }
                    Some(x) => v.range(&key, *x, 0.0, MAX_QUANTITY),
                }
            }
            PlanEdit::Launches { launches } => {
                for (i, l) in launches.iter().enumerate() {
                    if let Err(WorkbookError::Validation(errors)) = check_launch(l) {
                        for e in errors.0 {
                            v.fail(format!("launches[{i}].{}", e.field), e.rule);
                        }
                    }
                }
            }
        }
    }
    v.finish()
}

fn cents(units: f64) -> i64 {
    // checked to lie in 0..=1e9 units before, so the conversion cannot fail
    Money::from_units_f64(units).map_or(0, Money::cents)
}

#[allow(clippy::cast_precision_loss)] // cents of plan amounts stay far below 2^53
fn units(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// The value a cell holds now.
fn read(conn: &Connection, version: i64, cell: PlanCell) -> Result<Option<f64>> {
    let one = |sql: &str, p: &[&dyn rusqlite::ToSql]| -> Result<Option<f64>> {
        Ok(conn
            .query_row(sql, p, |r| r.get::<_, Option<f64>>(0))
            .optional()?
            .flatten())
    };
    let source_column = |column: &str, source_id: i64| -> Result<Option<f64>> {
        one(
            &format!(
                "SELECT {column} FROM plan_source WHERE plan_version_id = ?1 AND source_id = ?2"
            ),
            &[&version, &source_id],
        )
    };
    Ok(match cell {
        PlanCell::AnnualTarget { product_line_id } => one(
            "SELECT annual_units FROM plan_product_line WHERE plan_version_id = ?1 AND product_line_id = ?2",
            &[&version, &product_line_id],
        )?,
        PlanCell::MonthlyTarget { product_line_id, month } => one(
            "SELECT units FROM sales_target WHERE plan_version_id = ?1 AND product_line_id = ?2 AND month = ?3",
            &[&version, &product_line_id, &month],
        )?,
        PlanCell::Stock { product_line_id, month } => one(
            "SELECT units FROM stock WHERE plan_version_id = ?1 AND product_line_id = ?2 AND month = ?3",
            &[&version, &product_line_id, &month],
        )?,
        PlanCell::Seasonality { month } => {
            crate::plans::seasonality(conn, version)?.get(month as usize).copied()
        }
        PlanCell::Mix { month, source_id, product_line_id } => one(
            "SELECT share FROM channel_mix WHERE plan_version_id = ?1 AND month = ?2 AND source_id = ?3
                 AND IFNULL(product_line_id, 0) = IFNULL(?4, 0)",
            &[&version, &month, &source_id, &product_line_id],
        )?,
        PlanCell::Budget { source_id, month } => one(
            "SELECT amount_cents / 100.0 FROM budget WHERE plan_version_id = ?1 AND source_id = ?2 AND month = ?3",
            &[&version, &source_id, &month],
        )?,
        PlanCell::CostPerLead { source_id } => source_column("cost_per_lead_cents / 100.0", source_id)?,
        PlanCell::FixedMonthlyCost { source_id } => source_column("fixed_monthly_cents / 100.0", source_id)?,
        PlanCell::ContactRate { source_id } => source_column("contact_rate", source_id)?,
        PlanCell::AppointmentRate { source_id } => source_column("appointment_rate", source_id)?,
        PlanCell::CloseRate { source_id } => source_column("close_rate", source_id)?,
        PlanCell::DirectConversion { source_id } => source_column("direct_conversion", source_id)?,
        PlanCell::AnnualBudgetCap => one(
            "SELECT annual_budget_cap_cents / 100.0 FROM plan_version WHERE id = ?1",
            &[&version],
        )?,
    })
}

fn require_source(conn: &Connection, version: i64, source_id: i64) -> Result<()> {
    let n = conn.execute(
        "INSERT OR IGNORE INTO plan_source (plan_version_id, source_id, cost_per_lead_cents,
             fixed_monthly_cents, contact_rate, appointment_rate, close_rate, direct_conversion)
         SELECT ?1, id, cost_per_lead_cents, fixed_monthly_cents, contact_rate, appointment_rate,
             close_rate, direct_conversion FROM source WHERE id = ?2",
        params![version, source_id],
    )?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM plan_source WHERE plan_version_id = ?1 AND source_id = ?2)",
        params![version, source_id],
        |r| r.get(0),
    )?;
    if n == 0 && !exists {
        return Err(WorkbookError::Missing {
            what: "source",
            id: source_id,
        });
    }
    Ok(())
}

fn require_product_line(conn: &Connection, version: i64, product_line_id: i64) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO plan_product_line (plan_version_id, product_line_id, annual_units)
         SELECT ?1, id, 0 FROM product_line WHERE id = ?2",
        params![version, product_line_id],
    )?;
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM plan_product_line WHERE plan_version_id = ?1 AND product_line_id = ?2)",
        params![version, product_line_id],
        |r| r.get(0),
    )?;
    if !exists {
        return Err(WorkbookError::Missing {
            what: "product line",
            id: product_line_id,
        });
    }
    Ok(())
}

fn write(conn: &Connection, version: i64, cell: PlanCell, value: Option<f64>) -> Result<()> {
    use crate::plans::{set_budget, set_mix, set_month_value};
    let source_column = |column: &str, source_id: i64, value: &dyn rusqlite::ToSql| -> Result<()> {
        require_source(conn, version, source_id)?;
        conn.execute(
            &format!(
                "UPDATE plan_source SET {column} = ?3 WHERE plan_version_id = ?1 AND source_id = ?2"
            ),
            params![version, source_id, value],
        )?;
        Ok(())
    };
    match cell {
        PlanCell::AnnualTarget { product_line_id } => {
            require_product_line(conn, version, product_line_id)?;
            crate::plans::set_annual_target(conn, version, product_line_id, value.unwrap_or(0.0))?;
        }
        PlanCell::MonthlyTarget {
            product_line_id,
            month,
        } => {
            require_product_line(conn, version, product_line_id)?;
            set_month_value(conn, "sales_target", version, product_line_id, month, value)?;
        }
        PlanCell::Stock {
            product_line_id,
            month,
        } => {
            require_product_line(conn, version, product_line_id)?;
            set_month_value(conn, "stock", version, product_line_id, month, value)?;
        }
        PlanCell::Seasonality { month } => {
            let mut indices = crate::plans::seasonality(conn, version)?;
            if let Some(slot) = indices.get_mut(month as usize) {
                *slot = value.unwrap_or(0.0);
            }
            let json = serde_json::to_string(&indices)
                .map_err(|e| WorkbookError::Corrupt(e.to_string()))?;
            conn.execute(
                "UPDATE plan_version SET seasonality = ?2 WHERE id = ?1",
                params![version, json],
            )?;
        }
        PlanCell::Mix {
            month,
            source_id,
            product_line_id,
        } => {
            require_source(conn, version, source_id)?;
            match value {
                Some(share) => set_mix(conn, version, month, source_id, product_line_id, share)?,
                None => {
                    conn.execute(
                        "DELETE FROM channel_mix WHERE plan_version_id = ?1 AND month = ?2 AND source_id = ?3
                             AND IFNULL(product_line_id, 0) = IFNULL(?4, 0)",
                        params![version, month, source_id, product_line_id],
                    )?;
                }
            }
        }
        PlanCell::Budget { source_id, month } => {
            require_source(conn, version, source_id)?;
            match value {
                Some(amount) => set_budget(conn, version, source_id, month, Money(cents(amount)))?,
                None => {
                    conn.execute(
                        "DELETE FROM budget WHERE plan_version_id = ?1 AND source_id = ?2 AND month = ?3",
                        params![version, source_id, month],
                    )?;
                }
            }
        }
        PlanCell::CostPerLead { source_id } => {
            source_column(
                "cost_per_lead_cents",
                source_id,
                &cents(value.unwrap_or(0.0)),
            )?;
        }
        PlanCell::FixedMonthlyCost { source_id } => {
            source_column(
                "fixed_monthly_cents",
                source_id,
                &cents(value.unwrap_or(0.0)),
            )?;
        }
        PlanCell::ContactRate { source_id } => {
            source_column("contact_rate", source_id, &value.unwrap_or(0.0))?;
        }
        PlanCell::AppointmentRate { source_id } => {
            source_column("appointment_rate", source_id, &value.unwrap_or(0.0))?;
        }
        PlanCell::CloseRate { source_id } => {
            source_column("close_rate", source_id, &value.unwrap_or(0.0))?;
        }
        PlanCell::DirectConversion { source_id } => {
            source_column("direct_conversion", source_id, &value)?;
        }
        PlanCell::AnnualBudgetCap => {
            conn.execute(
                "UPDATE plan_version SET annual_budget_cap_cents = ?2 WHERE id = ?1",
                params![version, value.map(cents)],
            )?;
        }
    }
    Ok(())
}

fn replace_launches(conn: &Connection, version: i64, launches: &[Launch]) -> Result<Vec<Launch>> {
    let before = list_launches(conn, version)?;
    conn.execute("DELETE FROM launch WHERE plan_version_id = ?1", [version])?;
    for l in launches {
        insert_launch(conn, version, l)?;
    }
    Ok(before)
}

/// Applies `edits` in order within the caller's transaction; returns the edits that undo
/// them (in the order they must be applied).
pub(crate) fn apply(conn: &Connection, version: i64, edits: &[PlanEdit]) -> Result<Vec<PlanEdit>> {
    check(edits)?;
    let v = get_version(conn, version)?;
    if v.status != PlanStatus::Draft {
        let mut errors = Validator::new();
        errors.fail(
            "version",
            Rule::Other {
                message: format!(
                    "{} is {}: only drafts can be changed; copy it to change it",
                    v.name,
                    v.status.code()
                ),
            },
        );
        errors.finish()?;
    }
    let mut undo = Vec::with_capacity(edits.len());
    for edit in edits {
        match edit {
            PlanEdit::Cell { cell, value } => {
                let before = read(conn, version, *cell)?;
                // money is stored in cents: compare what will be stored, not the float typed
                let value = if cell.is_money() {
                    value.map(|v| units(cents(v)))
                } else {
                    *value
                };
                write(conn, version, *cell, value)?;
                undo.push(PlanEdit::Cell {
                    cell: *cell,
                    value: before,
                });
            }
            PlanEdit::Launches { launches } => {
                let before = replace_launches(conn, version, launches)?;
                undo.push(PlanEdit::Launches { launches: before });
            }
        }
    }
    undo.reverse();
    Ok(undo)
}

/// A plan version with everything the Plan screen shows: what was entered and, when it can
/// be computed, the computed plan; otherwise why not.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanView {
    pub version: PlanVersion,
    pub input: PlanInput,
    pub result: Option<PlanResult>,
    /// Why the plan cannot be computed yet (e.g. a month's mix does not add up to 100 %).
    pub problems: Vec<FieldError>,
}

impl Workbook {
    /// Applies edits to a plan version in one transaction: all of them or, when any is
    /// refused, none. Returns the edits that undo them.
    ///
    /// # Errors
    /// `Validation` naming each refused cell by its key, `Missing` version, source or
    /// product line.
    pub fn edit_plan(&mut self, version_id: i64, edits: &[PlanEdit]) -> Result<Vec<PlanEdit>> {
        self.write(|tx| apply(tx, version_id, edits))
    }

    /// The plan version as the Plan screen shows it.
    ///
    /// # Errors
    /// `Missing` version, storage errors. A plan that cannot be computed is not an error:
    /// its problems are part of the view.
    pub fn plan_view(&self, version_id: i64) -> Result<PlanView> {
        let (version, input, floor) = self.read(|conn| {
            Ok((
                get_version(conn, version_id)?,
                crate::plan_data::load(conn, version_id)?,
                crate::settings::get(conn)?.conversion_floor,
            ))
        })?;
        let (result, problems) = match compute(&input, floor) {
            Ok(r) => (Some(r), vec![]),
            Err(e) => (None, e.0),
        };
        Ok(PlanView {
            version,
            input,
            result,
            problems,
        })
    }
}

/// Undo and redo of plan edits within one session.
#[derive(Debug, Default)]
pub struct PlanHistory {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

#[derive(Debug, Clone)]
struct Step {
    version_id: i64,
    forward: Vec<PlanEdit>,
    backward: Vec<PlanEdit>,
}

/// How many edits can be undone.
const HISTORY_LIMIT: usize = 500;

impl PlanHistory {
    /// Applies `edits` and remembers how to undo them; clears the redo list.
    ///
    /// # Errors
    /// As [`Workbook::edit_plan`]; nothing is remembered then.
    pub fn edit(&mut self, wb: &mut Workbook, version_id: i64, edits: Vec<PlanEdit>) -> Result<()> {
        let backward = wb.edit_plan(version_id, &edits)?;
        self.undo.push(Step {
            version_id,
            forward: edits,
            backward,
        });
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        Ok(())
    }

    /// Undoes the last edit; returns the version it changed, or `None` with nothing to undo.
    ///
    /// # Errors
    /// As [`Workbook::edit_plan`]; the step stays undoable then.
    pub fn undo(&mut self, wb: &mut Workbook) -> Result<Option<i64>> {
        let Some(step) = self.undo.pop() else {
            return Ok(None);
        };
        if let Err(e) = wb.edit_plan(step.version_id, &step.backward) {
            self.undo.push(step);
            return Err(e);
        }
        let version = step.version_id;
        self.redo.push(step);
        Ok(Some(version))
    }

    /// Redoes the last undone edit; returns the version it changed.
    ///
    /// # Errors
    /// As [`Workbook::edit_plan`]; the step stays redoable then.
    pub fn redo(&mut self, wb: &mut Workbook) -> Result<Option<i64>> {
        let Some(step) = self.redo.pop() else {
            return Ok(None);
        };
        if let Err(e) = wb.edit_plan(step.version_id, &step.forward) {
            self.redo.push(step);
            return Err(e);
        }
        let version = step.version_id;
        self.undo.push(step);
        Ok(Some(version))
    }

    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Forgets everything (another workbook was opened).
    pub fn clear(&mut self) {
        self.undo.clear();
        self.redo.clear();
    }
}
