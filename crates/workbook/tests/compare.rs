#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Plan versus actual on a real workbook: the rollups kept at write time give the same
//! counts as counting the leads themselves.

use chrono::{NaiveDate, TimeZone, Utc};
use leadplan_core::Stage;
use leadplan_core::actuals::Filter;
use leadplan_workbook::Workbook;
use leadplan_workbook::demo::create_demo;

fn demo() -> (tempfile::TempDir, Workbook) {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
    let wb = create_demo(&dir.path().join("demo.leadplan"), now, 11).unwrap();
    (dir, wb)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

#[test]
fn actual_leads_won_and_lost_per_source_equal_a_count_of_the_leads() {
    let (_dir, wb) = demo();
    let baseline = wb
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| v.baseline)
        .unwrap();
    let result = wb
        .compare(baseline.id, &Filter::default(), today())
        .unwrap();
    let leads = wb.leads_created_between(202_601, 202_612).unwrap();
    assert_eq!(result.total.figures.leads.actual, Some(leads.len() as u64));
    for row in &result.sources {
        let of: Vec<_> = leads
            .iter()
            .filter(|l| l.source_id == row.source_id)
            .collect();
        let won = of.iter().filter(|l| l.stage == Stage::Won).count() as u64;
        let funnel = row.figures.funnel.as_ref().unwrap();
        assert_eq!(funnel.leads, of.len() as u64, "{:?}", row.name);
        assert_eq!(funnel.won, won, "{:?}", row.name);
        assert_eq!(
            funnel.contacted,
            of.iter().filter(|l| l.first_attempt_at.is_some()).count() as u64
        );
        assert_eq!(
            funnel.reached,
            of.iter().filter(|l| l.first_two_way_at.is_some()).count() as u64
        );
    }
}

#[test]
fn filtering_to_one_source_gives_that_sources_figures() {
    let (_dir, wb) = demo();
    let baseline = wb
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| v.baseline)
        .unwrap();
    let all = wb
        .compare(baseline.id, &Filter::default(), today())
        .unwrap();
    let website = wb
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Website")
        .unwrap()
        .id;
    let filter = Filter {
        sources: vec![website],
        ..Filter::default()
    };
    let one = wb.compare(baseline.id, &filter, today()).unwrap();
    let row = all
        .sources
        .iter()
        .find(|s| s.source_id == Some(website))
        .unwrap();
    assert_eq!(one.total.figures.leads, row.figures.leads);
    assert_eq!(one.total.figures.spend, row.figures.spend);
    assert_eq!(one.kpis.leads_vs_plan.actual, row.figures.leads.actual);
}

#[test]
fn changing_the_sla_recounts_the_leads_contacted_within_it() {
    let (_dir, mut wb) = demo();
    let baseline = wb
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| v.baseline)
        .unwrap();
    let within = |wb: &Workbook| {
        wb.compare(baseline.id, &Filter::default(), today())
            .unwrap()
            .total
            .figures
            .follow_up
            .unwrap()
            .contacted_within_sla
    };
    let leads = wb.leads_created_between(202_601, 202_612).unwrap();
    let count = |minutes: i64| {
        leads
            .iter()
            .filter(|l| {
                l.first_attempt_at
                    .is_some_and(|t| (t - l.created_at).num_seconds() <= minutes * 60)
            })
            .count() as u64
    };
    assert_eq!(within(&wb), count(60));
    let mut settings = wb.settings().unwrap();
    settings.sla.first_contact_minutes = 240;
    wb.update_settings(&settings).unwrap();
    assert_eq!(within(&wb), count(240));
    assert!(count(240) > count(60));
}

#[test]
fn rollups_missing_after_an_upgrade_are_rebuilt_on_open() {
    let (dir, wb) = demo();
    let baseline = wb
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| v.baseline)
        .unwrap();
    let before = wb
        .compare(baseline.id, &Filter::default(), today())
        .unwrap();
    let path = dir.path().join("demo.leadplan");
    wb.close().unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("DELETE FROM lead_rollup; INSERT INTO rollup_stale (id) VALUES (1);")
            .unwrap();
    }
    let wb = Workbook::open(&path).unwrap();
    assert_eq!(
        wb.compare(baseline.id, &Filter::default(), today())
            .unwrap(),
        before
    );
}
