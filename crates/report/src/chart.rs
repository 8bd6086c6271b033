//! Chart SVGs: read with usvg against the bundled fonts only (so a chart's labels look the
//! same in the PDF, in the PNG and on every machine), and rasterised to PNG with resvg.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia;
use resvg::usvg::{self, fontdb};

use crate::ReportError;
use crate::text::{BOLD, REGULAR};

/// The family every generic and unknown font family of a chart resolves to.
const FAMILY: &str = "DejaVu Sans";

/// Largest PNG side in pixels; a bigger request is refused rather than allocating gigabytes.
pub const MAX_PNG_SIDE: u32 = 16_384;

fn font_database() -> Arc<fontdb::Database> {
    static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_source(fontdb::Source::Binary(Arc::new(REGULAR)));
            db.load_font_source(fontdb::Source::Binary(Arc::new(BOLD)));
            db.set_serif_family(FAMILY);
            db.set_sans_serif_family(FAMILY);
            db.set_monospace_family(FAMILY);
            db.set_cursive_family(FAMILY);
            db.set_fantasy_family(FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Parses a chart's SVG. External files referenced by `<image href>` are never read.
pub(crate) fn parse(id: &str, svg: &str) -> Result<usvg::Tree, ReportError> {
    let options = usvg::Options {
        fontdb: font_database(),
        font_family: FAMILY.to_owned(),
        resources_dir: None,
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ReportError::InvalidSvg {
        id: id.to_owned(),
        message: e.to_string(),
    })?;
    let size = tree.size();
    if !(size.width() > 0.0 && size.height() > 0.0) {
        return Err(ReportError::InvalidSvg {
            id: id.to_owned(),
            message: "the chart has no size".to_owned(),
        });
    }
    Ok(tree)
}

/// A PNG of a chart at `scale` times its SVG size (2.0 for sharp slides), on white.
///
/// # Errors
/// [`ReportError::InvalidSvg`] when the SVG cannot be read, [`ReportError::ImageSize`] when
/// the scale is not a positive number or the image would be empty or larger than
/// [`MAX_PNG_SIDE`] pixels on a side.
pub fn render_chart_png(id: &str, svg: &str, scale: f32) -> Result<Vec<u8>, ReportError> {
    let tree = parse(id, svg)?;
    let size = tree.size();
    let (width, height) = (size.width() * scale, size.height() * scale);
    let too_large = || ReportError::ImageSize {
        id: id.to_owned(),
        width,
        height,
    };
    if !(scale.is_finite()
        && scale > 0.0
        && width >= 1.0
        && height >= 1.0
        && width <= MAX_PNG_SIDE as f32
        && height <= MAX_PNG_SIDE as f32)
    {
        return Err(too_large());
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // 1..=16384, checked
    let (px_width, px_height) = (width.ceil() as u32, height.ceil() as u32);
    let mut pixmap = tiny_skia::Pixmap::new(px_width, px_height).ok_or_else(too_large)?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap.encode_png().map_err(|e| ReportError::Png {
        id: id.to_owned(),
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
        <rect width="200" height="100" fill="#eef"/>
        <text x="10" y="50" font-family="Helvetica" font-size="12">Leads</text></svg>"##;

    #[test]
    fn unknown_font_families_resolve_to_the_bundled_font() {
        let tree = parse("c", SVG).unwrap();
        // the text was laid out, so a font was found for it
        let mut found_text = false;
        for node in tree.root().children() {
            if let usvg::Node::Text(text) = node {
                found_text = !text.layouted().is_empty();
            }
        }
        assert!(found_text);
    }

    #[test]
    fn broken_svg_is_an_error_naming_the_chart() {
        let err = parse("leads", "<svg").unwrap_err();
        assert!(err.to_string().contains("leads"), "{err}");
    }

    #[test]
    fn absurd_scales_are_refused_not_allocated() {
        for scale in [0.0, -1.0, f32::NAN, f32::INFINITY, 1000.0] {
            assert!(matches!(
                render_chart_png("c", SVG, scale),
                Err(ReportError::ImageSize { .. })
            ));
        }
    }
}
