//! Settings: defaults, then an optional TOML file, then `HROMADA_*` environment variables
//! (and `DATABASE_URL`). Tests build [`Settings`] directly, so nothing here is global.

use std::path::Path;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// Every setting, its environment variable, default and meaning. `hromada --help` prints this
/// table and the README repeats it; a unit test keeps the table and [`Settings`] in step.
pub const SETTINGS_TABLE: &[(&str, &str, &str)] = &[
    (
        "HROMADA_LISTEN",
        "127.0.0.1:8080",
        "address and port the server listens on",
    ),
    (
        "DATABASE_URL",
        "sqlite://hromada.db",
        "sqlite://FILE (created on first start) or postgres://USER@HOST/DB",
    ),
    (
        "HROMADA_BASE_URL",
        "http://127.0.0.1:8080",
        "public address used in emailed links; https:// turns on Secure cookies",
    ),
    (
        "HROMADA_SMTP_URL",
        "(none)",
        "smtp://host:port or smtps://user:pass@host; without it mail waits in the outbox",
    ),
    (
        "HROMADA_MAIL_FROM",
        "hromada <noreply@localhost>",
        "sender of outgoing mail",
    ),
    ("HROMADA_LOG_FORMAT", "text", "text or json"),
    (
        "HROMADA_LOG_LEVEL",
        "info",
        "tracing filter, e.g. info,hromada=debug",
    ),
    (
        "HROMADA_SESSION_DAYS",
        "14",
        "how long a login lasts without activity",
    ),
    (
        "HROMADA_TRUST_PROXY",
        "false",
        "take the client address from X-Forwarded-For (the entry the trusted proxies added)",
    ),
    (
        "HROMADA_TRUSTED_PROXIES",
        "1",
        "how many proxies in front of hromada append to X-Forwarded-For",
    ),
    (
        "HROMADA_SECRET_KEY_FILE",
        "(beside the SQLite file)",
        "key file that seals secrets in the database; required with PostgreSQL",
    ),
    (
        "HROMADA_METRICS_TOKEN",
        "(none: /metrics is off)",
        "bearer token that /metrics asks for",
    ),
    (
        "HROMADA_MAX_BODY_BYTES",
        "1048576",
        "largest request body accepted",
    ),
    (
        "HROMADA_DB_MAX_CONNECTIONS",
        "10",
        "database connection pool size",
    ),
    (
        "HROMADA_LOGIN_LIMIT_ACCOUNT",
        "5",
        "login attempts per account from one address per 15 minutes (a browser that signed in before is not held back; IPv6 per /64)",
    ),
    (
        "HROMADA_LOGIN_LIMIT_ADDRESS",
        "20",
        "login attempts and reset requests per address per 15 minutes",
    ),
    (
        "HROMADA_PAGE_CACHE_MS",
        "1000",
        "how often each instance asks the database whether public pages changed, in ms (0: every request)",
    ),
    (
        "HROMADA_PAGE_CACHE_MB",
        "64",
        "memory for public pages kept rendered and compressed, per instance",
    ),
    (
        "HROMADA_CONFIG",
        "(none)",
        "path of an optional TOML file with the same keys in lower case",
    ),
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    pub listen: String,
    pub database_url: String,
    pub base_url: String,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub log_format: LogFormat,
    pub log_level: String,
    pub session_days: u32,
    pub trust_proxy: bool,
    pub trusted_proxies: u8,
    pub secret_key_file: Option<std::path::PathBuf>,
    pub metrics_token: Option<String>,
    pub max_body_bytes: usize,
    pub db_max_connections: u32,
    pub login_limit_account: u32,
    pub login_limit_address: u32,
    pub page_cache_ms: u64,
    pub page_cache_mb: u64,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://hromada.db".into(),
            base_url: "http://127.0.0.1:8080".into(),
            smtp_url: None,
            mail_from: "hromada <noreply@localhost>".into(),
            log_format: LogFormat::Text,
            log_level: "info".into(),
            session_days: 14,
            trust_proxy: false,
            trusted_proxies: 1,
            secret_key_file: None,
            metrics_token: None,
            max_body_bytes: 1024 * 1024,
            db_max_connections: 10,
            login_limit_account: 5,
            login_limit_address: 20,
            page_cache_ms: 1000,
            page_cache_mb: 64,
        }
    }
}

impl Settings {
    /// Reads the optional TOML file, then the environment. `HROMADA_CONFIG` names the file when
    /// `file` is `None`. A missing named file, an unknown key or a bad value is an error.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Settings> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        let env_file = std::env::var_os("HROMADA_CONFIG").map(std::path::PathBuf::from);
        if let Some(path) = file.map(Path::to_path_buf).or(env_file) {
            if !path.is_file() {
                anyhow::bail!("configuration file {} does not exist", path.display());
            }
            figment = figment.merge(Toml::file(path));
        }
        figment = figment
            .merge(Env::prefixed("HROMADA_").ignore(&["CONFIG"]))
            .merge(Env::raw().only(&["DATABASE_URL"]));
        let settings: Settings = figment.extract()?;
        settings.validate()?;
        Ok(settings)
    }

    pub fn validate(&self) -> anyhow::Result<()> {
        crate::db::DbKind::from_url(&self.database_url)?;
        self.listen.parse::<std::net::SocketAddr>().map_err(|e| {
            anyhow::anyhow!(
                "HROMADA_LISTEN {:?} is not an address:port ({e})",
                self.listen
            )
        })?;
        let base = url::Url::parse(&self.base_url).map_err(|e| {
            anyhow::anyhow!("HROMADA_BASE_URL {:?} is not a URL ({e})", self.base_url)
        })?;
        if !matches!(base.scheme(), "http" | "https") {
            anyhow::bail!("HROMADA_BASE_URL must start with http:// or https://");
        }
        if let Some(smtp) = &self.smtp_url {
            lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::from_url(smtp)
                .map_err(|e| anyhow::anyhow!("HROMADA_SMTP_URL is not a usable SMTP URL: {e}"))?;
        }
        self.mail_from
            .parse::<lettre::message::Mailbox>()
            .map_err(|_| {
                anyhow::anyhow!(
                    "HROMADA_MAIL_FROM {:?} is not a mail address",
                    self.mail_from
                )
            })?;
        if self.trust_proxy && self.trusted_proxies == 0 {
            anyhow::bail!(
                "HROMADA_TRUSTED_PROXIES must be at least 1 when HROMADA_TRUST_PROXY is true"
            );
        }
        if self.metrics_token.as_deref().is_some_and(|t| t.len() < 16) {
            anyhow::bail!("HROMADA_METRICS_TOKEN must be at least 16 characters long");
        }
        if self.session_days == 0 || self.db_max_connections == 0 {
            anyhow::bail!("HROMADA_SESSION_DAYS and HROMADA_DB_MAX_CONNECTIONS must be above zero");
        }
        Ok(())
    }

    /// Cookies get the Secure flag when the public address is HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }

    pub fn help_table() -> String {
        let mut out = String::from("Settings (environment variable, default, meaning):\n");
        for (name, default, meaning) in SETTINGS_TABLE {
            out.push_str(&format!("  {name:<28} {default:<28} {meaning}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lists_every_setting() {
        let value = serde_json::to_value(Settings::default()).expect("serialises");
        let keys: Vec<String> = value.as_object().expect("object").keys().cloned().collect();
        for key in &keys {
            let env = if key == "database_url" {
                "DATABASE_URL".to_string()
            } else {
                format!("HROMADA_{}", key.to_uppercase())
            };
            assert!(
                SETTINGS_TABLE.iter().any(|(name, _, _)| *name == env),
                "{env} missing from SETTINGS_TABLE"
            );
        }
        assert_eq!(
            SETTINGS_TABLE.len(),
            keys.len() + 1,
            "the table lists a setting that does not exist"
        );
    }

    #[test]
    fn defaults_are_valid() {
        Settings::default().validate().expect("defaults validate");
    }

    #[test]
    fn unknown_database_scheme_is_refused() {
        let settings = Settings {
            database_url: "mysql://x/y".into(),
            ..Settings::default()
        };
        let err = settings.validate().expect_err("mysql refused").to_string();
        assert!(err.contains("mysql"), "{err}");
    }
}
