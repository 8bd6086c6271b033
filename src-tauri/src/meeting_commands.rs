//! Commands of the Meeting and Definitions screens: meetings with their agenda, notes and
//! decisions, action items, re-planning, minutes, the glossary, the follow-up SLA and
//! lead-quality feedback.

use std::path::PathBuf;

use chrono::{NaiveDate, Utc};
use leadplan_core::{
    ActionItem, GlossaryTerm, LeadQualityFeedback, Meeting, PlanVersion, Side, i18n,
};
use leadplan_report::{PdfOptions, write_pdf};
use leadplan_workbook::{
    ActionItemUpdate, MeetingRecord, NewActionItem, NewFeedback, NewMeeting, SlaAgreement,
    Workbook, WorkbookError,
};
use serde::{Deserialize, Serialize};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;
use ts_rs::TS;

use crate::ipc::IpcError;
use crate::plan_commands::VersionChanged;
use crate::state::AppState;

type Reply<T> = Result<T, IpcError>;

fn today() -> NaiveDate {
    Utc::now().date_naive()
}

/// An action item as lists show it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ActionItemRow {
    pub item: ActionItem,
    /// Still open and past its due date today.
    pub overdue: bool,
    /// Title and date of the meeting it was agreed in.
    pub meeting: Option<String>,
}

/// A meeting with everything recorded in it, and the workbook's open action items.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingView {
    pub record: MeetingRecord,
    /// Every open action item of every meeting, overdue first.
    pub open_actions: Vec<ActionItemRow>,
}

/// Input naming a meeting.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct MeetingInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
}

/// Input of `update_meeting`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateMeetingInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
    pub meeting: NewMeeting,
}

/// Input of `add_agenda_item`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AddAgendaItemInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
    pub title: String,
    pub detail: String,
}

/// Input of `update_agenda_item`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct UpdateAgendaItemInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
    #[ts(type = "number")]
    pub item_id: i64,
    pub title: String,
    pub notes: String,
    pub decision: String,
}

/// Input of `move_agenda_item` and `delete_agenda_item` (position unused there).
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AgendaItemInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
    #[ts(type = "number")]
    pub item_id: i64,
    pub position: u32,
}

/// Input of `replan_in_meeting`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct ReplanInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
    /// The version to copy.
    #[ts(type = "number")]
    pub from_version_id: i64,
    pub name: String,
}

/// Input of `freeze_baseline`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FreezeInput {
    #[ts(type = "number")]
    pub meeting_id: i64,
    #[ts(type = "number")]
    pub version_id: i64,
}

/// The glossary and the follow-up SLA, with who agreed to what.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Definitions {
    pub terms: Vec<GlossaryTerm>,
    pub sla: SlaAgreement,
}

/// Input of `add_term`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AddTermInput {
    pub term: String,
    pub definition: String,
}

/// Input of `edit_definition`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct EditDefinitionInput {
    #[ts(type = "number")]
    pub term_id: i64,
    pub definition: String,
}

/// Input of `agree_definition`: who agrees, for which side, to the text they read.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AgreeInput {
    #[ts(type = "number")]
    pub term_id: i64,
    pub side: Side,
    pub by: String,
    pub text_seen: String,
}

/// Input of `agree_sla`.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct AgreeSlaInput {
    pub side: Side,
    pub by: String,
    pub sla: leadplan_core::FollowUpSla,
}

/// Input naming a glossary term.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct TermInput {
    #[ts(type = "number")]
    pub term_id: i64,
}

/// Input naming a lead-quality rating, and the year whose ratings to return.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct FeedbackIdInput {
    #[ts(type = "number")]
    pub feedback_id: i64,
    pub year: i32,
}

/// Input naming a year.
#[derive(Debug, Clone, Deserialize, TS)]
pub struct YearInput {
    pub year: i32,
}

/// Sales' ratings of one year and the reasons offered.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FeedbackView {
    pub feedback: Vec<LeadQualityFeedback>,
    pub reasons: Vec<String>,
}

fn action_rows(
    wb: &Workbook,
    meeting_id: Option<i64>,
) -> Result<Vec<ActionItemRow>, WorkbookError> {
    let meetings: Vec<Meeting> = wb.meetings()?;
    let locale = wb.settings()?.locale;
    let today = today();
    let mut rows: Vec<ActionItemRow> = wb
        .action_items(meeting_id)?
        .into_iter()
        .map(|item| ActionItemRow {
            overdue: item.is_overdue(today),
            meeting: item
                .meeting_id
                .and_then(|id| meetings.iter().find(|m| m.id == id))
                .map(|m| {
                    format!(
                        "{} ({})",
                        m.title,
                        leadplan_core::format::date(m.held_on, locale)
                    )
                }),
            item,
        })
        .collect();
    rows.sort_by_key(|r| !r.overdue);
    Ok(rows)
}

fn view(wb: &Workbook, meeting_id: i64) -> Result<MeetingView, WorkbookError> {
    let open_actions = action_rows(wb, None)?
        .into_iter()
        .filter(|r| r.item.status.is_open())
        .collect();
    Ok(MeetingView {
        record: wb.meeting_record(meeting_id)?,
        open_actions,
    })
}

fn definitions(wb: &Workbook) -> Result<Definitions, WorkbookError> {
    Ok(Definitions {
        terms: wb.glossary()?,
        sla: wb.sla_agreement()?,
    })
}

#[tauri::command(async)]
pub fn list_meetings(state: State<'_, AppState>) -> Reply<Vec<Meeting>> {
    state.with(|wb| wb.meetings())
}

#[tauri::command(async)]
pub fn get_meeting(state: State<'_, AppState>, input: MeetingInput) -> Reply<MeetingView> {
    state.with(|wb| view(wb, input.meeting_id))
}

#[tauri::command(async)]
pub fn start_meeting(state: State<'_, AppState>, input: NewMeeting) -> Reply<MeetingView> {
    state.with(|wb| {
        let id = wb.start_meeting(&input, today())?;
        view(wb, id)
    })
}

/// Deletes a meeting; returns the meetings left.
#[tauri::command(async)]
pub fn delete_meeting(state: State<'_, AppState>, input: MeetingInput) -> Reply<Vec<Meeting>> {
    state.with(|wb| {
        wb.delete_meeting(input.meeting_id)?;
        wb.meetings()
    })
}

#[tauri::command(async)]
pub fn update_meeting(state: State<'_, AppState>, input: UpdateMeetingInput) -> Reply<MeetingView> {
    state.with(|wb| {
        wb.update_meeting(input.meeting_id, &input.meeting)?;
        view(wb, input.meeting_id)
    })
}

#[tauri::command(async)]
pub fn add_agenda_item(
    state: State<'_, AppState>,
    input: AddAgendaItemInput,
) -> Reply<MeetingView> {
    state.with(|wb| {
        wb.add_agenda_item(input.meeting_id, &input.title, &input.detail)?;
        view(wb, input.meeting_id)
    })
}

#[tauri::command(async)]
pub fn update_agenda_item(
    state: State<'_, AppState>,
    input: UpdateAgendaItemInput,
) -> Reply<MeetingView> {
    state.with(|wb| {
        wb.update_agenda_item(input.item_id, &input.title, &input.notes, &input.decision)?;
        view(wb, input.meeting_id)
    })
}

#[tauri::command(async)]
pub fn move_agenda_item(state: State<'_, AppState>, input: AgendaItemInput) -> Reply<MeetingView> {
    state.with(|wb| {
        wb.move_agenda_item(input.item_id, input.position)?;
        view(wb, input.meeting_id)
    })
}

#[tauri::command(async)]
pub fn delete_agenda_item(
    state: State<'_, AppState>,
    input: AgendaItemInput,
) -> Reply<MeetingView> {
    state.with(|wb| {
        wb.delete_agenda_item(input.item_id)?;
        view(wb, input.meeting_id)
    })
}

#[tauri::command(async)]
pub fn list_action_items(state: State<'_, AppState>) -> Reply<Vec<ActionItemRow>> {
    state.with(|wb| action_rows(wb, None))
}

#[tauri::command(async)]
pub fn add_action_item(
    state: State<'_, AppState>,
    input: NewActionItem,
) -> Reply<Vec<ActionItemRow>> {
    state.with(|wb| {
        wb.add_action_item(&input, Utc::now())?;
        action_rows(wb, None)
    })
}

#[tauri::command(async)]
pub fn update_action_item(
    state: State<'_, AppState>,
    input: ActionItemUpdate,
) -> Reply<Vec<ActionItemRow>> {
    state.with(|wb| {
        wb.update_action_item(&input, Utc::now())?;
        action_rows(wb, None)
    })
}

#[tauri::command(async)]
pub fn replan_in_meeting(state: State<'_, AppState>, input: ReplanInput) -> Reply<VersionChanged> {
    let version: PlanVersion = state.with(|wb| {
        wb.replan_in_meeting(
            input.meeting_id,
            input.from_version_id,
            &input.name,
            "",
            Utc::now(),
        )
    })?;
    Ok(VersionChanged {
        overview: state.overview()?,
        version_id: version.id,
    })
}

#[tauri::command(async)]
pub fn freeze_baseline(state: State<'_, AppState>, input: FreezeInput) -> Reply<VersionChanged> {
    state.with(|wb| wb.freeze_baseline(input.meeting_id, input.version_id))?;
    Ok(VersionChanged {
        overview: state.overview()?,
        version_id: input.version_id,
    })
}

/// Where an export goes: in end-to-end tests (LEADPLAN_E2E_EXPORT_DIR set) a file there,
/// otherwise the file chosen in a save dialog; `None` when the dialog was cancelled.
pub fn export_path(
    app: &AppHandle,
    title: &str,
    file_name: &str,
    extension: &str,
) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("LEADPLAN_E2E_EXPORT_DIR") {
        return Some(PathBuf::from(dir).join(file_name));
    }
    app.dialog()
        .file()
        .set_title(title)
        .add_filter(extension.to_uppercase(), &[extension])
        .set_file_name(file_name)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
}

/// Writes a meeting's minutes as a PDF; returns the path, or `None` when cancelled.
#[tauri::command(async)]
pub fn export_minutes(
    app: AppHandle,
    state: State<'_, AppState>,
    input: MeetingInput,
) -> Reply<Option<String>> {
    let (doc, name) = state.with(|wb| {
        let m = wb.meeting(input.meeting_id)?;
        Ok((
            leadplan_report::minutes(wb, input.meeting_id, today())?,
            format!("{} {}.pdf", m.held_on, m.title),
        ))
    })?;
    let Some(path) = export_path(
        &app,
        &i18n::text(state.locale(), "meeting.minutes"),
        &name,
        "pdf",
    ) else {
        return Ok(None);
    };
    write_pdf(&path, &doc, PdfOptions::new(Utc::now().fixed_offset()))
        .map_err(|e| IpcError::internal(e.to_string()))?;
    Ok(Some(path.display().to_string()))
}

#[tauri::command(async)]
pub fn get_definitions(state: State<'_, AppState>) -> Reply<Definitions> {
    state.with(|wb| definitions(wb))
}

#[tauri::command(async)]
pub fn add_term(state: State<'_, AppState>, input: AddTermInput) -> Reply<Definitions> {
    state.with(|wb| {
        wb.add_term(&input.term, &input.definition)?;
        definitions(wb)
    })
}

#[tauri::command(async)]
pub fn edit_definition(
    state: State<'_, AppState>,
    input: EditDefinitionInput,
) -> Reply<Definitions> {
    state.with(|wb| {
        wb.edit_definition(input.term_id, &input.definition)?;
        definitions(wb)
    })
}

#[tauri::command(async)]
pub fn delete_term(state: State<'_, AppState>, input: TermInput) -> Reply<Definitions> {
    state.with(|wb| {
        wb.delete_term(input.term_id)?;
        definitions(wb)
    })
}

#[tauri::command(async)]
pub fn agree_definition(state: State<'_, AppState>, input: AgreeInput) -> Reply<Definitions> {
    state.with(|wb| {
        wb.agree_definition(
            input.term_id,
            input.side,
            &input.by,
            &input.text_seen,
            Utc::now(),
        )?;
        definitions(wb)
    })
}

#[tauri::command(async)]
pub fn agree_sla(state: State<'_, AppState>, input: AgreeSlaInput) -> Reply<Definitions> {
    state.with(|wb| {
        wb.agree_sla(input.side, &input.by, &input.sla, Utc::now())?;
        definitions(wb)
    })
}

#[tauri::command(async)]
pub fn get_feedback(state: State<'_, AppState>, input: YearInput) -> Reply<FeedbackView> {
    state.with(|wb| feedback_view(wb, input.year))
}

#[tauri::command(async)]
pub fn add_feedback(state: State<'_, AppState>, input: NewFeedback) -> Reply<FeedbackView> {
    state.with(|wb| {
        wb.add_feedback(&input, Utc::now())?;
        feedback_view(wb, input.year)
    })
}

#[tauri::command(async)]
pub fn delete_feedback(state: State<'_, AppState>, input: FeedbackIdInput) -> Reply<FeedbackView> {
    state.with(|wb| {
        wb.delete_feedback(input.feedback_id)?;
        feedback_view(wb, input.year)
    })
}

fn feedback_view(wb: &Workbook, year: i32) -> Result<FeedbackView, WorkbookError> {
    Ok(FeedbackView {
        feedback: wb.feedback(year)?,
        reasons: wb.feedback_reasons()?,
    })
}
