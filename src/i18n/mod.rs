//! Languages and UI strings. Ukrainian is the default; every page also exists in English.
//! Strings live in `locales/{uk,en}/*.ftl` and are compiled into the binary.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{Loader, static_loader};
use unic_langid::{LanguageIdentifier, langid};

static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "uk",
        // Unicode isolation marks around placeables would end up inside attribute values
        // and plain-text mail.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

static UK: LanguageIdentifier = langid!("uk");
static EN: LanguageIdentifier = langid!("en");

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Uk, Lang::En];

    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "uk" => Some(Lang::Uk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    pub fn other(self) -> Lang {
        match self {
            Lang::Uk => Lang::En,
            Lang::En => Lang::Uk,
        }
    }

    fn id(self) -> &'static LanguageIdentifier {
        match self {
            Lang::Uk => &UK,
            Lang::En => &EN,
        }
    }

    /// The first of our languages in an `Accept-Language` header; Ukrainian otherwise.
    pub fn from_accept_language(header: Option<&str>) -> Lang {
        let Some(header) = header else {
            return Lang::Uk;
        };
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|v| v.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            if let Some(lang) = Lang::parse(primary)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l).unwrap_or(Lang::Uk)
    }

    /// Of two texts (names, sections, help) kept in both languages, the one in this language.
    pub fn pick<T>(self, uk: T, en: T) -> T {
        match self {
            Lang::Uk => uk,
            Lang::En => en,
        }
    }

    /// The UI string `key`. A missing key shows as the key itself (and a test forbids that).
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.id(), key)
    }

    /// The UI string `key` with named arguments; numbers select plural forms.
    pub fn t_args(self, key: &str, args: &[(&'static str, Arg<'_>)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(name, value)| {
                let v = match value {
                    Arg::Str(s) => FluentValue::from(s.to_string()),
                    Arg::Num(n) => FluentValue::from(*n),
                };
                (Cow::Borrowed(*name), v)
            })
            .collect();
        LOCALES.lookup_with_args(self.id(), key, &map)
    }

    /// Whether `key` exists and formats cleanly (with sample values for any arguments).
    pub fn has_key(self, key: &str) -> bool {
        let mut args: HashMap<Cow<'static, str>, FluentValue> = HashMap::new();
        for name in [
            "count", "minutes", "hours", "line", "n", "rows", "written", "bad", "listed",
        ] {
            args.insert(Cow::Borrowed(name), FluentValue::from(2));
        }
        for name in [
            "name",
            "email",
            "query",
            "code",
            "date",
            "old",
            "new",
            "message",
            "share",
            "population",
            "number",
            "pct",
            "dataset",
            "period",
            "deadline",
            "address",
            "reason",
        ] {
            args.insert(Cow::Borrowed(name), FluentValue::from("x"));
        }
        LOCALES
            .try_lookup_with_args(self.id(), key, &args)
            .is_some()
    }
}

pub enum Arg<'a> {
    Str(&'a str),
    Num(i64),
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(lang: &str) -> std::collections::BTreeSet<String> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("locales")
            .join(lang);
        let mut keys = std::collections::BTreeSet::new();
        for entry in std::fs::read_dir(dir).expect("locale dir") {
            let text = std::fs::read_to_string(entry.expect("entry").path()).expect("ftl");
            for line in text.lines() {
                if let Some((key, _)) = line.split_once(" =")
                    && !key.starts_with([' ', '#', '-'])
                    && !key.is_empty()
                {
                    keys.insert(key.trim().to_string());
                }
            }
        }
        keys
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let uk = keys("uk");
        let en = keys("en");
        assert!(uk.len() > 20, "suspiciously few keys: {}", uk.len());
        let only_uk: Vec<_> = uk.difference(&en).collect();
        let only_en: Vec<_> = en.difference(&uk).collect();
        assert!(
            only_uk.is_empty() && only_en.is_empty(),
            "only uk: {only_uk:?}; only en: {only_en:?}"
        );
        for key in &uk {
            assert!(
                Lang::Uk.has_key(key) && Lang::En.has_key(key),
                "{key} does not load"
            );
        }
    }

    #[test]
    fn ukrainian_plural_forms() {
        let n = |count: i64| Lang::Uk.t_args("hromada-count", &[("count", Arg::Num(count))]);
        assert_eq!(n(1), "1 громада");
        assert_eq!(n(2), "2 громади");
        assert_eq!(n(4), "4 громади");
        assert_eq!(n(5), "5 громад");
        assert_eq!(n(11), "11 громад");
        assert_eq!(n(21), "21 громада");
        assert_eq!(n(22), "22 громади");
        assert_eq!(n(1469), "1469 громад");
        let e = |count: i64| Lang::En.t_args("hromada-count", &[("count", Arg::Num(count))]);
        assert_eq!(e(1), "1 hromada");
        assert_eq!(e(5), "5 hromadas");
    }

    #[test]
    fn accept_language_prefers_quality() {
        assert_eq!(Lang::from_accept_language(None), Lang::Uk);
        assert_eq!(Lang::from_accept_language(Some("en-GB,en;q=0.9")), Lang::En);
        assert_eq!(
            Lang::from_accept_language(Some("de, en;q=0.5, uk;q=0.8")),
            Lang::Uk
        );
        assert_eq!(Lang::from_accept_language(Some("fr")), Lang::Uk);
    }
}
