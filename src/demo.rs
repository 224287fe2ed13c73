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
