//! Leadplan's domain: the entities of a workbook and all the math on them — the annual plan
//! (reverse and forward funnel), actuals analytics and the forecast. Pure: no I/O, no
//! database, no clock (today is always a parameter).

pub mod actuals;
pub mod agenda;
pub mod format;
pub mod i18n;
pub mod model;
pub mod money;
pub mod period;
pub mod plan;
pub mod report_options;
pub mod validate;

pub use model::*;
pub use money::Money;
pub use period::{Months, PlanYear, YearMonth};
pub use validate::{FieldError, Rule, ValidationErrors, Validator};
