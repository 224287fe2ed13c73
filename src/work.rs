//! One unit of work: a use case's transaction, who does it and when, its audit entries (in the
//! same transaction as the change), and the wake-ups that may only run once the change is
//! committed (the mail worker, the job runner). Every state-changing use case runs in one:
//!
//! ```ignore
//! let mut work = Work::begin(db, Actor::of(principal, ip)).await?;
//! let id = repo::insert_announcement(&mut work.tx, section, &title, &body, work.now).await?;
//! work.audit("announce", "section", slug, json!({ "announcement": id })).await?;
//! work.wake(&state.mail_wakeup); // only if the use case queued mail
//! work.commit().await?;
//! ```
//!
//! Dropped without [`Work::commit`] (an error returned early with `?`), the transaction rolls
//! back and nobody is woken.
//!
//! Ground floor: who acts ([`Actor`]) and the writing of audit entries ([`record`]) live here
//! rather than in `auth` and `audit`, so that every feature, `auth` and `audit` among them,
//! stands on them without importing another feature. The `audit` feature reads the log.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::db::{Db, Tx};

/// Who made a change, for the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub token_id: Option<i64>,
    pub label: String,
    pub ip: String,
}

impl Actor {
    pub fn system(label: &str) -> Actor {
        Actor {
            user_id: None,
            token_id: None,
            label: label.to_string(),
            ip: String::new(),
        }
    }

    /// An account acting on itself before it has a session (login, reset, verification links).
    /// Someone without an account acting through a public form (an applicant).
    pub fn visitor(label: &str, ip: &str) -> Actor {
        Actor {
            user_id: None,
            token_id: None,
            label: label.to_string(),
            ip: ip.to_string(),
        }
    }

    pub fn user(user_id: i64, label: &str, ip: &str) -> Actor {
        Actor {
            user_id: Some(user_id),
            token_id: None,
            label: label.to_string(),
            ip: ip.to_string(),
        }
    }
}

/// A use case's transaction with its actor, time and audit trail.
pub struct Work {
    /// The transaction every write of the use case goes through.
    pub tx: Tx,
    /// Who acts: recorded with every audit entry.
    pub actor: Actor,
    /// The one time of the whole use case, for every row it writes.
    pub now: DateTime<Utc>,
    /// Woken after the commit.
    wake: Vec<Arc<Notify>>,
}

impl Work {
    /// Begins a unit of work on `db` for `actor`, at this moment.
    pub async fn begin(db: &Db, actor: Actor) -> sqlx::Result<Work> {
        Ok(Work {
            tx: db.begin().await?,
            actor,
            now: crate::clock::now(),
            wake: Vec::new(),
        })
    }

    /// Records `action` on `entity` `id` in the audit log, in this transaction.
    pub async fn audit(
        &mut self,
        action: &str,
        entity: &str,
        id: impl std::fmt::Display,
        changes: serde_json::Value,
    ) -> sqlx::Result<()> {
        record(
            &mut self.tx,
            &self.actor,
            action,
            entity,
            &id.to_string(),
            changes,
            self.now,
        )
        .await
    }

    /// Wakes `who` once the change is committed: the mail worker after queueing mail, the job
    /// runner after queueing a job. Nothing is woken for a change that rolls back.
    pub fn wake(&mut self, who: &Arc<Notify>) {
        if !self.wake.iter().any(|w| Arc::ptr_eq(w, who)) {
            self.wake.push(who.clone());
        }
    }

    /// Commits, then wakes whoever the use case asked for.
    pub async fn commit(self) -> sqlx::Result<()> {
        self.tx.commit().await?;
        for who in self.wake {
            who.notify_one();
        }
        Ok(())
    }
}

/// Writes one entry of the audit log in the caller's transaction: if the change rolls back, so
/// does its entry. Only [`Work::audit`] calls it: every audited change runs in a `Work`.
async fn record(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    entity: &str,
    entity_id: &str,
    changes: serde_json::Value,
    now: DateTime<Utc>,
) -> sqlx::Result<()> {
    crate::db_exec!(tx, c => sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, actor_token_id, actor, action, entity, entity_id, changes, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(now).bind(actor.user_id).bind(actor.token_id).bind(&actor.label).bind(action)
        .bind(entity).bind(entity_id).bind(changes.to_string()).bind(&actor.ip)
        .execute(c).await)?;
    Ok(())
}
