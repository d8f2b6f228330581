//! A cursor down A4 pages: text placed left- or right-aligned at the current height, rules,
//! and a new page (with a repeated header, when one is set) whenever what comes next would
//! not fit above the footer.

use pdf_writer::{Content, Name, Str};

use crate::font::{self, Weight};

/// A4, in points.
pub(crate) const WIDTH: f32 = 595.0;
pub(crate) const HEIGHT: f32 = 842.0;
/// The text area's edges.
pub(crate) const LEFT: f32 = 50.0;
pub(crate) const RIGHT: f32 = WIDTH - 50.0;
const TOP: f32 = HEIGHT - 56.0;
/// Nothing but the footer below this.
const BOTTOM: f32 = 64.0;
/// The fonts' names in each page's resources.
pub(crate) const REGULAR: &[u8] = b"F1";
pub(crate) const BOLD: &[u8] = b"F2";
/// The logo's name in the first page's resources.
pub(crate) const LOGO: &[u8] = b"Im1";

/// A colour, as red, green and blue from 0 to 1.
pub(crate) type Rgb = (f32, f32, f32);
pub(crate) const INK: Rgb = (0.11, 0.13, 0.17);
pub(crate) const GRAY: Rgb = (0.40, 0.44, 0.50);

/// Which edge of the text sits at the given `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
}

/// The pages drawn so far, and where the next thing goes on the last one.
pub(crate) struct Canvas {
    pages: Vec<Content>,
    /// The page being drawn on.
    current: usize,
    /// The baseline of the next line of text.
    pub(crate) y: f32,
    /// Drawn at the top of every page begun while it is set (a table's header).
    header: Option<fn(&mut Canvas)>,
}

impl Canvas {
    /// One empty page, the cursor at its top.
    pub(crate) fn new() -> Self {
        Self { pages: vec![Content::new()], current: 0, y: TOP, header: None }
    }

    fn page(&mut self) -> &mut Content {
        &mut self.pages[self.current]
    }

    /// Moves the cursor down by `by` points.
    pub(crate) fn down(&mut self, by: f32) {
        self.y -= by;
    }

    /// Starts a new page unless `height` points still fit on this one.
    pub(crate) fn room_for(&mut self, height: f32) {
        if self.y - height >= BOTTOM {
            return;
        }
        self.pages.push(Content::new());
        self.current = self.pages.len() - 1;
        self.y = TOP;
        if let Some(header) = self.header {
            header(self);
        }
    }

    /// Draws `header` at the top of each page begun from now on.
    pub(crate) fn on_new_page(&mut self, header: fn(&mut Canvas)) {
        self.header = Some(header);
    }

    /// Stops drawing a header on new pages.
    pub(crate) fn stop_on_new_page(&mut self) {
        self.header = None;
    }

    /// `text` on one line at `x` and the cursor's height.
    pub(crate) fn text(&mut self, x: f32, text: &str, weight: Weight, size: f32, color: Rgb, align: Align) {
        self.encoded(x, &font::encode(text), weight, size, color, align);
    }

    /// Text already in the font's encoding.
    pub(crate) fn encoded(&mut self, x: f32, text: &[u8], weight: Weight, size: f32, color: Rgb, align: Align) {
        let start = match align {
            Align::Left => x,
            Align::Right => x - font::width(text, weight, size),
        };
        let y = self.y;
        let name = Name(if weight == Weight::Bold { BOLD } else { REGULAR });
        let page = self.page();
        page.set_fill_rgb(color.0, color.1, color.2);
        page.begin_text();
        page.set_font(name, size);
        page.next_line(start, y);
        page.show(Str(text));
        page.end_text();
    }

    /// `text` wrapped to `width` from `x`, line by line down the page.
    pub(crate) fn paragraph(&mut self, x: f32, width: f32, text: &str, weight: Weight, size: f32, color: Rgb) {
        for line in font::wrap(text, weight, size, width) {
            self.room_for(size * 1.35);
            self.encoded(x, &line, weight, size, color, Align::Left);
            self.down(size * 1.35);
        }
    }

    /// A horizontal rule from `from` to `to`, `above` points above the cursor's baseline
    /// (negative: below it).
    pub(crate) fn rule(&mut self, from: f32, to: f32, above: f32, thickness: f32) {
        let y = self.y + above;
        let page = self.page();
        page.set_stroke_rgb(0.80, 0.83, 0.87);
        page.set_line_width(thickness);
        page.move_to(from, y);
        page.line_to(to, y);
        page.stroke();
    }

    /// Draws the logo `width` × `height` points with its top-left corner at `x` and the
    /// cursor.
    pub(crate) fn logo(&mut self, x: f32, width: f32, height: f32) {
        let bottom = self.y - height;
        let page = self.page();
        page.save_state();
        page.transform([width, 0.0, 0.0, height, x, bottom]);
        page.x_object(Name(LOGO));
        page.restore_state();
    }

    /// The pages' content streams, each with `footer` and "Page n of m" at its foot.
    pub(crate) fn into_pages(mut self, footer: &str) -> Vec<Vec<u8>> {
        let count = self.pages.len();
        for index in 0..count {
            (self.current, self.y) = (index, 36.0);
            self.text(LEFT, footer, Weight::Regular, 7.5, GRAY, Align::Left);
            self.text(RIGHT, &format!("Page {} of {count}", index + 1), Weight::Regular, 7.5, GRAY, Align::Right);
        }
        self.pages.into_iter().map(|page| page.finish().into_vec()).collect()
    }
}
