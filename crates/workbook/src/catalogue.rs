//! Lead sources and product lines.

use leadplan_core::model::{MAX_NAME, ProductLine, Source, SourceAssumptions, SourceKind};
use leadplan_core::{Money, Rule, Validator};
use rusqlite::{Connection, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, WorkbookError};
use crate::sql::code;
use crate::store::Workbook;

/// A source to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewSource {
    pub name: String,
    pub kind: SourceKind,
    pub defaults: SourceAssumptions,
}

/// A product line to add.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewProductLine {
    pub name: String,
    pub segment: String,
    pub avg_revenue: Money,
    pub avg_margin: Money,
}

const SOURCE_COLUMNS: &str =
    "id, name, kind, cost_per_lead_cents, fixed_monthly_cents, contact_rate,
    appointment_rate, close_rate, direct_conversion, active";

fn source_from_row(r: &Row<'_>) -> rusqlite::Result<Source> {
    Ok(Source {
        id: r.get(0)?,
        name: r.get(1)?,
        kind: code(r, 2, SourceKind::parse)?,
        defaults: SourceAssumptions {
            cost_per_lead: Money(r.get(3)?),
            fixed_monthly_cost: Money(r.get(4)?),
            contact_rate: r.get(5)?,
            appointment_rate: r.get(6)?,
            close_rate: r.get(7)?,
            direct_conversion: r.get(8)?,
        },
        active: r.get(9)?,
    })
}

const PRODUCT_LINE_COLUMNS: &str = "id, name, segment, avg_revenue_cents, avg_margin_cents, active";

fn product_line_from_row(r: &Row<'_>) -> rusqlite::Result<ProductLine> {
    Ok(ProductLine {
        id: r.get(0)?,
        name: r.get(1)?,
        segment: r.get(2)?,
        avg_revenue: Money(r.get(3)?),
        avg_margin: Money(r.get(4)?),
        active: r.get(5)?,
    })
}

fn check_source(name: &str, defaults: &SourceAssumptions) -> Result<()> {
    let mut v = Validator::new();
    v.text("name", name, MAX_NAME);
    defaults.check(&mut v, "");
    Ok(v.finish()?)
}

fn check_product_line(name: &str, segment: &str, revenue: Money) -> Result<()> {
    let mut v = Validator::new();
    v.text("name", name, MAX_NAME);
    v.optional_text("segment", segment, MAX_NAME);
    if revenue.cents() < 0 {
        v.fail(
            "avg_revenue",
            Rule::Range {
                min: 0.0,
                max: 1.0e12,
            },
        );
    }
    Ok(v.finish()?)
}

/// Turns a violated UNIQUE constraint on a name into a field error.
fn name_taken(e: rusqlite::Error) -> WorkbookError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e
        && f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
    {
        let mut v = Validator::new();
        v.fail("name", Rule::Duplicate);
        if let Err(errors) = v.finish() {
            return errors.into();
        }
    }
    e.into()
}

pub(crate) fn list_sources(conn: &Connection) -> Result<Vec<Source>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SOURCE_COLUMNS} FROM source ORDER BY position, id"
    ))?;
    let rows = stmt
        .query_map([], source_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn list_product_lines(conn: &Connection) -> Result<Vec<ProductLine>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {PRODUCT_LINE_COLUMNS} FROM product_line ORDER BY position, id"
    ))?;
    let rows = stmt
        .query_map([], product_line_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn insert_source(conn: &Connection, s: &NewSource) -> Result<i64> {
    check_source(&s.name, &s.defaults)?;
    let d = &s.defaults;
    conn.execute(
        "INSERT INTO source (name, kind, cost_per_lead_cents, fixed_monthly_cents, contact_rate,
             appointment_rate, close_rate, direct_conversion, position)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, (SELECT IFNULL(MAX(position), 0) + 1 FROM source))",
        params![
            s.name.trim(),
            s.kind.code(),
            d.cost_per_lead.cents(),
            d.fixed_monthly_cost.cents(),
            d.contact_rate,
            d.appointment_rate,
            d.close_rate,
            d.direct_conversion
        ],
    )
    .map_err(name_taken)?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn insert_product_line(conn: &Connection, p: &NewProductLine) -> Result<i64> {
    check_product_line(&p.name, &p.segment, p.avg_revenue)?;
    conn.execute(
        "INSERT INTO product_line (name, segment, avg_revenue_cents, avg_margin_cents, position)
         VALUES (?1, ?2, ?3, ?4, (SELECT IFNULL(MAX(position), 0) + 1 FROM product_line))",
        params![
            p.name.trim(),
            p.segment.trim(),
            p.avg_revenue.cents(),
            p.avg_margin.cents()
        ],
    )
    .map_err(name_taken)?;
    Ok(conn.last_insert_rowid())
}

impl Workbook {
    /// Every lead source, in display order.
    ///
    /// # Errors
    /// Storage errors.
    pub fn sources(&self) -> Result<Vec<Source>> {
        list_sources(&self.conn)
    }

    /// Adds a source; returns its id.
    ///
    /// # Errors
    /// `Validation` (empty or taken name, rates outside 0..=1, negative costs).
    pub fn add_source(&mut self, s: &NewSource) -> Result<i64> {
        self.write(|tx| insert_source(tx, s))
    }

    /// Saves a source's name, kind, defaults and active flag.
    ///
    /// # Errors
    /// `Validation`, `Missing` when there is no such source.
    pub fn update_source(&mut self, s: &Source) -> Result<()> {
        check_source(&s.name, &s.defaults)?;
        self.write(|tx| {
            let d = &s.defaults;
            let n = tx
                .execute(
                    "UPDATE source SET name = ?2, kind = ?3, cost_per_lead_cents = ?4,
                         fixed_monthly_cents = ?5, contact_rate = ?6, appointment_rate = ?7,
                         close_rate = ?8, direct_conversion = ?9, active = ?10
                     WHERE id = ?1",
                    params![
                        s.id,
                        s.name.trim(),
                        s.kind.code(),
                        d.cost_per_lead.cents(),
                        d.fixed_monthly_cost.cents(),
                        d.contact_rate,
                        d.appointment_rate,
                        d.close_rate,
                        d.direct_conversion,
                        s.active
                    ],
                )
                .map_err(name_taken)?;
            if n == 0 {
                return Err(WorkbookError::Missing {
                    what: "source",
                    id: s.id,
                });
            }
            Ok(())
        })
    }

    /// Every product line, in display order.
    ///
    /// # Errors
    /// Storage errors.
    pub fn product_lines(&self) -> Result<Vec<ProductLine>> {
        list_product_lines(&self.conn)
    }

    /// Adds a product line; returns its id.
    ///
    /// # Errors
    /// `Validation` (empty or taken name, negative revenue).
    pub fn add_product_line(&mut self, p: &NewProductLine) -> Result<i64> {
        self.write(|tx| insert_product_line(tx, p))
    }

    /// Saves a product line.
    ///
    /// # Errors
    /// `Validation`, `Missing` when there is no such product line.
    pub fn update_product_line(&mut self, p: &ProductLine) -> Result<()> {
        check_product_line(&p.name, &p.segment, p.avg_revenue)?;
        self.write(|tx| {
            let n = tx
                .execute(
                    "UPDATE product_line SET name = ?2, segment = ?3, avg_revenue_cents = ?4,
                         avg_margin_cents = ?5, active = ?6
                     WHERE id = ?1",
                    params![
                        p.id,
                        p.name.trim(),
                        p.segment.trim(),
                        p.avg_revenue.cents(),
                        p.avg_margin.cents(),
                        p.active
                    ],
                )
                .map_err(name_taken)?;
            if n == 0 {
                return Err(WorkbookError::Missing {
                    what: "product line",
                    id: p.id,
                });
            }
            Ok(())
        })
    }
}
