//! Reading a large CSV file on several threads.
//!
//! The text is cut into parts of about equal size. The first part is read from the header
//! on; every other part is read at the same time from a guess of where its first record
//! starts: the first line break after its cut that lies outside quotes, counting the quotes
//! before it. Once the part before has been read, the guess is checked: the part counts only
//! if that part's next record starts exactly where the guess did, and if no id of its rows
//! occurred in the rows before. Else it is dropped and its rows are read again, in order,
//! after the part before. So the outcome is always that of reading the file from start to
//! end: the same leads, the same findings in the same order, the same line numbers.
//!
//! Files with lone carriage returns as line ends are read on one thread (their line numbers
//! depend on every record before), as are spreadsheets and small files.

use std::borrow::Cow;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::decode::decode;
use crate::error::ImportError;
use crate::leads::{Flow, LeadReader, Progress, ReadSetup};
use crate::options::ImportOptions;
use crate::records::Records;
use crate::report::{FileLayout, ImportCounts, ImportReport, ImportedLead};
use crate::table::{Table, is_spreadsheet};
use crate::validate::{Checked, LeadRow, RowValidator};

/// Below this size a file is read on one thread: starting threads would cost more.
const MIN_PART_BYTES: usize = 1 << 20;
/// Rows between two looks at the progress counters and the cancel flag.
const CHECK_EVERY: u64 = 1024;
/// No more ids than this are made room for ahead, whatever the estimate.
const MAX_RESERVE: usize = 20_000_000;

/// The progress of a read running on other threads, and the way to cancel it.
#[derive(Debug, Default)]
pub struct ReadControl {
    rows: AtomicU64,
    done: AtomicU64,
    total: AtomicU64,
    cancel: AtomicBool,
}

impl ReadControl {
    /// How far the read has come (rows and text read by all threads).
    #[must_use]
    pub fn progress(&self) -> Progress {
        Progress {
            rows_read: self.rows.load(Ordering::Relaxed),
            done: self.done.load(Ordering::Relaxed),
            total: self.total.load(Ordering::Relaxed),
        }
    }

    /// Asks the read to stop; it does within a thousand rows, and reports `cancelled`.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    fn advance(&self, rows: u64, bytes: u64) {
        self.rows.fetch_add(rows, Ordering::Relaxed);
        self.done.fetch_add(bytes, Ordering::Relaxed);
    }
}

/// Where a read on several threads puts what it reads.
pub trait LeadConsumer: Sync {
    /// What the leads of one part of the file go to.
    type Sink: Send;

    /// Called once, when the file has been opened and its layout found, before any row is
    /// checked; [`Flow::Stop`] ends the read there (reported as cancelled).
    fn opened(&self, layout: &FileLayout) -> Flow;

    /// The sink of part `part` of the file (part 0 starts at the header).
    fn sink(&self, part: usize) -> Self::Sink;

    /// A valid lead, in file order within its part.
    fn lead(&self, sink: &mut Self::Sink, lead: LeadRow<'_>);
}

/// What a read on several threads hands back.
pub struct ParallelRead<S> {
    pub report: ImportReport,
    /// The sinks of the parts that counted, in file order: every valid lead went to exactly
    /// one of them, the leads of each in file order.
    pub sinks: Vec<S>,
    /// Parts read again after the part before, because their guessed start was wrong or an
    /// id of theirs occurred before.
    pub read_again: usize,
}

/// Collects the valid leads of each part as owned leads, e.g. to compare a read in parts with
/// [`crate::read_leads`].
pub struct CollectLeads;

impl LeadConsumer for CollectLeads {
    type Sink = Vec<ImportedLead>;

    fn opened(&self, _: &FileLayout) -> Flow {
        Flow::Continue
    }

    fn sink(&self, _: usize) -> Vec<ImportedLead> {
        Vec::new()
    }

    fn lead(&self, sink: &mut Vec<ImportedLead>, lead: LeadRow<'_>) {
        sink.push(lead.into_imported(&mut crate::vocab::Interner::default()));
    }
}

/// Reads a lead file on up to `threads` threads (see the module's documentation), giving
/// every valid lead to the sink of its part. Part 0 starts at the header and always counts;
/// a later part's sink is dropped when its guessed start was wrong (its leads then go again
/// to the sink of the part before). Progress and cancel go through `control`.
///
/// # Errors
/// As [`LeadReader::new`] and [`LeadReader::finish`].
pub fn read_leads_parallel<C: LeadConsumer>(
    bytes: &[u8],
    options: &ImportOptions,
    threads: usize,
    control: &ReadControl,
    consumer: &C,
) -> Result<ParallelRead<C::Sink>, ImportError> {
    read_leads_in_parts(bytes, options, threads, MIN_PART_BYTES, control, consumer)
}

/// [`read_leads_parallel`] with parts of at least `min_part_bytes` instead of 1 MiB, so that
/// small files are cut into parts too (tests and fuzzing).
///
/// # Errors
/// As [`read_leads_parallel`].
pub fn read_leads_in_parts<C: LeadConsumer>(
    bytes: &[u8],
    options: &ImportOptions,
    threads: usize,
    min_part_bytes: usize,
    control: &ReadControl,
    consumer: &C,
) -> Result<ParallelRead<C::Sink>, ImportError> {
    if threads < 2 || is_spreadsheet(bytes) {
        return read_on_one_thread(bytes, options, control, consumer, 0);
    }
    let (decoded, encoding) = decode(bytes, options.encoding);
    let text: &str = &decoded;
    let parts = threads.min(text.len() / min_part_bytes.max(1));
    if parts < 2 || has_lone_carriage_return(text.as_bytes()) {
        return read_on_one_thread(bytes, options, control, consumer, 0);
    }
    let mut table = Table::open_text(Cow::Borrowed(text), encoding, options.delimiter)?;
    let setup = ReadSetup::new(&mut table, options)?;
    if consumer.opened(&setup.layout) == Flow::Stop {
        return Ok(stopped(setup.layout));
    }
    let delimiter = table.delimiter.unwrap_or(b',');
    let body = table.csv_position().unwrap_or(0);
    drop(table);
    control.total.store(text.len() as u64, Ordering::Relaxed);
    let body = usize::try_from(body).unwrap_or(text.len()).min(text.len());
    // the cuts: part k reads the records that start in cuts[k]..cuts[k + 1]
    let cuts: Vec<usize> = (0..=parts)
        .map(|k| body + (text.len() - body) * k / parts)
        .collect();
    let reader = PartReader {
        text,
        delimiter,
        control,
        consumer,
    };
    let read_part = |k: usize, from: usize, lines_before: u64| {
        let mut validator = setup.validator(options);
        validator.defer_duplicates();
        let mut sink = consumer.sink(k);
        let stop = cuts.get(k + 1).copied().filter(|_| k + 1 < parts);
        let end = reader.read(from, stop, lines_before, &mut validator, &mut sink);
        let mut ids = validator.take_id_hashes();
        ids.sort_unstable();
        PartResult {
            validator,
            sink,
            end,
            ids,
        }
    };
    let (first, later) = std::thread::scope(|scope| {
        let later: Vec<_> = (1..parts)
            .map(|k| {
                let (read_part, cuts) = (&read_part, &cuts);
                scope.spawn(move || {
                    let (start, lines_before) = guess_record_start(text, body, cuts[k]);
                    read_part(k, start, lines_before)
                })
            })
            .collect();
        let first = read_part(0, body, count_line_breaks(&text.as_bytes()[..body]));
        // a part's thread does not panic; if it did, its part is read again below
        let later: Vec<_> = later.into_iter().map(|h| h.join().ok()).collect();
        (first, later)
    });
    if let Some(e) = first.end.error {
        return Err(e);
    }
    let mut validator = first.validator;
    let mut next = first.end.next;
    let mut cancelled = first.end.cancelled;
    let mut sinks = vec![first.sink];
    let mut ids = vec![first.ids];
    let mut read_again = 0;
    let mut later = later.into_iter();
    for k in 1..parts {
        // a part whose thread failed is read again like one whose guess was wrong
        let part = later.next().flatten();
        cancelled |= part.as_ref().is_some_and(|p| p.end.cancelled) || control.cancelled();
        if cancelled {
            break;
        }
        match part {
            Some(part) if part.end.error.is_none() && part.end.follows(next) => {
                validator.absorb(part.validator);
                sinks.push(part.sink);
                ids.push(part.ids);
                next = part.end.next;
            }
            _ => {
                read_again += 1;
                let Some(from) = next else { continue };
                let from = usize::try_from(from).unwrap_or(text.len());
                let lines_before = count_line_breaks(&text.as_bytes()[..from]);
                let Some(sink) = sinks.last_mut() else { break };
                let stop = (k + 1 < parts).then(|| cuts[k + 1]);
                let end = reader.read(from, stop, lines_before, &mut validator, sink);
                if let Some(e) = end.error {
                    return Err(e);
                }
                cancelled |= end.cancelled;
                next = end.next;
            }
        }
    }
    let mut again = validator.take_id_hashes();
    again.sort_unstable();
    ids.push(again);
    if !cancelled && repeats(ids) {
        // an id occurs twice (or two ids share a hash): read the file again from the start
        // on one thread, which reports the repeated ids in order and imports the first only
        drop(sinks);
        control.rows.store(0, Ordering::Relaxed);
        control.done.store(0, Ordering::Relaxed);
        let mut read = read_on_one_thread(bytes, options, control, consumer, parts)?;
        read.read_again = parts;
        return Ok(read);
    }
    let tally = validator.finish();
    Ok(ParallelRead {
        report: ImportReport {
            layout: setup.layout,
            counts: tally.counts,
            findings: tally.findings,
            finding_counts: tally.finding_counts,
            unknown_values: tally.unknown_values,
            cancelled,
        },
        sinks,
        read_again,
    })
}

/// Whether a value occurs twice among `runs`, each sorted.
fn repeats(mut runs: Vec<Vec<u64>>) -> bool {
    while runs.len() > 1 {
        let mut merged = Vec::with_capacity(runs.len().div_ceil(2));
        let mut pairs = runs.into_iter();
        while let Some(a) = pairs.next() {
            let Some(b) = pairs.next() else {
                merged.push(a);
                break;
            };
            let mut out = Vec::with_capacity(a.len() + b.len());
            let (mut i, mut j) = (0, 0);
            while i < a.len() && j < b.len() {
                if a[i] <= b[j] {
                    out.push(a[i]);
                    i += 1;
                } else {
                    out.push(b[j]);
                    j += 1;
                }
            }
            out.extend_from_slice(&a[i..]);
            out.extend_from_slice(&b[j..]);
            merged.push(out);
        }
        runs = merged;
    }
    runs.first()
        .is_some_and(|run| run.windows(2).any(|w| w[0] == w[1]))
}

/// Reads the whole file on this thread into the sink of `part` (0, or the number after the
/// last part when a read in parts is done again; only part 0 tells the consumer the file
/// was opened).
fn read_on_one_thread<C: LeadConsumer>(
    bytes: &[u8],
    options: &ImportOptions,
    control: &ReadControl,
    consumer: &C,
    part: usize,
) -> Result<ParallelRead<C::Sink>, ImportError> {
    let mut reader = LeadReader::new(bytes, options)?;
    if part == 0 && consumer.opened(reader.layout()) == Flow::Stop {
        return Ok(stopped(reader.layout().clone()));
    }
    let mut sink = consumer.sink(part);
    let mut rows = 0_u64;
    let mut reported = reader.progress();
    control.total.store(reported.total, Ordering::Relaxed);
    let mut cancelled = false;
    while reader.next_row(|lead| consumer.lead(&mut sink, lead)) {
        rows += 1;
        if rows.is_multiple_of(CHECK_EVERY) {
            let now = reader.progress();
            control.advance(
                now.rows_read - reported.rows_read,
                now.done.saturating_sub(reported.done),
            );
            reported = now;
            if control.cancelled() {
                cancelled = true;
                break;
            }
        }
    }
    let now = reader.progress();
    control.advance(
        now.rows_read - reported.rows_read,
        now.done.saturating_sub(reported.done),
    );
    Ok(ParallelRead {
        report: reader.finish(cancelled)?,
        sinks: vec![sink],
        read_again: 0,
    })
}

/// A read stopped before its first row.
fn stopped<S>(layout: FileLayout) -> ParallelRead<S> {
    ParallelRead {
        report: ImportReport {
            layout,
            counts: ImportCounts::default(),
            findings: Vec::new(),
            finding_counts: std::collections::BTreeMap::new(),
            unknown_values: Vec::new(),
            cancelled: true,
        },
        sinks: Vec::new(),
        read_again: 0,
    }
}

/// Where a part's reading ended.
#[derive(Debug, Default)]
struct PartEnd {
    /// Where its first record starts (bytes of the whole text); `None`: it had none.
    first: Option<u64>,
    /// Where the first record at or after its stop starts, the next part's first.
    next: Option<u64>,
    error: Option<ImportError>,
    cancelled: bool,
}

impl PartEnd {
    /// Whether the part's guessed start was right, given where the part before it found the
    /// next record (`None`: the file ended within it). A part that holds no record start of
    /// its own must have seen the same next record as the part before.
    fn follows(&self, next: Option<u64>) -> bool {
        match self.first {
            Some(_) => self.first == next,
            None => self.next == next,
        }
    }
}

struct PartResult<S> {
    validator: RowValidator,
    sink: S,
    end: PartEnd,
    /// The hashes of the part's ids, sorted.
    ids: Vec<u64>,
}

/// What every part is read with.
struct PartReader<'r, C> {
    text: &'r str,
    delimiter: u8,
    control: &'r ReadControl,
    consumer: &'r C,
}

impl<C: LeadConsumer> PartReader<'_, C> {
    /// Checks the records that start in `from..stop` (`from` at a record's start, on the
    /// line after `lines_before` line breaks).
    fn read(
        &self,
        from: usize,
        stop: Option<usize>,
        lines_before: u64,
        validator: &mut RowValidator,
        sink: &mut C::Sink,
    ) -> PartEnd {
        let mut end = PartEnd::default();
        let Some(part) = self.text.get(from..) else {
            return end;
        };
        let mut records = Records::new(part, self.delimiter, lines_before);
        let (mut rows, mut reported_rows, mut reported_at) = (0_u64, 0_u64, 0_u64);
        while let Some(next) = records.next_record() {
            let (line, start, record) = match next {
                Ok(r) => r,
                Err(e) => {
                    end.error = Some(e);
                    break;
                }
            };
            let (at, start) = ((from + start) as u64, start as u64);
            if stop.is_some_and(|s| at >= s as u64) {
                end.next = Some(at);
                break;
            }
            if let Checked::Imported(lead) = validator.check_row(line, &record) {
                self.consumer.lead(sink, lead);
            }
            end.first.get_or_insert(at);
            rows += 1;
            if rows == CHECK_EVERY && start > 0 {
                // room for the ids of the rows to come, estimated from the first ones
                let end = stop.unwrap_or(self.text.len()).saturating_sub(from) as u64;
                let estimate = u128::from(rows) * u128::from(end) / u128::from(start);
                validator.reserve(usize::try_from(estimate).unwrap_or(0).min(MAX_RESERVE));
            }
            if rows.is_multiple_of(CHECK_EVERY) {
                self.control
                    .advance(rows - reported_rows, start.saturating_sub(reported_at));
                (reported_rows, reported_at) = (rows, start);
                if self.control.cancelled() {
                    end.cancelled = true;
                    break;
                }
            }
        }
        let now = records.position() as u64;
        self.control
            .advance(rows - reported_rows, now.saturating_sub(reported_at));
        end
    }
}

/// Line breaks in `bytes`.
fn count_line_breaks(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

/// Whether a carriage return ends a line on its own somewhere (old Mac files).
fn has_lone_carriage_return(bytes: &[u8]) -> bool {
    memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'))
}

/// The start of the first line after `cut` that begins outside quotes, counting the quotes
/// from the start of the rows (`body`), and the line breaks before it.
fn guess_record_start(text: &str, body: usize, cut: usize) -> (usize, u64) {
    let bytes = text.as_bytes();
    let cut = cut.clamp(body, bytes.len());
    let count = |b: u8, bytes: &[u8]| memchr::memchr_iter(b, bytes).count() as u64;
    let mut breaks = count(b'\n', &bytes[..cut]);
    let mut quoted = count(b'"', &bytes[body..cut]) % 2 == 1;
    for (i, &b) in bytes[cut..].iter().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            b'\n' => {
                breaks += 1;
                if !quoted {
                    return (cut + i + 1, breaks);
                }
            }
            _ => {}
        }
    }
    (bytes.len(), breaks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read_leads;
    use proptest::prelude::*;

    const HEADER: &str = "external_id,created_at,source,attempts,stage,owner,notes\n";

    fn options() -> ImportOptions {
        use crate::{ColumnMapping, TargetField as F};
        let columns = [
            (F::ExternalId, "external_id"),
            (F::CreatedAt, "created_at"),
            (F::Source, "source"),
            (F::Attempts, "attempts"),
            (F::Stage, "stage"),
            (F::Owner, "owner"),
            (F::LostReason, "notes"),
        ];
        ImportOptions {
            mapping: Some(ColumnMapping {
                signature: None,
                columns: columns.map(|(f, c)| (f, c.to_owned())).into(),
            }),
            ..ImportOptions::default()
        }
    }

    /// The file read in `threads` parts of at least `min` bytes: the leads of all sinks in
    /// order, the report, and how many parts were read again.
    fn in_parts(csv: &str, threads: usize, min: usize) -> (Vec<ImportedLead>, ImportReport, usize) {
        let control = ReadControl::default();
        let read = read_leads_in_parts(
            csv.as_bytes(),
            &options(),
            threads,
            min,
            &control,
            &CollectLeads,
        )
        .unwrap();
        // rows read twice (a wrong guess) and empty rows count as progress too
        assert!(control.progress().rows_read >= read.report.counts.read);
        (read.sinks.concat(), read.report, read.read_again)
    }

    fn at_once(csv: &str) -> (Vec<ImportedLead>, ImportReport) {
        let read = read_leads(csv.as_bytes(), &options(), |_| Flow::Continue).unwrap();
        (read.leads, read.report)
    }

    fn rows(n: usize) -> String {
        let mut csv = HEADER.to_owned();
        for i in 0..n {
            csv.push_str(&format!(
                "L-{i},2026-0{}-1{} 09:30,Website,{},{},Anna,\"said \"\"call me\"\"\nlater, please\"\n",
                1 + i % 9,
                i % 10,
                i % 5,
                ["new", "won", "lost"][i % 3]
            ));
        }
        csv
    }

    #[test]
    fn a_file_read_in_parts_gives_what_it_gives_read_at_once() {
        let csv = rows(400);
        let expected = at_once(&csv);
        assert_eq!(expected.0.len(), 400);
        for threads in 2..=5 {
            let (leads, report, again) = in_parts(&csv, threads, 1);
            assert_eq!((leads, report), expected, "{threads} threads");
            assert_eq!(again, 0, "every guess right: {threads} threads");
        }
    }

    #[test]
    fn a_cut_inside_a_quoted_line_break_is_found_and_read_again() {
        // the quote counting is thrown off by a quote inside an unquoted field: the guessed
        // starts are wrong, and every part is read again after the one before
        let mut csv = HEADER.to_owned();
        csv.push_str("X-0,2026-01-01,Website,1,new,Anna,5\" tyre\n");
        csv.push_str(&rows(300)[HEADER.len()..]);
        let expected = at_once(&csv);
        assert_eq!(expected.0.len(), 301);
        for threads in 2..=4 {
            let (leads, report, again) = in_parts(&csv, threads, 1);
            assert_eq!((leads, report), expected, "{threads} threads");
            assert_eq!(again, threads - 1, "every guess wrong: {threads} threads");
        }
    }

    #[test]
    fn a_repeated_id_makes_the_file_read_again_on_one_thread_with_the_same_outcome() {
        let mut csv = rows(300);
        csv.push_str("L-3,2026-02-02,Website,1,won,Anna,\n");
        csv.push_str("L-4,not a date,Website,1,won,Anna,\n");
        let (leads, report, again) = in_parts(&csv, 3, 1);
        assert_eq!((leads, report.clone()), at_once(&csv));
        assert_eq!(report.counts.duplicates, 2);
        assert_eq!(report.counts.valid, 300);
        assert_eq!(again, 3, "read again as a whole");
    }

    /// Found by the fuzz target `parallel_reader`: a quote opened on line 3 is never closed,
    /// so that record runs from the first part to the end of the file; a later part that
    /// guessed a record start inside it and holds no record start of its own must not count.
    #[test]
    fn a_record_running_to_the_end_of_the_file_hides_the_parts_behind_it() {
        let file: &[u8] =
            b"\"Lead - ID\",\"Lead - Title\",\"Lead - Owner\",\"Lead - Source channel\",\"Lead - L\
          ead crea08f6a1\",\"Polo lead\",\"Ben\",\"Markt\"Lead Source\",\"Lead Status\",\"Rati\
          ng\",\"Create Date\",\"Pro\"Polo lead\",\"Ben\",\"Markt\"Lead Source\",\"Lead Status\
          \",\"Rating\",\"Create Date\",\"Product Interest\",\"Lead ID\"\n\"Anna Miller\",\"Ad\
          a\",\"Lange\",\"Lange - Contacted\",\"\",\"1/28/2026\",\"GC5000 series\",\"00Q5g0000\
          0AnAn2\"\n\"a Miller\",\"Cem\",\"Aydin\",\"Aydin AG\",\"Pa\x00*\"Lead - ID\",\"Lead \
          - Titlertner Referrplaats\",\"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\
          ,G\xeflf,2026-04-07T09:10:00Z,,1,contacted,,,,,Anna\nA7,2026-04-08T09:00:00Z,Walk-in\
          ,Golf,2026-04-08T09:00:00Z,2026-04-08T09:00:00Z,\xcc\xd3a\x00a\x00k\x00t\x00 \x00o\x00\
          8:p\x00\x09\x00B\x00r\x00o";
        let options = ImportOptions::default();
        let once = read_leads(file, &options, |_| Flow::Continue).unwrap();
        let control = ReadControl::default();
        let parts = read_leads_in_parts(file, &options, 3, 3, &control, &CollectLeads).unwrap();
        assert_eq!(parts.report, once.report);
        assert_eq!(parts.sinks.concat(), once.leads);
    }

    #[test]
    fn a_cancelled_read_says_so() {
        let csv = rows(5000);
        let control = ReadControl::default();
        control.cancel();
        let read =
            read_leads_in_parts(csv.as_bytes(), &options(), 2, 1, &control, &CollectLeads).unwrap();
        assert!(read.report.cancelled);
        assert!(read.sinks.iter().map(Vec::len).sum::<usize>() < 5000);
    }

    #[test]
    fn repeated_values_are_found_within_and_across_sorted_runs() {
        assert!(!repeats(vec![]));
        assert!(!repeats(vec![vec![1, 2, 3]]));
        assert!(repeats(vec![vec![1, 2, 2]]));
        assert!(!repeats(vec![vec![1, 4], vec![2, 5], vec![3, 6]]));
        assert!(repeats(vec![vec![1, 4], vec![2, 5], vec![3, 5]]));
        assert!(repeats(vec![vec![7], vec![], vec![7]]));
    }

    fn field() -> impl Strategy<Value = String> {
        prop_oneof![
            Just(String::new()),
            "[a-z ]{0,6}",
            Just("\"a,b\"".to_owned()),
            Just("\"line\nbreak\"".to_owned()),
            Just("\"\"\"\"".to_owned()),
            Just("x\"y".to_owned()),
            Just("\"\r\n\"".to_owned()),
            Just("\"never closed".to_owned()),
        ]
    }

    fn row() -> impl Strategy<Value = String> {
        (
            0_u32..40,
            prop_oneof![
                Just("2026-03-04".to_owned()),
                Just("04.03.2026 10:00".to_owned()),
                Just("bad".to_owned()),
                Just(String::new()),
            ],
            0_i32..6,
            prop_oneof![Just("won"), Just("lost"), Just("new"), Just("maybe")],
            field(),
            prop_oneof![Just(""), Just("\n"), Just(",,,,,,\n"), Just("\r\n")],
        )
            .prop_map(|(id, date, attempts, stage, notes, after)| {
                format!(
                    "L-{id},{date},Website,{},{stage},Anna,{notes}\n{after}",
                    attempts - 1
                )
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn any_file_read_in_parts_gives_what_it_gives_read_at_once(
            rows in proptest::collection::vec(row(), 0..60),
            threads in 2_usize..5,
            crlf in any::<bool>(),
        ) {
            let mut csv = HEADER.to_owned() + &rows.concat();
            if crlf {
                csv = csv.replace("\r\n", "\n").replace('\n', "\r\n");
            }
            let (leads, report, _) = in_parts(&csv, threads, 1);
            prop_assert_eq!((leads, report), at_once(&csv));
        }
    }
}
