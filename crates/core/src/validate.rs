//! Field validation shared by every front end. A rejected input names the field and the rule
//! it broke; front ends turn the rule into a sentence in the user's language.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The rule a field value broke.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Rule {
    /// An empty value where one is needed.
    Required,
    /// Text longer than `max` characters.
    TooLong { max: u32 },
    /// Not a finite number (NaN, infinity, text).
    NotANumber,
    /// A rate outside 0 %..=100 %.
    Rate,
    /// A number outside `min..=max`.
    Range { min: f64, max: f64 },
    /// A value not in the allowed list.
    OneOf { allowed: Vec<String> },
    /// The same name is already taken.
    Duplicate,
    /// A rule with its own sentence.
    Other { message: String },
}

/// One rejected field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct FieldError {
    /// The field's name in the input, e.g. `conversion_floor` or `sources[2].cost_per_lead`.
    pub field: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub rule: Rule,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let field = &self.field;
        match &self.rule {
            Rule::Required => write!(f, "{field}: a value is required"),
            Rule::TooLong { max } => write!(f, "{field}: at most {max} characters"),
            Rule::NotANumber => write!(f, "{field}: not a number"),
            Rule::Rate => write!(f, "{field}: a rate must be between 0 % and 100 %"),
            Rule::Range { min, max } => write!(f, "{field}: must be between {min} and {max}"),
            Rule::OneOf { allowed } => write!(f, "{field}: must be one of {}", allowed.join(", ")),
            Rule::Duplicate => write!(f, "{field}: this name is already used"),
            Rule::Other { message } => write!(f, "{field}: {message}"),
        }
    }
}

/// Every problem found in one input; never empty.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

/// Collects field errors while an input is checked.
#[derive(Debug, Default)]
pub struct Validator {
    errors: Vec<FieldError>,
}

impl Validator {
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, rule: Rule) {
        self.errors.push(FieldError {
            field: field.into(),
            rule,
        });
    }

    /// A non-empty text (after trimming) of at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: u32) {
        if value.trim().is_empty() {
            self.fail(field, Rule::Required);
        } else {
            self.optional_text(field, value, max);
        }
    }

    /// A text of at most `max` characters, possibly empty.
    pub fn optional_text(&mut self, field: &str, value: &str, max: u32) {
        if value.chars().count() > max as usize {
            self.fail(field, Rule::TooLong { max });
        }
    }

    /// A fraction in 0..=1.
    pub fn rate(&mut self, field: &str, value: f64) {
        if !value.is_finite() {
            self.fail(field, Rule::NotANumber);
        } else if !(0.0..=1.0).contains(&value) {
            self.fail(field, Rule::Rate);
        }
    }

    /// A finite number in `min..=max`.
    pub fn range(&mut self, field: &str, value: f64, min: f64, max: f64) {
        if !value.is_finite() {
            self.fail(field, Rule::NotANumber);
        } else if value < min || value > max {
            self.fail(field, Rule::Range { min, max });
        }
    }

    /// Ok when nothing failed, else every failure at once.
    ///
    /// # Errors
    /// The collected field errors.
    pub fn finish(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ValidationErrors(self.errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_validator_collects_every_failure_with_its_field() {
        let mut v = Validator::new();
        v.text("name", "  ", 10);
        v.rate("floor", 1.2);
        v.rate("ok_rate", 0.13);
        v.range("minutes", f64::NAN, 0.0, 10.0);
        v.optional_text("note", "abcdef", 5);
        let err = v.finish().unwrap_err();
        assert_eq!(
            err.0,
            vec![
                FieldError {
                    field: "name".into(),
                    rule: Rule::Required
                },
                FieldError {
                    field: "floor".into(),
                    rule: Rule::Rate
                },
                FieldError {
                    field: "minutes".into(),
                    rule: Rule::NotANumber
                },
                FieldError {
                    field: "note".into(),
                    rule: Rule::TooLong { max: 5 }
                },
            ]
        );
        assert_eq!(
            err.to_string(),
            "name: a value is required; floor: a rate must be between 0 % and 100 %; \
             minutes: not a number; note: at most 5 characters"
        );
    }

    #[test]
    fn text_length_counts_characters_not_bytes() {
        let mut v = Validator::new();
        v.text("name", "Müller-Lüdenscheidt", 19);
        assert!(v.finish().is_ok());
    }
}
