#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The `leadplan` binary, run as a user runs it.

use assert_cmd::Command;
use predicates::prelude::*;

fn leadplan() -> Command {
    Command::cargo_bin("leadplan").unwrap()
}

#[test]
fn help_lists_every_subcommand() {
    let out = leadplan()
        .arg("--help")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    for sub in ["new", "info", "plan", "demo-export"] {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(sub)),
            "--help lacks {sub}:\n{text}"
        );
    }
}

#[test]
fn a_demo_workbook_is_created_and_described() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.leadplan");
    leadplan()
        .arg("new")
        .arg(&file)
        .arg("--demo")
        .assert()
        .success()
        .stdout(predicate::str::contains("Created"));
    let out = leadplan()
        .arg("info")
        .arg(&file)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("Organisation   Van Dijk Auto Group"),
        "{text}"
    );
    assert!(text.contains("Sources        8"), "{text}");
    assert!(text.contains("Product lines  5"), "{text}");
    assert!(
        text.contains("Marktplaats") && text.contains("Aster e-Cross"),
        "{text}"
    );
    // the lead count printed equals the one in the JSON form
    let json = leadplan()
        .arg("info")
        .arg(&file)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let value: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let count = value["overview"]["lead_count"].as_u64().unwrap();
    assert!(count > 5_000);
    let years = value["overview"]["years"].as_array().unwrap();
    assert_eq!(years.len(), 2);
    let leads_line = text.lines().find(|l| l.starts_with("Leads")).unwrap();
    assert_eq!(
        leads_line
            .split_whitespace()
            .last()
            .unwrap()
            .replace(',', ""),
        count.to_string()
    );
}

#[test]
fn creating_over_an_existing_file_fails_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.leadplan");
    std::fs::write(&file, "keep me").unwrap();
    leadplan()
        .arg("new")
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}

#[test]
fn info_on_a_file_that_is_not_a_workbook_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("notes.leadplan");
    std::fs::write(&file, "hello").unwrap();
    leadplan()
        .arg("info")
        .arg(&file)
        .assert()
        .failure()
        .stderr(predicate::str::contains("not a Leadplan workbook"));
}

#[test]
fn demo_export_writes_the_asked_number_of_leads() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("leads.csv");
    leadplan()
        .args([
            "demo-export",
            "--leads",
            "250",
            "--seed",
            "9",
            "--year",
            "2025",
        ])
        .arg(&file)
        .assert()
        .success();
    let text = std::fs::read_to_string(&file).unwrap();
    assert_eq!(text.lines().count(), 251);
    assert!(text.starts_with("external_id,created_at,source,product_line,"));
}

fn demo_workbook(dir: &std::path::Path) -> std::path::PathBuf {
    let file = dir.join("demo.leadplan");
    leadplan()
        .arg("new")
        .arg(&file)
        .arg("--demo")
        .assert()
        .success();
    file
}

fn this_year() -> String {
    chrono::Utc::now().format("%Y").to_string()
}

#[test]
fn plan_show_json_prints_the_computed_plan_whose_totals_add_up() {
    let dir = tempfile::tempdir().unwrap();
    let wb = demo_workbook(dir.path());
    let out = leadplan()
        .args(["plan", "show"])
        .arg(&wb)
        .args(["--year", &this_year(), "--json"])
        .assert()
        .success();
    let plan: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let sources = plan["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 8);
    let sum: f64 = sources.iter().map(|s| s["leads"].as_f64().unwrap()).sum();
    let total = plan["year"]["leads"].as_f64().unwrap();
    assert!((sum - total).abs() < 1e-6 * total, "{sum} vs {total}");
    assert!(
        plan["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["kind"] == "stock_cap")
    );
    let text = leadplan()
        .args(["plan", "show"])
        .arg(&wb)
        .args(["--year", &this_year()])
        .assert()
        .success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("Marktplaats") && text.contains("stock cap: Aster e-Cross"),
        "{text}"
    );
    leadplan()
        .args(["plan", "show"])
        .arg(&wb)
        .args(["--year", "1999"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("1999 has no plan versions"));
}

#[test]
fn a_plan_file_with_three_planted_errors_reports_all_three_and_leaves_the_workbook_byte_identical()
{
    let dir = tempfile::tempdir().unwrap();
    let wb = demo_workbook(dir.path());
    let exported = dir.path().join("plan.json");
    leadplan()
        .args(["plan", "export"])
        .arg(&wb)
        .args(["--year", &this_year(), "--out"])
        .arg(&exported)
        .assert()
        .success();
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    plan["version_name"] = "Broken".into();
    plan["sources"][1]["cost_per_lead"] = (-5.0).into(); // 1: negative money
    plan["sources"][3]["close_rate"] = 1.5.into(); // 2: a rate over 100 %
    plan["launches"][0]["product_line"] = "Aster Hover".into(); // 3: no such product line
    let broken = dir.path().join("broken.json");
    std::fs::write(&broken, serde_json::to_string_pretty(&plan).unwrap()).unwrap();

    let before = std::fs::read(&wb).unwrap();
    let out = leadplan()
        .args(["plan", "import"])
        .arg(&wb)
        .arg(&broken)
        .assert()
        .failure();
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("3 problem(s), nothing was imported"),
        "{stderr}"
    );
    for path in [
        "$.sources[1].cost_per_lead",
        "$.sources[3].close_rate",
        "$.launches[0].product_line",
    ] {
        assert!(stderr.contains(path), "{path} missing from:\n{stderr}");
    }
    assert_eq!(
        std::fs::read(&wb).unwrap(),
        before,
        "the workbook must be byte-identical"
    );

    // the untouched export imports as a new draft
    leadplan()
        .args(["plan", "import"])
        .arg(&wb)
        .arg(&exported)
        .args(["--version", "Imported"])
        .assert()
        .success()
        .stdout(predicate::str::contains("as ").and(predicate::str::contains("Imported (draft)")));
    let a = leadplan()
        .args(["plan", "show"])
        .arg(&wb)
        .args(["--year", &this_year(), "--json"])
        .assert()
        .success();
    let b = leadplan()
        .args(["plan", "show"])
        .arg(&wb)
        .args(["--year", &this_year(), "--version", "Imported", "--json"])
        .assert()
        .success();
    let a: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&b.get_output().stdout).unwrap();
    assert_eq!(a["year"]["leads"], b["year"]["leads"]);
}
