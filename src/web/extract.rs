//! The request extractors handlers use instead of axum's own: the same `Form`, `Json` and
//! `Query`, plus one rule for every text that enters the system: no control characters
//! (NUL and the other C0 codes except tab, line feed and carriage return). PostgreSQL cannot
//! store NUL at all, and none of these has a place in a name, an address or a text.
//! Axum's rejections (wrong content type, malformed data, too large) pass through unchanged
//! and are rendered by `errors::render`. A query string or JSON body of the API whose value
//! does not fit its field (`limit=abc`, `{"move": "archive"}` where the move is an enum)
//! answers 422 naming the field, like every other bad input of the API; pages answer such a
//! query 400.
//!
//! A domain type that refuses a malformed value while it is deserialized (a unit code) says
//! so with [`refusal`]: the extractors then answer with the field named and the type's own
//! message (the API 422; a page's query or path 400 with that message). [`Path`] does this for
//! path values; any other failure of a path passes through as axum's own rejection.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use crate::error::AppError;

fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

fn clean_pairs(pairs: &[(String, String)]) -> bool {
    !pairs
        .iter()
        .any(|(k, v)| k.chars().any(is_forbidden) || v.chars().any(is_forbidden))
}

fn clean_json(value: &serde_json::Value) -> bool {
    match value {
        serde_json::Value::String(s) => !s.chars().any(is_forbidden),
        serde_json::Value::Array(items) => items.iter().all(clean_json),
        serde_json::Value::Object(map) => map
            .iter()
            .all(|(k, v)| !k.chars().any(is_forbidden) && clean_json(v)),
        _ => true,
    }
}

/// Marks a deserialization error raised by [`refusal`].
const REFUSAL: &str = "refused by rule ";

/// The error a domain type raises for a malformed value while it is deserialized; `key` is the
/// UI string that explains its rule. The extractors recognise it by [`refused_key`].
pub fn refusal<E: serde::de::Error>(key: &'static str) -> E {
    E::custom(format_args!("{REFUSAL}{key}"))
}

/// The UI string key of a [`refusal`], found in a deserializer's message (which may add a
/// position after it).
pub fn refused_key(message: &str) -> Option<&str> {
    let (_, rest) = message.split_once(REFUSAL)?;
    rest.split_whitespace().next().filter(|k| !k.is_empty())
}

/// Why extracted data was refused.
enum Refused {
    ControlCharacters,
    /// A well-formed body without the fields and types the handler expects (422); the field
    /// whose value does not fit, when it is known.
    DoesNotFit(Option<String>),
    /// A value a domain type refused (422 naming the field, with the type's message).
    Malformed {
        field: String,
        key: String,
    },
    /// A query string the page cannot use (400), with the UI string that says why.
    BadQuery(String),
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        match self {
            Refused::ControlCharacters => {
                AppError::BadRequest("error-control-characters").into_response()
            }
            Refused::DoesNotFit(Some(field)) => {
                AppError::field(&field, "error-field-value").into_response()
            }
            Refused::DoesNotFit(None) => {
                let mut r = AppError::BadRequest("error-invalid-body").into_response();
                *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
                r
            }
            Refused::Malformed { field, key } => AppError::field(&field, &key).into_response(),
            Refused::BadQuery(key) => bad_request(&key),
        }
    }
}

/// Checks decoded url-encoded pairs, then decodes them into `T` (the encoding round-trips
/// exactly). A value that does not fit names its field.
fn pairs_into<T: DeserializeOwned>(pairs: &[(String, String)]) -> Result<T, Refused> {
    if !clean_pairs(pairs) {
        return Err(Refused::ControlCharacters);
    }
    let encoded = serde_urlencoded::to_string(pairs).map_err(|_| Refused::DoesNotFit(None))?;
    let decoder =
        serde_urlencoded::Deserializer::new(url::form_urlencoded::parse(encoded.as_bytes()));
    serde_path_to_error::deserialize(decoder).map_err(does_not_fit)
}

/// A deserialization error, with the field it happened at when there is one.
fn does_not_fit<E: std::fmt::Display>(e: serde_path_to_error::Error<E>) -> Refused {
    let field = e.path().to_string();
    let field = (!field.is_empty() && field != ".").then_some(field);
    match (field, refused_key(&e.inner().to_string())) {
        (Some(field), Some(key)) => Refused::Malformed {
            field,
            key: key.to_string(),
        },
        (field, _) => Refused::DoesNotFit(field),
    }
}

/// 400 with a UI string chosen at run time (a refusal's), rendered like `AppError::BadRequest`.
fn bad_request(key: &str) -> Response {
    let mut response = axum::http::StatusCode::BAD_REQUEST.into_response();
    response
        .extensions_mut()
        .insert(crate::error::ErrorInfo::new("bad_request", key));
    response
}

/// `application/x-www-form-urlencoded` bodies.
pub struct Form<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Form<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Form(pairs) = axum::Form::<Vec<(String, String)>>::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        pairs_into(&pairs)
            .map(Form)
            .map_err(IntoResponse::into_response)
    }
}

/// Query strings.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Query(pairs) =
            axum::extract::Query::<Vec<(String, String)>>::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
        let is_api = parts.uri.path().starts_with("/api/");
        pairs_into(&pairs)
            .map(Query)
            .map_err(|refused| match refused {
                Refused::DoesNotFit(_) if !is_api => {
                    Refused::BadQuery("error-bad-request".into()).into_response()
                }
                Refused::Malformed { key, .. } if !is_api => Refused::BadQuery(key).into_response(),
                other => other.into_response(),
            })
    }
}

/// JSON bodies in, JSON responses out.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let axum::Json(value) = axum::Json::<serde_json::Value>::from_request(req, state)
            .await
            .map_err(IntoResponse::into_response)?;
        if !clean_json(&value) {
            return Err(Refused::ControlCharacters.into_response());
        }
        serde_path_to_error::deserialize(value)
            .map(Json)
            .map_err(|e| {
                tracing::debug!(error = %e, "JSON body does not fit");
                does_not_fit(e).into_response()
            })
    }
}

/// Path values, for routes whose path carries a domain type that refuses a malformed value
/// (a unit code): such a value answers 422 naming its key under `/api/`, and 400 with the
/// type's message on a page, as the handlers did when they checked it themselves. Any other
/// failure (a non-numeric id) is axum's own rejection, as with `axum::extract::Path`.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::path::ErrorKind;
        use axum::extract::rejection::PathRejection;
        let is_api = parts.uri.path().starts_with("/api/");
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Path(value)),
            Err(PathRejection::FailedToDeserializePathParams(e)) => {
                if let ErrorKind::DeserializeError { key, message, .. } = e.kind()
                    && let Some(refused) = refused_key(message)
                {
                    return Err(if is_api {
                        AppError::field(key, refused).into_response()
                    } else {
                        bad_request(refused)
                    });
                }
                Err(PathRejection::FailedToDeserializePathParams(e).into_response())
            }
            Err(other) => Err(other.into_response()),
        }
    }
}

impl<T: serde::Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

/// The bytes of the `file` field of a multipart form, at most the route's body limit. Errs
/// with the UI string key that explains what went wrong.
pub async fn uploaded_file(multipart: axum::extract::Multipart) -> Result<Vec<u8>, &'static str> {
    uploaded_form(multipart)
        .await?
        .0
        .ok_or("upload-error-no-file")
}

/// A multipart form: the bytes of its `file` field (None when it has none, or an empty one)
/// and its other fields as text. Errs with a UI string key.
pub async fn uploaded_form(
    mut multipart: axum::extract::Multipart,
) -> Result<(Option<Vec<u8>>, Vec<(String, String)>), &'static str> {
    let mut file = None;
    let mut fields = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(upload_error)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let bytes = field.bytes().await.map_err(upload_error)?;
            file = (!bytes.is_empty()).then(|| bytes.to_vec());
        } else {
            let text = field.text().await.map_err(upload_error)?;
            fields.push((name, text));
        }
    }
    if !clean_pairs(&fields) {
        return Err("upload-error-failed");
    }
    Ok((file, fields))
}

fn upload_error(e: axum::extract::multipart::MultipartError) -> &'static str {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        "upload-error-too-large"
    } else {
        "upload-error-failed"
    }
}

/// The text of the `file` field of a multipart form (a CSV upload), as UTF-8.
pub async fn uploaded_text(multipart: axum::extract::Multipart) -> Result<String, &'static str> {
    let bytes = uploaded_file(multipart).await?;
    String::from_utf8(bytes).map_err(|_| "upload-error-encoding")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_anywhere() {
        assert!(clean_pairs(&[(
            "name".into(),
            "Олена\tІванівна\r\n".into()
        )]));
        assert!(!clean_pairs(&[("name".into(), "a\u{0}b".into())]));
        assert!(!clean_pairs(&[("a\u{7}".into(), String::new())]));
        assert!(clean_json(
            &serde_json::json!({"a": ["x", 1, null, {"b": "ї"}]})
        ));
        assert!(!clean_json(
            &serde_json::json!({"a": ["x", {"b": "\u{1b}[31m"}]})
        ));
    }

    #[test]
    fn a_refusal_is_recognised_with_its_key() {
        let e: serde_json::Error = refusal("error-unit-code");
        assert_eq!(refused_key(&e.to_string()), Some("error-unit-code"));
        let e = serde_json::from_str::<u8>("\"x\"").expect_err("not a number");
        assert_eq!(refused_key(&e.to_string()), None);
    }

    /// A type with a rule of its own, as a unit code has.
    struct Even;

    impl<'de> serde::Deserialize<'de> for Even {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Even, D::Error> {
            let n = u32::deserialize(d)?;
            if n % 2 == 0 {
                Ok(Even)
            } else {
                Err(refusal("error-even"))
            }
        }
    }

    #[derive(serde::Deserialize)]
    struct Pair {
        #[allow(dead_code)]
        n: Even,
    }

    #[test]
    fn a_refused_field_is_named_with_its_message() {
        let refused = pairs_into::<Pair>(&[("n".into(), "3".into())]).err();
        assert!(
            matches!(&refused, Some(Refused::Malformed { field, key }) if field == "n" && key == "error-even")
        );
        let misfit = pairs_into::<Pair>(&[("n".into(), "x".into())]).err();
        assert!(matches!(misfit, Some(Refused::DoesNotFit(Some(f))) if f == "n"));
        assert!(pairs_into::<Pair>(&[("n".into(), "4".into())]).is_ok());
    }
}
