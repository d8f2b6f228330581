//! The agency's brand colour, and the rule that keeps it legible.
//!
//! Portico puts the colour where white text sits on it (buttons, the portal's header, a
//! mail's button) and where it is the text on white (links). Both need the WCAG 2 AA contrast
//! of 4.5:1 against white, so whatever colour is chosen, pages and mails use
//! [`BrandColour::legible`]: the chosen hue, darkened just enough to reach it.

use std::fmt;

/// The error for text that is not a colour.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be a colour written like #2456c9")]
pub struct InvalidColour;

/// A colour as `#rrggbb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct BrandColour {
    rgb: [u8; 3],
}

impl BrandColour {
    /// Portico's own blue, used until an agency chooses.
    pub const DEFAULT: Self = Self { rgb: [0x24, 0x56, 0xc9] };
    /// The least contrast against white Portico accepts (WCAG 2 AA for body text).
    pub const MIN_CONTRAST: f64 = 4.5;

    /// A colour from its red, green and blue.
    pub const fn rgb(red: u8, green: u8, blue: u8) -> Self {
        Self { rgb: [red, green, blue] }
    }

    /// Reads `#2456c9`, `2456c9` or the short `#25c` (any case, spaces around ignored).
    ///
    /// # Errors
    /// [`InvalidColour`] for anything else.
    pub fn parse(input: &str) -> Result<Self, InvalidColour> {
        let hex = input.trim();
        let hex = hex.strip_prefix('#').unwrap_or(hex);
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(InvalidColour);
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..=i], 16).map_err(|_| InvalidColour);
        match hex.len() {
            3 => Ok(Self { rgb: [digit(0)? * 17, digit(1)? * 17, digit(2)? * 17] }),
            6 => {
                let pair = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| InvalidColour);
                Ok(Self { rgb: [pair(0)?, pair(2)?, pair(4)?] })
            }
            _ => Err(InvalidColour),
        }
    }

    /// The red, green and blue.
    pub const fn channels(self) -> [u8; 3] {
        self.rgb
    }

    /// The relative luminance, 0 (black) to 1 (white), as WCAG 2 defines it.
    pub fn luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let [r, g, b] = self.rgb.map(linear);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// The contrast ratio against white, 1 to 21.
    pub fn contrast_with_white(self) -> f64 {
        1.05 / (self.luminance() + 0.05)
    }

    /// The colour pages and mails use: this one when white text on it (and it as text on
    /// white) reaches [`Self::MIN_CONTRAST`]; otherwise the same hue darkened by the least
    /// step that does. Black always does, so there is always an answer.
    #[must_use]
    pub fn legible(self) -> Self {
        if self.contrast_with_white() >= Self::MIN_CONTRAST {
            return self;
        }
        // Scaling every channel by s/255 darkens monotonically: find the largest s that passes.
        let scaled = |s: u16| Self { rgb: self.rgb.map(|c| u8::try_from(u16::from(c) * s / 255).unwrap_or(u8::MAX)) };
        let (mut passes, mut fails) = (0_u16, 255_u16);
        while fails - passes > 1 {
            let middle = u16::midpoint(passes, fails);
            if scaled(middle).contrast_with_white() >= Self::MIN_CONTRAST {
                passes = middle;
            } else {
                fails = middle;
            }
        }
        scaled(passes)
    }

    /// Whether the colour is already legible as it is.
    pub fn is_legible(self) -> bool {
        self.legible() == self
    }
}

impl Default for BrandColour {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for BrandColour {
    /// `#2456c9`, lower case: the form settings read back and style sheets use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.rgb;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// WCAG 2's contrast of two colours, written out independently of the type.
    fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
        fn lum(c: [u8; 3]) -> f64 {
            let channel = |v: u8| {
                let s = f64::from(v) / 255.0;
                if s <= 0.03928 { s / 12.92 } else { ((s + 0.055) / 1.055).powf(2.4) }
            };
            0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2])
        }
        let (la, lb) = (lum(a), lum(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn colours_are_read_in_their_usual_spellings() {
        assert_eq!(BrandColour::parse("#2456C9"), Ok(BrandColour::rgb(0x24, 0x56, 0xc9)));
        assert_eq!(BrandColour::parse(" 2456c9 "), Ok(BrandColour::rgb(0x24, 0x56, 0xc9)));
        assert_eq!(BrandColour::parse("#f0a"), Ok(BrandColour::rgb(0xff, 0x00, 0xaa)));
        for wrong in ["", "#", "red", "#12345", "#1234567", "#gg0000", "#+12345", "#١٢٣"] {
            assert_eq!(BrandColour::parse(wrong), Err(InvalidColour), "{wrong:?}");
        }
        assert_eq!(BrandColour::rgb(1, 2, 255).to_string(), "#0102ff");
    }

    #[test]
    fn known_colours_have_their_published_contrast() {
        assert!((BrandColour::rgb(0, 0, 0).contrast_with_white() - 21.0).abs() < 1e-9);
        assert!((BrandColour::rgb(255, 255, 255).contrast_with_white() - 1.0).abs() < 1e-9);
        // #767676 is the lightest grey that passes AA on white (4.54:1); #777777 fails (4.48:1).
        assert!(BrandColour::rgb(0x76, 0x76, 0x76).is_legible());
        assert!(!BrandColour::rgb(0x77, 0x77, 0x77).is_legible());
        assert!(BrandColour::DEFAULT.is_legible());
    }

    #[test]
    fn a_light_colour_is_darkened_and_keeps_its_hue() {
        let yellow = BrandColour::parse("#ffd500").expect("a colour");
        let used = yellow.legible();
        assert_ne!(used, yellow);
        let [r, g, b] = used.channels();
        assert!(r > g && b == 0, "still a yellow-orange hue: {used}");
    }

    proptest! {
        #[test]
        fn the_colour_used_is_always_legible_and_no_darker_than_needed(rgb in any::<[u8; 3]>()) {
            let chosen = BrandColour { rgb };
            let used = chosen.legible();
            prop_assert!(contrast(used.channels(), [255; 3]) >= BrandColour::MIN_CONTRAST - 1e-9);
            if contrast(rgb, [255; 3]) >= BrandColour::MIN_CONTRAST {
                prop_assert_eq!(used, chosen);
            } else {
                let lighter = used.channels().iter().zip(rgb).all(|(u, c)| *u <= c);
                prop_assert!(lighter, "darkened, never lightened: {} from {}", used, chosen);
            }
        }

        #[test]
        fn written_colours_read_back(rgb in any::<[u8; 3]>()) {
            let colour = BrandColour { rgb };
            prop_assert_eq!(BrandColour::parse(&colour.to_string()), Ok(colour));
        }
    }
}
