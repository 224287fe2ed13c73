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

use std::sync::Arc;

use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use crate::auth::Actor;
use crate::db::{Db, Tx};

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
            now: crate::auth::now(),
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
        crate::audit::repo::record(
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
