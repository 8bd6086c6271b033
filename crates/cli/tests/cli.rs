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
    for sub in [
        "new",
        "info",
        "check",
        "plan",
        "compare",
        "import",
        "meeting",
        "report",
        "demo-export",
    ] {
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

// ---- leadplan report ----------------------------------------------------------------------

mod report {
    use std::path::{Path, PathBuf};
    use std::process::Command as Process;

    use calamine::{Data, Reader, Xlsx, open_workbook};
    use leadplan_core::{Locale, format};
    use serde_json::Value;

    use super::{demo_workbook, leadplan, this_year};

    /// The figures are compared as of one fixed day, the same for every command.
    fn today() -> String {
        chrono::Utc::now().format("%Y-%m-%d").to_string()
    }

    const EN: Locale = Locale::En;

    fn compare_json(wb: &Path) -> Value {
        let out = leadplan()
            .arg("compare")
            .arg(wb)
            .args(["--year", &this_year(), "--today", &today(), "--json"])
            .assert()
            .success();
        serde_json::from_slice(&out.get_output().stdout).unwrap()
    }

    fn report(wb: &Path, out: &Path, extra: &[&str]) -> String {
        let done = leadplan()
            .arg("report")
            .arg(wb)
            .args(["--year", &this_year(), "--today", &today()])
            .args(extra)
            .arg("--out")
            .arg(out)
            .assert()
            .success();
        String::from_utf8(done.get_output().stdout.clone()).unwrap()
    }

    /// Runs a poppler tool (installed by the Makefile's deps).
    fn poppler(tool: &str, args: &[&str]) -> String {
        let out = Process::new(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{tool} (poppler-utils) could not be run: {e}"));
        assert!(out.status.success(), "{tool} {args:?} failed");
        String::from_utf8(out.stdout)
            .unwrap()
            .replace('\u{a0}', " ")
    }

    fn page_text(pdf: &Path, page: usize) -> String {
        let n = page.to_string();
        poppler(
            "pdftotext",
            &["-layout", "-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"],
        )
    }

    fn pages(pdf: &Path) -> usize {
        let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
        let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
        line.split_whitespace().last().unwrap().parse().unwrap()
    }

    fn f(v: &Value) -> f64 {
        v.as_f64().unwrap()
    }

    /// Money in the JSON is integer cents; the report shows currency units.
    fn units(v: &Value) -> f64 {
        v.as_f64().unwrap() / 100.0
    }

    /// The five KPI rows as the report writes them, each figure formatted independently
    /// from the `compare --json` numbers with leadplan_core::format (leads and money without
    /// decimals, shares with one).
    fn expected_kpi_rows(k: &Value) -> Vec<(&'static str, Vec<String>)> {
        let n = |v: &Value| format::number(f(v), 0, EN);
        let p = |v: &Value| format::percent(f(v), 1, EN);
        let m = |v: &Value| format::money(units(v), "EUR", 0, EN);
        let (l, c, s, cps, fc) = (
            &k["leads_vs_plan"],
            &k["conversion_vs_floor"],
            &k["spend_vs_budget"],
            &k["cost_per_sale"],
            &k["forecast_gap"],
        );
        let word = |status: &Value| match status.as_str().unwrap() {
            "ok" => "On track",
            "warn" => "Needs attention",
            _ => "Off track",
        };
        vec![
            (
                "Leads vs plan",
                vec![
                    n(&l["actual"]),
                    n(&l["planned_to_date"]),
                    p(&l["attainment"]),
                    word(&l["status"]).into(),
                ],
            ),
            (
                "Conversion vs floor",
                vec![p(&c["actual"]), p(&c["floor"]), word(&c["status"]).into()],
            ),
            (
                "Spend vs budget",
                vec![
                    m(&s["actual"]),
                    m(&s["budget_to_date"]),
                    p(&s["share_of_budget"]),
                    word(&s["status"]).into(),
                ],
            ),
            (
                "Cost per sale vs plan",
                vec![
                    m(&cps["actual"]),
                    m(&cps["planned"]),
                    p(&cps["ratio"]),
                    word(&cps["status"]).into(),
                ],
            ),
            (
                "Forecast sales vs target",
                vec![
                    n(&fc["forecast_sales"]),
                    n(&fc["target_sales"]),
                    p(&fc["attainment"]),
                    word(&fc["status"]).into(),
                ],
            ),
        ]
    }

    fn setup() -> (tempfile::TempDir, PathBuf, Value) {
        let dir = tempfile::tempdir().unwrap();
        let wb = demo_workbook(dir.path());
        let json = compare_json(&wb);
        (dir, wb, json)
    }

    #[test]
    fn the_pdf_report_shows_the_kpis_of_compare_json_on_a_one_page_summary_with_the_font_embedded()
    {
        let (dir, wb, json) = setup();
        let pdf = dir.path().join("report.pdf");
        let said = report(&wb, &pdf, &[]);
        let count = pages(&pdf);
        assert!(said.contains(&format!("({count} pages)")), "{said}");
        assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF-"));

        // cover, contents, then the summary on page 3, whole on that one page
        let cover = page_text(&pdf, 1);
        assert!(cover.contains("Van Dijk Auto Group"), "{cover}");
        assert!(
            cover.contains(&format!("Jan–Dec {}", this_year())),
            "{cover}"
        );
        let contents = page_text(&pdf, 2);
        for part in [
            "Summary",
            "Charts",
            "By source",
            "Plan and actuals per month",
            "Data quality",
            "Open action items",
            "Definitions not yet agreed",
        ] {
            assert!(contents.contains(part), "contents lack {part}:\n{contents}");
        }
        assert!(
            contents
                .lines()
                .any(|l| l.starts_with("Summary") && l.trim_end().ends_with(" 3"))
        );
        let summary = page_text(&pdf, 3);
        for heading in [
            "Key figures",
            "The three largest gaps",
            "Forecast",
            "Leads per remaining month",
        ] {
            assert!(
                summary.contains(heading),
                "page 3 lacks {heading}:\n{summary}"
            );
        }
        for (label, figures) in expected_kpi_rows(&json["kpis"]) {
            let line = summary
                .lines()
                .find(|l| l.trim_start().starts_with(label))
                .unwrap_or_else(|| panic!("no line {label:?} in:\n{summary}"));
            // the figures stand in this order on the KPI's line
            let mut rest = &line[label.len()..];
            for figure in &figures {
                let at = rest
                    .find(figure.as_str())
                    .unwrap_or_else(|| panic!("{label}: {figure:?} missing from {line:?}"));
                rest = &rest[at + figure.len()..];
            }
        }
        // every page after the cover is numbered out of the true count
        let last = page_text(&pdf, count);
        assert!(last.contains(&format!("Page {count} of {count}")), "{last}");
        // the bundled font, embedded (as a subset), regular and bold
        let fonts = poppler("pdffonts", &[pdf.to_str().unwrap()]);
        for name in ["DejaVuSans ", "DejaVuSans-Bold "] {
            let line = fonts
                .lines()
                .find(|l| l.contains(&format!("+{name}")))
                .unwrap_or_else(|| panic!("{name} not in\n{fonts}"));
            let columns: Vec<&str> = line.split_whitespace().collect();
            assert_eq!(
                &columns[columns.len() - 5..columns.len() - 2],
                ["yes", "yes", "yes"],
                "{line}"
            );
        }
        assert_eq!(
            fonts.lines().count(),
            4,
            "only the two bundled fonts:\n{fonts}"
        );
        let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains("595.276 x 841.89 pts (A4)"), "{info}");
    }

    #[test]
    fn the_letter_report_of_a_template_has_the_templates_parts_only() {
        let (dir, wb, _) = setup();
        let pdf = dir.path().join("monthly.pdf");
        report(
            &wb,
            &pdf,
            &["--template", "Monthly management report", "--letter"],
        );
        let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
        assert!(info.contains("612 x 792 pts (letter)"), "{info}");
        let contents = page_text(&pdf, 2);
        assert!(
            contents.contains("Summary") && contents.contains("Data quality"),
            "{contents}"
        );
        // the demo template leaves the monthly detail out
        assert!(
            !contents.contains("Plan and actuals per month"),
            "{contents}"
        );
    }

    fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
        match range.get((row, col)) {
            Some(Data::Float(x)) => *x,
            #[allow(clippy::cast_precision_loss)]
            Some(Data::Int(x)) => *x as f64,
            other => panic!("({row}, {col}) is not a number: {other:?}"),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * b.abs().max(1.0)
    }

    #[test]
    fn the_excel_report_holds_the_kpis_of_compare_json_as_numbers_and_the_plan_and_actuals() {
        let (dir, wb, json) = setup();
        let path = dir.path().join("report.xlsx");
        report(&wb, &path, &[]);
        let mut book: Xlsx<_> = open_workbook(&path).unwrap();
        let names = book.sheet_names();
        for sheet in [
            "Key figures",
            "Plan per month and source",
            "Actuals per month and source",
        ] {
            assert!(
                names.iter().any(|n| n == sheet),
                "no sheet {sheet}: {names:?}"
            );
        }
        let kpis = book.worksheet_range("Key figures").unwrap();
        let k = &json["kpis"];
        // rows 1..=5 below the header; columns: figure, actual, plan, share, status
        let expected = [
            (
                1,
                f(&k["leads_vs_plan"]["actual"]),
                f(&k["leads_vs_plan"]["planned_to_date"]),
                Some(f(&k["leads_vs_plan"]["attainment"])),
            ),
            (
                2,
                f(&k["conversion_vs_floor"]["actual"]),
                f(&k["conversion_vs_floor"]["floor"]),
                None,
            ),
            (
                3,
                units(&k["spend_vs_budget"]["actual"]),
                units(&k["spend_vs_budget"]["budget_to_date"]),
                Some(f(&k["spend_vs_budget"]["share_of_budget"])),
            ),
            (
                4,
                units(&k["cost_per_sale"]["actual"]),
                units(&k["cost_per_sale"]["planned"]),
                Some(f(&k["cost_per_sale"]["ratio"])),
            ),
            (
                5,
                f(&k["forecast_gap"]["forecast_sales"]),
                f(&k["forecast_gap"]["target_sales"]),
                Some(f(&k["forecast_gap"]["attainment"])),
            ),
        ];
        for (row, actual, plan, share) in expected {
            assert!(
                close(cell(&kpis, row, 1), actual),
                "row {row}: {} vs {actual}",
                cell(&kpis, row, 1)
            );
            assert!(close(cell(&kpis, row, 2), plan), "row {row}");
            if let Some(share) = share {
                assert!(close(cell(&kpis, row, 3), share), "row {row}");
            }
        }
        // the actuals sheet adds up to the leads of the comparison
        let actuals = book
            .worksheet_range("Actuals per month and source")
            .unwrap();
        let rows = actuals.height();
        let leads: f64 = (1..rows - 1).map(|r| cell(&actuals, r, 2)).sum();
        assert!(
            close(leads, f(&json["total"]["figures"]["leads"]["actual"])),
            "{leads}"
        );
        assert!(close(cell(&actuals, rows - 1, 2), leads));
        // the plan sheet: 12 months × 8 sources, adding up to the plan's leads of the year
        let plan_json = leadplan()
            .args(["plan", "show"])
            .arg(&wb)
            .args(["--year", &this_year(), "--json"])
            .assert()
            .success();
        let plan: Value = serde_json::from_slice(&plan_json.get_output().stdout).unwrap();
        let sheet = book.worksheet_range("Plan per month and source").unwrap();
        assert_eq!(sheet.height(), 1 + 96 + 1);
        let needed: f64 = (1..=96).map(|r| cell(&sheet, r, 2)).sum();
        assert!(
            (needed - f(&plan["year"]["leads"])).abs() < 1e-6,
            "{needed}"
        );
    }

    #[test]
    fn the_csv_report_is_one_file_per_table_that_parses_back_to_the_kpis() {
        let (dir, wb, json) = setup();
        let said = report(&wb, &dir.path().join("march.csv"), &[]);
        assert!(said.starts_with("Wrote 10 files:"), "{said}");
        let bytes = std::fs::read(dir.path().join("march-kpis.csv")).unwrap();
        assert!(
            bytes.starts_with(b"\xEF\xBB\xBF"),
            "UTF-8 with a byte-order mark"
        );
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(&bytes[3..])
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert_eq!(
            rows[0],
            [
                "Figure",
                "Actual",
                "Plan, floor or target",
                "Share",
                "Status"
            ]
        );
        let k = &json["kpis"];
        let num = |s: &str| s.parse::<f64>().unwrap();
        assert_eq!(rows[1][0], "Leads vs plan");
        assert!(close(num(&rows[1][1]), f(&k["leads_vs_plan"]["actual"])));
        assert!(close(
            num(&rows[1][2]),
            f(&k["leads_vs_plan"]["planned_to_date"])
        ));
        assert!(close(
            num(&rows[1][3]),
            f(&k["leads_vs_plan"]["attainment"])
        ));
        assert!(close(
            num(&rows[3][1]),
            units(&k["spend_vs_budget"]["actual"])
        ));
        assert!(close(
            num(&rows[5][2]),
            f(&k["forecast_gap"]["target_sales"])
        ));
        for table in [
            "sources_leads",
            "sources_cost",
            "sources_follow_up",
            "plan",
            "actuals",
        ] {
            assert!(
                dir.path().join(format!("march-{table}.csv")).exists(),
                "{table}"
            );
        }
    }

    #[test]
    fn charts_are_written_as_png_into_a_folder_or_one_as_svg() {
        let (dir, wb, _) = setup();
        let folder = dir.path().join("charts");
        std::fs::create_dir(&folder).unwrap();
        report(&wb, &folder, &["--format", "png"]);
        let written = std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(written, 10);
        let file = std::fs::File::open(folder.join("leads_plan_vs_actual.png")).unwrap();
        let decoder = png::Decoder::new(std::io::BufReader::new(file));
        let reader = decoder.read_info().unwrap();
        // the 960 × 540 chart at twice its size
        assert_eq!((reader.info().width, reader.info().height), (1920, 1080));
        let svg = dir.path().join("funnel.svg");
        report(&wb, &svg, &["--chart", "funnel_by_source"]);
        let text = std::fs::read_to_string(&svg).unwrap();
        assert!(text.starts_with("<svg") && text.contains(r#"data-chart="funnel_by_source""#));
    }

    #[test]
    fn a_failing_report_says_why_exits_non_zero_and_leaves_the_previous_file_as_it_was() {
        let (dir, wb, _) = setup();
        let pdf = dir.path().join("report.pdf");
        std::fs::write(&pdf, b"last month").unwrap();
        let cases: [(&[&str], &str); 5] = [
            (&["--source", "Fax"], "no source named \"Fax\""),
            (&["--version", "Nope"], "no plan version \"Nope\""),
            (
                &["--template", "Weekly"],
                "no report template named \"Weekly\"",
            ),
            (
                &["--sections", "summary,gossip"],
                "\"gossip\" is not a part",
            ),
            (
                &["--chart", "leads_plan_vs_actual"],
                "--chart: only for .svg and .png",
            ),
        ];
        for (extra, message) in cases {
            leadplan()
                .arg("report")
                .arg(&wb)
                .args(["--year", &this_year(), "--today", &today()])
                .args(extra)
                .arg("--out")
                .arg(&pdf)
                .assert()
                .failure()
                .stderr(predicates::str::contains(message));
            assert_eq!(std::fs::read(&pdf).unwrap(), b"last month", "{extra:?}");
        }
        leadplan()
            .arg("report")
            .arg(&wb)
            .args(["--year", "1999", "--out"])
            .arg(&pdf)
            .assert()
            .failure()
            .stderr(predicates::str::contains("1999 has no plan versions"));
        leadplan()
            .arg("report")
            .arg(&wb)
            .args(["--year", &this_year(), "--out"])
            .arg(dir.path().join("report.docx"))
            .assert()
            .failure()
            .stderr(predicates::str::contains("the format cannot be told"));
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| !n.starts_with("demo.leadplan"))
            .collect();
        assert_eq!(left, ["report.pdf"], "no partial file is left behind");
    }
}

#[test]
fn a_second_process_writing_during_an_import_waits_or_is_told_the_workbook_is_busy_and_nothing_breaks()
 {
    let dir = tempfile::tempdir().unwrap();
    let wb = demo_workbook(dir.path());
    let csv = dir.path().join("big.csv");
    leadplan()
        .args([
            "demo-export",
            "--leads",
            "150000",
            "--seed",
            "4",
            "--year",
            "2025",
        ])
        .arg(&csv)
        .assert()
        .success();
    let plan = dir.path().join("plan.json");
    leadplan()
        .args(["plan", "export"])
        .arg(&wb)
        .args(["--year", &this_year(), "--out"])
        .arg(&plan)
        .assert()
        .success();
    let count = |wb: &std::path::Path| -> u64 {
        let out = leadplan()
            .arg("info")
            .arg(wb)
            .arg("--json")
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        serde_json::from_slice::<serde_json::Value>(&out).unwrap()["overview"]["lead_count"]
            .as_u64()
            .unwrap()
    };
    let before = count(&wb);

    let bin = assert_cmd::cargo::cargo_bin("leadplan");
    let mut import = std::process::Command::new(&bin)
        .arg("import")
        .arg(&wb)
        .arg(&csv)
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(700));
    // a reader is never blocked by the writer
    assert!(count(&wb) >= before);
    // a second writer waits for the import, or gives up with a clear message
    let second = leadplan()
        .args(["plan", "import"])
        .arg(&wb)
        .arg(&plan)
        .args(["--version", "While importing"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert!(
        second.status.success() || stderr.contains("busy"),
        "{stderr}"
    );
    assert!(import.wait().unwrap().success());

    assert_eq!(count(&wb), before + 150_000, "the import is complete");
    assert_eq!(integrity(&wb), "ok");
    let versions = leadplan()
        .args(["plan", "show"])
        .arg(&wb)
        .args([
            "--year",
            &this_year(),
            "--version",
            "While importing",
            "--json",
        ])
        .output()
        .unwrap();
    assert_eq!(
        versions.status.success(),
        second.status.success(),
        "the plan version exists exactly when its import said so"
    );
}

/// What `leadplan check` says of a workbook.
fn integrity(path: &std::path::Path) -> String {
    let out = leadplan().arg("check").arg(path).output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}
