//! Accounts, roles, sessions and tokens: the rules. SQL lives in `repo.rs`, pages in
//! `pages.rs`, the JSON API in `api.rs`.

pub mod account_pages;
pub mod actions;
pub mod admin_pages;
pub mod api;
pub mod limits;
pub mod login;
pub mod pages;
pub mod repo;
pub mod roles;
pub mod routes;
pub mod seeds;
pub mod totp;

/// How the request context finds who is asking (`identity::Lookup`): this feature's session
/// and token lookups, which the composition root puts in the state.
pub fn lookup() -> crate::identity::Lookup {
    crate::identity::Lookup {
        by_token: Some(by_token),
        by_session: Some(by_session),
    }
}

fn by_token<'a>(
    db: &'a crate::db::Db,
    hash: &'a str,
    now: chrono::DateTime<chrono::Utc>,
) -> futures_util::future::BoxFuture<'a, sqlx::Result<Option<crate::identity::Principal>>> {
    Box::pin(repo::principal_for_token(db, hash, now))
}

fn by_session<'a>(
    db: &'a crate::db::Db,
    hash: &'a str,
    now: chrono::DateTime<chrono::Utc>,
    lifetime: chrono::Duration,
) -> futures_util::future::BoxFuture<'a, sqlx::Result<Option<crate::identity::Principal>>> {
    Box::pin(repo::principal_for_session(db, hash, now, lifetime))
}

/// Hashes a password with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    use argon2::password_hash::PasswordHasher;
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::password_hash::PasswordVerifier;
    use argon2::password_hash::phc::PasswordHash;
    let Ok(parsed) = PasswordHash::new(phc) else {
        return false;
    };
    argon2::Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash to compare against when the account does not exist, so that a wrong email takes
/// as long as a wrong password.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a real password").unwrap_or_default())
}

pub const MIN_PASSWORD_LEN: usize = 10;

/// Rules for a new password; returns the UI string key of the problem.
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err("password-too-short");
    }
    if len > 256 {
        return Err("password-too-long");
    }
    if password.eq_ignore_ascii_case(email) {
        return Err("password-is-email");
    }
    Ok(())
}

/// A normalised email address, or the UI string key of the problem.
pub fn parse_email(raw: &str) -> Result<String, &'static str> {
    let email = raw.trim().to_lowercase();
    let valid = email.len() <= 254
        && email.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        })
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c == '<' || c == '>' || c == ',');
    if valid {
        Ok(email)
    } else {
        Err("email-invalid")
    }
}

/// A one-time password for `hromada user add` when none is given on standard input.
pub fn one_time_password() -> String {
    crate::secrets::new_secret("")[..20].to_string()
}

/// The page to go to after signing in, when `next` is a path on this site: it must begin with
/// one `/` (not `//` or `/\`), hold no whitespace, control character or backslash, also once
/// percent-decoded, and stay on `base`'s origin when joined to it. Browsers drop tabs and line
/// breaks from a `Location` and read `\` as `/`, so `/\t/evil.example` would leave the site.
/// Returns the path as the `url` crate serialises it (percent-encoded, safe in a header).
pub fn safe_next_path(base: &url::Url, next: &str) -> Option<String> {
    let bad = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    if next.len() > 2000
        || !next.starts_with('/')
        || next.starts_with("//")
        || next.chars().any(bad)
    {
        return None;
    }
    let decoded = percent_decode(next);
    if decoded.starts_with("//")
        || decoded
            .chars()
            .any(|c| c.is_control() || c == '\\' || (c.is_whitespace() && c != ' '))
    {
        return None;
    }
    let joined = base.join(next).ok()?;
    if joined.origin() != base.origin() || joined.username() != "" || joined.password().is_some() {
        return None;
    }
    let path = &joined[url::Position::BeforePath..];
    // A path that became `//host` after `.` segments were removed (`/.//evil`) would be read
    // as another site by the browser.
    (path.starts_with('/') && !path.starts_with("//")).then(|| path.to_string())
}

/// `%XX` sequences decoded (once), for checking what a server or browser might decode.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).copied().and_then(hex),
                bytes.get(i + 2).copied().and_then(hex),
            )
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(0));
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip_uses_argon2id() {
        let hash = hash_password("correct horse battery").expect("hash");
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse batterY", &hash));
        assert!(!verify_password("x", "not a phc string"));
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            parse_email("  Olena@Example.UA "),
            Ok("olena@example.ua".to_string())
        );
        for bad in [
            "",
            "olena",
            "@example.ua",
            "olena@",
            "olena@localhost",
            "a b@example.ua",
            "a@b.ua,c@d.ua",
        ] {
            assert!(parse_email(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn password_rules() {
        assert_eq!(
            check_new_password("short", "a@b.ua"),
            Err("password-too-short")
        );
        assert_eq!(
            check_new_password("a@b.ua.a@b.ua", "a@b.ua.a@b.ua"),
            Err("password-is-email")
        );
        assert!(check_new_password("довгий пароль тут", "a@b.ua").is_ok());
    }

    #[test]
    fn next_paths_stay_on_the_site() {
        let base = url::Url::parse("http://hromada.test").expect("base");
        for good in [
            "/uk/account",
            "/uk/admin/users?page=2&q=x",
            "/uk/units?q=%D0%9A%D0%B8%D1%97%D0%B2",
            "/uk/units?q=Біла%20Церква",
            "/en/news#top",
        ] {
            assert!(safe_next_path(&base, good).is_some(), "{good:?} refused");
        }
        assert_eq!(
            safe_next_path(&base, "/uk/admin/users?page=2&q=x").as_deref(),
            Some("/uk/admin/users?page=2&q=x")
        );
        assert_eq!(
            safe_next_path(&base, "/uk/units?q=Київ").as_deref(),
            Some("/uk/units?q=%D0%9A%D0%B8%D1%97%D0%B2")
        );
        for bad in [
            "",
            "uk/account",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example",
            "/\t/evil.example/x",
            "/\n/evil.example/x",
            "/\r/evil.example",
            "/\0/evil.example",
            "/%09/evil.example/x",
            "/%0A/evil.example",
            "/%2F/evil.example",
            "/%5Cevil.example",
            "/.//evil.example",
            "/./\u{3000}/evil.example",
            "/\u{2028}/evil.example",
            "/\u{a0}/evil.example",
            "http://hromada.test@evil.example/",
        ] {
            assert_eq!(safe_next_path(&base, bad), None, "{bad:?} accepted");
        }
    }
}
