//! The workspace's PNG logo as PDF images: its colours and, when it has one, its
//! transparency as a soft mask, both deflated. A logo that cannot be read is left out: the
//! invoice matters more than its letterhead.

use pdf_writer::{Filter, Pdf, Ref};

/// The largest logo drawn, in pixels a side: far more than a letterhead needs.
const MAX_SIDE: u32 = 4096;

/// A decoded logo: 8-bit RGB and, for images with transparency, 8-bit alpha.
pub(crate) struct Logo {
    pub(crate) width: u32,
    pub(crate) height: u32,
    rgb: Vec<u8>,
    alpha: Option<Vec<u8>>,
}

impl Logo {
    /// Decodes `png` (any colour type and depth), or `None` for anything it cannot read.
    pub(crate) fn decode(png: &[u8]) -> Option<Self> {
        let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
        decoder.set_transformations(png::Transformations::EXPAND | png::Transformations::STRIP_16);
        let mut reader = decoder.read_info().ok()?;
        let (width, height) = (reader.info().width, reader.info().height);
        if width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE {
            return None;
        }
        let mut pixels = vec![0; reader.output_buffer_size()?];
        let frame = reader.next_frame(&mut pixels).ok()?;
        let pixels = &pixels[..frame.buffer_size()];
        let (rgb, alpha) = match frame.color_type {
            png::ColorType::Rgb => (pixels.to_vec(), None),
            png::ColorType::Rgba => split(pixels, 4, |p| [p[0], p[1], p[2]], |p| p[3]),
            png::ColorType::Grayscale => (pixels.iter().flat_map(|&g| [g, g, g]).collect(), None),
            png::ColorType::GrayscaleAlpha => split(pixels, 2, |p| [p[0], p[0], p[0]], |p| p[1]),
            png::ColorType::Indexed => return None,
        };
        Some(Self { width, height, rgb, alpha })
    }

    /// Writes the image (and its mask) as `id` (and `mask`).
    pub(crate) fn write(&self, pdf: &mut Pdf, id: Ref, mask: Ref) {
        let (width, height) = (i32::try_from(self.width).unwrap_or(1), i32::try_from(self.height).unwrap_or(1));
        let colours = miniz_oxide::deflate::compress_to_vec_zlib(&self.rgb, 6);
        let mut image = pdf.image_xobject(id, &colours);
        image.filter(Filter::FlateDecode);
        image.width(width).height(height).bits_per_component(8);
        image.color_space().device_rgb();
        if self.alpha.is_some() {
            image.s_mask(mask);
        }
        drop(image);
        if let Some(alpha) = &self.alpha {
            let alpha = miniz_oxide::deflate::compress_to_vec_zlib(alpha, 6);
            let mut soft = pdf.image_xobject(mask, &alpha);
            soft.filter(Filter::FlateDecode);
            soft.width(width).height(height).bits_per_component(8);
            soft.color_space().device_gray();
        }
    }
}

/// Colour and alpha apart, from pixels of `size` bytes.
fn split(
    pixels: &[u8],
    size: usize,
    colour: fn(&[u8]) -> [u8; 3],
    alpha: fn(&[u8]) -> u8,
) -> (Vec<u8>, Option<Vec<u8>>) {
    let rgb = pixels.chunks_exact(size).flat_map(colour).collect();
    (rgb, Some(pixels.chunks_exact(size).map(alpha).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `width` × 1 PNG of `colour` pixels (RGBA).
    pub(crate) fn png(width: u32, pixel: [u8; 4]) -> Vec<u8> {
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, width, 1);
        encoder.set_color(png::ColorType::Rgba);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().expect("a header");
        writer.write_image_data(&pixel.repeat(width as usize)).expect("pixels");
        writer.finish().expect("written");
        bytes
    }

    #[test]
    fn a_png_is_read_as_colours_and_transparency() {
        let logo = Logo::decode(&png(3, [10, 125, 90, 128])).expect("decoded");
        assert_eq!((logo.width, logo.height), (3, 1));
        assert_eq!(logo.rgb, [10, 125, 90].repeat(3));
        assert_eq!(logo.alpha, Some(vec![128; 3]));
    }

    #[test]
    fn what_is_not_a_png_is_left_out() {
        assert!(Logo::decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_none(), "a signature alone is no image");
        assert!(Logo::decode(b"<svg/>").is_none());
    }
}
