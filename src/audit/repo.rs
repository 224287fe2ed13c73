//! Reading the audit log (entries are written by `crate::work::Work::audit`, in the transaction of
//! the change they record). The log cannot be edited through hromada.

use chrono::{DateTime, Utc};

use super::{AuditEntry, AuditFilter};
use crate::db::Db;
use crate::on_db;

// Entries are written on the ground floor, beside the unit of work whose transaction they
// join, so that every feature can record one without importing this feature; here they are read.

// Every filter is a bound parameter; an absent filter binds NULL and the `$n IS NULL OR`
// branch lets the row through, so one SQL text serves every combination on both databases.
const LIST_WHERE: &str = "WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
     AND ($3 IS NULL OR action = $3) AND ($4 IS NULL OR lower(actor) LIKE $4) \
     AND ($5 IS NULL OR at >= $5) AND ($6 IS NULL OR at < $6)";

pub async fn list(
    db: &Db,
    filter: &AuditFilter,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<AuditEntry>, i64)> {
    let actor_like = filter
        .actor
        .as_ref()
        .map(|a| format!("%{}%", a.replace(['%', '_'], "")));
    let select = format!(
        "SELECT id, at, actor_user_id, actor_token_id, actor, action, entity, entity_id, changes, ip \
         FROM audit_log {LIST_WHERE} ORDER BY id DESC LIMIT $7 OFFSET $8"
    );
    let count = format!("SELECT COUNT(*) FROM audit_log {LIST_WHERE}");
    macro_rules! bind_filters {
        ($q:expr) => {
            $q.bind(filter.entity.as_deref())
                .bind(filter.entity_id.as_deref())
                .bind(filter.action.as_deref())
                .bind(actor_like.as_deref())
                .bind(from)
                .bind(to)
        };
    }
    let items: Vec<AuditEntry> = on_db!(db, c => bind_filters!(sqlx::query_as(sqlx::AssertSqlSafe(select.clone())))
        .bind(limit).bind(offset).fetch_all(c).await)?;
    let total: i64 = on_db!(db, c => bind_filters!(sqlx::query_scalar(sqlx::AssertSqlSafe(count.clone())))
        .fetch_one(c).await)?;
    Ok((items, total))
}

/// Distinct entity names, for the filter form.
pub async fn entities(db: &Db) -> sqlx::Result<Vec<String>> {
    on_db!(db, c => sqlx::query_scalar("SELECT DISTINCT entity FROM audit_log ORDER BY entity").fetch_all(c).await)
}
