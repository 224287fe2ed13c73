//! `UnitCode`: a territorial unit's codifier code (КАТОТТГ), `UA` and exactly 17 digits,
//! parsed once where it enters (a path, a query, a form, a JSON body, a CSV row) and passed as
//! this type from then on. A value of it is always well formed; whether a unit carries it is
//! the snapshot's question.
//!
//! Deserializing refuses a malformed code with `web::extract::refusal("error-unit-code")`,
//! so the extractors answer with the field named and the registry's own message instead of a
//! generic "does not fit".

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// The UI string that explains the rule.
pub const ERROR_KEY: &str = "error-unit-code";

/// The rule as the API document states it.
pub const PATTERN: &str = r"^UA[0-9]{17}$";

#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, sqlx::Type)]
#[serde(transparent)]
#[sqlx(transparent)]
pub struct UnitCode(String);

impl UnitCode {
    /// `UA` followed by exactly 17 ASCII digits; nothing around it.
    pub fn parse(code: &str) -> Option<UnitCode> {
        is_valid(code).then(|| UnitCode(code.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn is_valid(code: &str) -> bool {
    code.len() == 19 && code.starts_with("UA") && code[2..].bytes().all(|b| b.is_ascii_digit())
}

/// A malformed unit code (`"UA0502".parse::<UnitCode>()`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAUnitCode;

impl fmt::Display for NotAUnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a unit code: `UA` and 17 digits")
    }
}

impl std::error::Error for NotAUnitCode {}

impl std::str::FromStr for UnitCode {
    type Err = NotAUnitCode;
    fn from_str(s: &str) -> Result<UnitCode, NotAUnitCode> {
        UnitCode::parse(s).ok_or(NotAUnitCode)
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl AsRef<str> for UnitCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for UnitCode {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for UnitCode {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<&str> for UnitCode {
    fn eq(&self, other: &&str) -> bool {
        self.0 == *other
    }
}

struct CodeVisitor;

impl Visitor<'_> for CodeVisitor {
    type Value = UnitCode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a unit code: `UA` and 17 digits")
    }

    // The refusal is raised inside the visitor, so axum's path deserializer names the key.
    fn visit_str<E: de::Error>(self, s: &str) -> Result<UnitCode, E> {
        UnitCode::parse(s).ok_or_else(|| crate::web::extract::refusal(ERROR_KEY))
    }
}

impl<'de> Deserialize<'de> for UnitCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<UnitCode, D::Error> {
        d.deserialize_str(CodeVisitor)
    }
}

/// For `#[serde(default, deserialize_with = "registry::code::blank_as_none")]` on an
/// `Option<UnitCode>` of a query or form: an empty (or blank) value is no code, as an empty
/// select or text field sends it; anything else must be a code, spaces around it aside.
pub fn blank_as_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<UnitCode>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => UnitCode::parse(s)
            .map(Some)
            .ok_or_else(|| crate::web::extract::refusal(ERROR_KEY)),
    }
}

/// Codes written in one text field, separated by commas, semicolons, spaces or new lines, as a
/// form or a query string carries a list; every one must be a code.
pub fn parse_list(text: &str) -> Result<Vec<UnitCode>, NotAUnitCode> {
    text.split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|s| !s.is_empty())
        .map(str::parse)
        .collect()
}

/// For `#[serde(default, deserialize_with = "registry::code::listed")]` on a `Vec<UnitCode>`
/// that a query writes as one value (`units=UA…,UA…`); see [`parse_list`].
pub fn listed<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<UnitCode>, D::Error> {
    let raw: Option<String> = Option::deserialize(d)?;
    parse_list(raw.as_deref().unwrap_or("")).map_err(|_| crate::web::extract::refusal(ERROR_KEY))
}

impl utoipa::PartialSchema for UnitCode {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(PATTERN))
            .description(Some("codifier code: `UA` and 17 digits"))
            .into()
    }
}

impl utoipa::ToSchema for UnitCode {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_ua_and_17_digits() {
        let code = UnitCode::parse("UA05020030000031457").expect("a real code");
        assert_eq!(code.as_str(), "UA05020030000031457");
        assert_eq!(code.to_string(), "UA05020030000031457");
        assert_eq!(format!("{code:?}"), "\"UA05020030000031457\"");
        for wrong in [
            "",
            "UA",
            "UA0502003000003145",
            "UA050200300000314570",
            "ua05020030000031457",
            "UA0502003000003145x",
            "UA05020030000031457 ",
            " UA05020030000031457",
            "UA０5020030000031457",
            "XX05020030000031457",
        ] {
            assert_eq!(UnitCode::parse(wrong), None, "{wrong:?}");
            assert_eq!(wrong.parse::<UnitCode>(), Err(NotAUnitCode), "{wrong:?}");
        }
    }

    #[test]
    fn orders_and_compares_as_its_text() {
        let a = UnitCode::parse("UA05000000000000000").expect("code");
        let b = UnitCode::parse("UA05020030000031457").expect("code");
        assert!(a < b);
        assert_eq!(b, "UA05020030000031457");
        let set: std::collections::HashSet<UnitCode> = [b.clone()].into();
        assert!(set.contains("UA05020030000031457"));
    }

    #[test]
    fn serde_writes_a_string_and_refuses_a_malformed_one() {
        let code: UnitCode = serde_json::from_str("\"UA05020030000031457\"").expect("code");
        assert_eq!(
            serde_json::to_string(&code).expect("json"),
            "\"UA05020030000031457\""
        );
        let bad = serde_json::from_str::<UnitCode>("\"UA0502\"").expect_err("refused");
        assert_eq!(
            crate::web::extract::refused_key(&bad.to_string()),
            Some(ERROR_KEY)
        );
        assert!(serde_json::from_str::<UnitCode>("5").is_err());
    }

    #[test]
    fn a_blank_optional_code_is_none() {
        #[derive(Deserialize)]
        struct Q {
            #[serde(default, deserialize_with = "blank_as_none")]
            parent: Option<UnitCode>,
        }
        let q: Q = serde_urlencoded::from_str("parent=").expect("blank");
        assert_eq!(q.parent, None);
        let q: Q = serde_urlencoded::from_str("").expect("absent");
        assert_eq!(q.parent, None);
        let q: Q = serde_urlencoded::from_str("parent=+UA05020030000031457+").expect("code");
        assert_eq!(
            q.parent.as_ref().map(UnitCode::as_str),
            Some("UA05020030000031457")
        );
        assert!(serde_urlencoded::from_str::<Q>("parent=UA0502").is_err());
    }
}
