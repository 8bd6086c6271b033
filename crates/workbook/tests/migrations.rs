#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Workbooks written at every earlier schema version, built here from the migration history
//! with data in the form that version stored it, open, upgrade and keep all of it.
//!
//! (A workbook of a newer schema is refused without being changed: `tests/workbook.rs`.)

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use leadplan_core::actuals::{Filter, RollupAccumulator};
use leadplan_core::report_options::ReportOptions;
use leadplan_core::{
    FollowUpSla, Lead, Locale, Money, PlanStatus, Settings, Side, SourceKind, Spend, Stage,
};
use leadplan_workbook::{
    APPLICATION_ID, MIGRATION_SQL, NewMeeting, NewPlanVersion, PlanCell, PlanEdit, PlanOrigin,
    Workbook, latest_schema_version, lead_block,
};
use rusqlite::types::Value;
use rusqlite::{Connection, Transaction, params};

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
}

/// The SLA stored in every old workbook; schemas before 3 have no target share, so the
/// upgrade gives them the default 0.8.
fn sla(version: usize) -> FollowUpSla {
    FollowUpSla {
        first_contact_minutes: 30,
        min_attempts_before_lost: 3,
        two_way_contact_target: 0.5,
        within_sla_target: if version >= 3 { 0.75 } else { 0.8 },
    }
}

fn expected_settings(version: usize) -> Settings {
    Settings {
        organisation: "Garage Oud".into(),
        currency: "CHF".into(),
        locale: Locale::De,
        fiscal_year_start_month: 4,
        conversion_floor: 0.1,
        sla: sla(version),
        cohort_maturity_days: 45,
    }
}

/// Six leads: five in fiscal year 2025 (April 2025 – March 2026), one before it.
/// Source 1 = Website, 2 = Marktplaats; product line 1 = Aster.
fn leads() -> Vec<Lead> {
    let lead = |id: &str, created: DateTime<Utc>, source: i64, stage: Stage| Lead {
        external_id: id.into(),
        created_at: created,
        source_id: Some(source),
        product_line_id: Some(1),
        first_attempt_at: None,
        first_two_way_at: None,
        attempts: 0,
        stage,
        lost_reason: None,
        appointment_at: None,
        won_at: None,
        value: None,
        owner: Some("Bas".into()),
    };
    let won = Lead {
        first_attempt_at: Some(at(2025, 4, 3, 10, 20)),
        first_two_way_at: Some(at(2025, 4, 3, 10, 25)),
        attempts: 2,
        won_at: Some(at(2025, 5, 10, 9, 0)),
        value: Some(Money::from_units(31_000)),
        ..lead("L-1", at(2025, 4, 3, 10, 0), 1, Stage::Won)
    };
    let lost = Lead {
        first_attempt_at: Some(at(2025, 5, 2, 13, 30)),
        attempts: 4,
        lost_reason: Some("no answer".into()),
        ..lead("L-3", at(2025, 5, 2, 12, 0), 2, Stage::Lost)
    };
    let appointment = Lead {
        product_line_id: None,
        first_attempt_at: Some(at(2025, 5, 20, 8, 10)),
        first_two_way_at: Some(at(2025, 5, 20, 8, 10)),
        attempts: 1,
        appointment_at: Some(at(2025, 5, 27, 15, 0)),
        ..lead("L-4", at(2025, 5, 20, 8, 0), 2, Stage::Appointment)
    };
    vec![
        won,
        lead("L-2", at(2025, 4, 15, 16, 0), 1, Stage::New),
        lost,
        appointment,
        Lead {
            attempts: 1,
            first_attempt_at: Some(at(2026, 1, 10, 11, 0)),
            ..lead("L-5", at(2026, 1, 10, 9, 0), 1, Stage::Contacted)
        },
        lead("L-0", at(2024, 12, 1, 9, 0), 1, Stage::New),
    ]
}

fn created_month(t: DateTime<Utc>) -> i64 {
    use chrono::Datelike;
    i64::from(t.year()) * 100 + i64::from(t.month())
}

/// Everything a workbook holds, written with SQL that is valid at schema `version`, the way
/// the Leadplan of that version stored it.
fn insert_data(tx: &Transaction<'_>, version: usize) {
    let created = at(2025, 1, 15, 9, 0).timestamp();
    tx.execute(
        "INSERT INTO settings (id, organisation, currency, locale, fiscal_year_start_month,
             conversion_floor, sla_first_contact_minutes, sla_min_attempts, sla_two_way_target,
             sla_marketing_agreed_by, sla_marketing_agreed_at, cohort_maturity_days)
         VALUES (1, 'Garage Oud', 'CHF', 'de', 4, 0.1, 30, 3, 0.5, 'Anna', ?1, 45)",
        [created],
    )
    .unwrap();
    if version >= 3 {
        tx.execute("UPDATE settings SET sla_within_target = 0.75", [])
            .unwrap();
    }
    tx.execute_batch(
        "INSERT INTO source (id, name, kind, cost_per_lead_cents, fixed_monthly_cents,
             contact_rate, appointment_rate, close_rate, direct_conversion, active, position)
         VALUES (1, 'Website', 'owned', 1500, 10000, 0.9, 0.5, 0.3, NULL, 1, 0),
                (2, 'Marktplaats', 'marketplace', 2000, 0, 1, 1, 1, 0.05, 1, 1);
         INSERT INTO product_line (id, name, segment, avg_revenue_cents, avg_margin_cents, active, position)
         VALUES (1, 'Aster', 'SUV', 3000000, 400000, 1, 0);
         INSERT INTO plan_source (plan_version_id, source_id, cost_per_lead_cents,
             fixed_monthly_cents, contact_rate, appointment_rate, close_rate, direct_conversion)
         VALUES (1, 1, 1500, 10000, 0.9, 0.5, 0.3, NULL),
                (1, 2, 2000, 0, 1, 1, 1, 0.05);
         INSERT INTO plan_product_line (plan_version_id, product_line_id, annual_units)
         VALUES (1, 1, 120);
         INSERT INTO value_mapping (kind, raw, mapped) VALUES ('source', 'mp.nl', 'Marktplaats');
         INSERT INTO feedback_reason (id, label) VALUES (1, 'Wrong budget');
         INSERT INTO meeting_attendee (meeting_id, position, name, side)
         VALUES (1, 0, 'Anna', 'marketing'), (1, 1, 'Bas', 'sales');
         INSERT INTO agenda_item (id, meeting_id, position, kind, title, detail, notes, decision)
         VALUES (1, 1, 0, 'other', 'Leads behind plan', 'May', 'discussed', 'more budget');
         INSERT INTO spend (source_id, year, month, amount_cents)
         VALUES (1, 2025, 4, 750000), (2, 2025, 5, 120000);",
    )
    .unwrap();
    tx.execute(
        "INSERT INTO plan_version (id, year, name, status, baseline, created_at, created_by,
             notes, seasonality)
         VALUES (1, 2025, 'Baseline', 'agreed', 1, ?1, 'Anna', 'agreed in January',
             '[1,1,1,1,1,1,1,1,1,1,1,1]')",
        [created],
    )
    .unwrap();
    for month in 0..12 {
        tx.execute(
            "INSERT INTO channel_mix (plan_version_id, month, source_id, product_line_id, share)
             VALUES (1, ?1, 1, NULL, 0.6), (1, ?1, 2, NULL, 0.4)",
            [month],
        )
        .unwrap();
        tx.execute(
            "INSERT INTO budget (plan_version_id, source_id, month, amount_cents)
             VALUES (1, 1, ?1, 800000)",
            [month],
        )
        .unwrap();
    }
    tx.execute(
        "INSERT INTO meeting (id, held_on, title, plan_version_id, period_from, period_to, notes)
         VALUES (1, '2025-06-02', 'June review', 1, 0, 2, 'first quarter')",
        [],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO action_item (id, meeting_id, text, owner_side, owner, due_on, status, created_at)
         VALUES (1, 1, 'Call Marktplaats about lead quality', 'marketing', 'Anna', '2025-06-30',
             'open', ?1)",
        [created],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO glossary_term (id, term, definition, marketing_agreed_by, marketing_agreed_at,
             sales_agreed_by, sales_agreed_at)
         VALUES (1, 'SQL', 'A lead sales accepted for follow-up.', 'Anna', ?1, 'Bas', ?1)",
        [created],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO lead_feedback (id, source_id, year, month, rating, given_by, created_at)
         VALUES (1, 2, 2025, 5, 2, 'Bas', ?1)",
        [created],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO lead_feedback_reason (feedback_id, reason_id) VALUES (1, 1)",
        [],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO report_template (id, name, options) VALUES (1, 'Monthly', ?1)",
        [serde_json::to_string(&ReportOptions::default()).unwrap()],
    )
    .unwrap();
    tx.execute(
        "INSERT INTO import (id, file_name, format, sha256, imported_at, rows_read, rows_imported,
             leads_new)
         VALUES (1, 'crm.csv', 'csv', 'ab12', ?1, 6, 6, 6)",
        [created],
    )
    .unwrap();
    if version >= 5 {
        // from schema 5 on, leads are stored in blocks, one per creation month here
        let mut by_month: BTreeMap<i64, Vec<Lead>> = BTreeMap::new();
        for l in leads() {
            by_month
                .entry(created_month(l.created_at))
                .or_default()
                .push(l);
        }
        for (month, leads) in by_month {
            tx.execute(
                "INSERT INTO lead_block (created_month, leads, import_id, data) VALUES (?1, ?2, 1, ?3)",
                params![month, i64::try_from(leads.len()).unwrap(), lead_block::encode(&leads)],
            )
            .unwrap();
        }
    } else {
        insert_lead_rows(tx, &leads(), 1);
    }
    if version >= 2 {
        // from schema 2 on, Leadplan kept monthly rollups beside the leads
        let mut acc = RollupAccumulator::new(&sla(version));
        for l in leads() {
            acc.add(&l);
        }
        for r in acc.finish() {
            let n = |x: u64| i64::try_from(x).unwrap();
            tx.execute(
                "INSERT INTO lead_rollup (year, month, source_id, product_line_id, owner, leads,
                     contacted, reached, appointments, won, lost, lost_without_attempt,
                     lost_below_min_attempts, contacted_within_sla, attempts_on_lost,
                     revenue_cents, response_minutes)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
                params![
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
                ],
            )
            .unwrap();
        }
    }
}

/// Leads as schema 4 and earlier stored them, a row each, written by import `import_id`.
fn insert_lead_rows(tx: &Transaction<'_>, leads: &[Lead], import_id: i64) {
    let ts = |t: Option<DateTime<Utc>>| t.map(|t| t.timestamp());
    for l in leads {
        tx.execute(
            "INSERT INTO lead (external_id, created_at, created_month, source_id, product_line_id,
                 first_attempt_at, first_two_way_at, attempts, stage, lost_reason, appointment_at,
                 won_at, value_cents, owner, import_id)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
            params![
                l.external_id,
                l.created_at.timestamp(),
                created_month(l.created_at),
                l.source_id,
                l.product_line_id,
                ts(l.first_attempt_at),
                ts(l.first_two_way_at),
                l.attempts,
                l.stage.code(),
                l.lost_reason,
                ts(l.appointment_at),
                ts(l.won_at),
                l.value.map(Money::cents),
                l.owner,
                import_id
            ],
        )
        .unwrap();
    }
}

/// A workbook file at schema `version`: the first `version` migrations, marked as that
/// version, with the data of that version.
fn build_at(path: &Path, version: usize) {
    let mut conn = Connection::open(path).unwrap();
    let tx = conn.transaction().unwrap();
    for sql in &MIGRATION_SQL[..version] {
        tx.execute_batch(sql).unwrap();
    }
    tx.pragma_update(None, "user_version", i64::try_from(version).unwrap())
        .unwrap();
    // the rows below are written parents after children; they must agree when committed
    tx.pragma_update(None, "defer_foreign_keys", "ON").unwrap();
    tx.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    insert_data(&tx, version);
    tx.commit().unwrap();
}

type Rows = Vec<Vec<Value>>;

/// Every table's columns and rows (sorted), read straight from the file.
fn tables(conn: &Connection) -> BTreeMap<String, (Vec<String>, Rows)> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    names
        .into_iter()
        .map(|name| {
            let columns = columns(conn, &name);
            let rows = rows(conn, &name, &columns);
            (name, (columns, rows))
        })
        .collect()
}

fn columns(conn: &Connection, table: &str) -> Vec<String> {
    conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn rows(conn: &Connection, table: &str, columns: &[String]) -> Rows {
    let list = columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let mut rows: Rows = conn
        .prepare(&format!("SELECT {list} FROM \"{table}\""))
        .unwrap()
        .query_map([], |r| {
            (0..columns.len())
                .map(|i| r.get::<_, Value>(i))
                .collect::<Result<Vec<_>, _>>()
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    rows
}

/// (month, source, leads) per calendar month of `year`, from the rollups.
fn counts(wb: &Workbook, year: i32) -> Vec<(u32, Option<i64>, u64)> {
    wb.lead_counts(year)
        .unwrap()
        .into_iter()
        .map(|c| (c.month, c.source_id, c.leads))
        .collect()
}

fn upgrade_keeps_everything(version: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(format!("schema-{version}.leadplan"));
    build_at(&path, version);
    let before = tables(&Connection::open(&path).unwrap());

    let mut wb = Workbook::open(&path).unwrap();

    // Every row of every table is still there, on every column that still exists (schema 4
    // dropped the lead's internal row id: leads are keyed by their external id), except the
    // leads, which schema 5 moved into blocks: they are compared through the API below.
    {
        let conn = Connection::open(&path).unwrap();
        let found: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(found, latest_schema_version());
        for (table, (columns, rows_before)) in &before {
            let now_columns = self::columns(&conn, table);
            if version < 5 && (table == "lead" || table == "lead_history") {
                assert!(now_columns.is_empty(), "{table} was not moved into blocks");
                continue;
            }
            assert!(!now_columns.is_empty(), "table {table} was dropped");
            let kept: Vec<String> = columns
                .iter()
                .filter(|c| now_columns.contains(c))
                .cloned()
                .collect();
            if table != "lead" {
                assert_eq!(&kept, columns, "table {table} lost columns");
            }
            let keep: Vec<usize> = columns
                .iter()
                .enumerate()
                .filter(|(_, c)| kept.contains(c))
                .map(|(i, _)| i)
                .collect();
            let mut expected: Rows = rows_before
                .iter()
                .map(|r| keep.iter().map(|&i| r[i].clone()).collect())
                .collect();
            expected.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
            assert_eq!(
                rows(&conn, table, &kept),
                expected,
                "rows of {table} changed in the upgrade from schema {version}"
            );
        }
    }

    // The typed API reads all of it.
    assert_eq!(wb.settings().unwrap(), expected_settings(version));
    let sla = wb.sla_agreement().unwrap();
    assert_eq!(
        sla.marketing.as_ref().map(|a| a.by.as_str()),
        Some("Anna"),
        "{sla:?}"
    );
    let sources = wb.sources().unwrap();
    let names: Vec<&str> = sources.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Website", "Marktplaats"]);
    assert_eq!(sources[0].kind, SourceKind::Owned);
    assert_eq!(sources[0].defaults.cost_per_lead, Money::from_units(15));
    assert_eq!(sources[1].defaults.direct_conversion, Some(0.05));
    let lines = wb.product_lines().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].avg_revenue, Money::from_units(30_000));
    assert_eq!(wb.lead_count().unwrap(), 6);
    let mut expected = leads();
    expected.sort_by_key(|l| l.created_at);
    assert_eq!(wb.leads_created_between(0, 999_999).unwrap(), expected);
    let imports = wb.imports().unwrap();
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].rows_imported, 6);

    // Leads per calendar month, by hand: April 2025 two from the Website, May 2025 two from
    // Marktplaats; January 2026 one; December 2024 one.
    assert_eq!(counts(&wb, 2025), [(4, Some(1), 2), (5, Some(2), 2)]);
    assert_eq!(counts(&wb, 2026), [(1, Some(1), 1)]);
    assert_eq!(counts(&wb, 2024), [(12, Some(1), 1)]);

    // The plan computes: 120 Aster a year, 60 % through the Website (conversion
    // 0.9 × 0.5 × 0.3 = 0.135) and 40 % through Marktplaats (direct conversion 0.05):
    // 72 / 0.135 + 48 / 0.05 = 533.33 + 960 = 1,493.33 leads.
    let versions = wb.plan_versions(Some(2025)).unwrap();
    assert_eq!(versions.len(), 1);
    let baseline = &versions[0];
    assert!(baseline.baseline);
    assert_eq!(baseline.status, PlanStatus::Agreed);
    assert_eq!(baseline.notes, "agreed in January");
    let plan = wb.computed_plan(baseline.id).unwrap();
    assert!((plan.year.planned_sales - 120.0).abs() < 1e-9);
    assert!(
        (plan.year.leads - (72.0 / 0.135 + 48.0 / 0.05)).abs() < 1e-6,
        "{}",
        plan.year.leads
    );

    // Plan versus actual counts the five leads of fiscal 2025 (April 2025 – March 2026),
    // two of them in May and one won.
    let compare = wb
        .compare(baseline.id, &Filter::default(), today())
        .unwrap();
    assert_eq!(compare.total.figures.leads.actual, Some(5));
    assert_eq!(compare.total.figures.sales.won, Some(1));
    assert_eq!(compare.months[1].figures.leads.actual, Some(2));
    assert_eq!(
        compare.total.figures.revenue.revenue,
        Some(Money::from_units(31_000))
    );

    // Meetings, action items, glossary, feedback, spend and report templates.
    let meetings = wb.meetings().unwrap();
    assert_eq!(meetings.len(), 1);
    assert_eq!(meetings[0].title, "June review");
    assert_eq!(meetings[0].attendees.len(), 2);
    assert_eq!(meetings[0].attendees[1].side, Side::Sales);
    assert_eq!(wb.agenda(1).unwrap()[0].decision, "more budget");
    assert_eq!(wb.action_items(Some(1)).unwrap().len(), 1);
    let glossary = wb.glossary().unwrap();
    assert_eq!(glossary[0].term, "SQL");
    assert!(glossary[0].marketing.is_some() && glossary[0].sales.is_some());
    let feedback = wb.feedback(2025).unwrap();
    assert_eq!(feedback.len(), 1);
    assert_eq!(feedback[0].reasons, ["Wrong budget"]);
    assert_eq!(
        wb.spend(2025).unwrap(),
        [
            Spend {
                source_id: 1,
                year: 2025,
                month: 4,
                amount: Money::from_units(7_500)
            },
            Spend {
                source_id: 2,
                year: 2025,
                month: 5,
                amount: Money::from_units(1_200)
            }
        ]
    );
    assert_eq!(
        wb.report_template("Monthly").unwrap().options,
        ReportOptions::default()
    );
    assert_eq!(
        wb.value_mappings()
            .unwrap()
            .sources
            .get("mp.nl")
            .map(String::as_str),
        Some("Marktplaats")
    );

    // And it takes new work: a copy of the agreed baseline and an edit of it, a new lead (its
    // month's rollup follows), a meeting.
    let draft = wb
        .create_plan_version(
            &NewPlanVersion {
                year: 2025,
                name: "Re-forecast".into(),
                created_by: "Bas".into(),
                origin: PlanOrigin::CopyOf {
                    version_id: baseline.id,
                },
            },
            at(2025, 6, 1, 9, 0),
        )
        .unwrap();
    wb.edit_plan(
        draft.id,
        &[PlanEdit::Cell {
            cell: PlanCell::AnnualTarget { product_line_id: 1 },
            value: Some(240.0),
        }],
    )
    .unwrap();
    assert!((wb.computed_plan(draft.id).unwrap().year.planned_sales - 240.0).abs() < 1e-9);
    assert!((wb.computed_plan(baseline.id).unwrap().year.planned_sales - 120.0).abs() < 1e-9);
    let mut extra = leads()[1].clone();
    extra.external_id = "L-6".into();
    wb.add_leads(&[extra]).unwrap();
    assert_eq!(counts(&wb, 2025), [(4, Some(1), 3), (5, Some(2), 2)]);
    wb.start_meeting(
        &NewMeeting {
            held_on: today(),
            title: "After the upgrade".into(),
            plan_version_id: Some(baseline.id),
            period_from: 0,
            period_to: 11,
            attendees: vec![],
            notes: String::new(),
        },
        today(),
    )
    .unwrap();
    wb.close().unwrap();

    let wb = Workbook::open(&path).unwrap();
    assert_eq!(wb.lead_count().unwrap(), 7);
    assert_eq!(wb.meetings().unwrap().len(), 2);
}

#[test]
fn a_workbook_of_every_earlier_schema_opens_with_its_data_intact_and_usable() {
    assert!(
        MIGRATION_SQL.len() >= 2,
        "there is no earlier schema to test"
    );
    for version in 1..MIGRATION_SQL.len() {
        upgrade_keeps_everything(version);
    }
}

#[test]
fn a_workbook_of_the_current_schema_built_the_same_way_opens_unchanged() {
    // the same data at the latest schema: proves the builder writes what the app reads, so
    // a failure above is the upgrade's, not the test's
    upgrade_keeps_everything(MIGRATION_SQL.len());
}

/// Schema 4 kept the state a lead had before an import changed it in `lead_history`; the
/// upgrade to blocks keeps it, so imports made before the upgrade can still be undone.
#[test]
fn imports_made_before_the_upgrade_to_blocks_can_still_be_undone_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("schema-4.leadplan");
    build_at(&path, 4);
    let first = leads();
    // import 2 changed L-2 (won now) and added L-9; import 3 changed L-2 again, then was
    // undone (its history is stale and must be ignored)
    let mut l2_won = first[1].clone();
    l2_won.stage = Stage::Won;
    l2_won.won_at = Some(at(2025, 6, 1, 9, 0));
    let mut l9 = first[1].clone();
    l9.external_id = "L-9".into();
    {
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        for (id, undone) in [(2, None), (3, Some(at(2025, 7, 1, 9, 0).timestamp()))] {
            tx.execute(
                "INSERT INTO import (id, file_name, format, sha256, imported_at, undone_at)
                 VALUES (?1, 'crm.csv', 'csv', 'cd34', ?2, ?3)",
                params![id, at(2025, 6, 2, 9, 0).timestamp(), undone],
            )
            .unwrap();
        }
        tx.execute("DELETE FROM lead WHERE external_id = 'L-2'", [])
            .unwrap();
        insert_lead_rows(&tx, &[l2_won.clone(), l9], 2);
        // written by hand here, so the rollups are built again on opening
        tx.execute("INSERT INTO rollup_stale (id) VALUES (1)", [])
            .unwrap();
        for (import_id, previous) in [(2, &first[1]), (3, &l2_won)] {
            let previous_import = if import_id == 2 { 1 } else { 2 };
            tx.execute(
                "INSERT INTO lead_history (import_id, external_id, previous) VALUES (?1, 'L-2', ?2)",
                params![
                    import_id,
                    serde_json::json!({ "lead": previous, "import_id": previous_import })
                        .to_string()
                ],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let mut wb = Workbook::open(&path).unwrap();
    let ids = |wb: &Workbook| -> Vec<(String, Stage)> {
        let mut leads: Vec<(String, Stage)> = wb
            .leads_created_between(0, 999_999)
            .unwrap()
            .into_iter()
            .map(|l| (l.external_id, l.stage))
            .collect();
        leads.sort();
        leads
    };
    let mut now: Vec<(String, Stage)> = first
        .iter()
        .map(|l| (l.external_id.clone(), l.stage))
        .collect();
    now[1].1 = Stage::Won;
    now.push(("L-9".into(), Stage::New));
    now.sort();
    assert_eq!(ids(&wb), now);
    assert_eq!(counts(&wb, 2025), [(4, Some(1), 3), (5, Some(2), 2)]);

    wb.undo_import(2, at(2025, 8, 1, 9, 0)).unwrap();
    let mut before: Vec<(String, Stage)> = first
        .iter()
        .map(|l| (l.external_id.clone(), l.stage))
        .collect();
    before.sort();
    assert_eq!(ids(&wb), before, "L-2 new again, L-9 gone");
    assert_eq!(
        wb.leads_created_between(202_504, 202_504).unwrap()[1],
        first[1]
    );
    assert_eq!(counts(&wb, 2025), [(4, Some(1), 2), (5, Some(2), 2)]);

    wb.undo_import(1, at(2025, 8, 1, 9, 5)).unwrap();
    assert_eq!(wb.lead_count().unwrap(), 0);
    assert!(counts(&wb, 2025).is_empty());
}
