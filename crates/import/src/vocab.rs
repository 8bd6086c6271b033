//! Turning the words of a CRM into Leadplan's: stages (a built-in vocabulary in English,
//! German and Dutch plus the vocabularies of HubSpot, Salesforce and Pipedrive) and source
//! and product-line names (matched against the workbook's names). The user's own mappings
//! always win.

use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::{FxHashMap as HashMap, FxHashSet};

use leadplan_core::Stage;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The user's value mappings: raw value as it appears in files → Leadplan value. Keys are
/// matched case-, space- and punctuation-insensitively (see [`value_key`]). Serialised as
/// `{"stages": {"Proefrit": "appointment"}, "sources": {"Marktplaats.nl": "Marktplaats"},
/// "product_lines": {"T-Roc R-Line": "T-Roc"}}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ValueMapping {
    #[serde(default)]
    pub stages: BTreeMap<String, Stage>,
    #[serde(default)]
    pub sources: BTreeMap<String, String>,
    #[serde(default)]
    pub product_lines: BTreeMap<String, String>,
}

/// The comparison key of a stage or name: lower case letters and digits only, so
/// `Closed Won`, `closed-won` and `closedwon` meet.
#[must_use]
pub fn value_key(value: &str) -> String {
    value
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The comparison key of a source name: like [`value_key`] after dropping a URL scheme, a
/// leading `www.` and a trailing country or generic domain, so `Marktplaats.nl`,
/// `www.marktplaats.nl` and `marktplaats` meet (and `mobile.de` meets `Mobile`).
#[must_use]
pub fn name_key(value: &str) -> String {
    let mut s = value.trim();
    for prefix in ["https://", "http://"] {
        if s.get(..prefix.len())
            .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
        {
            s = &s[prefix.len()..];
        }
    }
    if s.len() > 4 && s.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www.")) {
        s = &s[4..];
    }
    s = s.trim_end_matches('/');
    for tld in [
        ".nl", ".de", ".be", ".at", ".ch", ".com", ".eu", ".net", ".org", ".co.uk", ".fr", ".lu",
    ] {
        let cut = s.len().saturating_sub(tld.len());
        if cut > 0 && s.get(cut..).is_some_and(|t| t.eq_ignore_ascii_case(tld)) {
            s = &s[..cut];
            break;
        }
    }
    value_key(s)
}

/// The built-in stage vocabulary, by [`value_key`].
const STAGE_WORDS: &[(&str, Stage)] = &[
    // new
    ("new", Stage::New),
    ("neu", Stage::New),
    ("nieuw", Stage::New),
    ("open", Stage::New),
    ("offen", Stage::New),
    ("lead", Stage::New),
    ("subscriber", Stage::New),
    ("marketingqualifiedlead", Stage::New),
    ("mql", Stage::New),
    ("opennotcontacted", Stage::New),
    ("qualified", Stage::New),
    ("unworked", Stage::New),
    ("nichtkontaktiert", Stage::New),
    ("nietgecontacteerd", Stage::New),
    ("eingegangen", Stage::New),
    ("binnengekomen", Stage::New),
    // contacted
    ("contacted", Stage::Contacted),
    ("kontaktiert", Stage::Contacted),
    ("gecontacteerd", Stage::Contacted),
    ("attempted", Stage::Contacted),
    ("attemptedtocontact", Stage::Contacted),
    ("connected", Stage::Contacted),
    ("inprogress", Stage::Contacted),
    ("workingcontacted", Stage::Contacted),
    ("working", Stage::Contacted),
    ("contactmade", Stage::Contacted),
    ("salesqualifiedlead", Stage::Contacted),
    ("sql", Stage::Contacted),
    ("qualifiedtobuy", Stage::Contacted),
    ("inbearbeitung", Stage::Contacted),
    ("inbehandeling", Stage::Contacted),
    ("erreicht", Stage::Contacted),
    ("bereikt", Stage::Contacted),
    ("qualifiziert", Stage::Contacted),
    ("gekwalificeerd", Stage::Contacted),
    // appointment
    ("appointment", Stage::Appointment),
    ("appointmentscheduled", Stage::Appointment),
    ("meeting", Stage::Appointment),
    ("testdrive", Stage::Appointment),
    ("demoscheduled", Stage::Appointment),
    ("needsdefined", Stage::Appointment),
    ("presentationscheduled", Stage::Appointment),
    ("termin", Stage::Appointment),
    ("terminvereinbart", Stage::Appointment),
    ("probefahrt", Stage::Appointment),
    ("afspraak", Stage::Appointment),
    ("afspraakgepland", Stage::Appointment),
    ("proefrit", Stage::Appointment),
    // offer
    ("offer", Stage::Offer),
    ("proposal", Stage::Offer),
    ("proposalmade", Stage::Offer),
    ("quote", Stage::Offer),
    ("opportunity", Stage::Offer),
    ("opendeal", Stage::Offer),
    ("negotiation", Stage::Offer),
    ("negotiationsstarted", Stage::Offer),
    ("decisionmakerboughtin", Stage::Offer),
    ("contractsent", Stage::Offer),
    ("closedconverted", Stage::Offer),
    ("angebot", Stage::Offer),
    ("angebotversendet", Stage::Offer),
    ("verhandlung", Stage::Offer),
    ("offerte", Stage::Offer),
    ("offerteverstuurd", Stage::Offer),
    ("onderhandeling", Stage::Offer),
    // won
    ("won", Stage::Won),
    ("closedwon", Stage::Won),
    ("customer", Stage::Won),
    ("evangelist", Stage::Won),
    ("sold", Stage::Won),
    ("gewonnen", Stage::Won),
    ("verkauft", Stage::Won),
    ("kunde", Stage::Won),
    ("verkocht", Stage::Won),
    ("klant", Stage::Won),
    // lost
    ("lost", Stage::Lost),
    ("closedlost", Stage::Lost),
    ("unqualified", Stage::Lost),
    ("disqualified", Stage::Lost),
    ("closednotconverted", Stage::Lost),
    ("badtiming", Stage::Lost),
    ("junk", Stage::Lost),
    ("verloren", Stage::Lost),
    ("nichtqualifiziert", Stage::Lost),
    ("keininteresse", Stage::Lost),
    ("storniert", Stage::Lost),
    ("afgewezen", Stage::Lost),
    ("geeninteresse", Stage::Lost),
    ("nietgekwalificeerd", Stage::Lost),
];

/// Stage words → stages: the user's mapping, then the built-in vocabulary (which includes
/// Leadplan's own codes). Caches every raw value it has seen, so a million rows with a
/// handful of distinct stages cost a handful of lookups.
#[derive(Debug, Clone)]
pub struct StageVocabulary {
    words: HashMap<String, Stage>,
    seen: HashMap<String, Option<Stage>>,
}

impl StageVocabulary {
    #[must_use]
    pub fn new(user: &BTreeMap<String, Stage>) -> Self {
        let mut words: HashMap<String, Stage> = STAGE_WORDS
            .iter()
            .map(|(w, s)| ((*w).to_owned(), *s))
            .collect();
        for (raw, stage) in user {
            words.insert(value_key(raw), *stage);
        }
        StageVocabulary {
            words,
            seen: HashMap::default(),
        }
    }

    /// The stage a raw value means, `None` if the vocabulary does not know it.
    pub fn resolve(&mut self, raw: &str) -> Option<Stage> {
        if let Some(hit) = self.seen.get(raw) {
            return *hit;
        }
        let stage = self.words.get(&value_key(raw)).copied();
        if self.seen.len() < 10_000 {
            self.seen.insert(raw.to_owned(), stage);
        }
        stage
    }
}

/// How a raw source or product-line name resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A name of the workbook (or the user's target when no names were given).
    Known(Arc<str>),
    /// Not a name of the workbook: kept as written, listed for mapping.
    Unknown(Arc<str>),
}

/// Source or product-line names → the workbook's names.
#[derive(Debug, Clone)]
pub struct NameResolver {
    /// When the caller gave no names, every value counts as known.
    check: bool,
    known: HashMap<String, Arc<str>>,
    user: HashMap<String, Arc<str>>,
    seen: HashMap<String, Resolved>,
}

impl NameResolver {
    /// `known` are the workbook's names (empty: do not check), `user` the user's mapping.
    #[must_use]
    pub fn new(known: &[String], user: &BTreeMap<String, String>) -> Self {
        NameResolver {
            check: !known.is_empty(),
            known: known
                .iter()
                .map(|n| (name_key(n), Arc::from(n.trim())))
                .collect(),
            user: user
                .iter()
                .map(|(k, v)| (name_key(k), Arc::from(v.trim())))
                .collect(),
            seen: HashMap::default(),
        }
    }

    /// Resolves a non-empty raw value.
    pub fn resolve(&mut self, raw: &str) -> Resolved {
        if let Some(hit) = self.seen.get(raw) {
            return hit.clone();
        }
        let key = name_key(raw);
        let target = self.user.get(&key).cloned();
        let resolved = match target {
            Some(target) => match self.known.get(&name_key(&target)) {
                Some(name) => Resolved::Known(name.clone()),
                None if !self.check => Resolved::Known(target),
                None => Resolved::Unknown(Arc::from(raw.trim())),
            },
            None => match self.known.get(&key) {
                Some(name) => Resolved::Known(name.clone()),
                None if !self.check => Resolved::Known(Arc::from(raw.trim())),
                None => Resolved::Unknown(Arc::from(raw.trim())),
            },
        };
        if self.seen.len() < 10_000 {
            self.seen.insert(raw.to_owned(), resolved.clone());
        }
        resolved
    }
}

/// Shares one allocation among equal strings (owners repeat on every row).
#[derive(Debug, Clone, Default)]
pub struct Interner {
    strings: FxHashSet<Arc<str>>,
}

impl Interner {
    /// The shared copy of `s`. Stops remembering new strings after 10,000.
    pub fn intern(&mut self, s: &str) -> Arc<str> {
        if let Some(hit) = self.strings.get(s) {
            return hit.clone();
        }
        let shared: Arc<str> = Arc::from(s);
        if self.strings.len() < 10_000 {
            self.strings.insert(shared.clone());
        }
        shared
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("Gewonnen", Some(Stage::Won))]
    #[case("Won", Some(Stage::Won))]
    #[case("closed-won", Some(Stage::Won))]
    #[case("Closed Won", Some(Stage::Won))]
    #[case("customer", Some(Stage::Won))]
    #[case("Verloren", Some(Stage::Lost))]
    #[case("Closed - Not Converted", Some(Stage::Lost))]
    #[case("unqualified", Some(Stage::Lost))]
    #[case(" Neu ", Some(Stage::New))]
    #[case("Nieuw", Some(Stage::New))]
    #[case("Open - Not Contacted", Some(Stage::New))]
    #[case("Kontaktiert", Some(Stage::Contacted))]
    #[case("Working - Contacted", Some(Stage::Contacted))]
    #[case("attempted", Some(Stage::Contacted))]
    #[case("Termin", Some(Stage::Appointment))]
    #[case("Afspraak", Some(Stage::Appointment))]
    #[case("Angebot", Some(Stage::Offer))]
    #[case("Offerte", Some(Stage::Offer))]
    #[case("proposal", Some(Stage::Offer))]
    #[case("Proefrit gepland", None)]
    #[case("", None)]
    fn the_built_in_vocabulary_knows_the_usual_stage_words(
        #[case] raw: &str,
        #[case] expected: Option<Stage>,
    ) {
        assert_eq!(
            StageVocabulary::new(&BTreeMap::new()).resolve(raw),
            expected
        );
    }

    #[test]
    fn a_user_stage_mapping_beats_the_built_in_one() {
        let user = BTreeMap::from([
            ("Proefrit gepland".to_owned(), Stage::Appointment),
            ("Closed - Converted".to_owned(), Stage::Won),
        ]);
        let mut vocab = StageVocabulary::new(&user);
        assert_eq!(vocab.resolve("proefrit  gepland"), Some(Stage::Appointment));
        assert_eq!(vocab.resolve("Closed - Converted"), Some(Stage::Won));
    }

    #[test]
    fn source_names_match_ignoring_case_spaces_and_domains() {
        let known = vec![
            "Marktplaats".to_owned(),
            "mobile.de".to_owned(),
            "Walk-in".to_owned(),
        ];
        let user = BTreeMap::from([("Showroom".to_owned(), "walk-in".to_owned())]);
        let mut names = NameResolver::new(&known, &user);
        assert_eq!(
            names.resolve("Marktplaats.nl"),
            Resolved::Known("Marktplaats".into())
        );
        assert_eq!(
            names.resolve(" www.MARKTPLAATS.nl "),
            Resolved::Known("Marktplaats".into())
        );
        assert_eq!(names.resolve("Mobile"), Resolved::Known("mobile.de".into()));
        assert_eq!(names.resolve("walk in"), Resolved::Known("Walk-in".into()));
        assert_eq!(names.resolve("showroom"), Resolved::Known("Walk-in".into()));
        assert_eq!(
            names.resolve("AutoTrack"),
            Resolved::Unknown("AutoTrack".into())
        );
    }

    #[test]
    fn without_workbook_names_every_source_is_taken_as_written_or_mapped() {
        let user = BTreeMap::from([("Marktplaats.nl".to_owned(), "Marktplaats".to_owned())]);
        let mut names = NameResolver::new(&[], &user);
        assert_eq!(
            names.resolve("marktplaats.nl"),
            Resolved::Known("Marktplaats".into())
        );
        assert_eq!(
            names.resolve(" AutoTrack "),
            Resolved::Known("AutoTrack".into())
        );
    }
}
