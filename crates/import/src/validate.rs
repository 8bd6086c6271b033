//! Row validation: the cells of one row in, an [`ImportedLead`] or a rejection out, with
//! every problem reported as a [`Finding`] naming the line, the column and the reason.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use rustc_hash::FxHashMap as HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use leadplan_core::{Money, Stage};

use crate::date::{DateParser, ParsedTime};
use crate::fields::{ResolvedColumns, TargetField};
use crate::number::{DecimalSeparator, parse_hundredths, parse_whole};
use crate::options::ImportOptions;
use crate::report::{Finding, FindingKind, ImportCounts, ImportedLead, UnknownValue};
use crate::vocab::{Interner, NameResolver, Resolved, StageVocabulary};

/// How many lines an [`UnknownValue`] remembers.
const FIRST_LINES: usize = 5;

/// One cell as the file holds it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cell<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    /// A date or timestamp cell of a spreadsheet; `true` when it has no time of day.
    DateTime(NaiveDateTime, bool),
    Bool(bool),
    /// A spreadsheet error such as `#N/A`.
    Error,
}

impl Cell<'_> {
    /// Empty, or text of whitespace only.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => trimmed(s).is_empty(),
            _ => false,
        }
    }

    /// The cell as text, as a preview shows it.
    #[must_use]
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => (*s).to_owned(),
            Cell::Number(n) => format_number(*n),
            Cell::DateTime(t, true) => t.date().to_string(),
            Cell::DateTime(t, false) => t.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Error => "#ERROR".to_owned(),
        }
    }
}

/// `s.trim()`, without looking at its characters when it starts and ends with a visible ASCII
/// one, as nearly every cell does.
pub(crate) fn trimmed(s: &str) -> &str {
    match (s.as_bytes().first(), s.as_bytes().last()) {
        (Some(a), Some(b)) if a.is_ascii_graphic() && b.is_ascii_graphic() => s,
        _ => s.trim(),
    }
}

/// Whole numbers without a fraction (ids written as numbers), others as Rust prints them.
fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// A row of cells.
pub trait RowCells {
    fn len(&self) -> usize;
    fn cell(&self, index: usize) -> Cell<'_>;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl RowCells for csv::StringRecord {
    fn len(&self) -> usize {
        csv::StringRecord::len(self)
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        self.get(index).map_or(Cell::Empty, Cell::Text)
    }
}

impl RowCells for [&str] {
    fn len(&self) -> usize {
        <[&str]>::len(self)
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        self.get(index).map_or(Cell::Empty, |s| Cell::Text(s))
    }
}

impl RowCells for [String] {
    fn len(&self) -> usize {
        <[String]>::len(self)
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        self.get(index).map_or(Cell::Empty, |s| Cell::Text(s))
    }
}

impl RowCells for [calamine::Data] {
    fn len(&self) -> usize {
        <[calamine::Data]>::len(self)
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        use calamine::Data;
        match self.get(index) {
            None | Some(Data::Empty) => Cell::Empty,
            Some(Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s)) => Cell::Text(s),
            #[allow(clippy::cast_precision_loss)] // ids and counts far below 2^53
            Some(Data::Int(i)) => Cell::Number(*i as f64),
            Some(Data::Float(f)) => Cell::Number(*f),
            Some(Data::Bool(b)) => Cell::Bool(*b),
            Some(Data::Error(_)) => Cell::Error,
            Some(Data::DateTime(dt)) => {
                let (y, mo, d, h, mi, s, ms) = dt.to_ymd_hms_milli();
                chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(mo), u32::from(d))
                    .and_then(|date| {
                        date.and_hms_milli_opt(
                            u32::from(h),
                            u32::from(mi),
                            u32::from(s),
                            u32::from(ms),
                        )
                    })
                    .map_or(Cell::Error, |t| {
                        Cell::DateTime(t, dt.as_f64().fract() == 0.0)
                    })
            }
        }
    }
}

/// The ids imported so far and their lines, kept in one text buffer: a million ids cost
/// no million allocations.
#[derive(Debug, Clone, Default)]
struct IdSet {
    text: String,
    entries: Vec<IdEntry>,
    /// Hash of an id → the last entry with that hash; entries chain to earlier ones.
    heads: HashMap<u64, usize>,
}

#[derive(Debug, Clone, Copy)]
struct IdEntry {
    start: usize,
    end: usize,
    line: u64,
    /// The previous entry with the same hash, `usize::MAX` for none.
    next: usize,
}

impl IdSet {
    pub(crate) fn hash(id: &str) -> u64 {
        use std::hash::BuildHasher;
        rustc_hash::FxBuildHasher.hash_one(id)
    }

    fn line_of(&self, id: &str) -> Option<u64> {
        let mut at = *self.heads.get(&Self::hash(id))?;
        while let Some(entry) = self.entries.get(at) {
            if self.text.get(entry.start..entry.end) == Some(id) {
                return Some(entry.line);
            }
            at = entry.next;
        }
        None
    }

    /// Registers `id` on `line`, or returns the line it was registered on before.
    fn insert_new(&mut self, id: &str, line: u64) -> Result<(), u64> {
        use std::collections::hash_map::Entry;
        let index = self.entries.len();
        let next = match self.heads.entry(Self::hash(id)) {
            Entry::Occupied(mut head) => {
                let mut at = *head.get();
                while let Some(entry) = self.entries.get(at) {
                    if self.text.get(entry.start..entry.end) == Some(id) {
                        return Err(entry.line);
                    }
                    at = entry.next;
                }
                std::mem::replace(head.get_mut(), index)
            }
            Entry::Vacant(slot) => {
                slot.insert(index);
                usize::MAX
            }
        };
        let start = self.text.len();
        self.text.push_str(id);
        self.entries.push(IdEntry {
            start,
            end: self.text.len(),
            line,
            next,
        });
        Ok(())
    }

    fn reserve(&mut self, ids: usize) {
        self.entries.reserve(ids);
        self.heads.reserve(ids);
        self.text.reserve(ids.saturating_mul(8));
    }
}

/// A valid row as it stands in the file: texts borrowed from the row, names resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct LeadRow<'r> {
    pub line: u64,
    pub external_id: Cow<'r, str>,
    pub created_at: DateTime<Utc>,
    pub source: Option<Arc<str>>,
    pub product_line: Option<Arc<str>>,
    pub first_attempt_at: Option<DateTime<Utc>>,
    pub first_two_way_at: Option<DateTime<Utc>>,
    pub attempts: u32,
    pub stage: Stage,
    pub lost_reason: Option<Cow<'r, str>>,
    pub appointment_at: Option<DateTime<Utc>>,
    pub won_at: Option<DateTime<Utc>>,
    pub value: Option<Money>,
    pub owner: Option<Cow<'r, str>>,
}

impl LeadRow<'_> {
    /// The lead as an owned value, owners shared through `owners`.
    pub(crate) fn into_imported(self, owners: &mut Interner) -> ImportedLead {
        ImportedLead {
            line: self.line,
            external_id: self.external_id.into_owned(),
            created_at: self.created_at,
            source: self.source,
            product_line: self.product_line,
            first_attempt_at: self.first_attempt_at,
            first_two_way_at: self.first_two_way_at,
            attempts: self.attempts,
            stage: self.stage,
            lost_reason: self.lost_reason.map(Cow::into_owned),
            appointment_at: self.appointment_at,
            won_at: self.won_at,
            value: self.value,
            owner: self.owner.map(|o| owners.intern(&o)),
        }
    }
}

/// What became of a row, as [`RowValidator::check_row`] sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked<'r> {
    Imported(LeadRow<'r>),
    /// At least one error; the findings say which.
    Rejected,
    /// An empty line (or one of delimiters only): skipped and not counted.
    Empty,
}

/// What became of a row.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // moved once per row; boxing costs an allocation per row
pub enum RowOutcome {
    Imported(ImportedLead),
    /// At least one error; the findings say which.
    Rejected,
    /// An empty line (or one of delimiters only): skipped and not counted.
    Empty,
}

/// How many findings of one kind a read keeps; `finding_counts` counts all of them.
pub const MAX_FINDINGS_PER_KIND: u64 = 10_000;

/// Checks rows one by one and keeps the tallies of a whole file.
#[derive(Debug, Clone)]
pub struct RowValidator {
    columns: ResolvedColumns,
    header_len: usize,
    decimal: DecimalSeparator,
    dates: DateParser,
    stages: StageVocabulary,
    sources: NameResolver,
    products: NameResolver,
    owners: Interner,
    sla_min_attempts: u32,
    seen_ids: IdSet,
    /// When set, ids are not looked up as rows come but only hashed (see
    /// [`RowValidator::defer_duplicates`]).
    id_hashes: Option<Vec<u64>>,
    unknown: HashMap<TargetField, HashMap<String, UnknownValue>>,
    counts: ImportCounts,
    findings: Vec<Finding>,
    finding_counts: BTreeMap<FindingKind, u64>,
}

/// The parts of a finished validation.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub counts: ImportCounts,
    pub findings: Vec<Finding>,
    pub finding_counts: BTreeMap<FindingKind, u64>,
    pub unknown_values: Vec<UnknownValue>,
}

impl RowValidator {
    /// A validator for a file whose header has `header_len` columns.
    #[must_use]
    pub fn new(
        columns: ResolvedColumns,
        header_len: usize,
        decimal: DecimalSeparator,
        dates: DateParser,
        options: &ImportOptions,
    ) -> Self {
        RowValidator {
            columns,
            header_len,
            decimal,
            dates,
            stages: StageVocabulary::new(&options.values.stages),
            sources: NameResolver::new(&options.known_sources, &options.values.sources),
            products: NameResolver::new(
                &options.known_product_lines,
                &options.values.product_lines,
            ),
            owners: Interner::default(),
            sla_min_attempts: options.sla_min_attempts,
            seen_ids: IdSet::default(),
            id_hashes: None,
            unknown: HashMap::default(),
            counts: ImportCounts::default(),
            findings: Vec::new(),
            finding_counts: BTreeMap::new(),
        }
    }

    /// Makes room for about `rows` more ids (a hint; reading works without it).
    pub fn reserve(&mut self, rows: usize) {
        match &mut self.id_hashes {
            Some(hashes) => hashes.reserve(rows),
            None => self.seen_ids.reserve(rows),
        }
    }

    #[must_use]
    pub fn counts(&self) -> ImportCounts {
        self.counts
    }

    /// Every finding so far, in file order.
    #[must_use]
    pub fn findings(&self) -> &[Finding] {
        &self.findings
    }

    /// The tallies, unknown values sorted by count (descending), then field and value.
    #[must_use]
    pub fn finish(self) -> Tally {
        let mut unknown_values: Vec<UnknownValue> = self
            .unknown
            .into_values()
            .flat_map(HashMap::into_values)
            .collect();
        unknown_values.sort_by(|a, b| {
            b.count
                .cmp(&a.count)
                .then(a.field.cmp(&b.field))
                .then_with(|| a.value.cmp(&b.value))
        });
        Tally {
            counts: self.counts,
            findings: self.findings,
            finding_counts: self.finding_counts,
            unknown_values,
        }
    }

    /// Checks no ids for duplicates but keeps a hash of every row's id (see
    /// [`RowValidator::id_hashes`]): for a large file read in parts, where looking each id
    /// up in a table of a million as it comes costs more than the rest of a row's checks.
    /// Rows with the same id are then imported both; the caller must look at the hashes
    /// and read the file again without this when two are equal.
    pub fn defer_duplicates(&mut self) {
        self.id_hashes.get_or_insert_with(Vec::new);
    }

    /// The hashes of the ids of the rows checked since the last call, rejected rows
    /// included, when duplicates are deferred (empty otherwise).
    pub fn take_id_hashes(&mut self) -> Vec<u64> {
        self.id_hashes
            .as_mut()
            .map(std::mem::take)
            .unwrap_or_default()
    }

    /// Takes in the tallies of `later`, a validator of the rows that follow this one's in the
    /// file (both deferring duplicates, which the caller checks for, with the hashes it took
    /// from each): afterwards this validator stands as if it had checked those rows itself.
    pub fn absorb(&mut self, later: RowValidator) {
        let c = later.counts;
        self.counts.read += c.read;
        self.counts.valid += c.valid;
        self.counts.rejected += c.rejected;
        self.counts.duplicates += c.duplicates;
        // each part kept the first findings of every kind; together they keep the first
        let mut kept: BTreeMap<FindingKind, u64> = self
            .finding_counts
            .iter()
            .map(|(&kind, &n)| (kind, n.min(MAX_FINDINGS_PER_KIND)))
            .collect();
        for finding in later.findings {
            let k = kept.entry(finding.kind).or_insert(0);
            if *k < MAX_FINDINGS_PER_KIND {
                *k += 1;
                self.findings.push(finding);
            }
        }
        for (kind, n) in later.finding_counts {
            *self.finding_counts.entry(kind).or_insert(0) += n;
        }
        for (field, values) in later.unknown {
            let here = self.unknown.entry(field).or_default();
            for (value, u) in values {
                match here.get_mut(&value) {
                    Some(entry) => {
                        entry.count += u.count;
                        let room = FIRST_LINES.saturating_sub(entry.first_lines.len());
                        entry
                            .first_lines
                            .extend(u.first_lines.into_iter().take(room));
                    }
                    None => {
                        here.insert(value, u);
                    }
                }
            }
        }
    }

    fn report(
        &mut self,
        line: u64,
        field: Option<TargetField>,
        kind: FindingKind,
        value: Option<&str>,
        message: impl FnOnce(&Self) -> String,
    ) {
        let count = self.finding_counts.entry(kind).or_insert(0);
        *count += 1;
        if *count > MAX_FINDINGS_PER_KIND {
            // counted, not kept: a million-row file must not keep a million findings (nor
            // write a million messages)
            return;
        }
        let message = message(self);
        self.findings.push(Finding {
            line,
            column: field.map(|f| self.columns.name(f).to_owned()),
            kind,
            severity: kind.severity(),
            value: value.map(str::to_owned),
            message,
        });
    }

    fn note_unknown(&mut self, field: TargetField, value: &str, line: u64) {
        let by_value = self.unknown.entry(field).or_default();
        if let Some(entry) = by_value.get_mut(value) {
            entry.count += 1;
            if entry.first_lines.len() < FIRST_LINES {
                entry.first_lines.push(line);
            }
        } else {
            by_value.insert(
                value.to_owned(),
                UnknownValue {
                    field,
                    value: value.to_owned(),
                    count: 1,
                    first_lines: vec![line],
                },
            );
        }
    }

    fn cell<'r, R: RowCells + ?Sized>(&self, row: &'r R, field: TargetField) -> Cell<'r> {
        self.columns
            .index(field)
            .map_or(Cell::Empty, |i| row.cell(i))
    }

    /// Trimmed text of a field; `None` when unmapped or blank.
    fn text<'r, R: RowCells + ?Sized>(
        &self,
        row: &'r R,
        field: TargetField,
    ) -> Option<Cow<'r, str>> {
        match self.cell(row, field) {
            Cell::Empty | Cell::Error => None,
            Cell::Text(s) => {
                let t = trimmed(s);
                (!t.is_empty()).then_some(Cow::Borrowed(t))
            }
            other => Some(Cow::Owned(other.display())),
        }
    }

    /// A date field: `Ok(None)` when blank, `Err(())` after reporting an invalid date.
    fn date<R: RowCells + ?Sized>(
        &mut self,
        row: &R,
        field: TargetField,
        line: u64,
    ) -> Result<Option<ParsedTime>, ()> {
        let parsed = match self.cell(row, field) {
            Cell::Empty => return Ok(None),
            Cell::Text(s) if trimmed(s).is_empty() => return Ok(None),
            Cell::Text(s) => self.dates.parse(s),
            Cell::Number(n) => self.dates.from_excel_serial(n),
            Cell::DateTime(t, date_only) => self.dates.from_local(t, date_only),
            Cell::Bool(_) | Cell::Error => None,
        };
        match parsed {
            Some(p) => Ok(Some(p)),
            None => {
                let shown = self.cell(row, field).display();
                self.report(
                    line,
                    Some(field),
                    FindingKind::InvalidDate,
                    Some(&shown),
                    |v| format!("{}: {shown:?} is not a date", v.columns.name(field)),
                );
                Err(())
            }
        }
    }

    fn hundredths<R: RowCells + ?Sized>(
        &mut self,
        row: &R,
        field: TargetField,
        line: u64,
        whole: bool,
    ) -> Result<Option<i64>, ()> {
        let parsed = match self.cell(row, field) {
            Cell::Empty => return Ok(None),
            Cell::Text(s) if trimmed(s).is_empty() => return Ok(None),
            Cell::Text(s) if whole => parse_whole(s, self.decimal).and_then(|n| n.checked_mul(100)),
            Cell::Text(s) => parse_hundredths(s, self.decimal),
            Cell::Number(n) if whole && n.fract() != 0.0 => None,
            Cell::Number(n) => Money::from_units_f64(n).map(Money::cents),
            Cell::DateTime(..) | Cell::Bool(_) | Cell::Error => None,
        };
        match parsed {
            Some(h) => Ok(Some(h)),
            None => {
                let shown = self.cell(row, field).display();
                let what = if whole { "a whole number" } else { "a number" };
                self.report(
                    line,
                    Some(field),
                    FindingKind::InvalidNumber,
                    Some(&shown),
                    |v| format!("{}: {shown:?} is not {what}", v.columns.name(field)),
                );
                Err(())
            }
        }
    }

    /// Checks one row that starts on `line`.
    pub fn check<R: RowCells + ?Sized>(&mut self, line: u64, row: &R) -> RowOutcome {
        match self.check_row(line, row) {
            Checked::Imported(lead) => RowOutcome::Imported(lead.into_imported(&mut self.owners)),
            Checked::Rejected => RowOutcome::Rejected,
            Checked::Empty => RowOutcome::Empty,
        }
    }

    /// Checks one row that starts on `line`, handing a valid one back as it stands in the
    /// row (nothing copied): for readers that pack the lead away at once.
    #[allow(clippy::too_many_lines)] // one pass over the fields, in the order they are reported
    pub fn check_row<'r, R: RowCells + ?Sized>(&mut self, line: u64, row: &'r R) -> Checked<'r> {
        let n = row.len();
        if (0..n).all(|i| row.cell(i).is_blank()) {
            return Checked::Empty;
        }
        self.counts.read += 1;
        let errors_before = self.findings.len();
        if n < self.header_len {
            self.report(line, None, FindingKind::TooFewFields, None, |v| {
                format!("{n} fields where the header has {}", v.header_len)
            });
            return self.reject();
        }
        if (self.header_len..n).any(|i| !row.cell(i).is_blank()) {
            self.report(line, None, FindingKind::TooManyFields, None, |v| {
                format!("{n} fields where the header has {}", v.header_len)
            });
            return self.reject();
        }

        let external_id = self.text(row, TargetField::ExternalId);
        if external_id.is_none() {
            self.report(
                line,
                Some(TargetField::ExternalId),
                FindingKind::MissingExternalId,
                None,
                |v| {
                    format!(
                        "{}: the external id is missing",
                        v.columns.name(TargetField::ExternalId)
                    )
                },
            );
        }
        let created = self.date(row, TargetField::CreatedAt, line);
        if matches!(created, Ok(None)) {
            self.report(
                line,
                Some(TargetField::CreatedAt),
                FindingKind::MissingCreatedDate,
                None,
                |v| {
                    format!(
                        "{}: the created date is missing",
                        v.columns.name(TargetField::CreatedAt)
                    )
                },
            );
        }
        let first_attempt = self.date(row, TargetField::FirstAttemptAt, line);
        let two_way = self.date(row, TargetField::FirstTwoWayAt, line);
        let appointment = self.date(row, TargetField::AppointmentAt, line);
        let won = self.date(row, TargetField::WonAt, line);
        let closed = self.date(row, TargetField::ClosedAt, line);

        let attempts = match self.hundredths(row, TargetField::Attempts, line, true) {
            Ok(Some(h)) if h < 0 => {
                let shown = self.cell(row, TargetField::Attempts).display();
                self.report(
                    line,
                    Some(TargetField::Attempts),
                    FindingKind::NegativeAttempts,
                    Some(&shown),
                    |v| {
                        format!(
                            "{}: {shown:?} attempts cannot be negative",
                            v.columns.name(TargetField::Attempts)
                        )
                    },
                );
                None
            }
            Ok(Some(h)) => match u32::try_from(h / 100) {
                Ok(a) => Some(a),
                Err(_) => {
                    let shown = self.cell(row, TargetField::Attempts).display();
                    self.report(
                        line,
                        Some(TargetField::Attempts),
                        FindingKind::InvalidNumber,
                        Some(&shown),
                        |v| {
                            format!(
                                "{}: {shown:?} is too large",
                                v.columns.name(TargetField::Attempts)
                            )
                        },
                    );
                    None
                }
            },
            Ok(None) | Err(()) => None,
        };
        let value = self
            .hundredths(row, TargetField::Value, line, false)
            .ok()
            .flatten()
            .map(Money::from_cents);

        let stage = self.stage(row, line);

        // chronology, for the dates that parsed
        if let Ok(Some(created)) = created {
            let won_or_closed = match (&won, &closed, stage) {
                (Ok(Some(w)), _, _) => Some((TargetField::WonAt, *w)),
                (_, Ok(Some(c)), Some(Stage::Won)) => Some((TargetField::ClosedAt, *c)),
                _ => None,
            };
            let checks = [
                (
                    TargetField::FirstAttemptAt,
                    first_attempt.ok().flatten(),
                    FindingKind::FirstContactBeforeCreation,
                    "the first contact attempt",
                ),
                (
                    TargetField::FirstTwoWayAt,
                    two_way.ok().flatten(),
                    FindingKind::TwoWayContactBeforeCreation,
                    "the first two-way contact",
                ),
                (
                    won_or_closed.map_or(TargetField::WonAt, |w| w.0),
                    won_or_closed.map(|w| w.1),
                    FindingKind::WonBeforeCreation,
                    "the won date",
                ),
            ];
            for (field, at, kind, what) in checks {
                if let Some(at) = at
                    && at.is_before(&created)
                {
                    let shown = self.cell(row, field).display();
                    self.report(line, Some(field), kind, Some(&shown), |v| {
                        format!(
                            "{}: {what} {shown:?} lies before the lead was created",
                            v.columns.name(field)
                        )
                    });
                }
            }
        }

        let clean = self.findings.len() == errors_before
            && matches!(created, Ok(Some(_)))
            && stage.is_some()
            && [&first_attempt, &two_way, &appointment, &won, &closed]
                .iter()
                .all(|d| d.is_ok());
        let duplicate_of = match (&external_id, &mut self.id_hashes) {
            (Some(id), Some(hashes)) => {
                hashes.push(IdSet::hash(id));
                None
            }
            // a row that will be imported registers its id in the same lookup
            (Some(id), None) if clean => self.seen_ids.insert_new(id, line).err(),
            (Some(id), None) => self.seen_ids.line_of(id),
            (None, _) => None,
        };
        if let (Some(id), Some(first)) = (&external_id, duplicate_of) {
            self.report(
                line,
                Some(TargetField::ExternalId),
                FindingKind::DuplicateId,
                Some(id),
                |v| {
                    format!(
                        "{}: {id:?} already occurs on line {first}",
                        v.columns.name(TargetField::ExternalId)
                    )
                },
            );
            self.counts.duplicates += 1;
        }

        let (Some(external_id), Ok(Some(created)), Some(stage)) = (external_id, created, stage)
        else {
            return self.reject();
        };
        if self.findings.len() > errors_before {
            return self.reject();
        }
        let (Ok(first_attempt), Ok(two_way), Ok(appointment), Ok(won), Ok(closed)) =
            (first_attempt, two_way, appointment, won, closed)
        else {
            return self.reject();
        };

        // the row is imported; now the data-quality warnings
        let source = self.name(row, line, TargetField::Source);
        let product_line = self.name(row, line, TargetField::ProductLine);
        if source.is_none() && self.columns.is_mapped(TargetField::Source) {
            self.report(
                line,
                Some(TargetField::Source),
                FindingKind::NoSource,
                None,
                |v| {
                    format!(
                        "{}: the lead has no source",
                        v.columns.name(TargetField::Source)
                    )
                },
            );
        }
        let attempts_mapped = self.columns.is_mapped(TargetField::Attempts);
        let contact_known = attempts_mapped
            || self.columns.is_mapped(TargetField::FirstAttemptAt)
            || self.columns.is_mapped(TargetField::FirstTwoWayAt);
        let attempt_count = attempts.unwrap_or(0);
        let contacted = attempt_count > 0 || first_attempt.is_some() || two_way.is_some();
        if contact_known {
            if stage == Stage::Lost && !contacted {
                self.report(
                    line,
                    None,
                    FindingKind::LostWithoutContactAttempt,
                    None,
                    |_| "lost without any contact attempt".to_owned(),
                );
            } else if stage == Stage::Lost
                && attempts_mapped
                && attempt_count < self.sla_min_attempts
            {
                self.report(
                    line,
                    Some(TargetField::Attempts),
                    FindingKind::LostBelowSlaAttempts,
                    None,
                    |v| format!(
                    "lost after {attempt_count} contact attempts, fewer than the agreed minimum of {}",
                    v.sla_min_attempts
                ),
                );
            } else if stage != Stage::Lost && !contacted {
                self.report(line, None, FindingKind::NeverContacted, None, |_| {
                    "no contact attempt recorded".to_owned()
                });
            }
        }

        let won_at = match (won, closed) {
            (Some(w), _) => Some(w.utc),
            (None, Some(c)) if stage == Stage::Won => Some(c.utc),
            _ => None,
        };
        let lead = LeadRow {
            line,
            created_at: created.utc,
            first_attempt_at: first_attempt.map(|t| t.utc),
            first_two_way_at: two_way.map(|t| t.utc),
            attempts: attempt_count,
            stage,
            lost_reason: self.text(row, TargetField::LostReason),
            appointment_at: appointment.map(|t| t.utc),
            won_at,
            value,
            owner: self.text(row, TargetField::Owner),
            source,
            product_line,
            external_id,
        };
        self.counts.valid += 1;
        Checked::Imported(lead)
    }

    fn reject<'r>(&mut self) -> Checked<'r> {
        self.counts.rejected += 1;
        Checked::Rejected
    }

    /// The stage of a row: a won/lost status overrides the stage column; a blank stage is
    /// `new`; an unknown word is an error (and listed for mapping). `None` after an error.
    fn stage<R: RowCells + ?Sized>(&mut self, row: &R, line: u64) -> Option<Stage> {
        let stage_raw = self.text(row, TargetField::Stage);
        let status_raw = self.text(row, TargetField::Status);
        let stage = stage_raw.as_deref().map(|s| self.stages.resolve(s));
        let status = status_raw.as_deref().map(|s| self.stages.resolve(s));
        if let Some(Some(closed @ (Stage::Won | Stage::Lost))) = status {
            return Some(closed);
        }
        let (field, raw, resolved) = match (stage_raw, stage, status_raw, status) {
            (Some(raw), Some(resolved), status_raw, status) => {
                if let (Some(s), Some(None)) = (status_raw, status) {
                    self.note_unknown(TargetField::Status, &s, line);
                }
                (TargetField::Stage, raw, resolved)
            }
            (None, _, Some(raw), Some(resolved)) => (TargetField::Status, raw, resolved),
            _ => return Some(Stage::New),
        };
        if resolved.is_none() {
            self.note_unknown(field, &raw, line);
            self.report(
                line,
                Some(field),
                FindingKind::UnknownStage,
                Some(&raw),
                |v| {
                    format!(
                        "{}: the stage {raw:?} is unknown; map it to a Leadplan stage",
                        v.columns.name(field)
                    )
                },
            );
        }
        resolved
    }

    /// A source or product-line name, resolved; unknown names are reported and listed.
    fn name<R: RowCells + ?Sized>(
        &mut self,
        row: &R,
        line: u64,
        field: TargetField,
    ) -> Option<Arc<str>> {
        let raw = self.text(row, field)?;
        let resolved = if field == TargetField::Source {
            self.sources.resolve(&raw)
        } else {
            self.products.resolve(&raw)
        };
        match resolved {
            Resolved::Known(name) => Some(name),
            Resolved::Unknown(name) => {
                self.note_unknown(field, &name, line);
                let (kind, what) = if field == TargetField::Source {
                    (FindingKind::UnknownSource, "source")
                } else {
                    (FindingKind::UnknownProductLine, "product line")
                };
                self.report(line, Some(field), kind, Some(&name), |v| {
                    format!(
                        "{}: the {what} {name:?} is not in the workbook; map it",
                        v.columns.name(field)
                    )
                });
                Some(name)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_set_finds_every_id_it_holds_and_no_other() {
        let mut ids = IdSet::default();
        for i in 0..10_000_u64 {
            assert_eq!(ids.insert_new(&format!("L{i}"), i + 2), Ok(()));
        }
        assert_eq!(ids.line_of("L0"), Some(2));
        assert_eq!(ids.line_of("L9999"), Some(10_001));
        assert_eq!(ids.line_of("L10000"), None);
        assert_eq!(ids.line_of(""), None);
        assert_eq!(ids.insert_new("L5", 99), Err(7));
    }

    #[test]
    fn ids_sharing_a_hash_bucket_chain_correctly() {
        // force a chain by inserting under one head: the entries of two ids with equal hash
        let mut ids = IdSet::default();
        ids.insert_new("a", 2).unwrap();
        let a_hash = IdSet::hash("a");
        let head = ids.heads[&a_hash];
        ids.text.push('b');
        ids.entries.push(IdEntry {
            start: 1,
            end: 2,
            line: 3,
            next: head,
        });
        ids.heads.insert(a_hash, 1);
        assert_eq!(ids.line_of("a"), Some(2), "found behind the newer entry");
    }
}
