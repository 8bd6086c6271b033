//! Opening a file as a table: the header and then the rows, each with the line it starts
//! on. CSV is streamed from the (decoded) text without copying it per record; a sheet is
//! read by calamine into memory and walked row by row.

use std::borrow::Cow;
use std::io::Cursor;

use calamine::{Data, Reader};

use crate::decode::{TextEncoding, decode};
use crate::error::ImportError;
use crate::report::FileFormat;
use crate::validate::{Cell, RowCells};

/// How much text the delimiter is guessed from.
const SNIFF_BYTES: usize = 64 * 1024;
/// How many records the delimiter is guessed from.
const SNIFF_RECORDS: usize = 50;

/// The text of a CSV file, readable as bytes.
#[derive(Debug)]
pub(crate) struct TextBytes<'a>(Cow<'a, str>);

impl AsRef<[u8]> for TextBytes<'_> {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

enum Rows<'a> {
    Csv {
        reader: Box<csv::Reader<Cursor<TextBytes<'a>>>>,
        record: csv::StringRecord,
        total: u64,
        lines: LineCounter,
    },
    Sheet {
        range: calamine::Range<Data>,
        next: usize,
        first_row: u64,
    },
}

/// One raw row, borrowed from the table.
pub(crate) enum RawRow<'r> {
    Csv(&'r csv::StringRecord),
    Sheet(&'r [Data]),
}

impl RowCells for RawRow<'_> {
    fn len(&self) -> usize {
        match self {
            RawRow::Csv(r) => r.len(),
            RawRow::Sheet(r) => r.len(),
        }
    }
    fn cell(&self, index: usize) -> Cell<'_> {
        match self {
            RawRow::Csv(r) => RowCells::cell(*r, index),
            RawRow::Sheet(r) => RowCells::cell(*r, index),
        }
    }
}

/// An opened file: its header and a cursor over its rows.
pub(crate) struct Table<'a> {
    rows: Rows<'a>,
    pub format: FileFormat,
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<u8>,
    pub sheet: Option<String>,
    pub headers: Vec<String>,
}

/// Whether the bytes are a spreadsheet (zip container or OLE compound file).
pub(crate) fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
}

impl<'a> Table<'a> {
    pub fn open(
        bytes: &'a [u8],
        encoding: Option<TextEncoding>,
        delimiter: Option<char>,
        sheet: Option<&str>,
    ) -> Result<Self, ImportError> {
        if bytes.is_empty() {
            return Err(ImportError::Empty);
        }
        if is_spreadsheet(bytes) {
            Self::open_sheet(bytes, sheet)
        } else {
            Self::open_csv(bytes, encoding, delimiter)
        }
    }

    fn open_csv(
        bytes: &'a [u8],
        encoding: Option<TextEncoding>,
        delimiter: Option<char>,
    ) -> Result<Self, ImportError> {
        let (text, encoding) = decode(bytes, encoding);
        Self::open_text(text, encoding, delimiter)
    }

    /// A CSV file already decoded: the delimiter detected unless given, the header read.
    pub fn open_text(
        text: Cow<'a, str>,
        encoding: TextEncoding,
        delimiter: Option<char>,
    ) -> Result<Self, ImportError> {
        if text.trim().is_empty() {
            return Err(ImportError::Empty);
        }
        let delimiter = match delimiter.and_then(|c| u8::try_from(c).ok()) {
            Some(d) => d,
            None => sniff_delimiter(&text),
        };
        let total = text.len() as u64;
        let reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(Cursor::new(TextBytes(text)));
        let mut table = Table {
            rows: Rows::Csv {
                reader: Box::new(reader),
                record: csv::StringRecord::new(),
                total,
                lines: LineCounter::default(),
            },
            format: FileFormat::Csv,
            encoding: Some(encoding),
            delimiter: Some(delimiter),
            sheet: None,
            headers: Vec::new(),
        };
        table.read_header()?;
        Ok(table)
    }

    fn open_sheet(bytes: &'a [u8], wanted: Option<&str>) -> Result<Self, ImportError> {
        // calamine lays out every sheet of an ODS file as it opens it: they are measured first
        if let Some((sheet, rows, columns)) = crate::ods::oversized_sheet(bytes, MAX_SHEET_CELLS) {
            return Err(ImportError::SheetTooLarge {
                sheet,
                rows,
                columns,
            });
        }
        let mut workbook = calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map_err(|e| ImportError::Workbook(e.to_string()))?;
        let names = workbook.sheet_names();
        let name = match wanted {
            Some(w) => names
                .iter()
                .find(|n| n.trim().eq_ignore_ascii_case(w.trim()))
                .cloned()
                .ok_or_else(|| ImportError::NoSuchSheet(w.to_owned()))?,
            None => names.first().cloned().ok_or(ImportError::NoSheets)?,
        };
        let failed = |e: &dyn std::fmt::Display| ImportError::Workbook(e.to_string());
        // XLSX and XLSB sheets are read cell by cell, so that a sheet claiming a huge area
        // is refused before it is laid out in memory (XLS is bounded by its format at
        // 65,536 × 256)
        let range = match &mut workbook {
            calamine::Sheets::Xlsx(x) => {
                let mut cells = x.worksheet_cells_reader(&name).map_err(|e| failed(&e))?;
                bounded_range(&name, || cells.next_cell().map_err(|e| failed(&e)))?
            }
            calamine::Sheets::Xlsb(x) => {
                let mut cells = x.worksheet_cells_reader(&name).map_err(|e| failed(&e))?;
                bounded_range(&name, || cells.next_cell().map_err(|e| failed(&e)))?
            }
            other => other.worksheet_range(&name).map_err(|e| failed(&e))?,
        };
        let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
        let mut table = Table {
            rows: Rows::Sheet {
                range,
                next: 0,
                first_row,
            },
            format: FileFormat::Spreadsheet,
            encoding: None,
            delimiter: None,
            sheet: Some(name),
            headers: Vec::new(),
        };
        table.read_header()?;
        Ok(table)
    }

    /// Reads the first non-blank row as the header.
    fn read_header(&mut self) -> Result<(), ImportError> {
        loop {
            let headers = match self.next_row() {
                None => return Err(ImportError::NoHeader),
                Some(Err(e)) => return Err(e),
                Some(Ok((_, row))) => {
                    if (0..row.len()).all(|i| row.cell(i).is_blank()) {
                        continue;
                    }
                    let mut headers: Vec<String> = (0..row.len())
                        .map(|i| row.cell(i).display().trim().to_owned())
                        .collect();
                    // trailing delimiters make empty header cells at the end
                    while headers.last().is_some_and(String::is_empty) {
                        headers.pop();
                    }
                    headers
                }
            };
            self.headers = headers;
            return Ok(());
        }
    }

    /// The next row and the line it starts on.
    pub fn next_row(&mut self) -> Option<Result<(u64, RawRow<'_>), ImportError>> {
        match &mut self.rows {
            Rows::Csv {
                reader,
                record,
                lines,
                ..
            } => match reader.read_record(record) {
                Ok(true) => {
                    let text = reader.get_ref().get_ref().as_ref();
                    // a record's position lies before the empty lines skipped ahead of it
                    let mut start = record.position().map_or(0, csv::Position::byte);
                    while let Some(b'\r' | b'\n') =
                        usize::try_from(start).ok().and_then(|i| text.get(i))
                    {
                        start += 1;
                    }
                    let line = lines.line_at(text, start);
                    Some(Ok((line, RawRow::Csv(record))))
                }
                Ok(false) => None,
                Err(e) => {
                    let text = reader.get_ref().get_ref().as_ref();
                    let line = e.position().map_or(0, |p| lines.line_at(text, p.byte()));
                    Some(Err(ImportError::Csv {
                        line,
                        message: e.to_string(),
                    }))
                }
            },
            Rows::Sheet {
                range,
                next,
                first_row,
            } => {
                let index = *next;
                let row = range.rows().nth(index)?;
                *next += 1;
                Some(Ok((*first_row + index as u64 + 1, RawRow::Sheet(row))))
            }
        }
    }

    /// The text of columns `columns` in up to `limit` rows from the current position, which
    /// is restored afterwards.
    pub fn sample(&mut self, columns: &[usize], limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        match &mut self.rows {
            Rows::Csv { reader, record, .. } => {
                // the line counter is not advanced: it counts from wherever it stands
                let start = reader.position().clone();
                let mut n = 0;
                while n < limit && matches!(reader.read_record(record), Ok(true)) {
                    push_texts(&*record, columns, &mut out);
                    n += 1;
                }
                // seeking a cursor over text in memory cannot fail
                if reader.seek(start).is_err() {
                    return Vec::new();
                }
            }
            Rows::Sheet { range, next, .. } => {
                for row in range.rows().skip(*next).take(limit) {
                    push_texts(row, columns, &mut out);
                }
            }
        }
        out
    }

    /// Where reading a CSV file stands (bytes of text).
    pub fn csv_position(&self) -> Option<u64> {
        match &self.rows {
            Rows::Csv { reader, .. } => Some(reader.position().byte()),
            Rows::Sheet { .. } => None,
        }
    }

    /// (done, total) in bytes for CSV and in rows for sheets.
    pub fn progress(&self) -> (u64, u64) {
        match &self.rows {
            Rows::Csv { reader, total, .. } => (reader.position().byte(), *total),
            Rows::Sheet { range, next, .. } => (*next as u64, range.height() as u64),
        }
    }
}

/// Physical line numbers of byte offsets, counted incrementally: the csv crate's own line
/// count skips empty lines and counts CRLF files one short.
#[derive(Debug, Default)]
struct LineCounter {
    byte: u64,
    line: u64,
}

impl LineCounter {
    /// The 1-based line on which byte `offset` of `text` lies; offsets must not decrease.
    fn line_at(&mut self, text: &[u8], offset: u64) -> u64 {
        if offset < self.byte {
            // a seek went backwards: count again from the start
            *self = LineCounter::default();
        }
        let from = usize::try_from(self.byte)
            .unwrap_or(usize::MAX)
            .min(text.len());
        let to = usize::try_from(offset)
            .unwrap_or(usize::MAX)
            .min(text.len());
        let chunk = &text[from..to];
        let mut breaks = memchr::memchr_iter(b'\n', chunk).count();
        if breaks == 0 {
            // files with lone CR line ends (old Mac)
            breaks = memchr::memchr_iter(b'\r', chunk).count();
        }
        self.line += breaks as u64;
        self.byte = offset;
        self.line + 1
    }
}

fn push_texts<R: RowCells + ?Sized>(row: &R, columns: &[usize], out: &mut Vec<String>) {
    for &c in columns {
        if let Cell::Text(s) = row.cell(c)
            && !s.trim().is_empty()
        {
            out.push(s.trim().to_owned());
        }
    }
}

/// The delimiter among `,`, `;` and tab that splits the first records most consistently
/// into the most fields (quotes respected).
fn sniff_delimiter(text: &str) -> u8 {
    let mut end = text.len().min(SNIFF_BYTES);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let mut sample = &text[..end];
    if end < text.len()
        && let Some(nl) = sample.rfind('\n')
    {
        sample = &sample[..nl];
    }
    let mut best = (b',', (0_usize, 0_usize));
    for delimiter in [b',', b';', b'\t'] {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(sample.as_bytes());
        let counts: Vec<usize> = reader
            .records()
            .map_while(Result::ok)
            .filter(|r| r.iter().any(|f| !f.trim().is_empty()))
            .take(SNIFF_RECORDS)
            .map(|r| r.len())
            .collect();
        let header = counts.first().copied().unwrap_or(0);
        if header < 2 {
            continue;
        }
        let consistent = counts.iter().filter(|&&c| c == header).count();
        let score = (consistent, header);
        if score > best.1 {
            best = (delimiter, score);
        }
    }
    best.0
}

/// The most cells (rows × columns, from the first filled cell to the last) a sheet may span:
/// a million leads with 20 columns fit; a sheet spanning more would not fit in memory.
const MAX_SHEET_CELLS: u64 = 20_000_000;

/// The filled cells `next` yields, as a range; refused as soon as they span more than
/// [`MAX_SHEET_CELLS`].
fn bounded_range<'d>(
    sheet: &str,
    mut next: impl FnMut() -> Result<Option<calamine::Cell<calamine::DataRef<'d>>>, ImportError>,
) -> Result<calamine::Range<Data>, ImportError> {
    let mut cells = Vec::new();
    let (mut top, mut bottom, mut left, mut right) = (u32::MAX, 0, u32::MAX, 0);
    while let Some(cell) = next()? {
        if matches!(cell.get_value(), calamine::DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        (top, bottom) = (top.min(row), bottom.max(row));
        (left, right) = (left.min(column), right.max(column));
        let (rows, columns) = (u64::from(bottom - top) + 1, u64::from(right - left) + 1);
        if rows * columns > MAX_SHEET_CELLS {
            return Err(ImportError::SheetTooLarge {
                sheet: sheet.to_owned(),
                rows,
                columns,
            });
        }
        cells.push(calamine::Cell::new(
            (row, column),
            Data::from(cell.get_value().clone()),
        ));
    }
    Ok(calamine::Range::from_sparse(cells))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delimiter_is_the_one_that_splits_rows_consistently() {
        assert_eq!(sniff_delimiter("a;b;c\n1,5;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a,b,c\n\"x;y\",2,3\n"), b',');
        assert_eq!(sniff_delimiter("a\tb\tc\n1,2\t2\t3\n"), b'\t');
        assert_eq!(sniff_delimiter("single\nvalue\n"), b',');
    }
}
