//! What every HTML page needs: language, title, the signed-in account, the CSRF token for
//! forms, and links to the same page in the other language.

use super::Ctx;
use crate::i18n::{Arg, Lang};

#[derive(Debug, Clone)]
pub struct PageCtx {
    pub lang: Lang,
    pub title: String,
    pub csrf: String,
    pub user_name: Option<String>,
    pub is_admin: bool,
    pub is_staff: bool,
    pub unverified: bool,
    /// The current path without its language prefix, with the query string.
    rest: String,
}

impl PageCtx {
    pub fn new(ctx: &Ctx, title_key: &str) -> PageCtx {
        let lang = ctx.lang;
        let prefix = format!("/{}", lang.code());
        let rest = ctx
            .path_and_query
            .strip_prefix(&prefix)
            .unwrap_or("/")
            .to_string();
        let rest = if rest.is_empty() || rest.starts_with('?') {
            format!("/{rest}")
        } else {
            rest
        };
        let principal = ctx.principal.as_ref();
        PageCtx {
            lang,
            title: lang.t(title_key),
            csrf: ctx.csrf.clone(),
            user_name: principal.map(|p| p.user.display_name.clone()),
            is_admin: principal
                .is_some_and(|p| p.has_role(crate::identity::Role::Admin) && p.second_factor_ok()),
            is_staff: principal.is_some_and(|p| p.is_staff()),
            unverified: principal.is_some_and(|p| !p.user.email_verified),
            rest,
        }
    }

    pub fn with_title(mut self, title: String) -> PageCtx {
        self.title = title;
        self
    }

    /// The stylesheet under its content-hashed name.
    pub fn stylesheet(&self) -> &'static str {
        super::ops::stylesheet_href()
    }

    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }

    /// The string `prefix` + `suffix`, for keys that name a value (`outbox-status-sent`).
    pub fn tk(&self, prefix: &str, suffix: impl std::fmt::Display) -> String {
        self.lang.t(&format!("{prefix}{suffix}"))
    }

    pub fn tn(&self, key: &str, name: &'static str, n: &i64) -> String {
        self.lang.t_args(key, &[(name, Arg::Num(*n))])
    }

    pub fn ts(&self, key: &str, name: &'static str, value: &str) -> String {
        self.lang.t_args(key, &[(name, Arg::Str(value))])
    }

    /// A link inside the site in the current language: `url("/login")` → `/uk/login`.
    pub fn url(&self, rest: &str) -> String {
        format!("/{}{rest}", self.lang.code())
    }

    /// This page in `code`'s language.
    pub fn href_in(&self, code: &str) -> String {
        format!("/{code}{}", self.rest)
    }

    pub fn other(&self) -> Lang {
        self.lang.other()
    }

    /// Date and time in Kyiv, as people in Ukraine read it.
    pub fn when(&self, t: &chrono::DateTime<chrono::Utc>) -> String {
        t.with_timezone(&chrono_tz::Europe::Kyiv)
            .format("%Y-%m-%d %H:%M")
            .to_string()
    }

    pub fn when_opt(&self, t: &Option<chrono::DateTime<chrono::Utc>>) -> String {
        t.as_ref().map(|t| self.when(t)).unwrap_or_default()
    }
}

/// Renders a page template; a template failure is a 500 with the details in the log.
pub fn render<T: askama::Template>(
    page: &T,
) -> crate::error::AppResult<axum::response::Html<String>> {
    page.render()
        .map(axum::response::Html)
        .map_err(|e| crate::error::AppError::Internal(e.into()))
}

/// `?done=…` on the page a form redirects to: which change the page confirms.
#[derive(serde::Deserialize, Default)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// Plain text split into its paragraphs (blank lines between them), trimmed, empty ones left
/// out; templates write each in its own `<p>`, escaped.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Text escaped for HTML or XML content and attribute values, for markup built outside
/// templates (feeds, sitemaps, search snippets).
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
