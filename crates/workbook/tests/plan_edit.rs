#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Editing a plan version cell by cell on a real workbook file, with undo and redo.

use chrono::{TimeZone, Utc};
use leadplan_core::{Money, PlanStatus, Settings, SourceAssumptions, SourceKind};
use leadplan_workbook::{
    NewPlanVersion, NewProductLine, NewSource, PlanCell, PlanEdit, PlanHistory, PlanOrigin,
    Workbook, WorkbookError,
};

struct Fixture {
    _dir: tempfile::TempDir,
    wb: Workbook,
    version: i64,
    source: i64,
    line: i64,
}

/// One source (€20 per lead, funnel 80 % × 50 % × 25 % = 10 %), one product line with an
/// annual target of 120, flat seasonality, the whole mix on the one source:
/// 10 sales a month need 10 / 0.10 = 100 leads costing 100 × €20 = €2,000.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let mut wb = Workbook::create(&dir.path().join("plan.leadplan"), &Settings::default()).unwrap();
    let source = wb
        .add_source(&NewSource {
            name: "Website".into(),
            kind: SourceKind::Owned,
            defaults: SourceAssumptions {
                cost_per_lead: Money::from_units(20),
                fixed_monthly_cost: Money::ZERO,
                contact_rate: 0.8,
                appointment_rate: 0.5,
                close_rate: 0.25,
                direct_conversion: None,
            },
        })
        .unwrap();
    let line = wb
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
                name: "Draft".into(),
                created_by: "test".into(),
                origin: PlanOrigin::Empty,
            },
            Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap(),
        )
        .unwrap()
        .id;
    let mut edits = vec![PlanEdit::Cell {
        cell: PlanCell::AnnualTarget {
            product_line_id: line,
        },
        value: Some(120.0),
    }];
    for month in 0..12 {
        edits.push(PlanEdit::Cell {
            cell: PlanCell::Mix {
                month,
                source_id: source,
                product_line_id: None,
            },
            value: Some(1.0),
        });
    }
    wb.edit_plan(version, &edits).unwrap();
    Fixture {
        _dir: dir,
        wb,
        version,
        source,
        line,
    }
}

fn leads_in_march(f: &Fixture) -> f64 {
    let view = f.wb.plan_view(f.version).unwrap();
    let result = view.result.expect("the plan computes");
    result.month_source(2, 0).unwrap().leads
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn raising_a_close_rate_lowers_leads_needed_and_undo_restores_them() {
    let mut f = fixture();
    assert!(close(leads_in_march(&f), 100.0));
    let mut history = PlanHistory::default();
    // 80 % × 50 % × 50 % = 20 %: 10 sales need 50 leads
    history
        .edit(
            &mut f.wb,
            f.version,
            vec![PlanEdit::Cell {
                cell: PlanCell::CloseRate {
                    source_id: f.source,
                },
                value: Some(0.5),
            }],
        )
        .unwrap();
    assert!(close(leads_in_march(&f), 50.0));
    assert!(history.can_undo() && !history.can_redo());
    assert_eq!(history.undo(&mut f.wb).unwrap(), Some(f.version));
    assert!(close(leads_in_march(&f), 100.0));
    assert_eq!(history.redo(&mut f.wb).unwrap(), Some(f.version));
    assert!(close(leads_in_march(&f), 50.0));
    assert_eq!(
        history.redo(&mut f.wb).unwrap(),
        None,
        "nothing left to redo"
    );
}

#[test]
fn a_pasted_block_is_one_step_and_undoes_as_one() {
    let mut f = fixture();
    let mut history = PlanHistory::default();
    let block: Vec<PlanEdit> = (0..3)
        .map(|month| PlanEdit::Cell {
            cell: PlanCell::MonthlyTarget {
                product_line_id: f.line,
                month,
            },
            value: Some(20.0),
        })
        .collect();
    history.edit(&mut f.wb, f.version, block).unwrap();
    // a monthly target of 20 replaces the 10 from the annual figure: 200 leads in March
    assert!(close(leads_in_march(&f), 200.0));
    history.undo(&mut f.wb).unwrap();
    let view = f.wb.plan_view(f.version).unwrap();
    assert_eq!(
        view.input.product_lines[0].monthly_targets, [None; 12],
        "cleared again, not set to 0"
    );
    assert!(!history.can_undo());
}

#[test]
fn one_refused_cell_refuses_the_whole_edit_and_names_the_cell() {
    let mut f = fixture();
    let err =
        f.wb.edit_plan(
            f.version,
            &[
                PlanEdit::Cell {
                    cell: PlanCell::Stock {
                        product_line_id: f.line,
                        month: 1,
                    },
                    value: Some(5.0),
                },
                PlanEdit::Cell {
                    cell: PlanCell::ContactRate {
                        source_id: f.source,
                    },
                    value: Some(1.3),
                },
                PlanEdit::Cell {
                    cell: PlanCell::Budget {
                        source_id: f.source,
                        month: 0,
                    },
                    value: Some(f64::NAN),
                },
            ],
        )
        .unwrap_err();
    let WorkbookError::Validation(errors) = err else {
        panic!("expected a validation error")
    };
    let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            format!("contact_rate.{}", f.source),
            format!("budget.{}.0", f.source)
        ]
    );
    let view = f.wb.plan_view(f.version).unwrap();
    assert_eq!(
        view.input.product_lines[0].stock[1], None,
        "the valid cell was not saved either"
    );
}

#[test]
fn a_mix_that_does_not_add_up_is_saved_but_reported_instead_of_computed() {
    let mut f = fixture();
    f.wb.edit_plan(
        f.version,
        &[PlanEdit::Cell {
            cell: PlanCell::Mix {
                month: 4,
                source_id: f.source,
                product_line_id: None,
            },
            value: Some(0.6),
        }],
    )
    .unwrap();
    let view = f.wb.plan_view(f.version).unwrap();
    assert!(view.result.is_none());
    assert!(
        !view.problems.is_empty(),
        "the view says why it cannot compute"
    );
}

#[test]
fn money_is_stored_in_cents_and_agreed_versions_are_read_only() {
    let mut f = fixture();
    let undo =
        f.wb.edit_plan(
            f.version,
            &[PlanEdit::Cell {
                cell: PlanCell::CostPerLead {
                    source_id: f.source,
                },
                value: Some(12.345),
            }],
        )
        .unwrap();
    assert_eq!(
        undo,
        vec![PlanEdit::Cell {
            cell: PlanCell::CostPerLead {
                source_id: f.source
            },
            value: Some(20.0)
        }]
    );
    let view = f.wb.plan_view(f.version).unwrap();
    assert_eq!(view.input.sources[0].assumptions.cost_per_lead, Money(1235));
    f.wb.set_plan_status(f.version, PlanStatus::Agreed, true)
        .unwrap();
    let err =
        f.wb.edit_plan(
            f.version,
            &[PlanEdit::Cell {
                cell: PlanCell::CostPerLead {
                    source_id: f.source,
                },
                value: Some(1.0),
            }],
        )
        .unwrap_err();
    assert!(
        err.to_string().contains("only drafts can be changed"),
        "{err}"
    );
}

#[test]
fn edits_survive_closing_and_reopening_the_file() {
    let mut f = fixture();
    f.wb.edit_plan(
        f.version,
        &[PlanEdit::Cell {
            cell: PlanCell::Seasonality { month: 2 },
            value: Some(1.6),
        }],
    )
    .unwrap();
    let path = f.wb.path().to_owned();
    let Fixture {
        wb, version, _dir, ..
    } = f;
    wb.close().unwrap();
    let wb = Workbook::open(&path).unwrap();
    assert!(close(
        wb.plan_view(version).unwrap().input.seasonality[2],
        1.6
    ));
}

#[test]
fn a_plan_exported_to_a_file_and_imported_elsewhere_computes_the_same_figures() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap();
    let demo =
        leadplan_workbook::demo::create_demo(&dir.path().join("demo.leadplan"), now, 5).unwrap();
    let baseline = demo
        .plan_versions(Some(2026))
        .unwrap()
        .into_iter()
        .find(|v| v.baseline)
        .unwrap();
    let file = demo.export_plan(baseline.id).unwrap();
    let json = file.to_json().unwrap();
    let parsed = leadplan_core::plan::parse_plan_file(&json).unwrap();

    let mut empty =
        Workbook::create(&dir.path().join("empty.leadplan"), &Settings::default()).unwrap();
    let imported = empty.import_plan(&parsed, None, "test", now).unwrap();
    assert_eq!(imported.name, "Baseline 2026");
    assert_eq!(imported.year, 2026);
    assert_eq!(
        empty.sources().unwrap().len(),
        8,
        "the file's sources were added"
    );
    let a = demo.computed_plan(baseline.id).unwrap();
    let b = empty.computed_plan(imported.id).unwrap();
    assert!(
        (a.year.leads - b.year.leads).abs() < 1e-6,
        "{} vs {}",
        a.year.leads,
        b.year.leads
    );
    assert!((a.year.spend - b.year.spend).abs() < 1e-6);
    assert_eq!(a.warnings.len(), b.warnings.len());

    // importing the same file again under its own name is refused and writes nothing
    let versions_before = empty.plan_versions(None).unwrap().len();
    assert!(empty.import_plan(&parsed, None, "test", now).is_err());
    assert_eq!(empty.plan_versions(None).unwrap().len(), versions_before);
    let again = empty
        .import_plan(&parsed, Some("Copy"), "test", now)
        .unwrap();
    assert_eq!(
        empty.sources().unwrap().len(),
        8,
        "sources are matched by name, not added twice"
    );
    assert!((empty.computed_plan(again.id).unwrap().year.leads - a.year.leads).abs() < 1e-6);
}
