//! Membership use cases shared by pages, API and import: join, end (suspend or leave), import
//! a file, and manage regional offices. Each is one unit of work with its audit entry; the
//! staff's forms and their API twins come in through `join_community`, `end_membership` and
//! `import_file`, which read what was sent and check the staff's reach first.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::json;

use super::repo::{self, NewOffice, NewPeriod, Office};
use super::{EndReason, ImportRow, Problem, can_be_member, check_end, check_join, oblast_of};
use crate::db::{Db, Tx, is_unique_violation};
use crate::error::{AppError, AppResult};
use crate::i18n::{Arg, Lang};
use crate::identity::{Principal, Role};
use crate::registry::UnitCode;
use crate::registry::snapshot::Snapshot;
use crate::web::csv_upload::RowError;
use crate::work::Actor;
use crate::work::Work;

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// Rows that break a rule: (line, code, problem); line 0 for a form.
    #[error("{} rows break the membership rules", .0.len())]
    Problems(Vec<(u64, String, Problem)>),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

fn one(code: &str, problem: Problem) -> MemberError {
    MemberError::Problems(vec![(0, code.to_string(), problem)])
}

/// Whether `principal` may manage members of `office`: admins everywhere, coordinators in the
/// office their role is scoped to. Joining also needs the office to cover the community's
/// oblast (`join`, `import`), and the pages check the community against [`Reach`].
pub fn may_manage(principal: &Principal, office: &Office) -> bool {
    principal
        .roles
        .iter()
        .any(|g| g.role == Role::Admin || (g.role == Role::Coordinator && g.scope == office.slug))
}

/// Where a principal may act on communities: everywhere (admins), or in the oblasts covered by
/// the regional offices they coordinate. A coordinator's grant names an office, and a member
/// carries the office it joined through; neither alone is enough, since an office could once
/// take in a community from another oblast. Every members and collection action asks this.
#[derive(Debug, Clone, Default)]
pub struct Reach {
    everywhere: bool,
    /// The offices the principal coordinates.
    offices: HashSet<i64>,
    /// The oblasts (codes of first-level units) those offices cover.
    oblasts: HashSet<String>,
}

impl Reach {
    /// The reach of `principal`, given every office and the oblasts each covers.
    pub fn from_parts(
        principal: &Principal,
        offices: &[Office],
        office_oblasts: &[(String, i64)],
    ) -> Reach {
        let everywhere = principal.has_role(Role::Admin);
        let offices: HashSet<i64> = offices
            .iter()
            .filter(|o| {
                principal
                    .roles
                    .iter()
                    .any(|g| g.role == Role::Coordinator && g.scope == o.slug)
            })
            .map(|o| o.id)
            .collect();
        let oblasts = office_oblasts
            .iter()
            .filter(|(_, id)| offices.contains(id))
            .map(|(code, _)| code.clone())
            .collect();
        Reach {
            everywhere,
            offices,
            oblasts,
        }
    }

    pub async fn of(db: &Db, principal: &Principal) -> sqlx::Result<Reach> {
        let offices = repo::offices(db).await?;
        let office_oblasts = repo::office_oblasts(db).await?;
        Ok(Reach::from_parts(principal, &offices, &office_oblasts))
    }

    /// Admins act everywhere.
    pub fn everywhere(&self) -> bool {
        self.everywhere
    }

    /// Whether the principal coordinates this office (admins: every office).
    pub fn has_office(&self, office_id: i64) -> bool {
        self.everywhere || self.offices.contains(&office_id)
    }

    /// Whether the community `code` lies in the principal's oblasts. A code the registry does
    /// not know is in nobody's oblast but an admin's.
    pub fn covers(&self, snap: &Snapshot, code: &str) -> bool {
        self.everywhere
            || snap
                .find(code)
                .is_some_and(|i| self.oblasts.contains(oblast_of(snap, i)))
    }
}

/// Whether `office` covers the oblast the community `code` lies in.
fn office_covers(
    snap: &Snapshot,
    office_oblasts: &[(String, i64)],
    office: i64,
    code: &str,
) -> bool {
    snap.find(code).is_some_and(|i| {
        let oblast = oblast_of(snap, i);
        office_oblasts
            .iter()
            .any(|(c, id)| *id == office && c == oblast)
    })
}

/// A community joins (or rejoins) from `row.since`.
pub struct Join<'a> {
    pub code: &'a str,
    pub office: &'a Office,
    pub since: NaiveDate,
    pub decision_number: &'a str,
    pub decision_on: Option<NaiveDate>,
    pub is_demo: bool,
}

fn check_unit(snap: &Snapshot, code: &str) -> Result<(), Problem> {
    match snap.find(code) {
        Some(i) if can_be_member(snap.node(i).category) => Ok(()),
        _ => Err(Problem::NotACommunity),
    }
}

async fn join_in(
    tx: &mut Tx,
    j: &Join<'_>,
    today: NaiveDate,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Result<i64, Problem>, sqlx::Error> {
    let earlier = repo::periods_of(tx, j.code).await?;
    if let Err(p) = check_join(&earlier, j.since, today) {
        return Ok(Err(p));
    }
    let period = NewPeriod {
        unit_code: j.code,
        office_id: j.office.id,
        since: j.since,
        decision_number: j.decision_number,
        decision_on: j.decision_on,
        is_demo: j.is_demo,
    };
    match repo::insert_period(tx, &period, now).await {
        Ok(id) => Ok(Ok(id)),
        // Another request opened a period meanwhile.
        Err(e) if is_unique_violation(&e) => Ok(Err(Problem::AlreadyMember)),
        Err(e) => Err(e),
    }
}

pub async fn join(
    db: &Db,
    actor: &Actor,
    snap: &Snapshot,
    j: &Join<'_>,
) -> Result<i64, MemberError> {
    check_unit(snap, j.code).map_err(|p| one(j.code, p))?;
    // The office must cover the community's oblast, whoever records it: a member joined
    // through another oblast's office would fall into that office's coordinators' hands.
    let office_oblasts = repo::office_oblasts(db).await?;
    if !office_covers(snap, &office_oblasts, j.office.id, j.code) {
        return Err(one(j.code, Problem::OfficeElsewhere));
    }
    let mut w = Work::begin(db, actor.clone()).await?;
    let id = join_in(&mut w.tx, j, crate::clock::today(), w.now)
        .await?
        .map_err(|p| one(j.code, p))?;
    w.audit(
        "join",
        "member",
        j.code,
        json!({ "office": j.office.slug, "since": j.since.to_string(),
                "decision_number": j.decision_number,
                "decision_on": j.decision_on.map(|d| d.to_string()) }),
    )
    .await?;
    w.commit().await?;
    Ok(id)
}

pub struct End<'a> {
    pub code: &'a str,
    pub until: NaiveDate,
    pub reason: EndReason,
    pub decision_number: &'a str,
    pub decision_on: Option<NaiveDate>,
}

/// Ends the community's open period (it suspends its membership or leaves).
pub async fn end(db: &Db, actor: &Actor, e: &End<'_>) -> Result<(), MemberError> {
    let mut w = Work::begin(db, actor.clone()).await?;
    let periods = repo::periods_of(&mut w.tx, e.code).await?;
    let open = periods.iter().find(|p| p.until_on.is_none());
    check_end(open, e.until, crate::clock::today()).map_err(|p| one(e.code, p))?;
    let Some(open) = open else {
        return Err(one(e.code, Problem::NotMember));
    };
    repo::end_period(
        &mut w.tx,
        open.id,
        e.until,
        e.reason.code(),
        e.decision_number,
        e.decision_on,
    )
    .await?;
    w.audit(
        e.reason.code(),
        "member",
        e.code,
        json!({ "until": e.until.to_string(), "decision_number": e.decision_number,
                "decision_on": e.decision_on.map(|d| d.to_string()) }),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// Imports members from a parsed file, all or nothing: every row is checked against the
/// registry, the offices (and those the caller may manage) and the membership rules, rows in
/// file order, and every problem is reported with its line.
pub async fn import(
    db: &Db,
    actor: &Actor,
    principal: &Principal,
    snap: &Snapshot,
    rows: &[ImportRow],
) -> Result<usize, MemberError> {
    let offices = repo::offices(db).await?;
    let office_oblasts = repo::office_oblasts(db).await?;
    let today = crate::clock::today();
    let mut problems = Vec::new();
    let mut w = Work::begin(db, actor.clone()).await?;
    for row in rows {
        // An office the caller may not manage is reported like an unknown one.
        let office = offices
            .iter()
            .find(|o| o.slug == row.office && may_manage(principal, o));
        let result = match office {
            None => Err(Problem::UnknownOffice),
            Some(office) => match check_unit(snap, row.code.as_str()) {
                Err(p) => Err(p),
                // Only the office of the community's oblast (so a coordinator's rows stay in
                // the oblasts of their office).
                Ok(()) if !office_covers(snap, &office_oblasts, office.id, row.code.as_str()) => {
                    Err(Problem::OfficeElsewhere)
                }
                Ok(()) => {
                    let j = Join {
                        code: row.code.as_str(),
                        office,
                        since: row.since,
                        decision_number: &row.decision_number,
                        decision_on: row.decision_on,
                        is_demo: false,
                    };
                    join_in(&mut w.tx, &j, today, w.now).await?.map(|_| ())
                }
            },
        };
        if let Err(p) = result {
            problems.push((row.line, row.code.to_string(), p));
        }
    }
    if !problems.is_empty() {
        // Dropping the unit of work rolls every row back.
        return Err(MemberError::Problems(problems));
    }
    w.audit("import", "member", "import", json!({ "rows": rows.len() }))
        .await?;
    w.commit().await?;
    Ok(rows.len())
}

// --- what the staff's forms and their API twins ask ---

/// Refuses a coordinator a community outside the oblasts of their offices (403). A code the
/// registry does not know passes here, for the use case to name the problem.
pub async fn check_reach(db: &Db, snap: &Snapshot, p: &Principal, code: &str) -> AppResult<()> {
    if snap.find(code).is_none() {
        return Ok(());
    }
    if !Reach::of(db, p).await?.covers(snap, code) {
        return Err(AppError::OutOfScope);
    }
    Ok(())
}

/// The membership rules a request broke, each named by the field it concerns; `day` names the
/// day the request gives (`since` joining, `until` ending).
fn broken(e: MemberError, day: &str) -> AppError {
    match e {
        MemberError::Db(e) => e.into(),
        MemberError::Problems(list) => AppError::Invalid(
            list.into_iter()
                .map(|(_, _, p)| {
                    let field = match p {
                        Problem::NotACommunity | Problem::AlreadyMember | Problem::NotMember => {
                            "code"
                        }
                        Problem::UnknownOffice | Problem::OfficeElsewhere => "office",
                        Problem::Overlaps | Problem::DateOutOfRange | Problem::EndsBeforeStart => {
                            day
                        }
                    };
                    (field.to_string(), p.key().to_string())
                })
                .collect(),
        ),
    }
}

/// An optional day: `None` when empty, noted in `errors` when it is no date.
fn optional_day(raw: &str, field: &str, errors: &mut Vec<(String, String)>) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        return None;
    }
    let day = super::parse_day(raw);
    if day.is_none() {
        errors.push((field.to_string(), "error-date".to_string()));
    }
    day
}

/// A community joining, as the staff's form or a program sends it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = MemberJoin)]
pub struct JoinDraft {
    /// The short name of the regional office it joins through: one the caller manages that
    /// covers the community's oblast.
    pub office: String,
    /// The first day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub since: String,
    #[schema(max_length = 100)]
    pub decision_number: String,
    /// The decision's day, YYYY-MM-DD, or empty.
    #[schema(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub decision_on: String,
}

/// Staff record that the community `code` joins (or rejoins) through an office they manage
/// that covers its oblast. 422 names every field that does not fit, and each rule broken.
/// Returns the new period's id.
pub async fn join_community(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    code: &UnitCode,
    d: &JoinDraft,
) -> AppResult<i64> {
    let code = code.as_str();
    check_reach(db, snap, p, code).await?;
    let mut errors = Vec::new();
    let since = super::parse_day(&d.since);
    if since.is_none() {
        errors.push(("since".to_string(), "error-date".to_string()));
    }
    let decision_on = optional_day(&d.decision_on, "decision_on", &mut errors);
    if d.decision_number.chars().count() > 100 {
        errors.push(("decision_number".into(), "members-error-decision".into()));
    }
    let office = repo::office_by_slug(db, &d.office)
        .await?
        .filter(|o| may_manage(p, o));
    if office.is_none() {
        errors.push(("office".into(), Problem::UnknownOffice.key().into()));
    }
    let (Some(since), Some(office), true) = (since, office, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let join = Join {
        code,
        office: &office,
        since,
        decision_number: d.decision_number.trim(),
        decision_on,
        is_demo: false,
    };
    let actor = Actor::of(p, ip);
    self::join(db, &actor, snap, &join)
        .await
        .map_err(|e| broken(e, "since"))
}

/// A member suspending its membership or leaving, as the staff's form or a program sends it.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
#[schema(as = MemberEnd)]
pub struct EndDraft {
    /// The last day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub until: String,
    /// suspended or left.
    #[schema(pattern = "^(suspended|left)$")]
    pub reason: String,
    pub decision_number: String,
    /// The decision's day, YYYY-MM-DD, or empty.
    #[schema(pattern = "^([0-9]{4}-[0-9]{2}-[0-9]{2})?$")]
    pub decision_on: String,
}

/// Staff record that the member `code` suspends its membership or leaves; only those who
/// manage the office it joined through. 422 names every field that does not fit, and each
/// rule broken.
pub async fn end_membership(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    code: &UnitCode,
    d: &EndDraft,
) -> AppResult<()> {
    let code = code.as_str();
    check_reach(db, snap, p, code).await?;
    let periods = repo::periods_of_unit(db, code).await?;
    let offices = repo::offices(db).await?;
    let open_office = periods
        .iter()
        .find(|p| p.until_on.is_none())
        .and_then(|p| offices.iter().find(|o| o.id == p.office_id));
    if open_office.is_some_and(|o| !may_manage(p, o)) {
        return Err(AppError::OutOfScope);
    }
    let mut errors = Vec::new();
    let until = super::parse_day(&d.until);
    if until.is_none() {
        errors.push(("until".to_string(), "error-date".to_string()));
    }
    let reason = EndReason::parse(&d.reason);
    if reason.is_none() {
        errors.push(("reason".to_string(), "members-error-reason".to_string()));
    }
    let decision_on = optional_day(&d.decision_on, "decision_on", &mut errors);
    let (Some(until), Some(reason), true) = (until, reason, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let e = End {
        code,
        until,
        reason,
        decision_number: d.decision_number.trim(),
        decision_on,
    };
    end(db, &Actor::of(p, ip), &e)
        .await
        .map_err(|e| broken(e, "until"))
}

/// Why a member file was refused, each problem as the page lists it.
pub enum ImportRefused {
    /// The file has a header and nothing else.
    Empty,
    /// Rows that cannot be read (the first [`crate::web::csv_upload::MAX_LISTED`], then how
    /// many more).
    Unreadable(Vec<RowError>),
    /// Rows that break the membership rules: (line, code, problem).
    Broken(Vec<(u64, String, Problem)>),
}

impl ImportRefused {
    /// Every problem as a line in `lang`, with its line in the file.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        match self {
            ImportRefused::Empty => vec![lang.t("statuses-error-empty")],
            ImportRefused::Unreadable(errors) => crate::web::csv_upload::problems(lang, errors),
            ImportRefused::Broken(list) => list
                .iter()
                .map(|(line, code, p)| {
                    lang.t_args(
                        "members-import-problem",
                        &[
                            ("line", Arg::Num(*line as i64)),
                            ("code", Arg::Str(code)),
                            ("message", Arg::Str(&lang.t(p.key()))),
                        ],
                    )
                })
                .collect(),
        }
    }
}

/// Staff import members from a CSV file (`code,since,regional_office[,decision_number,
/// decision_on]`): all rows or none. Returns how many joined, or why the file was refused
/// with every bad row.
pub async fn import_file(
    db: &Db,
    snap: &Snapshot,
    p: &Principal,
    ip: &str,
    text: &str,
) -> AppResult<Result<usize, ImportRefused>> {
    let rows = match super::parse_import(text.as_bytes()) {
        Ok(rows) if rows.is_empty() => return Ok(Err(ImportRefused::Empty)),
        Ok(rows) => rows,
        Err(errors) => return Ok(Err(ImportRefused::Unreadable(errors))),
    };
    match import(db, &Actor::of(p, ip), p, snap, &rows).await {
        Ok(n) => Ok(Ok(n)),
        Err(MemberError::Problems(list)) => Ok(Err(ImportRefused::Broken(list))),
        Err(MemberError::Db(e)) => Err(e.into()),
    }
}

/// Creates a regional office with the oblasts it covers.
pub async fn create_office(
    db: &Db,
    actor: &Actor,
    o: &NewOffice<'_>,
    oblasts: &[String],
) -> Result<i64, sqlx::Error> {
    let mut w = Work::begin(db, actor.clone()).await?;
    let id = repo::insert_office(&mut w.tx, o, w.now).await?;
    repo::set_office_oblasts(&mut w.tx, id, oblasts).await?;
    w.audit(
        "create",
        "regional_office",
        o.slug,
        json!({ "name_uk": o.name_uk, "name_en": o.name_en, "oblasts": oblasts }),
    )
    .await?;
    w.commit().await?;
    Ok(id)
}

/// Changes an office's details and oblasts.
pub async fn update_office(
    db: &Db,
    actor: &Actor,
    id: i64,
    o: &NewOffice<'_>,
    oblasts: &[String],
) -> Result<(), sqlx::Error> {
    let mut w = Work::begin(db, actor.clone()).await?;
    repo::update_office(&mut w.tx, id, o).await?;
    repo::set_office_oblasts(&mut w.tx, id, oblasts).await?;
    w.audit(
        "update",
        "regional_office",
        o.slug,
        json!({ "name_uk": o.name_uk, "name_en": o.name_en, "head_name": o.head_name,
                "email": o.email, "phone": o.phone, "address": o.address, "oblasts": oblasts }),
    )
    .await?;
    w.commit().await?;
    Ok(())
}

/// Loads the 17 sections into a database that has none (at `serve` and `migrate`), with an
/// audit entry. Returns whether it did.
pub async fn ensure_sections(db: &Db, actor: &Actor) -> Result<bool, sqlx::Error> {
    let fresh = repo::sections(db).await?.is_empty();
    let mut w = Work::begin(db, actor.clone()).await?;
    if fresh {
        for (position, (slug, uk, en)) in super::SECTIONS.iter().enumerate() {
            repo::insert_section(&mut w.tx, slug, uk, en, position as i64 + 1).await?;
        }
    }
    // The association's own statements of purpose, where nobody has written one yet.
    let mut purposes = 0;
    for (slug, uk, en) in shipped_purposes() {
        purposes += repo::fill_purpose(&mut w.tx, slug, uk, en).await?;
    }
    if !fresh && purposes == 0 {
        return Ok(false);
    }
    w.audit(
        "load",
        "sections",
        "shipped",
        json!({ "sections": if fresh { super::SECTIONS.len() } else { 0 }, "purposes": purposes }),
    )
    .await?;
    w.commit().await?;
    Ok(true)
}

/// The sections' purposes shipped in `data/sections/purposes.tsv`: (slug, Ukrainian, English).
pub fn shipped_purposes() -> Vec<(&'static str, &'static str, &'static str)> {
    include_str!("../../data/sections/purposes.tsv")
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut parts = line.split('\t');
            Some((parts.next()?, parts.next()?, parts.next()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_section_has_a_shipped_purpose_in_both_languages() {
        let purposes = super::shipped_purposes();
        assert_eq!(purposes.len(), super::super::SECTIONS.len());
        for ((slug, uk, en), (expected, _, _)) in purposes.iter().zip(super::super::SECTIONS) {
            assert_eq!(*slug, expected);
            assert!(uk.chars().count() > 50 && en.chars().count() > 50, "{slug}");
        }
    }
}
