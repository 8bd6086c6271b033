//! The Leadplan desktop app: a Tauri 2 shell around the workbook. Commands are thin; every
//! figure comes from `leadplan-workbook` and `leadplan-core`.

pub mod backup_commands;
pub mod commands;
pub mod dashboard_commands;
pub mod files;
pub mod import_commands;
pub mod ipc;
pub mod meeting_commands;
pub mod menu;
pub mod plan_commands;
pub mod report_commands;
pub mod state;

use std::path::PathBuf;

use tauri::Manager;

use crate::state::AppState;

/// The workbook to start with: the first argument, else `LEADPLAN_WORKBOOK`, else the
/// default workbook in the app-data folder (created with demo data on first start).
fn start_workbook(app: &tauri::App) -> PathBuf {
    std::env::args_os()
        .skip(1)
        .map(PathBuf::from)
        .find(|p| {
            p.extension()
                .is_some_and(|e| e == leadplan_workbook::EXTENSION)
        })
        .or_else(|| std::env::var_os("LEADPLAN_WORKBOOK").map(PathBuf::from))
        .unwrap_or_else(|| {
            app.path()
                .app_data_dir()
                .unwrap_or_else(|_| PathBuf::from("."))
                .join("Leadplan.leadplan")
        })
}

/// Starts the app.
///
/// # Errors
/// When the window system cannot be initialised.
pub fn run() -> tauri::Result<()> {
    commands::STARTED.get_or_init(std::time::Instant::now);
    tauri::Builder::default()
        // a second start brings this window to the front (and opens the workbook it was given)
        .plugin(tauri_plugin_single_instance::init(|app, argv, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
            let given = argv.iter().skip(1).map(PathBuf::from).find(|p| {
                p.extension()
                    .is_some_and(|e| e == leadplan_workbook::EXTENSION)
            });
            if let Some(path) = given {
                let app = app.clone();
                std::thread::spawn(move || {
                    if let Err(e) = files::run(&app, files::FileAction::OpenRecent(path)) {
                        let _ = tauri::Emitter::emit(&app, "app-error", e);
                    }
                });
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let config_dir = app
                .path()
                .app_config_dir()
                .unwrap_or_else(|_| PathBuf::from("."));
            // `--read-only` opens the start workbook for viewing only
            let read_only = std::env::args_os().any(|a| a == "--read-only");
            let state = AppState::new(&start_workbook(app), &config_dir, read_only);
            let overview = state.overview();
            app.manage(state);
            app.manage(import_commands::ImportState::default());
            app.manage(report_commands::ReportState::default());
            match overview {
                Ok(o) => files::refresh(app.handle(), &o),
                Err(_) => menu::install(app.handle(), leadplan_core::Locale::En),
            }
            Ok(())
        })
        .on_menu_event(menu::on_event)
        .on_window_event(|window, event| {
            if let tauri::WindowEvent::DragDrop(tauri::DragDropEvent::Drop { paths, .. }) = event {
                import_commands::dropped(window.app_handle(), paths);
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::get_overview,
            commands::first_screen_shown,
            commands::update_settings,
            commands::recent_workbooks,
            commands::open_recent,
            commands::new_workbook,
            commands::open_workbook,
            commands::save_workbook_as,
            plan_commands::get_plan,
            plan_commands::edit_plan,
            plan_commands::undo_plan,
            plan_commands::redo_plan,
            plan_commands::create_plan_version,
            plan_commands::update_plan_version,
            plan_commands::set_plan_status,
            plan_commands::compare_plan_versions,
            plan_commands::export_plan_file,
            plan_commands::import_plan_file,
            dashboard_commands::get_dashboard,
            dashboard_commands::get_chart,
            dashboard_commands::save_chart,
            meeting_commands::list_meetings,
            meeting_commands::get_meeting,
            meeting_commands::start_meeting,
            meeting_commands::update_meeting,
            meeting_commands::delete_meeting,
            meeting_commands::add_agenda_item,
            meeting_commands::update_agenda_item,
            meeting_commands::move_agenda_item,
            meeting_commands::delete_agenda_item,
            meeting_commands::list_action_items,
            meeting_commands::add_action_item,
            meeting_commands::update_action_item,
            meeting_commands::replan_in_meeting,
            meeting_commands::freeze_baseline,
            meeting_commands::export_minutes,
            meeting_commands::get_definitions,
            meeting_commands::add_term,
            meeting_commands::edit_definition,
            meeting_commands::delete_term,
            meeting_commands::agree_definition,
            meeting_commands::agree_sla,
            meeting_commands::get_feedback,
            meeting_commands::add_feedback,
            meeting_commands::delete_feedback,
            import_commands::choose_import_file,
            import_commands::import_preview,
            import_commands::run_import,
            import_commands::cancel_import,
            import_commands::import_spend_file,
            import_commands::actuals_year,
            import_commands::set_spend,
            import_commands::undo_import,
            import_commands::import_report,
            import_commands::export_findings,
            backup_commands::list_backups,
            backup_commands::backup_now,
            backup_commands::restore_backup,
            backup_commands::restore_from_file,
            report_commands::get_report_setup,
            report_commands::preview_report,
            report_commands::export_report,
            report_commands::cancel_report_export,
            report_commands::reveal_report,
            report_commands::save_report_template,
            report_commands::delete_report_template,
        ])
        .run(tauri::generate_context!())
}
