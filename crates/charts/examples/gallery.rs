//! Writes every chart for the sample data as SVG and PNG, light and dark, in English, German
//! and Dutch, into a folder (default `chart-gallery` in the current directory):
//!
//! `cargo run -p leadplan-charts --example gallery -- /tmp/charts [width height]`

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../tests/sample/mod.rs"]
mod sample;

use std::path::PathBuf;
use std::sync::Arc;

use leadplan_charts::Theme;
use leadplan_core::Locale;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().map_or("chart-gallery", String::as_str));
    let width = args
        .get(1)
        .and_then(|w| w.parse().ok())
        .unwrap_or(Theme::DEFAULT_WIDTH);
    let height = args
        .get(2)
        .and_then(|h| h.parse().ok())
        .unwrap_or(Theme::DEFAULT_HEIGHT);
    std::fs::create_dir_all(&dir).expect("create the output folder");
    let mut options = resvg::usvg::Options::default();
    let db = Arc::make_mut(&mut options.fontdb);
    db.load_font_data(include_bytes!("../../../assets/fonts/DejaVuSans.ttf").to_vec());
    db.load_font_data(include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf").to_vec());
    db.set_sans_serif_family("DejaVu Sans");
    let themes = [
        ("en-light", Theme::light(Locale::En)),
        ("de-dark", Theme::dark(Locale::De)),
        ("nl-light", Theme::light(Locale::Nl)),
    ];
    let mut written = 0;
    for (name, theme) in themes {
        let theme = theme.with_size(width, height);
        for (id, svg) in sample::all_charts(&theme) {
            let stem = dir.join(format!("{id}-{name}"));
            std::fs::write(stem.with_extension("svg"), &svg).expect("write the SVG");
            let tree = resvg::usvg::Tree::from_str(&svg, &options).expect("a valid SVG");
            let size = tree.size().to_int_size();
            let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
                .expect("a non-empty chart");
            resvg::render(
                &tree,
                resvg::tiny_skia::Transform::default(),
                &mut pixmap.as_mut(),
            );
            pixmap
                .save_png(stem.with_extension("png"))
                .expect("write the PNG");
            written += 1;
        }
    }
    println!("{written} charts written to {}", dir.display());
}
