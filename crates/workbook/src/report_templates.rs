//! Export templates: report options saved in the workbook under a name, so the monthly
//! management report is made the same way every month, from the app or by a scheduled
//! `leadplan report --template`.

use leadplan_core::Validator;
use leadplan_core::model::MAX_NAME;
use leadplan_core::report_options::{ReportOptions, ReportTemplate};
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Result, WorkbookError};
use crate::store::Workbook;

fn template_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<(i64, String, String)> {
    Ok((row.get(0)?, row.get(1)?, row.get(2)?))
}

fn parse((id, name, json): (i64, String, String)) -> Result<ReportTemplate> {
    let options = serde_json::from_str(&json).map_err(|e| {
        WorkbookError::Corrupt(format!(
            "report template {name:?}: the options cannot be read: {e}"
        ))
    })?;
    Ok(ReportTemplate { id, name, options })
}

/// Saves `options` under `name`, replacing the template of that name (any case) if there is
/// one; returns the template as stored.
pub(crate) fn save(
    conn: &Connection,
    name: &str,
    options: &ReportOptions,
) -> Result<ReportTemplate> {
    let mut v = Validator::new();
    v.text("name", name, MAX_NAME);
    if let Err(errors) = options.validate() {
        for e in errors.0 {
            v.fail(format!("options.{}", e.field), e.rule);
        }
    }
    v.finish()?;
    let json = serde_json::to_string(options)
        .map_err(|e| WorkbookError::Corrupt(format!("report template {name:?}: {e}")))?;
    let name = name.trim();
    conn.execute(
        "INSERT INTO report_template (name, options) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET name = excluded.name, options = excluded.options",
        params![name, json],
    )?;
    let row = conn.query_row(
        "SELECT id, name, options FROM report_template WHERE name = ?1",
        [name],
        template_from_row,
    )?;
    parse(row)
}

impl Workbook {
    /// Every saved report template, by name.
    ///
    /// # Errors
    /// Storage errors; `Corrupt` naming a template whose options cannot be read.
    pub fn report_templates(&self) -> Result<Vec<ReportTemplate>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, options FROM report_template ORDER BY name")?;
        let rows: Vec<_> = stmt
            .query_map([], template_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        rows.into_iter().map(parse).collect()
    }

    /// The template called `name` (any case).
    ///
    /// # Errors
    /// `UnknownName`, `Corrupt`, storage errors.
    pub fn report_template(&self, name: &str) -> Result<ReportTemplate> {
        let row = self
            .conn
            .query_row(
                "SELECT id, name, options FROM report_template WHERE name = ?1",
                [name.trim()],
                template_from_row,
            )
            .optional()?
            .ok_or_else(|| WorkbookError::UnknownName {
                what: "report template",
                name: name.to_owned(),
            })?;
        parse(row)
    }

    /// Saves report options as a template called `name`, replacing the template of that name
    /// (any case) if there is one.
    ///
    /// # Errors
    /// `Validation` (empty or overlong name, invalid options), storage errors.
    pub fn save_report_template(
        &mut self,
        name: &str,
        options: &ReportOptions,
    ) -> Result<ReportTemplate> {
        self.write(|tx| save(tx, name, options))
    }

    /// Deletes a template.
    ///
    /// # Errors
    /// `Missing`, storage errors.
    pub fn delete_report_template(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM report_template WHERE id = ?1", [id])? == 0 {
                return Err(WorkbookError::Missing {
                    what: "report template",
                    id,
                });
            }
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use leadplan_core::Settings;
    use leadplan_core::report_options::{PaperSize, ReportFormat, ReportPeriod, ReportSection};

    use super::*;

    fn workbook(dir: &tempfile::TempDir) -> Workbook {
        Workbook::create(&dir.path().join("t.leadplan"), &Settings::default()).unwrap()
    }

    #[test]
    fn a_template_is_saved_listed_replaced_by_name_and_deleted() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = workbook(&dir);
        assert!(wb.report_templates().unwrap().is_empty());
        let monthly = ReportOptions {
            sections: vec![ReportSection::Summary, ReportSection::Charts],
            period: ReportPeriod::YearToDate,
            sources: vec!["Website".into()],
            ..ReportOptions::default()
        };
        let saved = wb.save_report_template(" Monthly ", &monthly).unwrap();
        assert_eq!(saved.name, "Monthly");
        assert_eq!(saved.options, monthly);
        let excel = ReportOptions {
            format: ReportFormat::Xlsx,
            paper: PaperSize::Letter,
            ..ReportOptions::default()
        };
        wb.save_report_template("Annual", &excel).unwrap();
        // the same name in another case replaces the template, keeping its id
        let replaced = wb.save_report_template("MONTHLY", &excel).unwrap();
        assert_eq!(replaced.id, saved.id);
        let names: Vec<String> = wb
            .report_templates()
            .unwrap()
            .into_iter()
            .map(|t| t.name)
            .collect();
        assert_eq!(names, ["Annual", "MONTHLY"]);
        assert_eq!(wb.report_template("monthly").unwrap().options, excel);
        wb.delete_report_template(saved.id).unwrap();
        assert!(matches!(
            wb.report_template("monthly"),
            Err(WorkbookError::UnknownName { .. })
        ));
        assert!(matches!(
            wb.delete_report_template(saved.id),
            Err(WorkbookError::Missing { .. })
        ));
    }

    #[test]
    fn an_unnamed_template_or_invalid_options_are_refused_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = workbook(&dir);
        let err = wb
            .save_report_template("  ", &ReportOptions::default())
            .unwrap_err();
        assert!(
            matches!(&err, WorkbookError::Validation(v) if v.0[0].field == "name"),
            "{err}"
        );
        let err = wb
            .save_report_template(
                "x",
                &ReportOptions {
                    sections: vec![],
                    ..ReportOptions::default()
                },
            )
            .unwrap_err();
        assert!(err.to_string().contains("options.sections"), "{err}");
        assert!(wb.report_templates().unwrap().is_empty());
    }

    #[test]
    fn a_damaged_template_is_reported_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let mut wb = workbook(&dir);
        wb.write(|tx| {
            tx.execute(
                "INSERT INTO report_template (name, options) VALUES ('Broken', '{\"format\":\"docx\"}')",
                [],
            )?;
            Ok(())
        })
        .unwrap();
        let err = wb.report_templates().unwrap_err();
        assert!(err.to_string().contains("\"Broken\""), "{err}");
    }
}
