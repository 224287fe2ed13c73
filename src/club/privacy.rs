//! A person's rights over their data, where they reach into the club: who may ask, the
//! addresses proven to be theirs, and erasure, shared by the pages
//! (`crate::composed::privacy`) and the API (`person_api.rs`). Erasure removes contacts,
//! photo, the mayor's page, club applications' words and contacts, and ends club membership
//! and delegations. It keeps what the law requires: posts of public office with the name (who
//! held a council post is a public record), the club committee's decisions, and the audit log;
//! the person's record is marked with the date.
//!
//! The person is people's, but erasure ends what the club holds too, and the club stands on
//! people: so the use case lives here, in one unit of work.

use serde_json::json;

use super::repo as club_repo;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::identity::{Principal, Role};
use crate::people::repo::{self, Person};
use crate::work::Actor;
use crate::work::Work;

/// The person `id`, for themself or an admin acting on their request (403 for anyone else).
pub async fn own_or_admin(db: &Db, p: &Principal, id: i64) -> AppResult<Person> {
    let person = repo::person(db, id).await?.ok_or(AppError::NotFound)?;
    if person.user_id == Some(p.user.id) || p.has_role(Role::Admin) {
        Ok(person)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The addresses proven to be the person's: the contact address once its owner followed the
/// mailed link, and the login address of the person's account once verified. Club
/// applications (and anything else kept by address) are matched on these alone: an address the
/// person merely typed could be anyone's.
pub async fn verified_addresses(db: &Db, person: &Person) -> AppResult<Vec<String>> {
    let mut out = Vec::new();
    if let Some(email) = person.verified_email() {
        out.push(email.to_lowercase());
    }
    if let Some(user_id) = person.user_id
        && let Some(user) = crate::auth::repo::find_user(db, user_id).await?
        && user.email_verified_at.is_some()
    {
        let email = user.email.to_lowercase();
        if !out.contains(&email) {
            out.push(email);
        }
    }
    Ok(out)
}

/// What an erasure kept.
pub struct Erased {
    /// The name stays with the posts of public office the person held.
    pub kept_name: bool,
}

/// Erases the person `id` (themself, or an admin on their request) once `confirmed`; 422
/// `confirm` otherwise.
pub async fn erase(
    db: &Db,
    p: &Principal,
    ip: &str,
    id: i64,
    confirmed: bool,
) -> AppResult<Erased> {
    let person = own_or_admin(db, p, id).await?;
    if !confirmed {
        return Err(AppError::field("confirm", "privacy-error-confirm"));
    }
    let kept_name = !repo::posts_of_person(db, person.id).await?.is_empty();
    // Read before the erasure clears the contact address.
    let addresses = verified_addresses(db, &person).await?;
    let mut w = Work::begin(db, Actor::of(p, ip)).await?;
    repo::erase_person(&mut w.tx, person.id, kept_name, w.now).await?;
    let today = crate::clock::today();
    club_repo::end_membership(&mut w.tx, person.id, today, w.now).await?;
    for email in &addresses {
        club_repo::erase_applications(&mut w.tx, email, w.now).await?;
    }
    club_repo::cancel_link_requests(&mut w.tx, person.id).await?;
    w.audit(
        "erase",
        "person",
        person.id,
        json!({ "kept_name": kept_name, "applications_of": addresses }),
    )
    .await?;
    w.commit().await?;
    Ok(Erased { kept_name })
}
