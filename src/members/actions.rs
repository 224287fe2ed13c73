//! Membership use cases shared by pages, API and import: join, end (suspend or leave), import
//! a file, and manage regional offices. Each is one transaction with its audit entry.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::json;

use super::repo::{self, NewOffice, NewPeriod, Office};
use super::{EndReason, ImportRow, Problem, can_be_member, check_end, check_join, oblast_of};
use crate::auth::{Actor, Principal, Role, now};
use crate::db::{Db, Tx, is_unique_violation};
use crate::registry::snapshot::Snapshot;

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
    match repo::insert_period(tx, &period, now()).await {
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
    let mut tx = db.begin().await?;
    let id = join_in(&mut tx, j, crate::clock::today())
        .await?
        .map_err(|p| one(j.code, p))?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "join",
        "member",
        j.code,
        json!({ "office": j.office.slug, "since": j.since.to_string(),
                "decision_number": j.decision_number,
                "decision_on": j.decision_on.map(|d| d.to_string()) }),
        now(),
    )
    .await?;
    tx.commit().await?;
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
    let mut tx = db.begin().await?;
    let periods = repo::periods_of(&mut tx, e.code).await?;
    let open = periods.iter().find(|p| p.until_on.is_none());
    check_end(open, e.until, crate::clock::today()).map_err(|p| one(e.code, p))?;
    let Some(open) = open else {
        return Err(one(e.code, Problem::NotMember));
    };
    repo::end_period(
        &mut tx,
        open.id,
        e.until,
        e.reason.code(),
        e.decision_number,
        e.decision_on,
    )
    .await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        e.reason.code(),
        "member",
        e.code,
        json!({ "until": e.until.to_string(), "decision_number": e.decision_number,
                "decision_on": e.decision_on.map(|d| d.to_string()) }),
        now(),
    )
    .await?;
    tx.commit().await?;
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
    let mut tx = db.begin().await?;
    for row in rows {
        // An office the caller may not manage is reported like an unknown one.
        let office = offices
            .iter()
            .find(|o| o.slug == row.office && may_manage(principal, o));
        let result = match office {
            None => Err(Problem::UnknownOffice),
            Some(office) => match check_unit(snap, &row.code) {
                Err(p) => Err(p),
                // Only the office of the community's oblast (so a coordinator's rows stay in
                // the oblasts of their office).
                Ok(()) if !office_covers(snap, &office_oblasts, office.id, &row.code) => {
                    Err(Problem::OfficeElsewhere)
                }
                Ok(()) => {
                    let j = Join {
                        code: &row.code,
                        office,
                        since: row.since,
                        decision_number: &row.decision_number,
                        decision_on: row.decision_on,
                        is_demo: false,
                    };
                    join_in(&mut tx, &j, today).await?.map(|_| ())
                }
            },
        };
        if let Err(p) = result {
            problems.push((row.line, row.code.clone(), p));
        }
    }
    if !problems.is_empty() {
        // Dropping the transaction rolls every row back.
        return Err(MemberError::Problems(problems));
    }
    crate::audit::repo::record(
        &mut tx,
        actor,
        "import",
        "member",
        "import",
        json!({ "rows": rows.len() }),
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// Creates a regional office with the oblasts it covers.
pub async fn create_office(
    db: &Db,
    actor: &Actor,
    o: &NewOffice<'_>,
    oblasts: &[String],
) -> Result<i64, sqlx::Error> {
    let mut tx = db.begin().await?;
    let id = repo::insert_office(&mut tx, o, now()).await?;
    repo::set_office_oblasts(&mut tx, id, oblasts).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "create",
        "regional_office",
        o.slug,
        json!({ "name_uk": o.name_uk, "name_en": o.name_en, "oblasts": oblasts }),
        now(),
    )
    .await?;
    tx.commit().await?;
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
    let mut tx = db.begin().await?;
    repo::update_office(&mut tx, id, o).await?;
    repo::set_office_oblasts(&mut tx, id, oblasts).await?;
    crate::audit::repo::record(
        &mut tx,
        actor,
        "update",
        "regional_office",
        o.slug,
        json!({ "name_uk": o.name_uk, "name_en": o.name_en, "head_name": o.head_name,
                "email": o.email, "phone": o.phone, "address": o.address, "oblasts": oblasts }),
        now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Loads the 17 sections into a database that has none (at `serve` and `migrate`), with an
/// audit entry. Returns whether it did.
pub async fn ensure_sections(db: &Db, actor: &Actor) -> Result<bool, sqlx::Error> {
    let fresh = repo::sections(db).await?.is_empty();
    let mut tx = db.begin().await?;
    if fresh {
        for (position, (slug, uk, en)) in super::SECTIONS.iter().enumerate() {
            repo::insert_section(&mut tx, slug, uk, en, position as i64 + 1).await?;
        }
    }
    // The association's own statements of purpose, where nobody has written one yet.
    let mut purposes = 0;
    for (slug, uk, en) in shipped_purposes() {
        purposes += repo::fill_purpose(&mut tx, slug, uk, en).await?;
    }
    if !fresh && purposes == 0 {
        return Ok(false);
    }
    crate::audit::repo::record(
        &mut tx,
        actor,
        "load",
        "sections",
        "shipped",
        json!({ "sections": if fresh { super::SECTIONS.len() } else { 0 }, "purposes": purposes }),
        now(),
    )
    .await?;
    tx.commit().await?;
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
