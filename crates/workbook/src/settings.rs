//! The workbook's settings row.

use leadplan_core::{FollowUpSla, Locale, Settings};
use rusqlite::{Connection, params};

use crate::error::Result;
use crate::sql::code;
use crate::store::Workbook;

pub(crate) fn insert(conn: &Connection, s: &Settings) -> Result<()> {
    conn.execute(
        "INSERT INTO settings (id, organisation, currency, locale, fiscal_year_start_month,
             conversion_floor, sla_first_contact_minutes, sla_min_attempts, sla_two_way_target,
             cohort_maturity_days, sla_within_target)
         VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        params![
            s.organisation.trim(),
            s.currency.trim(),
            s.locale.code(),
            s.fiscal_year_start_month,
            s.conversion_floor,
            s.sla.first_contact_minutes,
            s.sla.min_attempts_before_lost,
            s.sla.two_way_contact_target,
            s.cohort_maturity_days,
            s.sla.within_sla_target
        ],
    )?;
    Ok(())
}

pub(crate) fn get(conn: &Connection) -> Result<Settings> {
    Ok(conn.query_row(
        "SELECT organisation, currency, locale, fiscal_year_start_month, conversion_floor,
                sla_first_contact_minutes, sla_min_attempts, sla_two_way_target, cohort_maturity_days,
                sla_within_target
         FROM settings WHERE id = 1",
        [],
        |r| {
            Ok(Settings {
                organisation: r.get(0)?,
                currency: r.get(1)?,
                locale: code(r, 2, Locale::parse)?,
                fiscal_year_start_month: r.get(3)?,
                conversion_floor: r.get(4)?,
                sla: FollowUpSla {
                    first_contact_minutes: r.get(5)?,
                    min_attempts_before_lost: r.get(6)?,
                    two_way_contact_target: r.get(7)?,
                    within_sla_target: r.get(9)?,
                },
                cohort_maturity_days: r.get(8)?,
            })
        },
    )?)
}

impl Workbook {
    /// The workbook's settings.
    ///
    /// # Errors
    /// Storage errors.
    pub fn settings(&self) -> Result<Settings> {
        get(&self.conn)
    }

    /// Validates and saves the settings; returns them as stored. A change to the follow-up
    /// SLA clears both sides' agreement to it.
    ///
    /// # Errors
    /// `Validation` naming every bad field (nothing is saved), storage errors.
    pub fn update_settings(&mut self, s: &Settings) -> Result<Settings> {
        s.validate()?;
        self.write(|tx| {
            let before = get(tx)?;
            tx.execute(
                "UPDATE settings SET organisation = ?1, currency = ?2, locale = ?3,
                     fiscal_year_start_month = ?4, conversion_floor = ?5,
                     sla_first_contact_minutes = ?6, sla_min_attempts = ?7,
                     sla_two_way_target = ?8, cohort_maturity_days = ?9,
                     sla_within_target = ?10
                 WHERE id = 1",
                params![
                    s.organisation.trim(),
                    s.currency.trim(),
                    s.locale.code(),
                    s.fiscal_year_start_month,
                    s.conversion_floor,
                    s.sla.first_contact_minutes,
                    s.sla.min_attempts_before_lost,
                    s.sla.two_way_contact_target,
                    s.cohort_maturity_days,
                    s.sla.within_sla_target
                ],
            )?;
            if before.sla != s.sla {
                // the rollups count leads against the SLA
                crate::rollups::rebuild(tx, &s.sla, None)?;
                tx.execute(
                    "UPDATE settings SET sla_marketing_agreed_by = NULL, sla_marketing_agreed_at = NULL,
                         sla_sales_agreed_by = NULL, sla_sales_agreed_at = NULL WHERE id = 1",
                    [],
                )?;
            }
            get(tx)
        })
    }
}
