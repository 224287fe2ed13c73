//! Delivers the outbox over SMTP. One worker per instance; several instances may share one
//! PostgreSQL database, since claiming a message is atomic (see `repo::claim_next`).

use std::sync::Arc;

use chrono::Duration;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncTransport, Message};
use tokio::sync::{Notify, watch};

use super::repo::{self, OutboxRow};
use crate::clock::now;
use crate::db::Db;

/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed message stays reserved for this worker; the worker renews the lease every
/// [`RENEW`] while it runs, so only a killed instance lets it run out.
pub const LEASE: i64 = 15;
/// How often leases are renewed and abandoned messages looked for.
pub const RENEW: std::time::Duration = std::time::Duration::from_secs(5);

/// `Content-Language`, so mail clients know which language the message is in.
#[derive(Clone)]
struct ContentLanguage(String);

impl Header for ContentLanguage {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Content-Language")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ContentLanguage(s.to_string()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// Waiting time before attempt `attempts + 1`: 30 s, 1 min, 2 min … capped at 6 hours.
pub fn backoff(attempts: i64) -> Duration {
    let exp = attempts.clamp(1, 16) - 1;
    Duration::seconds((30_i64 << exp).min(6 * 3600))
}

pub struct Worker {
    pub db: Db,
    /// This instance, as the owner of the leases it takes.
    pub owner: String,
    pub transport: Option<super::Transport>,
    pub from: Mailbox,
    pub wakeup: Arc<Notify>,
    pub poll: std::time::Duration,
}

impl Worker {
    /// Runs until `shutdown` turns true; a message being delivered is finished first.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let Some(transport) = self.transport.clone() else {
            tracing::info!("no HROMADA_SMTP_URL: mail waits in the outbox");
            return;
        };
        tracing::info!("mail worker started");
        let keeper = tokio::spawn(keep_leases(
            self.db.clone(),
            self.owner.clone(),
            shutdown.clone(),
        ));
        let mut bodies = Bodies::default();
        loop {
            if *shutdown.borrow() {
                break;
            }
            match self.deliver_with(&transport, &mut bodies).await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "outbox query failed"),
            }
            tokio::select! {
                _ = self.wakeup.notified() => {}
                _ = tokio::time::sleep(self.poll) => {}
                _ = shutdown.changed() => {}
            }
        }
        let _ = keeper.await;
        tracing::info!("mail worker stopped");
    }

    /// Delivers one due message, if any, after queueing again the messages a killed instance
    /// left. Returns whether one was found.
    pub async fn deliver_one(&self, transport: &super::Transport) -> anyhow::Result<bool> {
        requeue_abandoned(&self.db).await?;
        self.deliver_with(transport, &mut Bodies::default()).await
    }

    async fn deliver_with(
        &self,
        transport: &super::Transport,
        bodies: &mut Bodies,
    ) -> anyhow::Result<bool> {
        let Some(row) =
            repo::claim_next(&self.db, now(), Duration::seconds(LEASE), &self.owner).await?
        else {
            return Ok(false);
        };
        let shared = match row.body_id {
            Some(id) => bodies.get(&self.db, id).await?,
            None => None,
        };
        // Links that no key of this instance opens (a key rotated elsewhere, a key file not
        // yet shared) may open on a later try, once the key file is read again: retried.
        let fills = row.fill_pairs();
        let retry_later = fills.is_err();
        let built = match (row.body_id, shared.as_deref(), fills) {
            (_, _, Err(e)) => Err(anyhow::anyhow!(
                "its links cannot be opened ({e}); does this instance read the right key file?"
            )),
            (Some(_), None, _) => Err(anyhow::anyhow!("its shared body is missing")),
            (_, shared, Ok(fills)) => build_message(&row, shared, &fills, &self.from),
        };
        let message = match built {
            Ok(m) => m,
            Err(e) => {
                let retry = (retry_later && row.attempts < MAX_ATTEMPTS)
                    .then(|| now() + backoff(row.attempts));
                repo::mark_attempt_failed(
                    &self.db,
                    row.id,
                    &format!("cannot build message: {e}"),
                    retry,
                )
                .await?;
                return Ok(true);
            }
        };
        match transport.send(message).await {
            Ok(_) => {
                repo::mark_sent(&self.db, row.id, now()).await?;
                metrics::counter!("hromada_mail_sent_total").increment(1);
                tracing::debug!(id = row.id, to = %row.to_addr, kind = %row.kind, "mail delivered");
            }
            Err(e) => {
                let retry = (!e.is_permanent() && row.attempts < MAX_ATTEMPTS)
                    .then(|| now() + backoff(row.attempts));
                metrics::counter!("hromada_mail_failed_attempts_total").increment(1);
                tracing::warn!(id = row.id, error = %e, retry = retry.is_some(), "mail delivery failed");
                repo::mark_attempt_failed(&self.db, row.id, &e.to_string(), retry).await?;
            }
        }
        Ok(true)
    }
}

async fn requeue_abandoned(db: &Db) -> anyhow::Result<()> {
    let n = repo::requeue_abandoned(db, now(), MAX_ATTEMPTS).await?;
    if n > 0 {
        tracing::warn!(
            count = n,
            "outbox messages interrupted mid-delivery queued again"
        );
    }
    Ok(())
}

/// Every [`RENEW`]: renews this instance's leases and queues again what a killed instance left.
async fn keep_leases(db: Db, owner: String, mut shutdown: watch::Receiver<bool>) {
    loop {
        let until = now() + Duration::seconds(LEASE);
        if let Err(e) = repo::renew_leases(&db, &owner, until).await {
            tracing::warn!(error = %e, "cannot renew outbox leases");
        }
        if let Err(e) = requeue_abandoned(&db).await {
            tracing::warn!(error = %e, "cannot look for abandoned outbox messages");
        }
        tokio::select! {
            _ = tokio::time::sleep(RENEW) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// The shared bodies the worker has read lately: a bulk sending uses a handful of bodies for
/// thousands of messages, so each is read once.
#[derive(Default)]
struct Bodies {
    recent: Vec<(i64, Arc<Shared>)>,
}

struct Shared {
    text: String,
    html: Option<String>,
}

impl Bodies {
    const KEEP: usize = 16;

    async fn get(&mut self, db: &Db, id: i64) -> anyhow::Result<Option<Arc<Shared>>> {
        if let Some((_, b)) = self.recent.iter().find(|(k, _)| *k == id) {
            return Ok(Some(b.clone()));
        }
        let Some((text, html)) = repo::body(db, id).await? else {
            return Ok(None);
        };
        let b = Arc::new(Shared { text, html });
        if self.recent.len() == Self::KEEP {
            self.recent.remove(0);
        }
        self.recent.push((id, b.clone()));
        Ok(Some(b))
    }
}

fn build_message(
    row: &OutboxRow,
    shared: Option<&Shared>,
    fills: &[(String, String)],
    from: &Mailbox,
) -> anyhow::Result<Message> {
    let to: Mailbox = row.to_addr.parse()?;
    let (text, html) = match shared {
        Some(b) => (b.text.as_str(), b.html.as_deref()),
        None => (row.body_text.as_str(), row.body_html.as_deref()),
    };
    let (text, html) = (
        repo::apply_fills(text, fills),
        html.map(|h| repo::apply_fills(h, fills)),
    );
    let body = match html {
        Some(html) => MultiPart::alternative_plain_html(text, html),
        None => MultiPart::alternative().singlepart(lettre::message::SinglePart::plain(text)),
    };
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .header(ContentLanguage(row.lang.clone()));
    for (name, value) in row.header_pairs() {
        let name = HeaderName::new_from_ascii(name)
            .map_err(|e| anyhow::anyhow!("bad header name: {e}"))?;
        builder = builder.raw_header(HeaderValue::new(name, repo::apply_fills(&value, fills)));
    }
    Ok(builder.multipart(body)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_caps() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(5), Duration::seconds(480));
        assert_eq!(backoff(40), Duration::hours(6));
    }
}
