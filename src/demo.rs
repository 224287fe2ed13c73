//! `serve --demo`: clearly marked demo content for an empty database. Every demo account uses
//! the reserved `.invalid` domain and is flagged `is_demo`; pages show a demo banner for them.

use crate::auth::{Actor, Role, actions, one_time_password, repo};
use crate::i18n::Lang;
use crate::web::AppState;

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
    let snap = state.registry.get(&state.db).await?;
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
