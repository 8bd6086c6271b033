//! `leadplan meeting list|show|minutes`.

use std::fmt::Write as _;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use leadplan_core::{Side, format, i18n};
use leadplan_report::{PdfOptions, write_pdf};
use leadplan_workbook::Workbook;

use crate::err;

#[derive(clap::Subcommand)]
pub enum MeetingAction {
    /// Every meeting, newest first.
    List { workbook: PathBuf },
    /// One meeting: attendees, agenda with notes and decisions, action items.
    Show {
        workbook: PathBuf,
        /// The meeting's id (see `leadplan meeting list`); default the latest.
        #[arg(long)]
        id: Option<i64>,
    },
    /// Write a meeting's minutes as a PDF.
    Minutes {
        workbook: PathBuf,
        /// The meeting's id; default the latest.
        #[arg(long)]
        id: Option<i64>,
        /// The PDF file to write.
        #[arg(long)]
        out: PathBuf,
        /// Figures as of this day (YYYY-MM-DD); default today.
        #[arg(long)]
        today: Option<NaiveDate>,
    },
}

fn meeting_id(wb: &Workbook, id: Option<i64>) -> Result<i64, String> {
    match id {
        Some(id) => Ok(id),
        None => wb
            .meetings()
            .map_err(err)?
            .first()
            .map(|m| m.id)
            .ok_or_else(|| "the workbook has no meetings".to_owned()),
    }
}

pub fn run(action: MeetingAction, now: DateTime<Utc>) -> Result<(), String> {
    match action {
        MeetingAction::List { workbook } => {
            let wb = Workbook::open(&workbook).map_err(err)?;
            let locale = wb.settings().map_err(err)?.locale;
            for m in wb.meetings().map_err(err)? {
                say!(
                    "{:>4}  {}  {}  ({} attendees)",
                    m.id,
                    format::date(m.held_on, locale),
                    m.title,
                    m.attendees.len()
                );
            }
            Ok(())
        }
        MeetingAction::Show { workbook, id } => {
            let wb = Workbook::open(&workbook).map_err(err)?;
            let record = wb.meeting_record(meeting_id(&wb, id)?).map_err(err)?;
            let l = wb.settings().map_err(err)?.locale;
            let mut out = String::new();
            let m = &record.meeting;
            let _ = writeln!(out, "{} — {}", m.title, format::date(m.held_on, l));
            for side in [Side::Marketing, Side::Sales] {
                let names: Vec<&str> = m
                    .attendees
                    .iter()
                    .filter(|a| a.side == side)
                    .map(|a| a.name.as_str())
                    .collect();
                let _ = writeln!(
                    out,
                    "{}: {}",
                    i18n::text(l, &format!("side.{}", side.code())),
                    names.join(", ")
                );
            }
            let _ = writeln!(out, "\nAgenda");
            for (n, item) in (1..).zip(&record.agenda) {
                let _ = writeln!(out, "{n:>3}. {}", item.title);
                for (label, value) in [
                    ("", &item.detail),
                    ("notes: ", &item.notes),
                    ("decision: ", &item.decision),
                ] {
                    if !value.trim().is_empty() {
                        let _ = writeln!(out, "     {label}{value}");
                    }
                }
            }
            let _ = writeln!(out, "\nAction items");
            let today = now.date_naive();
            for a in &record.action_items {
                let due = a.due_on.map(|d| format::date(d, l)).unwrap_or_default();
                let overdue = if a.is_overdue(today) { " OVERDUE" } else { "" };
                let _ = writeln!(
                    out,
                    "  [{}] {} — {} ({}) {due}{overdue}",
                    a.status.code(),
                    a.text,
                    a.owner,
                    a.owner_side.code()
                );
            }
            put!("{out}");
            Ok(())
        }
        MeetingAction::Minutes {
            workbook,
            id,
            out,
            today,
        } => {
            let wb = Workbook::open(&workbook).map_err(err)?;
            let id = meeting_id(&wb, id)?;
            let doc = leadplan_report::minutes(&wb, id, today.unwrap_or(now.date_naive()))
                .map_err(err)?;
            write_pdf(&out, &doc, PdfOptions::new(now.fixed_offset()))
                .map_err(|e| e.to_string())?;
            say!("Wrote the minutes of meeting {id} to {}.", out.display());
            Ok(())
        }
    }
}
