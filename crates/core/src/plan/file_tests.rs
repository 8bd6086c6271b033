//! The plan file: reading, errors by JSON path, round trips.

use proptest::prelude::*;
use rstest::rstest;

use crate::model::SourceKind;
use crate::money::Money;
use crate::plan::fixtures::assert_close;
use crate::plan::{PlanFile, PlanFileError, compute, parse_plan_file};

/// The example of `docs/plan-format.md`.
const EXAMPLE: &str = r#"{
  "format_version": 1,
  "year": 2026,
  "version_name": "Baseline 2026",
  "sources": [
    {
      "name": "Website",
      "kind": "owned",
      "cost_per_lead": 20,
      "fixed_monthly_cost": 500,
      "contact_rate": 0.5,
      "appointment_rate": 0.5,
      "close_rate": 0.8
    },
    {
      "name": "mobile.de",
      "kind": "marketplace",
      "cost_per_lead": 25.5,
      "contact_rate": 0.9,
      "appointment_rate": 0.5,
      "close_rate": 0.5,
      "direct_conversion": 0.1
    }
  ],
  "product_lines": [
    {
      "name": "Model A",
      "annual_target": 120,
      "stock": [null, null, null, null, 8, null, null, null, null, null, null, null]
    },
    {
      "name": "Model B",
      "annual_target": 60,
      "monthly_targets": [null, null, null, null, null, null, null, null, null, null, null, 12]
    }
  ],
  "seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  "launches": [
    {
      "product_line": "Model A",
      "month": 3,
      "uplift": 0.5,
      "duration_months": 2,
      "prelaunch_months": 1,
      "extra_budget": 1000
    }
  ],
  "mix": [
    { "month": 0, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 1, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 2, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 3, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 4, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 5, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 6, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 7, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 8, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 9, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 10, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 11, "shares": { "Website": 0.6, "mobile.de": 0.4 } },
    { "month": 3, "product_line": "Model A", "shares": { "Website": 1 } }
  ],
  "budgets": [
    {
      "source": "Website",
      "months": [1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500, 1500]
    },
    {
      "source": "mobile.de",
      "months": [2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500, 2500.5]
    }
  ],
  "annual_budget_cap": 48000
}"#;

fn paths(errors: &[PlanFileError]) -> Vec<&str> {
    errors.iter().map(|e| e.path.as_str()).collect()
}

/// The example with `from` replaced by `to` (which must occur exactly once).
fn edited(edits: &[(&str, &str)]) -> String {
    let mut text = EXAMPLE.to_owned();
    for (from, to) in edits {
        assert_eq!(text.matches(from).count(), 1, "{from}");
        text = text.replacen(from, to, 1);
    }
    text
}

#[test]
fn the_documented_example_reads_and_computes() {
    let file = parse_plan_file(EXAMPLE).unwrap();
    assert_eq!(file.year, 2026);
    assert_eq!(file.version_name, "Baseline 2026");
    assert_eq!(file.sources[1].kind, SourceKind::Marketplace);
    assert_close(file.sources[1].cost_per_lead, 25.5);
    assert_eq!(file.sources[0].direct_conversion, None);
    assert_eq!(file.product_lines[1].monthly_targets[11], Some(12.0));
    assert_eq!(file.mix[12].product_line.as_deref(), Some("Model A"));

    let input = file.to_input();
    assert_eq!(
        input.sources[1].assumptions.cost_per_lead,
        Money::from_cents(2550)
    );
    assert_eq!(input.budgets[1].months[11], Money::from_cents(250_050));
    assert_eq!(input.launches[0].product_line_id, input.product_lines[0].id);
    let r = compute(&input, 0.13).unwrap();
    // Model A: 10 a month, ×1.5 in m3 and m4 = 15, capped at 8 in m4 → capped 7
    let a_m4 = r.month_product_line(4, 0).unwrap();
    assert_close(a_m4.target, 15.0);
    assert_close(a_m4.planned_sales, 8.0);
    assert_close(a_m4.capped, 7.0);
    // Model A's own mix in m3 sends all its 15 sales to the Website: 15 / 0.2 = 75 leads,
    // plus Model B's 5 × 0.6 / 0.2 = 15 → 90; its launch budget too: 1500 + 1000
    let web_m3 = r.month_source(3, 0).unwrap();
    assert_close(web_m3.leads, 90.0);
    assert_close(web_m3.budget, 2500.0);
    // Model B: 60 spread flat is 5 a month, but December is entered as 12
    assert_close(r.month_product_line(11, 1).unwrap().target, 12.0);
    assert_close(r.month_product_line(10, 1).unwrap().target, 5.0);
}

#[test]
fn three_planted_errors_are_reported_with_exactly_their_paths() {
    let text = edited(&[
        // 1: money in cents by mistake — three decimals
        (r#""cost_per_lead": 25.5,"#, r#""cost_per_lead": 25.555,"#),
        // 2: a share for a source the file does not have
        (
            r#"{ "month": 3, "shares": { "Website": 0.6, "mobile.de": 0.4 } }"#,
            r#"{ "month": 3, "shares": { "Webshop": 0.6, "mobile.de": 0.4 } }"#,
        ),
        // 3: a negative fixed cost, which only the plan rules know is wrong
        (
            r#""fixed_monthly_cost": 500,"#,
            r#""fixed_monthly_cost": -500,"#,
        ),
    ]);
    let errors = parse_plan_file(&text).unwrap_err();
    assert_eq!(
        paths(&errors),
        [
            "$.sources[1].cost_per_lead",
            "$.mix[3].shares.Webshop",
            "$.sources[0].fixed_monthly_cost",
        ],
        "{errors:#?}"
    );
    assert_eq!(
        errors[0].reason,
        "money has at most 2 decimals (whole cents)"
    );
    assert_eq!(errors[1].reason, "no source named 'Webshop' in this file");
    assert_eq!(errors[2].reason, "must be between 0 and 1000000000");
    assert!(errors.iter().all(|e| e.line.is_none()));
}

#[rstest]
#[case(
    r#"{ "month": 11, "shares": { "Website": 0.6, "mobile.de": 0.4 } }"#,
    r#"{ "month": 11, "shares": { "Website": 0.7, "mobile.de": 0.4 } }"#,
    "$.mix[11].shares",
    "the shares add up to"
)]
#[case(
    r#""contact_rate": 0.9,"#,
    r#""contact_rate": 1.9,"#,
    "$.sources[1].contact_rate",
    "a rate must be between 0 % and 100 %"
)]
#[case(
    r#""uplift": 0.5,"#,
    r#""uplift": "half","#,
    "$.launches[0].uplift",
    "expected a number, found text"
)]
#[case(
    r#""month": 3,
      "uplift""#,
    r#""month": 12,
      "uplift""#,
    "$.launches[0].month",
    "must be between 0 and 11"
)]
#[case(
    r#""product_line": "Model A",
      "month""#,
    r#""product_line": "Model Z",
      "month""#,
    "$.launches[0].product_line",
    "no product line named 'Model Z' in this file"
)]
#[case(
    r#""kind": "owned","#,
    r#""kind": "website","#,
    "$.sources[0].kind",
    "must be one of owned, paid, partner, marketplace, offline"
)]
#[case(
    r#""kind": "owned","#,
    r#""kind": "owned", "colour": "blue","#,
    "$.sources[0].colour",
    "unknown field; expected one of"
)]
#[case(
    r#""annual_target": 60,"#,
    r#""annual_target": 60, "annual_target": 70,"#,
    "$.product_lines[1].annual_target",
    "the field appears more than once"
)]
#[case(
    r#""seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],"#,
    r#""seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],"#,
    "$.seasonality",
    "expected 12 values, one per month, found 11"
)]
#[case(
    r#""seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],"#,
    r#""seasonality": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],"#,
    "$.seasonality",
    "at least one month must have an index above 0"
)]
#[case(
    r#""seasonality": [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],"#,
    r#""seasonality": [1, 1, 1, -1, 1, 1, 1, 1, 1, 1, 1, 1],"#,
    "$.seasonality[3]",
    "must be between 0 and 1000000000"
)]
#[case(
    r#""format_version": 1,"#,
    r#""format_version": 2,"#,
    "$.format_version",
    "format version 2 is not supported"
)]
#[case(
    r#""year": 2026,"#,
    r#""year": 2026.5,"#,
    "$.year",
    "expected a whole number"
)]
#[case(
    r#""version_name": "Baseline 2026","#,
    r#""version_name": "  ","#,
    "$.version_name",
    "a value is required"
)]
#[case(
    r#""version_name": "Baseline 2026","#,
    "",
    "$.version_name",
    "a value is required"
)]
#[case(
    r#""name": "Model B","#,
    r#""name": "model a","#,
    "$.product_lines[1].name",
    "this name is already used"
)]
#[case(
    r#"{ "month": 3, "product_line": "Model A", "shares": { "Website": 1 } }"#,
    r#"{ "month": 3, "product_line": "Model A", "shares": { "mobile.de": 1, "Website": 0 } }"#,
    "$.mix[12].shares[\"mobile.de\"]",
    "source 'mobile.de' converts no leads"
)]
#[case(
    r#""months": [1500, 1500,"#,
    r#""months": [1500, true,"#,
    "$.budgets[0].months[1]",
    "expected a number, found true or false"
)]
#[case(
    r#""annual_budget_cap": 48000"#,
    r#""annual_budget_cap": 1e20"#,
    "$.annual_budget_cap",
    "must be between 0 and 1000000000"
)]
#[case(
    r#""source": "Website","#,
    r#""source": "Website", "source": "Website","#,
    "$.budgets[0].source",
    "the field appears more than once"
)]
fn each_error_names_its_path_and_reason(
    #[case] from: &str,
    #[case] to: &str,
    #[case] path: &str,
    #[case] reason: &str,
) {
    let mut text = edited(&[(from, to)]);
    if path.ends_with("[\"mobile.de\"]") {
        // mobile.de converts nothing in this case
        text = text.replacen(
            r#""direct_conversion": 0.1"#,
            r#""direct_conversion": 0"#,
            1,
        );
        text = text.replace(r#""Website": 0.6, "mobile.de": 0.4"#, r#""Website": 1"#);
    }
    let errors = parse_plan_file(&text).unwrap_err();
    assert_eq!(paths(&errors), [path], "{errors:#?}");
    assert!(
        errors[0].reason.starts_with(reason),
        "{} does not start with {reason}",
        errors[0].reason
    );
}

#[test]
fn a_syntax_error_names_its_line_and_column() {
    let text = "{\n  \"year\": 2026,\n  \"sources\": [,]\n}";
    let errors = parse_plan_file(text).unwrap_err();
    assert_eq!(errors.len(), 1);
    let e = &errors[0];
    // line 3 is `  "sources": [,]`: the comma is its 15th character
    assert_eq!(
        (e.path.as_str(), e.line, e.column),
        ("$", Some(3), Some(15))
    );
    assert_eq!(e.reason, "expected value");
    assert_eq!(e.to_string(), "line 3, column 15: expected value");
}

#[rstest]
#[case("")]
#[case("[]")]
#[case("null")]
#[case("{}")]
#[case("{\"sources\": 5, \"product_lines\": {}}")]
#[case("{\"year\": 1e400}")]
fn broken_files_are_refused_without_panicking(#[case] text: &str) {
    assert!(!parse_plan_file(text).unwrap_err().is_empty());
}

#[test]
fn an_empty_object_reports_every_missing_field() {
    let errors = parse_plan_file("{}").unwrap_err();
    assert_eq!(
        paths(&errors),
        [
            "$.format_version",
            "$.year",
            "$.version_name",
            "$.sources",
            "$.product_lines",
            "$.seasonality",
            "$.mix",
        ]
    );
}

#[test]
fn a_file_survives_the_round_trip_through_a_plan_input() {
    let file = parse_plan_file(EXAMPLE).unwrap();
    let input = file.to_input();
    let back = PlanFile::from_input(&input, file.year, &file.version_name).unwrap();
    assert_eq!(back, file);
    // and through its own JSON
    let json = back.to_json().unwrap();
    assert_eq!(parse_plan_file(&json).unwrap(), file);
}

#[test]
fn a_plan_input_survives_the_round_trip_through_a_file() {
    let input = crate::plan::fixtures::small_plan();
    let file = PlanFile::from_input(&input, 2026, "Re-forecast June").unwrap();
    let reread = parse_plan_file(&file.to_json().unwrap()).unwrap();
    let again = reread.to_input();
    // ids are renumbered by position; everything else is the same
    assert_eq!(again.sources.len(), 2);
    for (a, b) in input.sources.iter().zip(&again.sources) {
        assert_eq!(
            (&a.name, a.kind, &a.assumptions),
            (&b.name, b.kind, &b.assumptions)
        );
    }
    assert_eq!(
        compute(&input, 0.13).unwrap().year,
        compute(&again, 0.13).unwrap().year
    );
}

#[test]
fn an_invalid_input_is_not_written_as_a_file() {
    let mut input = crate::plan::fixtures::small_plan();
    input.launches = vec![crate::plan::fixtures::launch(4242, 1, 0.1, 1, Money::ZERO)];
    let errors = PlanFile::from_input(&input, 2026, "x").unwrap_err().0;
    assert_eq!(errors[0].field, "launches[0].product_line_id");
}

/// The JSON blocks of `docs/plan-format.md`, in order; blocks with an ellipsis are skipped.
fn documented_blocks() -> Vec<serde_json::Value> {
    const DOC: &str = include_str!("../../../../docs/plan-format.md");
    DOC.split("```json\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter_map(|block| serde_json::from_str(block).ok())
        .collect()
}

#[test]
fn the_documentation_shows_real_files_errors_and_results() {
    let blocks = documented_blocks();
    assert_eq!(
        blocks.len(),
        6,
        "file, errors, month source, line, year, warnings"
    );

    // the example file is the one these tests use
    let file = parse_plan_file(&blocks[0].to_string()).unwrap();
    assert_eq!(file, parse_plan_file(EXAMPLE).unwrap());

    // the errors are those of the three planted errors
    let planted = edited(&[
        (r#""cost_per_lead": 25.5,"#, r#""cost_per_lead": 25.555,"#),
        (
            r#"{ "month": 3, "shares": { "Website": 0.6, "mobile.de": 0.4 } }"#,
            r#"{ "month": 3, "shares": { "Webshop": 0.6, "mobile.de": 0.4 } }"#,
        ),
        (
            r#""fixed_monthly_cost": 500,"#,
            r#""fixed_monthly_cost": -500,"#,
        ),
    ]);
    let errors = parse_plan_file(&planted).unwrap_err();
    assert_eq!(blocks[1], serde_json::to_value(&errors).unwrap());

    // the excerpts of the computed plan are the example's figures
    let r = serde_json::to_value(compute(&file.to_input(), 0.13).unwrap()).unwrap();
    let in_list = |list: &str, block: &serde_json::Value| {
        r[list].as_array().unwrap().iter().any(|item| item == block)
    };
    assert!(in_list("month_sources", &blocks[2]), "{}", blocks[2]);
    assert!(in_list("month_product_lines", &blocks[3]), "{}", blocks[3]);
    assert_eq!(blocks[4], r["year"]);
    assert_eq!(blocks[5], r["warnings"]);
}

proptest! {
    #[test]
    fn no_text_makes_the_reader_panic(text in "\\PC{0,200}") {
        let _ = parse_plan_file(&text);
    }

    #[test]
    fn no_damage_to_a_real_file_makes_the_reader_panic(
        at in 0_usize..2000,
        cut in 0_usize..40,
        insert in "[\\[\\]{}:,\"0-9.eE+-]{0,5}|null|true|-1|1e400|\"x\"",
    ) {
        let at = at.min(EXAMPLE.len());
        let end = (at + cut).min(EXAMPLE.len());
        if EXAMPLE.is_char_boundary(at) && EXAMPLE.is_char_boundary(end) {
            let damaged = format!("{}{insert}{}", &EXAMPLE[..at], &EXAMPLE[end..]);
            if let Err(errors) = parse_plan_file(&damaged) {
                prop_assert!(!errors.is_empty());
                prop_assert!(errors.iter().all(|e| e.path.starts_with('$')));
            }
        }
    }
}
