//! Monthly rollups of leads: the counts every plan-versus-actual figure is computed from,
//! so that a year of a million leads is analysed from a few thousand rows.
//!
//! A rollup row holds the leads created in one calendar month (UTC) with one source,
//! one product line and one owner. Its counts depend on the follow-up SLA (contacted
//! within N minutes, lost with fewer than M attempts): when the SLA changes the rollups
//! are built again.

use rustc_hash::FxHashMap as HashMap;

use chrono::Datelike;
use serde::{Deserialize, Serialize};

use super::histogram::ResponseHistogram;
use crate::model::{FollowUpSla, Lead, Stage};
use crate::money::Money;

/// The counts of the leads created in one month with one source, product line and owner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeadRollup {
    /// Calendar year of creation (UTC).
    pub year: i32,
    /// Calendar month of creation, 1..=12 (UTC).
    pub month: u32,
    pub source_id: Option<i64>,
    pub product_line_id: Option<i64>,
    pub owner: Option<String>,
    /// Leads created.
    pub leads: u64,
    /// Leads with a first contact attempt.
    pub contacted: u64,
    /// Leads reached in a two-way contact.
    pub reached: u64,
    /// Leads with an appointment: `appointment_at` set, or stage appointment, offer or won.
    pub appointments: u64,
    /// Leads in stage won.
    pub won: u64,
    /// Leads in stage lost.
    pub lost: u64,
    /// Lost leads without a single contact attempt.
    pub lost_without_attempt: u64,
    /// Lost leads never reached, with fewer attempts than the SLA asks.
    pub lost_below_min_attempts: u64,
    /// Leads whose first attempt came at most the SLA's minutes after creation.
    pub contacted_within_sla: u64,
    /// Contact attempts summed over the lost leads.
    pub attempts_on_lost: u64,
    /// Sum of the values of the won leads (a won lead without a value adds nothing).
    pub revenue: Money,
    /// Minutes from creation to first attempt, of the contacted leads.
    pub response_minutes: ResponseHistogram,
}

impl LeadRollup {
    fn empty(
        year: i32,
        month: u32,
        source_id: Option<i64>,
        product_line_id: Option<i64>,
        owner: Option<String>,
    ) -> Self {
        LeadRollup {
            year,
            month,
            source_id,
            product_line_id,
            owner,
            leads: 0,
            contacted: 0,
            reached: 0,
            appointments: 0,
            won: 0,
            lost: 0,
            lost_without_attempt: 0,
            lost_below_min_attempts: 0,
            contacted_within_sla: 0,
            attempts_on_lost: 0,
            revenue: Money::ZERO,
            response_minutes: ResponseHistogram::new(),
        }
    }

    fn add(&mut self, lead: &Lead, sla: &FollowUpSla) {
        self.leads += 1;
        // A first attempt with no attempt counted is still one attempt: the CRM's counter
        // and its timestamp are kept by different people and disagree now and then.
        let attempts = if lead.first_attempt_at.is_some() {
            lead.attempts.max(1)
        } else {
            lead.attempts
        };
        if let Some(first) = lead.first_attempt_at {
            self.contacted += 1;
            let seconds = (first - lead.created_at).num_seconds().max(0);
            self.response_minutes.record(seconds / 60);
            if seconds <= i64::from(sla.first_contact_minutes) * 60 {
                self.contacted_within_sla += 1;
            }
        }
        if lead.first_two_way_at.is_some() {
            self.reached += 1;
        }
        if lead.appointment_at.is_some()
            || matches!(lead.stage, Stage::Appointment | Stage::Offer | Stage::Won)
        {
            self.appointments += 1;
        }
        match lead.stage {
            Stage::Won => {
                self.won += 1;
                let value = lead.value.map_or(0, Money::cents);
                self.revenue = Money(self.revenue.cents().saturating_add(value));
            }
            Stage::Lost => {
                self.lost += 1;
                self.attempts_on_lost = self.attempts_on_lost.saturating_add(u64::from(attempts));
                if attempts == 0 {
                    self.lost_without_attempt += 1;
                }
                // written off without real follow-up: never reached, and fewer attempts than
                // the SLA asks (a lead that was reached and declined was followed up)
                if lead.first_two_way_at.is_none() && attempts < sla.min_attempts_before_lost {
                    self.lost_below_min_attempts += 1;
                }
            }
            Stage::New | Stage::Contacted | Stage::Appointment | Stage::Offer => {}
        }
    }
}

impl LeadRollup {
    /// Adds the counts of another row of the same key.
    fn absorb(&mut self, o: &LeadRollup) {
        self.leads += o.leads;
        self.contacted += o.contacted;
        self.reached += o.reached;
        self.appointments += o.appointments;
        self.won += o.won;
        self.lost += o.lost;
        self.lost_without_attempt += o.lost_without_attempt;
        self.lost_below_min_attempts += o.lost_below_min_attempts;
        self.contacted_within_sla += o.contacted_within_sla;
        self.attempts_on_lost = self.attempts_on_lost.saturating_add(o.attempts_on_lost);
        self.revenue = Money(self.revenue.cents().saturating_add(o.revenue.cents()));
        self.response_minutes.merge(&o.response_minutes);
    }
}

type CellKey = (i32, u32, Option<i64>, Option<i64>, Option<u32>);

/// Builds rollups lead by lead, e.g. while an import streams its rows.
#[derive(Debug, Clone)]
pub struct RollupAccumulator {
    sla: FollowUpSla,
    owner_ids: HashMap<String, u32>,
    cells: HashMap<CellKey, LeadRollup>,
}

impl RollupAccumulator {
    #[must_use]
    pub fn new(sla: &FollowUpSla) -> Self {
        RollupAccumulator {
            sla: sla.clone(),
            owner_ids: HashMap::default(),
            cells: HashMap::default(),
        }
    }

    fn owner_id(&mut self, owner: Option<&str>) -> Option<u32> {
        owner.map(|name| {
            if let Some(&id) = self.owner_ids.get(name) {
                id
            } else {
                // more than u32::MAX distinct owners cannot be held in memory anyway
                let id = u32::try_from(self.owner_ids.len()).unwrap_or(u32::MAX);
                self.owner_ids.insert(name.to_owned(), id);
                id
            }
        })
    }

    /// Adds a row rolled up earlier (e.g. stored ones), so new leads add to it.
    pub fn add_rollup(&mut self, row: &LeadRollup) {
        let owner = self.owner_id(row.owner.as_deref());
        let key = (
            row.year,
            row.month,
            row.source_id,
            row.product_line_id,
            owner,
        );
        self.cells
            .entry(key)
            .or_insert_with(|| LeadRollup::empty(key.0, key.1, key.2, key.3, row.owner.clone()))
            .absorb(row);
    }

    /// Counts one lead in the row of its creation month, source, product line and owner.
    pub fn add(&mut self, lead: &Lead) {
        let owner = self.owner_id(lead.owner.as_deref());
        // the UTC date as stored, without converting through a time zone (which costs more
        // than the rest of this function)
        let date = lead.created_at.naive_utc().date();
        let key = (
            date.year(),
            date.month(),
            lead.source_id,
            lead.product_line_id,
            owner,
        );
        self.cells
            .entry(key)
            .or_insert_with(|| LeadRollup::empty(key.0, key.1, key.2, key.3, lead.owner.clone()))
            .add(lead, &self.sla);
    }

    /// The rows, ordered by year, month, source, product line and owner (absent first).
    #[must_use]
    pub fn finish(self) -> Vec<LeadRollup> {
        let mut rows: Vec<LeadRollup> = self.cells.into_values().collect();
        rows.sort_by(|a, b| {
            (a.year, a.month, a.source_id, a.product_line_id, &a.owner).cmp(&(
                b.year,
                b.month,
                b.source_id,
                b.product_line_id,
                &b.owner,
            ))
        });
        rows
    }
}

/// Rolls leads up by creation month, source, product line and owner.
#[must_use]
pub fn rollup(leads: &[Lead], sla: &FollowUpSla) -> Vec<LeadRollup> {
    let mut acc = RollupAccumulator::new(sla);
    for lead in leads {
        acc.add(lead);
    }
    acc.finish()
}
