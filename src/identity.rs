//! Who is asking: the signed-in account of a request (`Principal`) with its roles and how it
//! proved itself, as the request context, the access rules of routes and every use case's scope
//! check read it. The accounts feature (`auth`) keeps accounts, sessions and tokens; it finds
//! the principal of a session or token for the request context through [`Lookup`], which the
//! composition root puts in the state. The ground floor so names no feature.

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use serde::Serialize;

use crate::db::Db;
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

// `Actor` is the unit of work's (`crate::work`); one is made from a signed-in account here.
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

/// The principal of an API token, by the token's hash.
pub type ByToken =
    for<'a> fn(&'a Db, &'a str, DateTime<Utc>) -> BoxFuture<'a, sqlx::Result<Option<Principal>>>;

/// The principal of a session cookie, by its hash, for sessions idle less than the lifetime.
pub type BySession = for<'a> fn(
    &'a Db,
    &'a str,
    DateTime<Utc>,
    chrono::Duration,
) -> BoxFuture<'a, sqlx::Result<Option<Principal>>>;

/// How the request context finds who is asking: a part of the state, put in by the composition
/// root with the accounts feature's lookups. Without them (the default) nobody is signed in.
#[derive(Default)]
pub struct Lookup {
    pub by_token: Option<ByToken>,
    pub by_session: Option<BySession>,
}

#[cfg(test)]
mod tests {
    use super::*;

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
