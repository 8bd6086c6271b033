//! A plan version as the engine sees it: read from the workbook into a `PlanInput`, and
//! computed.

use std::collections::BTreeMap;

use leadplan_core::plan::{
    MixEntry, PlanInput, PlanProductLine, PlanResult, PlanSource, SourceBudget, SourceShare,
    compute,
};
use leadplan_core::{Money, SourceAssumptions, SourceKind};
use rusqlite::Connection;

use crate::error::Result;
use crate::plans::list_launches;
use crate::sql::code;
use crate::store::Workbook;

fn month_index(m: u32) -> usize {
    // months are stored 0..=11 (a CHECK constraint), so this stays in bounds
    (m as usize).min(11)
}

pub(crate) fn load(conn: &Connection, version_id: i64) -> Result<PlanInput> {
    let version = crate::plans::get_version(conn, version_id)?;
    let seasonality = crate::plans::seasonality(conn, version_id)?;

    let mut stmt = conn.prepare_cached(
        "SELECT s.id, s.name, s.kind, p.cost_per_lead_cents, p.fixed_monthly_cents, p.contact_rate,
                p.appointment_rate, p.close_rate, p.direct_conversion
         FROM plan_source p JOIN source s ON s.id = p.source_id
         WHERE p.plan_version_id = ?1 ORDER BY s.position, s.id",
    )?;
    let sources = stmt
        .query_map([version_id], |r| {
            Ok(PlanSource {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: code(r, 2, SourceKind::parse)?,
                assumptions: SourceAssumptions {
                    cost_per_lead: Money(r.get(3)?),
                    fixed_monthly_cost: Money(r.get(4)?),
                    contact_rate: r.get(5)?,
                    appointment_rate: r.get(6)?,
                    close_rate: r.get(7)?,
                    direct_conversion: r.get(8)?,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;

    let mut stmt = conn.prepare_cached(
        "SELECT l.id, l.name, p.annual_units FROM plan_product_line p
         JOIN product_line l ON l.id = p.product_line_id
         WHERE p.plan_version_id = ?1 ORDER BY l.position, l.id",
    )?;
    let mut product_lines = stmt
        .query_map([version_id], |r| {
            Ok(PlanProductLine {
                id: r.get(0)?,
                name: r.get(1)?,
                annual_target: r.get(2)?,
                monthly_targets: [None; 12],
                stock: [None; 12],
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (table, is_stock) in [("sales_target", false), ("stock", true)] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT product_line_id, month, units FROM {table} WHERE plan_version_id = ?1"
        ))?;
        let rows = stmt.query_map([version_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, f64>(2)?,
            ))
        })?;
        for row in rows {
            let (pl, month, units) = row?;
            if let Some(line) = product_lines.iter_mut().find(|l| l.id == pl) {
                let months = if is_stock {
                    &mut line.stock
                } else {
                    &mut line.monthly_targets
                };
                months[month_index(month)] = Some(units);
            }
        }
    }

    let mut mix: BTreeMap<(u32, Option<i64>), Vec<SourceShare>> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT m.month, m.product_line_id, m.source_id, m.share FROM channel_mix m
         JOIN source s ON s.id = m.source_id
         WHERE m.plan_version_id = ?1 ORDER BY m.month, m.product_line_id, s.position, s.id",
    )?;
    let rows = stmt.query_map([version_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    for row in rows {
        let (month, pl, source_id, share): (u32, Option<i64>, i64, f64) = row?;
        mix.entry((month, pl))
            .or_default()
            .push(SourceShare { source_id, share });
    }
    let mix = mix
        .into_iter()
        .map(|((month, product_line_id), shares)| MixEntry {
            month,
            product_line_id,
            shares,
        })
        .collect();

    let mut budgets: BTreeMap<i64, [Money; 12]> = BTreeMap::new();
    let mut stmt = conn.prepare_cached(
        "SELECT source_id, month, amount_cents FROM budget WHERE plan_version_id = ?1",
    )?;
    let rows = stmt.query_map([version_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    for row in rows {
        let (source_id, month, cents): (i64, u32, i64) = row?;
        budgets.entry(source_id).or_insert([Money::ZERO; 12])[month_index(month)] = Money(cents);
    }
    let budgets = budgets
        .into_iter()
        .map(|(source_id, months)| SourceBudget { source_id, months })
        .collect();

    Ok(PlanInput {
        sources,
        product_lines,
        seasonality,
        launches: list_launches(conn, version_id)?,
        mix,
        budgets,
        annual_budget_cap: version.annual_budget_cap,
    })
}

impl Workbook {
    /// Everything a plan version is computed from.
    ///
    /// # Errors
    /// `Missing` version, storage errors.
    pub fn plan_input(&self, version_id: i64) -> Result<PlanInput> {
        self.read(|conn| load(conn, version_id))
    }

    /// A plan version, computed: leads, spend and sales per month, source and product line,
    /// the forward funnel, the totals and the warnings.
    ///
    /// # Errors
    /// `Validation` when the stored plan cannot be computed (e.g. a month's mix does not add
    /// up to 100 %), `Missing` version, storage errors.
    pub fn computed_plan(&self, version_id: i64) -> Result<PlanResult> {
        let input = self.plan_input(version_id)?;
        let floor = self.settings()?.conversion_floor;
        Ok(compute(&input, floor)?)
    }
}
