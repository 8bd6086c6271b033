//! The native menu, in the workbook's language.

use std::path::PathBuf;

use leadplan_core::{Locale, i18n};
use tauri::menu::{Menu, MenuBuilder, MenuEvent, MenuItemBuilder, SubmenuBuilder};
use tauri::{AppHandle, Manager, Wry};

use crate::files::{self, FileAction};
use crate::state::AppState;

const RECENT_PREFIX: &str = "file.recent.";

fn build(app: &AppHandle, locale: Locale) -> tauri::Result<Menu<Wry>> {
    let t = |key: &str| i18n::text(locale, key);
    let mut recent = SubmenuBuilder::new(app, t("menu.open_recent"));
    let entries = app.state::<AppState>().recent();
    for (i, r) in entries.iter().enumerate() {
        recent = recent.item(
            &MenuItemBuilder::with_id(format!("{RECENT_PREFIX}{i}"), &r.path)
                .enabled(r.exists)
                .build(app)?,
        );
    }
    let recent = recent.enabled(!entries.is_empty()).build()?;
    let file = SubmenuBuilder::new(app, t("menu.file"))
        .item(
            &MenuItemBuilder::with_id("file.new", t("menu.new"))
                .accelerator("CmdOrCtrl+N")
                .build(app)?,
        )
        .item(&MenuItemBuilder::with_id("file.new_demo", t("menu.new_demo")).build(app)?)
        .item(
            &MenuItemBuilder::with_id("file.open", t("menu.open"))
                .accelerator("CmdOrCtrl+O")
                .build(app)?,
        )
        .item(
            &MenuItemBuilder::with_id("file.open_read_only", t("menu.open_read_only"))
                .build(app)?,
        )
        .item(&recent)
        .separator()
        .item(
            &MenuItemBuilder::with_id("file.save_as", t("menu.save_as"))
                .accelerator("CmdOrCtrl+Shift+S")
                .build(app)?,
        )
        .separator()
        .item(
            &MenuItemBuilder::with_id("file.quit", t("menu.quit"))
                .accelerator("CmdOrCtrl+Q")
                .build(app)?,
        )
        .build()?;
    let help = SubmenuBuilder::new(app, t("menu.help"))
        .item(
            &MenuItemBuilder::with_id("help.shortcuts", t("menu.shortcuts"))
                .accelerator("F1")
                .build(app)?,
        )
        .build()?;
    MenuBuilder::new(app).item(&file).item(&help).build()
}

/// Sets (or replaces) the app's menu.
pub fn install(app: &AppHandle, locale: Locale) {
    if let Ok(menu) = build(app, locale) {
        let _ = app.set_menu(menu);
    }
}

/// Handles a click in the menu. Dialogs block, so the work runs on its own thread.
pub fn on_event(app: &AppHandle, event: MenuEvent) {
    let id = event.id().as_ref();
    if id == "file.quit" {
        // as the window's close button: the window first stores what is typed
        if let Some(window) = app.get_webview_window("main") {
            let _ = window.close();
        }
        return;
    }
    if id == "help.shortcuts" {
        let _ = tauri::Emitter::emit(app, "show-shortcuts", ());
        return;
    }
    let action = match id {
        "file.new" => FileAction::New { demo: false },
        "file.new_demo" => FileAction::New { demo: true },
        "file.open" => FileAction::Open { read_only: false },
        "file.open_read_only" => FileAction::Open { read_only: true },
        "file.save_as" => FileAction::SaveAs,
        _ => {
            let Some(index) = id
                .strip_prefix(RECENT_PREFIX)
                .and_then(|i| i.parse::<usize>().ok())
            else {
                return;
            };
            let Some(entry) = app.state::<AppState>().recent().into_iter().nth(index) else {
                return;
            };
            FileAction::OpenRecent(PathBuf::from(entry.path))
        }
    };
    let app = app.clone();
    std::thread::spawn(move || {
        if let Err(e) = files::run(&app, action) {
            let _ = tauri::Emitter::emit(&app, "app-error", e);
        }
    });
}
