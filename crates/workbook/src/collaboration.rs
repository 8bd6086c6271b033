//! What marketing and sales do together: meetings, action items, the glossary and
//! lead-quality feedback.

use chrono::{DateTime, NaiveDate, Utc};
use leadplan_core::model::{MAX_NAME, MAX_TEXT};
use leadplan_core::{
    ActionItem, ActionStatus, Agreement, Attendee, GlossaryTerm, LeadQualityFeedback, Meeting,
    Rule, Side, Validator,
};
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Result, WorkbookError};
use crate::sql::{code, date, date_text, opt_date, opt_time, ts};
use crate::store::Workbook;

/// A meeting to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewMeeting {
    pub held_on: NaiveDate,
    pub title: String,
    #[ts(type = "number | null")]
    pub plan_version_id: Option<i64>,
    pub period_from: u32,
    pub period_to: u32,
    pub attendees: Vec<Attendee>,
    pub notes: String,
}

/// An action item to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewActionItem {
    #[ts(type = "number | null")]
    pub meeting_id: Option<i64>,
    pub text: String,
    pub owner_side: Side,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
}

/// Feedback to record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct NewFeedback {
    #[ts(type = "number")]
    pub source_id: i64,
    pub year: i32,
    pub month: u32,
    pub rating: u8,
    pub reasons: Vec<String>,
    pub given_by: String,
}

pub(crate) fn check_meeting(m: &NewMeeting) -> Result<()> {
    let mut v = Validator::new();
    v.optional_text("title", &m.title, MAX_NAME);
    v.optional_text("notes", &m.notes, MAX_TEXT);
    v.range("period_from", f64::from(m.period_from), 0.0, 11.0);
    v.range(
        "period_to",
        f64::from(m.period_to),
        f64::from(m.period_from.min(11)),
        11.0,
    );
    for (i, a) in m.attendees.iter().enumerate() {
        v.text(&format!("attendees[{i}].name"), &a.name, MAX_NAME);
    }
    Ok(v.finish()?)
}

fn check_action(text: &str, owner: &str) -> Result<()> {
    let mut v = Validator::new();
    v.text("text", text, MAX_TEXT);
    v.optional_text("owner", owner, MAX_NAME);
    Ok(v.finish()?)
}

pub(crate) fn insert_meeting(conn: &Connection, m: &NewMeeting) -> Result<i64> {
    check_meeting(m)?;
    conn.execute(
        "INSERT INTO meeting (held_on, title, plan_version_id, period_from, period_to, notes)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            date_text(m.held_on),
            m.title.trim(),
            m.plan_version_id,
            m.period_from,
            m.period_to,
            m.notes
        ],
    )?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO meeting_attendee (meeting_id, position, name, side) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (i, a) in (0_i64..).zip(&m.attendees) {
        stmt.execute(params![id, i, a.name.trim(), a.side.code()])?;
    }
    Ok(id)
}

fn attendees(conn: &Connection, meeting_id: i64) -> Result<Vec<Attendee>> {
    let mut stmt = conn.prepare_cached(
        "SELECT name, side FROM meeting_attendee WHERE meeting_id = ?1 ORDER BY position",
    )?;
    let rows = stmt
        .query_map([meeting_id], |r| {
            Ok(Attendee {
                name: r.get(0)?,
                side: code(r, 1, Side::parse)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

fn meeting_from_row(r: &Row<'_>) -> rusqlite::Result<Meeting> {
    Ok(Meeting {
        id: r.get(0)?,
        held_on: date(r, 1)?,
        title: r.get(2)?,
        plan_version_id: r.get(3)?,
        period_from: r.get(4)?,
        period_to: r.get(5)?,
        attendees: Vec::new(),
        notes: r.get(6)?,
        replan_version_id: r.get(7)?,
        baseline_version_id: r.get(8)?,
    })
}

const MEETING_COLUMNS: &str = "id, held_on, title, plan_version_id, period_from, period_to, notes,
    replan_version_id, baseline_version_id";

pub(crate) fn insert_action(
    conn: &Connection,
    a: &NewActionItem,
    now: DateTime<Utc>,
) -> Result<i64> {
    check_action(&a.text, &a.owner)?;
    conn.execute(
        "INSERT INTO action_item (meeting_id, text, owner_side, owner, due_on, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            a.meeting_id,
            a.text.trim(),
            a.owner_side.code(),
            a.owner.trim(),
            a.due_on.map(date_text),
            ts(now)
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

fn action_from_row(r: &Row<'_>) -> rusqlite::Result<ActionItem> {
    Ok(ActionItem {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        text: r.get(2)?,
        owner_side: code(r, 3, Side::parse)?,
        owner: r.get(4)?,
        due_on: opt_date(r, 5)?,
        status: code(r, 6, ActionStatus::parse)?,
    })
}

pub(crate) fn insert_term(conn: &Connection, term: &str, definition: &str) -> Result<i64> {
    let mut v = Validator::new();
    v.text("term", term, MAX_NAME);
    v.text("definition", definition, MAX_TEXT);
    v.finish()?;
    let taken: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM glossary_term WHERE term = ?1)",
        [term.trim()],
        |r| r.get(0),
    )?;
    if taken {
        let mut v = Validator::new();
        v.fail("term", Rule::Duplicate);
        v.finish()?;
    }
    conn.execute(
        "INSERT INTO glossary_term (term, definition) VALUES (?1, ?2)",
        params![term.trim(), definition.trim()],
    )?;
    Ok(conn.last_insert_rowid())
}

fn agreement(r: &Row<'_>, by: usize) -> rusqlite::Result<Option<Agreement>> {
    let who: Option<String> = r.get(by)?;
    let at = opt_time(r, by + 1)?;
    Ok(who.zip(at).map(|(by, at)| Agreement { by, at }))
}

fn term_from_row(r: &Row<'_>) -> rusqlite::Result<GlossaryTerm> {
    Ok(GlossaryTerm {
        id: r.get(0)?,
        term: r.get(1)?,
        definition: r.get(2)?,
        marketing: agreement(r, 3)?,
        sales: agreement(r, 5)?,
    })
}

const TERM_COLUMNS: &str = "id, term, definition, marketing_agreed_by, marketing_agreed_at, sales_agreed_by, sales_agreed_at";

fn get_term(conn: &Connection, id: i64) -> Result<GlossaryTerm> {
    conn.query_row(
        &format!("SELECT {TERM_COLUMNS} FROM glossary_term WHERE id = ?1"),
        [id],
        term_from_row,
    )
    .optional()?
    .ok_or(WorkbookError::Missing {
        what: "glossary term",
        id,
    })
}

pub(crate) fn insert_feedback(
    conn: &Connection,
    f: &NewFeedback,
    now: DateTime<Utc>,
) -> Result<i64> {
    let mut v = Validator::new();
    v.range("rating", f64::from(f.rating), 1.0, 5.0);
    v.range("month", f64::from(f.month), 1.0, 12.0);
    v.optional_text("given_by", &f.given_by, MAX_NAME);
    for (i, reason) in f.reasons.iter().enumerate() {
        v.text(&format!("reasons[{i}]"), reason, MAX_NAME);
    }
    v.finish()?;
    conn.execute(
        "INSERT INTO lead_feedback (source_id, year, month, rating, given_by, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            f.source_id,
            f.year,
            f.month,
            f.rating,
            f.given_by.trim(),
            ts(now)
        ],
    )?;
    let id = conn.last_insert_rowid();
    for reason in &f.reasons {
        conn.execute(
            "INSERT OR IGNORE INTO feedback_reason (label) VALUES (?1)",
            [reason.trim()],
        )?;
        conn.execute(
            "INSERT OR IGNORE INTO lead_feedback_reason (feedback_id, reason_id)
             SELECT ?1, id FROM feedback_reason WHERE label = ?2",
            params![id, reason.trim()],
        )?;
    }
    Ok(id)
}

impl Workbook {
    /// Records a meeting with its attendees; returns its id.
    ///
    /// # Errors
    /// `Validation`.
    pub fn add_meeting(&mut self, m: &NewMeeting) -> Result<i64> {
        self.write(|tx| insert_meeting(tx, m))
    }

    /// Every meeting, newest first, with attendees.
    ///
    /// # Errors
    /// Storage errors.
    pub fn meetings(&self) -> Result<Vec<Meeting>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {MEETING_COLUMNS} FROM meeting ORDER BY held_on DESC, id DESC"
        ))?;
        let mut rows: Vec<Meeting> = stmt
            .query_map([], meeting_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        for m in &mut rows {
            m.attendees = attendees(&self.conn, m.id)?;
        }
        Ok(rows)
    }

    /// One meeting with its attendees.
    ///
    /// # Errors
    /// `Missing`.
    pub fn meeting(&self, id: i64) -> Result<Meeting> {
        let mut m = self
            .conn
            .query_row(
                &format!("SELECT {MEETING_COLUMNS} FROM meeting WHERE id = ?1"),
                [id],
                meeting_from_row,
            )
            .optional()?
            .ok_or(WorkbookError::Missing {
                what: "meeting",
                id,
            })?;
        m.attendees = attendees(&self.conn, id)?;
        Ok(m)
    }

    /// Records an action item; returns its id.
    ///
    /// # Errors
    /// `Validation`.
    pub fn add_action_item(&mut self, a: &NewActionItem, now: DateTime<Utc>) -> Result<i64> {
        self.write(|tx| insert_action(tx, a, now))
    }

    /// Action items, of one meeting or of all; open ones first, then by due date.
    ///
    /// # Errors
    /// Storage errors.
    pub fn action_items(&self, meeting_id: Option<i64>) -> Result<Vec<ActionItem>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, meeting_id, text, owner_side, owner, due_on, status FROM action_item
             WHERE ?1 IS NULL OR meeting_id = ?1
             ORDER BY status IN ('done', 'cancelled'), due_on IS NULL, due_on, id",
        )?;
        let rows = stmt
            .query_map([meeting_id], action_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Sets an action item's status.
    ///
    /// # Errors
    /// `Missing`.
    pub fn set_action_status(
        &mut self,
        id: i64,
        status: ActionStatus,
        now: DateTime<Utc>,
    ) -> Result<()> {
        self.write(|tx| {
            let closed = (!status.is_open()).then(|| ts(now));
            let n = tx.execute(
                "UPDATE action_item SET status = ?2, closed_at = ?3 WHERE id = ?1",
                params![id, status.code(), closed],
            )?;
            if n == 0 {
                return Err(WorkbookError::Missing {
                    what: "action item",
                    id,
                });
            }
            Ok(())
        })
    }

    /// The glossary, alphabetically.
    ///
    /// # Errors
    /// Storage errors.
    pub fn glossary(&self) -> Result<Vec<GlossaryTerm>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT {TERM_COLUMNS} FROM glossary_term ORDER BY term"
        ))?;
        let rows = stmt
            .query_map([], term_from_row)?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// Adds a term; returns its id.
    ///
    /// # Errors
    /// `Validation` (empty or taken term, empty definition).
    pub fn add_term(&mut self, term: &str, definition: &str) -> Result<i64> {
        self.write(|tx| insert_term(tx, term, definition))
    }

    /// Changes a definition's text. Agreement belongs to the exact text, so a changed text
    /// clears both sides' agreement.
    ///
    /// # Errors
    /// `Validation`, `Missing`.
    pub fn edit_definition(&mut self, id: i64, definition: &str) -> Result<GlossaryTerm> {
        let mut v = Validator::new();
        v.text("definition", definition, MAX_TEXT);
        v.finish()?;
        self.write(|tx| {
            let current = get_term(tx, id)?;
            if current.definition != definition.trim() {
                tx.execute(
                    "UPDATE glossary_term SET definition = ?2, marketing_agreed_by = NULL,
                         marketing_agreed_at = NULL, sales_agreed_by = NULL, sales_agreed_at = NULL
                     WHERE id = ?1",
                    params![id, definition.trim()],
                )?;
            }
            get_term(tx, id)
        })
    }

    /// Records one side's agreement to a definition's current text. `text_seen` is the text
    /// the person agreed to: if it changed meanwhile, nothing is recorded.
    ///
    /// # Errors
    /// `Validation` (no name, or the text changed since it was read), `Missing`.
    pub fn agree_definition(
        &mut self,
        id: i64,
        side: Side,
        by: &str,
        text_seen: &str,
        now: DateTime<Utc>,
    ) -> Result<GlossaryTerm> {
        let mut v = Validator::new();
        v.text("by", by, MAX_NAME);
        v.finish()?;
        self.write(|tx| {
            let current = get_term(tx, id)?;
            if current.definition != text_seen.trim() {
                let mut v = Validator::new();
                v.fail("definition", Rule::Other { message: "the definition changed; read it again".into() });
                v.finish()?;
            }
            let column = match side {
                Side::Marketing => "marketing",
                Side::Sales => "sales",
            };
            tx.execute(
                &format!("UPDATE glossary_term SET {column}_agreed_by = ?2, {column}_agreed_at = ?3 WHERE id = ?1"),
                params![id, by.trim(), ts(now)],
            )?;
            get_term(tx, id)
        })
    }

    /// Removes a term from the glossary.
    ///
    /// # Errors
    /// `Missing`.
    pub fn delete_term(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM glossary_term WHERE id = ?1", [id])? == 0 {
                return Err(WorkbookError::Missing {
                    what: "glossary term",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Records sales' rating of a source's leads in a month; returns its id.
    ///
    /// # Errors
    /// `Validation` (rating outside 1..=5, month outside 1..=12).
    pub fn add_feedback(&mut self, f: &NewFeedback, now: DateTime<Utc>) -> Result<i64> {
        self.write(|tx| insert_feedback(tx, f, now))
    }

    /// Removes a rating given by mistake (its reasons stay offered).
    ///
    /// # Errors
    /// `Missing`.
    pub fn delete_feedback(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM lead_feedback WHERE id = ?1", [id])? == 0 {
                return Err(WorkbookError::Missing {
                    what: "lead-quality rating",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Feedback of one calendar year, by source and month.
    ///
    /// # Errors
    /// Storage errors.
    pub fn feedback(&self, year: i32) -> Result<Vec<LeadQualityFeedback>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.id, f.source_id, f.year, f.month, f.rating, f.given_by,
                    (SELECT json_group_array(r.label) FROM lead_feedback_reason x
                     JOIN feedback_reason r ON r.id = x.reason_id WHERE x.feedback_id = f.id)
             FROM lead_feedback f WHERE f.year = ?1 ORDER BY f.source_id, f.month, f.id",
        )?;
        let rows = stmt
            .query_map([year], |r| {
                let reasons: String = r.get(6)?;
                Ok(LeadQualityFeedback {
                    id: r.get(0)?,
                    source_id: r.get(1)?,
                    year: r.get(2)?,
                    month: r.get(3)?,
                    rating: r.get(4)?,
                    reasons: serde_json::from_str(&reasons).unwrap_or_default(),
                    given_by: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The reasons offered when giving feedback (the list grows as reasons are used).
    ///
    /// # Errors
    /// Storage errors.
    pub fn feedback_reasons(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT label FROM feedback_reason ORDER BY label")?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
