#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The workbook file on real temporary files: creation, migration, the guards against
//! foreign and newer files, every entity written and read back, and the demo data.

use std::fs;
use std::path::PathBuf;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use leadplan_core::{
    ActionStatus, Attendee, Lead, Locale, Money, PlanStatus, Rule, Settings, Side,
    SourceAssumptions, SourceKind, Spend, Stage,
};
use leadplan_workbook::demo::{DEFAULT_SEED, create_demo, write_demo_csv};
use leadplan_workbook::{
    APPLICATION_ID, NewActionItem, NewFeedback, NewMeeting, NewPlanVersion, NewProductLine,
    NewSource, PlanOrigin, Workbook, WorkbookError, latest_schema_version,
};
use rusqlite::Connection;
use tempfile::TempDir;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

fn temp() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("test.leadplan");
    (dir, path)
}

fn assumptions(cpl: i64) -> SourceAssumptions {
    SourceAssumptions {
        cost_per_lead: Money::from_units(cpl),
        fixed_monthly_cost: Money::ZERO,
        contact_rate: 0.9,
        appointment_rate: 0.5,
        close_rate: 0.3,
        direct_conversion: None,
    }
}

#[test]
fn a_new_workbook_is_migrated_to_the_latest_schema_and_marked_as_leadplan() {
    let (_dir, path) = temp();
    let wb = Workbook::create(&path, &Settings::default()).unwrap();
    assert_eq!(wb.settings().unwrap(), Settings::default());
    drop(wb);
    let conn = Connection::open(&path).unwrap();
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let app: u32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    let journal: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(version, latest_schema_version());
    assert_eq!(app, APPLICATION_ID);
    assert_eq!(journal, "wal");
    let tables: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(tables >= 20, "only {tables} tables");
}

#[test]
fn the_years_with_leads_are_found_from_first_to_last() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    assert!(wb.lead_years().unwrap().is_empty());
    let lead = |id: &str, y: i32, m: u32| Lead {
        external_id: id.into(),
        created_at: Utc.with_ymd_and_hms(y, m, 1, 12, 0, 0).unwrap(),
        source_id: None,
        product_line_id: None,
        first_attempt_at: None,
        first_two_way_at: None,
        attempts: 0,
        stage: Stage::New,
        lost_reason: None,
        appointment_at: None,
        won_at: None,
        value: None,
        owner: None,
    };
    wb.add_leads(&[
        lead("a", 2026, 12),
        lead("b", 2019, 1),
        lead("c", 2026, 1),
        lead("d", 2023, 12),
        lead("e", 2019, 12),
    ])
    .unwrap();
    assert_eq!(wb.lead_years().unwrap(), [2019, 2023, 2026]);
}

#[test]
fn creating_over_an_existing_file_is_refused_and_leaves_it_alone() {
    let (_dir, path) = temp();
    fs::write(&path, b"precious").unwrap();
    let err = Workbook::create(&path, &Settings::default()).unwrap_err();
    assert!(matches!(err, WorkbookError::AlreadyExists { .. }), "{err}");
    assert_eq!(fs::read(&path).unwrap(), b"precious");
}

#[test]
fn a_workbook_from_a_newer_leadplan_is_refused_and_its_bytes_are_unchanged() {
    let (_dir, path) = temp();
    Workbook::create(&path, &Settings::default())
        .unwrap()
        .close()
        .unwrap();
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", latest_schema_version() + 1)
            .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Workbook::open(&path).unwrap_err();
    match &err {
        WorkbookError::TooNew {
            found, supported, ..
        } => {
            assert_eq!(*found, latest_schema_version() + 1);
            assert_eq!(*supported, latest_schema_version());
        }
        other => panic!("expected TooNew, got {other}"),
    }
    assert!(err.to_string().contains("newer Leadplan"), "{err}");
    assert!(err.to_string().contains("test.leadplan"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before, "the file must not change");
    assert!(!path.with_extension("leadplan-wal").exists());
}

#[test]
fn a_text_file_named_like_a_workbook_gets_a_clear_error() {
    let (dir, _) = temp();
    let path = dir.path().join("notes.leadplan");
    fs::write(&path, "Lead plan 2026\nWebsite;120\n").unwrap();
    let err = Workbook::open(&path).unwrap_err();
    assert!(matches!(err, WorkbookError::NotAWorkbook { .. }));
    assert_eq!(
        err.to_string(),
        format!(
            "{}: not a Leadplan workbook (it is not an SQLite database)",
            path.display()
        )
    );
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "Lead plan 2026\nWebsite;120\n"
    );
}

#[test]
fn an_empty_file_and_another_applications_database_are_not_workbooks() {
    let (dir, _) = temp();
    let empty = dir.path().join("empty.leadplan");
    fs::write(&empty, b"").unwrap();
    assert!(
        Workbook::open(&empty)
            .unwrap_err()
            .to_string()
            .contains("the file is empty")
    );
    let foreign = dir.path().join("foreign.leadplan");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = fs::read(&foreign).unwrap();
    let err = Workbook::open(&foreign).unwrap_err();
    assert!(err.to_string().contains("another application"), "{err}");
    assert_eq!(fs::read(&foreign).unwrap(), before);
    let missing = dir.path().join("missing.leadplan");
    assert!(matches!(
        Workbook::open(&missing).unwrap_err(),
        WorkbookError::NotFound { .. }
    ));
}

#[test]
fn settings_persist_across_reopening_and_invalid_ones_change_nothing() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let mut s = wb.settings().unwrap();
    s.organisation = "  Autohaus Lindner GmbH ".into();
    s.conversion_floor = 0.15;
    s.locale = Locale::De;
    let saved = wb.update_settings(&s).unwrap();
    assert_eq!(saved.organisation, "Autohaus Lindner GmbH");
    let bad = Settings {
        conversion_floor: 1.2,
        ..saved.clone()
    };
    let err = wb.update_settings(&bad).unwrap_err();
    let WorkbookError::Validation(errors) = err else {
        panic!("expected a validation error")
    };
    assert_eq!(errors.0.len(), 1);
    assert_eq!(errors.0[0].field, "conversion_floor");
    assert_eq!(errors.0[0].rule, Rule::Rate);
    wb.close().unwrap();
    let wb = Workbook::open(&path).unwrap();
    let reread = wb.settings().unwrap();
    assert_eq!(reread.organisation, "Autohaus Lindner GmbH");
    assert!((reread.conversion_floor - 0.15).abs() < 1e-12);
    assert_eq!(reread.locale, Locale::De);
}

#[test]
fn sources_and_product_lines_are_written_read_and_names_stay_unique() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let web = wb
        .add_source(&NewSource {
            name: "Website".into(),
            kind: SourceKind::Owned,
            defaults: assumptions(18),
        })
        .unwrap();
    let err = wb
        .add_source(&NewSource {
            name: "website".into(),
            kind: SourceKind::Paid,
            defaults: assumptions(1),
        })
        .unwrap_err();
    assert!(
        err.to_string().contains("name: this name is already used"),
        "{err}"
    );
    let mut bad = assumptions(5);
    bad.close_rate = 1.5;
    let err = wb
        .add_source(&NewSource {
            name: "Bad".into(),
            kind: SourceKind::Paid,
            defaults: bad,
        })
        .unwrap_err();
    assert!(err.to_string().contains("close_rate"), "{err}");
    let mut sources = wb.sources().unwrap();
    assert_eq!(sources.len(), 1);
    assert_eq!(sources[0].id, web);
    assert!((sources[0].defaults.conversion() - 0.135).abs() < 1e-12);
    sources[0].defaults.cost_per_lead = Money(2150);
    wb.update_source(&sources[0]).unwrap();
    assert_eq!(wb.sources().unwrap()[0].defaults.cost_per_lead, Money(2150));

    let pl = wb
        .add_product_line(&NewProductLine {
            name: "Aster City".into(),
            segment: "Compact".into(),
            avg_revenue: Money::from_units(21_900),
            avg_margin: Money::from_units(1_750),
        })
        .unwrap();
    let lines = wb.product_lines().unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].id, pl);
    assert_eq!(lines[0].avg_revenue, Money(2_190_000));
}

#[test]
fn a_copied_plan_version_holds_everything_of_the_original_and_changes_independently() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let s = wb
        .add_source(&NewSource {
            name: "Website".into(),
            kind: SourceKind::Owned,
            defaults: assumptions(18),
        })
        .unwrap();
    let p = wb
        .add_product_line(&NewProductLine {
            name: "Van".into(),
            segment: String::new(),
            avg_revenue: Money::ZERO,
            avg_margin: Money::ZERO,
        })
        .unwrap();
    let base = wb
        .create_plan_version(
            &NewPlanVersion {
                year: 2026,
                name: "Baseline".into(),
                created_by: "M".into(),
                origin: PlanOrigin::Empty,
            },
            now(),
        )
        .unwrap();
    wb.set_annual_target(base.id, p, 120.0).unwrap();
    wb.set_monthly_target(base.id, p, 2, Some(15.0)).unwrap();
    wb.set_stock(base.id, p, 3, Some(9.0)).unwrap();
    wb.set_mix(base.id, 0, s, None, 1.0).unwrap();
    wb.set_budget(base.id, s, 0, Money::from_units(900))
        .unwrap();
    wb.set_seasonality(
        base.id,
        &[1.0, 1.0, 1.5, 1.0, 1.0, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0],
    )
    .unwrap();
    let launch = leadplan_core::Launch {
        id: 0,
        product_line_id: p,
        month: 4,
        uplift: 0.3,
        duration_months: 2,
        prelaunch_months: 1,
        extra_budget: Money::from_units(500),
    };
    wb.add_launch(base.id, &launch).unwrap();
    let copy = wb
        .create_plan_version(
            &NewPlanVersion {
                year: 2026,
                name: "Re-forecast".into(),
                created_by: "M".into(),
                origin: PlanOrigin::CopyOf {
                    version_id: base.id,
                },
            },
            now(),
        )
        .unwrap();
    assert_eq!(copy.created_from, Some(base.id));
    assert_eq!(wb.seasonality(copy.id).unwrap()[2], 1.5);
    assert_eq!(wb.launches(copy.id).unwrap().len(), 1);
    let conn = Connection::open(&path).unwrap();
    for table in [
        "plan_source",
        "plan_product_line",
        "sales_target",
        "stock",
        "launch",
        "channel_mix",
        "budget",
    ] {
        let count = |v: i64| -> i64 {
            conn.query_row(
                &format!("SELECT COUNT(*) FROM {table} WHERE plan_version_id = ?1"),
                [v],
                |r| r.get(0),
            )
            .unwrap()
        };
        assert_eq!(count(copy.id), count(base.id), "{table}");
        assert!(count(base.id) > 0, "{table} is empty in the original");
    }
    wb.set_seasonality(copy.id, &[2.0; 12]).unwrap();
    assert_eq!(
        wb.seasonality(base.id).unwrap()[0],
        1.0,
        "the original must not change"
    );
    let dup = wb.create_plan_version(
        &NewPlanVersion {
            year: 2026,
            name: "Baseline".into(),
            created_by: String::new(),
            origin: PlanOrigin::Empty,
        },
        now(),
    );
    assert!(dup.unwrap_err().to_string().contains("already used"));
    let agreed = wb
        .set_plan_status(copy.id, PlanStatus::Agreed, true)
        .unwrap();
    assert!(agreed.baseline);
    wb.set_plan_status(base.id, PlanStatus::Agreed, true)
        .unwrap();
    let versions = wb.plan_versions(Some(2026)).unwrap();
    assert_eq!(
        versions.iter().filter(|v| v.baseline).count(),
        1,
        "one baseline per year"
    );
    assert!(versions[0].baseline && versions[0].id == base.id);
}

#[test]
fn editing_a_definition_clears_both_agreements() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let id = wb
        .add_term("Lead", "Someone who asked about a car.")
        .unwrap();
    wb.agree_definition(
        id,
        Side::Marketing,
        "Femke",
        "Someone who asked about a car.",
        now(),
    )
    .unwrap();
    let term = wb
        .agree_definition(
            id,
            Side::Sales,
            "Rob",
            "Someone who asked about a car.",
            now(),
        )
        .unwrap();
    assert!(term.is_shared());
    let stale = wb.agree_definition(id, Side::Sales, "Rob", "An old text", now());
    assert!(
        stale.is_err(),
        "agreeing to a text that is no longer current must fail"
    );
    let unchanged = wb
        .edit_definition(id, "Someone who asked about a car.")
        .unwrap();
    assert!(
        unchanged.is_shared(),
        "saving the same text keeps the agreement"
    );
    let edited = wb
        .edit_definition(id, "Someone who asked about a specific car.")
        .unwrap();
    assert!(edited.marketing.is_none() && edited.sales.is_none());
}

#[test]
fn meetings_action_items_spend_and_feedback_are_stored() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let s = wb
        .add_source(&NewSource {
            name: "Website".into(),
            kind: SourceKind::Owned,
            defaults: assumptions(18),
        })
        .unwrap();
    let meeting = wb
        .add_meeting(&NewMeeting {
            held_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
            title: "November review".into(),
            plan_version_id: None,
            period_from: 0,
            period_to: 9,
            attendees: vec![
                Attendee {
                    name: "Femke".into(),
                    side: Side::Marketing,
                },
                Attendee {
                    name: "Rob".into(),
                    side: Side::Sales,
                },
            ],
            notes: String::new(),
        })
        .unwrap();
    assert_eq!(wb.meeting(meeting).unwrap().attendees[1].side, Side::Sales);
    let a = wb
        .add_action_item(
            &NewActionItem {
                meeting_id: Some(meeting),
                text: "Call back web leads".into(),
                owner_side: Side::Sales,
                owner: "Rob".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 11, 10),
            },
            now(),
        )
        .unwrap();
    wb.set_action_status(a, ActionStatus::Done, now()).unwrap();
    assert_eq!(
        wb.action_items(Some(meeting)).unwrap()[0].status,
        ActionStatus::Done
    );
    wb.set_spend(&Spend {
        source_id: s,
        year: 2026,
        month: 3,
        amount: Money(123_456),
    })
    .unwrap();
    wb.set_spend(&Spend {
        source_id: s,
        year: 2026,
        month: 3,
        amount: Money(100_000),
    })
    .unwrap();
    assert_eq!(
        wb.spend(2026).unwrap(),
        vec![Spend {
            source_id: s,
            year: 2026,
            month: 3,
            amount: Money(100_000)
        }]
    );
    assert!(
        wb.set_spend(&Spend {
            source_id: s,
            year: 2026,
            month: 13,
            amount: Money(1)
        })
        .is_err()
    );
    assert!(
        wb.set_spend(&Spend {
            source_id: 999,
            year: 2026,
            month: 1,
            amount: Money(1)
        })
        .is_err()
    );
    wb.add_feedback(
        &NewFeedback {
            source_id: s,
            year: 2026,
            month: 10,
            rating: 2,
            reasons: vec!["Wrong phone number".into()],
            given_by: "Rob".into(),
        },
        now(),
    )
    .unwrap();
    let bad = NewFeedback {
        source_id: s,
        year: 2026,
        month: 10,
        rating: 6,
        reasons: vec![],
        given_by: String::new(),
    };
    assert!(wb.add_feedback(&bad, now()).is_err());
    let fb = wb.feedback(2026).unwrap();
    assert_eq!(fb.len(), 1);
    assert_eq!(fb[0].reasons, vec!["Wrong phone number".to_owned()]);
    assert_eq!(
        wb.feedback_reasons().unwrap(),
        vec!["Wrong phone number".to_owned()]
    );

    // a rating given by mistake is deleted; its reason stays offered
    wb.delete_feedback(fb[0].id).unwrap();
    assert!(wb.feedback(2026).unwrap().is_empty());
    assert_eq!(
        wb.feedback_reasons().unwrap(),
        vec!["Wrong phone number".to_owned()]
    );
    assert!(matches!(
        wb.delete_feedback(fb[0].id),
        Err(WorkbookError::Missing { .. })
    ));
}

#[test]
fn a_deleted_meeting_takes_its_agenda_and_leaves_its_action_items() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let meeting = |title: &str| NewMeeting {
        held_on: NaiveDate::from_ymd_opt(2026, 11, 2).unwrap(),
        title: title.into(),
        plan_version_id: None,
        period_from: 0,
        period_to: 9,
        attendees: vec![Attendee {
            name: "Rob".into(),
            side: Side::Sales,
        }],
        notes: "Started by mistake".into(),
    };
    let kept = wb.add_meeting(&meeting("November review")).unwrap();
    let wrong = wb.add_meeting(&meeting("Test")).unwrap();
    wb.add_agenda_item(wrong, "Budgets", "").unwrap();
    let action = wb
        .add_action_item(
            &NewActionItem {
                meeting_id: Some(wrong),
                text: "Call back web leads".into(),
                owner_side: Side::Sales,
                owner: "Rob".into(),
                due_on: None,
            },
            now(),
        )
        .unwrap();

    wb.delete_meeting(wrong).unwrap();
    let ids: Vec<i64> = wb.meetings().unwrap().iter().map(|m| m.id).collect();
    assert_eq!(ids, [kept]);
    assert!(wb.agenda(wrong).unwrap().is_empty());
    let items = wb.action_items(None).unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].id, items[0].meeting_id), (action, None));
    assert!(matches!(
        wb.delete_meeting(wrong),
        Err(WorkbookError::Missing { .. })
    ));
}

#[test]
fn several_spend_figures_are_stored_together_or_not_at_all() {
    let (_dir, path) = temp();
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let add = |wb: &mut Workbook, name: &str| {
        wb.add_source(&NewSource {
            name: name.into(),
            kind: SourceKind::Paid,
            defaults: assumptions(20),
        })
        .unwrap()
    };
    let (web, market) = (add(&mut wb, "Website"), add(&mut wb, "Marktplaats"));
    let spend = |source_id, month, cents| Spend {
        source_id,
        year: 2026,
        month,
        amount: Money(cents),
    };
    wb.set_spend(&spend(web, 1, 50_000)).unwrap();
    // a block: two sources, two months, one figure replaced
    let block = [
        spend(web, 1, 120_000),
        spend(web, 2, 130_050),
        spend(market, 1, 80_000),
        spend(market, 2, 0),
    ];
    wb.set_spends(&block).unwrap();
    let stored = wb.spend(2026).unwrap();
    assert_eq!(stored.len(), 4);
    for s in &block {
        assert!(stored.contains(s), "{s:?} in {stored:?}");
    }

    // one figure refused (a source that does not exist, a negative amount): none is stored
    for bad in [spend(999, 3, 1), spend(market, 3, -1)] {
        let err = wb
            .set_spends(&[spend(web, 3, 99_900), bad, spend(market, 4, 10_000)])
            .unwrap_err();
        assert!(
            matches!(
                err,
                WorkbookError::Missing { .. } | WorkbookError::Validation(_)
            ),
            "{err:?}"
        );
        assert_eq!(wb.spend(2026).unwrap(), stored);
    }
}

#[test]
fn the_demo_workbook_holds_two_years_of_a_dealer_group() {
    let (_dir, path) = temp();
    let wb = create_demo(&path, now(), DEFAULT_SEED).unwrap();
    let o = wb.overview(2026).unwrap();
    assert_eq!(o.settings.organisation, "Van Dijk Auto Group");
    assert_eq!(o.years, vec![2025, 2026]);
    assert_eq!(o.default_year, Some(2026));
    assert_eq!(o.source_count, 8);
    assert_eq!(o.product_line_count, 5);
    assert!(
        (5_000..40_000).contains(&o.lead_count),
        "{} leads",
        o.lead_count
    );
    assert_eq!(o.plan_versions.len(), 3);
    assert_eq!(o.plan_versions.iter().filter(|v| v.baseline).count(), 2);

    let leads = wb.leads_created_between(202_501, 202_612).unwrap();
    assert_eq!(leads.len() as u64, o.lead_count);
    assert!(
        leads.iter().all(|l| l.created_at <= now()),
        "no lead from the future"
    );
    assert!(
        leads
            .iter()
            .all(|l| l.won_at.is_none_or(|w| w <= now() && w >= l.created_at))
    );
    assert!(
        leads
            .iter()
            .all(|l| l.first_attempt_at.is_none_or(|t| t >= l.created_at))
    );
    let lost_untouched = leads
        .iter()
        .filter(|l| l.stage == Stage::Lost && l.attempts == 0)
        .count();
    let lost_early = leads
        .iter()
        .filter(|l| l.stage == Stage::Lost && (1..4).contains(&l.attempts))
        .count();
    let open_recent = leads
        .iter()
        .filter(|l| !l.stage.is_closed() && l.created_at > now() - Duration::days(30))
        .count();
    assert!(
        lost_untouched > 50,
        "{lost_untouched} lost without any attempt"
    );
    assert!(lost_early > 50, "{lost_early} lost with too few attempts");
    assert!(open_recent > 50, "{open_recent} recent leads still open");
    // walk-ins convert far better than marketplace leads
    let rate = |source: i64| {
        let of: Vec<_> = leads
            .iter()
            .filter(|l| {
                l.source_id == Some(source)
                    && l.created_at.date_naive() < NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()
            })
            .collect();
        of.iter().filter(|l| l.stage == Stage::Won).count() as f64 / of.len() as f64
    };
    let sources = wb.sources().unwrap();
    let walk_in = sources.iter().find(|s| s.name == "Walk-in").unwrap().id;
    let marktplaats = sources.iter().find(|s| s.name == "Marktplaats").unwrap().id;
    assert!(
        rate(walk_in) > 3.0 * rate(marktplaats),
        "walk-in {} vs marketplace {}",
        rate(walk_in),
        rate(marktplaats)
    );
    assert!(!wb.spend(2026).unwrap().is_empty());
    assert_eq!(wb.glossary().unwrap().len(), 6);
    assert!(!wb.action_items(None).unwrap().is_empty());
}

#[test]
fn the_demo_is_the_same_for_the_same_seed_and_differs_for_another() {
    let dir = tempfile::tempdir().unwrap();
    let a = create_demo(&dir.path().join("a.leadplan"), now(), 7).unwrap();
    let b = create_demo(&dir.path().join("b.leadplan"), now(), 7).unwrap();
    let c = create_demo(&dir.path().join("c.leadplan"), now(), 8).unwrap();
    let all = |wb: &Workbook| wb.leads_created_between(0, 999_999).unwrap();
    assert_eq!(all(&a), all(&b));
    assert_ne!(all(&a), all(&c));
}

#[test]
fn a_copy_saved_elsewhere_opens_with_the_same_content() {
    let (dir, path) = temp();
    let wb = create_demo(&path, now(), 3).unwrap();
    let target = dir.path().join("copy.leadplan");
    wb.copy_to(&target).unwrap();
    let copy = Workbook::open(&target).unwrap();
    assert_eq!(copy.lead_count().unwrap(), wb.lead_count().unwrap());
    assert_eq!(copy.settings().unwrap(), wb.settings().unwrap());
}

#[test]
fn the_demo_csv_export_writes_the_asked_number_of_leads_in_leadplan_format() {
    let mut out = Vec::new();
    write_demo_csv(&mut out, 500, 42, 2025).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, leadplan_workbook::demo::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 500);
    assert!(rows.iter().all(|r| r[1].starts_with("2025-")));
    assert!(rows.iter().any(|r| &r[7] == "won") && rows.iter().any(|r| &r[7] == "lost"));
    let mut again = Vec::new();
    write_demo_csv(&mut again, 500, 42, 2025).unwrap();
    assert_eq!(out, again, "the export is deterministic");
}

#[test]
fn the_demo_plan_computes_with_a_stock_cap_a_budget_overrun_and_sources_below_the_floor() {
    use leadplan_core::plan::{BudgetScope, PlanWarning};
    let (_dir, path) = temp();
    let wb = create_demo(&path, now(), DEFAULT_SEED).unwrap();
    let baseline = wb
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| v.baseline)
        .unwrap();
    let plan = wb.computed_plan(baseline.id).unwrap();
    assert_eq!(plan.source_ids.len(), 8);
    assert_eq!(plan.product_line_ids.len(), 5);
    // planned sales: the annual targets (870 units) raised by the two launches, less the
    // e-Cross stock cap
    assert!(
        plan.year.planned_sales > 850.0 && plan.year.planned_sales < 950.0,
        "{}",
        plan.year.planned_sales
    );
    assert!(
        plan.warnings
            .iter()
            .any(|w| matches!(w, PlanWarning::StockCap { .. }))
    );
    let marktplaats = wb
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Marktplaats")
        .unwrap()
        .id;
    assert!(plan.warnings.iter().any(|w| matches!(
        w,
        PlanWarning::BudgetExceeded { scope: BudgetScope::Source, source_id: Some(s), .. } if *s == marktplaats
    )));
    assert!(plan.warnings.iter().any(|w| matches!(w, PlanWarning::ConversionBelowFloor { source_id, .. } if *source_id == marktplaats)));
    let reforecast = wb
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| !v.baseline)
        .unwrap();
    wb.computed_plan(reforecast.id).unwrap();
}

#[test]
fn upgrading_a_workbook_of_an_older_schema_backs_it_up_first() {
    use leadplan_workbook::MIGRATION_SQL;
    use leadplan_workbook::backup::BackupReason;
    let (_dir, path) = temp();
    {
        let mut conn = Connection::open(&path).unwrap();
        let tx = conn.transaction().unwrap();
        tx.execute_batch(MIGRATION_SQL[0]).unwrap();
        tx.execute(
            "INSERT INTO settings (id, organisation) VALUES (1, 'Old Garage')",
            [],
        )
        .unwrap();
        tx.pragma_update(None, "user_version", 1).unwrap();
        tx.pragma_update(None, "application_id", APPLICATION_ID)
            .unwrap();
        tx.commit().unwrap();
    }
    let wb = Workbook::open(&path).unwrap();
    assert_eq!(wb.settings().unwrap().organisation, "Old Garage");
    let backups = wb.backups().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, BackupReason::Migration);
    let old = Connection::open(&backups[0].path).unwrap();
    let version: u32 = old
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1, "the backup is the workbook before the upgrade");
}

#[test]
fn a_workbook_with_a_trigger_someone_added_is_refused_and_left_alone() {
    let (_dir, path) = temp();
    Workbook::create(&path, &Settings::default())
        .unwrap()
        .close()
        .unwrap();
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TRIGGER steal AFTER INSERT ON lead_block BEGIN
                 UPDATE settings SET organisation = 'pwned';
             END;",
        )
        .unwrap();
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Workbook::open(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains("trigger steal that Leadplan does not create"),
        "{err}"
    );
    assert!(Workbook::open_read_only(&path).is_err());
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_viewer_opens_read_only_beside_a_writer_sees_its_commits_and_cannot_change_anything() {
    let (_dir, path) = temp();
    let mut writer = Workbook::create(&path, &Settings::default()).unwrap();
    let mut viewer = Workbook::open_read_only(&path).unwrap();
    assert!(viewer.is_read_only());
    assert!(!writer.is_read_only());
    assert_eq!(viewer.settings().unwrap().organisation, "My organisation");

    let mut renamed = writer.settings().unwrap();
    renamed.organisation = "Autohaus Example".to_owned();
    writer.update_settings(&renamed).unwrap();
    // the viewer reads what the writer committed
    assert_eq!(viewer.settings().unwrap().organisation, "Autohaus Example");

    // and cannot write, however it tries
    let mut attempt = renamed.clone();
    attempt.organisation = "Changed by the viewer".to_owned();
    assert!(matches!(
        viewer.update_settings(&attempt),
        Err(WorkbookError::ReadOnly)
    ));
    assert!(matches!(
        viewer.add_source(&NewSource {
            name: "Walk-in".to_owned(),
            kind: SourceKind::Offline,
            defaults: assumptions(0),
        }),
        Err(WorkbookError::ReadOnly)
    ));
    assert_eq!(writer.settings().unwrap().organisation, "Autohaus Example");
    assert!(writer.sources().unwrap().is_empty());
    drop(viewer);
    writer.close().unwrap();
}
