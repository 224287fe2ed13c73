//! Delivers the outbox over SMTP. One worker per instance; several instances may share one
//! PostgreSQL database, since claiming a message is atomic (see `repo::claim_next`).

use std::sync::Arc;

use chrono::Duration;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncTransport, Message};
use tokio::sync::{Notify, watch};

use super::repo::{self, OutboxRow};
use crate::auth::now;
use crate::db::Db;

/// Attempts before a message is marked failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed message stays reserved for this worker.
const LEASE: i64 = 300;

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
        loop {
            if *shutdown.borrow() {
                break;
            }
            match self.deliver_one(&transport).await {
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
        tracing::info!("mail worker stopped");
    }

    /// Delivers one due message, if any. Returns whether one was found.
    pub async fn deliver_one(&self, transport: &super::Transport) -> anyhow::Result<bool> {
        let abandoned = repo::fail_abandoned(&self.db, now()).await?;
        if abandoned > 0 {
            tracing::warn!(
                count = abandoned,
                "outbox messages interrupted mid-delivery marked failed"
            );
        }
        let Some(row) = repo::claim_next(&self.db, now(), Duration::seconds(LEASE)).await? else {
            return Ok(false);
        };
        let message = match build_message(&row, &self.from) {
            Ok(m) => m,
            Err(e) => {
                repo::mark_attempt_failed(
                    &self.db,
                    row.id,
                    &format!("cannot build message: {e}"),
                    None,
                )
                .await?;
                return Ok(true);
            }
        };
        match transport.send(message).await {
            Ok(_) => {
                repo::mark_sent(&self.db, row.id, now()).await?;
                metrics::counter!("hromada_mail_sent_total").increment(1);
                tracing::info!(id = row.id, to = %row.to_addr, kind = %row.kind, "mail delivered");
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

fn build_message(row: &OutboxRow, from: &Mailbox) -> anyhow::Result<Message> {
    let to: Mailbox = row.to_addr.parse()?;
    let text = row.body_text.clone();
    let body = match &row.body_html {
        Some(html) => MultiPart::alternative_plain_html(text, html.clone()),
        None => MultiPart::alternative().singlepart(lettre::message::SinglePart::plain(text)),
    };
    Ok(Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .header(ContentLanguage(row.lang.clone()))
        .multipart(body)?)
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
