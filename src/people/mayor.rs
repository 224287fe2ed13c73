//! A mayor's page: four text fields in two languages, each with a state, and a photo. The
//! person (or their club delegate) edits drafts; an editor reviews and publishes them. Rules
//! here; SQL in `repo.rs`, pages in `mayor_pages.rs`.

use crate::i18n::Lang;

/// The text fields of a mayor's page, in the order the page shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Bio,
    Vision,
    SocialImpact,
    Achievements,
}

impl Field {
    pub const ALL: [Field; 4] = [
        Field::Bio,
        Field::Vision,
        Field::SocialImpact,
        Field::Achievements,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Field::Bio => "bio",
            Field::Vision => "vision",
            Field::SocialImpact => "social_impact",
            Field::Achievements => "achievements",
        }
    }

    pub fn parse(code: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.code() == code)
    }
}

/// The name of one field in one language, as forms and the API spell it: `bio_uk`,
/// `social_impact_en`.
pub fn slot(field: Field, lang: Lang) -> String {
    format!("{}_{}", field.code(), lang.code())
}

/// Reads a name made by [`slot`].
pub fn parse_slot(name: &str) -> Option<(Field, Lang)> {
    let (field, lang) = name.rsplit_once('_')?;
    Some((Field::parse(field)?, Lang::parse(lang)?))
}

/// Longest text of one field, in characters.
pub const MAX_TEXT: usize = 10_000;

/// The state of one field in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// No text, neither edited nor published.
    Missing,
    /// Edited and waiting for an editor.
    Draft,
    /// The published text is the text being edited.
    Reviewed,
}

impl State {
    pub fn code(self) -> &'static str {
        match self {
            State::Missing => "missing",
            State::Draft => "draft",
            State::Reviewed => "reviewed",
        }
    }

    pub fn parse(code: &str) -> State {
        match code {
            "draft" => State::Draft,
            "reviewed" => State::Reviewed,
            _ => State::Missing,
        }
    }
}

/// The state after an edit leaves `draft` beside the `published` text.
pub fn state_after_edit(draft: &str, published: &str) -> State {
    match (draft.is_empty(), draft == published) {
        (true, true) => State::Missing,
        (false, true) => State::Reviewed,
        _ => State::Draft,
    }
}

/// The state after an editor publishes `draft`.
pub fn state_after_publish(draft: &str) -> State {
    if draft.is_empty() {
        State::Missing
    } else {
        State::Reviewed
    }
}

/// The text a reader in `lang` sees for one field: the published text in `lang`, else the
/// published text in the other language with that language (so the page can say so).
pub fn shown<'a>(lang: Lang, own: &'a str, other: &'a str) -> Option<(&'a str, Option<Lang>)> {
    if !own.is_empty() {
        Some((own, None))
    } else if !other.is_empty() {
        Some((other, Some(lang.other())))
    } else {
        None
    }
}

/// Photos up to this size may be uploaded (a phone's photo fits).
pub const MAX_PHOTO_BYTES: usize = crate::web::images::MAX_UPLOAD_BYTES;
/// The stored photo fits in a square of this many pixels.
pub const PHOTO_SIDE: u32 = 600;

pub use crate::web::images::Image as Photo;

/// A mayor's photo: upright, within [`PHOTO_SIDE`], JPEG. Errs with a UI string key.
pub fn process_photo(bytes: &[u8]) -> Result<Photo, &'static str> {
    crate::web::images::fit_jpeg(bytes, PHOTO_SIDE)
}

#[cfg(test)]
mod tests {
    use std::io::Cursor;

    use super::*;

    #[test]
    fn states_follow_edits_and_publishing() {
        assert_eq!(state_after_edit("", ""), State::Missing);
        assert_eq!(state_after_edit("Новий текст", ""), State::Draft);
        assert_eq!(state_after_edit("Той самий", "Той самий"), State::Reviewed);
        assert_eq!(state_after_edit("", "Був текст"), State::Draft);
        assert_eq!(state_after_publish(""), State::Missing);
        assert_eq!(state_after_publish("Текст"), State::Reviewed);
    }

    #[test]
    fn slots_name_a_field_in_a_language() {
        for field in Field::ALL {
            for lang in Lang::ALL {
                assert_eq!(parse_slot(&slot(field, lang)), Some((field, lang)));
            }
        }
        assert_eq!(slot(Field::SocialImpact, Lang::En), "social_impact_en");
        assert_eq!(parse_slot("bio_de"), None);
        assert_eq!(parse_slot("bio"), None);
    }

    #[test]
    fn english_falls_back_to_ukrainian_and_says_so() {
        assert_eq!(shown(Lang::En, "Bio", "Біографія"), Some(("Bio", None)));
        assert_eq!(
            shown(Lang::En, "", "Біографія"),
            Some(("Біографія", Some(Lang::Uk)))
        );
        assert_eq!(shown(Lang::Uk, "", ""), None);
    }

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
        });
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .expect("png");
        out
    }

    #[test]
    fn photos_are_resized_to_jpeg() {
        let photo = process_photo(&png(1200, 800)).expect("photo");
        assert_eq!((photo.width, photo.height), (600, 400));
        assert_eq!(&photo.jpeg[..3], &[0xFF, 0xD8, 0xFF]);
        // A small photo keeps its size.
        let small = process_photo(&png(200, 300)).expect("photo");
        assert_eq!((small.width, small.height), (200, 300));
    }

    #[test]
    fn bad_photos_are_refused_with_a_reason() {
        assert_eq!(
            process_photo(b"not an image at all").err(),
            Some("photo-error-format")
        );
        assert_eq!(process_photo(&png(20, 20)).err(), Some("photo-error-small"));
        let gif = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;";
        assert_eq!(process_photo(gif).err(), Some("photo-error-format"));
        // A truncated PNG fails cleanly.
        let mut broken = png(300, 300);
        broken.truncate(broken.len() / 2);
        assert!(process_photo(&broken).is_err());
    }
}
