//! The OpenAPI document against what the server really answers: every answer to `/api/v1/...`
//! that the suite receives (`TestApp::request` calls [`check`]) must have its status documented
//! for its operation, a documented content type, and, as JSON, a body that fits the documented
//! schema (validated by a real JSON Schema 2020-12 validator, formats included). An answer that
//! does not fit fails the test that asked for it. The document is the one the server serves,
//! built once per test binary.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use axum::http::{Method, StatusCode};
use serde_json::Value;

/// The served document and the validators made from it so far.
pub struct Document {
    doc: Value,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// The document, built once per test binary.
pub fn document() -> &'static Document {
    static DOC: OnceLock<Document> = OnceLock::new();
    DOC.get_or_init(|| {
        let doc = serde_json::to_value(hromada::app::openapi()).expect("document");
        Document {
            doc,
            validators: Mutex::new(HashMap::new()),
        }
    })
}

/// Panics, naming every problem, when an answer does not fit the document.
pub fn check(method: &Method, uri: &str, status: StatusCode, content_type: &str, body: &[u8]) {
    let problems = document().problems(method, uri, status, content_type, body);
    assert!(
        problems.is_empty(),
        "{method} {uri} answered {status} as the OpenAPI document does not say:\n{}\nbody: {}",
        problems.join("\n"),
        String::from_utf8_lossy(&body[..body.len().min(2000)])
    );
}

impl Document {
    /// The document as JSON.
    pub fn json(&self) -> &Value {
        &self.doc
    }

    /// The path template of the document that `path` falls under: the one with the most fixed
    /// segments, as the router prefers `/members/figures` to `/members/{x}`.
    pub fn template(&self, path: &str) -> Option<String> {
        let wanted: Vec<&str> = path.split('/').collect();
        let mut best: Option<(usize, &String)> = None;
        for template in self.doc["paths"].as_object()?.keys() {
            let parts: Vec<&str> = template.split('/').collect();
            if parts.len() != wanted.len() {
                continue;
            }
            let mut fixed = 0;
            let fits = parts.iter().zip(&wanted).all(|(t, w)| {
                if t.starts_with('{') && t.ends_with('}') {
                    !w.is_empty()
                } else {
                    fixed += 1;
                    t == w
                }
            });
            if fits && best.is_none_or(|(n, _)| fixed > n) {
                best = Some((fixed, template));
            }
        }
        best.map(|(_, t)| t.clone())
    }

    /// Everything about an answer that the document does not say; empty when it fits.
    pub fn problems(
        &self,
        method: &Method,
        uri: &str,
        status: StatusCode,
        content_type: &str,
        body: &[u8],
    ) -> Vec<String> {
        let path = uri.split(['?', '#']).next().unwrap_or_default();
        if !path.starts_with("/api/v1/") || path == "/api/v1/openapi.json" {
            return Vec::new();
        }
        let envelope = serde_json::json!({"$ref": "#/components/schemas/ErrorEnvelope"});
        let Some(template) = self.template(path) else {
            // No operation: only the router's own "no such path" may answer.
            let mut problems = Vec::new();
            if status != StatusCode::NOT_FOUND {
                problems.push(format!("no documented operation at {path}, yet {status}"));
            }
            self.fits("not found", &envelope, content_type, body, &mut problems);
            return problems;
        };
        let operation = &self.doc["paths"][&template][method.as_str().to_lowercase()];
        if !operation.is_object() {
            if *method == Method::HEAD {
                return Vec::new();
            }
            // A method the path does not have: 405, with the error envelope.
            let mut problems = Vec::new();
            if status != StatusCode::METHOD_NOT_ALLOWED {
                problems.push(format!(
                    "{method} {template} is not documented, yet {status}"
                ));
            }
            self.fits(
                "method not allowed",
                &envelope,
                content_type,
                body,
                &mut problems,
            );
            return problems;
        }
        let id = operation["operationId"].as_str().unwrap_or("?");
        let response = &operation["responses"][status.as_str()];
        if !response.is_object() {
            return vec![format!(
                "{id} ({method} {template}) does not document {status}; it documents {:?}",
                operation["responses"]
                    .as_object()
                    .map(|r| r.keys().cloned().collect::<Vec<_>>())
                    .unwrap_or_default()
            )];
        }
        let mut problems = Vec::new();
        let base = content_type
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        let content = response["content"].as_object();
        if body.is_empty() && content.is_none() {
            return problems;
        }
        let Some(content) = content else {
            problems.push(format!(
                "{id} {status} documents no body, yet one came ({content_type})"
            ));
            return problems;
        };
        let Some(documented) = content.get(&base) else {
            problems.push(format!(
                "{id} {status} came as {content_type:?}; documented: {:?}",
                content.keys().collect::<Vec<_>>()
            ));
            return problems;
        };
        if base == "application/json"
            && let Some(schema) = documented.get("schema")
        {
            self.fits(
                &format!("{id} {status}"),
                schema,
                content_type,
                body,
                &mut problems,
            );
        }
        problems
    }

    /// Every place where `value` does not fit `schema`, a schema of the document.
    pub fn value_problems(&self, schema: &Value, value: &Value) -> Vec<String> {
        self.validator(schema)
            .iter_errors(value)
            .map(|e| format!("at {}: {e}", e.instance_path().as_str()))
            .collect()
    }

    /// Checks a JSON body against a schema of the document (its `$ref`s resolve in it).
    fn fits(
        &self,
        what: &str,
        schema: &Value,
        content_type: &str,
        body: &[u8],
        problems: &mut Vec<String>,
    ) {
        if !content_type.starts_with("application/json") {
            problems.push(format!("{what}: came as {content_type:?}, not JSON"));
            return;
        }
        let value: Value = match serde_json::from_slice(body) {
            Ok(v) => v,
            Err(e) => {
                problems.push(format!("{what}: the body is not JSON ({e})"));
                return;
            }
        };
        for problem in self.value_problems(schema, &value) {
            problems.push(format!("{what}: {problem}"));
        }
    }

    /// A validator for one schema of the document, made once.
    fn validator(&self, schema: &Value) -> Arc<jsonschema::Validator> {
        let key = schema.to_string();
        let mut made = self
            .validators
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        made.entry(key)
            .or_insert_with(|| {
                // The schema with the document's components beside it, so that its
                // `#/components/schemas/...` references resolve.
                let mut root = serde_json::json!({ "allOf": [schema] });
                root["components"] = self.doc["components"].clone();
                Arc::new(
                    jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft202012)
                        .should_validate_formats(true)
                        .build(&root)
                        .unwrap_or_else(|e| panic!("a schema of the document: {e}\n{schema}")),
                )
            })
            .clone()
    }
}

// ---- the check itself can fail -----------------------------------------------------------

fn problems(method: Method, uri: &str, status: u16, content_type: &str, body: &str) -> Vec<String> {
    document().problems(
        &method,
        uri,
        StatusCode::from_u16(status).expect("status"),
        content_type,
        body.as_bytes(),
    )
}

const JSON: &str = "application/json";

#[test]
fn a_documented_answer_passes() {
    let person = r#"{"id": 1, "name_uk": "Олена", "name_en": "Olena", "email": null,
        "phone": null, "is_demo": false, "posts": [], "mayor_page": [], "photo": null}"#;
    assert_eq!(
        problems(Method::GET, "/api/v1/people/1", 200, JSON, person),
        Vec::<String>::new()
    );
    let error = r#"{"error": {"code": "not_found", "message": "Немає", "fields": []}}"#;
    assert_eq!(
        problems(Method::GET, "/api/v1/people/7?x=1", 404, JSON, error),
        Vec::<String>::new()
    );
    // Pages are not the API's business.
    assert!(problems(Method::GET, "/uk/people/1", 418, "text/html", "<p>").is_empty());
}

#[test]
fn an_undocumented_status_fails() {
    let error = r#"{"error": {"code": "conflict", "message": "x", "fields": []}}"#;
    let found = problems(Method::GET, "/api/v1/people/1", 409, JSON, error);
    assert!(found[0].contains("does not document 409"), "{found:?}");
}

#[test]
fn a_body_that_does_not_fit_fails() {
    // `id` a string, `is_demo` missing, a date that is no date.
    let person = r#"{"id": "1", "name_uk": "Олена", "name_en": "Olena", "email": null,
        "phone": null, "posts": [{"id": 1, "kind": "head", "community": "UA1",
        "since": "yesterday", "until": null, "end_reason": null}], "mayor_page": [],
        "photo": null}"#;
    let found = problems(Method::GET, "/api/v1/people/1", 200, JSON, person).join("\n");
    assert!(found.contains("/id"), "{found}");
    assert!(found.contains("is_demo"), "{found}");
    assert!(found.contains("/posts/0/since"), "{found}");
    let error = r#"{"error": {"code": "no_such_code", "message": "x", "fields": []}}"#;
    let found = problems(Method::GET, "/api/v1/people/1", 404, JSON, error).join("\n");
    assert!(found.contains("/error/code"), "{found}");
}

#[test]
fn an_undocumented_content_type_or_method_fails() {
    let found = problems(Method::GET, "/api/v1/people/1", 200, "text/html", "<p>");
    assert!(found[0].contains("text/html"), "{found:?}");
    let error = r#"{"error": {"code": "csrf", "message": "x", "fields": []}}"#;
    let found = problems(Method::DELETE, "/api/v1/news", 403, JSON, error);
    assert!(found[0].contains("not documented, yet 403"), "{found:?}");
    let found = problems(Method::GET, "/api/v1/no-such-thing", 200, JSON, "{}");
    assert!(found[0].contains("no documented operation"), "{found:?}");
}

#[test]
fn the_most_specific_template_is_chosen() {
    let doc = document();
    assert_eq!(
        doc.template("/api/v1/members/figures").as_deref(),
        Some("/api/v1/members/figures")
    );
    assert_eq!(
        doc.template("/api/v1/news/12/cover").as_deref(),
        Some("/api/v1/news/{id}/cover")
    );
    assert_eq!(doc.template("/api/v1/news//cover"), None);
}
