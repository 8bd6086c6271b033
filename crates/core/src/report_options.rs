//! What a plan-versus-actual report contains and how it is written: the choices on the
//! Reports screen, the flags of `leadplan report`, and the export templates saved in a
//! workbook ("Monthly management report") are all one [`ReportOptions`].
//!
//! Sources and product lines are kept by name, as a person reads a template and as the
//! command line takes them; a name the workbook no longer knows is an error when the report
//! is made, never silently a different selection.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::MAX_NAME;
use crate::period::PlanYear;
use crate::validate::{Rule, ValidationErrors, Validator};

/// A part of the report. The cover and the table of contents are always there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportSection {
    /// One page: the KPI table, the three largest gaps and the forecast.
    Summary,
    /// Every shared chart.
    Charts,
    /// Leads, conversion, cost, budget and follow-up per source.
    Sources,
    /// Plan and actuals per month and source.
    MonthlyDetail,
    /// What the imports of CRM exports found.
    DataQuality,
    /// Open action items.
    ActionItems,
    /// Definitions marketing and sales have not both agreed yet.
    Definitions,
}

impl ReportSection {
    /// Every section, in the order the report shows them.
    pub const ALL: [ReportSection; 7] = [
        ReportSection::Summary,
        ReportSection::Charts,
        ReportSection::Sources,
        ReportSection::MonthlyDetail,
        ReportSection::DataQuality,
        ReportSection::ActionItems,
        ReportSection::Definitions,
    ];

    /// The stable name used in templates and on the command line.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            ReportSection::Summary => "summary",
            ReportSection::Charts => "charts",
            ReportSection::Sources => "sources",
            ReportSection::MonthlyDetail => "monthly_detail",
            ReportSection::DataQuality => "data_quality",
            ReportSection::ActionItems => "action_items",
            ReportSection::Definitions => "definitions",
        }
    }

    /// The section named `code` (as [`ReportSection::code`] writes it).
    #[must_use]
    pub fn parse(code: &str) -> Option<ReportSection> {
        ReportSection::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The months a report covers, within its plan year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReportPeriod {
    /// All twelve months of the plan year.
    WholeYear,
    /// From the first month of the plan year through the month of the report's date (all of
    /// the year once it is over, its first month before it has begun): the period of a
    /// monthly report that runs by itself.
    YearToDate,
    /// Plan months `from..=to`, 1 = the first month of the fiscal year.
    Months { from: u32, to: u32 },
}

impl ReportPeriod {
    /// The plan month indices (0..=11, first and last inclusive) of the period in `year` as
    /// of `today`; out-of-range months are clamped and put in order.
    #[must_use]
    pub fn month_range(self, year: PlanYear, today: NaiveDate) -> (u32, u32) {
        match self {
            ReportPeriod::WholeYear => (0, 11),
            ReportPeriod::YearToDate => {
                let last = match year.index_of(today) {
                    // at most 11, so the cast cannot truncate
                    #[allow(clippy::cast_possible_truncation)]
                    Some(i) => i as u32,
                    None => match year.date_range() {
                        Some((first, _)) if today < first => 0,
                        _ => 11,
                    },
                };
                (0, last)
            }
            ReportPeriod::Months { from, to } => {
                let a = from.clamp(1, 12) - 1;
                let b = to.clamp(1, 12) - 1;
                (a.min(b), a.max(b))
            }
        }
    }
}

/// The file a report is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportFormat {
    Pdf,
    Xlsx,
    /// One CSV file per table.
    Csv,
    /// One SVG file per chart.
    Svg,
    /// One PNG file per chart.
    Png,
}

impl ReportFormat {
    /// The file extension, without the dot.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Pdf => "pdf",
            ReportFormat::Xlsx => "xlsx",
            ReportFormat::Csv => "csv",
            ReportFormat::Svg => "svg",
            ReportFormat::Png => "png",
        }
    }

    /// The format of a file extension (any case), e.g. of `report.PDF`.
    #[must_use]
    pub fn from_extension(extension: &str) -> Option<ReportFormat> {
        [
            ReportFormat::Pdf,
            ReportFormat::Xlsx,
            ReportFormat::Csv,
            ReportFormat::Svg,
            ReportFormat::Png,
        ]
        .into_iter()
        .find(|f| f.extension().eq_ignore_ascii_case(extension))
    }

    /// Whether the report is written as several files (one per table or chart).
    #[must_use]
    pub fn is_several_files(self) -> bool {
        matches!(
            self,
            ReportFormat::Csv | ReportFormat::Svg | ReportFormat::Png
        )
    }
}

/// Paper size of the PDF.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PaperSize {
    #[default]
    A4,
    Letter,
}

/// Everything that decides what a plan-versus-actual report shows and how it is written.
/// The plan year is not part of it: a template serves every year.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
pub struct ReportOptions {
    /// The parts to include, shown in the order of [`ReportSection::ALL`].
    pub sections: Vec<ReportSection>,
    pub period: ReportPeriod,
    /// The plan version by name; `None` for the year's baseline (else its first version).
    pub version: Option<String>,
    /// Only these sources, by name; empty for all.
    pub sources: Vec<String>,
    /// Only these product lines, by name; empty for all.
    pub product_lines: Vec<String>,
    pub format: ReportFormat,
    pub paper: PaperSize,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            sections: ReportSection::ALL.to_vec(),
            period: ReportPeriod::WholeYear,
            version: None,
            sources: Vec::new(),
            product_lines: Vec::new(),
            format: ReportFormat::Pdf,
            paper: PaperSize::A4,
        }
    }
}

impl ReportOptions {
    /// Whether the report includes `section`.
    #[must_use]
    pub fn includes(&self, section: ReportSection) -> bool {
        self.sections.contains(&section)
    }

    /// Checks every field.
    ///
    /// # Errors
    /// No section chosen, months outside 1..=12 or in the wrong order, empty or overlong
    /// names.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut v = Validator::new();
        if self.sections.is_empty() {
            v.fail("sections", Rule::Required);
        }
        if let ReportPeriod::Months { from, to } = self.period {
            v.range("period.from", f64::from(from), 1.0, 12.0);
            v.range(
                "period.to",
                f64::from(to),
                f64::from(from.clamp(1, 12)),
                12.0,
            );
        }
        if let Some(name) = &self.version {
            v.text("version", name, MAX_NAME);
        }
        for (i, name) in self.sources.iter().enumerate() {
            v.text(&format!("sources[{i}]"), name, MAX_NAME);
        }
        for (i, name) in self.product_lines.iter().enumerate() {
            v.text(&format!("product_lines[{i}]"), name, MAX_NAME);
        }
        v.finish()
    }
}

/// Report options saved in a workbook under a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct ReportTemplate {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub options: ReportOptions,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[rstest]
    // fiscal year from April 2026: 15 Nov 2026 is plan month 8 (Apr=0 … Nov=7)
    #[case(PlanYear::new(2026, 4), day(2026, 11, 15), (0, 7))]
    #[case(PlanYear::new(2026, 1), day(2026, 1, 1), (0, 0))]
    // before the year: its first month only; after it: the whole year
    #[case(PlanYear::new(2026, 1), day(2025, 12, 31), (0, 0))]
    #[case(PlanYear::new(2026, 1), day(2027, 3, 1), (0, 11))]
    fn year_to_date_runs_through_the_month_of_the_day(
        #[case] year: PlanYear,
        #[case] today: NaiveDate,
        #[case] expected: (u32, u32),
    ) {
        assert_eq!(ReportPeriod::YearToDate.month_range(year, today), expected);
    }

    #[test]
    fn month_ranges_are_zero_based_clamped_and_ordered() {
        let y = PlanYear::new(2026, 1);
        let t = day(2026, 6, 1);
        assert_eq!(ReportPeriod::WholeYear.month_range(y, t), (0, 11));
        assert_eq!(
            ReportPeriod::Months { from: 3, to: 5 }.month_range(y, t),
            (2, 4)
        );
        assert_eq!(
            ReportPeriod::Months { from: 14, to: 0 }.month_range(y, t),
            (0, 11)
        );
    }

    #[test]
    fn a_template_saved_by_an_older_version_reads_with_defaults_for_missing_fields() {
        let options: ReportOptions =
            serde_json::from_str(r#"{"sections":["summary"],"format":"xlsx"}"#).unwrap();
        assert_eq!(options.sections, [ReportSection::Summary]);
        assert_eq!(options.format, ReportFormat::Xlsx);
        assert_eq!(options.period, ReportPeriod::WholeYear);
        assert_eq!(options.paper, PaperSize::A4);
        let json = serde_json::to_string(&ReportOptions {
            period: ReportPeriod::Months { from: 1, to: 3 },
            ..ReportOptions::default()
        })
        .unwrap();
        assert!(
            json.contains(r#""period":{"kind":"months","from":1,"to":3}"#),
            "{json}"
        );
    }

    #[test]
    fn invalid_options_name_every_field_concerned() {
        let options = ReportOptions {
            sections: vec![],
            period: ReportPeriod::Months { from: 5, to: 2 },
            sources: vec![" ".into()],
            ..ReportOptions::default()
        };
        let errors = options.validate().unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["sections", "period.to", "sources[0]"]);
        assert!(ReportOptions::default().validate().is_ok());
    }

    #[test]
    fn formats_are_found_by_extension_in_any_case() {
        assert_eq!(ReportFormat::from_extension("PDF"), Some(ReportFormat::Pdf));
        assert_eq!(
            ReportFormat::from_extension("xlsx"),
            Some(ReportFormat::Xlsx)
        );
        assert_eq!(ReportFormat::from_extension("docx"), None);
        assert!(ReportFormat::Csv.is_several_files());
        assert!(!ReportFormat::Pdf.is_several_files());
        for s in ReportSection::ALL {
            assert_eq!(ReportSection::parse(s.code()), Some(s));
        }
    }
}
