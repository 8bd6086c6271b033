//! Tables: column widths fitted to the page, cells wrapped, rows broken across pages with
//! the header repeated.

use leadplan_core::i18n;

use super::canvas::Pen;
use super::layout::{Layout, cap_lines};
use super::style::{
    ACCENT, CELL_PAD_X, CELL_PAD_Y, HEADER_FILL, INK, MUTED, RULE, TABLE_SIZES, TEXT_COLUMN_MIN,
    TEXT_COLUMN_WORD_MAX, ZEBRA, baseline, status_colours,
};
use crate::document::{Cell, ColumnKind, Status, Table, display_value};
use crate::text::Face;

/// A table's text, cleaned and measured, before it is fitted to the page.
pub(super) struct TableText {
    pub(super) header: Vec<String>,
    /// Rows, then the totals row; each cell with its status.
    pub(super) rows: Vec<Vec<(String, Option<Status>)>>,
    pub(super) has_totals: bool,
    pub(super) kinds: Vec<ColumnKind>,
}

/// Shares `avail` among columns wanting `wants`: columns wanting less than an equal share get
/// what they want, the others split the rest equally.
pub(super) fn share_width(wants: &[f32], avail: f32) -> Vec<f32> {
    let mut order: Vec<usize> = (0..wants.len()).collect();
    order.sort_by(|&a, &b| wants[a].total_cmp(&wants[b]));
    let mut widths = vec![0.0; wants.len()];
    let mut left = avail;
    for (done, &c) in order.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)] // column counts
        let equal = left / (wants.len() - done) as f32;
        widths[c] = wants[c].min(equal);
        left -= widths[c];
    }
    widths
}

pub(super) struct TableFit {
    pub(super) size: f32,
    pub(super) widths: Vec<f32>,
}

impl Layout<'_> {
    pub(super) fn table_text(&self, table: &Table) -> TableText {
        let regular = &self.fonts.regular;
        let bold = &self.fonts.bold;
        let header = table
            .columns
            .iter()
            .map(|c| bold.clean(&c.header, true))
            .collect();
        let kinds: Vec<ColumnKind> = table.columns.iter().map(|c| c.kind).collect();
        let empty = Cell::empty();
        let mut rows = Vec::with_capacity(table.rows.len() + 1);
        let body = table.rows.iter().map(|r| (r, false));
        let totals = table.totals.iter().map(|r| (r, true));
        for (cells, is_totals) in body.chain(totals) {
            let face = if is_totals { bold } else { regular };
            let row = kinds
                .iter()
                .enumerate()
                .map(|(i, kind)| {
                    let cell = cells.get(i).unwrap_or(&empty);
                    let shown =
                        display_value(&cell.value, cell.kind_in(*kind), self.locale, self.currency);
                    (face.clean(&shown, true), cell.status)
                })
                .collect();
            rows.push(row);
        }
        TableText {
            header,
            rows,
            has_totals: table.totals.is_some(),
            kinds,
        }
    }

    /// Picks the largest font size at which the figures fit the width, and the column widths.
    pub(super) fn fit_columns(&self, text: &TableText) -> TableFit {
        let regular = &self.fonts.regular;
        let bold = &self.fonts.bold;
        let avail = self.geo.content_width();
        let columns = text.kinds.len();
        let last = text.rows.len().saturating_sub(1);
        // widths at size 1, measured once: (widest cell line, widest word in cells,
        // widest header line, widest header word)
        let mut unit = vec![(0.0f32, 0.0f32, 0.0f32, 0.0f32); columns];
        for (r, row) in text.rows.iter().enumerate() {
            let face = if text.has_totals && r == last {
                bold
            } else {
                regular
            };
            for (c, (shown, _)) in row.iter().enumerate() {
                for line in shown.split('\n') {
                    let w = face.width(line, 1.0);
                    unit[c].0 = unit[c].0.max(w);
                    if text.kinds[c].is_numeric() || !line.contains(' ') {
                        unit[c].1 = unit[c].1.max(w);
                    } else {
                        for word in line.split_whitespace() {
                            unit[c].1 = unit[c].1.max(face.width(word, 1.0));
                        }
                    }
                }
            }
        }
        for (c, header) in text.header.iter().enumerate() {
            for line in header.split('\n') {
                unit[c].2 = unit[c].2.max(bold.width(line, 1.0));
                for word in line.split_whitespace() {
                    unit[c].3 = unit[c].3.max(bold.width(word, 1.0));
                }
            }
        }
        let pad = 2.0 * CELL_PAD_X;
        let measure = |size: f32| -> (Vec<f32>, Vec<f32>) {
            let mut natural = Vec::with_capacity(columns);
            let mut min = Vec::with_capacity(columns);
            for (c, &(cells, cell_word, head, head_word)) in unit.iter().enumerate() {
                let nat = cells.max(head) * size + pad;
                let m = if text.kinds[c].is_numeric() {
                    cells.max(head_word) * size + pad
                } else {
                    (cell_word.max(head_word) * size).min(TEXT_COLUMN_WORD_MAX) + pad
                };
                let m = m.max(TEXT_COLUMN_MIN.min(nat)).min(nat);
                natural.push(nat);
                min.push(m);
            }
            (natural, min)
        };
        let mut chosen = None;
        for size in TABLE_SIZES {
            let (natural, min) = measure(size);
            if min.iter().sum::<f32>() <= avail {
                chosen = Some((size, natural, min));
                break;
            }
        }
        let Some((size, natural, min)) = chosen else {
            // Too many figures for the page at any size: squeeze every column in proportion;
            // figures then wrap inside their cells.
            let size = TABLE_SIZES[TABLE_SIZES.len() - 1];
            let (_, min) = measure(size);
            return TableFit {
                size,
                widths: share_width(&min, avail),
            };
        };
        let mut widths = min.clone();
        let mut extra = avail - min.iter().sum::<f32>();
        let need: Vec<f32> = natural
            .iter()
            .zip(&min)
            .map(|(n, m)| (n - m).max(0.0))
            .collect();
        let total_need: f32 = need.iter().sum();
        if total_need > 0.0 {
            let give = extra.min(total_need);
            for (w, n) in widths.iter_mut().zip(&need) {
                *w += n * give / total_need;
            }
            extra -= give;
        }
        // a table that nearly fills the width is stretched to it; a small one stays compact
        if extra > 0.0 && natural.iter().sum::<f32>() > avail * 0.55 {
            let text_columns = text.kinds.iter().filter(|k| !k.is_numeric()).count();
            #[allow(clippy::cast_precision_loss)] // column counts
            let share = if text_columns > 0 {
                extra / text_columns as f32
            } else {
                extra / columns as f32
            };
            for (w, kind) in widths.iter_mut().zip(&text.kinds) {
                if text_columns == 0 || !kind.is_numeric() {
                    *w += share;
                }
            }
        }
        TableFit { size, widths }
    }

    pub(super) fn table(&mut self, table: &Table) {
        let title = self.fonts.regular.clean(&table.title, false);
        let title = title.trim().to_owned();
        let title_height = if title.is_empty() { 0.0 } else { 18.0 };
        self.space(4.0);
        if table.columns.is_empty() {
            self.table_title(&title, false);
            let empty = i18n::text(self.locale, "report.table.empty");
            self.paragraph(&empty);
            return;
        }
        let text = self.table_text(table);
        let fit = self.fit_columns(&text);
        let size = fit.size;
        let leading = size * 1.3;
        let mut xs = Vec::with_capacity(fit.widths.len());
        let mut x = self.geo.left;
        for w in &fit.widths {
            xs.push(x);
            x += w;
        }
        let table_right = x;
        let wrap_cell = |face: &Face, shown: &str, width: f32, max_lines: usize| -> Vec<String> {
            let inner = width - 2.0 * CELL_PAD_X;
            let mut lines = if !shown.contains('\n') && face.width(shown, size) <= inner {
                vec![shown.to_owned()]
            } else {
                face.wrap(shown, size, inner)
            };
            cap_lines(face, &mut lines, max_lines, size, inner);
            lines
        };
        let bold = &self.fonts.bold;
        let regular = &self.fonts.regular;
        let header: Vec<Vec<String>> = text
            .header
            .iter()
            .zip(&fit.widths)
            .map(|(h, w)| wrap_cell(bold, h, *w, 4))
            .collect();
        let header_lines = header.iter().map(Vec::len).max().unwrap_or(1).max(1);
        #[allow(clippy::cast_precision_loss)] // at most 4 lines
        let header_height = header_lines as f32 * leading + 2.0 * CELL_PAD_Y;
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // positive, small
        let max_lines =
            ((self.geo.content_height() - title_height - header_height - 2.0 * CELL_PAD_Y)
                / leading)
                .floor()
                .max(1.0) as usize;
        let last = text.rows.len().saturating_sub(1);
        let rows: Vec<(Vec<Vec<String>>, f32)> = text
            .rows
            .iter()
            .enumerate()
            .map(|(r, row)| {
                let face = if text.has_totals && r == last {
                    bold
                } else {
                    regular
                };
                let cells: Vec<Vec<String>> = row
                    .iter()
                    .zip(&fit.widths)
                    .map(|((shown, _), w)| wrap_cell(face, shown, *w, max_lines))
                    .collect();
                let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
                #[allow(clippy::cast_precision_loss)] // bounded by max_lines
                let height = lines as f32 * leading + 2.0 * CELL_PAD_Y;
                (cells, height)
            })
            .collect();

        let first_row = rows.first().map_or(leading + 2.0 * CELL_PAD_Y, |r| r.1);
        self.ensure(title_height + header_height + first_row);
        let draw_header = |layout: &mut Layout<'_>| {
            let top = layout.y;
            layout.page.rect(
                layout.geo.left,
                top,
                table_right - layout.geo.left,
                header_height,
                HEADER_FILL,
            );
            for (c, lines) in header.iter().enumerate() {
                for (i, line) in lines.iter().enumerate() {
                    #[allow(clippy::cast_precision_loss)] // at most 4 lines
                    let base = baseline(top + CELL_PAD_Y + i as f32 * leading, leading, size);
                    if text.kinds[c].is_numeric() {
                        layout.page.text_right(
                            Pen::new(bold, true, size, INK),
                            (xs[c] + fit.widths[c] - CELL_PAD_X, base),
                            line,
                        );
                    } else {
                        layout.page.text(
                            Pen::new(bold, true, size, INK),
                            (xs[c] + CELL_PAD_X, base),
                            line,
                        );
                    }
                }
            }
            layout.y += header_height;
            layout.page.line(
                (layout.geo.left, layout.y),
                (table_right, layout.y),
                0.8,
                ACCENT,
            );
        };
        if !title.is_empty() {
            self.table_title(&title, false);
        }
        draw_header(self);
        if rows.is_empty() {
            let empty = i18n::text(self.locale, "report.table.empty");
            let base = baseline(self.y + CELL_PAD_Y, leading, size);
            self.page.text(
                Pen::new(regular, false, size, MUTED),
                (self.geo.left + CELL_PAD_X, base),
                &empty,
            );
            self.y += leading + 2.0 * CELL_PAD_Y;
        }
        for (r, (cells, height)) in rows.iter().enumerate() {
            let is_totals = text.has_totals && r == last;
            if self.y + height > self.geo.bottom {
                self.new_page();
                if !title.is_empty() {
                    self.table_title(&title, true);
                }
                draw_header(self);
            }
            let top = self.y;
            if r % 2 == 1 && !is_totals {
                self.page.rect(
                    self.geo.left,
                    top,
                    table_right - self.geo.left,
                    *height,
                    ZEBRA,
                );
            }
            if is_totals {
                self.page
                    .line((self.geo.left, top), (table_right, top), 0.9, ACCENT);
            }
            let face = if is_totals { bold } else { regular };
            for (c, lines) in cells.iter().enumerate() {
                let status = text.rows[r][c].1;
                let colour = match status {
                    Some(s) => {
                        let (fill, ink) = status_colours(s);
                        self.page.rect(
                            xs[c] + 1.0,
                            top + 1.0,
                            fit.widths[c] - 2.0,
                            height - 2.0,
                            fill,
                        );
                        ink
                    }
                    None => INK,
                };
                for (i, line) in lines.iter().enumerate() {
                    #[allow(clippy::cast_precision_loss)] // bounded by max_lines
                    let base = baseline(top + CELL_PAD_Y + i as f32 * leading, leading, size);
                    if text.kinds[c].is_numeric() {
                        self.page.text_right(
                            Pen::new(face, is_totals, size, colour),
                            (xs[c] + fit.widths[c] - CELL_PAD_X, base),
                            line,
                        );
                    } else {
                        self.page.text(
                            Pen::new(face, is_totals, size, colour),
                            (xs[c] + CELL_PAD_X, base),
                            line,
                        );
                    }
                }
            }
            self.y += height;
        }
        self.page
            .line((self.geo.left, self.y), (table_right, self.y), 0.5, RULE);
        self.y += 12.0;
    }

    pub(super) fn table_title(&mut self, title: &str, continued: bool) {
        if title.is_empty() {
            return;
        }
        let shown = if continued {
            i18n::text_with(self.locale, "report.table.continued", &[("title", title)])
        } else {
            title.to_owned()
        };
        let bold = &self.fonts.bold;
        let shown = bold.truncate(&bold.clean(&shown, false), 10.5, self.geo.content_width());
        let base = baseline(self.y, 18.0, 10.5);
        self.page.text(
            Pen::new(bold, true, 10.5, INK),
            (self.geo.left, base - 2.0),
            &shown,
        );
        self.y += 18.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_columns_keep_their_width_when_the_page_is_too_narrow() {
        // 3 columns in 300 pt: 20 and 50 fit an equal share (100), the huge one gets the rest
        let widths = share_width(&[5000.0, 20.0, 50.0], 300.0);
        assert_eq!(widths, [230.0, 20.0, 50.0]);
        // all too wide: equal shares
        assert_eq!(share_width(&[500.0, 400.0], 300.0), [150.0, 150.0]);
    }
}
