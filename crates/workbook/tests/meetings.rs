#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The joint planning meeting on a hand-made workbook: the generated agenda (exact items in
//! exact order), notes and decisions, reordering, re-planning and freezing a baseline.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use leadplan_core::{
    ActionStatus, Attendee, Lead, Money, Settings, Side, SourceAssumptions, SourceKind, Stage,
};
use leadplan_workbook::{
    ActionItemUpdate, NewActionItem, NewMeeting, NewPlanVersion, NewProductLine, NewSource,
    PlanCell, PlanEdit, PlanOrigin, Workbook,
};

fn at(month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 10, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 6, 15).unwrap()
}

struct Fixture {
    _dir: tempfile::TempDir,
    wb: Workbook,
    version: i64,
}

/// Three sources converting 20 % by plan, one product line selling 10 a month, the mix
/// Website 50 % / Marktplaats 30 % / Phone 20 %: 25, 15 and 10 leads a month are planned,
/// so January–February plans 50, 30 and 20.
///
/// Actual leads in January–February:
/// - Website 30 (20 below plan, −40 %): contacted after 30 min, reached, 10 won (33 %);
/// - Marktplaats 36 (6 above plan, +20 %): contacted after 2 h, never reached, all lost
///   after 1 attempt — 20 by Bram, 16 by Eva; none won (0 %);
/// - Phone 21 (1 above plan, +5 %, under the 10 % threshold): contacted after 1 min,
///   reached, 6 won (28.6 %).
///
/// Reached 30 + 0 + 21 = 51 of 87: a two-way rate of 58.6 %, under the 60 % target.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut wb =
        Workbook::create(&dir.path().join("meeting.leadplan"), &Settings::default()).unwrap();
    let source = |name: &str| NewSource {
        name: name.into(),
        kind: SourceKind::Paid,
        defaults: SourceAssumptions {
            cost_per_lead: Money::from_units(10),
            fixed_monthly_cost: Money::ZERO,
            contact_rate: 1.0,
            appointment_rate: 1.0,
            close_rate: 1.0,
            direct_conversion: Some(0.2),
        },
    };
    let web = wb.add_source(&source("Website")).unwrap();
    let mkt = wb.add_source(&source("Marktplaats")).unwrap();
    let phone = wb.add_source(&source("Phone")).unwrap();
    let city = wb
        .add_product_line(&NewProductLine {
            name: "City".into(),
            segment: String::new(),
            avg_revenue: Money::ZERO,
            avg_margin: Money::ZERO,
        })
        .unwrap();
    let version = wb
        .create_plan_version(
            &NewPlanVersion {
                year: 2026,
                name: "Baseline".into(),
                created_by: String::new(),
                origin: PlanOrigin::Empty,
            },
            at(1, 2),
        )
        .unwrap()
        .id;
    let mut edits = vec![PlanEdit::Cell {
        cell: PlanCell::AnnualTarget {
            product_line_id: city,
        },
        value: Some(120.0),
    }];
    for month in 0..12 {
        for (source_id, share) in [(web, 0.5), (mkt, 0.3), (phone, 0.2)] {
            edits.push(PlanEdit::Cell {
                cell: PlanCell::Mix {
                    month,
                    source_id,
                    product_line_id: None,
                },
                value: Some(share),
            });
        }
    }
    wb.edit_plan(version, &edits).unwrap();

    let mut leads = Vec::new();
    let mut lead = |source: i64,
                    n: usize,
                    minutes: i64,
                    reached: bool,
                    won: bool,
                    lost_owner: Option<&str>| {
        let created = at(if n.is_multiple_of(2) { 1 } else { 2 }, 1 + (n % 20) as u32);
        let first = created + Duration::minutes(minutes);
        leads.push(Lead {
            external_id: format!("{source}-{n}"),
            created_at: created,
            source_id: Some(source),
            product_line_id: Some(city),
            first_attempt_at: Some(first),
            first_two_way_at: reached.then_some(first),
            attempts: 1,
            stage: if won {
                Stage::Won
            } else if lost_owner.is_some() {
                Stage::Lost
            } else {
                Stage::Contacted
            },
            lost_reason: lost_owner.map(|_| "No response".to_owned()),
            appointment_at: None,
            won_at: won.then(|| first + Duration::days(3)),
            value: won.then_some(Money::from_units(20_000)),
            owner: lost_owner.map(str::to_owned),
        });
    };
    for n in 0..30 {
        lead(web, n, 30, true, n < 10, None);
    }
    for n in 0..36 {
        lead(
            mkt,
            n,
            120,
            false,
            false,
            Some(if n < 20 { "Bram" } else { "Eva" }),
        );
    }
    for n in 0..21 {
        lead(phone, n, 1, true, n < 6, None);
    }
    wb.add_leads(&leads).unwrap();

    // an earlier meeting with four action items, and three definitions
    let earlier = wb
        .add_meeting(&NewMeeting {
            held_on: NaiveDate::from_ymd_opt(2026, 5, 4).unwrap(),
            title: "May review".into(),
            plan_version_id: Some(version),
            period_from: 0,
            period_to: 3,
            attendees: vec![],
            notes: String::new(),
        })
        .unwrap();
    let action = |text: &str, side: Side, owner: &str, due: Option<NaiveDate>| NewActionItem {
        meeting_id: Some(earlier),
        text: text.into(),
        owner_side: side,
        owner: owner.into(),
        due_on: due,
    };
    let now = at(5, 4);
    wb.add_action_item(
        &action(
            "Check the budgets",
            Side::Marketing,
            "Femke",
            NaiveDate::from_ymd_opt(2026, 7, 1),
        ),
        now,
    )
    .unwrap();
    wb.add_action_item(
        &action(
            "Call back all web leads",
            Side::Sales,
            "Rob",
            NaiveDate::from_ymd_opt(2026, 6, 1),
        ),
        now,
    )
    .unwrap();
    wb.add_action_item(&action("Update the price list", Side::Sales, "", None), now)
        .unwrap();
    let done = wb
        .add_action_item(
            &action(
                "An old task",
                Side::Sales,
                "Rob",
                NaiveDate::from_ymd_opt(2026, 5, 10),
            ),
            now,
        )
        .unwrap();
    wb.set_action_status(done, ActionStatus::Done, now).unwrap();
    let lead_term = wb
        .add_term("Lead", "Someone who asked about a car.")
        .unwrap();
    wb.agree_definition(
        lead_term,
        Side::Marketing,
        "Femke",
        "Someone who asked about a car.",
        now,
    )
    .unwrap();
    wb.agree_definition(
        lead_term,
        Side::Sales,
        "Rob",
        "Someone who asked about a car.",
        now,
    )
    .unwrap();
    let sale = wb.add_term("Sale", "A signed contract.").unwrap();
    wb.agree_definition(sale, Side::Marketing, "Femke", "A signed contract.", now)
        .unwrap();
    wb.add_term("Appointment", "A test drive with a date.")
        .unwrap();
    Fixture {
        _dir: dir,
        wb,
        version,
    }
}

fn new_meeting(version: i64) -> NewMeeting {
    NewMeeting {
        held_on: today(),
        title: "June review".into(),
        plan_version_id: Some(version),
        period_from: 0,
        period_to: 1,
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
    }
}

#[test]
fn the_agenda_lists_exactly_the_items_the_data_calls_for_in_order() {
    let mut f = fixture();
    let meeting =
        f.wb.start_meeting(&new_meeting(f.version), today())
            .unwrap();
    let agenda = f.wb.agenda(meeting).unwrap();
    let lines: Vec<(String, String)> = agenda
        .iter()
        .map(|i| (i.title.clone(), i.detail.clone()))
        .collect();
    let expected = [
        (
            "Website: 20 leads below plan",
            "30 leads against 50 planned to date (60.0% of plan).",
        ),
        (
            "Marktplaats: 6 leads above plan",
            "36 leads against 30 planned to date (120.0% of plan).",
        ),
        ("Marktplaats converts 0.0%, below the floor of 13.0%", ""),
        (
            "Marktplaats: 0.0% of leads contacted within 60 minutes (target 80.0%)",
            "",
        ),
        ("Two-way contact rate 58.6% (target 60.0%)", ""),
        (
            "36 of 36 lost leads were closed with fewer than 4 attempts",
            "Most of them by Bram (20), Eva (16).",
        ),
        (
            "Call back all web leads",
            "Rob (Sales); overdue since 01/06/2026",
        ),
        ("Check the budgets", "Femke (Marketing); due 01/07/2026"),
        ("Update the price list", "Sales; no due date"),
        (
            "Agree the definition of “Appointment”",
            "Neither side has agreed it yet.",
        ),
        (
            "Agree the definition of “Sale”",
            "Sales has not agreed it yet.",
        ),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
    assert_eq!(lines, expected);
    let positions: Vec<u32> = agenda.iter().map(|i| i.position).collect();
    assert_eq!(positions, (0..11).collect::<Vec<u32>>());
    assert_eq!(agenda[0].chart.as_deref(), Some("leads_plan_vs_actual"));
}

#[test]
fn notes_decisions_order_and_action_items_are_kept() {
    let mut f = fixture();
    let meeting =
        f.wb.start_meeting(&new_meeting(f.version), today())
            .unwrap();
    let agenda = f.wb.agenda(meeting).unwrap();
    let first = agenda[0].id;
    f.wb.update_agenda_item(
        first,
        &agenda[0].title,
        "Website traffic fell after the redesign.",
        "Restore the old form.",
    )
    .unwrap();
    let extra =
        f.wb.add_agenda_item(meeting, "Summer campaign", "")
            .unwrap();
    f.wb.move_agenda_item(extra, 0).unwrap();
    f.wb.delete_agenda_item(agenda[10].id).unwrap();
    let after = f.wb.agenda(meeting).unwrap();
    assert_eq!(after.len(), 11);
    assert_eq!(after[0].title, "Summer campaign");
    assert_eq!(after[1].decision, "Restore the old form.");
    assert_eq!(
        after.iter().map(|i| i.position).collect::<Vec<_>>(),
        (0..11).collect::<Vec<u32>>()
    );
    assert!(
        f.wb.update_agenda_item(first, " ", "", "").is_err(),
        "an empty title is refused"
    );

    let action =
        f.wb.add_action_item(
            &NewActionItem {
                meeting_id: Some(meeting),
                text: "Fix the form".into(),
                owner_side: Side::Marketing,
                owner: "Femke".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 6, 30),
            },
            at(6, 15),
        )
        .unwrap();
    let updated =
        f.wb.update_action_item(
            &ActionItemUpdate {
                id: action,
                text: "Fix the web form".into(),
                owner_side: Side::Marketing,
                owner: "Joris".into(),
                due_on: NaiveDate::from_ymd_opt(2026, 6, 20),
                status: ActionStatus::InProgress,
            },
            at(6, 15),
        )
        .unwrap();
    assert_eq!(updated.owner, "Joris");
    assert!(updated.is_overdue(NaiveDate::from_ymd_opt(2026, 6, 21).unwrap()));
    let record = f.wb.meeting_record(meeting).unwrap();
    assert_eq!(record.action_items.len(), 1);
    assert_eq!(record.meeting.attendees.len(), 2);
}

#[test]
fn a_replan_in_the_meeting_is_linked_and_frozen_as_the_new_baseline() {
    let mut f = fixture();
    let meeting =
        f.wb.start_meeting(&new_meeting(f.version), today())
            .unwrap();
    let replan =
        f.wb.replan_in_meeting(
            meeting,
            f.version,
            "Re-forecast 15/06/2026",
            "Femke",
            at(6, 15),
        )
        .unwrap();
    assert_eq!(replan.created_from, Some(f.version));
    assert_eq!(
        f.wb.meeting(meeting).unwrap().replan_version_id,
        Some(replan.id)
    );
    let frozen = f.wb.freeze_baseline(meeting, replan.id).unwrap();
    assert!(frozen.baseline);
    let versions = f.wb.plan_versions(Some(2026)).unwrap();
    assert_eq!(
        versions
            .iter()
            .filter(|v| v.baseline)
            .map(|v| v.id)
            .collect::<Vec<_>>(),
        vec![replan.id]
    );
    assert_eq!(
        f.wb.meeting(meeting).unwrap().baseline_version_id,
        Some(replan.id)
    );
}

#[test]
fn the_sla_is_agreed_against_its_exact_values_and_a_change_clears_the_agreement() {
    let mut f = fixture();
    let seen = f.wb.sla_agreement().unwrap().sla;
    f.wb.agree_sla(Side::Marketing, "Femke", &seen, at(6, 1))
        .unwrap();
    let both = f.wb.agree_sla(Side::Sales, "Rob", &seen, at(6, 2)).unwrap();
    assert_eq!(both.marketing.unwrap().by, "Femke");
    assert_eq!(both.sales.unwrap().by, "Rob");
    let mut settings = f.wb.settings().unwrap();
    settings.sla.min_attempts_before_lost = 5;
    f.wb.update_settings(&settings).unwrap();
    let cleared = f.wb.sla_agreement().unwrap();
    assert!(cleared.marketing.is_none() && cleared.sales.is_none());
    assert!(
        f.wb.agree_sla(Side::Sales, "Rob", &seen, at(6, 3)).is_err(),
        "agreeing to the old values is refused"
    );
}
