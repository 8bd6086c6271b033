//! How large an OpenDocument sheet is, read from its XML before calamine lays it out.
//!
//! An ODS file says "this cell 1,000,000 times" in a few bytes (`number-columns-repeated`,
//! `number-rows-repeated`), and calamine expands that to up to 100 million cells. The filled
//! cells' extent, repeats counted, is measured here first, so that a sheet spanning more than
//! the import can hold is refused with its size. Empty cells (written without content, as
//! LibreOffice writes the rest of every row) do not count, as calamine leaves them out too.

use std::io::{BufReader, Cursor};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The first sheet whose filled cells, from the first to the last, span more than
/// `max_cells`: its name, rows and columns (as far as counting got). `None` when every sheet
/// fits, and for a file that is not a readable ODS (calamine reports those in its words).
///
/// calamine lays out every sheet of an ODS file as it opens it, so all are measured.
pub(crate) fn oversized_sheet(bytes: &[u8], max_cells: u64) -> Option<(String, u64, u64)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let content = zip.by_name("content.xml").ok()?;
    let mut xml = Reader::from_reader(BufReader::new(content));
    let mut buf = Vec::new();
    let mut sheet: Option<Extent> = None;
    loop {
        let event = xml.read_event_into(&mut buf).ok()?;
        let (e, has_content) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(e) => {
                match (e.name().as_ref(), &mut sheet) {
                    ("table:table", _) => sheet = None,
                    ("table:table-row", Some(s)) => {
                        if let Some((rows, columns)) = s.end_row(max_cells) {
                            return Some((s.name.clone(), rows, columns));
                        }
                    }
                    _ => {}
                }
                buf.clear();
                continue;
            }
            Event::Eof => return None,
            _ => {
                buf.clear();
                continue;
            }
        };
        match (e.name().as_ref(), &mut sheet) {
            ("table:table", _) => {
                sheet = Some(Extent::new(attribute(e, "table:name").unwrap_or_default()));
            }
            ("table:table-row", Some(s)) => {
                s.start_row(repeats(e, "table:number-rows-repeated"));
                if !has_content && let Some((rows, columns)) = s.end_row(max_cells) {
                    return Some((s.name.clone(), rows, columns));
                }
            }
            ("table:table-cell" | "table:covered-table-cell", Some(s)) => {
                let filled = has_content || attribute(e, "office:value-type").is_some();
                s.cell(repeats(e, "table:number-columns-repeated"), filled);
            }
            _ => {}
        }
        buf.clear();
    }
}

/// Where the filled cells of a sheet lie, row by row.
struct Extent {
    name: String,
    row: u64,
    column: u64,
    row_repeats: u64,
    row_filled: bool,
    top: u64,
    bottom: u64,
    left: u64,
    right: u64,
}

impl Extent {
    fn new(name: String) -> Self {
        Self {
            name,
            row: 0,
            column: 0,
            row_repeats: 1,
            row_filled: false,
            top: u64::MAX,
            bottom: 0,
            left: u64::MAX,
            right: 0,
        }
    }

    fn start_row(&mut self, repeats: u64) {
        (self.row_repeats, self.column, self.row_filled) = (repeats, 0, false);
    }

    fn cell(&mut self, repeats: u64, filled: bool) {
        if filled {
            self.row_filled = true;
            self.left = self.left.min(self.column);
            self.right = self.right.max(self.column.saturating_add(repeats - 1));
        }
        self.column = self.column.saturating_add(repeats);
    }

    /// Ends a row; its rows and columns when the sheet now spans more than `max_cells`.
    fn end_row(&mut self, max_cells: u64) -> Option<(u64, u64)> {
        if self.row_filled {
            self.top = self.top.min(self.row);
            self.bottom = self
                .bottom
                .max(self.row.saturating_add(self.row_repeats - 1));
        }
        self.row = self.row.saturating_add(self.row_repeats);
        let rows = self.bottom.checked_sub(self.top)? + 1;
        let columns = self.right.checked_sub(self.left)? + 1;
        (rows.saturating_mul(columns) > max_cells).then_some((rows, columns))
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name)
        .ok()
        .flatten()
        .map(|a| a.value.into_owned())
}

/// A repeat count: 1 when absent or unreadable, as calamine reads it.
fn repeats(e: &BytesStart<'_>, name: &str) -> u64 {
    attribute(e, name)
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(1)
        .max(1)
}
