//! Sample documents shared by the integration tests and the benchmark.

use chrono::{DateTime, FixedOffset, NaiveDate};
use leadplan_core::{Locale, Money};
use leadplan_report::{
    Block, Cell, Chart, Column, ColumnKind, Document, Metadata, PageSize, Section, Status, Table,
};

/// A hand-written bar chart with text, standing in for the charts crate's output.
pub fn bar_chart_svg(title: &str, values: &[f64]) -> String {
    let width = 640.0;
    let height = 300.0;
    let max = values.iter().copied().fold(1.0_f64, f64::max);
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}">
<rect width="{width}" height="{height}" fill="#ffffff"/>
<text x="20" y="28" font-family="sans-serif" font-size="16" font-weight="bold" fill="#1f2933">{title}</text>
<line x1="50" y1="260" x2="620" y2="260" stroke="#888" stroke-width="1"/>
"##
    );
    let step = 570.0 / values.len().max(1) as f64;
    for (i, v) in values.iter().enumerate() {
        let h = 200.0 * v / max;
        let x = 55.0 + step * i as f64;
        svg.push_str(&format!(
            r##"<rect x="{x:.1}" y="{:.1}" width="{:.1}" height="{h:.1}" fill="#3b6ea5"/>
<text x="{:.1}" y="278" font-family="Helvetica" font-size="11" text-anchor="middle" fill="#444">M{}</text>
"##,
            260.0 - h,
            step * 0.7,
            x + step * 0.35,
            i + 1
        ));
    }
    svg.push_str("</svg>");
    svg
}

pub fn created() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-04-07T09:30:00+02:00").unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// A 12-month plan-vs-actual table; leads planned 100 + 10·m, actual 90 + 12·m,
/// spend 1,234.56 € × (m + 1), conversion 0.11 + 0.005·m.
pub fn monthly_table(id: &str, title: &str) -> Table {
    let columns = vec![
        Column::new("Month", ColumnKind::Text),
        Column::new("Leads planned", ColumnKind::Integer),
        Column::new("Leads actual", ColumnKind::Integer),
        Column::new("Spend", ColumnKind::Money { decimals: 2 }),
        Column::new("Conversion", ColumnKind::Percent { decimals: 1 }),
        Column::new("Closed on", ColumnKind::Date),
    ];
    let mut rows = Vec::new();
    for m in 0..12_i64 {
        let conversion = 0.11 + 0.005 * m as f64;
        let status = if conversion < 0.13 {
            Status::Bad
        } else if conversion < 0.14 {
            Status::Warn
        } else {
            Status::Ok
        };
        rows.push(vec![
            Cell::text(format!("Month {}", m + 1)),
            Cell::integer(100 + 10 * m),
            Cell::integer(90 + 12 * m),
            Cell::money(Money::from_cents(123_456 * (m + 1))),
            Cell::number(conversion).with_status(status),
            Cell::date(day(2026, u32::try_from(m).unwrap() + 1, 28)),
        ]);
    }
    Table {
        id: id.to_owned(),
        title: title.to_owned(),
        columns,
        rows,
        // 12·100 + 10·66 = 1,860 planned; 12·90 + 12·66 = 1,872 actual;
        // 1,234.56 € × 78 = 96,295.68 €
        totals: Some(vec![
            Cell::text("Total"),
            Cell::integer(1860),
            Cell::integer(1872),
            Cell::money(Money::from_cents(9_629_568)),
            Cell::empty(),
            Cell::empty(),
        ]),
    }
}

/// A table of awkward text: formula-looking names, a long word, emoji, an empty cell.
pub fn awkward_table() -> Table {
    Table {
        id: "sources".to_owned(),
        title: "Sources".to_owned(),
        columns: vec![
            Column::new("Source", ColumnKind::Text),
            Column::new("Note", ColumnKind::Text),
            Column::new("Cost per lead", ColumnKind::Money { decimals: 2 }),
            Column::new("Ratio", ColumnKind::Number { decimals: 3 }),
        ],
        rows: vec![
            vec![
                Cell::text("=HYPERLINK(\"http://x\")"),
                Cell::text("+31 20 555 0100"),
                Cell::money(Money::from_cents(-4_250)),
                Cell::number(f64::NAN),
            ],
            vec![
                Cell::text("@SUM(A1:A9)"),
                Cell::text("-minus first"),
                Cell::number(1.0e15),
                Cell::number(f64::INFINITY),
            ],
            vec![
                Cell::text("Marktplaats 🚗 👍"),
                Cell::text(format!("Supercalifragilistic{}", "x".repeat(300))),
                Cell::empty(),
                Cell::number(2.5),
            ],
        ],
        totals: None,
    }
}

/// The report the tests read back: German, a cover, contents, tables, charts.
pub fn german_report() -> Document {
    let chart = Chart {
        id: "leads-per-month".to_owned(),
        svg: bar_chart_svg("Leads je Monat", &[120.0, 90.0, 140.0, 160.0, 110.0, 95.0]),
        caption: "Abbildung 1: Leads je Monat, Plan und Ist.".to_owned(),
    };
    Document {
        title: "Plan-Ist-Bericht 2026".to_owned(),
        subtitle: "Leads, Konversion und Nachverfolgung".to_owned(),
        locale: Locale::De,
        currency: "EUR".to_owned(),
        page_size: PageSize::A4,
        metadata: Metadata {
            organisation: "Autohaus Beispiel GmbH".to_owned(),
            period: "Januar–März 2026".to_owned(),
            plan_version: "Baseline 2026".to_owned(),
            data_date: Some(day(2026, 3, 31)),
        },
        sections: vec![
            Section {
                title: "Zusammenfassung".to_owned(),
                blocks: vec![
                    Block::Paragraph(
                        "Marketing und Vertrieb haben die Zahlen gemeinsam geprüft. ".repeat(12),
                    ),
                    Block::KeyValues(vec![
                        (
                            "Teilnehmer".to_owned(),
                            "Anna (Marketing), Ben (Vertrieb)".to_owned(),
                        ),
                        (
                            "Beschluss".to_owned(),
                            "Budget für Marktplätze um 10 % erhöhen.".to_owned(),
                        ),
                    ]),
                    Block::Bullets(vec![
                        "Leads aus der Website liegen über Plan.".to_owned(),
                        "Die Konversion von Marktplätzen liegt unter der Schwelle von 13 %."
                            .to_owned(),
                    ]),
                ],
            },
            Section {
                title: "Leads".to_owned(),
                blocks: vec![
                    Block::Chart(chart),
                    Block::Heading {
                        level: 1,
                        text: "Plan und Ist je Monat".to_owned(),
                    },
                    Block::Table(monthly_table("leads", "Leads je Monat")),
                ],
            },
            Section {
                title: "Quellen".to_owned(),
                blocks: vec![Block::Table(awkward_table()), Block::PageBreak],
            },
            Section {
                title: "Anhang".to_owned(),
                blocks: vec![
                    Block::Heading {
                        level: 2,
                        text: "Lange Tabelle".to_owned(),
                    },
                    Block::Table(long_table("long", 90)),
                ],
            },
        ],
    }
}

/// A table of `rows` rows, long enough to run over several pages.
pub fn long_table(id: &str, rows: usize) -> Table {
    Table {
        id: id.to_owned(),
        title: format!("Table {id}"),
        columns: vec![
            Column::new("Lead", ColumnKind::Text),
            Column::new("Attempts", ColumnKind::Integer),
            Column::new("Value", ColumnKind::Money { decimals: 0 }),
            Column::new(
                "Minutes to first contact",
                ColumnKind::Number { decimals: 1 },
            ),
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    Cell::text(format!("Lead {i:04}")),
                    Cell::integer(i as i64 % 7),
                    Cell::money(Money::from_units(i as i64 * 250)),
                    Cell::number(i as f64 * 1.5),
                ]
            })
            .collect(),
        totals: None,
    }
}

/// About 20 pages with 8 charts and 10 tables, in English on US Letter.
pub fn large_report() -> Document {
    let mut sections = Vec::new();
    for s in 0..10 {
        let mut blocks = vec![Block::Paragraph(
            "Plan and actual figures for the period, with the gap to target. ".repeat(8),
        )];
        if s < 8 {
            blocks.push(Block::Chart(Chart {
                id: format!("chart-{s}"),
                svg: bar_chart_svg(
                    &format!("Chart {s}"),
                    &[
                        10.0, 20.0, 30.0, 25.0, 15.0, 35.0, 40.0, 30.0, 20.0, 10.0, 5.0, 50.0,
                    ],
                ),
                caption: format!("Chart {s}: leads per month."),
            }));
        }
        blocks.push(Block::Table(if s % 2 == 0 {
            monthly_table(&format!("t{s}"), &format!("Table {s}"))
        } else {
            long_table(&format!("t{s}"), 66)
        }));
        sections.push(Section {
            title: format!("Section {s}"),
            blocks,
        });
    }
    Document {
        title: "Plan vs actual 2026".to_owned(),
        subtitle: "Monthly report".to_owned(),
        locale: Locale::En,
        currency: "EUR".to_owned(),
        page_size: PageSize::UsLetter,
        metadata: Metadata {
            organisation: "Example Motors Ltd".to_owned(),
            period: "FY 2026".to_owned(),
            plan_version: "Baseline".to_owned(),
            data_date: Some(day(2026, 6, 30)),
        },
        sections,
    }
}
