//! The entities of a workbook (see PRODUCT.md, "Domain model").
//!
//! Ids are SQLite row ids. Rates are fractions (0.13 = 13 %). Plan months are indices
//! 0..12 into the plan year (see [`crate::period::PlanYear`]).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::money::Money;
use crate::validate::{Rule, ValidationErrors, Validator};

/// Longest name (organisation, source, product line, version …) accepted anywhere.
pub const MAX_NAME: u32 = 120;
/// Longest free text (notes, definitions, reasons) accepted anywhere.
pub const MAX_TEXT: u32 = 20_000;
/// Largest count of units, leads or minutes accepted in any input.
pub const MAX_QUANTITY: f64 = 1.0e9;

/// The languages of the user interface and of reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    En,
    De,
    Nl,
}

impl Locale {
    pub const ALL: [Locale; 3] = [Locale::En, Locale::De, Locale::Nl];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Nl => "nl",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Locale> {
        Locale::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// The follow-up service level both sides agree on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FollowUpSla {
    /// First contact attempt within this many minutes of the lead's creation.
    pub first_contact_minutes: u32,
    /// At least this many attempts before a lead may be closed as lost.
    pub min_attempts_before_lost: u32,
    /// Share of leads that should be reached in a two-way contact.
    pub two_way_contact_target: f64,
    /// Share of leads that should get their first contact attempt within
    /// `first_contact_minutes`.
    pub within_sla_target: f64,
}

impl Default for FollowUpSla {
    fn default() -> Self {
        FollowUpSla {
            first_contact_minutes: 60,
            min_attempts_before_lost: 4,
            two_way_contact_target: 0.6,
            within_sla_target: 0.8,
        }
    }
}

/// Workbook-wide settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Settings {
    pub organisation: String,
    /// ISO 4217 code, e.g. `EUR`.
    pub currency: String,
    pub locale: Locale,
    /// First month of the fiscal year, 1..=12.
    pub fiscal_year_start_month: u32,
    /// Lead-to-sale conversion below which a source is flagged.
    pub conversion_floor: f64,
    pub sla: FollowUpSla,
    /// Lead cohorts younger than this many days are still maturing.
    pub cohort_maturity_days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organisation: "My organisation".into(),
            currency: "EUR".into(),
            locale: Locale::En,
            fiscal_year_start_month: 1,
            conversion_floor: 0.13,
            sla: FollowUpSla::default(),
            cohort_maturity_days: 60,
        }
    }
}

impl Settings {
    /// Checks every field.
    ///
    /// # Errors
    /// Every field that is out of its range.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut v = Validator::new();
        v.text("organisation", &self.organisation, MAX_NAME);
        let currency = self.currency.trim();
        if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
            v.fail(
                "currency",
                Rule::Other {
                    message: "a three-letter ISO code such as EUR".into(),
                },
            );
        }
        v.range(
            "fiscal_year_start_month",
            f64::from(self.fiscal_year_start_month),
            1.0,
            12.0,
        );
        v.rate("conversion_floor", self.conversion_floor);
        v.range(
            "sla.first_contact_minutes",
            f64::from(self.sla.first_contact_minutes),
            1.0,
            100_000.0,
        );
        v.range(
            "sla.min_attempts_before_lost",
            f64::from(self.sla.min_attempts_before_lost),
            0.0,
            100.0,
        );
        v.rate(
            "sla.two_way_contact_target",
            self.sla.two_way_contact_target,
        );
        v.rate("sla.within_sla_target", self.sla.within_sla_target);
        v.range(
            "cohort_maturity_days",
            f64::from(self.cohort_maturity_days),
            0.0,
            3650.0,
        );
        v.finish()
    }
}

/// What kind of channel a lead source is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Owned,
    Paid,
    Partner,
    Marketplace,
    Offline,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Owned,
        SourceKind::Paid,
        SourceKind::Partner,
        SourceKind::Marketplace,
        SourceKind::Offline,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Owned => "owned",
            SourceKind::Paid => "paid",
            SourceKind::Partner => "partner",
            SourceKind::Marketplace => "marketplace",
            SourceKind::Offline => "offline",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// The planning assumptions for one source: what a lead costs and how leads convert.
/// Each plan version holds its own copy; the source holds the defaults for new versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SourceAssumptions {
    pub cost_per_lead: Money,
    /// Fixed cost per month, e.g. a marketplace subscription.
    pub fixed_monthly_cost: Money,
    /// lead → contacted
    pub contact_rate: f64,
    /// contacted → appointment
    pub appointment_rate: f64,
    /// appointment → sale
    pub close_rate: f64,
    /// A lead-to-sale rate entered directly; when set it replaces the funnel product.
    pub direct_conversion: Option<f64>,
}

impl SourceAssumptions {
    /// Lead-to-sale conversion: the direct rate if entered, else the product of the funnel.
    #[must_use]
    pub fn conversion(&self) -> f64 {
        self.direct_conversion
            .unwrap_or(self.contact_rate * self.appointment_rate * self.close_rate)
    }

    /// Checks every field; `prefix` names the input, e.g. `sources[2]`.
    pub fn check(&self, v: &mut Validator, prefix: &str) {
        for (name, money) in [
            ("cost_per_lead", self.cost_per_lead),
            ("fixed_monthly_cost", self.fixed_monthly_cost),
        ] {
            if money.cents() < 0 {
                v.fail(
                    format!("{prefix}{name}"),
                    Rule::Range {
                        min: 0.0,
                        max: 1.0e9,
                    },
                );
            }
        }
        v.rate(&format!("{prefix}contact_rate"), self.contact_rate);
        v.rate(&format!("{prefix}appointment_rate"), self.appointment_rate);
        v.rate(&format!("{prefix}close_rate"), self.close_rate);
        if let Some(direct) = self.direct_conversion {
            v.rate(&format!("{prefix}direct_conversion"), direct);
        }
    }
}

/// A lead source (channel).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Source {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub kind: SourceKind,
    /// Defaults for new plan versions.
    pub defaults: SourceAssumptions,
    pub active: bool,
}

/// A product line ("model").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ProductLine {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub segment: String,
    /// Average revenue per sale.
    pub avg_revenue: Money,
    /// Average gross margin per sale.
    pub avg_margin: Money,
    pub active: bool,
}

/// Where a plan version stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum PlanStatus {
    Draft,
    Agreed,
    Archived,
}

impl PlanStatus {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            PlanStatus::Draft => "draft",
            PlanStatus::Agreed => "agreed",
            PlanStatus::Archived => "archived",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<PlanStatus> {
        [PlanStatus::Draft, PlanStatus::Agreed, PlanStatus::Archived]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// One version of a year's plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanVersion {
    #[ts(type = "number")]
    pub id: i64,
    pub year: i32,
    pub name: String,
    pub status: PlanStatus,
    /// The version both sides agreed as the reference for the year (at most one per year).
    pub baseline: bool,
    #[ts(type = "number | null")]
    pub created_from: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub created_by: String,
    /// A cap on the year's total marketing spend, if any.
    pub annual_budget_cap: Option<Money>,
    pub notes: String,
}

/// A product launch within a plan year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Launch {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub product_line_id: i64,
    /// Plan month index of the launch, 0..12.
    pub month: u32,
    /// Uplift on demand, e.g. 0.3 = +30 %.
    pub uplift: f64,
    /// Months the uplift lasts, counted from the launch month.
    pub duration_months: u32,
    /// Months before the launch in which leads are generated for it.
    pub prelaunch_months: u32,
    /// Extra budget, added to the launch month.
    pub extra_budget: Money,
}

/// A lead's stage in the sales process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    New,
    Contacted,
    Appointment,
    Offer,
    Won,
    Lost,
}

impl Stage {
    pub const ALL: [Stage; 6] = [
        Stage::New,
        Stage::Contacted,
        Stage::Appointment,
        Stage::Offer,
        Stage::Won,
        Stage::Lost,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Stage::New => "new",
            Stage::Contacted => "contacted",
            Stage::Appointment => "appointment",
            Stage::Offer => "offer",
            Stage::Won => "won",
            Stage::Lost => "lost",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Closed leads (won or lost) no longer move.
    #[must_use]
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Won | Stage::Lost)
    }
}

/// One lead as the CRM reported it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Lead {
    /// The CRM's id; unique within a workbook.
    pub external_id: String,
    pub created_at: DateTime<Utc>,
    #[ts(type = "number | null")]
    pub source_id: Option<i64>,
    #[ts(type = "number | null")]
    pub product_line_id: Option<i64>,
    pub first_attempt_at: Option<DateTime<Utc>>,
    /// When the lead was first actually reached (not just dialled).
    pub first_two_way_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub stage: Stage,
    pub lost_reason: Option<String>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub won_at: Option<DateTime<Utc>>,
    pub value: Option<Money>,
    /// The salesperson.
    pub owner: Option<String>,
}

/// Money actually spent on one source in one calendar month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Spend {
    #[ts(type = "number")]
    pub source_id: i64,
    pub year: i32,
    /// 1..=12, calendar month.
    pub month: u32,
    pub amount: Money,
}

/// Which side of the table someone sits on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Marketing,
    Sales,
}

impl Side {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Side::Marketing => "marketing",
            Side::Sales => "sales",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<Side> {
        [Side::Marketing, Side::Sales]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// Someone at a meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Attendee {
    pub name: String,
    pub side: Side,
}

/// A joint planning meeting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Meeting {
    #[ts(type = "number")]
    pub id: i64,
    pub held_on: NaiveDate,
    pub title: String,
    /// The plan version reviewed.
    #[ts(type = "number | null")]
    pub plan_version_id: Option<i64>,
    /// The period reviewed, as plan month indices 0..12 (inclusive).
    pub period_from: u32,
    pub period_to: u32,
    pub attendees: Vec<Attendee>,
    pub notes: String,
    /// The version re-planned in this meeting ("Re-forecast …"), if any.
    #[ts(type = "number | null")]
    pub replan_version_id: Option<i64>,
    /// The version frozen as the new baseline in this meeting, if any.
    #[ts(type = "number | null")]
    pub baseline_version_id: Option<i64>,
}

/// Where an action item stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Cancelled,
}

impl ActionStatus {
    pub const ALL: [ActionStatus; 4] = [
        ActionStatus::Open,
        ActionStatus::InProgress,
        ActionStatus::Done,
        ActionStatus::Cancelled,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ActionStatus::Open => "open",
            ActionStatus::InProgress => "in_progress",
            ActionStatus::Done => "done",
            ActionStatus::Cancelled => "cancelled",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<ActionStatus> {
        ActionStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Open and in-progress items still need someone to act.
    #[must_use]
    pub fn is_open(self) -> bool {
        matches!(self, ActionStatus::Open | ActionStatus::InProgress)
    }
}

/// Something someone agreed to do.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ActionItem {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub meeting_id: Option<i64>,
    pub text: String,
    pub owner_side: Side,
    pub owner: String,
    pub due_on: Option<NaiveDate>,
    pub status: ActionStatus,
}

impl ActionItem {
    /// Still open and past its due date on `today`.
    #[must_use]
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_open() && self.due_on.is_some_and(|due| due < today)
    }
}

/// One side's agreement to a definition, recorded against the exact text agreed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Agreement {
    pub by: String,
    pub at: DateTime<Utc>,
}

/// A term both sides define together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct GlossaryTerm {
    #[ts(type = "number")]
    pub id: i64,
    pub term: String,
    pub definition: String,
    pub marketing: Option<Agreement>,
    pub sales: Option<Agreement>,
}

impl GlossaryTerm {
    /// A definition is shared only when both sides agreed to its current text.
    #[must_use]
    pub fn is_shared(&self) -> bool {
        self.marketing.is_some() && self.sales.is_some()
    }
}

/// Sales' rating of one source's leads in one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct LeadQualityFeedback {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub source_id: i64,
    pub year: i32,
    /// 1..=12, calendar month.
    pub month: u32,
    /// 1 (poor) ..= 5 (excellent).
    pub rating: u8,
    pub reasons: Vec<String>,
    pub given_by: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assumptions(
        contact: f64,
        appointment: f64,
        close: f64,
        direct: Option<f64>,
    ) -> SourceAssumptions {
        SourceAssumptions {
            cost_per_lead: Money::from_units(20),
            fixed_monthly_cost: Money::ZERO,
            contact_rate: contact,
            appointment_rate: appointment,
            close_rate: close,
            direct_conversion: direct,
        }
    }

    #[test]
    fn conversion_is_the_product_of_the_funnel_rates() {
        let a = assumptions(0.8, 0.5, 0.25, None);
        assert!((a.conversion() - 0.1).abs() < 1e-12);
    }

    #[test]
    fn a_direct_conversion_replaces_the_funnel() {
        let a = assumptions(0.8, 0.5, 0.25, Some(0.3));
        assert!((a.conversion() - 0.3).abs() < 1e-12);
    }

    #[test]
    fn default_settings_are_valid_and_carry_the_agreed_defaults() {
        let s = Settings::default();
        s.validate().unwrap();
        assert!((s.conversion_floor - 0.13).abs() < 1e-12);
        assert_eq!(s.sla.first_contact_minutes, 60);
        assert_eq!(s.sla.min_attempts_before_lost, 4);
        assert!((s.sla.two_way_contact_target - 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_floor_over_one_hundred_percent_is_refused_naming_the_field() {
        let s = Settings {
            conversion_floor: 1.5,
            currency: "euro".into(),
            ..Settings::default()
        };
        let err = s.validate().unwrap_err();
        let fields: Vec<&str> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["currency", "conversion_floor"]);
    }

    #[test]
    fn an_action_item_is_overdue_only_while_open_and_past_due() {
        let today = NaiveDate::from_ymd_opt(2026, 5, 10).unwrap();
        let mut item = ActionItem {
            id: 1,
            meeting_id: None,
            text: "Call back all April web leads".into(),
            owner_side: Side::Sales,
            owner: "Jan".into(),
            due_on: NaiveDate::from_ymd_opt(2026, 5, 9),
            status: ActionStatus::Open,
        };
        assert!(item.is_overdue(today));
        item.due_on = Some(today);
        assert!(!item.is_overdue(today), "due today is not overdue yet");
        item.due_on = NaiveDate::from_ymd_opt(2026, 5, 1);
        item.status = ActionStatus::Done;
        assert!(!item.is_overdue(today));
    }

    #[test]
    fn codes_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.code()), Some(s));
        }
        for k in SourceKind::ALL {
            assert_eq!(SourceKind::parse(k.code()), Some(k));
        }
        for a in ActionStatus::ALL {
            assert_eq!(ActionStatus::parse(a.code()), Some(a));
        }
        assert_eq!(Locale::parse(" DE "), Some(Locale::De));
        assert_eq!(Locale::parse("fr"), None);
    }
}
