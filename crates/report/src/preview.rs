//! A page of a finished PDF as a PNG, for the preview on the Reports screen: the real file
//! drawn by a PDF renderer written in Rust (hayro), so what the user sees is what the PDF
//! holds, without any program outside the app.

use hayro::hayro_interpret::InterpreterSettings;
use hayro::hayro_syntax::Pdf;
use hayro::vello_cpu::color::palette::css::WHITE;
use hayro::{PixmapSettings, RenderCache, RenderSettings, render};

use crate::ReportError;

/// Largest side of a preview in pixels.
const MAX_SIDE: f32 = 4096.0;

fn open(pdf: &[u8]) -> Result<Pdf, ReportError> {
    Pdf::new(pdf.to_vec()).map_err(|e| ReportError::Preview(format!("{e:?}")))
}

/// How many pages the PDF has.
///
/// # Errors
/// [`ReportError::Preview`] when the bytes are not a PDF that can be read.
pub fn page_count(pdf: &[u8]) -> Result<usize, ReportError> {
    Ok(open(pdf)?.pages().len())
}

/// Page `index` (0 = the first) of the PDF as a PNG at `scale` pixels per point (1.0 = 72
/// pixels per inch), on white.
///
/// # Errors
/// [`ReportError::Preview`] when the bytes are not a PDF that can be read, the page does not
/// exist, or the scale is not a positive number that keeps the image below 4096 pixels a
/// side.
pub fn render_page_png(pdf: &[u8], index: usize, scale: f32) -> Result<Vec<u8>, ReportError> {
    let pdf = open(pdf)?;
    let pages = pdf.pages();
    let page = pages.get(index).ok_or_else(|| {
        ReportError::Preview(format!(
            "there is no page {} (the PDF has {})",
            index + 1,
            pages.len()
        ))
    })?;
    let (width, height) = page.render_dimensions();
    if !(scale.is_finite()
        && scale > 0.0
        && width * scale >= 1.0
        && height * scale >= 1.0
        && width * scale <= MAX_SIDE
        && height * scale <= MAX_SIDE)
    {
        return Err(ReportError::Preview(format!(
            "a page of {width} × {height} points cannot be shown at scale {scale}"
        )));
    }
    let cache = RenderCache::new();
    let pixmap = render(
        page,
        &cache,
        &InterpreterSettings::default(),
        &RenderSettings::default(),
        &PixmapSettings {
            x_scale: scale,
            y_scale: scale,
            bg_color: WHITE,
        },
    );
    pixmap
        .into_png()
        .map_err(|e| ReportError::Preview(format!("{e:?}")))
}
