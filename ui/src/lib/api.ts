// The one typed wrapper around Tauri's invoke: every command, its input and its result.
import { invoke } from "@tauri-apps/api/core";
import type { IpcError } from "../bindings/IpcError";
import type { Overview } from "../bindings/Overview";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { RestoreInput } from "../bindings/RestoreInput";
import type { RecentWorkbook } from "../bindings/RecentWorkbook";
import type { Settings } from "../bindings/Settings";
import type { NewWorkbookInput } from "../bindings/NewWorkbookInput";
import type { OpenRecentInput } from "../bindings/OpenRecentInput";
import type { Dashboard } from "../bindings/Dashboard";
import type { DashboardInput } from "../bindings/DashboardInput";
import type { ChartInput } from "../bindings/ChartInput";
import type { PlanScreen } from "../bindings/PlanScreen";
import type { VersionInput } from "../bindings/VersionInput";
import type { EditPlanInput } from "../bindings/EditPlanInput";
import type { NewPlanVersion } from "../bindings/NewPlanVersion";
import type { UpdateVersionInput } from "../bindings/UpdateVersionInput";
import type { PlanStatusInput } from "../bindings/PlanStatusInput";
import type { CompareVersionsInput } from "../bindings/CompareVersionsInput";
import type { PlanComparison } from "../bindings/PlanComparison";
import type { VersionChanged } from "../bindings/VersionChanged";
import type { Meeting } from "../bindings/Meeting";
import type { MeetingView } from "../bindings/MeetingView";
import type { MeetingInput } from "../bindings/MeetingInput";
import type { NewMeeting } from "../bindings/NewMeeting";
import type { UpdateMeetingInput } from "../bindings/UpdateMeetingInput";
import type { AddAgendaItemInput } from "../bindings/AddAgendaItemInput";
import type { UpdateAgendaItemInput } from "../bindings/UpdateAgendaItemInput";
import type { AgendaItemInput } from "../bindings/AgendaItemInput";
import type { ActionItemRow } from "../bindings/ActionItemRow";
import type { NewActionItem } from "../bindings/NewActionItem";
import type { ActionItemUpdate } from "../bindings/ActionItemUpdate";
import type { ReplanInput } from "../bindings/ReplanInput";
import type { FreezeInput } from "../bindings/FreezeInput";
import type { Definitions } from "../bindings/Definitions";
import type { AddTermInput } from "../bindings/AddTermInput";
import type { EditDefinitionInput } from "../bindings/EditDefinitionInput";
import type { TermInput } from "../bindings/TermInput";
import type { AgreeInput } from "../bindings/AgreeInput";
import type { AgreeSlaInput } from "../bindings/AgreeSlaInput";
import type { YearInput } from "../bindings/YearInput";
import type { FeedbackView } from "../bindings/FeedbackView";
import type { NewFeedback } from "../bindings/NewFeedback";
import type { Channel } from "@tauri-apps/api/core";
import type { ChosenFile } from "../bindings/ChosenFile";
import type { Preview } from "../bindings/Preview";
import type { PreviewInput } from "../bindings/PreviewInput";
import type { RunImportInput } from "../bindings/RunImportInput";
import type { ImportSummary } from "../bindings/ImportSummary";
import type { Progress } from "../bindings/Progress";
import type { SpendSummary } from "../bindings/SpendSummary";
import type { ActualsYear } from "../bindings/ActualsYear";
import type { ActualsYearInput } from "../bindings/ActualsYearInput";
import type { FeedbackIdInput } from "../bindings/FeedbackIdInput";
import type { ImportIdInput } from "../bindings/ImportIdInput";
import type { SetSpendInput } from "../bindings/SetSpendInput";
import type { ImportRecord } from "../bindings/ImportRecord";
import type { ImportReport } from "../bindings/ImportReport";
import type { ReportSetup } from "../bindings/ReportSetup";
import type { ReportInput } from "../bindings/ReportInput";
import type { ReportPreview } from "../bindings/ReportPreview";
import type { ExportReportInput } from "../bindings/ExportReportInput";
import type { ExportProgress } from "../bindings/ExportProgress";
import type { ExportOutcome } from "../bindings/ExportOutcome";
import type { SaveTemplateInput } from "../bindings/SaveTemplateInput";
import type { TemplateIdInput } from "../bindings/TemplateIdInput";
import type { ReportTemplate } from "../bindings/ReportTemplate";

/** Every command: what it takes (`void` for nothing) and what it returns. */
export interface Commands {
  get_overview: { input: void; output: Overview };
  first_screen_shown: { input: void; output: null };
  update_settings: { input: Settings; output: Overview };
  recent_workbooks: { input: void; output: RecentWorkbook[] };
  open_recent: { input: OpenRecentInput; output: Overview | null };
  new_workbook: { input: NewWorkbookInput; output: Overview | null };
  open_workbook: { input: void; output: Overview | null };
  save_workbook_as: { input: void; output: Overview | null };
  list_backups: { input: void; output: BackupInfo[] };
  backup_now: { input: void; output: BackupInfo[] };
  /** Replaces the workbook with a backup from the list; the current state is backed up. */
  restore_backup: { input: RestoreInput; output: Overview };
  /** `null` when the dialog was cancelled. */
  restore_from_file: { input: void; output: Overview | null };
  get_dashboard: { input: DashboardInput; output: Dashboard };
  /** One chart as SVG at the size asked for. */
  get_chart: { input: ChartInput; output: string };
  /** The path written, `null` when the save dialog was cancelled. */
  save_chart: { input: ChartInput; output: string | null };
  get_plan: { input: VersionInput; output: PlanScreen };
  edit_plan: { input: EditPlanInput; output: PlanScreen };
  /** `null` when there is nothing to undo; the screen may be of another version. */
  undo_plan: { input: void; output: PlanScreen | null };
  redo_plan: { input: void; output: PlanScreen | null };
  create_plan_version: { input: NewPlanVersion; output: VersionChanged };
  update_plan_version: { input: UpdateVersionInput; output: VersionChanged };
  set_plan_status: { input: PlanStatusInput; output: VersionChanged };
  compare_plan_versions: { input: CompareVersionsInput; output: PlanComparison };
  /** The path written, `null` when the save dialog was cancelled. */
  export_plan_file: { input: VersionInput; output: string | null };
  /** The new draft, `null` when the dialog was cancelled. */
  import_plan_file: { input: void; output: VersionChanged | null };
  /** Every meeting, newest first. */
  list_meetings: { input: void; output: Meeting[] };
  get_meeting: { input: MeetingInput; output: MeetingView };
  /** Records the meeting with the agenda generated from the data. */
  start_meeting: { input: NewMeeting; output: MeetingView };
  update_meeting: { input: UpdateMeetingInput; output: MeetingView };
  delete_meeting: { input: MeetingInput; output: Meeting[] };
  add_agenda_item: { input: AddAgendaItemInput; output: MeetingView };
  update_agenda_item: { input: UpdateAgendaItemInput; output: MeetingView };
  move_agenda_item: { input: AgendaItemInput; output: MeetingView };
  delete_agenda_item: { input: AgendaItemInput; output: MeetingView };
  /** Every action item of the workbook, overdue ones first. */
  list_action_items: { input: void; output: ActionItemRow[] };
  add_action_item: { input: NewActionItem; output: ActionItemRow[] };
  update_action_item: { input: ActionItemUpdate; output: ActionItemRow[] };
  /** The new draft copied from the version reviewed, linked to the meeting. */
  replan_in_meeting: { input: ReplanInput; output: VersionChanged };
  freeze_baseline: { input: FreezeInput; output: VersionChanged };
  /** The path written, `null` when the save dialog was cancelled. */
  export_minutes: { input: MeetingInput; output: string | null };
  get_definitions: { input: void; output: Definitions };
  add_term: { input: AddTermInput; output: Definitions };
  /** Clears both sides' agreement to the term. */
  edit_definition: { input: EditDefinitionInput; output: Definitions };
  delete_term: { input: TermInput; output: Definitions };
  /** Refused when the definition changed since `text_seen` was read. */
  agree_definition: { input: AgreeInput; output: Definitions };
  /** Refused when the SLA changed since it was read. */
  agree_sla: { input: AgreeSlaInput; output: Definitions };
  /** Sales' ratings of one calendar year. */
  get_feedback: { input: YearInput; output: FeedbackView };
  add_feedback: { input: NewFeedback; output: FeedbackView };
  delete_feedback: { input: FeedbackIdInput; output: FeedbackView };
  /** The file chosen in the dialog; `null` when it was cancelled. */
  choose_import_file: { input: void; output: ChosenFile | null };
  /** The first rows of the chosen file as they will be read. */
  import_preview: { input: PreviewInput; output: Preview };
  /** Imports (or with `dry_run` checks) the chosen file, reporting progress on `onProgress`. */
  run_import: { input: RunImportInput; output: ImportSummary; extra: { onProgress: Channel<Progress> } };
  /** Stops the running import; it then fails and the workbook is unchanged. */
  cancel_import: { input: void; output: void };
  /** Imports the chosen file as monthly spend per source. */
  import_spend_file: { input: PreviewInput; output: SpendSummary };
  /** Lead counts and spend of a calendar year, and every import. */
  actuals_year: { input: ActualsYearInput; output: ActualsYear };
  set_spend: { input: SetSpendInput; output: ActualsYear };
  /** Every import after the undo. */
  undo_import: { input: ImportIdInput; output: ImportRecord[] };
  import_report: { input: ImportIdInput; output: ImportReport };
  /** The path written, `null` when the save dialog was cancelled. */
  export_findings: { input: ImportIdInput; output: string | null };
  /** Templates, source and product-line names and chart ids for the Reports screen. */
  get_report_setup: { input: void; output: ReportSetup };
  /** The first pages of the report's PDF as images, and the tables and charts it holds. */
  preview_report: { input: ReportInput; output: ReportPreview };
  /** Writes the report, reporting progress on `onProgress`; `null` when the dialog was closed. */
  export_report: { input: ExportReportInput; output: ExportOutcome | null; extra: { onProgress: Channel<ExportProgress> } };
  /** Stops the running export; nothing is written. */
  cancel_report_export: { input: void; output: void };
  /** Shows the last exported file in the file manager. */
  reveal_report: { input: void; output: void };
  /** Every template after the save (a template of the same name is replaced). */
  save_report_template: { input: SaveTemplateInput; output: ReportTemplate[] };
  delete_report_template: { input: TemplateIdInput; output: ReportTemplate[] };
}

/** A command that failed, as the backend reported it. */
export class CommandError extends Error {
  readonly code: IpcError["code"];
  readonly fields: IpcError["fields"];

  constructor(e: IpcError) {
    super(e.message);
    this.code = e.code;
    this.fields = e.fields;
  }

  /** The message for one input field, if the backend refused it. */
  fieldMessage(field: string): string | undefined {
    return this.fields.find((f) => f.field === field)?.message;
  }
}

function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Turns whatever invoke threw into a CommandError. */
export function toCommandError(e: unknown): CommandError {
  if (isIpcError(e)) return new CommandError({ ...e, fields: e.fields ?? [] });
  return new CommandError({ code: "internal", message: String(e), fields: [] });
}

/** A command's arguments: its input, if any, then the named extra arguments it declares. */
type CallArgs<K extends keyof Commands> = Commands[K]["input"] extends void
  ? []
  : Commands[K] extends { extra: infer E }
    ? [Commands[K]["input"], E]
    : [Commands[K]["input"]];

export async function call<K extends keyof Commands>(
  command: K,
  ...input: CallArgs<K>
): Promise<Commands[K]["output"]> {
  try {
    const args = input.length > 0 ? { input: input[0], ...(input[1] ?? {}) } : undefined;
    return await invoke<Commands[K]["output"]>(command, args);
  } catch (e) {
    throw toCommandError(e);
  }
}
