//! The joint planning meeting: starting one with an agenda generated from the data, notes
//! and decisions per agenda item, action items, the follow-up SLA agreed by both sides, and
//! re-planning in the meeting.

use chrono::{DateTime, NaiveDate, Utc};
use leadplan_core::actuals::Filter;
use leadplan_core::agenda::{AgendaInput, AgendaKind, AgendaProposal, agenda};
use leadplan_core::model::{MAX_NAME, MAX_TEXT};
use leadplan_core::{
    ActionItem, ActionStatus, Agreement, FollowUpSla, Meeting, PlanStatus, PlanVersion, Rule, Side,
    Validator,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::collaboration::{NewMeeting, check_meeting, insert_meeting};
use crate::error::{Result, WorkbookError};
use crate::plans::{NewPlanVersion, PlanOrigin, get_version, insert_version};
use crate::sql::{code, date_text, opt_time, ts};
use crate::store::Workbook;

/// One item of a meeting's agenda, with what was noted and decided about it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgendaItem {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub meeting_id: i64,
    /// 0-based order within the meeting.
    pub position: u32,
    pub kind: AgendaKind,
    pub title: String,
    pub detail: String,
    pub notes: String,
    pub decision: String,
    /// The shared chart presentation mode shows with the item, if any.
    pub chart: Option<String>,
}

/// Changes to an action item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ActionItemUpdate {
    #[ts(type = "number")]
    pub id: i64,
    pub text: String,
    pub owner_side: Side,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
}

/// Both sides' agreement to the follow-up SLA as it stands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SlaAgreement {
    pub sla: FollowUpSla,
    pub marketing: Option<Agreement>,
    pub sales: Option<Agreement>,
}

fn item_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AgendaItem> {
    let kind = code(r, 3, AgendaKind::parse)?;
    Ok(AgendaItem {
        id: r.get(0)?,
        meeting_id: r.get(1)?,
        position: r.get(2)?,
        kind,
        title: r.get(4)?,
        detail: r.get(5)?,
        notes: r.get(6)?,
        decision: r.get(7)?,
        chart: kind.chart().map(str::to_owned),
    })
}

fn items(conn: &Connection, meeting_id: i64) -> Result<Vec<AgendaItem>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, meeting_id, position, kind, title, detail, notes, decision
         FROM agenda_item WHERE meeting_id = ?1 ORDER BY position, id",
    )?;
    let rows = stmt
        .query_map([meeting_id], item_from_row)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

pub(crate) fn insert_items(
    conn: &Connection,
    meeting_id: i64,
    proposals: &[AgendaProposal],
) -> Result<()> {
    let start: u32 = conn.query_row(
        "SELECT IFNULL(MAX(position) + 1, 0) FROM agenda_item WHERE meeting_id = ?1",
        [meeting_id],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare_cached(
        "INSERT INTO agenda_item (meeting_id, position, kind, title, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (p, item) in (start..).zip(proposals) {
        stmt.execute(params![
            meeting_id,
            p,
            item.kind.code(),
            item.title,
            item.detail
        ])?;
    }
    Ok(())
}

/// Positions 0, 1, 2 … in the current order.
fn renumber(conn: &Connection, order: &[i64]) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE agenda_item SET position = ?2 WHERE id = ?1")?;
    for (p, id) in (0u32..).zip(order) {
        stmt.execute(params![id, p])?;
    }
    Ok(())
}

fn meeting_of_item(conn: &Connection, item_id: i64) -> Result<i64> {
    conn.query_row(
        "SELECT meeting_id FROM agenda_item WHERE id = ?1",
        [item_id],
        |r| r.get(0),
    )
    .optional()?
    .ok_or(WorkbookError::Missing {
        what: "agenda item",
        id: item_id,
    })
}

fn check_item_text(title: &str, notes: &str, decision: &str) -> Result<()> {
    let mut v = Validator::new();
    v.text("title", title, MAX_TEXT);
    v.optional_text("notes", notes, MAX_TEXT);
    v.optional_text("decision", decision, MAX_TEXT);
    Ok(v.finish()?)
}

impl Workbook {
    /// The agenda the data proposes for a meeting reviewing `version_id` over plan months
    /// `period_from..=period_to`, as of `today` (see `leadplan_core::agenda` for what comes
    /// in and in which order). Action items of `meeting_id` itself are left out.
    ///
    /// # Errors
    /// `Validation` when the plan cannot be computed, `Missing` version, storage errors.
    pub fn propose_agenda(
        &self,
        version_id: i64,
        period_from: u32,
        period_to: u32,
        meeting_id: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<AgendaProposal>> {
        let filter = Filter {
            first_month: period_from,
            last_month: period_to,
            ..Filter::default()
        };
        let compare = self.compare(version_id, &filter, today)?;
        let action_items = self.action_items(None)?;
        let glossary = self.glossary()?;
        let locale = self.settings()?.locale;
        Ok(agenda(
            &AgendaInput {
                compare: &compare,
                action_items: &action_items,
                glossary: &glossary,
                meeting_id,
                locale,
            },
            today,
        ))
    }

    /// Starts a meeting: records it with its attendees and, when it reviews a plan version,
    /// the agenda generated from the data — all in one transaction. Returns its id.
    ///
    /// # Errors
    /// `Validation` (attendee without a name, period out of order), `Missing` version.
    pub fn start_meeting(&mut self, m: &NewMeeting, today: NaiveDate) -> Result<i64> {
        let proposals = match m.plan_version_id {
            Some(version) => {
                self.propose_agenda(version, m.period_from, m.period_to, None, today)?
            }
            None => Vec::new(),
        };
        self.write(|tx| {
            let id = insert_meeting(tx, m)?;
            insert_items(tx, id, &proposals)?;
            Ok(id)
        })
    }

    /// Changes a meeting's date, title, period, attendees and notes.
    ///
    /// # Errors
    /// `Validation`, `Missing`.
    pub fn update_meeting(&mut self, id: i64, m: &NewMeeting) -> Result<()> {
        check_meeting(m)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE meeting SET held_on = ?2, title = ?3, plan_version_id = ?4, period_from = ?5,
                     period_to = ?6, notes = ?7 WHERE id = ?1",
                params![id, date_text(m.held_on), m.title.trim(), m.plan_version_id, m.period_from, m.period_to, m.notes],
            )?;
            if n == 0 {
                return Err(WorkbookError::Missing { what: "meeting", id });
            }
            tx.execute("DELETE FROM meeting_attendee WHERE meeting_id = ?1", [id])?;
            let mut stmt = tx.prepare_cached(
                "INSERT INTO meeting_attendee (meeting_id, position, name, side) VALUES (?1, ?2, ?3, ?4)",
            )?;
            for (i, a) in (0_i64..).zip(&m.attendees) {
                stmt.execute(params![id, i, a.name.trim(), a.side.code()])?;
            }
            Ok(())
        })
    }

    /// Deletes a meeting (one started by mistake) with its attendees and agenda: its notes and
    /// decisions go with it. Its action items stay, without the meeting; plan versions it
    /// created or froze stay too.
    ///
    /// # Errors
    /// `Missing`.
    pub fn delete_meeting(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            if tx.execute("DELETE FROM meeting WHERE id = ?1", [id])? == 0 {
                return Err(WorkbookError::Missing {
                    what: "meeting",
                    id,
                });
            }
            Ok(())
        })
    }

    /// A meeting's agenda in order.
    ///
    /// # Errors
    /// Storage errors.
    pub fn agenda(&self, meeting_id: i64) -> Result<Vec<AgendaItem>> {
        items(&self.conn, meeting_id)
    }

    /// Adds an item by hand at the end of the agenda; returns its id.
    ///
    /// # Errors
    /// `Validation` (empty title), `Missing` meeting.
    pub fn add_agenda_item(&mut self, meeting_id: i64, title: &str, detail: &str) -> Result<i64> {
        check_item_text(title, "", detail)?;
        self.write(|tx| {
            require_meeting(tx, meeting_id)?;
            insert_items(
                tx,
                meeting_id,
                &[AgendaProposal {
                    kind: AgendaKind::Other,
                    title: title.trim().to_owned(),
                    detail: detail.trim().to_owned(),
                }],
            )?;
            Ok(tx.last_insert_rowid())
        })
    }

    /// Saves an item's title, notes and decision.
    ///
    /// # Errors
    /// `Validation`, `Missing`.
    pub fn update_agenda_item(
        &mut self,
        id: i64,
        title: &str,
        notes: &str,
        decision: &str,
    ) -> Result<()> {
        check_item_text(title, notes, decision)?;
        self.write(|tx| {
            let n = tx.execute(
                "UPDATE agenda_item SET title = ?2, notes = ?3, decision = ?4 WHERE id = ?1",
                params![id, title.trim(), notes, decision],
            )?;
            if n == 0 {
                return Err(WorkbookError::Missing {
                    what: "agenda item",
                    id,
                });
            }
            Ok(())
        })
    }

    /// Removes an item from its agenda.
    ///
    /// # Errors
    /// `Missing`.
    pub fn delete_agenda_item(&mut self, id: i64) -> Result<()> {
        self.write(|tx| {
            let meeting = meeting_of_item(tx, id)?;
            tx.execute("DELETE FROM agenda_item WHERE id = ?1", [id])?;
            let order: Vec<i64> = items(tx, meeting)?.iter().map(|i| i.id).collect();
            renumber(tx, &order)
        })
    }

    /// Moves an item to `position` (0-based; past the end means last).
    ///
    /// # Errors
    /// `Missing`.
    pub fn move_agenda_item(&mut self, id: i64, position: u32) -> Result<()> {
        self.write(|tx| {
            let meeting = meeting_of_item(tx, id)?;
            let mut order: Vec<i64> = items(tx, meeting)?
                .iter()
                .map(|i| i.id)
                .filter(|&i| i != id)
                .collect();
            let at = (position as usize).min(order.len());
            order.insert(at, id);
            renumber(tx, &order)
        })
    }

    /// Saves every field of an action item; closing it records when.
    ///
    /// # Errors
    /// `Validation` (empty text), `Missing`.
    pub fn update_action_item(
        &mut self,
        a: &ActionItemUpdate,
        now: DateTime<Utc>,
    ) -> Result<ActionItem> {
        let mut v = Validator::new();
        v.text("text", &a.text, MAX_TEXT);
        v.optional_text("owner", &a.owner, MAX_NAME);
        v.finish()?;
        self.write(|tx| {
            let closed = (!a.status.is_open()).then(|| ts(now));
            let n = tx.execute(
                "UPDATE action_item SET text = ?2, owner_side = ?3, owner = ?4, due_on = ?5, status = ?6,
                     closed_at = CASE WHEN ?7 IS NULL THEN NULL ELSE IFNULL(closed_at, ?7) END
                 WHERE id = ?1",
                params![a.id, a.text.trim(), a.owner_side.code(), a.owner.trim(), a.due_on.map(date_text), a.status.code(), closed],
            )?;
            if n == 0 {
                return Err(WorkbookError::Missing { what: "action item", id: a.id });
            }
            Ok(())
        })?;
        self.action_items(None)?
            .into_iter()
            .find(|x| x.id == a.id)
            .ok_or(WorkbookError::Missing {
                what: "action item",
                id: a.id,
            })
    }

    /// The follow-up SLA and who agreed to it.
    ///
    /// # Errors
    /// Storage errors.
    pub fn sla_agreement(&self) -> Result<SlaAgreement> {
        let sla = self.settings()?.sla;
        let (marketing, sales) = self.conn.query_row(
            "SELECT sla_marketing_agreed_by, sla_marketing_agreed_at, sla_sales_agreed_by, sla_sales_agreed_at
             FROM settings WHERE id = 1",
            [],
            |r| {
                let agreement = |by: usize| -> rusqlite::Result<Option<Agreement>> {
                    let who: Option<String> = r.get(by)?;
                    Ok(who.zip(opt_time(r, by + 1)?).map(|(by, at)| Agreement { by, at }))
                };
                Ok((agreement(0)?, agreement(2)?))
            },
        )?;
        Ok(SlaAgreement {
            sla,
            marketing,
            sales,
        })
    }

    /// Records one side's agreement to the SLA as `seen`; refused when the SLA changed since.
    ///
    /// # Errors
    /// `Validation` (no name, or the SLA changed since it was read).
    pub fn agree_sla(
        &mut self,
        side: Side,
        by: &str,
        seen: &FollowUpSla,
        now: DateTime<Utc>,
    ) -> Result<SlaAgreement> {
        let mut v = Validator::new();
        v.text("by", by, MAX_NAME);
        v.finish()?;
        self.write(|tx| {
            if &crate::settings::get(tx)?.sla != seen {
                let mut v = Validator::new();
                v.fail("sla", Rule::Other { message: "the SLA changed; read it again".into() });
                v.finish()?;
            }
            let column = side.code();
            tx.execute(
                &format!("UPDATE settings SET sla_{column}_agreed_by = ?1, sla_{column}_agreed_at = ?2 WHERE id = 1"),
                params![by.trim(), ts(now)],
            )?;
            Ok(())
        })?;
        self.sla_agreement()
    }

    /// Copies the version a meeting reviewed (or `from`) into a new draft called `name`,
    /// linked to the meeting as its re-plan.
    ///
    /// # Errors
    /// `Validation` (the name is taken), `Missing` meeting or version.
    pub fn replan_in_meeting(
        &mut self,
        meeting_id: i64,
        from: i64,
        name: &str,
        created_by: &str,
        now: DateTime<Utc>,
    ) -> Result<PlanVersion> {
        self.write(|tx| {
            require_meeting(tx, meeting_id)?;
            let source = get_version(tx, from)?;
            let id = insert_version(
                tx,
                &NewPlanVersion {
                    year: source.year,
                    name: name.to_owned(),
                    created_by: created_by.to_owned(),
                    origin: PlanOrigin::CopyOf { version_id: from },
                },
                now,
            )?;
            tx.execute(
                "UPDATE meeting SET replan_version_id = ?2 WHERE id = ?1",
                params![meeting_id, id],
            )?;
            get_version(tx, id)
        })
    }

    /// Freezes `version_id` as its year's agreed baseline and records that in the meeting.
    ///
    /// # Errors
    /// `Missing` meeting or version.
    pub fn freeze_baseline(&mut self, meeting_id: i64, version_id: i64) -> Result<PlanVersion> {
        self.write(|tx| {
            require_meeting(tx, meeting_id)?;
            let v = get_version(tx, version_id)?;
            tx.execute(
                "UPDATE plan_version SET baseline = 0 WHERE year = ?1",
                [v.year],
            )?;
            tx.execute(
                "UPDATE plan_version SET status = ?2, baseline = 1 WHERE id = ?1",
                params![version_id, PlanStatus::Agreed.code()],
            )?;
            tx.execute(
                "UPDATE meeting SET baseline_version_id = ?2 WHERE id = ?1",
                params![meeting_id, version_id],
            )?;
            get_version(tx, version_id)
        })
    }

    /// A meeting with everything recorded in it: for minutes and for `leadplan meeting show`.
    ///
    /// # Errors
    /// `Missing`.
    pub fn meeting_record(&self, id: i64) -> Result<MeetingRecord> {
        Ok(MeetingRecord {
            meeting: self.meeting(id)?,
            agenda: self.agenda(id)?,
            action_items: self.action_items(Some(id))?,
        })
    }
}

/// A meeting, its agenda with notes and decisions, and the action items agreed in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MeetingRecord {
    pub meeting: Meeting,
    pub agenda: Vec<AgendaItem>,
    pub action_items: Vec<ActionItem>,
}

fn require_meeting(conn: &Connection, id: i64) -> Result<()> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM meeting WHERE id = ?1)",
        [id],
        |r| r.get(0),
    )?;
    if exists {
        Ok(())
    } else {
        Err(WorkbookError::Missing {
            what: "meeting",
            id,
        })
    }
}
