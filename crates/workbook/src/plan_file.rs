//! Plan versions to and from the JSON plan file (`docs/plan-format.md`), which names
//! sources and product lines so a plan moves between workbooks.

use chrono::{DateTime, Utc};
use leadplan_core::plan::{PlanFile, PlanInput};
use leadplan_core::{Money, PlanVersion, SourceAssumptions};
use rusqlite::{Connection, OptionalExtension, params};

use crate::catalogue::{NewProductLine, NewSource, insert_product_line, insert_source};
use crate::error::Result;
use crate::plans::{
    NewPlanVersion, PlanOrigin, get_version, insert_launch, insert_version, set_budget, set_mix,
    set_month_value, set_plan_source,
};
use crate::store::Workbook;

fn id_by_name(conn: &Connection, table: &str, name: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            &format!("SELECT id FROM {table} WHERE name = ?1"),
            [name.trim()],
            |r| r.get(0),
        )
        .optional()?)
}

/// Writes a parsed plan file as a new version of `year` called `name`, creating the sources
/// and product lines the workbook does not have yet. Runs in the caller's transaction.
fn write_file(
    conn: &Connection,
    file: &PlanFile,
    name: &str,
    created_by: &str,
    now: DateTime<Utc>,
) -> Result<i64> {
    // ids in the file's own numbering (1, 2, … in file order) → workbook ids
    let input: PlanInput = file.to_input();
    let mut source_ids = std::collections::HashMap::new();
    for (file_source, planned) in file.sources.iter().zip(&input.sources) {
        let id = match id_by_name(conn, "source", &file_source.name)? {
            Some(id) => id,
            None => insert_source(
                conn,
                &NewSource {
                    name: file_source.name.clone(),
                    kind: file_source.kind,
                    defaults: planned.assumptions.clone(),
                },
            )?,
        };
        source_ids.insert(planned.id, id);
    }
    let mut line_ids = std::collections::HashMap::new();
    for line in &input.product_lines {
        let id = match id_by_name(conn, "product_line", &line.name)? {
            Some(id) => id,
            None => insert_product_line(
                conn,
                &NewProductLine {
                    name: line.name.clone(),
                    segment: String::new(),
                    avg_revenue: Money::ZERO,
                    avg_margin: Money::ZERO,
                },
            )?,
        };
        line_ids.insert(line.id, id);
    }
    let version = insert_version(
        conn,
        &NewPlanVersion {
            year: file.year,
            name: name.to_owned(),
            created_by: created_by.to_owned(),
            origin: PlanOrigin::Empty,
        },
        now,
    )?;
    // the empty version starts with every source and product line; keep only the file's
    conn.execute(
        "DELETE FROM plan_source WHERE plan_version_id = ?1",
        [version],
    )?;
    conn.execute(
        "DELETE FROM plan_product_line WHERE plan_version_id = ?1",
        [version],
    )?;
    let source = |file_id: i64| source_ids.get(&file_id).copied().unwrap_or_default();
    let line = |file_id: i64| line_ids.get(&file_id).copied().unwrap_or_default();
    for s in &input.sources {
        let a: &SourceAssumptions = &s.assumptions;
        set_plan_source(conn, version, source(s.id), a)?;
    }
    for p in &input.product_lines {
        crate::plans::set_annual_target(conn, version, line(p.id), p.annual_target)?;
        for (m, units) in (0u32..).zip(p.monthly_targets) {
            if units.is_some() {
                set_month_value(conn, "sales_target", version, line(p.id), m, units)?;
            }
        }
        for (m, units) in (0u32..).zip(p.stock) {
            if units.is_some() {
                set_month_value(conn, "stock", version, line(p.id), m, units)?;
            }
        }
    }
    let seasonality = serde_json::to_string(&input.seasonality).unwrap_or_default();
    conn.execute(
        "UPDATE plan_version SET seasonality = ?2, annual_budget_cap_cents = ?3 WHERE id = ?1",
        params![
            version,
            seasonality,
            input.annual_budget_cap.map(Money::cents)
        ],
    )?;
    for l in &input.launches {
        let mut launch = l.clone();
        launch.product_line_id = line(l.product_line_id);
        insert_launch(conn, version, &launch)?;
    }
    for entry in &input.mix {
        for share in &entry.shares {
            set_mix(
                conn,
                version,
                entry.month,
                source(share.source_id),
                entry.product_line_id.map(line),
                share.share,
            )?;
        }
    }
    for b in &input.budgets {
        for (m, amount) in (0u32..).zip(b.months) {
            set_budget(conn, version, source(b.source_id), m, amount)?;
        }
    }
    Ok(version)
}

impl Workbook {
    /// A plan version as a plan file.
    ///
    /// # Errors
    /// `Validation` when the version cannot be computed (a file is only written for a valid
    /// plan), `Missing` version.
    pub fn export_plan(&self, version_id: i64) -> Result<PlanFile> {
        let version = self.plan_version(version_id)?;
        let input = self.plan_input(version_id)?;
        Ok(PlanFile::from_input(&input, version.year, &version.name)?)
    }

    /// Adds a parsed plan file as a new draft version, named `name` (default: the file's
    /// version name), all in one transaction. Sources and product lines are matched by name;
    /// those the workbook lacks are added.
    ///
    /// # Errors
    /// `Validation` when the name is already used in that year; storage errors. Nothing is
    /// written then.
    pub fn import_plan(
        &mut self,
        file: &PlanFile,
        name: Option<&str>,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<PlanVersion> {
        let name = name.unwrap_or(&file.version_name);
        self.write(|tx| {
            let id = write_file(tx, file, name, created_by, now)?;
            get_version(tx, id)
        })
    }
}
