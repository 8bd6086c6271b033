//! The error every command returns to the UI: a small closed set of codes the UI branches
//! on, a message in the workbook's language, and the fields a validation error concerns.

use leadplan_core::{Locale, Rule, i18n};
use leadplan_workbook::WorkbookError;
use serde::Serialize;
use ts_rs::TS;

/// What kind of failure the UI is looking at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The input was refused; `fields` says which and why. Nothing was saved.
    Validation,
    /// The chosen file is not a Leadplan workbook (or does not exist).
    NotAWorkbook,
    /// The workbook was written by a newer Leadplan.
    TooNew,
    /// Another process is writing to the workbook.
    Busy,
    /// No workbook is open.
    NoWorkbook,
    /// The user cancelled a long operation; nothing was changed.
    Cancelled,
    /// Anything else; the message says what.
    Internal,
}

/// One refused field and why, in the user's language.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct FieldProblem {
    /// The input field, e.g. `conversion_floor` or `sla.first_contact_minutes`.
    pub field: String,
    pub message: String,
}

/// An error as the UI receives it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub fields: Vec<FieldProblem>,
}

impl IpcError {
    #[must_use]
    pub fn no_workbook(locale: Locale) -> Self {
        IpcError {
            code: ErrorCode::NoWorkbook,
            message: i18n::text(locale, "shell.no_workbook"),
            fields: vec![],
        }
    }

    #[must_use]
    pub fn internal(message: impl Into<String>) -> Self {
        IpcError {
            code: ErrorCode::Internal,
            message: message.into(),
            fields: vec![],
        }
    }

    /// Translates a workbook error into the user's language.
    #[must_use]
    pub fn from_workbook(e: WorkbookError, locale: Locale) -> Self {
        let file = |p: &std::path::Path| p.display().to_string();
        let (code, message, fields) = match e {
            WorkbookError::Validation(errors) => {
                let fields: Vec<FieldProblem> = errors
                    .0
                    .into_iter()
                    .map(|f| FieldProblem {
                        message: rule_text(&f.rule, locale),
                        field: f.field,
                    })
                    .collect();
                let text = fields
                    .iter()
                    .map(|f| f.message.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                (ErrorCode::Validation, text, fields)
            }
            WorkbookError::NotAWorkbook { path, .. } | WorkbookError::NotFound { path } => (
                ErrorCode::NotAWorkbook,
                i18n::text_with(locale, "error.not_a_workbook", &[("file", &file(&path))]),
                vec![],
            ),
            WorkbookError::TooNew {
                path,
                found,
                supported,
            } => (
                ErrorCode::TooNew,
                i18n::text_with(
                    locale,
                    "error.too_new",
                    &[
                        ("file", &file(&path)),
                        ("found", &found.to_string()),
                        ("supported", &supported.to_string()),
                    ],
                ),
                vec![],
            ),
            WorkbookError::Busy => (ErrorCode::Busy, e.to_string(), vec![]),
            WorkbookError::ReadOnly => (
                ErrorCode::Internal,
                i18n::text(locale, "error.read_only"),
                vec![],
            ),
            WorkbookError::Cancelled => (
                ErrorCode::Cancelled,
                i18n::text(locale, "error.cancelled"),
                vec![],
            ),
            other => (
                ErrorCode::Internal,
                i18n::text_with(locale, "error.generic", &[("message", &other.to_string())]),
                vec![],
            ),
        };
        IpcError {
            code,
            message,
            fields,
        }
    }
}

/// The sentence for a broken rule, in the user's language.
#[must_use]
pub fn rule_text(rule: &Rule, locale: Locale) -> String {
    match rule {
        Rule::Required => i18n::text(locale, "validation.required"),
        Rule::TooLong { max } => {
            i18n::text_with(locale, "validation.too_long", &[("max", &max.to_string())])
        }
        Rule::NotANumber => i18n::text(locale, "validation.not_a_number"),
        Rule::Rate => i18n::text(locale, "validation.rate"),
        Rule::Range { min, max } => i18n::text_with(
            locale,
            "validation.range",
            &[("min", &min.to_string()), ("max", &max.to_string())],
        ),
        Rule::OneOf { allowed } => i18n::text_with(
            locale,
            "validation.one_of",
            &[("allowed", &allowed.join(", "))],
        ),
        Rule::Duplicate => i18n::text(locale, "validation.duplicate"),
        Rule::Other { message } => message.clone(),
    }
}
