//! What layout places on a page, to be drawn once the page numbers are known.

use super::style::Rgb;
use crate::text::{Face, Run};

pub(super) enum Op {
    Text {
        x: f32,
        baseline: f32,
        size: f32,
        bold: bool,
        colour: Rgb,
        run: Run,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        colour: Rgb,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        colour: Rgb,
        dotted: bool,
    },
    Chart {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        index: usize,
    },
}

/// How a line of text is set.
#[derive(Clone, Copy)]
pub(super) struct Pen<'f> {
    pub(super) face: &'f Face,
    pub(super) bold: bool,
    pub(super) size: f32,
    pub(super) colour: Rgb,
}

impl<'f> Pen<'f> {
    pub(super) fn new(face: &'f Face, bold: bool, size: f32, colour: Rgb) -> Self {
        Pen {
            face,
            bold,
            size,
            colour,
        }
    }
}

/// Ops of one page.
#[derive(Default)]
pub(super) struct Canvas {
    pub(super) ops: Vec<Op>,
}

impl Canvas {
    /// Draws one line of cleaned text; returns its width.
    pub(super) fn text(&mut self, pen: Pen<'_>, pos: (f32, f32), text: &str) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        let run = pen.face.shape(text);
        let width = run.width * pen.size;
        self.ops.push(Op::Text {
            x: pos.0,
            baseline: pos.1,
            size: pen.size,
            bold: pen.bold,
            colour: pen.colour,
            run,
        });
        width
    }

    /// Draws one line of cleaned text ending at `right`.
    pub(super) fn text_right(&mut self, pen: Pen<'_>, (right, baseline): (f32, f32), text: &str) {
        if text.is_empty() {
            return;
        }
        let run = pen.face.shape(text);
        self.ops.push(Op::Text {
            x: right - run.width * pen.size,
            baseline,
            size: pen.size,
            bold: pen.bold,
            colour: pen.colour,
            run,
        });
    }

    pub(super) fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Rgb) {
        self.ops.push(Op::Rect { x, y, w, h, colour });
    }

    pub(super) fn line(&mut self, from: (f32, f32), to: (f32, f32), width: f32, colour: Rgb) {
        self.ops.push(Op::Line {
            from,
            to,
            width,
            colour,
            dotted: false,
        });
    }
}
