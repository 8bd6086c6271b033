//! How a chart looks: light or dark, the language and number format, the size in pixels, and
//! the Okabe–Ito palette every series colour is taken from (distinguishable with the common
//! forms of colour blindness).

use leadplan_core::Locale;
use plotters::style::RGBColor;
use serde::{Deserialize, Serialize};

/// Light or dark background.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorScheme {
    #[default]
    Light,
    Dark,
}

/// Everything about a chart that is not its data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Theme {
    pub scheme: ColorScheme,
    /// Language of the texts and format of numbers, money and percentages.
    pub locale: Locale,
    /// Width of the SVG in pixels.
    pub width: u32,
    /// Height of the SVG in pixels.
    pub height: u32,
}

impl Theme {
    pub const DEFAULT_WIDTH: u32 = 960;
    pub const DEFAULT_HEIGHT: u32 = 540;
    /// Sizes are clamped to this range so that no layout divides by a zero-sized area.
    pub const MIN_SIZE: u32 = 240;
    pub const MAX_SIZE: u32 = 8000;

    #[must_use]
    pub fn light(locale: Locale) -> Self {
        Theme {
            scheme: ColorScheme::Light,
            locale,
            width: Self::DEFAULT_WIDTH,
            height: Self::DEFAULT_HEIGHT,
        }
    }

    #[must_use]
    pub fn dark(locale: Locale) -> Self {
        Theme {
            scheme: ColorScheme::Dark,
            ..Self::light(locale)
        }
    }

    /// The same theme at another size in pixels.
    #[must_use]
    pub fn with_size(self, width: u32, height: u32) -> Self {
        Theme {
            width,
            height,
            ..self
        }
    }

    /// The size actually drawn: the requested one within [`Self::MIN_SIZE`]..=[`Self::MAX_SIZE`].
    #[must_use]
    pub fn size(&self) -> (u32, u32) {
        (
            self.width.clamp(Self::MIN_SIZE, Self::MAX_SIZE),
            self.height.clamp(Self::MIN_SIZE, Self::MAX_SIZE),
        )
    }

    pub(crate) fn colors(&self) -> Colors {
        match self.scheme {
            ColorScheme::Light => Colors {
                background: RGBColor(0xFF, 0xFF, 0xFF),
                text: RGBColor(0x1A, 0x1A, 0x1A),
                muted: RGBColor(0x59, 0x59, 0x59),
                grid: RGBColor(0xE3, 0xE3, 0xE3),
                axis: RGBColor(0x80, 0x80, 0x80),
            },
            ColorScheme::Dark => Colors {
                background: RGBColor(0x1E, 0x1E, 0x1E),
                text: RGBColor(0xEE, 0xEE, 0xEE),
                muted: RGBColor(0xB0, 0xB0, 0xB0),
                grid: RGBColor(0x3A, 0x3A, 0x3A),
                axis: RGBColor(0x90, 0x90, 0x90),
            },
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::light(Locale::En)
    }
}

/// The neutral colours of a scheme.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Colors {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub axis: RGBColor,
}

/// Okabe & Ito (2008), "Color Universal Design"; black is the theme's text colour and yellow
/// is left out because it cannot be read on white.
pub(crate) mod okabe_ito {
    use plotters::style::RGBColor;

    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
}

/// The role a colour plays; the same role has the same colour in every chart.
pub(crate) mod role {
    use super::okabe_ito::{BLUE, BLUISH_GREEN, ORANGE, REDDISH_PURPLE, SKY_BLUE, VERMILLION};
    use plotters::style::RGBColor;

    pub const PLAN: RGBColor = SKY_BLUE;
    pub const ACTUAL: RGBColor = ORANGE;
    pub const GOOD: RGBColor = BLUISH_GREEN;
    pub const BAD: RGBColor = VERMILLION;
    pub const STOCK: RGBColor = SKY_BLUE;
    pub const SALES: RGBColor = BLUE;
    /// The five funnel stages, from leads to won.
    pub const STAGES: [RGBColor; 5] = [SKY_BLUE, BLUE, BLUISH_GREEN, ORANGE, REDDISH_PURPLE];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_outside_the_drawable_range_are_clamped() {
        let theme = Theme::light(Locale::En).with_size(0, 100_000);
        assert_eq!(theme.size(), (Theme::MIN_SIZE, Theme::MAX_SIZE));
        assert_eq!(Theme::default().size(), (960, 540));
    }

    #[test]
    fn dark_text_is_light_and_light_text_is_dark() {
        let light = Theme::light(Locale::En).colors();
        let dark = Theme::dark(Locale::En).colors();
        assert!(light.text.0 < 0x80 && dark.text.0 > 0x80);
        assert!(light.background.0 > dark.background.0);
    }
}
