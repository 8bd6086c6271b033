//! The Leadplan workbook: one SQLite file holding one organisation's settings, plans,
//! actuals, meetings and glossary. Every use case the front ends call is a method on
//! [`Workbook`] and runs in one transaction.

pub mod backup;
mod catalogue;
mod collaboration;
mod compare;
pub mod demo;
mod error;
mod import;
mod import_leads;
pub mod lead_block;
mod lead_rows;
mod leads;
mod meetings;
mod overview;
mod plan_data;
mod plan_edit;
mod plan_file;
mod plans;
mod report_templates;
mod rollups;
mod settings;
mod sql;
mod store;

pub use catalogue::{NewProductLine, NewSource};
pub use collaboration::{NewActionItem, NewFeedback, NewMeeting};
pub use compare::planned_figures;
pub use error::{Result, WorkbookError};
pub use import::{ImportMode, ImportRecord, ImportRequest, ImportSummary, SpendSummary};
pub use meetings::{ActionItemUpdate, AgendaItem, MeetingRecord, SlaAgreement};
pub use overview::Overview;
pub use plan_edit::{PlanCell, PlanEdit, PlanHistory, PlanView};
pub use plans::{NewPlanVersion, PlanOrigin};
pub use rollups::LeadCount;
pub use store::{APPLICATION_ID, MIGRATION_SQL, Workbook, latest_schema_version};

/// The file extension of a workbook.
pub const EXTENSION: &str = "leadplan";
