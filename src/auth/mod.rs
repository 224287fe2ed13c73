//! Accounts, roles, sessions and tokens: the rules. SQL lives in `repo.rs`, pages in
//! `pages.rs`, the JSON API in `api.rs`.

use serde::Serialize;

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

use crate::work::Actor;

crate::text_enum! {
    /// A role an account holds. Some roles carry a scope: the regional office of a coordinator,
    /// the community of an official, the section of a section coordinator.
    #[derive(PartialOrd, Ord)]
    pub enum Role {
        Admin = "admin",
        Editor = "editor",
        Coordinator = "coordinator",
        CommunityOfficial = "community_official",
        SectionCoordinator = "section_coordinator",
        Partner = "partner",
        /// A member of the Mayors' Club's committee, who reviews applications.
        ClubCommittee = "club_committee",
        /// The committee's chair, who reviews and records the decision once the quorum is met.
        ClubChair = "club_chair",
    }
}

impl Role {
    /// Staff act for the association and must use a second factor.
    pub fn is_staff(self) -> bool {
        matches!(
            self,
            Role::Admin | Role::Editor | Role::Coordinator | Role::ClubCommittee | Role::ClubChair
        )
    }

    /// Whether the role needs a scope, and what kind.
    pub fn scope_kind(self) -> Option<&'static str> {
        match self {
            Role::Coordinator => Some("regional_office"),
            Role::CommunityOfficial => Some("community"),
            Role::SectionCoordinator => Some("section"),
            Role::Admin | Role::Editor | Role::Partner | Role::ClubCommittee | Role::ClubChair => {
                None
            }
        }
    }

    pub fn label_key(self) -> String {
        format!("role-{}", self.code().replace('_', "-"))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleGrant {
    pub role: Role,
    /// Empty for national roles.
    pub scope: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub lang: String,
    pub email_verified: bool,
    pub totp_enrolled: bool,
    pub is_demo: bool,
}

/// How the current request proved who it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Via {
    Session {
        token_hash: String,
        second_factor_done: bool,
    },
    Token {
        id: i64,
        /// Whether the token was made by a session that had passed the second factor, or by an
        /// operator on the command line: only then may it act as staff.
        second_factor_done: bool,
    },
}

/// The signed-in account of a request, resolved once per request by the identity middleware.
#[derive(Debug, Clone)]
pub struct Principal {
    pub user: User,
    pub roles: Vec<RoleGrant>,
    pub via: Via,
}

impl Principal {
    pub fn has_role(&self, role: Role) -> bool {
        self.roles.iter().any(|g| g.role == role)
    }

    pub fn is_staff(&self) -> bool {
        self.roles.iter().any(|g| g.role.is_staff())
    }

    /// Staff sessions count only after the second factor. A token counts only if it was made
    /// after the second factor (or by an operator): a partner's token does not become an
    /// admin's when the role is granted.
    pub fn second_factor_ok(&self) -> bool {
        if !self.is_staff() {
            return true;
        }
        match &self.via {
            Via::Session {
                second_factor_done, ..
            }
            | Via::Token {
                second_factor_done, ..
            } => *second_factor_done,
        }
    }

    /// Whether this request may make an API token, and whether that token may act as staff.
    /// Staff make tokens only from a session that passed the second factor, never with another
    /// token (operators use `hromada token create`). Returns the UI string key of the refusal.
    pub fn may_create_token(&self) -> Result<bool, &'static str> {
        match &self.via {
            Via::Session {
                second_factor_done: true,
                ..
            } => Ok(true),
            _ if self.is_staff() => Err("token-needs-second-factor"),
            Via::Session { .. } | Via::Token { .. } => Ok(false),
        }
    }

    /// A label for the audit log.
    pub fn actor_label(&self) -> String {
        match self.via {
            Via::Session { .. } => self.user.email.clone(),
            Via::Token { id, .. } => format!("{} (token {id})", self.user.email),
        }
    }
}

// `Actor` stands on the ground floor (`crate::work`), where every feature and the audit log
// can name it without importing this feature; making one from a signed-in account is this
// feature's business, so that constructor lives here.
impl Actor {
    pub fn of(principal: &Principal, ip: &str) -> Actor {
        let token_id = match principal.via {
            Via::Token { id, .. } => Some(id),
            Via::Session { .. } => None,
        };
        Actor {
            user_id: Some(principal.user.id),
            token_id,
            label: principal.actor_label(),
            ip: ip.to_string(),
        }
    }
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

    fn principal(role: Role, via: Via) -> Principal {
        Principal {
            user: User {
                id: 1,
                email: "a@b.ua".into(),
                display_name: "A".into(),
                lang: "uk".into(),
                email_verified: true,
                totp_enrolled: true,
                is_demo: false,
            },
            roles: vec![RoleGrant {
                role,
                scope: String::new(),
            }],
            via,
        }
    }

    #[test]
    fn a_token_acts_as_staff_only_if_made_after_the_second_factor() {
        let token = |done| Via::Token {
            id: 1,
            second_factor_done: done,
        };
        let session = |done| Via::Session {
            token_hash: String::new(),
            second_factor_done: done,
        };
        assert!(!principal(Role::Admin, token(false)).second_factor_ok());
        assert!(principal(Role::Admin, token(true)).second_factor_ok());
        assert!(principal(Role::Partner, token(false)).second_factor_ok());
        // Staff make tokens only from a session past the second factor, never with a token.
        assert_eq!(
            principal(Role::Admin, session(true)).may_create_token(),
            Ok(true)
        );
        assert!(
            principal(Role::Admin, session(false))
                .may_create_token()
                .is_err()
        );
        assert!(
            principal(Role::Admin, token(true))
                .may_create_token()
                .is_err()
        );
        assert_eq!(
            principal(Role::Partner, session(false)).may_create_token(),
            Ok(false)
        );
        assert_eq!(
            principal(Role::Partner, token(false)).may_create_token(),
            Ok(false)
        );
    }

    #[test]
    fn staff_roles() {
        assert!(Role::Admin.is_staff() && Role::Editor.is_staff() && Role::Coordinator.is_staff());
        assert!(!Role::CommunityOfficial.is_staff() && !Role::Partner.is_staff());
        for role in Role::ALL {
            assert_eq!(Role::parse(role.code()), Some(role));
        }
    }
}
