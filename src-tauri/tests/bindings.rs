#![allow(clippy::unwrap_used, clippy::expect_used)]
//! The TypeScript types under ui/src/bindings are generated from the Rust types that cross
//! the IPC boundary. This test fails when the committed copy is stale; run
//! `make bindings` (UPDATE_BINDINGS=1) to write them anew.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use leadplan_core::plan::PlanComparison;
use leadplan_core::{Meeting, Spend};
use leadplan_desktop::backup_commands::RestoreInput;
use leadplan_desktop::commands::{NewWorkbookInput, OpenRecentInput};
use leadplan_desktop::dashboard_commands::{ChartInput, Dashboard};
use leadplan_desktop::import_commands::{
    ActualsYear, ActualsYearInput, ChosenFile, ImportIdInput, PreviewInput, RunImportInput,
    SetSpendInput,
};
use leadplan_desktop::ipc::IpcError;
use leadplan_desktop::meeting_commands::{
    AddAgendaItemInput, AddTermInput, AgendaItemInput, AgreeInput, AgreeSlaInput, Definitions,
    EditDefinitionInput, FeedbackIdInput, FeedbackView, FreezeInput, MeetingInput, MeetingView,
    ReplanInput, TermInput, UpdateAgendaItemInput, UpdateMeetingInput, YearInput,
};
use leadplan_desktop::plan_commands::{
    CompareVersionsInput, EditPlanInput, PlanScreen, PlanStatusInput, UpdateVersionInput,
    VersionChanged, VersionInput,
};
use leadplan_desktop::report_commands::{
    ExportOutcome, ExportProgress, ExportReportInput, ReportInput, ReportPreview, ReportSetup,
    SaveTemplateInput, TemplateIdInput,
};
use leadplan_desktop::state::RecentWorkbook;
use leadplan_import::{Preview, Progress};
use leadplan_workbook::backup::BackupInfo;
use leadplan_workbook::{
    ActionItemUpdate, ImportSummary, NewActionItem, NewFeedback, NewMeeting, NewPlanVersion,
    Overview, SpendSummary,
};
use ts_rs::{Config, TS};

fn export_all(dir: &Path) {
    let cfg = Config::new().with_out_dir(dir).with_large_int("number");
    Overview::export_all(&cfg).unwrap();
    IpcError::export_all(&cfg).unwrap();
    RecentWorkbook::export_all(&cfg).unwrap();
    NewWorkbookInput::export_all(&cfg).unwrap();
    OpenRecentInput::export_all(&cfg).unwrap();
    PlanScreen::export_all(&cfg).unwrap();
    VersionInput::export_all(&cfg).unwrap();
    EditPlanInput::export_all(&cfg).unwrap();
    UpdateVersionInput::export_all(&cfg).unwrap();
    PlanStatusInput::export_all(&cfg).unwrap();
    CompareVersionsInput::export_all(&cfg).unwrap();
    VersionChanged::export_all(&cfg).unwrap();
    NewPlanVersion::export_all(&cfg).unwrap();
    PlanComparison::export_all(&cfg).unwrap();
    Dashboard::export_all(&cfg).unwrap();
    ChartInput::export_all(&cfg).unwrap();
    MeetingView::export_all(&cfg).unwrap();
    MeetingInput::export_all(&cfg).unwrap();
    UpdateMeetingInput::export_all(&cfg).unwrap();
    AddAgendaItemInput::export_all(&cfg).unwrap();
    UpdateAgendaItemInput::export_all(&cfg).unwrap();
    AgendaItemInput::export_all(&cfg).unwrap();
    ReplanInput::export_all(&cfg).unwrap();
    FreezeInput::export_all(&cfg).unwrap();
    Definitions::export_all(&cfg).unwrap();
    AddTermInput::export_all(&cfg).unwrap();
    EditDefinitionInput::export_all(&cfg).unwrap();
    AgreeInput::export_all(&cfg).unwrap();
    AgreeSlaInput::export_all(&cfg).unwrap();
    TermInput::export_all(&cfg).unwrap();
    YearInput::export_all(&cfg).unwrap();
    FeedbackView::export_all(&cfg).unwrap();
    NewMeeting::export_all(&cfg).unwrap();
    NewActionItem::export_all(&cfg).unwrap();
    ActionItemUpdate::export_all(&cfg).unwrap();
    NewFeedback::export_all(&cfg).unwrap();
    FeedbackIdInput::export_all(&cfg).unwrap();
    Meeting::export_all(&cfg).unwrap();
    ChosenFile::export_all(&cfg).unwrap();
    PreviewInput::export_all(&cfg).unwrap();
    RunImportInput::export_all(&cfg).unwrap();
    ImportIdInput::export_all(&cfg).unwrap();
    SetSpendInput::export_all(&cfg).unwrap();
    ActualsYearInput::export_all(&cfg).unwrap();
    ActualsYear::export_all(&cfg).unwrap();
    ImportSummary::export_all(&cfg).unwrap();
    SpendSummary::export_all(&cfg).unwrap();
    Preview::export_all(&cfg).unwrap();
    Progress::export_all(&cfg).unwrap();
    Spend::export_all(&cfg).unwrap();
    BackupInfo::export_all(&cfg).unwrap();
    RestoreInput::export_all(&cfg).unwrap();
    ReportSetup::export_all(&cfg).unwrap();
    ReportInput::export_all(&cfg).unwrap();
    ReportPreview::export_all(&cfg).unwrap();
    ExportReportInput::export_all(&cfg).unwrap();
    ExportProgress::export_all(&cfg).unwrap();
    ExportOutcome::export_all(&cfg).unwrap();
    SaveTemplateInput::export_all(&cfg).unwrap();
    TemplateIdInput::export_all(&cfg).unwrap();
}

fn read_dir(dir: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "ts") {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            files.insert(name, fs::read_to_string(&path).unwrap());
        }
    }
    files
}

fn committed_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings")
}

#[test]
fn committed_typescript_bindings_match_the_rust_types() {
    let fresh = tempfile::tempdir().unwrap();
    export_all(fresh.path());
    let generated = read_dir(fresh.path());
    assert!(generated.contains_key("Overview.ts") && generated.contains_key("IpcError.ts"));
    let committed_dir = committed_dir();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        fs::create_dir_all(&committed_dir).unwrap();
        for name in read_dir(&committed_dir).keys() {
            fs::remove_file(committed_dir.join(name)).unwrap();
        }
        for (name, text) in &generated {
            fs::write(committed_dir.join(name), text).unwrap();
        }
        return;
    }
    let committed = if committed_dir.exists() {
        read_dir(&committed_dir)
    } else {
        BTreeMap::new()
    };
    let stale: Vec<&String> = generated
        .iter()
        .filter(|(n, t)| committed.get(*n) != Some(t))
        .map(|(n, _)| n)
        .collect();
    let extra: Vec<&String> = committed
        .keys()
        .filter(|n| !generated.contains_key(*n))
        .collect();
    assert!(
        stale.is_empty() && extra.is_empty(),
        "ui/src/bindings is stale (changed or missing: {stale:?}; no longer generated: {extra:?}); \
         run `make bindings`"
    );
}
