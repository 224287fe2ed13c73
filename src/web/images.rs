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
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|_| "photo-error-format")?;
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
