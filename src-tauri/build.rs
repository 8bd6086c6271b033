//! Compiles the app's configuration and the permissions of its commands.

/// Every command the UI may invoke; each gets an `allow-…` permission that
/// `capabilities/default.json` grants to the main window.
const COMMANDS: &[&str] = &[
    "get_overview",
    "update_settings",
    "recent_workbooks",
    "open_recent",
    "new_workbook",
    "open_workbook",
    "save_workbook_as",
    "get_plan",
    "edit_plan",
    "undo_plan",
    "redo_plan",
    "create_plan_version",
    "update_plan_version",
    "set_plan_status",
    "compare_plan_versions",
    "export_plan_file",
    "import_plan_file",
    "get_dashboard",
    "get_chart",
    "save_chart",
    "list_meetings",
    "get_meeting",
    "start_meeting",
    "update_meeting",
    "add_agenda_item",
    "update_agenda_item",
    "move_agenda_item",
    "delete_agenda_item",
    "list_action_items",
    "add_action_item",
    "update_action_item",
    "replan_in_meeting",
    "freeze_baseline",
    "export_minutes",
    "get_definitions",
    "add_term",
    "edit_definition",
    "delete_term",
    "agree_definition",
    "agree_sla",
    "get_feedback",
    "add_feedback",
    "choose_import_file",
    "import_preview",
    "run_import",
    "cancel_import",
    "import_spend_file",
    "actuals_year",
    "set_spend",
    "undo_import",
    "import_report",
    "export_findings",
];

fn main() {
    tauri_build::try_build(
        tauri_build::Attributes::new()
            .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)),
    )
    .unwrap_or_else(|e| panic!("tauri build failed: {e:#}"));
}
