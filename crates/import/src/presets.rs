//! Header presets: the column names of common CRM exports, so such a file needs no mapping.
//! Each preset lists, per field, the header names it accepts (first present wins) and the
//! marker headers that identify the export. What each preset maps is documented in
//! `docs/import-format.md`.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::fields::{ColumnMapping, TargetField, header_signature, normalize_header};

/// A known export layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Preset {
    /// Leadplan's own CSV (what the demo exporter writes).
    Leadplan,
    HubspotContacts,
    HubspotDeals,
    SalesforceLeads,
    PipedriveLeads,
    PipedriveDeals,
    /// A typical German dealer-CRM or Excel export.
    GermanExport,
    /// A typical Dutch dealer-CRM or Excel export.
    DutchExport,
}

use TargetField as F;

/// The header of Leadplan's own CSV format, in order.
pub const LEADPLAN_HEADER: [&str; 13] = [
    "external_id",
    "created_at",
    "source",
    "product_line",
    "first_attempt_at",
    "first_two_way_at",
    "attempts",
    "stage",
    "lost_reason",
    "appointment_at",
    "won_at",
    "value",
    "owner",
];

type Columns = &'static [(TargetField, &'static [&'static str])];

const LEADPLAN: Columns = &[
    (F::ExternalId, &["external_id"]),
    (F::CreatedAt, &["created_at"]),
    (F::Source, &["source"]),
    (F::ProductLine, &["product_line"]),
    (F::FirstAttemptAt, &["first_attempt_at"]),
    (F::FirstTwoWayAt, &["first_two_way_at"]),
    (F::Attempts, &["attempts"]),
    (F::Stage, &["stage"]),
    (F::LostReason, &["lost_reason"]),
    (F::AppointmentAt, &["appointment_at"]),
    (F::WonAt, &["won_at"]),
    (F::Value, &["value"]),
    (F::Owner, &["owner"]),
];

const HUBSPOT_CONTACTS: Columns = &[
    (F::ExternalId, &["Record ID", "Contact ID"]),
    (F::CreatedAt, &["Create Date", "Object create date/time"]),
    (
        F::Source,
        &[
            "Original Source",
            "Original Traffic Source",
            "Latest Source",
        ],
    ),
    (
        F::Attempts,
        &["Number of times contacted", "Number of Sales Activities"],
    ),
    (F::Stage, &["Lead Status"]),
    (F::Status, &["Lifecycle Stage"]),
    (F::WonAt, &["Became a Customer Date"]),
    (F::Value, &["Recent Deal Amount"]),
    (F::Owner, &["Contact owner"]),
];

const HUBSPOT_DEALS: Columns = &[
    (F::ExternalId, &["Record ID", "Deal ID"]),
    (F::CreatedAt, &["Create Date"]),
    (
        F::Source,
        &[
            "Original Source Type",
            "Original Source",
            "Original Traffic Source",
        ],
    ),
    (
        F::Attempts,
        &["Number of times contacted", "Number of Sales Activities"],
    ),
    (F::Stage, &["Deal Stage"]),
    (F::LostReason, &["Closed Lost Reason"]),
    (F::ClosedAt, &["Close Date"]),
    (F::Value, &["Amount"]),
    (F::Owner, &["Deal owner"]),
];

const SALESFORCE_LEADS: Columns = &[
    (F::ExternalId, &["Lead ID", "Lead Id", "Id"]),
    (F::CreatedAt, &["Create Date", "Created Date"]),
    (F::Source, &["Lead Source"]),
    (F::ProductLine, &["Product Interest"]),
    (F::Stage, &["Lead Status"]),
    (F::Owner, &["Lead Owner"]),
];

const PIPEDRIVE_LEADS: Columns = &[
    (F::ExternalId, &["Lead - ID", "Lead - Pipedrive System ID"]),
    (
        F::CreatedAt,
        &[
            "Lead - Lead created",
            "Lead - Creation date",
            "Lead - Created",
        ],
    ),
    (
        F::Source,
        &[
            "Lead - Source channel",
            "Lead - Source",
            "Lead - Source origin",
        ],
    ),
    (F::Value, &["Lead - Value"]),
    (F::Owner, &["Lead - Owner"]),
];

const PIPEDRIVE_DEALS: Columns = &[
    (F::ExternalId, &["Deal - ID", "Deal - Pipedrive System ID"]),
    (
        F::CreatedAt,
        &[
            "Deal - Deal created",
            "Deal - Creation date",
            "Deal - Deal created on",
        ],
    ),
    (
        F::Source,
        &[
            "Deal - Source channel",
            "Deal - Source origin",
            "Deal - Lead Source",
            "Deal - Source",
        ],
    ),
    (F::ProductLine, &["Deal - Product name", "Deal - Product"]),
    (F::Attempts, &["Deal - Done activities"]),
    (F::Stage, &["Deal - Stage"]),
    (F::Status, &["Deal - Status"]),
    (F::LostReason, &["Deal - Lost reason"]),
    (F::WonAt, &["Deal - Won time"]),
    (F::Value, &["Deal - Value"]),
    (F::Owner, &["Deal - Owner"]),
];

const GERMAN: Columns = &[
    (
        F::ExternalId,
        &[
            "Lead-ID", "Lead ID", "Lead-Nr.", "Lead-Nr", "Nr.", "ID", "Kennung",
        ],
    ),
    (
        F::CreatedAt,
        &[
            "Erstellt am",
            "Erstellt",
            "Erstelldatum",
            "Angelegt am",
            "Eingang am",
            "Datum",
        ],
    ),
    (
        F::Source,
        &["Quelle", "Lead-Quelle", "Leadquelle", "Herkunft", "Kanal"],
    ),
    (
        F::ProductLine,
        &["Modell", "Fahrzeug", "Produkt", "Produktlinie"],
    ),
    (
        F::FirstAttemptAt,
        &["Erster Kontakt", "Erster Kontaktversuch", "Erstkontakt"],
    ),
    (
        F::FirstTwoWayAt,
        &["Erreicht am", "Erster Kontakt erreicht", "Erstes Gespräch"],
    ),
    (
        F::Attempts,
        &["Kontaktversuche", "Anzahl Kontaktversuche", "Anrufversuche"],
    ),
    (F::Stage, &["Status", "Phase", "Stufe"]),
    (
        F::LostReason,
        &["Verlustgrund", "Grund verloren", "Absagegrund"],
    ),
    (F::AppointmentAt, &["Termin", "Termin am", "Probefahrt am"]),
    (
        F::WonAt,
        &[
            "Gewonnen am",
            "Verkauft am",
            "Abschluss am",
            "Abschlussdatum",
        ],
    ),
    (F::Value, &["Wert", "Betrag", "Umsatz", "Auftragswert"]),
    (
        F::Owner,
        &[
            "Verkäufer",
            "Verkäuferin",
            "Zuständig",
            "Bearbeiter",
            "Betreuer",
        ],
    ),
];

const DUTCH: Columns = &[
    (
        F::ExternalId,
        &["Lead-ID", "Lead ID", "Leadnummer", "Nummer", "ID"],
    ),
    (
        F::CreatedAt,
        &[
            "Aangemaakt op",
            "Aangemaakt",
            "Aanmaakdatum",
            "Datum binnengekomen",
            "Datum",
        ],
    ),
    (F::Source, &["Bron", "Leadbron", "Herkomst", "Kanaal"]),
    (
        F::ProductLine,
        &["Model", "Voertuig", "Product", "Productlijn"],
    ),
    (
        F::FirstAttemptAt,
        &["Eerste contact", "Eerste contactpoging"],
    ),
    (F::FirstTwoWayAt, &["Bereikt op", "Eerste gesprek"]),
    (
        F::Attempts,
        &["Contactpogingen", "Aantal contactpogingen", "Belpogingen"],
    ),
    (F::Stage, &["Status", "Fase"]),
    (F::LostReason, &["Reden verloren", "Verliesreden", "Reden"]),
    (
        F::AppointmentAt,
        &["Afspraak", "Afspraak op", "Proefrit op"],
    ),
    (F::WonAt, &["Gewonnen op", "Verkocht op", "Datum verkoop"]),
    (F::Value, &["Waarde", "Bedrag", "Omzet"]),
    (
        F::Owner,
        &["Verkoper", "Verkoopadviseur", "Eigenaar", "Behandelaar"],
    ),
];

impl Preset {
    pub const ALL: [Preset; 8] = [
        Preset::Leadplan,
        Preset::HubspotContacts,
        Preset::HubspotDeals,
        Preset::SalesforceLeads,
        Preset::PipedriveLeads,
        Preset::PipedriveDeals,
        Preset::GermanExport,
        Preset::DutchExport,
    ];

    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Preset::Leadplan => "leadplan",
            Preset::HubspotContacts => "hubspot_contacts",
            Preset::HubspotDeals => "hubspot_deals",
            Preset::SalesforceLeads => "salesforce_leads",
            Preset::PipedriveLeads => "pipedrive_leads",
            Preset::PipedriveDeals => "pipedrive_deals",
            Preset::GermanExport => "german_export",
            Preset::DutchExport => "dutch_export",
        }
    }

    /// Per field, the header names this preset accepts.
    #[must_use]
    pub fn columns(self) -> &'static [(TargetField, &'static [&'static str])] {
        match self {
            Preset::Leadplan => LEADPLAN,
            Preset::HubspotContacts => HUBSPOT_CONTACTS,
            Preset::HubspotDeals => HUBSPOT_DEALS,
            Preset::SalesforceLeads => SALESFORCE_LEADS,
            Preset::PipedriveLeads => PIPEDRIVE_LEADS,
            Preset::PipedriveDeals => PIPEDRIVE_DEALS,
            Preset::GermanExport => GERMAN,
            Preset::DutchExport => DUTCH,
        }
    }

    /// Headers of which at least one must be present for the preset to apply.
    fn markers(self) -> &'static [&'static str] {
        match self {
            Preset::Leadplan => &["external_id"],
            Preset::HubspotContacts => &["Lifecycle Stage", "Lead Status", "Contact owner"],
            Preset::HubspotDeals => &["Deal Stage", "Deal Name", "Deal owner"],
            Preset::SalesforceLeads => &["Lead Source", "Lead Status", "Lead Owner"],
            Preset::PipedriveLeads => &["Lead - Title", "Lead - Owner", "Lead - ID"],
            Preset::PipedriveDeals => &["Deal - Title", "Deal - Stage", "Deal - ID"],
            Preset::GermanExport => &[
                "Erstellt am",
                "Quelle",
                "Verkäufer",
                "Kontaktversuche",
                "Modell",
            ],
            Preset::DutchExport => &["Aangemaakt op", "Bron", "Verkoper", "Contactpogingen"],
        }
    }

    /// The mapping this preset gives a file with `headers`, if it applies: a marker is
    /// present and the required fields are found. Leadplan's own format applies only to its
    /// exact header.
    #[must_use]
    pub fn mapping(self, headers: &[String]) -> Option<ColumnMapping> {
        self.mapping_in(&HeaderIndex::new(headers))
    }

    fn mapping_in(self, index: &HeaderIndex<'_>) -> Option<ColumnMapping> {
        if self == Preset::Leadplan {
            let exact = index.normalized.len() == LEADPLAN_HEADER.len()
                && index
                    .normalized
                    .iter()
                    .zip(LEADPLAN_HEADER)
                    .all(|(h, l)| h == l);
            if !exact {
                return None;
            }
        }
        if !self.markers().iter().any(|m| index.find(m).is_some()) {
            return None;
        }
        let mut mapping = ColumnMapping {
            signature: Some(header_signature(index.headers)),
            ..ColumnMapping::default()
        };
        for (field, names) in self.columns() {
            if let Some(i) = names.iter().find_map(|n| index.find(n)) {
                mapping
                    .columns
                    .insert(*field, index.headers[i].trim().to_owned());
            }
        }
        TargetField::REQUIRED
            .iter()
            .all(|f| mapping.columns.contains_key(f))
            .then_some(mapping)
    }

    /// The preset that fits `headers` best: Leadplan's exact header, else the applicable
    /// preset that maps the most fields (the earlier one in [`Preset::ALL`] on a tie).
    #[must_use]
    pub fn detect(headers: &[String]) -> Option<(Preset, ColumnMapping)> {
        let index = HeaderIndex::new(headers);
        let mut best: Option<(Preset, ColumnMapping)> = None;
        for preset in Preset::ALL {
            if let Some(mapping) = preset.mapping_in(&index) {
                if preset == Preset::Leadplan {
                    return Some((preset, mapping));
                }
                let better = best
                    .as_ref()
                    .is_none_or(|(_, b)| mapping.columns.len() > b.columns.len());
                if better {
                    best = Some((preset, mapping));
                }
            }
        }
        best
    }
}

/// A header row, normalised once, with the first column of every normalised name.
struct HeaderIndex<'h> {
    headers: &'h [String],
    normalized: Vec<String>,
    first: rustc_hash::FxHashMap<String, usize>,
}

impl<'h> HeaderIndex<'h> {
    fn new(headers: &'h [String]) -> Self {
        let normalized: Vec<String> = headers.iter().map(|h| normalize_header(h)).collect();
        let mut first = rustc_hash::FxHashMap::default();
        for (i, n) in normalized.iter().enumerate().rev() {
            first.insert(n.clone(), i);
        }
        HeaderIndex {
            headers,
            normalized,
            first,
        }
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.first.get(&normalize_header(name)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_leadplan_header_is_recognised_only_exactly() {
        let (preset, mapping) = Preset::detect(&headers(&LEADPLAN_HEADER)).unwrap();
        assert_eq!(preset, Preset::Leadplan);
        assert_eq!(mapping.columns.len(), 13);
        let mut shuffled = LEADPLAN_HEADER.to_vec();
        shuffled.swap(0, 1);
        assert_ne!(
            Preset::detect(&headers(&shuffled)).map(|p| p.0),
            Some(Preset::Leadplan)
        );
    }

    #[test]
    fn hubspot_contacts_and_deals_are_told_apart() {
        let contacts = headers(&[
            "Record ID",
            "First Name",
            "Create Date",
            "Lifecycle Stage",
            "Lead Status",
            "Contact owner",
            "Original Source",
        ]);
        let deals = headers(&[
            "Record ID",
            "Deal Name",
            "Deal Stage",
            "Amount",
            "Deal owner",
            "Close Date",
            "Create Date",
        ]);
        assert_eq!(
            Preset::detect(&contacts).unwrap().0,
            Preset::HubspotContacts
        );
        let (preset, mapping) = Preset::detect(&deals).unwrap();
        assert_eq!(preset, Preset::HubspotDeals);
        assert_eq!(mapping.columns[&TargetField::ClosedAt], "Close Date");
    }

    #[test]
    fn a_file_without_an_id_column_fits_no_preset() {
        assert_eq!(
            Preset::detect(&headers(&["Erstellt am", "Quelle", "Modell"])),
            None
        );
    }
}
