//! The minutes of a joint planning meeting: attendees, the agenda with notes and
//! decisions, action items, the plan versions re-planned or frozen, and the key charts of
//! the period reviewed — written through the same pipeline as every report.

use chrono::NaiveDate;
use leadplan_charts::shared::{SharedData, render};
use leadplan_charts::{ChartId, Theme};
use leadplan_core::actuals::Filter;
use leadplan_core::i18n::{month_short, text, text_with};
use leadplan_core::{ActionItem, Locale, PlanYear, Side};
use leadplan_workbook::{MeetingRecord, Workbook, WorkbookError};

use crate::{Block, Cell, Chart, Column, ColumnKind, Document, Metadata, Section, Table};

/// The charts the minutes carry.
const KEY_CHARTS: [ChartId; 3] = [
    ChartId::LeadsPlanVsActual,
    ChartId::CumulativeVsPlan,
    ChartId::ConversionVsFloor,
];

fn names(record: &MeetingRecord, side: Side) -> String {
    let names: Vec<&str> = record
        .meeting
        .attendees
        .iter()
        .filter(|a| a.side == side)
        .map(|a| a.name.as_str())
        .collect();
    if names.is_empty() {
        "–".to_owned()
    } else {
        names.join(", ")
    }
}

/// "Jan–Mar 2026" for plan months `from..=to` of `year`.
pub(crate) fn period(year: PlanYear, from: u32, to: u32, l: Locale) -> String {
    let (a, b) = (year.month(from as usize), year.month(to as usize));
    if a.year == b.year {
        format!(
            "{}–{} {}",
            month_short(l, a.month),
            month_short(l, b.month),
            b.year
        )
    } else {
        format!(
            "{} {}–{} {}",
            month_short(l, a.month),
            a.year,
            month_short(l, b.month),
            b.year
        )
    }
}

pub(crate) fn action_table(items: &[ActionItem], l: Locale, today: NaiveDate) -> Table {
    let t = |key: &str| text(l, key);
    Table {
        id: "action_items".into(),
        title: t("minutes.action_items"),
        columns: vec![
            Column::new(t("minutes.action"), ColumnKind::Text),
            Column::new(t("minutes.side"), ColumnKind::Text),
            Column::new(t("minutes.owner"), ColumnKind::Text),
            Column::new(t("minutes.due"), ColumnKind::Date),
            Column::new(t("minutes.status"), ColumnKind::Text),
        ],
        rows: items
            .iter()
            .map(|a| {
                let status = Cell::text(text(l, &format!("action_status.{}", a.status.code())));
                vec![
                    Cell::text(a.text.clone()),
                    Cell::text(text(l, &format!("side.{}", a.owner_side.code()))),
                    Cell::text(a.owner.clone()),
                    a.due_on.map_or_else(Cell::empty, Cell::date),
                    if a.is_overdue(today) {
                        status.with_status(crate::Status::Bad)
                    } else {
                        status
                    },
                ]
            })
            .collect(),
        totals: None,
    }
}

/// The minutes of meeting `meeting_id` as a document, with the figures as of `today`.
///
/// # Errors
/// `Missing` meeting; a plan that cannot be computed leaves the charts out instead.
pub fn minutes(
    wb: &Workbook,
    meeting_id: i64,
    today: NaiveDate,
) -> Result<Document, WorkbookError> {
    let record = wb.meeting_record(meeting_id)?;
    let settings = wb.settings()?;
    let l = settings.locale;
    let t = |key: &str| text(l, key);
    let m = &record.meeting;
    let version = m
        .plan_version_id
        .map(|id| wb.plan_version(id))
        .transpose()?;
    let version_name = |id: Option<i64>| -> Result<Option<String>, WorkbookError> {
        Ok(id
            .map(|id| wb.plan_version(id))
            .transpose()?
            .map(|v| format!("{} {}", v.year, v.name)))
    };
    let period_text = version
        .as_ref()
        .map(|v| {
            period(
                PlanYear::new(v.year, settings.fiscal_year_start_month),
                m.period_from,
                m.period_to,
                l,
            )
        })
        .unwrap_or_default();

    let mut about = vec![
        (t("minutes.date"), leadplan_core::format::date(m.held_on, l)),
        (t("side.marketing"), names(&record, Side::Marketing)),
        (t("side.sales"), names(&record, Side::Sales)),
    ];
    if let Some(v) = &version {
        about.push((t("minutes.version"), format!("{} {}", v.year, v.name)));
        about.push((t("minutes.period"), period_text.clone()));
    }
    let mut meeting_blocks = vec![Block::KeyValues(about)];
    if !m.notes.trim().is_empty() {
        meeting_blocks.push(Block::Paragraph(m.notes.clone()));
    }

    let mut agenda_blocks = Vec::new();
    for (n, item) in (1..).zip(&record.agenda) {
        agenda_blocks.push(Block::Heading {
            level: 2,
            text: format!("{n}. {}", item.title),
        });
        if !item.detail.is_empty() {
            agenda_blocks.push(Block::Paragraph(item.detail.clone()));
        }
        if !item.notes.trim().is_empty() {
            agenda_blocks.push(Block::Paragraph(text_with(
                l,
                "minutes.notes_text",
                &[("notes", &item.notes)],
            )));
        }
        if !item.decision.trim().is_empty() {
            agenda_blocks.push(Block::Paragraph(text_with(
                l,
                "minutes.decision_text",
                &[("decision", &item.decision)],
            )));
        }
    }
    if record.agenda.is_empty() {
        agenda_blocks.push(Block::Paragraph(t("minutes.no_agenda")));
    }

    let decisions: Vec<String> = record
        .agenda
        .iter()
        .filter(|i| !i.decision.trim().is_empty())
        .map(|i| format!("{}: {}", i.title, i.decision))
        .collect();
    let decision_blocks = vec![if decisions.is_empty() {
        Block::Paragraph(t("minutes.no_decisions"))
    } else {
        Block::Bullets(decisions)
    }];

    let mut sections = vec![
        Section {
            title: t("minutes.meeting"),
            blocks: meeting_blocks,
        },
        Section {
            title: t("minutes.agenda"),
            blocks: agenda_blocks,
        },
        Section {
            title: t("minutes.decisions"),
            blocks: decision_blocks,
        },
        Section {
            title: t("minutes.action_items"),
            blocks: vec![Block::Table(action_table(&record.action_items, l, today))],
        },
    ];

    let mut versions = Vec::new();
    if let Some(name) = version_name(m.replan_version_id)? {
        versions.push((t("minutes.replan"), name));
    }
    if let Some(name) = version_name(m.baseline_version_id)? {
        versions.push((t("minutes.baseline"), name));
    }
    if !versions.is_empty() {
        sections.push(Section {
            title: t("minutes.versions"),
            blocks: vec![Block::KeyValues(versions)],
        });
    }

    if let Some(v) = &version {
        let filter = Filter {
            first_month: m.period_from,
            last_month: m.period_to,
            ..Filter::default()
        };
        // minutes are still worth having when the plan cannot be computed: charts are left out
        if let (Ok(compare), Ok(plan)) = (wb.compare(v.id, &filter, today), wb.computed_plan(v.id))
        {
            let data = SharedData {
                compare: &compare,
                plan: &plan,
                currency: &settings.currency,
            };
            let theme = Theme::light(l);
            let blocks = KEY_CHARTS
                .into_iter()
                .map(|id| {
                    Block::Chart(Chart {
                        id: id.as_str().to_owned(),
                        svg: render(id, &data, &theme),
                        caption: String::new(),
                    })
                })
                .collect();
            sections.push(Section {
                title: t("minutes.charts"),
                blocks,
            });
        }
    }

    Ok(Document {
        title: text_with(l, "minutes.title", &[("title", &m.title)]),
        subtitle: leadplan_core::format::date(m.held_on, l),
        locale: l,
        currency: settings.currency.clone(),
        page_size: crate::PageSize::A4,
        metadata: Metadata {
            organisation: settings.organisation,
            period: period_text,
            plan_version: version.map(|v| v.name).unwrap_or_default(),
            data_date: Some(today),
        },
        sections,
    })
}
