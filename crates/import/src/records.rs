//! CSV records read straight from the decoded text, for the parts of a large file read in
//! parallel. A record without a quote, which is nearly every record of a CRM export, is a
//! line split at the delimiter: its fields are slices of the text, found with memchr (SIMD),
//! and nothing is copied or checked for UTF-8 again. Any record with a quote is read by
//! `csv_core` — the parser of the `csv` crate, with the same settings — so quoted fields,
//! doubled quotes and line breaks inside quotes are read exactly as [`crate::table`] reads
//! them; a test checks the two agree on any input.
//!
//! Like the `csv` crate this skips empty lines, ends a record at `\n`, `\r` or `\r\n`, and
//! gives the fields as they are (no trimming). Line numbers count `\n` only, so text with
//! lone `\r` line ends is not read here.

use crate::error::ImportError;
use crate::validate::{Cell, RowCells};

/// The fields of one record: spans of `text`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Record<'a> {
    text: &'a str,
    spans: &'a [(usize, usize)],
}

impl RowCells for Record<'_> {
    fn len(&self) -> usize {
        self.spans.len()
    }

    fn cell(&self, index: usize) -> Cell<'_> {
        self.spans.get(index).map_or(Cell::Empty, |&(from, to)| {
            // spans end at ASCII delimiters and line ends, so they lie on char boundaries
            Cell::Text(self.text.get(from..to).unwrap_or_default())
        })
    }
}

/// Reads the records of CSV text one by one.
pub(crate) struct Records<'t> {
    text: &'t str,
    at: usize,
    delimiter: u8,
    /// Line breaks before `at`.
    breaks: u64,
    spans: Vec<(usize, usize)>,
    quoted: csv_core::Reader,
    /// A quoted record's fields, unquoted.
    out: Vec<u8>,
    ends: Vec<usize>,
}

impl<'t> Records<'t> {
    /// The records of `text` (which starts at a record, after `lines_before` line breaks).
    pub fn new(text: &'t str, delimiter: u8, lines_before: u64) -> Self {
        let mut quoted = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // csv_core drops a byte order mark at the very start of what it reads first; the
        // text here is mid-file, so it reads a record of its own first
        let _ = quoted.read_record(b"\n", &mut [0; 1], &mut [0; 1]);
        Records {
            text,
            at: 0,
            delimiter,
            breaks: lines_before,
            spans: Vec::new(),
            quoted,
            out: vec![0; 1024],
            ends: vec![0; 64],
        }
    }

    /// Where reading stands (bytes of the text).
    pub fn position(&self) -> usize {
        self.at
    }

    /// The next record: the line it starts on (1-based), where it starts, its fields.
    pub fn next_record(&mut self) -> Option<Result<(u64, usize, Record<'_>), ImportError>> {
        let bytes = self.text.as_bytes();
        // empty lines and the end of the record before
        while let Some(&b) = bytes.get(self.at) {
            match b {
                b'\n' => self.breaks += 1,
                b'\r' => {}
                _ => break,
            }
            self.at += 1;
        }
        if self.at >= bytes.len() {
            return None;
        }
        let start = self.at;
        let line = self.breaks + 1;
        let rest = &bytes[start..];
        let end = start + memchr::memchr2(b'\n', b'\r', rest).unwrap_or(rest.len());
        if memchr::memchr(b'"', &bytes[start..end]).is_some() {
            return Some(self.read_quoted(start, line));
        }
        self.spans.clear();
        let mut from = start;
        for i in memchr::memchr_iter(self.delimiter, &bytes[start..end]) {
            self.spans.push((from, start + i));
            from = start + i + 1;
        }
        self.spans.push((from, end));
        self.at = end;
        Some(Ok((
            line,
            start,
            Record {
                text: self.text,
                spans: &self.spans,
            },
        )))
    }

    /// A record with quotes, read by csv_core.
    fn read_quoted(
        &mut self,
        start: usize,
        line: u64,
    ) -> Result<(u64, usize, Record<'_>), ImportError> {
        let bytes = self.text.as_bytes();
        let (mut nout, mut nend) = (0, 0);
        loop {
            let input = &bytes[self.at..];
            let (result, nin, o, e) =
                self.quoted
                    .read_record(input, &mut self.out[nout..], &mut self.ends[nend..]);
            self.breaks += memchr::memchr_iter(b'\n', &input[..nin]).count() as u64;
            self.at += nin;
            nout += o;
            nend += e;
            match result {
                csv_core::ReadRecordResult::Record | csv_core::ReadRecordResult::End => break,
                csv_core::ReadRecordResult::OutputFull => {
                    self.out.resize(self.out.len() * 2, 0);
                }
                csv_core::ReadRecordResult::OutputEndsFull => {
                    self.ends.resize(self.ends.len() * 2, 0);
                }
                // at the end of the text csv_core is asked once more, with no input, for
                // the last field
                csv_core::ReadRecordResult::InputEmpty => {}
            }
        }
        let text = std::str::from_utf8(&self.out[..nout]).map_err(|e| ImportError::Csv {
            line,
            message: e.to_string(),
        })?;
        self.spans.clear();
        let mut from = 0;
        for &to in &self.ends[..nend] {
            self.spans.push((from, to));
            from = to;
        }
        Ok((
            line,
            start,
            Record {
                text,
                spans: &self.spans,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The records as the `csv` crate reads them (as `Table` does) when `text` is a part of
    /// a file after its start: fields and start lines.
    fn by_csv_crate(text: &str, delimiter: u8) -> Vec<(u64, Vec<String>)> {
        // after a line break, as a part after the start of a file (the crate drops a byte
        // order mark at the very start only)
        let text = &format!("\n{text}");
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut out = Vec::new();
        let mut record = csv::StringRecord::new();
        while reader.read_record(&mut record).unwrap() {
            let mut start = record.position().unwrap().byte() as usize;
            while matches!(text.as_bytes().get(start), Some(b'\r' | b'\n')) {
                start += 1;
            }
            let line = text.as_bytes()[..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            out.push((line, record.iter().map(str::to_owned).collect()));
        }
        out
    }

    fn by_records(text: &str, delimiter: u8) -> Vec<(u64, Vec<String>)> {
        let mut records = Records::new(text, delimiter, 0);
        let mut out = Vec::new();
        while let Some(r) = records.next_record() {
            let (line, start, record) = r.unwrap();
            assert!(start < text.len());
            let fields = (0..record.len())
                .map(|i| match record.cell(i) {
                    Cell::Text(s) => s.to_owned(),
                    other => panic!("{other:?}"),
                })
                .collect();
            out.push((line, fields));
        }
        out
    }

    #[test]
    fn unquoted_and_quoted_records_read_as_the_csv_crate_reads_them() {
        let text = "a,b,c\r\n\r\n1,\"x,\"\"y\"\"\nz\",3\n\n,,\n4,5,6\n\"\",\"\"\"\",7";
        assert_eq!(by_records(text, b','), by_csv_crate(text, b','));
        assert_eq!(
            by_records(text, b',')[1],
            (3, vec!["1".into(), "x,\"y\"\nz".into(), "3".into()])
        );
        assert_eq!(by_records(text, b',').last().unwrap().0, 8);
    }

    #[test]
    fn a_byte_order_mark_at_a_record_start_is_kept_as_the_csv_crate_keeps_it_mid_file() {
        for text in ["\u{feff}\"b\",c\n", "\u{feff}b,c\n"] {
            assert_eq!(by_records(text, b','), by_csv_crate(text, b','));
            assert_eq!(
                by_records(text, b',')[0].1[0].chars().next(),
                Some('\u{feff}')
            );
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn any_text_reads_as_the_csv_crate_reads_it(
            parts in proptest::collection::vec(
                prop_oneof![
                    proptest::sample::select(vec![
                        ",", ";", "\t", "\"", "\"\"", "\n", "\r\n", "\r", " ", "Ö", "\u{feff}",
                    ])
                    .prop_map(str::to_owned),
                    "[a-z0-9]{1,5}",
                ],
                0..40,
            ),
            delimiter in prop_oneof![Just(b','), Just(b';'), Just(b'\t')],
        ) {
            let text = parts.concat();
            prop_assert_eq!(by_records(&text, delimiter), by_csv_crate(&text, delimiter));
        }
    }
}
