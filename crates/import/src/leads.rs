//! Reading a lead file: a streaming reader with progress and early stop, the one-call
//! [`read_leads`], and the [`preview`] of the first rows for the UI.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::date::{DateOrder, DateParser, LocalTime};
use crate::error::ImportError;
use crate::fields::{ColumnMapping, ResolvedColumns, TargetField, header_signature};
use crate::number::DecimalSeparator;
use crate::options::ImportOptions;
use crate::presets::Preset;
use crate::report::{FileLayout, Finding, ImportReport, ImportedLead};
use crate::table::{RawRow, Table};
use crate::validate::{Checked, LeadRow, RowCells, RowOutcome, RowValidator};

/// How many rows the decimal separator and date order are detected from.
const SAMPLE_ROWS: usize = 1000;
/// [`read_leads`] reports progress after this many rows.
const PROGRESS_EVERY: u64 = 16_384;
/// After this many rows [`read_leads`] estimates the total and makes room for it.
const ESTIMATE_AFTER: u64 = 1024;
/// No more rows than this are reserved ahead, whatever the estimate.
const MAX_RESERVE: u64 = 20_000_000;

/// How far a read has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Progress {
    /// Records read (valid or not).
    #[ts(type = "number")]
    pub rows_read: u64,
    /// Work done and total: bytes of text for CSV, rows for spreadsheets.
    #[ts(type = "number")]
    pub done: u64,
    #[ts(type = "number")]
    pub total: u64,
}

impl Progress {
    /// Done as a fraction 0..=1.
    #[must_use]
    #[allow(clippy::cast_precision_loss)] // a progress bar needs no more precision
    pub fn fraction(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            (self.done as f64 / self.total as f64).clamp(0.0, 1.0)
        }
    }
}

/// Whether a read should go on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

/// The rows and the report of a whole read.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadImport {
    pub leads: Vec<ImportedLead>,
    pub report: ImportReport,
}

/// Streams the leads of a file: iterate it for the valid leads (rejected rows go to the
/// report), ask [`LeadReader::progress`] between rows, stop whenever, then
/// [`LeadReader::finish`].
pub struct LeadReader<'a> {
    table: Table<'a>,
    validator: RowValidator,
    layout: FileLayout,
    failure: Option<ImportError>,
}

impl<'a> LeadReader<'a> {
    /// Opens `bytes` (CSV or spreadsheet), detects what is not forced in `options`, and
    /// applies the mapping from `options` or the preset that fits the header.
    ///
    /// # Errors
    /// An empty or unreadable file, a missing sheet, no mapping that gives the required
    /// columns, or a mapping naming a column the file lacks.
    pub fn new(bytes: &'a [u8], options: &ImportOptions) -> Result<Self, ImportError> {
        let mut table = Table::open(
            bytes,
            options.encoding,
            options.delimiter,
            options.sheet.as_deref(),
        )?;
        let setup = ReadSetup::new(&mut table, options)?;
        Ok(LeadReader {
            table,
            validator: setup.validator(options),
            layout: setup.layout,
            failure: None,
        })
    }

    /// What was detected and which mapping applies.
    #[must_use]
    pub fn layout(&self) -> &FileLayout {
        &self.layout
    }

    #[must_use]
    pub fn progress(&self) -> Progress {
        let (done, total) = self.table.progress();
        Progress {
            rows_read: self.validator.counts().read,
            done,
            total,
        }
    }

    /// Findings so far.
    #[must_use]
    pub fn findings(&self) -> &[Finding] {
        self.validator.findings()
    }

    /// The next row's outcome, empty lines included; `None` at the end.
    pub fn next_outcome(&mut self) -> Option<(u64, RowOutcome)> {
        self.with_next_row(|validator, line, row| (line, validator.check(line, row)))
    }

    /// Checks the next row and gives it to `lead` if it is valid; `false` at the end.
    pub(crate) fn next_row(&mut self, lead: impl FnOnce(LeadRow<'_>)) -> bool {
        self.with_next_row(|validator, line, row| {
            if let Checked::Imported(row) = validator.check_row(line, row) {
                lead(row);
            }
        })
        .is_some()
    }

    /// `check` applied to the next row; `None` at the end or after a failure.
    fn with_next_row<T>(
        &mut self,
        check: impl FnOnce(&mut RowValidator, u64, &RawRow<'_>) -> T,
    ) -> Option<T> {
        if self.failure.is_some() {
            return None;
        }
        match self.table.next_row()? {
            Ok((line, row)) => Some(check(&mut self.validator, line, &row)),
            Err(e) => {
                self.failure = Some(e);
                None
            }
        }
    }

    /// The report of what was read; `cancelled` when the caller stopped before the end.
    ///
    /// # Errors
    /// A record the CSV reader could not read (the read stopped there).
    pub fn finish(self, cancelled: bool) -> Result<ImportReport, ImportError> {
        if let Some(e) = self.failure {
            return Err(e);
        }
        let tally = self.validator.finish();
        Ok(ImportReport {
            layout: self.layout,
            counts: tally.counts,
            findings: tally.findings,
            finding_counts: tally.finding_counts,
            unknown_values: tally.unknown_values,
            cancelled,
        })
    }
}

impl Iterator for LeadReader<'_> {
    type Item = ImportedLead;

    fn next(&mut self) -> Option<ImportedLead> {
        loop {
            if let RowOutcome::Imported(lead) = self.next_outcome()?.1 {
                return Some(lead);
            }
        }
    }
}

/// What checking a table's rows needs, found from its header and a sample of its rows.
pub(crate) struct ReadSetup {
    pub columns: ResolvedColumns,
    pub header_len: usize,
    pub decimal: DecimalSeparator,
    pub dates: DateParser,
    pub layout: FileLayout,
}

impl ReadSetup {
    /// Applies the mapping from `options` or the preset that fits the header, and detects
    /// what `options` does not force.
    pub fn new(table: &mut Table<'_>, options: &ImportOptions) -> Result<Self, ImportError> {
        let (preset, mapping) = choose_mapping(&table.headers, options);
        let Some(mapping) = mapping else {
            return Err(ImportError::MissingColumns(TargetField::REQUIRED.to_vec()));
        };
        let columns = mapping.resolve(&table.headers)?;
        let (decimal, date_order) = detect_conventions(table, &columns, options);
        Ok(ReadSetup {
            layout: layout(table, preset, Some(mapping), decimal, date_order),
            header_len: table.headers.len(),
            columns,
            decimal,
            dates: DateParser {
                order: date_order,
                local: local_time(preset, options),
            },
        })
    }

    /// A validator of rows, with nothing checked yet.
    pub fn validator(&self, options: &ImportOptions) -> RowValidator {
        RowValidator::new(
            self.columns.clone(),
            self.header_len,
            self.decimal,
            self.dates,
            options,
        )
    }
}

/// Reads a whole file, calling `on_progress` every few thousand rows and at the end; when
/// it returns [`Flow::Stop`] the read ends there and the report says `cancelled`.
///
/// # Errors
/// See [`LeadReader::new`] and [`LeadReader::finish`].
pub fn read_leads(
    bytes: &[u8],
    options: &ImportOptions,
    mut on_progress: impl FnMut(Progress) -> Flow,
) -> Result<LeadImport, ImportError> {
    let mut reader = LeadReader::new(bytes, options)?;
    let mut leads = Vec::new();
    let mut cancelled = false;
    let mut next_report = PROGRESS_EVERY;
    while let Some((_, outcome)) = reader.next_outcome() {
        if let RowOutcome::Imported(lead) = outcome {
            leads.push(lead);
        }
        let read = reader.validator.counts().read;
        if read == ESTIMATE_AFTER {
            // growing a million-row vector by doubling copies it over and over
            let p = reader.progress();
            if p.done > 0 {
                let estimate = (u128::from(p.total) * u128::from(read) / u128::from(p.done))
                    .min(u128::from(MAX_RESERVE));
                let more = usize::try_from(estimate)
                    .unwrap_or(0)
                    .saturating_sub(leads.len());
                leads.reserve(more);
                reader.validator.reserve(more);
            }
        }
        if read >= next_report {
            next_report += PROGRESS_EVERY;
            if on_progress(reader.progress()) == Flow::Stop {
                cancelled = true;
                break;
            }
        }
    }
    if !cancelled {
        // the final report cannot stop anything any more
        let _ = on_progress(reader.progress());
    }
    let report = reader.finish(cancelled)?;
    Ok(LeadImport { leads, report })
}

/// One row of a preview: the cells as written and what they will become.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PreviewRow {
    #[ts(type = "number")]
    pub line: u64,
    pub cells: Vec<String>,
    /// The lead the row becomes; `None` when rejected or no mapping applies yet.
    pub lead: Option<ImportedLead>,
    /// The row's findings (errors reject it).
    pub findings: Vec<Finding>,
}

/// The first rows of a file as they will be read, for choosing or checking a mapping.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Preview {
    pub layout: FileLayout,
    /// Why the mapping does not apply (yet), e.g. unmapped required fields.
    pub mapping_problem: Option<String>,
    pub rows: Vec<PreviewRow>,
}

/// The first `rows` non-empty rows of a file. Works without a fitting mapping too: then
/// only the raw cells are shown.
///
/// # Errors
/// An empty or unreadable file or a missing sheet.
pub fn preview(bytes: &[u8], options: &ImportOptions, rows: usize) -> Result<Preview, ImportError> {
    let mut table = Table::open(
        bytes,
        options.encoding,
        options.delimiter,
        options.sheet.as_deref(),
    )?;
    let (preset, mapping) = choose_mapping(&table.headers, options);
    let resolved = match &mapping {
        Some(m) => m.resolve(&table.headers),
        None => Err(ImportError::MissingColumns(TargetField::REQUIRED.to_vec())),
    };
    let mut out = Vec::new();
    match resolved {
        Ok(columns) => {
            let (decimal, date_order) = detect_conventions(&mut table, &columns, options);
            let layout = layout(&table, preset, mapping, decimal, date_order);
            let dates = DateParser {
                order: date_order,
                local: local_time(preset, options),
            };
            let mut validator =
                RowValidator::new(columns, table.headers.len(), decimal, dates, options);
            while out.len() < rows {
                let Some(next) = table.next_row() else { break };
                let (line, row) = next?;
                let before = validator.findings().len();
                let outcome = validator.check(line, &row);
                if outcome == RowOutcome::Empty {
                    continue;
                }
                out.push(PreviewRow {
                    line,
                    cells: cells(&row),
                    lead: match outcome {
                        RowOutcome::Imported(lead) => Some(lead),
                        _ => None,
                    },
                    findings: validator.findings()[before..].to_vec(),
                });
            }
            Ok(Preview {
                layout,
                mapping_problem: None,
                rows: out,
            })
        }
        Err(problem) => {
            let decimal = options.decimal.unwrap_or_else(|| {
                if table.delimiter == Some(b';') {
                    DecimalSeparator::Comma
                } else {
                    DecimalSeparator::Point
                }
            });
            let layout = layout(
                &table,
                preset,
                mapping,
                decimal,
                options.date_order.unwrap_or_default(),
            );
            while out.len() < rows {
                let Some(next) = table.next_row() else { break };
                let (line, row) = next?;
                if (0..row.len()).all(|i| row.cell(i).is_blank()) {
                    continue;
                }
                out.push(PreviewRow {
                    line,
                    cells: cells(&row),
                    lead: None,
                    findings: Vec::new(),
                });
            }
            Ok(Preview {
                layout,
                mapping_problem: Some(problem.to_string()),
                rows: out,
            })
        }
    }
}

fn cells(row: &RawRow<'_>) -> Vec<String> {
    (0..row.len()).map(|i| row.cell(i).display()).collect()
}

/// Leadplan's own CSV writes UTC; every other file is read with the caller's policy.
fn local_time(preset: Option<Preset>, options: &ImportOptions) -> LocalTime {
    if preset == Some(Preset::Leadplan) {
        LocalTime::Utc
    } else {
        options.local_time
    }
}

/// The caller's mapping, else the preset that fits.
fn choose_mapping(
    headers: &[String],
    options: &ImportOptions,
) -> (Option<Preset>, Option<ColumnMapping>) {
    match &options.mapping {
        Some(m) => (None, Some(m.clone())),
        None => match Preset::detect(headers) {
            Some((p, m)) => (Some(p), Some(m)),
            None => (None, None),
        },
    }
}

/// The decimal separator and date order: forced by the options or detected from a sample.
fn detect_conventions(
    table: &mut Table<'_>,
    columns: &ResolvedColumns,
    options: &ImportOptions,
) -> (DecimalSeparator, DateOrder) {
    let number_cols: Vec<usize> = [TargetField::Value, TargetField::Attempts]
        .into_iter()
        .filter_map(|f| columns.index(f))
        .collect();
    let date_cols: Vec<usize> = TargetField::ALL
        .into_iter()
        .filter(|f| f.is_date())
        .filter_map(|f| columns.index(f))
        .collect();
    let decimal = match options.decimal {
        Some(d) => d,
        None => {
            let samples = table.sample(&number_cols, SAMPLE_ROWS);
            DecimalSeparator::detect(samples.iter().map(String::as_str), table.delimiter)
        }
    };
    let date_order = match options.date_order {
        Some(o) => o,
        None => {
            let samples = table.sample(&date_cols, SAMPLE_ROWS);
            DateOrder::detect(samples.iter().map(String::as_str))
        }
    };
    (decimal, date_order)
}

fn layout(
    table: &Table<'_>,
    preset: Option<Preset>,
    mapping: Option<ColumnMapping>,
    decimal: DecimalSeparator,
    date_order: DateOrder,
) -> FileLayout {
    FileLayout {
        format: table.format,
        encoding: table.encoding,
        delimiter: table.delimiter.map(char::from),
        sheet: table.sheet.clone(),
        signature: header_signature(&table.headers),
        headers: table.headers.clone(),
        preset,
        mapping,
        decimal,
        date_order,
    }
}
