//! SQL of collection: data sets and their items, rules, campaigns and the communities they
//! ask, drafts, the values of a report, locked periods and reminders.

use crate::statistics::ValueState;
use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use crate::db::{Db, Tx};
use crate::statistics::rules::{Operator, Rule};
use crate::statistics::shipped::DatasetDef;
use crate::{db_exec, on_db};

// ---- data sets -------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct DatasetRow {
    #[serde(skip)]
    pub id: i64,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub description_uk: String,
    pub description_en: String,
    /// year, quarter or month.
    pub periodicity: String,
}

impl DatasetRow {
    pub fn name(&self, lang: crate::i18n::Lang) -> &str {
        lang.pick(&self.name_uk, &self.name_en)
    }
}

const DATASET_COLUMNS: &str =
    "id, code, name_uk, name_en, description_uk, description_en, periodicity";

pub async fn datasets(db: &Db) -> sqlx::Result<Vec<DatasetRow>> {
    let sql = format!("SELECT {DATASET_COLUMNS} FROM stat_datasets ORDER BY id");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn dataset(db: &Db, id: i64) -> sqlx::Result<Option<DatasetRow>> {
    let sql = format!("SELECT {DATASET_COLUMNS} FROM stat_datasets WHERE id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub async fn dataset_by_code(db: &Db, code: &str) -> sqlx::Result<Option<DatasetRow>> {
    let sql = format!("SELECT {DATASET_COLUMNS} FROM stat_datasets WHERE code = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(code).fetch_optional(c).await)
}

/// One field of a data set's form: the indicator and where and how the form shows it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ItemRow {
    #[serde(skip)]
    pub indicator_id: i64,
    #[serde(rename = "indicator")]
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub measure_uk: String,
    pub measure_en: String,
    pub value_type: String,
    pub min_value: Option<f64>,
    pub max_value: Option<f64>,
    /// A move from the last period by more than this many percent asks for a comment.
    pub warn_change_pct: Option<f64>,
    pub section_uk: String,
    pub section_en: String,
    pub help_uk: String,
    pub help_en: String,
    pub position: i64,
}

impl ItemRow {
    pub fn name_in(&self, lang: crate::i18n::Lang) -> &str {
        lang.pick(&self.name_uk, &self.name_en)
    }
}

pub async fn items(db: &Db, dataset: i64) -> sqlx::Result<Vec<ItemRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT i.id AS indicator_id, i.code, i.name_uk, i.name_en, i.measure_uk, i.measure_en, \
         i.value_type, i.min_value, i.max_value, i.warn_change_pct, d.section_uk, d.section_en, \
         d.help_uk, d.help_en, d.position \
         FROM stat_dataset_items d JOIN stat_indicators i ON i.id = d.indicator_id \
         WHERE d.dataset_id = $1 ORDER BY d.position")
        .bind(dataset).fetch_all(c).await)
}

pub async fn count(db: &Db, table: &'static str) -> sqlx::Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    on_db!(db, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(c).await)
}

/// Inserts a data set and its items in form order; `ids` maps indicator codes to ids (the
/// caller has checked every code is there).
pub async fn insert_dataset(
    tx: &mut Tx,
    d: &DatasetDef,
    ids: &HashMap<String, i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let id: i64 = on_db!(&mut *tx, c => sqlx::query_scalar(
        "INSERT INTO stat_datasets (code, name_uk, name_en, description_uk, description_en, periodicity, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
        .bind(&d.code).bind(&d.name_uk).bind(&d.name_en).bind(&d.description_uk)
        .bind(&d.description_en).bind(d.periodicity.code()).bind(now).fetch_one(c).await)?;
    for (position, item) in d.items.iter().enumerate() {
        let indicator = ids.get(&item.indicator).copied().unwrap_or_default();
        db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO stat_dataset_items (dataset_id, indicator_id, section_uk, section_en, position, \
             help_uk, help_en) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(indicator).bind(&item.section_uk).bind(&item.section_en)
            .bind(position as i64 + 1).bind(&item.help_uk).bind(&item.help_en).execute(c).await)?;
    }
    Ok(id)
}

/// Indicator code → id.
pub async fn indicator_ids(db: &Db) -> sqlx::Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = on_db!(db, c => sqlx::query_as(
        "SELECT code, id FROM stat_indicators").fetch_all(c).await)?;
    Ok(rows.into_iter().collect())
}

pub async fn set_warn_change(tx: &mut Tx, code: &str, pct: Option<f64>) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE stat_indicators SET warn_change_pct = $2 WHERE code = $1 AND warn_change_pct IS NULL")
        .bind(code).bind(pct).execute(c).await)
}

// ---- rules -----------------------------------------------------------------------------

pub async fn rules(db: &Db) -> sqlx::Result<Vec<Rule>> {
    let rows: Vec<(String, String, String, String, String, String)> = on_db!(db, c => sqlx::query_as(
        "SELECT code, left_code, operator, right_codes, message_uk, message_en FROM stat_rules ORDER BY id")
        .fetch_all(c).await)?;
    Ok(rows
        .into_iter()
        .filter_map(|(code, left, op, right, message_uk, message_en)| {
            Some(Rule {
                code,
                left,
                operator: Operator::parse(&op)?,
                right: right.split(' ').map(str::to_string).collect(),
                message_uk,
                message_en,
            })
        })
        .collect())
}

pub async fn insert_rule(tx: &mut Tx, r: &Rule, now: DateTime<Utc>) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_rules (code, left_code, operator, right_codes, message_uk, message_en, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (code) DO NOTHING")
        .bind(&r.code).bind(&r.left).bind(r.operator.code()).bind(r.right.join(" "))
        .bind(&r.message_uk).bind(&r.message_en).bind(now).execute(c).await)
}

// ---- campaigns -------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignRow {
    pub id: i64,
    pub dataset_id: i64,
    pub dataset_code: String,
    pub name_uk: String,
    pub name_en: String,
    pub period: String,
    pub scope_kind: String,
    pub office_id: Option<i64>,
    pub deadline_on: NaiveDate,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl CampaignRow {
    pub fn name(&self, lang: crate::i18n::Lang) -> &str {
        lang.pick(&self.name_uk, &self.name_en)
    }
}

const CAMPAIGN_SELECT: &str = "SELECT c.id, c.dataset_id, d.code AS dataset_code, d.name_uk, d.name_en, \
     c.period, c.scope_kind, c.office_id, c.deadline_on, c.note, c.created_at, c.closed_at \
     FROM stat_campaigns c JOIN stat_datasets d ON d.id = c.dataset_id";

pub struct NewCampaign<'a> {
    pub dataset_id: i64,
    pub period: &'a str,
    pub scope_kind: &'a str,
    pub office_id: Option<i64>,
    pub deadline: NaiveDate,
    pub note: &'a str,
    pub user: Option<i64>,
}

pub async fn insert_campaign(
    tx: &mut Tx,
    c: &NewCampaign<'_>,
    units: &[(String, Option<i64>)],
    now: DateTime<Utc>,
) -> sqlx::Result<i64> {
    let id: i64 = on_db!(&mut *tx, conn => sqlx::query_scalar(
        "INSERT INTO stat_campaigns (dataset_id, period, scope_kind, office_id, deadline_on, note, \
         created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(c.dataset_id).bind(c.period).bind(c.scope_kind).bind(c.office_id).bind(c.deadline)
        .bind(c.note).bind(c.user).bind(now).fetch_one(conn).await)?;
    for chunk in units.chunks(64) {
        let rows = (0..chunk.len())
            .map(|i| format!("($1, ${}, ${})", i * 2 + 2, i * 2 + 3))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "INSERT INTO stat_campaign_units (campaign_id, unit_code, office_id) VALUES {rows}"
        );
        db_exec!(&mut *tx, conn => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone())).bind(id);
            for (code, office) in chunk {
                q = q.bind(code).bind(*office);
            }
            q.execute(conn).await
        })?;
    }
    Ok(id)
}

/// The communities that are members now, with their regional office; of one office if given.
pub async fn current_members(db: &Db, office: Option<i64>) -> sqlx::Result<Vec<(String, i64)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT unit_code, office_id FROM memberships WHERE until_on IS NULL \
         AND ($1 IS NULL OR office_id = $1) ORDER BY unit_code")
        .bind(office).fetch_all(c).await)
}

/// Oblast code → the regional office that covers it.
pub async fn oblast_offices(db: &Db) -> sqlx::Result<HashMap<String, i64>> {
    let rows: Vec<(String, i64)> = on_db!(db, c => sqlx::query_as(
        "SELECT oblast_code, office_id FROM regional_office_oblasts").fetch_all(c).await)?;
    Ok(rows.into_iter().collect())
}

/// Regional offices: id → (slug, name in Ukrainian, name in English).
pub async fn offices(db: &Db) -> sqlx::Result<Vec<(i64, String, String, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT id, slug, name_uk, name_en FROM regional_offices ORDER BY name_uk")
        .fetch_all(c).await)
}

pub async fn campaigns(db: &Db) -> sqlx::Result<Vec<CampaignRow>> {
    let sql = format!(
        "{CAMPAIGN_SELECT} ORDER BY c.closed_at IS NOT NULL, c.deadline_on DESC, c.id DESC"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)
}

pub async fn campaign(db: &Db, id: i64) -> sqlx::Result<Option<CampaignRow>> {
    let sql = format!("{CAMPAIGN_SELECT} WHERE c.id = $1");
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)
}

pub async fn close_campaign(tx: &mut Tx, id: i64, now: DateTime<Utc>) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE stat_campaigns SET closed_at = $2 WHERE id = $1 AND closed_at IS NULL")
        .bind(id).bind(now).execute(c).await)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CampaignUnitRow {
    pub campaign_id: i64,
    pub unit_code: String,
    pub office_id: Option<i64>,
    pub status: super::ReportStatus,
    pub first_submitted_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub reviewed_at: Option<DateTime<Utc>>,
}

const UNIT_COLUMNS: &str =
    "campaign_id, unit_code, office_id, status, first_submitted_at, submitted_at, reviewed_at";

pub async fn campaign_units(db: &Db, campaign: i64) -> sqlx::Result<Vec<CampaignUnitRow>> {
    let sql = format!(
        "SELECT {UNIT_COLUMNS} FROM stat_campaign_units WHERE campaign_id = $1 ORDER BY unit_code"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(campaign).fetch_all(c).await)
}

pub async fn campaign_unit(
    db: &Db,
    campaign: i64,
    unit: &str,
) -> sqlx::Result<Option<CampaignUnitRow>> {
    let sql = format!(
        "SELECT {UNIT_COLUMNS} FROM stat_campaign_units WHERE campaign_id = $1 AND unit_code = $2"
    );
    on_db!(db, c => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(campaign).bind(unit)
        .fetch_optional(c).await)
}

/// The open campaigns that ask any of `units`, with each community's report.
pub async fn asked_of(
    db: &Db,
    units: &[String],
) -> sqlx::Result<Vec<(CampaignRow, CampaignUnitRow)>> {
    if units.is_empty() {
        return Ok(Vec::new());
    }
    let list = (0..units.len())
        .map(|i| format!("${}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT u.campaign_id, u.unit_code, u.office_id, u.status, u.first_submitted_at, u.submitted_at, \
         u.reviewed_at FROM stat_campaign_units u JOIN stat_campaigns c ON c.id = u.campaign_id \
         WHERE c.closed_at IS NULL AND u.unit_code IN ({list}) ORDER BY c.deadline_on, c.id, u.unit_code"
    );
    let reports: Vec<CampaignUnitRow> = on_db!(db, c => {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.clone()));
        for u in units {
            q = q.bind(u);
        }
        q.fetch_all(c).await
    })?;
    let mut found: HashMap<i64, CampaignRow> = HashMap::new();
    let mut out = Vec::with_capacity(reports.len());
    for report in reports {
        let campaign = match found.get(&report.campaign_id) {
            Some(c) => c.clone(),
            None => match campaign(db, report.campaign_id).await? {
                Some(c) => {
                    found.insert(c.id, c.clone());
                    c
                }
                None => continue,
            },
        };
        out.push((campaign, report));
    }
    Ok(out)
}

/// Records a report's new status; `submitted` sets the submission time (and the first one).
pub async fn set_report_status(
    tx: &mut Tx,
    campaign: i64,
    unit: &str,
    status: super::ReportStatus,
    submitted: bool,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let sql = if submitted {
        "UPDATE stat_campaign_units SET status = $3, submitted_at = $4, \
         first_submitted_at = COALESCE(first_submitted_at, $4) WHERE campaign_id = $1 AND unit_code = $2"
    } else {
        "UPDATE stat_campaign_units SET status = $3, reviewed_at = $4 \
         WHERE campaign_id = $1 AND unit_code = $2"
    };
    db_exec!(&mut *tx, c => sqlx::query(sql).bind(campaign).bind(unit).bind(status).bind(now)
        .execute(c).await)
}

/// Holds a report for the community's entry: touches its row only while the report is still
/// owed (`open` or `returned`), its campaign open and its period not locked, and answers the
/// rows changed (0 when any of these has changed since the caller looked). As the first write
/// of `tx` it takes the row's write lock, so the report stays owed until the commit: a review
/// or another submission racing this one waits, then sees the new state.
pub async fn hold_owed_report(tx: &mut Tx, campaign: i64, unit: &str) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE stat_campaign_units SET status = status \
         WHERE campaign_id = $1 AND unit_code = $2 AND status IN ('open', 'returned') \
         AND EXISTS (SELECT 1 FROM stat_campaigns c WHERE c.id = $1 AND c.closed_at IS NULL \
           AND NOT EXISTS (SELECT 1 FROM stat_locks l WHERE l.period = c.period))")
        .bind(campaign).bind(unit).execute(c).await)
}

/// Decides a submitted report (`approved` or `returned`) only if it is still submitted: the
/// guard and the change are one statement, so of two reviews racing each other (or a review
/// racing a resubmission) exactly one changes the report; the other sees 0 rows. It also
/// takes the report row's write lock first, so what the caller reads afterwards in `tx` stays
/// as it is until the commit.
pub async fn decide_report(
    tx: &mut Tx,
    campaign: i64,
    unit: &str,
    status: super::ReportStatus,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "UPDATE stat_campaign_units SET status = $3, reviewed_at = $4 \
         WHERE campaign_id = $1 AND unit_code = $2 AND status = 'submitted'")
        .bind(campaign).bind(unit).bind(status).bind(now).execute(c).await)
}

// ---- who entered a report -------------------------------------------------------------

/// Records that `user` typed values into a report or submitted it (once per person).
pub async fn add_hand(
    tx: &mut Tx,
    campaign: i64,
    unit: &str,
    user: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_report_contributors (campaign_id, unit_code, user_id, first_at) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, unit_code, user_id) DO NOTHING")
        .bind(campaign).bind(unit).bind(user).bind(now).execute(c).await)
}

/// The accounts that typed values into a report or submitted it.
pub async fn hands(db: &Db, campaign: i64, unit: &str) -> sqlx::Result<Vec<i64>> {
    on_db!(db, c => sqlx::query_scalar(
        "SELECT user_id FROM stat_report_contributors WHERE campaign_id = $1 AND unit_code = $2 \
         ORDER BY user_id")
        .bind(campaign).bind(unit).fetch_all(c).await)
}

/// [`hands`], read inside the caller's transaction (the four-eyes check of a review).
pub async fn hands_in(tx: &mut Tx, campaign: i64, unit: &str) -> sqlx::Result<Vec<i64>> {
    on_db!(&mut *tx, c => sqlx::query_scalar(
        "SELECT user_id FROM stat_report_contributors WHERE campaign_id = $1 AND unit_code = $2 \
         ORDER BY user_id")
        .bind(campaign).bind(unit).fetch_all(c).await)
}

// ---- drafts ----------------------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DraftRow {
    pub indicator_id: i64,
    pub raw: String,
    pub comment: String,
    pub saved_at: DateTime<Utc>,
}

pub async fn drafts(db: &Db, campaign: i64, unit: &str) -> sqlx::Result<Vec<DraftRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT indicator_id, raw, comment, saved_at FROM stat_drafts \
         WHERE campaign_id = $1 AND unit_code = $2")
        .bind(campaign).bind(unit).fetch_all(c).await)
}

/// Keeps what was typed: one row per field, replaced on every save (so saving the same form
/// twice leaves one draft, not two).
pub async fn save_draft(
    tx: &mut Tx,
    campaign: i64,
    unit: &str,
    field: (i64, &str, &str),
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let (indicator, raw, comment) = field;
    db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_drafts (campaign_id, unit_code, indicator_id, raw, comment, saved_by, saved_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id, unit_code, indicator_id) \
         DO UPDATE SET raw = excluded.raw, comment = excluded.comment, saved_by = excluded.saved_by, \
         saved_at = excluded.saved_at \
         WHERE stat_drafts.raw <> excluded.raw OR stat_drafts.comment <> excluded.comment")
        .bind(campaign).bind(unit).bind(indicator).bind(raw).bind(comment).bind(user).bind(now)
        .execute(c).await)
}

pub async fn delete_drafts(tx: &mut Tx, campaign: i64, unit: &str) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "DELETE FROM stat_drafts WHERE campaign_id = $1 AND unit_code = $2")
        .bind(campaign).bind(unit).execute(c).await)
}

// ---- values of a report ----------------------------------------------------------------

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CurrentValue {
    pub indicator_id: i64,
    pub value: f64,
    pub state: ValueState,
    pub comment: String,
    pub review_note: String,
    pub entered_at: DateTime<Utc>,
}

/// The values a unit has for a period, in any state.
pub async fn unit_values(db: &Db, unit: &str, period: &str) -> sqlx::Result<Vec<CurrentValue>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT indicator_id, value, state, comment, review_note, entered_at FROM stat_values \
         WHERE unit_code = $1 AND period = $2")
        .bind(unit).bind(period).fetch_all(c).await)
}

/// [`unit_values`], read inside the caller's transaction (what a review decides on).
pub async fn unit_values_in(
    tx: &mut Tx,
    unit: &str,
    period: &str,
) -> sqlx::Result<Vec<CurrentValue>> {
    on_db!(&mut *tx, c => sqlx::query_as(
        "SELECT indicator_id, value, state, comment, review_note, entered_at FROM stat_values \
         WHERE unit_code = $1 AND period = $2")
        .bind(unit).bind(period).fetch_all(c).await)
}

/// A unit's approved values for a period: indicator id → value.
pub async fn approved_values(db: &Db, unit: &str, period: &str) -> sqlx::Result<HashMap<i64, f64>> {
    let rows: Vec<(i64, f64)> = on_db!(db, c => sqlx::query_as(
        "SELECT indicator_id, value FROM stat_values WHERE unit_code = $1 AND period = $2 \
         AND state = 'approved'")
        .bind(unit).bind(period).fetch_all(c).await)?;
    Ok(rows.into_iter().collect())
}

/// Sets the state (and the reviewer's note) of one value, and records the change.
pub async fn review_value(
    tx: &mut Tx,
    key: (&str, i64, &str),
    state: ValueState,
    note: &str,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    let (unit, indicator, period) = key;
    let ids: Vec<i64> = on_db!(&mut *tx, c => sqlx::query_scalar(
        "UPDATE stat_values SET state = $4, review_note = $5, entered_by = $6, entered_at = $7 \
         WHERE unit_code = $1 AND indicator_id = $2 AND period = $3 \
         AND (state <> $4 OR review_note <> $5) RETURNING id")
        .bind(unit).bind(indicator).bind(period).bind(state).bind(note).bind(user).bind(now)
        .fetch_all(c).await)?;
    for id in &ids {
        db_exec!(&mut *tx, c => sqlx::query(
            "INSERT INTO stat_value_changes (value_id, value, state, source, comment, review_note, \
             changed_by, changed_at) SELECT id, value, state, source, comment, review_note, entered_by, \
             entered_at FROM stat_values WHERE id = $1")
            .bind(*id).execute(c).await)?;
    }
    Ok(ids.len() as u64)
}

#[derive(Debug, Clone, sqlx::FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct ChangeRow {
    pub value: f64,
    pub state: ValueState,
    pub source: String,
    pub comment: String,
    pub review_note: String,
    /// Who made the change (their display name), when known.
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
}

/// The history of one value, oldest first.
pub async fn history(
    db: &Db,
    unit: &str,
    indicator: i64,
    period: &str,
) -> sqlx::Result<Vec<ChangeRow>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT h.value, h.state, h.source, h.comment, h.review_note, u.display_name AS changed_by, \
         h.changed_at FROM stat_value_changes h JOIN stat_values v ON v.id = h.value_id \
         LEFT JOIN users u ON u.id = h.changed_by \
         WHERE v.unit_code = $1 AND v.indicator_id = $2 AND v.period = $3 ORDER BY h.id")
        .bind(unit).bind(indicator).bind(period).fetch_all(c).await)
}

// ---- locks -----------------------------------------------------------------------------

pub async fn locks(db: &Db) -> sqlx::Result<Vec<(String, DateTime<Utc>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT period, locked_at FROM stat_locks ORDER BY period DESC").fetch_all(c).await)
}

pub async fn is_locked(db: &Db, period: &str) -> sqlx::Result<bool> {
    let n: i64 = on_db!(db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM stat_locks WHERE period = $1").bind(period).fetch_one(c).await)?;
    Ok(n > 0)
}

pub async fn lock(
    tx: &mut Tx,
    period: &str,
    user: Option<i64>,
    now: DateTime<Utc>,
) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_locks (period, locked_by, locked_at) VALUES ($1, $2, $3) \
         ON CONFLICT (period) DO NOTHING")
        .bind(period).bind(user).bind(now).execute(c).await)
}

pub async fn unlock(tx: &mut Tx, period: &str) -> sqlx::Result<u64> {
    db_exec!(&mut *tx, c => sqlx::query("DELETE FROM stat_locks WHERE period = $1")
        .bind(period).execute(c).await)
}

// ---- reminders -------------------------------------------------------------------------

/// Records a reminder; false when this one was sent already.
pub async fn record_reminder(
    tx: &mut Tx,
    key: (i64, &str, &str),
    recipients: i64,
    now: DateTime<Utc>,
) -> sqlx::Result<bool> {
    let (campaign, unit, kind) = key;
    let n = db_exec!(&mut *tx, c => sqlx::query(
        "INSERT INTO stat_reminders (campaign_id, unit_code, kind, recipients, sent_at) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (campaign_id, unit_code, kind) DO NOTHING")
        .bind(campaign).bind(unit).bind(kind).bind(recipients).bind(now).execute(c).await)?;
    Ok(n > 0)
}

/// The reminders sent for a campaign: (unit, kind, recipients, when).
pub async fn reminders(
    db: &Db,
    campaign: i64,
) -> sqlx::Result<Vec<(String, String, i64, DateTime<Utc>)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT unit_code, kind, recipients, sent_at FROM stat_reminders WHERE campaign_id = $1 \
         ORDER BY sent_at, unit_code")
        .bind(campaign).fetch_all(c).await)
}

/// The active, verified accounts that report for a community: (email, name, language).
pub async fn officials(db: &Db, unit: &str) -> sqlx::Result<Vec<(String, String, String)>> {
    on_db!(db, c => sqlx::query_as(
        "SELECT u.email, u.display_name, u.lang FROM users u JOIN user_roles r ON r.user_id = u.id \
         WHERE r.role = 'community_official' AND r.scope = $1 AND u.disabled_at IS NULL \
         AND u.email_verified_at IS NOT NULL ORDER BY u.email")
        .bind(unit).fetch_all(c).await)
}
