//! Enums stored and sent as a fixed text code per variant: states, kinds, statuses, and the
//! intents forms and programs send (`decision=approve`, a news `move`).
//!
//! A feature declares one with [`text_enum!`](crate::text_enum) and gets, from the one table of
//! codes: `code()`, `parse()`, `ALL`, `Display` (the code, for templates), serde as the code
//! (an unknown code is refused, so a form or body naming no such value fails at the extractor
//! with its field named), sqlx `Type`/`Encode`/`Decode` on both backends as text (a row whose
//! column holds an unknown code fails to decode with a clear error instead of becoming a
//! string that every reader must check again), and a `utoipa` schema: a string enum listing the
//! codes. Written by hand rather than with `#[derive(sqlx::Type)]`, which on PostgreSQL would
//! ask for a database enum type of that name; our columns are `TEXT` on both backends.
//!
//! ```ignore
//! crate::text_enum! {
//!     /// Where an item stands.
//!     pub enum State as "NewsState" {
//!         Draft = "draft",
//!         InReview = "in_review",
//!     }
//! }
//! ```
//! `as "NewsState"` names the schema in the API document when the type's own name is taken
//! by another feature's enum (it defaults to the type's name).

use serde::Deserialize;

/// For an optional enum in a query or form where an empty value means "none chosen" (a
/// select's first option): `#[serde(default, deserialize_with = "crate::db::text_enum::empty_as_none")]`.
pub fn empty_as_none<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<String>::deserialize(de)? {
        None => Ok(None),
        Some(text) if text.is_empty() => Ok(None),
        Some(text) => {
            T::deserialize(serde::de::value::StringDeserializer::<D::Error>::new(text)).map(Some)
        }
    }
}

/// For a code typed with spaces around it (`" admin "`), where a form or body always took
/// that: `#[serde(deserialize_with = "crate::db::text_enum::trimmed")]`.
pub fn trimmed<'de, D, T>(de: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    let text = String::deserialize(de)?;
    T::deserialize(serde::de::value::StrDeserializer::<D::Error>::new(
        text.trim(),
    ))
}

/// [`trimmed`] and [`empty_as_none`] together, for a form's select that may come back empty.
pub fn trimmed_or_none<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    match Option::<String>::deserialize(de)? {
        Some(text) if !text.trim().is_empty() => T::deserialize(
            serde::de::value::StrDeserializer::<D::Error>::new(text.trim()),
        )
        .map(Some),
        _ => Ok(None),
    }
}

/// Declares an enum whose variants are stored and sent as fixed text codes; see the module.
#[macro_export]
macro_rules! text_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident $(as $schema:literal)? {
            $( $(#[$vmeta:meta])* $variant:ident = $code:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant, )+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];
            /// Every code, in declaration order.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The text stored and sent for this variant.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code, )+
                }
            }

            /// The variant of a code; `None` for anything else.
            pub fn parse(code: &str) -> Option<$name> {
                match code {
                    $( $code => Some($name::$variant), )+
                    _ => None,
                }
            }
        }

        // Templates bind variants by reference (`{% if let Some(s) = status %}`) and compare
        // them with a path (`s == crate::sections::MemberStatus::Pending`).
        impl ::std::cmp::PartialEq<$name> for &$name {
            fn eq(&self, other: &$name) -> bool {
                **self == *other
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.code())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Codes;
                impl ::serde::de::Visitor<'_> for Codes {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        write!(f, "one of {:?}", $name::CODES)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::parse(v).ok_or_else(|| E::unknown_variant(v, $name::CODES))
                    }
                }
                d.deserialize_str(Codes)
            }
        }

        impl<DB: ::sqlx::Database> ::sqlx::Type<DB> for $name
        where
            str: ::sqlx::Type<DB>,
        {
            fn type_info() -> DB::TypeInfo {
                <str as ::sqlx::Type<DB>>::type_info()
            }
            fn compatible(ty: &DB::TypeInfo) -> bool {
                <str as ::sqlx::Type<DB>>::compatible(ty)
            }
        }

        impl<'q, DB: ::sqlx::Database> ::sqlx::Encode<'q, DB> for $name
        where
            &'q str: ::sqlx::Encode<'q, DB>,
        {
            fn encode_by_ref(
                &self,
                buf: &mut <DB as ::sqlx::Database>::ArgumentBuffer,
            ) -> Result<::sqlx::encode::IsNull, ::sqlx::error::BoxDynError> {
                <&'q str as ::sqlx::Encode<'q, DB>>::encode_by_ref(&self.code(), buf)
            }
        }

        impl<'r, DB: ::sqlx::Database> ::sqlx::Decode<'r, DB> for $name
        where
            &'r str: ::sqlx::Decode<'r, DB>,
        {
            fn decode(
                value: <DB as ::sqlx::Database>::ValueRef<'r>,
            ) -> Result<Self, ::sqlx::error::BoxDynError> {
                let code = <&'r str as ::sqlx::Decode<'r, DB>>::decode(value)?;
                $name::parse(code).ok_or_else(|| {
                    format!(
                        "{:?} is not a {} code (expected one of {:?})",
                        code,
                        stringify!($name),
                        $name::CODES
                    )
                    .into()
                })
            }
        }

        impl ::utoipa::PartialSchema for $name {
            fn schema() -> ::utoipa::openapi::RefOr<::utoipa::openapi::schema::Schema> {
                ::utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(::utoipa::openapi::schema::Type::String)
                    .enum_values(Some($name::CODES.iter().copied()))
                    .into()
            }
        }

        impl ::utoipa::ToSchema for $name {
            fn name() -> ::std::borrow::Cow<'static, str> {
                let names: &[&'static str] = &[stringify!($name) $(, $schema)?];
                ::std::borrow::Cow::Borrowed(names[names.len() - 1])
            }
        }
    };
}

#[cfg(test)]
mod tests {
    crate::text_enum! {
        /// A test enum.
        enum Light as "TestLight" {
            Red = "red",
            /// Documented variant.
            AmberBlink = "amber_blink",
        }
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_refused() {
        for l in Light::ALL {
            assert_eq!(Light::parse(l.code()), Some(l));
            assert_eq!(l.to_string(), l.code());
            let json = serde_json::to_string(&l).expect("serialise");
            assert_eq!(json, format!("\"{}\"", l.code()));
            assert_eq!(
                serde_json::from_str::<Light>(&json).expect("deserialise"),
                l
            );
        }
        assert_eq!(Light::parse("green"), None);
        let err = serde_json::from_str::<Light>("\"green\"").expect_err("unknown code");
        assert!(err.to_string().contains("green"), "{err}");
    }

    #[test]
    fn an_empty_form_value_is_none() {
        #[derive(serde::Deserialize)]
        struct Q {
            #[serde(default, deserialize_with = "super::empty_as_none")]
            light: Option<Light>,
        }
        let q: Q = serde_urlencoded::from_str("light=").expect("empty");
        assert_eq!(q.light, None);
        let q: Q = serde_urlencoded::from_str("").expect("absent");
        assert_eq!(q.light, None);
        let q: Q = serde_urlencoded::from_str("light=amber_blink").expect("known");
        assert_eq!(q.light, Some(Light::AmberBlink));
        assert!(serde_urlencoded::from_str::<Q>("light=green").is_err());
    }

    #[test]
    fn the_schema_lists_the_codes_under_its_name() {
        use utoipa::{PartialSchema, ToSchema};
        assert_eq!(Light::name(), "TestLight");
        let schema = serde_json::to_value(Light::schema()).expect("schema");
        assert_eq!(schema["type"], "string");
        assert_eq!(schema["enum"], serde_json::json!(["red", "amber_blink"]));
    }

    #[tokio::test]
    async fn both_backends_store_the_code_and_refuse_an_unknown_one() {
        let pool = sqlx::SqlitePool::connect("sqlite::memory:")
            .await
            .expect("sqlite");
        let (light,): (Light,) = sqlx::query_as("SELECT ?")
            .bind(Light::AmberBlink)
            .fetch_one(&pool)
            .await
            .expect("round trip");
        assert_eq!(light, Light::AmberBlink);
        let (text,): (String,) = sqlx::query_as("SELECT ?")
            .bind(Light::Red)
            .fetch_one(&pool)
            .await
            .expect("stored as text");
        assert_eq!(text, "red");
        let err = sqlx::query_as::<_, (Light,)>("SELECT 'green'")
            .fetch_one(&pool)
            .await
            .expect_err("unknown code");
        assert!(
            err.to_string().contains("\"green\" is not a Light code"),
            "{err}"
        );
        // PostgreSQL takes the same impls (`Type`, `Encode`, `Decode` over any database whose
        // `str` has them); the integration suite reads and writes them there.
        fn pg_has<T: sqlx::Type<sqlx::Postgres> + for<'r> sqlx::Decode<'r, sqlx::Postgres>>() {}
        pg_has::<Light>();
    }
}
