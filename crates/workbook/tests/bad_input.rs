#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Bad input everywhere: random sequences of calls to the workbook's write API with hostile
//! values (NaN, ±infinity, huge and negative numbers, empty and 100,000-character strings,
//! impossible months, odd dates, random bytes as a CRM export). Whatever comes in:
//!
//! - nothing panics;
//! - a call that is refused (returns `Err`) leaves every table of the workbook exactly as it
//!   was, and so does an import that writes nothing (dry run, or rows rejected under all or
//!   nothing);
//! - after a call that is accepted, the workbook still reads back through the typed API.
//!
//! `PROPTEST_CASES` sets the number of cases (default 24, a few seconds).

use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use leadplan_core::{
    Attendee, Launch, Locale, Money, Settings, Side, Source, SourceAssumptions, SourceKind, Spend,
};
use leadplan_import::{Flow, ImportOptions};
use leadplan_workbook::demo::CSV_HEADER;
use leadplan_workbook::{
    ImportMode, ImportRequest, NewActionItem, NewFeedback, NewMeeting, NewPlanVersion,
    NewProductLine, NewSource, PlanCell, PlanEdit, PlanOrigin, Workbook,
};
use proptest::prelude::*;
use rusqlite::types::Value;
use rusqlite::{Connection, OpenFlags};
use tempfile::TempDir;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 10, 9, 0, 0).unwrap()
}

fn today() -> NaiveDate {
    now().date_naive()
}

// ---- the workbook under attack --------------------------------------------------------------

struct Fixture {
    _dir: TempDir,
    path: PathBuf,
    wb: Workbook,
}

/// The ids the fixture has; generated ids are drawn from these and from random numbers.
const SOURCES: [i64; 2] = [1, 2];
const PRODUCT_LINES: [i64; 1] = [1];
const VERSIONS: [i64; 1] = [1];
const MEETINGS: [i64; 1] = [1];
const TERMS: [i64; 1] = [1];

fn assumptions() -> SourceAssumptions {
    SourceAssumptions {
        cost_per_lead: Money::from_units(15),
        fixed_monthly_cost: Money::from_units(100),
        contact_rate: 0.9,
        appointment_rate: 0.5,
        close_rate: 0.3,
        direct_conversion: None,
    }
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("attacked.leadplan");
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    for name in ["Website", "Marktplaats"] {
        wb.add_source(&NewSource {
            name: name.into(),
            kind: SourceKind::Owned,
            defaults: assumptions(),
        })
        .unwrap();
    }
    wb.add_product_line(&NewProductLine {
        name: "Aster".into(),
        segment: "SUV".into(),
        avg_revenue: Money::from_units(30_000),
        avg_margin: Money::from_units(4_000),
    })
    .unwrap();
    let version = wb
        .create_plan_version(
            &NewPlanVersion {
                year: 2026,
                name: "Baseline".into(),
                created_by: "Anna".into(),
                origin: PlanOrigin::Empty,
            },
            now(),
        )
        .unwrap();
    wb.add_meeting(&NewMeeting {
        held_on: today(),
        title: "Review".into(),
        plan_version_id: Some(version.id),
        period_from: 0,
        period_to: 2,
        attendees: vec![],
        notes: String::new(),
    })
    .unwrap();
    wb.add_term("SQL", "A lead sales accepted.").unwrap();
    assert_eq!(
        (
            wb.sources()
                .unwrap()
                .iter()
                .map(|s| s.id)
                .collect::<Vec<_>>(),
            wb.product_lines().unwrap()[0].id,
            version.id,
            wb.meetings().unwrap()[0].id,
            wb.glossary().unwrap()[0].id
        ),
        (
            SOURCES.to_vec(),
            PRODUCT_LINES[0],
            VERSIONS[0],
            MEETINGS[0],
            TERMS[0]
        )
    );
    Fixture {
        _dir: dir,
        path,
        wb,
    }
}

/// Every row of every table as committed to the file, read on a connection of its own.
fn dump(path: &Path) -> Vec<(String, Vec<String>)> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| r.get::<_, Value>(i))
                        .collect::<Result<Vec<_>, _>>()
                })
                .unwrap()
                .map(|row| format!("{:?}", row.unwrap()))
                .collect();
            rows.sort();
            (table, rows)
        })
        .collect()
}

/// Everything the front ends read; an accepted write must not make any of it fail.
fn reads_back(wb: &Workbook, years: &[i32]) -> Result<(), String> {
    fn e(what: &'static str) -> impl Fn(leadplan_workbook::WorkbookError) -> String {
        move |err| format!("{what}: {err}")
    }
    wb.settings().map_err(e("settings"))?;
    wb.sla_agreement().map_err(e("sla_agreement"))?;
    wb.sources().map_err(e("sources"))?;
    wb.product_lines().map_err(e("product_lines"))?;
    for v in wb.plan_versions(None).map_err(e("plan_versions"))? {
        wb.plan_view(v.id).map_err(e("plan_view"))?;
        wb.launches(v.id).map_err(e("launches"))?;
    }
    for m in wb.meetings().map_err(e("meetings"))? {
        wb.agenda(m.id).map_err(e("agenda"))?;
        wb.meeting_record(m.id).map_err(e("meeting_record"))?;
    }
    wb.action_items(None).map_err(e("action_items"))?;
    wb.glossary().map_err(e("glossary"))?;
    wb.feedback_reasons().map_err(e("feedback_reasons"))?;
    wb.imports().map_err(e("imports"))?;
    wb.lead_count().map_err(e("lead_count"))?;
    wb.lead_years().map_err(e("lead_years"))?;
    wb.overview(2026).map_err(e("overview"))?;
    for &year in years {
        wb.feedback(year).map_err(e("feedback"))?;
        wb.spend(year).map_err(e("spend"))?;
        wb.lead_counts(year).map_err(e("lead_counts"))?;
    }
    Ok(())
}

// ---- hostile values ------------------------------------------------------------------------

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("   \t\n".to_owned()),
        Just("Website".to_owned()),
        Just(" website ".to_owned()),
        Just("<script>alert(1)</script>".to_owned()),
        Just("=HYPERLINK(\"http://x\")".to_owned()),
        Just("x".repeat(100_000)),
        Just("é".repeat(121)),
        Just("\0\u{7}\u{1b}[31m".to_owned()),
        "\\PC{0,40}",
        ".{0,8}",
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(f64::MIN_POSITIVE),
        Just(-0.0),
        Just(0.0),
        Just(1.0),
        Just(-1.0),
        Just(1.0e300),
        Just(1.0e9 + 1.0),
        0.0..1.0,
        -1.0e12..1.0e12,
        any::<f64>(),
    ]
}

fn money() -> impl Strategy<Value = Money> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(-1),
        Just(0),
        0..10_000_000_i64,
        any::<i64>(),
    ]
    .prop_map(Money)
}

fn count() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0), Just(u32::MAX), 0..15_u32, any::<u32>()]
}

fn id(known: &'static [i64]) -> impl Strategy<Value = i64> {
    prop_oneof![
        3 => proptest::sample::select(known),
        1 => Just(0_i64),
        1 => Just(-1_i64),
        1 => any::<i64>(),
    ]
}

fn year() -> impl Strategy<Value = i32> {
    prop_oneof![
        Just(2026),
        Just(0),
        Just(-1),
        Just(1899),
        Just(10_000),
        Just(i32::MIN),
        Just(i32::MAX),
        any::<i32>(),
    ]
}

fn date() -> impl Strategy<Value = NaiveDate> {
    prop_oneof![
        Just(NaiveDate::MIN),
        Just(NaiveDate::MAX),
        Just(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
        Just(NaiveDate::from_ymd_opt(1, 1, 1).unwrap()),
        Just(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()),
        (-400_000_i32..400_000).prop_filter_map("a day chrono knows", |d| {
            NaiveDate::from_num_days_from_ce_opt(d)
        }),
    ]
}

fn side() -> impl Strategy<Value = Side> {
    prop_oneof![Just(Side::Marketing), Just(Side::Sales)]
}

fn kind() -> impl Strategy<Value = SourceKind> {
    proptest::sample::select(SourceKind::ALL.to_vec())
}

fn source_assumptions() -> impl Strategy<Value = SourceAssumptions> {
    (
        money(),
        money(),
        number(),
        number(),
        number(),
        proptest::option::of(number()),
    )
        .prop_map(
            |(cpl, fixed, contact, appointment, close, direct)| SourceAssumptions {
                cost_per_lead: cpl,
                fixed_monthly_cost: fixed,
                contact_rate: contact,
                appointment_rate: appointment,
                close_rate: close,
                direct_conversion: direct,
            },
        )
}

fn settings() -> impl Strategy<Value = Settings> {
    (
        (
            text(),
            text(),
            proptest::sample::select(Locale::ALL.to_vec()),
        ),
        (count(), number(), count()),
        (count(), count(), number(), number()),
    )
        .prop_map(
            |(
                (organisation, currency, locale),
                (fiscal, floor, maturity),
                (minutes, attempts, two_way, within),
            )| {
                let mut s = Settings {
                    organisation,
                    currency,
                    locale,
                    fiscal_year_start_month: fiscal,
                    conversion_floor: floor,
                    cohort_maturity_days: maturity,
                    ..Settings::default()
                };
                s.sla.first_contact_minutes = minutes;
                s.sla.min_attempts_before_lost = attempts;
                s.sla.two_way_contact_target = two_way;
                s.sla.within_sla_target = within;
                s
            },
        )
}

fn cell() -> impl Strategy<Value = PlanCell> {
    let line = || id(&PRODUCT_LINES);
    let source = || id(&SOURCES);
    prop_oneof![
        line().prop_map(|p| PlanCell::AnnualTarget { product_line_id: p }),
        (line(), count()).prop_map(|(p, month)| PlanCell::MonthlyTarget {
            product_line_id: p,
            month
        }),
        (line(), count()).prop_map(|(p, month)| PlanCell::Stock {
            product_line_id: p,
            month
        }),
        count().prop_map(|month| PlanCell::Seasonality { month }),
        (count(), source(), proptest::option::of(line())).prop_map(|(month, s, p)| {
            PlanCell::Mix {
                month,
                source_id: s,
                product_line_id: p,
            }
        }),
        (source(), count()).prop_map(|(s, month)| PlanCell::Budget {
            source_id: s,
            month
        }),
        source().prop_map(|s| PlanCell::CostPerLead { source_id: s }),
        source().prop_map(|s| PlanCell::FixedMonthlyCost { source_id: s }),
        source().prop_map(|s| PlanCell::ContactRate { source_id: s }),
        source().prop_map(|s| PlanCell::AppointmentRate { source_id: s }),
        source().prop_map(|s| PlanCell::CloseRate { source_id: s }),
        source().prop_map(|s| PlanCell::DirectConversion { source_id: s }),
        Just(PlanCell::AnnualBudgetCap),
    ]
}

fn launch() -> impl Strategy<Value = Launch> {
    (
        id(&PRODUCT_LINES),
        count(),
        number(),
        count(),
        count(),
        money(),
    )
        .prop_map(|(p, month, uplift, duration, prelaunch, budget)| Launch {
            id: 0,
            product_line_id: p,
            month,
            uplift,
            duration_months: duration,
            prelaunch_months: prelaunch,
            extra_budget: budget,
        })
}

fn plan_edit() -> impl Strategy<Value = PlanEdit> {
    prop_oneof![
        4 => (cell(), proptest::option::of(number()))
            .prop_map(|(cell, value)| PlanEdit::Cell { cell, value }),
        1 => proptest::collection::vec(launch(), 0..3)
            .prop_map(|launches| PlanEdit::Launches { launches }),
    ]
}

fn meeting() -> impl Strategy<Value = NewMeeting> {
    (
        date(),
        text(),
        proptest::option::of(id(&VERSIONS)),
        (count(), count()),
        proptest::collection::vec((text(), side()), 0..3),
        text(),
    )
        .prop_map(
            |(held_on, title, version, (from, to), attendees, notes)| NewMeeting {
                held_on,
                title,
                plan_version_id: version,
                period_from: from,
                period_to: to,
                attendees: attendees
                    .into_iter()
                    .map(|(name, side)| Attendee { name, side })
                    .collect(),
                notes,
            },
        )
}

/// A CSV in Leadplan's format whose cells are anything: a valid lead now and then, mostly
/// rows the reader rejects.
fn crm_csv() -> impl Strategy<Value = Vec<u8>> {
    let cell = prop_oneof![
        Just(String::new()),
        Just("2026-01-15 10:00:00".to_owned()),
        Just("2026-13-45 25:61:00".to_owned()),
        Just("Website".to_owned()),
        Just("Aster".to_owned()),
        Just("won".to_owned()),
        Just("-3".to_owned()),
        Just("1e308".to_owned()),
        Just("NaN".to_owned()),
        "[a-z0-9 ,;\"\n-]{0,12}",
    ];
    proptest::collection::vec(
        proptest::collection::vec(cell, CSV_HEADER.len()..=CSV_HEADER.len()),
        0..6,
    )
    .prop_map(|rows| {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(CSV_HEADER).unwrap();
        for (i, mut row) in rows.into_iter().enumerate() {
            if i % 2 == 0 {
                row[0] = format!("ATT-{i}");
            }
            w.write_record(&row).unwrap();
        }
        w.into_inner().unwrap()
    })
}

fn import_request() -> impl Strategy<Value = ImportRequest> {
    (
        text(),
        prop_oneof![
            Just(ImportMode::AllOrNothing),
            Just(ImportMode::ValidRowsOnly)
        ],
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(file_name, mode, add_unknown_sources, dry_run)| ImportRequest {
                file_name,
                options: ImportOptions::default(),
                mode,
                add_unknown_sources,
                dry_run,
            },
        )
}

/// One call to the workbook's write API.
#[derive(Debug, Clone)]
enum Call {
    UpdateSettings(Settings),
    AddSource(NewSource),
    UpdateSource(Source),
    AddProductLine(NewProductLine),
    EditPlan(i64, Vec<PlanEdit>),
    SetSpend(Spend),
    AddMeeting(NewMeeting),
    StartMeeting(NewMeeting, NaiveDate),
    AddActionItem(NewActionItem),
    AddTerm(String, String),
    EditDefinition(i64, String),
    AddFeedback(NewFeedback),
    ImportLeads(Vec<u8>, ImportRequest),
}

fn call() -> impl Strategy<Value = Call> {
    prop_oneof![
        settings().prop_map(Call::UpdateSettings),
        (text(), kind(), source_assumptions()).prop_map(|(name, kind, defaults)| {
            Call::AddSource(NewSource {
                name,
                kind,
                defaults,
            })
        }),
        (
            id(&SOURCES),
            text(),
            kind(),
            source_assumptions(),
            any::<bool>()
        )
            .prop_map(
                |(id, name, kind, defaults, active)| Call::UpdateSource(Source {
                    id,
                    name,
                    kind,
                    defaults,
                    active,
                })
            ),
        (text(), text(), money(), money()).prop_map(|(name, segment, revenue, margin)| {
            Call::AddProductLine(NewProductLine {
                name,
                segment,
                avg_revenue: revenue,
                avg_margin: margin,
            })
        }),
        (id(&VERSIONS), proptest::collection::vec(plan_edit(), 1..4))
            .prop_map(|(v, edits)| Call::EditPlan(v, edits)),
        (id(&SOURCES), year(), count(), money()).prop_map(|(s, year, month, amount)| {
            Call::SetSpend(Spend {
                source_id: s,
                year,
                month,
                amount,
            })
        }),
        meeting().prop_map(Call::AddMeeting),
        (meeting(), date()).prop_map(|(m, today)| Call::StartMeeting(m, today)),
        (
            proptest::option::of(id(&MEETINGS)),
            text(),
            side(),
            text(),
            proptest::option::of(date())
        )
            .prop_map(|(meeting, text, side, owner, due)| {
                Call::AddActionItem(NewActionItem {
                    meeting_id: meeting,
                    text,
                    owner_side: side,
                    owner,
                    due_on: due,
                })
            }),
        (text(), text()).prop_map(|(t, d)| Call::AddTerm(t, d)),
        (id(&TERMS), text()).prop_map(|(id, d)| Call::EditDefinition(id, d)),
        (
            id(&SOURCES),
            year(),
            count(),
            0..=10_u8,
            proptest::collection::vec(text(), 0..3),
            text()
        )
            .prop_map(|(s, year, month, rating, reasons, by)| {
                Call::AddFeedback(NewFeedback {
                    source_id: s,
                    year,
                    month,
                    rating,
                    reasons,
                    given_by: by,
                })
            }),
        (
            prop_oneof![proptest::collection::vec(any::<u8>(), 0..512), crm_csv()],
            import_request()
        )
            .prop_map(|(bytes, request)| Call::ImportLeads(bytes, request)),
    ]
}

/// Makes the call; `Ok(true)` when it wrote something, `Ok(false)` when it was accepted
/// but by its own account wrote nothing.
fn make(wb: &mut Workbook, call: &Call) -> Result<bool, leadplan_workbook::WorkbookError> {
    match call {
        Call::UpdateSettings(s) => wb.update_settings(s).map(|_| true),
        Call::AddSource(s) => wb.add_source(s).map(|_| true),
        Call::UpdateSource(s) => wb.update_source(s).map(|()| true),
        Call::AddProductLine(p) => wb.add_product_line(p).map(|_| true),
        Call::EditPlan(v, edits) => wb.edit_plan(*v, edits).map(|_| true),
        Call::SetSpend(s) => wb.set_spend(s).map(|()| true),
        Call::AddMeeting(m) => wb.add_meeting(m).map(|_| true),
        Call::StartMeeting(m, today) => wb.start_meeting(m, *today).map(|_| true),
        Call::AddActionItem(a) => wb.add_action_item(a, now()).map(|_| true),
        Call::AddTerm(t, d) => wb.add_term(t, d).map(|_| true),
        Call::EditDefinition(id, d) => wb.edit_definition(*id, d).map(|_| true),
        Call::AddFeedback(f) => wb.add_feedback(f, now()).map(|_| true),
        Call::ImportLeads(bytes, request) => wb
            .import_leads(bytes, request, now(), |_| Flow::Continue)
            .map(|summary| summary.imported),
    }
}

/// The calendar years a call may have written data for.
fn years_of(call: &Call) -> Vec<i32> {
    match call {
        Call::SetSpend(s) => vec![s.year],
        Call::AddFeedback(f) => vec![f.year],
        _ => vec![2026],
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 200,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_calls_never_panic_and_a_refused_one_changes_nothing(
        calls in proptest::collection::vec(call(), 1..10)
    ) {
        let mut f = fixture();
        let mut years = vec![2026];
        for call in &calls {
            let before = dump(&f.path);
            match make(&mut f.wb, call) {
                Err(e) => {
                    prop_assert!(
                        dump(&f.path) == before,
                        "refused with {e}, yet the workbook changed: {call:?}"
                    );
                }
                Ok(false) => {
                    prop_assert!(
                        dump(&f.path) == before,
                        "wrote nothing by its own account, yet the workbook changed: {call:?}"
                    );
                }
                Ok(true) => {
                    years.extend(years_of(call));
                    if let Err(e) = reads_back(&f.wb, &years) {
                        prop_assert!(false, "accepted {call:?}, then {e}");
                    }
                }
            }
        }
        // what was committed is what a fresh opening sees
        let last = dump(&f.path);
        f.wb.close().unwrap();
        let reopened = Workbook::open(&f.path).unwrap();
        prop_assert!(dump(&f.path) == last, "reopening changed the workbook");
        if let Err(e) = reads_back(&reopened, &years) {
            prop_assert!(false, "after reopening: {e}");
        }
    }
}

#[test]
fn the_snapshot_sees_a_change_a_refusal_must_not_make() {
    // the comparison above is only as good as the dump: one changed cell must show
    let mut f = fixture();
    let before = dump(&f.path);
    f.wb.edit_definition(TERMS[0], "A lead sales accepted for follow-up.")
        .unwrap();
    assert_ne!(dump(&f.path), before);
    let before = dump(&f.path);
    f.wb.set_spend(&Spend {
        source_id: SOURCES[0],
        year: 2026,
        month: 1,
        amount: Money(1),
    })
    .unwrap();
    assert_ne!(dump(&f.path), before);
}
