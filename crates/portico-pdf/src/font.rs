//! Text in the PDF's base font: Helvetica (and Helvetica-Bold), one of the fourteen fonts
//! every PDF reader has, so nothing is embedded and the text stays extractable. Its
//! encoding is Windows-1252 (PDF’s `WinAnsiEncoding`): Latin-1 plus the euro sign, typographic quotes and
//! dashes, which covers the languages of the supported locales. A character outside it is
//! printed as `?`, never dropped silently.
//!
//! The widths (thousandths of the font size) are Adobe's Helvetica metrics, as the AFM files
//! give them, for the codes of that encoding (where it differs from Latin-1 — the hyphen, the
//! straight quote and the grave at 0x2D, 0x27 and 0x60, and the extras — by glyph); they
//! place right-aligned amounts and wrap lines.

/// Unicode characters Windows-1252 puts in 0x80–0x9F, and their codes.
const WIN_ANSI_EXTRAS: &[(char, u8)] = &[
    ('\u{20ac}', 0x80),
    ('\u{201a}', 0x82),
    ('\u{201e}', 0x84),
    ('\u{2026}', 0x85),
    ('\u{2018}', 0x91),
    ('\u{2019}', 0x92),
    ('\u{201c}', 0x93),
    ('\u{201d}', 0x94),
    ('\u{2022}', 0x95),
    ('\u{2013}', 0x96),
    ('\u{2014}', 0x97),
    ('\u{2122}', 0x99),
];

/// Helvetica's widths by Windows-1252 code.
const REGULAR: [u16; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 278, 278, 355, 556,
    556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278,
    278, 584, 584, 584, 556, 1010, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778,
    722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556,
    222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0,
    556, 0, 222, 0, 333, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 278, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 333,
    333, 0, 333, 333, 333, 278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584,
    333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556,
    584, 611, 556, 556, 556, 556, 500, 556, 500,
];

/// Helvetica-Bold's widths by Windows-1252 code.
const BOLD: [u16; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 278, 333, 474, 556,
    556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333,
    333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778,
    722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611,
    278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0,
    556, 0, 278, 0, 500, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 278, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 333,
    333, 0, 333, 333, 333, 278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, 400, 584,
    333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667,
    667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611,
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611,
    584, 611, 611, 611, 611, 611, 556, 611, 556,
];

/// A weight of the base font.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Weight {
    Regular,
    Bold,
}

/// `text` in Windows-1252: Latin-1 as is, the extras by their codes, anything else as `?`. Line
/// breaks and other control characters become spaces (lines are laid out by the caller).
pub(crate) fn encode(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => u8::try_from(u32::from(c)).unwrap_or(b'?'),
            c if c.is_control() => b' ',
            c => WIN_ANSI_EXTRAS.iter().find(|(extra, _)| *extra == c).map_or(b'?', |(_, code)| *code),
        })
        .collect()
}

/// How wide `text` (Windows-1252) is at `size` points.
pub(crate) fn width(text: &[u8], weight: Weight, size: f32) -> f32 {
    let widths = match weight {
        Weight::Regular => &REGULAR,
        Weight::Bold => &BOLD,
    };
    let thousandths: u32 = text.iter().map(|&code| u32::from(widths[usize::from(code)])).sum();
    // Widths of a line are far below f32's exact integer range.
    #[allow(clippy::cast_precision_loss, reason = "a line's width is far below 2^24")]
    let thousandths = thousandths as f32;
    thousandths * size / 1000.0
}

/// `text` broken into lines at most `max` points wide at `size`: at spaces where it can, and
/// within a word too long for a line. Line breaks in `text` are kept.
pub(crate) fn wrap(text: &str, weight: Weight, size: f32, max: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line: Vec<u8> = Vec::new();
        for word in paragraph.split(' ').map(encode) {
            let mut candidate = line.clone();
            if !candidate.is_empty() {
                candidate.push(b' ');
            }
            candidate.extend_from_slice(&word);
            if width(&candidate, weight, size) <= max || line.is_empty() && width(&word, weight, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for &code in &word {
                if !line.is_empty() && width(&[line.as_slice(), &[code]].concat(), weight, size) > max {
                    lines.push(std::mem::take(&mut line));
                }
                line.push(code);
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn latin_text_and_the_euro_are_encoded_and_the_rest_is_marked() {
        assert_eq!(encode("Café 12,50 €"), b"Caf\xe9 12,50 \x80");
        assert_eq!(encode("“Quote” – done"), b"\x93Quote\x94 \x96 done");
        assert_eq!(encode("Москва"), b"??????");
        assert_eq!(encode("a\tb"), b"a b");
    }

    #[test]
    fn widths_are_helveticas() {
        assert!((width(b"0", Weight::Regular, 10.0) - 5.56).abs() < 1e-4);
        assert!((width(b"W", Weight::Bold, 10.0) - 9.44).abs() < 1e-4);
        assert!((width(b"-", Weight::Regular, 10.0) - 3.33).abs() < 1e-4, "a hyphen, not a minus");
        assert!(width(b"1,234.50", Weight::Regular, 9.0) > width(b"234.50", Weight::Regular, 9.0));
    }

    proptest! {
        /// Wrapping keeps every character but the spaces it breaks at, and each line fits
        /// unless it is a single character wider than the line.
        #[test]
        fn wrapped_lines_fit_and_lose_nothing(text in "[a-zA-Z0-9 ]{0,120}", max in 20.0f32..200.0) {
            let lines = wrap(&text, Weight::Regular, 9.0, max);
            for line in &lines {
                prop_assert!(line.len() == 1 || width(line, Weight::Regular, 9.0) <= max + 0.01);
            }
            let kept: Vec<u8> = lines.concat().into_iter().filter(|c| *c != b' ').collect();
            let given: Vec<u8> = text.bytes().filter(|c| *c != b' ').collect();
            prop_assert_eq!(kept, given);
        }
    }
}
