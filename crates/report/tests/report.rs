#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The exports read back by independent tools: the PDF with lopdf and poppler's pdftotext,
//! pdfinfo, pdffonts and pdftoppm; the Excel workbook with calamine and its raw XML; the CSV
//! with the csv crate; the PNG with the png crate.

mod common;

use std::io::{Cursor, Read};
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use common::sample::{self, german_report};
use leadplan_core::{Locale, Money};
use leadplan_report::{
    Block, Cell, Chart, Column, ColumnKind, Document, PageSize, PdfOptions, Progress, ReportError,
    Section, Table, render_chart_png, render_csv, render_pdf, render_xlsx, write_chart_pngs,
    write_csv_files, write_pdf, write_xlsx,
};
use proptest::prelude::*;

// ---- helpers -------------------------------------------------------------------------------

/// Runs a poppler tool; the Makefile installs poppler-utils, so its absence is a failure.
fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} (poppler-utils) is needed by these tests and could not be run: {e}. Install it with `apt-get install poppler-utils` (make deps does).")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

struct Pdf {
    _dir: tempfile::TempDir,
    path: std::path::PathBuf,
    bytes: Vec<u8>,
}

impl Pdf {
    fn new(doc: &Document) -> Pdf {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("report.pdf");
        write_pdf(&path, doc, PdfOptions::new(sample::created())).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        Pdf {
            _dir: dir,
            path,
            bytes,
        }
    }

    fn path(&self) -> &str {
        self.path.to_str().unwrap()
    }

    /// Text of page `n` (1-based), no-break spaces made plain for comparison.
    fn page_text(&self, n: usize) -> String {
        let n = n.to_string();
        poppler(
            "pdftotext",
            &["-layout", "-f", &n, "-l", &n, self.path(), "-"],
        )
        .replace('\u{a0}', " ")
    }

    fn text(&self) -> String {
        poppler("pdftotext", &["-layout", self.path(), "-"]).replace('\u{a0}', " ")
    }

    fn lopdf(&self) -> lopdf::Document {
        lopdf::Document::load_mem(&self.bytes).unwrap()
    }
}

fn xlsx(doc: &Document) -> (Xlsx<Cursor<Vec<u8>>>, Vec<u8>) {
    let bytes = render_xlsx(doc, sample::created()).unwrap();
    (
        open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap(),
        bytes,
    )
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

/// Excel's serial day number of a date, counted independently of the writer.
fn excel_serial(date: NaiveDate) -> f64 {
    (date - NaiveDate::from_ymd_opt(1899, 12, 30).unwrap()).num_days() as f64
}

fn csv_records(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "no byte-order mark");
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn one_table_document(table: Table, locale: Locale) -> Document {
    Document {
        title: "T".to_owned(),
        locale,
        currency: "EUR".to_owned(),
        sections: vec![Section {
            title: "S".to_owned(),
            blocks: vec![Block::Table(table)],
        }],
        ..Document::default()
    }
}

// ---- PDF -----------------------------------------------------------------------------------

#[test]
fn every_page_after_the_cover_is_numbered_out_of_the_true_page_count() {
    let pdf = Pdf::new(&german_report());
    let pages = pdf.lopdf().get_pages().len();
    // cover, contents, summary + leads, sources, appendix with a 90-row table over 2+ pages
    assert!(pages >= 6, "only {pages} pages");
    let info = poppler("pdfinfo", &[pdf.path()]);
    assert!(
        info.contains(&format!("Pages:           {pages}")),
        "{info}"
    );
    assert!(
        !pdf.page_text(1).contains("Seite"),
        "the cover has no page number"
    );
    for n in 2..=pages {
        let footer = format!("Seite {n} von {pages}");
        assert!(
            pdf.page_text(n).contains(&footer),
            "page {n} lacks {footer:?}"
        );
    }
}

#[test]
fn the_contents_list_sections_and_main_headings_with_the_pages_they_start_on() {
    let pdf = Pdf::new(&german_report());
    let contents = pdf.page_text(2);
    assert!(contents.contains("Inhalt"));
    assert!(
        !contents.contains("Lange Tabelle"),
        "level 2 headings are not listed"
    );
    for title in [
        "Zusammenfassung",
        "Leads",
        "Plan und Ist je Monat",
        "Quellen",
        "Anhang",
    ] {
        let line = contents
            .lines()
            .find(|l| l.trim_start().starts_with(title))
            .unwrap_or_else(|| panic!("{title} missing from the contents:\n{contents}"));
        let page: usize = line.split_whitespace().last().unwrap().parse().unwrap();
        // the listed page shows the title, and no earlier body page does
        assert!(
            pdf.page_text(page).contains(title),
            "{title} is not on page {page}"
        );
        for earlier in 3..page {
            let text = pdf.page_text(earlier);
            assert!(
                !text.lines().any(|l| l.trim() == title),
                "{title} already stands alone on page {earlier}"
            );
        }
    }
}

#[test]
fn contents_running_over_several_pages_list_every_entry_once() {
    // 100 sections: 39 entries on the first contents page, 42 on the second, 19 on the
    // third, so the body starts on page 5
    let doc = Document {
        title: "Many".to_owned(),
        sections: (0..100)
            .map(|i| Section {
                title: format!("Chapter {i:03}"),
                blocks: vec![Block::Paragraph("Text.".to_owned())],
            })
            .collect(),
        ..Document::default()
    };
    let pdf = Pdf::new(&doc);
    let mut listed = Vec::new();
    for page in 2..=4 {
        for line in pdf.page_text(page).lines() {
            if let Some(rest) = line.trim_start().strip_prefix("Chapter ") {
                let mut parts = rest.split_whitespace();
                let n: usize = parts.next().unwrap().parse().unwrap();
                let on: usize = parts.last().unwrap().parse().unwrap();
                listed.push((n, on));
            }
        }
    }
    assert_eq!(listed.len(), 100);
    assert!(listed.iter().enumerate().all(|(i, (n, _))| i == *n));
    assert_eq!(listed[0].1, 5);
    assert!(pdf.page_text(5).contains("Chapter 000"));
    for (n, on) in [listed[57], listed[99]] {
        assert!(pdf.page_text(on).contains(&format!("Chapter {n:03}")));
    }
}

#[test]
fn table_figures_are_shown_formatted_in_the_documents_locale() {
    let text = Pdf::new(&german_report()).text();
    for expected in [
        "1.234,56 €",                 // January spend
        "14.814,72 €",                // 1,234.56 × 12
        "96.295,68 €",                // the totals row
        "1.860",                      // leads planned in total
        "11,0 %",                     // January conversion
        "16,5 %",                     // 0.11 + 0.005 × 11
        "28.01.2026",                 // a date in German order
        "-42,50 €",                   // a negative cost per lead
        "1.000.000.000.000.000,00 €", // a huge amount, whole
        "∞",
        "22.250 €", // 89 × 250 without decimals
        "133,5",    // 89 × 1.5
    ] {
        assert!(text.contains(expected), "{expected:?} missing");
    }
}

#[test]
fn the_bundled_dejavu_fonts_are_embedded_as_subsets() {
    let pdf = Pdf::new(&german_report());
    let fonts = poppler("pdffonts", &[pdf.path()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(
        rows.iter().any(|r| r.contains("DejaVuSans-Bold")),
        "{fonts}"
    );
    assert!(
        rows.iter()
            .any(|r| r.contains("DejaVuSans") && !r.contains("Bold")),
        "{fonts}"
    );
    // columns: name type encoding emb sub uni object-id
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(
            &cols[n - 5..n - 2],
            ["yes", "yes", "yes"],
            "not embedded: {row}"
        );
    }
}

#[test]
fn the_pdf_carries_its_title_language_and_the_given_creation_time() {
    let pdf = Pdf::new(&german_report());
    let info = poppler("pdfinfo", &["-isodates", pdf.path()]);
    assert!(
        info.contains("Title:           Plan-Ist-Bericht 2026"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:    2026-04-07T09:30:00+02"),
        "{info}"
    );
    assert!(
        info.contains("Page size:       595.276 x 841.89 pts (A4)"),
        "{info}"
    );
}

#[test]
fn the_cover_shows_the_metadata_with_translated_labels() {
    let cover = Pdf::new(&german_report()).page_text(1);
    for expected in [
        "Plan-Ist-Bericht 2026",
        "Organisation",
        "Autohaus Beispiel GmbH",
        "Zeitraum",
        "Januar–März 2026",
        "Planversion",
        "Datenstand",
        "31.03.2026",
        "Erstellt am",
        "07.04.2026",
    ] {
        assert!(
            cover.contains(expected),
            "{expected:?} missing from\n{cover}"
        );
    }
}

#[test]
fn a_table_running_over_pages_repeats_its_header_on_each() {
    let pdf = Pdf::new(&german_report());
    let pages = pdf.lopdf().get_pages().len();
    let mut pages_with_rows = 0;
    let mut seen = Vec::new();
    for n in 3..=pages {
        let text = pdf.page_text(n);
        let rows: Vec<&str> = text
            .lines()
            .filter(|l| l.trim_start().starts_with("Lead 0"))
            .collect();
        if rows.is_empty() {
            continue;
        }
        pages_with_rows += 1;
        assert!(text.contains("Attempts"), "page {n} has rows but no header");
        for row in rows {
            seen.push(row.split_whitespace().nth(1).unwrap().to_owned());
        }
        if pages_with_rows > 1 {
            assert!(text.contains("Table long (Fortsetzung)"), "page {n}");
        }
    }
    assert!(pages_with_rows >= 2);
    // every row once, in order
    let expected: Vec<String> = (0..90).map(|i| format!("{i:04}")).collect();
    assert_eq!(seen, expected);
}

#[test]
fn charts_are_vector_graphics_with_selectable_labels() {
    let pdf = Pdf::new(&german_report());
    let text = pdf.text();
    assert!(text.contains("Leads je Monat"));
    assert!(text.contains("M6"));
    assert!(text.contains("Abbildung 1: Leads je Monat, Plan und Ist."));
    let images = pdf
        .lopdf()
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|v| v.as_name()).ok() == Some(b"Image"))
        .count();
    assert_eq!(images, 0, "the chart was rasterised");
}

#[test]
fn text_the_font_cannot_show_is_replaced_not_dropped_or_fatal() {
    let text = Pdf::new(&german_report()).text();
    assert!(
        text.contains("Marktplaats \u{fffd} \u{fffd}"),
        "emoji not replaced"
    );
    // the 320-character word is broken over lines, not cut
    let joined: String = text.split_whitespace().collect();
    assert!(joined.matches('x').count() >= 300);
}

#[test]
fn the_pdf_renders_without_complaints_from_poppler() {
    let pdf = Pdf::new(&german_report());
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("page");
    let output = Command::new("pdftoppm")
        .args(["-png", "-r", "20", pdf.path(), prefix.to_str().unwrap()])
        .output()
        .expect("pdftoppm (poppler-utils) is needed by these tests");
    assert!(output.status.success());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    let pages = std::fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(pages, pdf.lopdf().get_pages().len());
}

#[test]
fn us_letter_documents_get_letter_pages() {
    let mut doc = german_report();
    doc.page_size = PageSize::UsLetter;
    let pdf = Pdf::new(&doc);
    let lopdf = pdf.lopdf();
    for (_, id) in lopdf.get_pages() {
        let page = lopdf.get_dictionary(id).unwrap();
        let media: Vec<f32> = page
            .get(b"MediaBox")
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        assert_eq!(media, [0.0, 0.0, 612.0, 792.0]);
    }
}

#[test]
fn a_document_without_sections_is_a_cover_page_alone() {
    let doc = Document {
        title: "Leer".to_owned(),
        ..Document::default()
    };
    let pdf = Pdf::new(&doc);
    assert_eq!(pdf.lopdf().get_pages().len(), 1);
}

#[test]
fn progress_counts_sections_up_to_all_done() {
    let mut seen: Vec<Progress> = Vec::new();
    let mut record = |p: Progress| seen.push(p);
    render_pdf(
        &german_report(),
        PdfOptions::new(sample::created()).with_progress(&mut record),
    )
    .unwrap();
    assert_eq!(seen.first().map(|p| p.sections_done), Some(0));
    assert_eq!(seen.last().map(|p| p.sections_done), Some(4));
    assert!(seen.iter().all(|p| p.sections_total == 4));
    assert!(
        seen.windows(2)
            .all(|w| w[0].sections_done < w[1].sections_done)
    );
    assert!(seen.len() >= 3, "{seen:?}");
}

#[test]
fn a_raised_cancel_flag_stops_the_export() {
    let cancel = AtomicBool::new(true);
    let result = render_pdf(
        &german_report(),
        PdfOptions::new(sample::created()).with_cancel(&cancel),
    );
    assert!(matches!(result, Err(ReportError::Cancelled)));

    // raised while the export runs, after the first section is done
    let cancel = AtomicBool::new(false);
    let mut on_progress = |p: Progress| {
        if p.sections_done >= 1 {
            cancel.store(true, Ordering::Relaxed);
        }
    };
    let options = PdfOptions::new(sample::created())
        .with_progress(&mut on_progress)
        .with_cancel(&cancel);
    assert!(matches!(
        render_pdf(&german_report(), options),
        Err(ReportError::Cancelled)
    ));
}

#[test]
fn a_chart_that_is_not_svg_fails_with_its_id() {
    let mut doc = german_report();
    doc.sections[0].blocks.push(Block::Chart(Chart {
        id: "broken".to_owned(),
        svg: "<html>".to_owned(),
        caption: String::new(),
    }));
    let err = render_pdf(&doc, PdfOptions::new(sample::created())).unwrap_err();
    assert!(
        matches!(&err, ReportError::InvalidSvg { id, .. } if id == "broken"),
        "{err}"
    );
}

fn hostile_documents() -> Vec<Document> {
    let long_word = "W".repeat(5_000);
    let mut tables = vec![
        Table::default(),
        Table {
            id: "no-rows".to_owned(),
            title: "No rows".to_owned(),
            columns: vec![Column::new("A", ColumnKind::Integer)],
            ..Table::default()
        },
        Table {
            id: "extremes".to_owned(),
            title: long_word.clone(),
            columns: vec![
                Column::new(long_word.clone(), ColumnKind::Number { decimals: 255 }),
                Column::new("", ColumnKind::Money { decimals: 2 }),
                Column::new("\u{0}\u{7}\r\n", ColumnKind::Date),
            ],
            rows: vec![
                vec![
                    Cell::number(f64::MAX),
                    Cell::integer(i64::MIN),
                    Cell::number(-0.0),
                ],
                vec![
                    Cell::number(f64::NEG_INFINITY),
                    Cell::money(Money::from_cents(i64::MAX)),
                ],
                vec![
                    Cell::text("🎉🎉🎉\u{200d}\u{fe0f}"),
                    Cell::text(long_word.clone()),
                    Cell::date(NaiveDate::MIN),
                ],
                vec![],
                (0..50).map(|_| Cell::text("extra")).collect(),
            ],
            totals: Some(vec![]),
        },
    ];
    // forty narrow figure columns: more than any page is wide
    tables.push(Table {
        id: "wide".to_owned(),
        title: "Wide".to_owned(),
        columns: (0..40)
            .map(|i| Column::new(format!("C{i}"), ColumnKind::Money { decimals: 2 }))
            .collect(),
        rows: vec![
            (0..40)
                .map(|i| Cell::money(Money::from_units(1_000_000 * i)))
                .collect(),
        ],
        totals: None,
    });
    // a row taller than a page
    tables.push(Table {
        id: "tall".to_owned(),
        title: "Tall".to_owned(),
        columns: vec![Column::new("Text", ColumnKind::Text)],
        rows: vec![vec![Cell::text("line\n".repeat(400))]],
        totals: None,
    });
    let tiny_svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="0.0001" height="5000"></svg>"#;
    let mut blocks: Vec<Block> = tables.into_iter().map(Block::Table).collect();
    blocks.extend([
        Block::Heading {
            level: 0,
            text: String::new(),
        },
        Block::Heading {
            level: 200,
            text: "🙂".to_owned(),
        },
        Block::Paragraph(String::new()),
        Block::Paragraph(long_word.clone()),
        Block::Paragraph("\u{202e}rtl override \u{202e} and עברית and 中文".to_owned()),
        Block::KeyValues(vec![(long_word.clone(), "x\n".repeat(300))]),
        Block::KeyValues(vec![]),
        Block::Bullets(vec![String::new(), long_word.clone()]),
        Block::Chart(Chart {
            id: String::new(),
            svg: tiny_svg.to_owned(),
            caption: long_word.clone(),
        }),
        Block::PageBreak,
        Block::PageBreak,
    ]);
    vec![
        Document::default(),
        Document {
            title: long_word.clone(),
            subtitle: "\u{0}".repeat(10),
            currency: "XYZ🙂".to_owned(),
            locale: Locale::Nl,
            sections: vec![
                Section::default(),
                Section {
                    title: long_word,
                    blocks,
                },
            ],
            ..Document::default()
        },
    ]
}

#[test]
fn hostile_content_is_written_without_a_panic_in_every_format() {
    for doc in hostile_documents() {
        let pdf = render_pdf(&doc, PdfOptions::new(sample::created())).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        lopdf::Document::load_mem(&pdf).unwrap();
        render_xlsx(&doc, sample::created()).unwrap();
        for table in doc.tables() {
            render_csv(table, doc.locale).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn any_text_and_numbers_make_a_valid_pdf_xlsx_and_csv(
        texts in proptest::collection::vec(any::<String>(), 1..6),
        numbers in proptest::collection::vec(any::<f64>(), 1..6),
        cents in any::<i64>(),
    ) {
        let table = Table {
            id: texts[0].clone(),
            title: texts[0].clone(),
            columns: vec![
                Column::new(texts[0].clone(), ColumnKind::Text),
                Column::new("n", ColumnKind::Percent { decimals: 1 }),
                Column::new("m", ColumnKind::Money { decimals: 2 }),
            ],
            rows: texts
                .iter()
                .zip(numbers.iter().cycle())
                .map(|(t, n)| vec![Cell::text(t.clone()), Cell::number(*n), Cell::money(Money::from_cents(cents))])
                .collect(),
            totals: None,
        };
        let mut doc = one_table_document(table, Locale::De);
        doc.title = texts.concat();
        let pdf = render_pdf(&doc, PdfOptions::new(sample::created())).unwrap();
        prop_assert!(lopdf::Document::load_mem(&pdf).is_ok());
        render_xlsx(&doc, sample::created()).unwrap();
        for table in doc.tables() {
            render_csv(table, Locale::De).unwrap();
        }
    }
}

// ---- XLSX ----------------------------------------------------------------------------------

#[test]
fn excel_gets_one_sheet_per_table_with_real_numbers() {
    let (mut book, _) = xlsx(&german_report());
    assert_eq!(
        book.sheet_names(),
        ["Leads je Monat", "Sources", "Table long"]
    );
    let range = book.worksheet_range("Leads je Monat").unwrap();
    assert_eq!(range.get_size(), (14, 6)); // header, 12 months, totals
    assert_eq!(range.get((0, 3)), Some(&Data::String("Spend".to_owned())));
    for m in 0..12_usize {
        let row = m + 1;
        let mf = m as f64;
        assert_eq!(range.get((row, 1)), Some(&Data::Float(100.0 + 10.0 * mf)));
        assert_eq!(range.get((row, 2)), Some(&Data::Float(90.0 + 12.0 * mf)));
        // cents / 100, compared as the same f64 division the writer makes
        let spend = (123_456 * (m as i64 + 1)) as f64 / 100.0;
        assert_eq!(range.get((row, 3)), Some(&Data::Float(spend)));
        assert_eq!(range.get((row, 4)), Some(&Data::Float(0.11 + 0.005 * mf)));
        let Some(Data::DateTime(date)) = range.get((row, 5)) else {
            panic!("row {row}: no date: {:?}", range.get((row, 5)));
        };
        let expected = NaiveDate::from_ymd_opt(2026, m as u32 + 1, 28).unwrap();
        assert_eq!(date.as_f64(), excel_serial(expected));
    }
    assert_eq!(range.get((13, 0)), Some(&Data::String("Total".to_owned())));
    assert_eq!(range.get((13, 3)), Some(&Data::Float(96_295.68)));
}

#[test]
fn formula_like_text_stays_text_in_excel() {
    let (mut book, bytes) = xlsx(&german_report());
    let range = book.worksheet_range("Sources").unwrap();
    assert_eq!(
        range.get((1, 0)),
        Some(&Data::String("=HYPERLINK(\"http://x\")".to_owned()))
    );
    assert_eq!(
        range.get((2, 0)),
        Some(&Data::String("@SUM(A1:A9)".to_owned()))
    );
    assert_eq!(
        range.get((1, 1)),
        Some(&Data::String("+31 20 555 0100".to_owned()))
    );
    assert_eq!(
        range.get((2, 1)),
        Some(&Data::String("-minus first".to_owned()))
    );
    let formulas = book.worksheet_formula("Sources").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet2.xml");
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "), "{sheet}");
    // NaN and infinity, which Excel cannot store, are shown as text
    assert_eq!(range.get((1, 3)), Some(&Data::String("–".to_owned())));
    assert_eq!(range.get((2, 3)), Some(&Data::String("∞".to_owned())));
    assert_eq!(range.get((1, 2)), Some(&Data::Float(-42.5)));
}

#[test]
fn excel_sheets_freeze_the_header_and_format_numbers_by_column_kind() {
    let (_, bytes) = xlsx(&german_report());
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert!(
        sheet.contains(
            r#"<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>"#
        ),
        "{sheet}"
    );
    assert!(sheet.contains("<cols>"), "no column widths");
    let styles = zip_entry(&bytes, "xl/styles.xml");
    for code in [
        "#,##0.00&quot;\u{a0}€&quot;;&quot;-&quot;#,##0.00&quot;\u{a0}€&quot;", // money, German
        "0.0&quot;\u{a0}&quot;%",                                               // percent, German
        "dd.mm.yyyy",
        "#,##0.000", // three decimals
    ] {
        assert!(styles.contains(code), "{code} missing from {styles}");
    }
    let core = zip_entry(&bytes, "docProps/core.xml");
    assert!(core.contains("2026-04-07T07:30:00Z"), "{core}");
    assert!(core.contains("Plan-Ist-Bericht 2026"));
}

#[test]
fn an_empty_document_still_makes_a_workbook_excel_opens() {
    let doc = Document {
        title: "Leer".to_owned(),
        ..Document::default()
    };
    let (book, _) = xlsx(&doc);
    assert_eq!(book.sheet_names(), ["Leer"]);
}

// ---- CSV -----------------------------------------------------------------------------------

#[test]
fn german_csv_uses_semicolons_and_decimal_commas_and_reads_back_the_same_values() {
    let table = sample::monthly_table("leads", "Leads");
    let records = csv_records(&render_csv(&table, Locale::De).unwrap(), b';');
    assert_eq!(records.len(), 14);
    assert_eq!(
        records[0],
        [
            "Month",
            "Leads planned",
            "Leads actual",
            "Spend",
            "Conversion",
            "Closed on"
        ]
    );
    for m in 0..12_usize {
        let r = &records[m + 1];
        let mf = m as f64;
        let number = |s: &str| s.replace(',', ".").parse::<f64>().unwrap();
        assert_eq!(r[0], format!("Month {}", m + 1));
        assert_eq!(r[1].parse::<i64>().unwrap(), 100 + 10 * m as i64);
        assert_eq!(number(&r[3]), (123_456 * (m as i64 + 1)) as f64 / 100.0);
        assert_eq!(number(&r[4]), 0.11 + 0.005 * mf);
        assert_eq!(r[5], format!("2026-{:02}-28", m + 1));
    }
    assert_eq!(records[1][3], "1234,56");
    assert_eq!(records[13], ["Total", "1860", "1872", "96295,68", "", ""]);
}

#[test]
fn english_csv_uses_commas_and_decimal_points() {
    let table = sample::monthly_table("leads", "Leads");
    let bytes = render_csv(&table, Locale::En).unwrap();
    let records = csv_records(&bytes, b',');
    assert_eq!(records[1][3], "1234.56");
    assert_eq!(records[1][4], "0.11");
    assert!(
        String::from_utf8_lossy(&bytes)
            .lines()
            .nth(1)
            .unwrap()
            .contains("Month 1,100,90,1234.56")
    );
    let dutch = csv_records(&render_csv(&table, Locale::Nl).unwrap(), b';');
    assert_eq!(dutch[1][3], "1234,56");
}

#[test]
fn csv_neutralises_formula_like_text_but_not_negative_numbers() {
    let records = csv_records(
        &render_csv(&sample::awkward_table(), Locale::De).unwrap(),
        b';',
    );
    assert_eq!(records[1][0], "'=HYPERLINK(\"http://x\")");
    assert_eq!(records[1][1], "'+31 20 555 0100");
    assert_eq!(records[1][2], "-42,50");
    assert_eq!(records[1][3], "", "NaN is left empty");
    assert_eq!(records[2][0], "'@SUM(A1:A9)");
    assert_eq!(records[2][1], "'-minus first");
    assert_eq!(records[2][2], "1000000000000000");
    assert_eq!(records[3][0], "Marktplaats 🚗 👍");
    assert_eq!(records[3][3], "2,5");
}

#[test]
fn files_are_written_per_table_and_chart_with_safe_names() {
    let dir = tempfile::tempdir().unwrap();
    let doc = german_report();
    let csvs = write_csv_files(dir.path(), &doc).unwrap();
    let names: Vec<_> = csvs
        .iter()
        .map(|p| p.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(names, ["leads.csv", "sources.csv", "long.csv"]);
    let pngs = write_chart_pngs(dir.path(), &doc, 1.0).unwrap();
    assert_eq!(pngs, [dir.path().join("leads-per-month.png")]);
    write_xlsx(&dir.path().join("report.xlsx"), &doc, sample::created()).unwrap();
    assert!(dir.path().join("report.xlsx").metadata().unwrap().len() > 1000);
}

// ---- PNG -----------------------------------------------------------------------------------

#[test]
fn a_chart_png_decodes_at_its_size_times_the_scale_with_the_bars_drawn() {
    let svg = sample::bar_chart_svg("Leads", &[100.0, 50.0]);
    let png_bytes = render_chart_png("leads", &svg, 2.0).unwrap();
    let decoder = png::Decoder::new(Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    // 640 × 300 at scale 2
    assert_eq!((info.width, info.height), (1280, 600));
    assert_eq!(info.color_type, png::ColorType::Rgba);
    // the first bar spans x 55–254.5 and y 60–260 in SVG units; its middle, doubled, is
    // (310, 320), filled #3b6ea5
    let at = |x: usize, y: usize| {
        let i = (y * 1280 + x) * 4;
        [pixels[i], pixels[i + 1], pixels[i + 2], pixels[i + 3]]
    };
    assert_eq!(at(310, 320), [0x3b, 0x6e, 0xa5, 0xff]);
    // the background is white, not transparent
    assert_eq!(at(2, 2), [0xff, 0xff, 0xff, 0xff]);
}

// ---- for people ----------------------------------------------------------------------------

/// Writes the sample reports to target/tmp/report-sample for a person to look at
/// (`pdftoppm -png -r 60 report-de.pdf page`).
#[test]
fn the_sample_reports_are_written_for_inspection() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-sample");
    std::fs::create_dir_all(&dir).unwrap();
    let german = german_report();
    write_pdf(
        &dir.join("report-de.pdf"),
        &german,
        PdfOptions::new(sample::created()),
    )
    .unwrap();
    write_xlsx(&dir.join("report-de.xlsx"), &german, sample::created()).unwrap();
    write_csv_files(&dir, &german).unwrap();
    write_chart_pngs(&dir, &german, 2.0).unwrap();
    let large = sample::large_report();
    write_pdf(
        &dir.join("report-large-en.pdf"),
        &large,
        PdfOptions::new(sample::created()),
    )
    .unwrap();
    let hostile = &hostile_documents()[1];
    write_pdf(
        &dir.join("report-hostile.pdf"),
        hostile,
        PdfOptions::new(sample::created()),
    )
    .unwrap();
}
