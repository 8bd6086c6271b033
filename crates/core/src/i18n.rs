//! The one catalogue of user-facing text, shared with the UI: `i18n/{en,de,nl}.json` at the
//! top of the repository, flat `"area.key": "text"` maps with `{name}` placeholders.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::model::Locale;

const EN: &str = include_str!("../../../i18n/en.json");
const DE: &str = include_str!("../../../i18n/de.json");
const NL: &str = include_str!("../../../i18n/nl.json");

type Catalogue = HashMap<String, String>;

fn parse(json: &str) -> Catalogue {
    // The catalogues are compiled in and checked by a test; a broken one degrades to the
    // keys themselves instead of failing at run time.
    serde_json::from_str(json).unwrap_or_default()
}

fn catalogue(locale: Locale) -> &'static Catalogue {
    static CATALOGUES: OnceLock<[Catalogue; 3]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| [parse(EN), parse(DE), parse(NL)]);
    match locale {
        Locale::En => &all[0],
        Locale::De => &all[1],
        Locale::Nl => &all[2],
    }
}

/// The text for `key` in `locale`, falling back to English, then to the key itself.
#[must_use]
pub fn text(locale: Locale, key: &str) -> String {
    catalogue(locale)
        .get(key)
        .or_else(|| catalogue(Locale::En).get(key))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The text for `key` with each `{name}` replaced by its value.
#[must_use]
pub fn text_with(locale: Locale, key: &str, args: &[(&str, &str)]) -> String {
    let mut out = text(locale, key);
    for (name, value) in args {
        out = out.replace(&format!("{{{name}}}"), value);
    }
    out
}

/// Short month names for plan month headers, January first.
#[must_use]
pub fn month_short(locale: Locale, calendar_month: u32) -> String {
    text(locale, &format!("month.short.{calendar_month}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<String> {
        text.split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}'))
            .map(|(n, _)| n.to_owned())
            .collect()
    }

    #[test]
    fn every_catalogue_parses_and_has_every_key_with_the_same_placeholders() {
        let en: Catalogue = serde_json::from_str(EN).unwrap();
        assert!(en.len() > 50, "the English catalogue looks empty");
        for (name, json) in [("de", DE), ("nl", NL)] {
            let other: Catalogue = serde_json::from_str(json).unwrap();
            let missing: Vec<&String> = en.keys().filter(|k| !other.contains_key(*k)).collect();
            let extra: Vec<&String> = other.keys().filter(|k| !en.contains_key(*k)).collect();
            assert!(missing.is_empty(), "{name}.json lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{name}.json has keys English lacks: {extra:?}"
            );
            for (key, text) in &en {
                assert_eq!(
                    placeholders(text),
                    placeholders(&other[key]),
                    "{name}.json {key}"
                );
                assert!(!other[key].trim().is_empty(), "{name}.json {key} is empty");
            }
        }
    }

    #[test]
    fn texts_come_in_the_asked_language_with_placeholders_filled() {
        assert_eq!(text(Locale::De, "nav.plan"), "Plan");
        assert_eq!(month_short(Locale::De, 3), "Mär");
        assert_eq!(month_short(Locale::Nl, 5), "mei");
        assert_eq!(text(Locale::En, "no.such.key"), "no.such.key");
        assert_eq!(
            text_with(Locale::En, "validation.too_long", &[("max", "120")]),
            "At most 120 characters."
        );
    }
}
