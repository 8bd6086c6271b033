#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Importing CRM exports into a real workbook file: exact counts per month and source,
//! re-imports that update by external id, undo, all-or-nothing, cancel, remembered mappings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeZone, Utc};
use leadplan_core::{Money, Settings, SourceAssumptions, SourceKind, Stage};
use leadplan_import::{ColumnMapping, FindingKind, Flow, ImportOptions, TargetField};
use leadplan_workbook::{
    ImportMode, ImportRequest, NewProductLine, NewSource, Workbook, WorkbookError,
};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/import")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0).unwrap()
}

fn workbook(dir: &Path) -> (PathBuf, Workbook) {
    let path = dir.join("import.leadplan");
    let mut wb = Workbook::create(&path, &Settings::default()).unwrap();
    let defaults = SourceAssumptions {
        cost_per_lead: Money::from_units(10),
        fixed_monthly_cost: Money::ZERO,
        contact_rate: 1.0,
        appointment_rate: 1.0,
        close_rate: 0.2,
        direct_conversion: None,
    };
    for name in ["Website", "Marktplaats", "mobile.de", "Walk-in"] {
        wb.add_source(&NewSource {
            name: name.into(),
            kind: SourceKind::Paid,
            defaults: defaults.clone(),
        })
        .unwrap();
    }
    for name in ["Golf", "Polo", "Tiguan"] {
        wb.add_product_line(&NewProductLine {
            name: name.into(),
            segment: String::new(),
            avg_revenue: Money::ZERO,
            avg_margin: Money::ZERO,
        })
        .unwrap();
    }
    (path, wb)
}

fn request(name: &str, mode: ImportMode) -> ImportRequest {
    ImportRequest {
        file_name: name.into(),
        options: ImportOptions::default(),
        mode,
        add_unknown_sources: false,
        dry_run: false,
    }
}

/// Leads per (created month, source name).
fn counts(wb: &Workbook) -> BTreeMap<(String, String), usize> {
    let names: BTreeMap<i64, String> = wb
        .sources()
        .unwrap()
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let mut out = BTreeMap::new();
    for l in wb.leads_created_between(0, 999_999).unwrap() {
        let source = l
            .source_id
            .map_or_else(|| "-".to_owned(), |id| names[&id].clone());
        *out.entry((l.created_at.format("%Y-%m").to_string(), source))
            .or_insert(0) += 1;
    }
    out
}

fn expected(rows: &[(&str, &str, usize)]) -> BTreeMap<(String, String), usize> {
    rows.iter()
        .map(|(m, s, n)| (((*m).to_owned(), (*s).to_owned()), *n))
        .collect()
}

#[test]
fn a_crm_export_lands_with_exact_counts_per_month_and_source_and_stages() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = workbook(dir.path());
    let summary = wb
        .import_leads(
            &fixture("leadplan.csv"),
            &request("leadplan.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(summary.imported);
    assert_eq!((summary.new, summary.updated, summary.unchanged), (8, 0, 0));
    // 1001 1003 Website, 1002 Marktplaats in January (1003 at 23:15 UTC on the 31st);
    // 1004 mobile.de, 1005 Marktplaats, 1006 Website in February; 1007 Walk-in, 1008
    // mobile.de in March
    assert_eq!(
        counts(&wb),
        expected(&[
            ("2026-01", "Marktplaats", 1),
            ("2026-01", "Website", 2),
            ("2026-02", "Marktplaats", 1),
            ("2026-02", "Website", 1),
            ("2026-02", "mobile.de", 1),
            ("2026-03", "Walk-in", 1),
            ("2026-03", "mobile.de", 1),
        ])
    );
    let stages: Vec<(String, Stage)> = wb
        .leads_created_between(0, 999_999)
        .unwrap()
        .into_iter()
        .map(|l| (l.external_id, l.stage))
        .collect();
    assert_eq!(
        stages,
        [
            ("1001".to_owned(), Stage::Won),
            ("1002".to_owned(), Stage::Lost),
            ("1003".to_owned(), Stage::Appointment),
            ("1004".to_owned(), Stage::Offer),
            ("1005".to_owned(), Stage::New),
            ("1006".to_owned(), Stage::Contacted),
            ("1007".to_owned(), Stage::Won),
            ("1008".to_owned(), Stage::Lost),
        ]
    );
    let record = &wb.imports().unwrap()[0];
    assert_eq!(
        (
            record.rows_read,
            record.rows_imported,
            record.rows_rejected,
            record.new
        ),
        (8, 8, 0, 8)
    );
    assert!(record.can_undo);
    assert_eq!(record.sha256.len(), 64);
}

#[test]
fn the_same_file_twice_adds_nothing_and_an_overlapping_export_updates_by_id_and_undoes_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = workbook(dir.path());
    let file = fixture("leadplan.csv");
    wb.import_leads(
        &file,
        &request("first.csv", ImportMode::AllOrNothing),
        now(),
        |_| Flow::Continue,
    )
    .unwrap();
    let after_first = counts(&wb);
    let again = wb
        .import_leads(
            &file,
            &request("again.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!((again.new, again.updated, again.unchanged), (0, 0, 8));
    assert_eq!(wb.lead_count().unwrap(), 8);

    // the next export: 1005 was called meanwhile, 1009 is new
    let text = String::from_utf8(file).unwrap();
    let text = text.replace(
        "1005,2026-02-14T11:11:00Z,Marktplaats,Polo,,,0,new,,,,,",
        "1005,2026-02-14T11:11:00Z,Marktplaats,Polo,2026-02-14T12:00:00Z,,1,contacted,,,,,Ben",
    ) + "1009,2026-03-20T10:00:00Z,Website,Golf,2026-03-20T10:05:00Z,,1,contacted,,,,,Anna\n";
    let overlap = wb
        .import_leads(
            text.as_bytes(),
            &request("overlap.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert_eq!((overlap.new, overlap.updated, overlap.unchanged), (1, 1, 7));
    let lead_1005 = |wb: &Workbook| {
        wb.leads_created_between(0, 999_999)
            .unwrap()
            .into_iter()
            .find(|l| l.external_id == "1005")
            .unwrap()
    };
    assert_eq!(lead_1005(&wb).stage, Stage::Contacted);
    assert_eq!(wb.lead_count().unwrap(), 9);

    let imports = wb.imports().unwrap();
    assert!(
        imports[0].can_undo && !imports[1].can_undo,
        "only the latest import can be undone"
    );
    assert!(wb.undo_import(imports[1].id, now()).is_err());
    wb.undo_import(overlap.import_id.unwrap(), now()).unwrap();
    assert_eq!(
        counts(&wb),
        after_first,
        "undo restores the previous counts exactly"
    );
    assert_eq!(lead_1005(&wb).stage, Stage::New);
    assert_eq!(lead_1005(&wb).attempts, 0);
    assert!(wb.imports().unwrap()[0].undone_at.is_some());
}

/// A large re-import mixes leads the workbook has (unchanged or changed) with new ones in the
/// same batches: the counts, the leads and the rollups come out as if the final export had
/// been imported once into an empty workbook, and undo restores the first state.
#[test]
fn a_large_overlapping_export_counts_new_updated_and_unchanged_like_a_fresh_import() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = workbook(dir.path());
    let mut csv = Vec::new();
    leadplan_workbook::demo::write_demo_csv(&mut csv, 1000, 5, 2025).unwrap();
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // the header and the first 600 leads
    let first = lines[..601].join("\n") + "\n";
    // all 1000 leads, five of the first 600 with another owner
    let changed = [11, 100, 333, 580, 600];
    let later: String = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            if changed.contains(&i) {
                format!("{},Somebody Else\n", line.rsplit_once(',').unwrap().0)
            } else {
                format!("{line}\n")
            }
        })
        .collect();
    let import = |wb: &mut Workbook, body: &str| {
        wb.import_leads(
            body.as_bytes(),
            &request("export.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap()
    };
    let once = import(&mut wb, &first);
    assert_eq!((once.new, once.updated, once.unchanged), (600, 0, 0));
    let after_first = (counts(&wb), wb.lead_counts(2025).unwrap());
    let again = import(&mut wb, &later);
    assert_eq!((again.new, again.updated, again.unchanged), (400, 5, 595));
    assert_eq!(wb.lead_count().unwrap(), 1000);

    let fresh_dir = tempfile::tempdir().unwrap();
    let (_, mut fresh) = workbook(fresh_dir.path());
    assert_eq!(import(&mut fresh, &later).new, 1000);
    assert_eq!(
        wb.leads_created_between(0, 999_999).unwrap(),
        fresh.leads_created_between(0, 999_999).unwrap()
    );
    assert_eq!(
        wb.lead_counts(2025).unwrap(),
        fresh.lead_counts(2025).unwrap()
    );

    wb.undo_import(again.import_id.unwrap(), now()).unwrap();
    assert_eq!((counts(&wb), wb.lead_counts(2025).unwrap()), after_first);
}

#[test]
fn five_planted_faults_import_nothing_and_leave_the_file_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let (path, wb) = workbook(dir.path());
    wb.close().unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut wb = Workbook::open(&path).unwrap();
    let summary = wb
        .import_leads(
            &fixture("planted_faults.csv"),
            &request("faults.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(!summary.imported);
    assert_eq!(summary.import_id, None);
    let errors: Vec<(u64, FindingKind)> = summary
        .report
        .findings
        .iter()
        .filter(|f| f.kind.severity() == leadplan_import::Severity::Error)
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(
        errors,
        [
            (3, FindingKind::InvalidDate),
            (5, FindingKind::NegativeAttempts),
            (8, FindingKind::DuplicateId),
            (9, FindingKind::WonBeforeCreation),
            (11, FindingKind::MissingExternalId),
        ]
    );
    assert_eq!(wb.lead_count().unwrap(), 0);
    assert!(wb.imports().unwrap().is_empty());
    wb.close().unwrap();
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the workbook must be byte-identical"
    );

    let mut wb = Workbook::open(&path).unwrap();
    let valid = wb
        .import_leads(
            &fixture("planted_faults.csv"),
            &request("faults.csv", ImportMode::ValidRowsOnly),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(valid.imported);
    assert_eq!(valid.new, 4);
    let ids: Vec<String> = wb
        .leads_created_between(0, 999_999)
        .unwrap()
        .into_iter()
        .map(|l| l.external_id)
        .collect();
    assert_eq!(ids, ["A1", "A3", "A5", "A7"]);
    let stored = wb.import_report(valid.import_id.unwrap()).unwrap();
    assert_eq!(stored.counts.rejected, 5);
}

#[test]
fn unknown_sources_are_left_empty_or_added_as_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = workbook(dir.path());
    let csv = format!(
        "{}\nX1,2026-05-01T10:00:00Z,AutoScout24,Golf,,,0,new,,,,,\n\
         X2,2026-05-02T10:00:00Z,autoscout24,Golf,,,0,new,,,,,\n",
        leadplan_workbook::demo::CSV_HEADER.join(",")
    );
    let summary = wb
        .import_leads(
            csv.as_bytes(),
            &request("x.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(
        summary
            .report
            .findings
            .iter()
            .any(|f| f.kind == FindingKind::UnknownSource)
    );
    assert!(
        wb.leads_created_between(0, 999_999)
            .unwrap()
            .iter()
            .all(|l| l.source_id.is_none())
    );
    wb.undo_import(summary.import_id.unwrap(), now()).unwrap();
    let mut add = request("x.csv", ImportMode::AllOrNothing);
    add.add_unknown_sources = true;
    let summary = wb
        .import_leads(csv.as_bytes(), &add, now(), |_| Flow::Continue)
        .unwrap();
    assert_eq!(summary.sources_added, ["AutoScout24"]);
    let id = wb
        .sources()
        .unwrap()
        .into_iter()
        .find(|s| s.name == "AutoScout24")
        .unwrap()
        .id;
    // both spellings name the one source added
    let leads = wb.leads_created_between(0, 999_999).unwrap();
    assert_eq!(leads.len(), 2);
    assert!(leads.iter().all(|l| l.source_id == Some(id)));
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = workbook(dir.path());
    let mut csv = Vec::new();
    leadplan_workbook::demo::write_demo_csv(&mut csv, 20_000, 3, 2025).unwrap();
    let mut calls = 0;
    let err = wb
        .import_leads(
            &csv,
            &request("big.csv", ImportMode::ValidRowsOnly),
            now(),
            |p| {
                calls += 1;
                assert!(p.rows_read > 0 && p.done <= p.total);
                Flow::Stop
            },
        )
        .unwrap_err();
    assert!(matches!(err, WorkbookError::Cancelled));
    assert_eq!(calls, 1);
    assert_eq!(wb.lead_count().unwrap(), 0);
    assert!(wb.imports().unwrap().is_empty());
}

#[test]
fn a_column_mapping_chosen_once_is_remembered_for_files_with_that_header() {
    let dir = tempfile::tempdir().unwrap();
    let (_, mut wb) = workbook(dir.path());
    let csv = "Ref;Opened;Channel;Car;Tries;Phase\nQ1;02.06.2026 09:30;Website;Polo;2;Gewonnen\n";
    let columns: BTreeMap<TargetField, String> = [
        (TargetField::ExternalId, "Ref"),
        (TargetField::CreatedAt, "Opened"),
        (TargetField::Source, "Channel"),
        (TargetField::ProductLine, "Car"),
        (TargetField::Attempts, "Tries"),
        (TargetField::Stage, "Phase"),
    ]
    .into_iter()
    .map(|(f, h)| (f, h.to_owned()))
    .collect();
    let mut first = request("custom.csv", ImportMode::AllOrNothing);
    first.options.mapping = Some(ColumnMapping {
        signature: None,
        columns,
    });
    let summary = wb
        .import_leads(csv.as_bytes(), &first, now(), |_| Flow::Continue)
        .unwrap();
    assert_eq!(summary.new, 1);
    assert_eq!(
        wb.leads_created_between(0, 999_999).unwrap()[0].stage,
        Stage::Won
    );
    let csv2 = "Ref;Opened;Channel;Car;Tries;Phase\nQ2;03.06.2026 10:00;Website;Golf;1;Neu\n";
    let second = wb
        .import_leads(
            csv2.as_bytes(),
            &request("custom2.csv", ImportMode::AllOrNothing),
            now(),
            |_| Flow::Continue,
        )
        .unwrap();
    assert!(
        second.imported,
        "the remembered mapping was used: {:?}",
        second.report.findings
    );
    assert_eq!(second.new, 1);
}

#[test]
fn every_import_is_preceded_by_a_backup_that_restores_the_workbook_as_it_was() {
    use leadplan_workbook::backup::{BackupReason, restore};
    let dir = tempfile::tempdir().unwrap();
    let (path, mut wb) = workbook(dir.path());
    wb.import_leads(
        &fixture("leadplan.csv"),
        &request("a.csv", ImportMode::AllOrNothing),
        now(),
        |_| Flow::Continue,
    )
    .unwrap();
    let backups = wb.backups().unwrap();
    assert_eq!(backups.len(), 1);
    assert_eq!(backups[0].reason, BackupReason::Import);
    let backup = PathBuf::from(&backups[0].path);
    wb.close().unwrap();
    restore(&path, &backup, now()).unwrap();
    let wb = Workbook::open(&path).unwrap();
    assert_eq!(
        wb.lead_count().unwrap(),
        0,
        "the backup holds the workbook before the import"
    );
    let reasons: Vec<BackupReason> = wb.backups().unwrap().iter().map(|b| b.reason).collect();
    assert!(
        reasons.contains(&BackupReason::Restore),
        "the restored-over file was backed up: {reasons:?}"
    );
    // a text file is not restored, and the workbook stays as it is
    let text = dir.path().join("notes.leadplan");
    std::fs::write(&text, "not a workbook").unwrap();
    wb.close().unwrap();
    assert!(restore(&path, &text, now()).is_err());
    assert_eq!(
        Workbook::open(&path).unwrap().settings().unwrap(),
        Settings::default()
    );
}

#[test]
fn only_the_newest_backups_are_kept() {
    use chrono::Duration;
    use leadplan_workbook::backup::{BackupReason, KEEP};
    let dir = tempfile::tempdir().unwrap();
    let (_, wb) = workbook(dir.path());
    for i in 0..(KEEP as i64 + 3) {
        wb.back_up(BackupReason::Manual, now() + Duration::minutes(i))
            .unwrap();
    }
    let backups = wb.backups().unwrap();
    assert_eq!(backups.len(), KEEP);
    assert_eq!(
        backups[0].taken_at,
        now() + Duration::minutes(KEEP as i64 + 2),
        "newest first"
    );
}

#[test]
fn what_an_interrupted_backup_left_is_removed_an_hour_later_but_not_sooner() {
    use std::fs;

    use chrono::Duration;
    use leadplan_workbook::backup::{BackupReason, backup_dir};
    let dir = tempfile::tempdir().unwrap();
    let (path, wb) = workbook(dir.path());
    let folder = backup_dir(&path);
    fs::create_dir_all(&folder).unwrap();
    // what a process killed while copying leaves, written at `at`
    let left = |name: &str, at: DateTime<Utc>| {
        let p = folder.join(name);
        let f = fs::File::create(&p).unwrap();
        f.set_modified(at.into()).unwrap();
        p
    };
    let old = left(".2026-01-01T00-00-00 import.leadplan.copying", now());
    let old_journal = left(
        ".2026-01-01T00-00-00 import.leadplan.copying-journal",
        now(),
    );
    let recent = left(
        ".2026-01-01T01-00-00 import.leadplan.copying",
        now() + Duration::minutes(30),
    );
    let other = left(".notes", now());

    wb.back_up(BackupReason::Manual, now() + Duration::minutes(61))
        .unwrap();
    assert!(
        !old.exists() && !old_journal.exists(),
        "older than an hour: removed"
    );
    assert!(
        recent.exists(),
        "31 minutes old: maybe another process's copy in progress"
    );
    assert!(other.exists(), "a file that is no copy is left alone");
    assert_eq!(wb.backups().unwrap().len(), 1);
}
