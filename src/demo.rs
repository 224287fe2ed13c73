//! `serve --demo`: clearly marked demo content for an empty database. Every demo account uses
//! the reserved `.invalid` domain and is flagged `is_demo`; pages show a demo banner for them.

use crate::auth::{actions, one_time_password, repo};
use crate::db::Db;
use crate::i18n::Lang;
use crate::identity::Role;
use crate::state::AppState;
use crate::work::Actor;
use crate::work::Work;

pub const DEMO_DOMAIN: &str = "demo.hromada.invalid";

/// Adds demo accounts when the database has no account yet; does nothing otherwise.
pub async fn seed(state: &AppState) -> anyhow::Result<()> {
    if repo::count_users(&state.db).await? > 0 {
        tracing::info!("demo: the database already has accounts; nothing added");
        return Ok(());
    }
    let actor = Actor::system("demo");
    let accounts = [
        ("admin", "Демо: адміністратор", Role::Admin, ""),
        ("editor", "Демо: редактор", Role::Editor, ""),
        (
            "coordinator",
            "Демо: координатор Вінницького відділення",
            Role::Coordinator,
            "vinnytska",
        ),
        (
            "official",
            "Демо: посадова особа громади",
            Role::CommunityOfficial,
            "UA05020030000031457",
        ),
        (
            "club-chair",
            "Демо: голова комітету клубу",
            Role::ClubChair,
            "",
        ),
        (
            "club-committee",
            "Демо: член комітету клубу",
            Role::ClubCommittee,
            "",
        ),
        (
            "section-coordinator",
            "Демо: координатор секції фінансистів",
            Role::SectionCoordinator,
            "finance",
        ),
    ];
    let mut lines = Vec::new();
    for (local, name, role, scope) in accounts {
        let email = format!("{local}@{DEMO_DOMAIN}");
        let password = one_time_password();
        let account = actions::NewAccount {
            email: email.clone(),
            display_name: name.to_string(),
            role,
            scope: scope.to_string(),
            lang: Lang::Uk,
            password: Some(password.clone()),
            email_verified: true,
            is_demo: true,
        };
        actions::create_account(state, &actor, account)
            .await
            .map_err(|e| anyhow::anyhow!("demo account: {e}"))?;
        lines.push(format!("  {email:<40} {password}  ({})", role.code()));
    }
    println!(
        "DEMO accounts (staff enrol a second factor at first login):\n{}",
        lines.join("\n")
    );
    Ok(())
}

/// Demo regional offices (one per oblast and Kyiv; none for occupied Crimea and Sevastopol)
/// and demo members (every urban hromada and Kyiv, from 2016), all flagged `is_demo`, when
/// the database has no office yet.
pub async fn seed_association(state: &AppState) -> anyhow::Result<()> {
    use crate::members::{actions as member_actions, repo as member_repo};
    use crate::registry::attributes::HromadaType;
    use crate::registry::{Category, Level};
    if !member_repo::offices(&state.db).await?.is_empty() {
        return Ok(());
    }
    let snap = crate::registry::snapshot::current(state).await?;
    let actor = Actor::system("demo");
    let since = chrono::NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default();
    let mut offices = 0;
    for &i in snap.roots() {
        let n = snap.node(i);
        if matches!(
            n.code.as_str(),
            "UA01000000000013043" | "UA85000000000065278"
        ) {
            continue;
        }
        let slug = n.name_en.to_lowercase().replace([' ', '\''], "-");
        let name_uk = format!("Демо: відділення — {}", n.title(Lang::Uk));
        let name_en = format!("Demo: office — {}", n.title(Lang::En));
        let office = member_repo::NewOffice {
            slug: &slug,
            name_uk: &name_uk,
            name_en: &name_en,
            head_name: "",
            email: "",
            phone: "",
            address: "",
            is_demo: true,
        };
        member_actions::create_office(&state.db, &actor, &office, std::slice::from_ref(&n.code))
            .await?;
        offices += 1;
        let Some(office) = member_repo::office_by_slug(&state.db, &slug).await? else {
            continue;
        };
        let mut communities = Vec::new();
        if n.category == Category::SpecialCity {
            communities.push(i);
        }
        for &r in &n.children {
            for &h in &snap.node(r).children {
                let h_node = snap.node(h);
                if h_node.level() == Level::Hromada
                    && h_node.hromada_type == Some(HromadaType::Urban)
                {
                    communities.push(h);
                }
            }
        }
        for c in communities {
            let join = member_actions::Join {
                code: &snap.node(c).code,
                office: &office,
                since,
                decision_number: "",
                decision_on: None,
                is_demo: true,
            };
            member_actions::join(&state.db, &actor, &snap, &join)
                .await
                .map_err(|e| anyhow::anyhow!("demo member: {e}"))?;
        }
    }
    println!("DEMO association: {offices} regional offices and their urban hromadas as members");
    Ok(())
}

/// Demo heads of six member cities, four of them in the Mayors' Club with published demo
/// pages, and a demo announcement in the financiers' section; all flagged `is_demo` and named
/// as demo. Runs once, when no person is recorded yet.
pub async fn seed_club(state: &AppState) -> anyhow::Result<()> {
    use crate::people::repo as people;
    let (_, total) = people::people(&state.db, 1, 0).await?;
    if total > 0 {
        return Ok(());
    }
    let heads = [
        (
            "UA05020030000031457",
            "Демо: голова Вінницької громади",
            "Demo: head of Vinnytska hromada",
        ),
        (
            "UA46060250000025047",
            "Демо: голова Львівської громади",
            "Demo: head of Lvivska hromada",
        ),
        (
            "UA12020010000033698",
            "Демо: голова Дніпровської громади",
            "Demo: head of Dniprovska hromada",
        ),
        (
            "UA63120270000028556",
            "Демо: голова Харківської громади",
            "Demo: head of Kharkivska hromada",
        ),
        (
            "UA51100270000073549",
            "Демо: голова Одеської громади",
            "Demo: head of Odeska hromada",
        ),
        (
            "UA59080270000073662",
            "Демо: голова Сумської громади",
            "Demo: head of Sumska hromada",
        ),
    ];
    let snap = crate::registry::snapshot::current(state).await?;
    let since = chrono::NaiveDate::from_ymd_opt(2020, 11, 20).unwrap_or_default();
    let mut work = Work::begin(&state.db, Actor::system("demo")).await?;
    let now = work.now;
    let mut members = 0;
    for (i, (code, uk, en)) in heads.iter().enumerate() {
        if snap.find(code).is_none() {
            continue;
        }
        let person = people::NewPerson {
            name_uk: uk,
            name_en: en,
            email: "",
            phone: "",
            is_demo: true,
        };
        let id = people::insert_person(&mut work.tx, &person, now).await?;
        let post = people::NewPost {
            person_id: id,
            unit_code: code,
            kind: crate::people::PostKind::Head.code(),
            since,
            until: None,
            end_reason: None,
        };
        people::insert_post(&mut work.tx, &post, now).await?;
        if i < 4 {
            crate::club::repo::insert_member(&mut work.tx, id, None, since, true, now).await?;
            members += 1;
            let texts = [
                (
                    "bio",
                    "uk",
                    "Демонстраційний текст біографії: тут голова розповідає про свій шлях у місцевому самоврядуванні.",
                ),
                (
                    "vision",
                    "uk",
                    "Демонстраційний текст бачення: якою голова бачить громаду через десять років.",
                ),
                (
                    "bio",
                    "en",
                    "Demo biography: here the head tells about their path in local self-government.",
                ),
            ];
            for (field, lang, text) in texts {
                people::save_mayor_draft(&mut work.tx, id, field, lang, text, "draft", None, now)
                    .await?;
            }
        }
    }
    crate::db_exec!(&mut work.tx, c => sqlx::query(
        "UPDATE mayor_texts SET published = draft, state = 'reviewed', edited_by = NULL, \
         reviewed_at = $1").bind(now).execute(c).await)?;
    // A demo announcement from the demo coordinator of the financiers' section.
    let coordinator =
        repo::find_user_by_email(&state.db, &format!("section-coordinator@{DEMO_DOMAIN}")).await?;
    let section = crate::members::repo::section_by_slug(&state.db, "finance").await?;
    if let (Some(user), Some(section)) = (coordinator, section) {
        crate::sections::repo::insert_announcement(
            &mut work.tx,
            section.id,
            "Демо: засідання секції",
            "Це демонстраційне оголошення: тут координатор секції повідомляє про засідання, порядок денний і матеріали.",
            "uk",
            user.id,
            now,
        )
        .await?;
    }
    work.commit().await?;
    println!(
        "DEMO club: {} demo heads, {members} of them club members",
        heads.len()
    );
    Ok(())
}

/// Demo news for the last three weeks (four items a week, in several sectors, about demo member
/// cities) and a published digest for each of those weeks, all flagged `is_demo` and titled as
/// demo. Runs once, when there is no news yet.
pub async fn seed_news(state: &AppState) -> anyhow::Result<()> {
    use crate::digest::{self, repo as digests};
    use crate::news::{self, repo as news_repo};
    let (_, total) = news_repo::by_state(&state.db, None, 1, 0).await?;
    if total > 0 {
        return Ok(());
    }
    let snap = crate::registry::snapshot::current(state).await?;
    let sectors: Vec<String> = news_repo::sectors(&state.db)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    let topics = [
        (
            "education",
            "UA05020030000031457",
            "Демо: школа відкрила укриття",
            "Demo: a school opens a shelter",
        ),
        (
            "social",
            "UA46060250000025047",
            "Демо: громада допомагає переселенцям",
            "Demo: a hromada helps displaced people",
        ),
        (
            "utilities",
            "UA12020010000033698",
            "Демо: відновлено водопостачання",
            "Demo: water supply restored",
        ),
        (
            "international",
            "UA63120270000028556",
            "Демо: зустріч із містом-побратимом",
            "Demo: a meeting with a sister city",
        ),
    ];
    let today = crate::clock::today();
    let (this_week, _) = digest::week_of(today);
    let mut work = Work::begin(&state.db, Actor::system("demo")).await?;
    let now = work.now;
    let mut items = 0;
    for week in 1..=3i64 {
        let start = this_week - chrono::Duration::days(7 * week);
        let end = start + chrono::Duration::days(6);
        let mut ids = Vec::new();
        for (i, (sector, code, uk, en)) in topics.iter().enumerate() {
            let draft = news::Draft {
                title_uk: format!("{uk} ({})", digest::range_label(start, end, crate::i18n::Lang::Uk)),
                title_en: format!("{en} ({})", digest::range_label(start, end, crate::i18n::Lang::En)),
                summary_uk: "Демонстраційна новина: вигаданий текст, щоб показати, як виглядають новини й дайджест.".into(),
                summary_en: "Demo item: made-up text that shows how news and the digest look.".into(),
                body_uk: "Це **демонстраційний** текст. Справжні новини пишуть редактори асоціації.".into(),
                body_en: "This is **demo** text. Real news is written by the association's editors.".into(),
                sectors: vec![sector.to_string()],
                units: code.to_string(),
                ..news::Draft::default()
            };
            let checked = news::check(&draft, &sectors, &snap)
                .map_err(|e| anyhow::anyhow!("demo news: {e:?}"))?;
            let id = news_repo::insert_item(&mut work.tx, &checked, None, true, now).await?;
            news_repo::set_links(&mut work.tx, id, &checked).await?;
            let published = (start + chrono::Duration::days(i as i64 + 1))
                .and_hms_opt(9, 0, 0)
                .map(|t| t.and_utc())
                .unwrap_or(now);
            crate::db_exec!(&mut work.tx, c => sqlx::query(
                "UPDATE news_items SET state = 'published', published_at = $1, updated_at = $1 \
                 WHERE id = $2").bind(published).bind(id).execute(c).await)?;
            ids.push(id);
            items += 1;
        }
        let new = digests::NewDigest {
            starts_on: start,
            ends_on: end,
            title_uk: &format!(
                "Демо: {}",
                digest::default_title(start, end, crate::i18n::Lang::Uk)
            ),
            title_en: &format!(
                "Demo: {}",
                digest::default_title(start, end, crate::i18n::Lang::En)
            ),
            created_by: None,
            is_demo: true,
        };
        if let Some(digest_id) = digests::insert(&mut work.tx, &new, now).await? {
            for (position, (id, (sector, ..))) in ids.iter().zip(topics.iter()).enumerate() {
                let group = if position == 0 { digest::TOP } else { sector };
                digests::insert_entry(&mut work.tx, digest_id, *id, group, position as i64 + 1)
                    .await?;
            }
            digests::publish(&mut work.tx, digest_id, now).await?;
        }
    }
    crate::db::settings::set(
        &mut work.tx,
        news::search::REVISION_KEY,
        &format!("demo-{}", now.timestamp()),
        now,
    )
    .await?;
    work.commit().await?;
    println!("DEMO news: {items} items over three weeks and their digests");
    Ok(())
}

/// A demo collection campaign, when there is none: the community profile for last year,
/// asked of the demo Vinnytsia office's members with a deadline two weeks off, so the demo
/// official has something to fill in and the demo coordinator something to review.
pub async fn seed_statistics(db: &Db) -> anyhow::Result<()> {
    use crate::statistics::collection::repo;
    if repo::count(db, "stat_campaigns").await? > 0 {
        return Ok(());
    }
    let Some(dataset) = repo::dataset_by_code(db, "community_profile").await? else {
        return Ok(());
    };
    let Some((office, ..)) = repo::offices(db)
        .await?
        .into_iter()
        .find(|(_, slug, ..)| slug == "vinnytska")
    else {
        return Ok(());
    };
    let units: Vec<(String, Option<i64>)> = repo::current_members(db, Some(office))
        .await?
        .into_iter()
        .map(|(u, o)| (u, Some(o)))
        .collect();
    let today = crate::clock::today();
    let period = crate::statistics::Period::Year(chrono::Datelike::year(&today) - 1).code();
    let mut work = Work::begin(db, Actor::system("demo")).await?;
    let now = work.now;
    let id = repo::insert_campaign(
        &mut work.tx,
        &repo::NewCampaign {
            dataset_id: dataset.id,
            period: &period,
            scope_kind: "office",
            office_id: Some(office),
            deadline: today + chrono::Duration::days(14),
            note: "Демо: кампанія для показу збору даних. Demo: a campaign to show data collection.",
            user: None,
        },
        &units,
        now,
    )
    .await?;
    work.audit(
        "create",
        "stat_campaign",
        id,
        serde_json::json!({ "demo": true, "communities": units.len() }),
    )
    .await?;
    work.commit().await?;
    Ok(())
}

/// Releases of the real shipped data, when there are none yet, so the open-data catalogue
/// and the releases page have something to show: local budget revenues for 2021 and 2022 and
/// the community profile for 2022.
pub async fn seed_releases(state: &AppState) -> anyhow::Result<()> {
    if !crate::statistics::analysis::releases::releases(&state.db)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let actor = crate::work::Actor::system("demo");
    for (dataset, period) in [
        ("budget_revenues", "2021"),
        ("budget_revenues", "2022"),
        ("community_profile", "2022"),
    ] {
        crate::statistics::analysis::releases::publish_as(state, &actor, dataset, period, "")
            .await
            .map_err(|e| anyhow::anyhow!("demo release {dataset} {period}: {e}"))?;
    }
    println!("DEMO releases: budget revenues 2021 and 2022, community profile 2022");
    Ok(())
}
