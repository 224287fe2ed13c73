//! Uploaded images (a mayor's photo, a news item's cover): checked, decoded within limits,
//! turned upright, resized and re-encoded, so what is stored and served is always a clean JPEG.

use std::io::Cursor;

/// A stored JPEG as a response, with its caching policy.
pub fn jpeg_response(bytes: Vec<u8>, cache_control: &'static str) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    use axum::response::IntoResponse;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static(cache_control),
    );
    response
}

/// Images up to this size may be uploaded (a phone's photo fits).
pub const MAX_UPLOAD_BYTES: usize = 12 * 1024 * 1024;
/// Larger images are refused before decoding (a decompression bomb stays a small error).
const MAX_SOURCE_SIDE: u32 = 12_000;
/// The most pixels an upload may have (a 40-megapixel camera's photo fits): a PNG of 12,000 ×
/// 12,000 pixels is half a megabyte on the wire and hundreds of megabytes decoded.
pub const MAX_SOURCE_PIXELS: u64 = 40_000_000;
/// What the decoder may allocate: the largest image allowed, decoded as 8-bit RGBA, and some
/// room for the decoder's own buffers. The WebP decoder's own planes are not counted by it: a
/// WebP just under [`MAX_SOURCE_PIXELS`] was measured at 273 MB in all (docs/BENCHMARKS.md),
/// bounded because the pixel limit is checked on the header and [`DECODING`] lets one image
/// decode at a time.
const MAX_DECODE_ALLOC: u64 = MAX_SOURCE_PIXELS * 4 + 32 * 1024 * 1024;

/// Decoding takes up to [`MAX_DECODE_ALLOC`] bytes, so an instance decodes one image at a
/// time: parallel uploads wait their turn instead of adding up. Held on the blocking thread
/// that decodes (callers run [`fit_jpeg`] in `spawn_blocking`), never on an async worker.
static DECODING: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// An image ready to store: JPEG, resized, without the metadata of the upload (EXIF, GPS,
/// camera), since only the pixels are re-encoded.
pub struct Image {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Decodes a JPEG, PNG or WebP upload, turns it upright where its EXIF says so, fits it in a
/// square of `side` pixels and re-encodes it as JPEG. Errs with a UI string key; a broken or
/// hostile file is one of those errors, never a panic.
pub fn fit_jpeg(bytes: &[u8], side: u32) -> Result<Image, &'static str> {
    use image::ImageDecoder;

    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err("photo-error-too-large");
    }
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| "photo-error-format")?;
    match reader.format() {
        Some(image::ImageFormat::Jpeg | image::ImageFormat::Png | image::ImageFormat::WebP) => {}
        _ => return Err("photo-error-format"),
    }
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(MAX_DECODE_ALLOC);
    reader.limits(limits);
    // A panic elsewhere while decoding leaves nothing shared half-done: the lock guards no data.
    let _turn = DECODING
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut decoder = reader.into_decoder().map_err(|e| match e {
        image::ImageError::Limits(_) => "photo-error-dimensions",
        _ => "photo-error-format",
    })?;
    // The header tells the size: refuse before a single pixel is decoded.
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS {
        return Err("photo-error-pixels");
    }
    let orientation = decoder.orientation().ok();
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(|e| match e {
        image::ImageError::Limits(_) => "photo-error-dimensions",
        _ => "photo-error-format",
    })?;
    if let Some(o) = orientation {
        img.apply_orientation(o);
    }
    if img.width() < 64 || img.height() < 64 {
        return Err("photo-error-small");
    }
    let img = if img.width() > side || img.height() > side {
        img.resize(side, side, image::imageops::FilterType::Lanczos3)
    } else {
        img
    };
    let rgb = img.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&rgb)
        .map_err(|_| "photo-error-format")?;
    Ok(Image {
        jpeg,
        width: rgb.width(),
        height: rgb.height(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A PNG whose header declares `width` × `height` grey pixels, with a token of data: the
    /// size is known before any pixel is decoded.
    fn png_header(width: u32, height: u32) -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
            out.extend_from_slice(&(data.len() as u32).to_be_bytes());
            out.extend_from_slice(kind);
            out.extend_from_slice(data);
            let mut crc = flate2::Crc::new();
            crc.update(kind);
            crc.update(data);
            out.extend_from_slice(&crc.sum().to_be_bytes());
        }
        let mut ihdr = width.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&height.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &[0x78, 0x01]);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    #[test]
    fn too_many_pixels_are_refused_before_decoding() {
        // 9,000 × 9,000 is within the side limit and over 40 megapixels.
        assert_eq!(
            fit_jpeg(&png_header(9_000, 9_000), 600).err(),
            Some("photo-error-pixels")
        );
        assert_eq!(
            fit_jpeg(&png_header(20_000, 100), 600).err(),
            Some("photo-error-dimensions")
        );
        // Within both limits, the same broken data is a format error, not a size one.
        assert_eq!(
            fit_jpeg(&png_header(6_000, 6_000), 600).err(),
            Some("photo-error-format")
        );
    }
}
