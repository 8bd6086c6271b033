//! A summary of a workbook, for the window title, the shell and `leadplan info`.

use leadplan_core::{PlanVersion, ProductLine, Settings, Source};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::store::Workbook;

/// What a workbook holds, in brief.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Overview {
    /// The file's name without folder, e.g. `dealer.leadplan`.
    pub file_name: String,
    /// The full path of the file.
    pub path: String,
    pub settings: Settings,
    /// Years with a plan or with leads, ascending.
    pub years: Vec<i32>,
    /// The year to show first: the current year if the workbook has it, else the latest.
    pub default_year: Option<i32>,
    pub source_count: u32,
    pub product_line_count: u32,
    /// Every lead source, in display order.
    pub sources: Vec<Source>,
    /// Every product line, in display order.
    pub product_lines: Vec<ProductLine>,
    #[ts(type = "number")]
    pub lead_count: u64,
    pub plan_versions: Vec<PlanVersion>,
    pub read_only: bool,
}

impl Workbook {
    /// The summary of this workbook; `current_year` picks the year to show first.
    ///
    /// # Errors
    /// Storage errors.
    pub fn overview(&self, current_year: i32) -> Result<Overview> {
        self.read(|_| {
            let plan_versions = self.plan_versions(None)?;
            let mut years: Vec<i32> = plan_versions.iter().map(|v| v.year).collect();
            years.extend(self.lead_years()?);
            years.sort_unstable();
            years.dedup();
            let default_year = if years.contains(&current_year) {
                Some(current_year)
            } else {
                years.last().copied()
            };
            let path = self.path();
            let sources = self.sources()?;
            let product_lines = self.product_lines()?;
            Ok(Overview {
                file_name: path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                path: path.display().to_string(),
                settings: self.settings()?,
                years,
                default_year,
                source_count: u32::try_from(sources.len()).unwrap_or(u32::MAX),
                product_line_count: u32::try_from(product_lines.len()).unwrap_or(u32::MAX),
                sources,
                product_lines,
                lead_count: self.lead_count()?,
                plan_versions,
                read_only: self.is_read_only(),
            })
        })
    }
}
