//! The agenda of a joint planning meeting, generated from the data: what both sides should
//! look at first. Items come in this order, each group sorted as stated:
//!
//! 1. **Largest plan-vs-actual differences**: the sources whose actual leads to date differ
//!    most from their plan to date, by absolute difference (largest first), at most three,
//!    and only differences of at least 10 % of the plan to date.
//! 2. **Sources below the conversion floor**, lowest conversion first (mature cohorts where
//!    there are any; maturing values are said to be maturing).
//! 3. **SLA breaches**: sources whose share of leads contacted within the SLA is below the
//!    target, lowest share first; then the two-way contact rate of all leads, if it is below
//!    its target.
//! 4. **Leads closed as lost without follow-up**: one item with the number of leads closed
//!    with fewer attempts than the SLA asks, naming the owners with the most of them.
//! 5. **Action items** from earlier meetings that are still open: overdue ones first (oldest
//!    due date first), then the others by due date.
//! 6. **Definitions not yet agreed by both sides**, alphabetically.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::actuals::PlanVsActual;
use crate::i18n::text_with;
use crate::model::{ActionItem, GlossaryTerm, Locale};
use crate::{format, i18n};

/// Differences smaller than this share of the plan to date are not agenda items.
pub const GAP_THRESHOLD: f64 = 0.10;
/// At most this many gaps make the agenda.
pub const MAX_GAPS: usize = 3;
/// Owners named in the lost-without-follow-up item.
const MAX_OWNERS_NAMED: usize = 3;

/// What an agenda item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AgendaKind {
    LeadGap,
    BelowFloor,
    SlaBreach,
    LostWithoutFollowUp,
    ActionItem,
    Definition,
    /// Added by hand in the meeting.
    Other,
}

impl AgendaKind {
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            AgendaKind::LeadGap => "lead_gap",
            AgendaKind::BelowFloor => "below_floor",
            AgendaKind::SlaBreach => "sla_breach",
            AgendaKind::LostWithoutFollowUp => "lost_without_follow_up",
            AgendaKind::ActionItem => "action_item",
            AgendaKind::Definition => "definition",
            AgendaKind::Other => "other",
        }
    }

    #[must_use]
    pub fn parse(code: &str) -> Option<AgendaKind> {
        [
            AgendaKind::LeadGap,
            AgendaKind::BelowFloor,
            AgendaKind::SlaBreach,
            AgendaKind::LostWithoutFollowUp,
            AgendaKind::ActionItem,
            AgendaKind::Definition,
            AgendaKind::Other,
        ]
        .into_iter()
        .find(|k| k.code() == code)
    }

    /// The shared chart shown beside the item in presentation mode, if any.
    #[must_use]
    pub fn chart(self) -> Option<&'static str> {
        match self {
            AgendaKind::LeadGap => Some("leads_plan_vs_actual"),
            AgendaKind::BelowFloor => Some("conversion_vs_floor"),
            AgendaKind::SlaBreach => Some("contacted_within_sla"),
            AgendaKind::LostWithoutFollowUp => Some("lost_without_attempts"),
            AgendaKind::ActionItem | AgendaKind::Definition | AgendaKind::Other => None,
        }
    }
}

/// One generated agenda item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct AgendaProposal {
    pub kind: AgendaKind,
    pub title: String,
    pub detail: String,
}

/// What the agenda is generated from.
#[derive(Debug, Clone, Copy)]
pub struct AgendaInput<'a> {
    pub compare: &'a PlanVsActual,
    /// Every action item of the workbook; those of `meeting_id` itself are left out.
    pub action_items: &'a [ActionItem],
    pub glossary: &'a [GlossaryTerm],
    /// The meeting the agenda is for.
    pub meeting_id: Option<i64>,
    pub locale: Locale,
}

fn pct(x: f64, locale: Locale) -> String {
    format::percent(x, 1, locale)
}

fn num(x: f64, locale: Locale) -> String {
    format::number(x, 0, locale)
}

#[allow(clippy::cast_precision_loss)] // counts of leads stay far below 2^53
fn float(n: u64) -> f64 {
    n as f64
}

fn gaps(c: &PlanVsActual, l: Locale) -> Vec<AgendaProposal> {
    let mut rows: Vec<(&str, f64, f64, f64)> = c
        .sources
        .iter()
        .filter_map(|s| {
            let leads = &s.figures.leads;
            let planned = leads.planned_to_date?;
            let difference = leads.difference?;
            (planned > 0.0 && difference.abs() >= GAP_THRESHOLD * planned).then_some((
                s.name.as_deref()?,
                difference,
                planned,
                float(leads.actual?),
            ))
        })
        .collect();
    rows.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(b.0)));
    rows.into_iter()
        .take(MAX_GAPS)
        .map(|(name, difference, planned, actual)| {
            let key = if difference < 0.0 {
                "agenda.gap.below"
            } else {
                "agenda.gap.above"
            };
            AgendaProposal {
                kind: AgendaKind::LeadGap,
                title: text_with(
                    l,
                    key,
                    &[("source", name), ("difference", &num(difference.abs(), l))],
                ),
                detail: text_with(
                    l,
                    "agenda.gap.detail",
                    &[
                        ("actual", &num(actual, l)),
                        ("planned", &num(planned, l)),
                        ("share", &pct(actual / planned, l)),
                    ],
                ),
            }
        })
        .collect()
}

fn below_floor(c: &PlanVsActual, l: Locale) -> Vec<AgendaProposal> {
    let mut rows: Vec<(&str, f64, bool)> = c
        .sources
        .iter()
        .filter_map(|s| {
            let conv = &s.figures.conversion;
            let (value, maturing) = match (conv.mature, conv.actual) {
                (Some(m), _) => (m, false),
                (None, Some(a)) => (a, true),
                (None, None) => return None,
            };
            (value < c.conversion_floor).then_some((s.name.as_deref()?, value, maturing))
        })
        .collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    rows.into_iter()
        .map(|(name, value, maturing)| AgendaProposal {
            kind: AgendaKind::BelowFloor,
            title: text_with(
                l,
                "agenda.floor.title",
                &[
                    ("source", name),
                    ("conversion", &pct(value, l)),
                    ("floor", &pct(c.conversion_floor, l)),
                ],
            ),
            detail: if maturing {
                i18n::text(l, "agenda.floor.maturing")
            } else {
                String::new()
            },
        })
        .collect()
}

fn sla(c: &PlanVsActual, l: Locale) -> Vec<AgendaProposal> {
    let target = c.sla.within_sla_target;
    let minutes = c.sla.first_contact_minutes.to_string();
    let mut rows: Vec<(&str, f64)> = c
        .sources
        .iter()
        .filter_map(|s| {
            let share = s.figures.follow_up.as_ref()?.within_sla_share?;
            (share < target).then_some((s.name.as_deref()?, share))
        })
        .collect();
    rows.sort_by(|a, b| a.1.total_cmp(&b.1).then_with(|| a.0.cmp(b.0)));
    let mut items: Vec<AgendaProposal> = rows
        .into_iter()
        .map(|(name, share)| AgendaProposal {
            kind: AgendaKind::SlaBreach,
            title: text_with(
                l,
                "agenda.sla.title",
                &[
                    ("source", name),
                    ("share", &pct(share, l)),
                    ("minutes", &minutes),
                    ("target", &pct(target, l)),
                ],
            ),
            detail: String::new(),
        })
        .collect();
    if let Some(rate) = c
        .total
        .figures
        .follow_up
        .as_ref()
        .and_then(|f| f.two_way_rate)
        && rate < c.sla.two_way_contact_target
    {
        items.push(AgendaProposal {
            kind: AgendaKind::SlaBreach,
            title: text_with(
                l,
                "agenda.two_way.title",
                &[
                    ("rate", &pct(rate, l)),
                    ("target", &pct(c.sla.two_way_contact_target, l)),
                ],
            ),
            detail: String::new(),
        });
    }
    items
}

fn lost(c: &PlanVsActual, l: Locale) -> Vec<AgendaProposal> {
    let Some(total) = c.total.figures.follow_up.as_ref() else {
        return Vec::new();
    };
    if total.lost_below_min_attempts == 0 {
        return Vec::new();
    }
    let mut owners: Vec<(&str, u64)> = c
        .owners
        .iter()
        .filter_map(|o| Some((o.owner.as_deref()?, o.follow_up.lost_below_min_attempts)))
        .filter(|(_, n)| *n > 0)
        .collect();
    owners.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let named: Vec<String> = owners
        .iter()
        .take(MAX_OWNERS_NAMED)
        .map(|(name, n)| format!("{name} ({})", num(float(*n), l)))
        .collect();
    vec![AgendaProposal {
        kind: AgendaKind::LostWithoutFollowUp,
        title: text_with(
            l,
            "agenda.lost.title",
            &[
                ("count", &num(float(total.lost_below_min_attempts), l)),
                ("lost", &num(float(total.lost), l)),
                ("min", &total.min_attempts.to_string()),
            ],
        ),
        detail: if named.is_empty() {
            String::new()
        } else {
            text_with(l, "agenda.lost.owners", &[("owners", &named.join(", "))])
        },
    }]
}

fn actions(input: &AgendaInput<'_>, today: NaiveDate) -> Vec<AgendaProposal> {
    let l = input.locale;
    let mut open: Vec<&ActionItem> = input
        .action_items
        .iter()
        .filter(|a| {
            a.status.is_open() && (input.meeting_id.is_none() || a.meeting_id != input.meeting_id)
        })
        .collect();
    // overdue first, then by due date (none last), then as recorded
    open.sort_by_key(|a| (!a.is_overdue(today), a.due_on.is_none(), a.due_on, a.id));
    open.into_iter()
        .map(|a| {
            let side = i18n::text(l, &format!("side.{}", a.owner_side.code()));
            let owner = if a.owner.is_empty() {
                side
            } else {
                format!("{} ({side})", a.owner)
            };
            let due = a.due_on.map(|d| format::date(d, l)).unwrap_or_default();
            let key = if a.is_overdue(today) {
                "agenda.action.overdue"
            } else if a.due_on.is_some() {
                "agenda.action.due"
            } else {
                "agenda.action.open"
            };
            AgendaProposal {
                kind: AgendaKind::ActionItem,
                title: a.text.clone(),
                detail: text_with(l, key, &[("owner", &owner), ("due", &due)]),
            }
        })
        .collect()
}

fn definitions(glossary: &[GlossaryTerm], l: Locale) -> Vec<AgendaProposal> {
    let mut terms: Vec<&GlossaryTerm> = glossary.iter().filter(|t| !t.is_shared()).collect();
    terms.sort_by_key(|t| t.term.to_lowercase());
    terms
        .into_iter()
        .map(|t| {
            let missing = match (&t.marketing, &t.sales) {
                (None, None) => "agenda.definition.neither",
                (None, Some(_)) => "agenda.definition.marketing",
                (Some(_), _) => "agenda.definition.sales",
            };
            AgendaProposal {
                kind: AgendaKind::Definition,
                title: text_with(l, "agenda.definition.title", &[("term", &t.term)]),
                detail: i18n::text(l, missing),
            }
        })
        .collect()
}

/// The generated agenda, in the order documented at the top of this module.
#[must_use]
pub fn agenda(input: &AgendaInput<'_>, today: NaiveDate) -> Vec<AgendaProposal> {
    let (c, l) = (input.compare, input.locale);
    let mut items = gaps(c, l);
    items.extend(below_floor(c, l));
    items.extend(sla(c, l));
    items.extend(lost(c, l));
    items.extend(actions(input, today));
    items.extend(definitions(input.glossary, l));
    items
}
