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
    for sub in ["new", "info", "demo-export"] {
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
