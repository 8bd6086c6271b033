#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Reading real-shaped exports end to end: every format and preset against the same
//! hand-counted expectations, planted faults, mappings, progress, cancel and spreadsheets.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use leadplan_core::{Money, Stage};
use leadplan_import::{
    ColumnMapping, DateOrder, DecimalSeparator, FileFormat, FindingKind, Flow, ImportError,
    ImportOptions, ImportedLead, LocalTime, MappingFile, Preset, Severity, TargetField,
    TextEncoding, header_signature, preview, read_leads, read_spend,
};
use proptest::prelude::*;
use rstest::rstest;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/../../tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

/// Leads per (year-month of creation, source).
fn per_month_and_source(leads: &[ImportedLead]) -> BTreeMap<(String, String), usize> {
    let mut out = BTreeMap::new();
    for l in leads {
        let month = format!("{}-{:02}", l.created_at.year(), l.created_at.month());
        let source = l.source.as_deref().unwrap_or_default().to_owned();
        *out.entry((month, source)).or_insert(0) += 1;
    }
    out
}

fn stages(leads: &[ImportedLead]) -> Vec<(&str, Stage)> {
    leads
        .iter()
        .map(|l| (l.external_id.as_str(), l.stage))
        .collect()
}

fn table(rows: &[(&str, &str, usize)]) -> BTreeMap<(String, String), usize> {
    rows.iter()
        .map(|(m, s, n)| (((*m).to_owned(), (*s).to_owned()), *n))
        .collect()
}

fn options_with_sources() -> ImportOptions {
    ImportOptions {
        known_sources: ["Website", "Marktplaats", "mobile.de", "Walk-in"]
            .map(String::from)
            .to_vec(),
        ..ImportOptions::default()
    }
}

fn read(bytes: &[u8], options: &ImportOptions) -> leadplan_import::LeadImport {
    read_leads(bytes, options, |_| Flow::Continue).unwrap()
}

// The eight leads of the shared fixtures, counted by hand:
// January:  1001 Website, 1002 Marktplaats, 1003 Website (23:15 on the 31st)
// February: 1004 mobile.de, 1005 Marktplaats, 1006 Website
// March:    1007 Walk-in, 1008 mobile.de
fn eight_leads_per_month_and_source() -> BTreeMap<(String, String), usize> {
    table(&[
        ("2026-01", "Marktplaats", 1),
        ("2026-01", "Website", 2),
        ("2026-02", "Marktplaats", 1),
        ("2026-02", "Website", 1),
        ("2026-02", "mobile.de", 1),
        ("2026-03", "Walk-in", 1),
        ("2026-03", "mobile.de", 1),
    ])
}

const EIGHT_STAGES: [(&str, Stage); 8] = [
    ("1001", Stage::Won),
    ("1002", Stage::Lost),
    ("1003", Stage::Appointment),
    ("1004", Stage::Offer),
    ("1005", Stage::New),
    ("1006", Stage::Contacted),
    ("1007", Stage::Won),
    ("1008", Stage::Lost),
];

#[rstest]
#[case::leadplan_utf8_comma(
    "leadplan.csv",
    Preset::Leadplan,
    TextEncoding::Utf8,
    ',',
    LocalTime::Utc
)]
#[case::leadplan_utf16_be(
    "leadplan_utf16be.csv",
    Preset::Leadplan,
    TextEncoding::Utf16Be,
    ',',
    LocalTime::Utc
)]
#[case::leadplan_tab_us_dates(
    "leadplan_tab_us.tsv",
    Preset::Leadplan,
    TextEncoding::Utf8Bom,
    '\t',
    LocalTime::Utc
)]
#[case::german_excel_1252("german_excel_1252.csv", Preset::GermanExport, TextEncoding::Windows1252, ';', LocalTime::EuropeanUnion { standard_offset_minutes: 60 })]
#[case::dutch_utf16_le_tab("dutch_unicode_text_utf16le.txt", Preset::DutchExport, TextEncoding::Utf16Le, '\t', LocalTime::EuropeanUnion { standard_offset_minutes: 60 })]
fn the_same_eight_leads_read_alike_in_every_format(
    #[case] name: &str,
    #[case] preset: Preset,
    #[case] encoding: TextEncoding,
    #[case] delimiter: char,
    #[case] local_time: LocalTime,
) {
    let options = ImportOptions {
        local_time,
        ..options_with_sources()
    };
    let import = read(&fixture(name), &options);
    let layout = &import.report.layout;
    assert_eq!(layout.preset, Some(preset));
    assert_eq!(layout.encoding, Some(encoding));
    assert_eq!(layout.delimiter, Some(delimiter));
    assert_eq!(
        per_month_and_source(&import.leads),
        eight_leads_per_month_and_source()
    );
    assert_eq!(stages(&import.leads), EIGHT_STAGES);
    let c = import.report.counts;
    assert_eq!((c.read, c.valid, c.rejected, c.duplicates), (8, 8, 0, 0));
    // 1005 (line 6) was never contacted; 1008 (line 9) was lost after 2 of 4 attempts
    let warnings: Vec<(u64, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(
        warnings,
        [
            (6, FindingKind::NeverContacted),
            (9, FindingKind::LostBelowSlaAttempts)
        ]
    );
    assert!(
        import
            .report
            .findings
            .iter()
            .all(|f| f.severity == Severity::Warning)
    );
    // 28500.00 and 1234.56 and 31990.50 in whatever notation the file uses
    let values: Vec<Option<Money>> = import.leads.iter().map(|l| l.value).collect();
    assert_eq!(values[0], Some(Money(2_850_000)));
    assert_eq!(values[3], Some(Money(123_456)));
    assert_eq!(values[6], Some(Money(3_199_050)));
    assert_eq!(import.leads[1].attempts, 5);
}

#[test]
fn german_local_times_become_utc_by_the_eu_rule_and_umlauts_survive() {
    let options = ImportOptions {
        local_time: LocalTime::EuropeanUnion {
            standard_offset_minutes: 60,
        },
        ..options_with_sources()
    };
    let import = read(&fixture("german_excel_1252.csv"), &options);
    let first = &import.leads[0];
    // 05.01.2026 09:00 CET = 08:00 UTC; won 20.01.2026 12:00 CET = 11:00 UTC
    assert_eq!(first.created_at, utc(2026, 1, 5, 8, 0));
    assert_eq!(first.won_at, Some(utc(2026, 1, 20, 11, 0)));
    assert_eq!(first.owner.as_deref(), Some("Anna Müller"));
    assert_eq!(import.leads[1].owner.as_deref(), Some("Jürgen Weiß"));
    assert_eq!(
        import.leads[1].lost_reason.as_deref(),
        Some("Kein Interesse – zu teuer")
    );
    // "Marktplaats.nl" and "Walk-In" resolve to the workbook's names
    assert_eq!(import.leads[1].source.as_deref(), Some("Marktplaats"));
    assert_eq!(import.leads[6].source.as_deref(), Some("Walk-in"));
    assert_eq!(import.report.layout.decimal, DecimalSeparator::Comma);
}

#[test]
fn leadplan_csv_is_utc_whatever_the_local_time_policy() {
    // the demo exporter writes "YYYY-MM-DD HH:MM:SS" in UTC
    let csv = format!(
        "{}\nCRM-2026-0000001,2026-07-01 10:00:00,Website,Golf,,,0,new,,,,,Anna\n",
        leadplan_import::LEADPLAN_HEADER.join(",")
    );
    let options = ImportOptions {
        local_time: LocalTime::EuropeanUnion {
            standard_offset_minutes: 60,
        },
        ..ImportOptions::default()
    };
    let import = read(csv.as_bytes(), &options);
    assert_eq!(import.leads[0].created_at, utc(2026, 7, 1, 10, 0));
}

#[test]
fn us_dates_are_detected_as_month_first_with_am_pm() {
    let import = read(&fixture("leadplan_tab_us.tsv"), &options_with_sources());
    assert_eq!(import.report.layout.date_order, DateOrder::MonthFirst);
    // 1/17/2026 2:30 PM
    assert_eq!(import.leads[1].created_at, utc(2026, 1, 17, 14, 30));
    assert_eq!(import.report.layout.decimal, DecimalSeparator::Point);
}

#[test]
fn five_planted_faults_yield_exactly_five_reports_on_their_lines() {
    let import = read(&fixture("planted_faults.csv"), &ImportOptions::default());
    let found: Vec<(u64, Option<&str>, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.column.as_deref(), f.kind))
        .collect();
    assert_eq!(
        found,
        [
            (3, Some("created_at"), FindingKind::InvalidDate),
            (5, Some("attempts"), FindingKind::NegativeAttempts),
            // the record on lines 6-7 has a quoted line break: the next one starts on 8
            (8, Some("external_id"), FindingKind::DuplicateId),
            (9, Some("won_at"), FindingKind::WonBeforeCreation),
            // line 10 is empty
            (11, Some("external_id"), FindingKind::MissingExternalId),
        ]
    );
    let c = import.report.counts;
    assert_eq!((c.read, c.valid, c.rejected, c.duplicates), (9, 4, 5, 1));
    let ids: Vec<(&str, u64)> = import
        .leads
        .iter()
        .map(|l| (l.external_id.as_str(), l.line))
        .collect();
    assert_eq!(ids, [("A1", 2), ("A3", 4), ("A5", 6), ("A7", 12)]);
    assert_eq!(import.leads[1].value, Some(Money(125_000)));
    assert_eq!(
        import.leads[2].lost_reason.as_deref(),
        Some("Customer said:\n\"bought a used car, elsewhere\"")
    );
    assert!(import.report.findings[2].message.contains("line 2"));
}

#[test]
fn hubspot_contacts_take_won_from_the_lifecycle_stage_and_the_rest_from_lead_status() {
    let import = read(&fixture("hubspot_contacts.csv"), &ImportOptions::default());
    assert_eq!(import.report.layout.preset, Some(Preset::HubspotContacts));
    assert_eq!(
        stages(&import.leads),
        [
            ("501", Stage::Won),
            ("502", Stage::New),
            ("503", Stage::Contacted),
            ("504", Stage::Lost),
            ("505", Stage::Contacted),
        ]
    );
    assert_eq!(
        per_month_and_source(&import.leads),
        table(&[
            ("2026-01", "Organic Search", 1),
            ("2026-01", "Paid Search", 1),
            ("2026-02", "Direct Traffic", 1),
            ("2026-02", "Offline Sources", 1),
            ("2026-02", "Paid Search", 1),
        ])
    );
    assert_eq!(import.leads[0].won_at, Some(utc(2026, 1, 25, 11, 0)));
    assert_eq!(import.leads[0].value, Some(Money(2_850_000)));
    // "Other" is no stage: listed for mapping, but the lead status decides the row
    let unknown: Vec<(TargetField, &str, u64, &[u64])> = import
        .report
        .unknown_values
        .iter()
        .map(|u| (u.field, u.value.as_str(), u.count, u.first_lines.as_slice()))
        .collect();
    assert_eq!(unknown, [(TargetField::Status, "Other", 1, &[5][..])]);
    // 502 never contacted (line 3), 504 lost after 1 attempt (line 5)
    let kinds: Vec<(u64, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (3, FindingKind::NeverContacted),
            (5, FindingKind::LostBelowSlaAttempts)
        ]
    );
}

#[test]
fn hubspot_deals_take_the_close_date_as_won_date_only_for_won_deals() {
    let import = read(&fixture("hubspot_deals.csv"), &ImportOptions::default());
    assert_eq!(import.report.layout.preset, Some(Preset::HubspotDeals));
    assert_eq!(
        stages(&import.leads),
        [
            ("9001", Stage::Won),
            ("9002", Stage::Lost),
            ("9003", Stage::Appointment),
            ("9004", Stage::Offer),
            ("9005", Stage::Contacted),
        ]
    );
    let won: Vec<Option<DateTime<Utc>>> = import.leads.iter().map(|l| l.won_at).collect();
    assert_eq!(won, [Some(utc(2026, 1, 30, 0, 0)), None, None, None, None]);
    assert_eq!(import.leads[3].value, Some(Money(2_200_050)));
    assert_eq!(
        import.leads[1].lost_reason.as_deref(),
        Some("Too expensive")
    );
    assert_eq!(
        per_month_and_source(&import.leads),
        table(&[
            ("2026-01", "Organic Search", 1),
            ("2026-01", "Paid Search", 1),
            ("2026-02", "Direct Traffic", 1),
            ("2026-02", "Paid Search", 1),
            ("2026-03", "Paid Search", 1),
        ])
    );
    assert!(
        import.report.findings.is_empty(),
        "{:?}",
        import.report.findings
    );
}

#[test]
fn salesforce_lead_reports_read_with_us_dates() {
    let import = read(&fixture("salesforce_leads.csv"), &ImportOptions::default());
    assert_eq!(import.report.layout.preset, Some(Preset::SalesforceLeads));
    assert_eq!(import.report.layout.date_order, DateOrder::MonthFirst);
    assert_eq!(
        stages(&import.leads),
        [
            ("00Q5g00000A1", Stage::New),
            ("00Q5g00000A2", Stage::Contacted),
            ("00Q5g00000A3", Stage::Offer),
            ("00Q5g00000A4", Stage::Lost),
        ]
    );
    assert_eq!(
        per_month_and_source(&import.leads),
        table(&[
            ("2026-01", "Phone Inquiry", 1),
            ("2026-01", "Web", 1),
            ("2026-02", "Partner Referral", 1),
            ("2026-02", "Web", 1),
        ])
    );
    assert_eq!(import.leads[1].created_at, utc(2026, 1, 28, 0, 0));
    assert_eq!(
        import.leads[0].product_line.as_deref(),
        Some("GC1000 series")
    );
    assert_eq!(import.leads[3].product_line, None);
}

#[test]
fn pipedrive_deals_let_the_status_override_the_pipeline_stage() {
    let options = ImportOptions {
        known_sources: vec!["Website".into(), "Marktplaats".into()],
        ..ImportOptions::default()
    };
    let import = read(&fixture("pipedrive_deals.csv"), &options);
    assert_eq!(import.report.layout.preset, Some(Preset::PipedriveDeals));
    assert_eq!(
        stages(&import.leads),
        [
            ("11", Stage::Won),
            ("12", Stage::Lost),
            ("13", Stage::Appointment),
            ("14", Stage::Offer)
        ]
    );
    assert_eq!(import.leads[0].won_at, Some(utc(2026, 1, 22, 14, 0)));
    assert_eq!(
        per_month_and_source(&import.leads),
        table(&[
            ("2026-01", "Marktplaats", 1),
            ("2026-01", "Website", 1),
            ("2026-02", "AutoScout24", 1),
            ("2026-02", "Website", 1)
        ])
    );
    let kinds: Vec<(u64, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (3, FindingKind::LostWithoutContactAttempt),
            (5, FindingKind::UnknownSource)
        ]
    );
    assert_eq!(import.report.unknown_values[0].value, "AutoScout24");
}

#[test]
fn pipedrive_leads_are_all_new_and_a_blank_source_is_reported() {
    let import = read(&fixture("pipedrive_leads.csv"), &ImportOptions::default());
    assert_eq!(import.report.layout.preset, Some(Preset::PipedriveLeads));
    assert!(import.leads.iter().all(|l| l.stage == Stage::New));
    assert_eq!(
        per_month_and_source(&import.leads),
        table(&[
            ("2026-03", "Marktplaats", 1),
            ("2026-03", "Website", 1),
            ("2026-04", "", 1)
        ])
    );
    assert_eq!(import.leads[1].value, Some(Money(1_250_000)));
    let kinds: Vec<(u64, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(kinds, [(4, FindingKind::NoSource)]);
}

#[test]
fn quoted_fields_keep_delimiters_and_line_breaks_and_crlf_counts_lines() {
    let csv = "external_id;created_at;lost_reason\r\n\
               1;2026-05-01;\"zu teuer; Kunde \"\"weg\"\"\r\nzweite Zeile\r\ndritte\"\r\n\
               2;2026-05-02;\r\n";
    let mapping: ColumnMapping = serde_json::from_str(
        r#"{"columns":{"external_id":"external_id","created_at":"created_at","lost_reason":"lost_reason"}}"#,
    )
    .unwrap();
    let options = ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::default()
    };
    let import = read(csv.as_bytes(), &options);
    assert_eq!(import.leads.len(), 2);
    assert_eq!(
        import.leads[0].lost_reason.as_deref(),
        Some("zu teuer; Kunde \"weg\"\r\nzweite Zeile\r\ndritte")
    );
    assert_eq!((import.leads[0].line, import.leads[1].line), (2, 5));
}

#[test]
fn empty_lines_and_trailing_delimiters_are_ignored_but_short_rows_are_not() {
    let csv = "external_id,created_at,\n\n1,2026-05-01,\n,,\n2,2026-05-02,,\n3\n4,2026-05-04,x\n";
    let mapping = ColumnMapping {
        signature: None,
        columns: BTreeMap::from([
            (TargetField::ExternalId, "external_id".to_owned()),
            (TargetField::CreatedAt, "created_at".to_owned()),
        ]),
    };
    let options = ImportOptions {
        mapping: Some(mapping),
        ..ImportOptions::default()
    };
    let import = read(csv.as_bytes(), &options);
    assert_eq!(import.report.layout.headers, ["external_id", "created_at"]);
    let ids: Vec<&str> = import
        .leads
        .iter()
        .map(|l| l.external_id.as_str())
        .collect();
    assert_eq!(ids, ["1", "2"]);
    let kinds: Vec<(u64, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (6, FindingKind::TooFewFields),
            (7, FindingKind::TooManyFields)
        ]
    );
    assert_eq!(import.report.counts.read, 4);
}

#[test]
fn contact_before_creation_and_unknown_stages_reject_the_row() {
    let csv = "external_id,created_at,first_attempt_at,first_two_way_at,attempts,stage\n\
               1,2026-05-02 10:00,2026-05-02 09:00,,1,contacted\n\
               2,2026-05-02 10:00,2026-05-02 10:30,2026-05-01,1,contacted\n\
               3,2026-05-02 10:00,2026-05-02 10:30,,1,Proefrit gepland\n\
               4,2026-05-02 10:00,2026-05-02 10:30,,x,contacted\n\
               5,,2026-05-02 10:30,,1,contacted\n\
               6,2026-05-02 10:00,2026-05-02 10:00,2026-05-02,1,contacted\n";
    let mapping: MappingFile = MappingFile::from_json(
        r#"{"columns":{"columns":{"external_id":"external_id","created_at":"created_at",
            "first_attempt_at":"first_attempt_at","first_two_way_at":"first_two_way_at",
            "attempts":"attempts","stage":"stage"}}}"#,
    )
    .unwrap();
    let mut options = ImportOptions::default();
    mapping.apply(&mut options);
    let import = read(csv.as_bytes(), &options);
    let kinds: Vec<(u64, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind))
        .collect();
    assert_eq!(
        kinds,
        [
            (2, FindingKind::FirstContactBeforeCreation),
            (3, FindingKind::TwoWayContactBeforeCreation),
            (4, FindingKind::UnknownStage),
            (5, FindingKind::InvalidNumber),
            (6, FindingKind::MissingCreatedDate),
        ]
    );
    // a two-way contact given as a bare date on the creation day is not before it
    assert_eq!(import.leads.len(), 1);
    assert_eq!(import.leads[0].external_id, "6");
    assert_eq!(import.report.unknown_values[0].value, "Proefrit gepland");
}

#[test]
fn a_custom_export_needs_a_mapping_and_reads_with_one() {
    let csv = "Lead-Nr.;Eingang;Kanal;Phase;Fahrzeug\n\
               K-1;03.02.2026 10:00;Marktplaats.nl;Probefahrt vereinbart;Golf\n\
               K-2;04.02.2026 11:00;Website;Probefahrt vereinbart;Golf GTI\n\
               K-3;05.02.2026 12:00;AutoTrack;Verloren;Golf\n";
    let err = read_leads(csv.as_bytes(), &ImportOptions::default(), |_| {
        Flow::Continue
    })
    .unwrap_err();
    assert_eq!(
        err,
        ImportError::MissingColumns(vec![TargetField::ExternalId, TargetField::CreatedAt])
    );

    let signature = header_signature(&["Lead-Nr.", "Eingang", "Kanal", "Phase", "Fahrzeug"]);
    let json = format!(
        r#"{{"columns": {{"signature": "{signature}", "columns": {{"external_id": "Lead-Nr.", "created_at": "Eingang",
             "source": "Kanal", "stage": "Phase", "product_line": "Fahrzeug"}}}},
            "values": {{"stages": {{"Probefahrt vereinbart": "appointment"}},
                       "sources": {{"Marktplaats.nl": "Marktplaats"}},
                       "product_lines": {{"Golf GTI": "Golf"}}}}}}"#
    );
    let mut options = ImportOptions {
        known_sources: vec!["Marktplaats".into(), "Website".into()],
        known_product_lines: vec!["Golf".into()],
        ..ImportOptions::default()
    };
    MappingFile::from_json(&json).unwrap().apply(&mut options);
    let import = read(csv.as_bytes(), &options);
    assert_eq!(import.report.layout.signature, signature);
    assert_eq!(import.report.layout.preset, None);
    assert_eq!(
        stages(&import.leads),
        [
            ("K-1", Stage::Appointment),
            ("K-2", Stage::Appointment),
            ("K-3", Stage::Lost)
        ]
    );
    let products: Vec<Option<&str>> = import
        .leads
        .iter()
        .map(|l| l.product_line.as_deref())
        .collect();
    assert_eq!(products, [Some("Golf"), Some("Golf"), Some("Golf")]);
    assert_eq!(import.leads[0].source.as_deref(), Some("Marktplaats"));
    let kinds: Vec<(u64, FindingKind, Option<&str>)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.kind, f.value.as_deref()))
        .collect();
    assert_eq!(kinds, [(4, FindingKind::UnknownSource, Some("AutoTrack"))]);
}

#[test]
fn unknown_values_are_counted_with_their_first_lines() {
    let mut csv = String::from("external_id,created_at,source,stage\n");
    for i in 0..8 {
        let stage = if i % 2 == 0 {
            "Proefrit gepland"
        } else {
            "new"
        };
        csv.push_str(&format!("{i},2026-06-01,Autotrack,{stage}\n"));
    }
    let mapping = Preset::Leadplan.columns();
    assert!(!mapping.is_empty());
    let options = ImportOptions {
        mapping: Some(ColumnMapping {
            signature: None,
            columns: BTreeMap::from([
                (TargetField::ExternalId, "external_id".to_owned()),
                (TargetField::CreatedAt, "created_at".to_owned()),
                (TargetField::Source, "source".to_owned()),
                (TargetField::Stage, "stage".to_owned()),
            ]),
        }),
        known_sources: vec!["Website".into()],
        ..ImportOptions::default()
    };
    let import = read(csv.as_bytes(), &options);
    let unknown: Vec<(TargetField, &str, u64, &[u64])> = import
        .report
        .unknown_values
        .iter()
        .map(|u| (u.field, u.value.as_str(), u.count, u.first_lines.as_slice()))
        .collect();
    // stages on lines 2,4,6,8 (rows rejected); sources only on the 4 imported rows
    assert_eq!(
        unknown,
        [
            (TargetField::Source, "Autotrack", 4, &[3, 5, 7, 9][..]),
            (TargetField::Stage, "Proefrit gepland", 4, &[2, 4, 6, 8][..]),
        ]
    );
    assert_eq!(import.report.finding_counts[&FindingKind::UnknownStage], 4);
}

fn big_leadplan_csv(rows: usize) -> String {
    let mut csv = leadplan_import::LEADPLAN_HEADER.join(",");
    csv.push('\n');
    for i in 0..rows {
        csv.push_str(&format!(
            "L{i},2026-01-01T10:00:00Z,Website,Golf,2026-01-01T10:05:00Z,,1,contacted,,,,,Anna\n"
        ));
    }
    csv
}

#[test]
fn progress_is_reported_and_a_stop_cancels_the_read() {
    let csv = big_leadplan_csv(40_000);
    let mut seen = Vec::new();
    let import = read_leads(csv.as_bytes(), &ImportOptions::default(), |p| {
        seen.push(p);
        Flow::Continue
    })
    .unwrap();
    assert_eq!(import.leads.len(), 40_000);
    // every 16384 rows and once at the end
    let rows: Vec<u64> = seen.iter().map(|p| p.rows_read).collect();
    assert_eq!(rows, [16_384, 32_768, 40_000]);
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
    let last = seen.last().unwrap();
    assert_eq!(
        (last.done, last.total),
        (csv.len() as u64, csv.len() as u64)
    );

    let stopped = read_leads(csv.as_bytes(), &ImportOptions::default(), |_| Flow::Stop).unwrap();
    assert!(stopped.report.cancelled);
    assert_eq!(stopped.leads.len(), 16_384);
    assert_eq!(stopped.report.counts.read, 16_384);
}

#[test]
fn the_reader_streams_leads_one_by_one() {
    let csv = big_leadplan_csv(10);
    let mut reader =
        leadplan_import::LeadReader::new(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let first_three: Vec<String> = reader.by_ref().take(3).map(|l| l.external_id).collect();
    assert_eq!(first_three, ["L0", "L1", "L2"]);
    assert_eq!(reader.progress().rows_read, 3);
    let report = reader.finish(true).unwrap();
    assert_eq!(report.counts.valid, 3);
}

#[test]
fn a_preview_shows_raw_cells_and_parsed_values() {
    let options = ImportOptions {
        local_time: LocalTime::Fixed { offset_minutes: 60 },
        ..options_with_sources()
    };
    let p = preview(&fixture("german_excel_1252.csv"), &options, 3).unwrap();
    assert_eq!(p.mapping_problem, None);
    assert_eq!(p.rows.len(), 3);
    assert_eq!(p.rows[0].cells[1], "05.01.2026 09:00");
    assert_eq!(p.rows[0].cells[11], "28.500,00");
    let lead = p.rows[0].lead.as_ref().unwrap();
    assert_eq!(lead.created_at, utc(2026, 1, 5, 8, 0));
    assert_eq!(p.rows[0].findings, []);

    // a header no preset knows still previews, raw
    let csv = "Nummer|Wann\nA|gestern\n";
    let p = preview(csv.as_bytes(), &ImportOptions::default(), 10).unwrap();
    assert!(p.mapping_problem.is_some());
    assert_eq!(p.layout.headers, ["Nummer|Wann"]);
    assert_eq!(p.rows[0].cells, ["A|gestern"]);
    assert_eq!(p.rows[0].lead, None);
}

#[test]
fn spreadsheets_are_read_from_the_chosen_sheet_with_real_dates_and_numbers() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let notes = book.add_worksheet();
    notes.set_name("Notes").unwrap();
    notes.write_string(0, 0, "Export of 2026-05-31").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Leads").unwrap();
    let when = Format::new().set_num_format("dd.mm.yyyy hh:mm");
    let day = Format::new().set_num_format("dd.mm.yyyy");
    for (c, h) in [
        "Lead-ID",
        "Erstellt am",
        "Quelle",
        "Kontaktversuche",
        "Status",
        "Gewonnen am",
        "Wert",
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    // row 2: id as number, timestamps as date cells
    sheet.write_number(1, 0, 1001).unwrap();
    let created = ExcelDateTime::from_ymd(2026, 3, 5)
        .unwrap()
        .and_hms(14, 30, 0)
        .unwrap();
    sheet
        .write_datetime_with_format(1, 1, &created, &when)
        .unwrap();
    sheet.write_string(1, 2, "Website").unwrap();
    sheet.write_number(1, 3, 3).unwrap();
    sheet.write_string(1, 4, "Gewonnen").unwrap();
    let won = ExcelDateTime::from_ymd(2026, 3, 20).unwrap();
    sheet.write_datetime_with_format(1, 5, &won, &day).unwrap();
    sheet.write_number(1, 6, 31_990.5).unwrap();
    // row 3 is blank; row 4: date as text, attempts as a fraction (invalid)
    sheet.write_string(3, 0, "1002").unwrap();
    sheet.write_string(3, 1, "06.03.2026 08:00").unwrap();
    sheet.write_string(3, 2, "Website").unwrap();
    sheet.write_number(3, 3, 1.5).unwrap();
    sheet.write_string(3, 4, "Neu").unwrap();
    // row 5: an Excel serial in a text cell
    sheet.write_string(4, 0, "1003").unwrap();
    sheet.write_string(4, 1, "46088.25").unwrap();
    sheet.write_string(4, 2, "Website").unwrap();
    sheet.write_number(4, 3, 1).unwrap();
    sheet.write_string(4, 4, "Kontaktiert").unwrap();
    let bytes = book.save_to_buffer().unwrap();

    let first = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue).unwrap_err();
    assert_eq!(
        first,
        ImportError::MissingColumns(vec![TargetField::ExternalId, TargetField::CreatedAt])
    );

    let options = ImportOptions {
        sheet: Some("leads".into()),
        ..ImportOptions::default()
    };
    let import = read(&bytes, &options);
    assert_eq!(import.report.layout.format, FileFormat::Spreadsheet);
    assert_eq!(import.report.layout.sheet.as_deref(), Some("Leads"));
    assert_eq!(import.report.layout.preset, Some(Preset::GermanExport));
    let ids: Vec<(&str, u64, Stage)> = import
        .leads
        .iter()
        .map(|l| (l.external_id.as_str(), l.line, l.stage))
        .collect();
    assert_eq!(
        ids,
        [("1001", 2, Stage::Won), ("1003", 5, Stage::Contacted)]
    );
    let first = &import.leads[0];
    assert_eq!(first.created_at, utc(2026, 3, 5, 14, 30));
    assert_eq!(first.won_at, Some(utc(2026, 3, 20, 0, 0)));
    assert_eq!(first.value, Some(Money(3_199_050)));
    assert_eq!(first.attempts, 3);
    // serial 46088.25 = 2026-03-07 06:00
    assert_eq!(import.leads[1].created_at, utc(2026, 3, 7, 6, 0));
    let kinds: Vec<(u64, Option<&str>, FindingKind)> = import
        .report
        .findings
        .iter()
        .map(|f| (f.line, f.column.as_deref(), f.kind))
        .collect();
    assert_eq!(
        kinds,
        [(4, Some("Kontaktversuche"), FindingKind::InvalidNumber)]
    );

    let missing = ImportOptions {
        sheet: Some("Deals".into()),
        ..ImportOptions::default()
    };
    assert_eq!(
        read_leads(&bytes, &missing, |_| Flow::Continue).unwrap_err(),
        ImportError::NoSuchSheet("Deals".into())
    );
}

#[test]
fn monthly_spend_is_read_per_source_and_month() {
    let options = ImportOptions {
        known_sources: vec!["Marktplaats".into(), "Website".into(), "mobile.de".into()],
        ..ImportOptions::default()
    };
    let spend = read_spend(&fixture("spend_de.csv"), &options).unwrap();
    let rows: Vec<(u64, &str, i32, u32, i64)> = spend
        .rows
        .iter()
        .map(|r| (r.line, r.source.as_str(), r.year, r.month, r.amount.cents()))
        .collect();
    assert_eq!(
        rows,
        [
            (2, "Marktplaats", 2026, 1, 125_000),
            (3, "Website", 2026, 1, 340_050),
            (4, "Marktplaats", 2026, 2, 125_000),
            (5, "mobile.de", 2026, 3, 89_999),
        ]
    );
    let kinds: Vec<(u64, FindingKind)> = spend.findings.iter().map(|f| (f.line, f.kind)).collect();
    assert_eq!(
        kinds,
        [
            (6, FindingKind::MissingSource),
            (7, FindingKind::InvalidDate)
        ]
    );
    assert_eq!(
        (spend.counts.read, spend.counts.valid, spend.counts.rejected),
        (6, 4, 2)
    );
}

#[test]
fn spend_with_a_date_column_and_a_month_column_in_iso_form() {
    let csv = "source,month,amount\nWebsite,2026-04,\"1,200.00\"\n";
    let spend = read_spend(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(
        (
            spend.rows[0].year,
            spend.rows[0].month,
            spend.rows[0].amount
        ),
        (2026, 4, Money(120_000))
    );
    let csv = "Bron\tDatum\tBedrag\nMarktplaats\t15-05-2026\t99,50\n";
    let spend = read_spend(csv.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(
        (
            spend.rows[0].year,
            spend.rows[0].month,
            spend.rows[0].amount
        ),
        (2026, 5, Money(9_950))
    );
}

#[test]
fn empty_and_headerless_files_are_refused_with_a_clear_error() {
    let opts = ImportOptions::default();
    assert_eq!(
        read_leads(b"", &opts, |_| Flow::Continue).unwrap_err(),
        ImportError::Empty
    );
    assert_eq!(
        read_leads(b"\n\n \n", &opts, |_| Flow::Continue).unwrap_err(),
        ImportError::Empty
    );
    assert!(matches!(
        read_leads(b"PK\x03\x04broken", &opts, |_| Flow::Continue).unwrap_err(),
        ImportError::Workbook(_)
    ));
}

#[test]
fn the_mapping_file_round_trips_through_json() {
    let file = MappingFile::from_json(
        r#"{"columns": {"signature": "3455a12d9571ba01", "columns": {"external_id": "ID", "created_at": "Created"}},
            "values": {"stages": {"Proefrit": "appointment"}}}"#,
    )
    .unwrap();
    let json = serde_json::to_string(&file).unwrap();
    assert_eq!(MappingFile::from_json(&json).unwrap(), file);
    assert_eq!(file.values.stages["Proefrit"], Stage::Appointment);
    let bad = MappingFile::from_json(r#"{"columns": {"columns": {"nonsense": "x"}}}"#).unwrap_err();
    assert!(matches!(bad, ImportError::Mapping(m) if m.contains("nonsense")));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
        if let Ok(import) = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue) {
            let c = import.report.counts;
            prop_assert_eq!(c.read, c.valid + c.rejected);
        }
        let _ = preview(&bytes, &ImportOptions::default(), 5);
        let _ = read_spend(&bytes, &ImportOptions::default());
    }

    #[test]
    fn no_csv_made_of_awkward_pieces_makes_the_reader_panic(
        pieces in proptest::collection::vec(
            prop_oneof![
                proptest::sample::select(vec![
                    ",", ";", "\t", "\"", "\n", "\r\n", "", "2026-01-05", "05.01.2026 9:00",
                    "1/2/2026 3:00 PM", "46086.5", "1.234,56", "-3", "won", "Verloren", "ä€", "\u{feff}",
                ]).prop_map(str::to_owned),
                "[a-zA-Z0-9 .,:/+-]{0,12}",
            ],
            0..200,
        ),
        header in prop_oneof![
            Just(leadplan_import::LEADPLAN_HEADER.join(",")),
            Just("Lead-ID;Erstellt am;Quelle;Status;Kontaktversuche;Wert".to_owned()),
            Just("Record ID,Create Date,Deal Stage,Amount,Close Date".to_owned()),
        ],
    ) {
        let csv = format!("{header}\n{}", pieces.concat());
        match read_leads(csv.as_bytes(), &ImportOptions::default(), |_| Flow::Continue) {
            Ok(import) => {
                let c = import.report.counts;
                prop_assert_eq!(c.read, c.valid + c.rejected);
                prop_assert_eq!(import.leads.len() as u64, c.valid);
                prop_assert!(c.duplicates <= c.rejected);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }
}

#[test]
fn a_sheet_spanning_more_cells_than_fit_in_memory_is_refused_with_its_size() {
    use rust_xlsxwriter::Workbook;
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Leads").unwrap();
    sheet.write_string(0, 0, "Lead-ID").unwrap();
    sheet.write_string(0, 1, "Erstellt am").unwrap();
    sheet.write_string(1, 0, "L-1").unwrap();
    sheet.write_string(1, 1, "05.03.2026 09:00").unwrap();
    // one cell in the last row and column of a sheet: laid out densely, 17 billion cells
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    assert!(bytes.len() < 20_000, "a small file: {} bytes", bytes.len());

    let err = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue).unwrap_err();
    assert_eq!(
        err,
        ImportError::SheetTooLarge {
            sheet: "Leads".into(),
            rows: 1_048_576,
            columns: 16_384,
        }
    );
    assert!(
        err.to_string()
            .contains("\"Leads\" spans 1048576 rows × 16384 columns"),
        "{err}"
    );
    assert!(preview(&bytes, &ImportOptions::default(), 10).is_err());

    // the same sheet with its far cell nearer is read: 2,000 × 100 cells
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "Lead-ID").unwrap();
    sheet.write_string(0, 1, "Erstellt am").unwrap();
    sheet.write_string(1, 0, "L-1").unwrap();
    sheet.write_string(1, 1, "05.03.2026 09:00").unwrap();
    sheet.write_string(1_999, 99, "x").unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let read = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue).unwrap();
    assert_eq!(read.leads.len(), 1);
    assert_eq!(read.leads[0].external_id, "L-1");
}

/// One record of an Excel binary workbook: its type and size as variable-length integers
/// (seven bits a byte), then its data (MS-XLSB 2.1.4).
fn xlsb_record(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut out = if typ < 0x80 {
        vec![u8::try_from(typ).unwrap()]
    } else {
        vec![
            u8::try_from(typ & 0x7F).unwrap() | 0x80,
            u8::try_from(typ >> 7).unwrap(),
        ]
    };
    let mut size = data.len();
    loop {
        let byte = u8::try_from(size & 0x7F).unwrap();
        size >>= 7;
        out.push(if size > 0 { byte | 0x80 } else { byte });
        if size == 0 {
            break;
        }
    }
    out.extend_from_slice(data);
    out
}

/// A string as XLSB writes it: its length in UTF-16 units, then UTF-16LE.
fn xlsb_string(text: &str) -> Vec<u8> {
    let units: Vec<u16> = text.encode_utf16().collect();
    let mut out = u32::try_from(units.len()).unwrap().to_le_bytes().to_vec();
    out.extend(units.iter().flat_map(|u| u.to_le_bytes()));
    out
}

/// An Excel binary workbook (.xlsb) with one sheet "Leads" holding text `cells` (row,
/// column, text), as few records as Excel's readers need: the sheet's list in the workbook,
/// and the sheet's dimension, rows and cells.
fn xlsb(cells: &[(u32, u32, &str)]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut bundle = [0u32.to_le_bytes(), 1u32.to_le_bytes()].concat(); // visible, tab 1
    bundle.extend(xlsb_string("rId1"));
    bundle.extend(xlsb_string("Leads"));
    let workbook = [
        xlsb_record(0x009C, &bundle), // BrtBundleSh
        xlsb_record(0x0090, &[]),     // BrtEndBundleShs
        xlsb_record(0x009D, &[]),     // BrtCalcProp: after the (no) defined names
    ]
    .concat();
    let last_row = cells.iter().map(|c| c.0).max().unwrap_or(0);
    let last_col = cells.iter().map(|c| c.1).max().unwrap_or(0);
    let mut sheet = xlsb_record(0x0081, &[]); // BrtBeginSheet
    let dimension = [0, last_row, 0, last_col].map(u32::to_le_bytes).concat();
    sheet.extend(xlsb_record(0x0094, &dimension)); // BrtWsDim
    sheet.extend(xlsb_record(0x0091, &[])); // BrtBeginSheetData
    let mut row = None;
    for &(r, c, text) in cells {
        if row != Some(r) {
            sheet.extend(xlsb_record(0x0000, &r.to_le_bytes())); // BrtRowHdr
            row = Some(r);
        }
        let mut cell = [c.to_le_bytes(), 0u32.to_le_bytes()].concat(); // column, style
        cell.extend(xlsb_string(text));
        sheet.extend(xlsb_record(0x0006, &cell)); // BrtCellSt
    }
    sheet.extend(xlsb_record(0x0092, &[])); // BrtEndSheetData

    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let files: [(&str, &[u8]); 3] = [
        (
            "xl/_rels/workbook.bin.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.bin"/></Relationships>"#,
        ),
        ("xl/workbook.bin", &workbook),
        ("xl/worksheets/sheet1.bin", &sheet),
    ];
    for (name, data) in files {
        zip.start_file(name, SimpleFileOptions::default()).unwrap();
        zip.write_all(data).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn an_xlsb_sheet_is_read_and_one_spanning_more_cells_than_fit_in_memory_is_refused_with_its_size() {
    let lead = [
        (0, 0, "Lead-ID"),
        (0, 1, "Erstellt am"),
        (0, 2, "Quelle"),
        (1, 0, "L-1"),
        (1, 1, "05.03.2026 09:00"),
        (1, 2, "mobile.de"),
        (2, 0, "L-2"),
        (2, 1, "06.03.2026 14:30"),
    ];
    let read = read_leads(&xlsb(&lead), &ImportOptions::default(), |_| Flow::Continue).unwrap();
    assert_eq!(read.report.layout.format, FileFormat::Spreadsheet);
    assert_eq!(read.report.layout.sheet.as_deref(), Some("Leads"));
    let ids: Vec<&str> = read.leads.iter().map(|l| l.external_id.as_str()).collect();
    assert_eq!(ids, ["L-1", "L-2"]);
    assert_eq!(read.leads[0].created_at, utc(2026, 3, 5, 9, 0));
    assert_eq!(read.leads[0].source.as_deref(), Some("mobile.de"));
    assert_eq!(read.leads[1].created_at, utc(2026, 3, 6, 14, 30));

    // one more cell, in row 1,000,000 and column 30: 30 million cells laid out densely
    let far = [&lead[..], &[(999_999, 29, "x")]].concat();
    let bytes = xlsb(&far);
    assert!(bytes.len() < 2_000, "a small file: {} bytes", bytes.len());
    let err = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue).unwrap_err();
    assert_eq!(
        err,
        ImportError::SheetTooLarge {
            sheet: "Leads".into(),
            rows: 1_000_000,
            columns: 30,
        }
    );
    assert!(preview(&bytes, &ImportOptions::default(), 10).is_err());
}

/// An OpenDocument spreadsheet with one sheet "Leads" holding `rows` (table rows as XML).
fn ods(rows: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="Leads">{rows}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(
        br#"<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#,
    )
    .unwrap();
    zip.start_file("content.xml", SimpleFileOptions::default())
        .unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.finish().unwrap().into_inner()
}

fn ods_cell(text: &str) -> String {
    format!(
        r#"<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>"#
    )
}

#[test]
fn an_ods_sheet_repeating_a_cell_over_more_cells_than_fit_in_memory_is_refused_with_its_size() {
    let lead = format!(
        "<table:table-row>{}{}</table:table-row><table:table-row>{}{}</table:table-row>",
        ods_cell("Lead-ID"),
        ods_cell("Erstellt am"),
        ods_cell("L-1"),
        ods_cell("05.03.2026 09:00")
    );
    // one filled cell said 100 times in each of 500,000 rows: 50 million cells
    let bytes = ods(&format!(
        r#"{lead}<table:table-row table:number-rows-repeated="500000"><table:table-cell table:number-columns-repeated="100" office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>"#
    ));
    assert!(bytes.len() < 2_000, "a small file: {} bytes", bytes.len());
    let err = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue).unwrap_err();
    assert_eq!(
        err,
        ImportError::SheetTooLarge {
            sheet: "Leads".into(),
            rows: 500_002,
            columns: 100,
        }
    );

    // the empty rest of every row and of the sheet, as LibreOffice writes it, does not count
    let empty_cells = r#"<table:table-cell table:number-columns-repeated="16382"/>"#;
    let bytes = ods(&format!(
        r#"<table:table-row>{}{}{empty_cells}</table:table-row><table:table-row>{}{}{empty_cells}</table:table-row><table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#,
        ods_cell("Lead-ID"),
        ods_cell("Erstellt am"),
        ods_cell("L-1"),
        ods_cell("05.03.2026 09:00")
    ));
    let read = read_leads(&bytes, &ImportOptions::default(), |_| Flow::Continue).unwrap();
    assert_eq!(read.leads.len(), 1);
    assert_eq!(read.leads[0].external_id, "L-1");
    assert_eq!(read.leads[0].created_at, utc(2026, 3, 5, 9, 0));
}
