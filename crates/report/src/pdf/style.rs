//! Colours, sizes and the page geometry of the PDF.

use crate::document::{Document, Status};

#[derive(Debug, Clone, Copy)]
pub(super) struct Rgb(pub(super) u8, pub(super) u8, pub(super) u8);

pub(super) const INK: Rgb = Rgb(0x21, 0x25, 0x29);
pub(super) const MUTED: Rgb = Rgb(0x5f, 0x6b, 0x76);
pub(super) const ACCENT: Rgb = Rgb(0x1f, 0x4e, 0x79);
pub(super) const RULE: Rgb = Rgb(0xce, 0xd4, 0xda);
pub(super) const HEADER_FILL: Rgb = Rgb(0xe8, 0xee, 0xf5);
pub(super) const ZEBRA: Rgb = Rgb(0xf6, 0xf8, 0xfa);

pub(super) fn status_colours(status: Status) -> (Rgb, Rgb) {
    // (fill, text) — the same tints as the Excel sheets
    match status {
        Status::Ok => (Rgb(0xe3, 0xf4, 0xe8), Rgb(0x1b, 0x6e, 0x35)),
        Status::Warn => (Rgb(0xff, 0xf3, 0xdc), Rgb(0x86, 0x53, 0x00)),
        Status::Bad => (Rgb(0xfd, 0xe4, 0xe6), Rgb(0xa3, 0x1f, 0x24)),
    }
}

pub(super) const MARGIN_X: f32 = 56.0;
pub(super) const MARGIN_TOP: f32 = 56.0;
pub(super) const MARGIN_BOTTOM: f32 = 68.0;

pub(super) const BODY_SIZE: f32 = 10.0;
pub(super) const BODY_LEADING: f32 = 14.0;
pub(super) const SECTION_SIZE: f32 = 18.0;
pub(super) const SECTION_LEADING: f32 = 23.0;
pub(super) const CAPTION_SIZE: f32 = 8.5;
pub(super) const CAPTION_LEADING: f32 = 11.5;
pub(super) const FOOTER_SIZE: f32 = 8.0;

pub(super) const TOC_TITLE_BLOCK: f32 = SECTION_LEADING + 22.0;
pub(super) const TOC_LEADING: f32 = 17.0;

/// Table font sizes tried in turn until the figures fit the page width.
pub(super) const TABLE_SIZES: [f32; 4] = [9.0, 8.0, 7.0, 6.0];
pub(super) const CELL_PAD_X: f32 = 4.0;
pub(super) const CELL_PAD_Y: f32 = 3.0;
/// A text column is never squeezed narrower than this, nor kept wider than needed.
pub(super) const TEXT_COLUMN_MIN: f32 = 36.0;
pub(super) const TEXT_COLUMN_WORD_MAX: f32 = 110.0;

#[derive(Debug, Clone, Copy)]
pub(super) struct Geometry {
    pub(super) width: f32,
    pub(super) height: f32,
    pub(super) left: f32,
    pub(super) right: f32,
    pub(super) top: f32,
    pub(super) bottom: f32,
}

impl Geometry {
    pub(super) fn new(doc: &Document) -> Self {
        let (width, height) = doc.page_size.points();
        Geometry {
            width,
            height,
            left: MARGIN_X,
            right: width - MARGIN_X,
            top: MARGIN_TOP,
            bottom: height - MARGIN_BOTTOM,
        }
    }

    pub(super) fn content_width(&self) -> f32 {
        self.right - self.left
    }

    pub(super) fn content_height(&self) -> f32 {
        self.bottom - self.top
    }
}

/// The baseline of a line of `size` text set in a line box of `leading` starting at `top`:
/// capitals sit centred in the box.
pub(super) fn baseline(top: f32, leading: f32, size: f32) -> f32 {
    top + leading * 0.5 + size * 0.36
}
