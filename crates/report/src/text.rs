//! The bundled fonts and what the PDF needs of them: text cleaned of characters the font
//! lacks, shaped runs, widths and word wrap. Measuring and drawing use the same shaped
//! glyphs, so a right-aligned figure ends exactly at the column edge.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use rustybuzz::UnicodeBuffer;

use crate::ReportError;

/// DejaVu Sans ships with the app and is embedded in every PDF, so a report looks the same on
/// every machine. System fonts are never read.
pub(crate) const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
pub(crate) const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// Shown for a character the font has no glyph for (an emoji, a rare script).
const REPLACEMENT: char = '\u{fffd}';

pub(crate) struct Face {
    shaper: rustybuzz::Face<'static>,
    pub(crate) pdf: Font,
    units_per_em: f32,
    replacement: char,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Self, ReportError> {
        let shaper = rustybuzz::Face::from_slice(data, 0).ok_or(ReportError::Font)?;
        let pdf = Font::new(data.into(), 0).ok_or(ReportError::Font)?;
        #[allow(clippy::cast_precision_loss)] // at most 16384
        let units_per_em = shaper.units_per_em().max(1) as f32;
        let replacement = if shaper.glyph_index(REPLACEMENT).is_some() {
            REPLACEMENT
        } else {
            '?'
        };
        Ok(Face {
            shaper,
            pdf,
            units_per_em,
            replacement,
        })
    }

    /// The text with every character the font cannot show replaced: control characters by a
    /// space, invisible joiners and variation selectors dropped, anything else missing from
    /// the font by U+FFFD.
    /// Line breaks (`\n`, `\r\n`, `\r`) are kept as `\n` when `keep_line_breaks`.
    pub(crate) fn clean(&self, text: &str, keep_line_breaks: bool) -> String {
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if keep_line_breaks && (c == '\n' || c == '\r') {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
            } else if c.is_control() {
                out.push(' ');
            } else if matches!(c, '\u{200b}'..='\u{200f}' | '\u{fe00}'..='\u{fe0f}' | '\u{e0100}'..='\u{e01ef}')
            {
                // zero-width joiners, marks and variation selectors: nothing to draw
            } else if self.shaper.glyph_index(c).is_some() || c == ' ' {
                out.push(c);
            } else {
                out.push(self.replacement);
            }
        }
        out
    }

    /// Shapes already cleaned text; widths are in units of the font size.
    pub(crate) fn shape(&self, text: &str) -> Run {
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.guess_segment_properties();
        let output = rustybuzz::shape(&self.shaper, &[], buffer);
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        let upem = self.units_per_em;
        // A cluster ends where the next cluster (in text order) begins; computed from the
        // sorted starts so right-to-left runs, whose clusters descend, map right too.
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let mut glyphs = Vec::with_capacity(infos.len());
        let mut width = 0.0;
        for (info, pos) in infos.iter().zip(positions) {
            let start = (info.cluster as usize).min(text.len());
            let next = starts.partition_point(|&c| c <= start);
            let end = starts
                .get(next)
                .copied()
                .unwrap_or(text.len())
                .min(text.len());
            #[allow(clippy::cast_precision_loss)] // font units are small integers
            let (x_advance, x_offset, y_offset, y_advance) = (
                pos.x_advance as f32 / upem,
                pos.x_offset as f32 / upem,
                pos.y_offset as f32 / upem,
                pos.y_advance as f32 / upem,
            );
            width += x_advance;
            glyphs.push(KrillaGlyph::new(
                GlyphId::new(info.glyph_id),
                x_advance,
                x_offset,
                y_offset,
                y_advance,
                start..end,
                None,
            ));
        }
        Run {
            text: text.to_owned(),
            glyphs,
            width,
        }
    }

    /// Width of cleaned text at `size` points.
    pub(crate) fn width(&self, text: &str, size: f32) -> f32 {
        if text.is_empty() {
            return 0.0;
        }
        self.shape(text).width * size
    }

    /// Breaks cleaned text into lines no wider than `max_width` points at `size`. A line break
    /// in the text starts a new line; a word longer than a line is broken between characters.
    pub(crate) fn wrap(&self, text: &str, size: f32, max_width: f32) -> Vec<String> {
        let max_width = max_width.max(size);
        let space = self.width(" ", size);
        let mut lines = Vec::new();
        for hard_line in text.split('\n') {
            let mut line = String::new();
            let mut line_width = 0.0;
            for word in hard_line.split_whitespace() {
                let word_width = self.width(word, size);
                if !line.is_empty() && line_width + space + word_width <= max_width {
                    line.push(' ');
                    line.push_str(word);
                    line_width += space + word_width;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if word_width <= max_width {
                    line.push_str(word);
                    line_width = word_width;
                } else {
                    let mut pieces = self.break_word(word, size, max_width);
                    // the last piece starts the next line, the others fill lines of their own
                    line = pieces.pop().unwrap_or_default();
                    line_width = self.width(&line, size);
                    lines.extend(pieces);
                }
            }
            lines.push(line);
        }
        lines
    }

    /// The advance of each character of `text` in units of the font size, indexed by byte
    /// offset; a cluster's advance is counted at its first character.
    fn advances(&self, text: &str) -> Vec<f32> {
        let mut advances = vec![0.0; text.len() + 1];
        for glyph in self.shape(text).glyphs {
            if let Some(a) = advances.get_mut(glyph.text_range.start) {
                *a += glyph.x_advance;
            }
        }
        advances
    }

    /// Pieces of a word, each as wide as fits; one shaping pass however long the word.
    fn break_word(&self, word: &str, size: f32, max_width: f32) -> Vec<String> {
        let advances = self.advances(word);
        let mut pieces = Vec::new();
        let (mut start, mut width) = (0, 0.0);
        for (i, _) in word.char_indices() {
            let advance = advances[i] * size;
            if width + advance > max_width && i > start {
                pieces.push(word[start..i].to_owned());
                start = i;
                width = 0.0;
            }
            width += advance;
        }
        pieces.push(word[start..].to_owned());
        pieces
    }

    /// The text shortened with an ellipsis to fit `max_width` points.
    pub(crate) fn truncate(&self, text: &str, size: f32, max_width: f32) -> String {
        if self.width(text, size) <= max_width {
            return text.to_owned();
        }
        let budget = max_width - self.width("…", size);
        let advances = self.advances(text);
        let (mut end, mut width) = (0, 0.0);
        for (i, c) in text.char_indices() {
            width += advances[i] * size;
            if width > budget {
                break;
            }
            end = i + c.len_utf8();
        }
        let mut out = text[..end].trim_end().to_owned();
        out.push('…');
        out
    }
}

/// Shaped text ready to draw.
pub(crate) struct Run {
    pub(crate) text: String,
    pub(crate) glyphs: Vec<KrillaGlyph>,
    /// Width in units of the font size.
    pub(crate) width: f32,
}

pub(crate) struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, ReportError> {
        Ok(Fonts {
            regular: Face::load(REGULAR)?,
            bold: Face::load(BOLD)?,
        })
    }

    pub(crate) fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    #[test]
    fn characters_missing_from_the_font_become_the_replacement_character() {
        let f = fonts();
        assert_eq!(
            f.regular.clean("Leads 👍\u{fe0f} ok\tnow", false),
            "Leads \u{fffd} ok now"
        );
        assert_eq!(
            f.regular.clean("Straße ÄÖÜ € – …", false),
            "Straße ÄÖÜ € – …"
        );
    }

    #[test]
    fn line_breaks_are_kept_only_where_asked() {
        let f = fonts();
        assert_eq!(f.regular.clean("a\r\nb\rc\nd", true), "a\nb\nc\nd");
        assert_eq!(f.regular.clean("a\r\nb", false), "a  b");
    }

    #[test]
    fn shaped_clusters_cover_the_text_in_both_directions() {
        let f = fonts();
        for text in ["Leads", "עברית", "e\u{301}tude", "ﬁx"] {
            let run = f.regular.shape(text);
            let mut ranges: Vec<_> = run.glyphs.iter().map(|g| g.text_range.clone()).collect();
            ranges.sort_by_key(|r| r.start);
            ranges.dedup();
            // consecutive, non-empty, on character boundaries, from 0 to the end
            assert_eq!(ranges.first().map(|r| r.start), Some(0), "{text}");
            assert_eq!(ranges.last().map(|r| r.end), Some(text.len()), "{text}");
            for pair in ranges.windows(2) {
                assert_eq!(pair[0].end, pair[1].start, "{text}");
            }
            for r in &ranges {
                assert!(!text[r.clone()].is_empty());
            }
        }
    }

    #[test]
    fn widths_include_kerning() {
        let f = fonts();
        // "To" is a kerned pair in DejaVu Sans: together narrower than apart
        let apart = f.regular.width("T", 10.0) + f.regular.width("o", 10.0);
        assert!(f.regular.width("To", 10.0) < apart - 0.5);
        assert_eq!(f.regular.width("", 10.0), 0.0);
        // width scales with the size
        let w = f.regular.width("1.234,56", 1.0);
        assert!((f.regular.width("1.234,56", 10.0) - 10.0 * w).abs() < 1e-4);
    }

    #[test]
    fn wrapped_lines_fit_and_keep_every_word() {
        let f = fonts();
        let text = "Marketing says it delivered the leads; sales says the leads were bad.";
        let lines = f.regular.wrap(text, 10.0, 120.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(f.regular.width(line, 10.0) <= 120.0, "{line}");
        }
        assert_eq!(lines.join(" "), text);
    }

    #[test]
    fn a_word_longer_than_the_line_is_broken_between_characters() {
        let f = fonts();
        let word = "x".repeat(500);
        let lines = f.regular.wrap(&word, 10.0, 100.0);
        assert!(lines.len() > 5);
        assert_eq!(lines.concat(), word);
        for line in &lines {
            assert!(f.regular.width(line, 10.0) <= 100.0);
        }
    }

    #[test]
    fn line_breaks_in_the_text_start_new_lines() {
        let f = fonts();
        assert_eq!(f.regular.wrap("a\n\nb", 10.0, 500.0), ["a", "", "b"]);
        assert_eq!(f.regular.wrap("", 10.0, 500.0), [""]);
    }

    #[test]
    fn truncated_text_fits_and_ends_with_an_ellipsis() {
        let f = fonts();
        let t = f
            .bold
            .truncate("A very long section title indeed", 12.0, 80.0);
        assert!(t.ends_with('…'));
        assert!(f.bold.width(&t, 12.0) <= 80.0);
        assert_eq!(f.bold.truncate("Short", 12.0, 80.0), "Short");
    }
}
