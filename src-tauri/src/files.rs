//! File ▸ New, Open, Open Recent and Save As: native dialogs opened by the app itself, so
//! the window never gets access to the file system.

use std::fs;
use std::path::{Path, PathBuf};

use chrono::Utc;
use leadplan_core::{Settings, i18n};
use leadplan_workbook::demo::{DEFAULT_SEED, create_demo};
use leadplan_workbook::{EXTENSION, Overview, Workbook};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_dialog::DialogExt;

use crate::ipc::IpcError;
use crate::menu;
use crate::state::AppState;

/// Something the user asked to do with workbook files.
#[derive(Debug, Clone)]
pub enum FileAction {
    New {
        demo: bool,
    },
    /// Open a workbook; read-only for a viewer, who cannot change it by mistake.
    Open {
        read_only: bool,
    },
    OpenRecent(PathBuf),
    SaveAs,
}

/// The event the UI reloads on after another workbook was opened.
pub const WORKBOOK_CHANGED: &str = "workbook-changed";

fn with_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some_and(|e| e == EXTENSION) {
        path
    } else {
        path.with_extension(EXTENSION)
    }
}

fn ask_save_path(app: &AppHandle, title_key: &str, suggested: &str) -> Option<PathBuf> {
    let locale = app.state::<AppState>().locale();
    app.dialog()
        .file()
        .set_title(i18n::text(locale, title_key))
        .add_filter("Leadplan", &[EXTENSION])
        .set_file_name(suggested)
        .blocking_save_file()
        .and_then(|p| p.into_path().ok())
        .map(with_extension)
}

/// Creates a workbook at `path`, replacing a file the user chose to overwrite only once the
/// new one is complete.
fn create_at(path: &Path, demo: bool) -> Result<Workbook, leadplan_workbook::WorkbookError> {
    let build = |p: &Path| {
        if demo {
            create_demo(p, Utc::now(), DEFAULT_SEED)
        } else {
            Workbook::create(p, &Settings::default())
        }
    };
    if !path.exists() {
        return build(path);
    }
    let tmp = path.with_extension("leadplan-new");
    let _ = fs::remove_file(&tmp);
    build(&tmp)?.close()?;
    fs::rename(&tmp, path).map_err(|source| leadplan_workbook::WorkbookError::Io {
        path: path.to_owned(),
        source,
    })?;
    Workbook::open(path)
}

/// Carries out `action`; `Ok(None)` when the user cancelled a dialog.
///
/// # Errors
/// Why the workbook could not be created, opened or copied, in the user's language.
pub fn run(app: &AppHandle, action: FileAction) -> Result<Option<Overview>, IpcError> {
    let state = app.state::<AppState>();
    let locale = state.locale();
    let current = state.current_path();
    let opened = match action {
        FileAction::New { demo } => {
            let Some(path) = ask_save_path(
                app,
                if demo { "menu.new_demo" } else { "menu.new" },
                "Leadplan.leadplan",
            ) else {
                return Ok(None);
            };
            if current.as_deref() == Some(path.as_path()) {
                return Err(IpcError::internal(i18n::text(locale, "files.is_open")));
            }
            create_at(&path, demo)
        }
        FileAction::Open { read_only } => {
            let title = if read_only {
                "menu.open_read_only"
            } else {
                "menu.open"
            };
            let picked = app
                .dialog()
                .file()
                .set_title(i18n::text(locale, title))
                .add_filter("Leadplan", &[EXTENSION])
                .blocking_pick_file()
                .and_then(|p| p.into_path().ok());
            let Some(path) = picked else { return Ok(None) };
            if read_only {
                Workbook::open_read_only(&path)
            } else {
                Workbook::open(&path)
            }
        }
        FileAction::OpenRecent(path) => Workbook::open(&path),
        FileAction::SaveAs => {
            let suggested = current.as_deref().and_then(Path::file_stem).map_or_else(
                || "Leadplan".to_owned(),
                |s| format!("{} copy", s.to_string_lossy()),
            );
            let Some(path) =
                ask_save_path(app, "menu.save_as", &format!("{suggested}.{EXTENSION}"))
            else {
                return Ok(None);
            };
            if current.as_deref() == Some(path.as_path()) {
                return Ok(None);
            }
            state.with(|wb| wb.copy_to(&path))?;
            Workbook::open(&path)
        }
    };
    let wb = opened.map_err(|e| IpcError::from_workbook(e, locale))?;
    state.switch_to(wb);
    let overview = state.overview()?;
    refresh(app, &overview);
    Ok(Some(overview))
}

/// Brings the window title, the menu and the UI up to date with the open workbook.
pub fn refresh(app: &AppHandle, overview: &Overview) {
    if let Some(window) = app.get_webview_window("main") {
        let read_only = if overview.read_only {
            format!(
                " ({})",
                i18n::text(overview.settings.locale, "shell.read_only")
            )
        } else {
            String::new()
        };
        let _ = window.set_title(&format!(
            "{} — {}{read_only} — Leadplan",
            overview.settings.organisation, overview.file_name
        ));
    }
    menu::install(app, overview.settings.locale);
    let _ = app.emit(WORKBOOK_CHANGED, overview);
}
