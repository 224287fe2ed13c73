//! Collecting statistics: a coordinator starts a campaign for their office, an official sees
//! what they owe, saves a draft (twice, without duplicates), meets the rules and the warning
//! that asks for a comment, submits; the coordinator sends a value back, the official fixes
//! it, the coordinator approves and the public sees the values; completeness, reminders that
//! reach a real SMTP server, locked periods, and the API.

use axum::http::StatusCode;
use hromada::identity::Role;

use crate::harness::TestApp;
use crate::smtp::SmtpServer;

const VINNYTSIA: &str = "UA05020030000031457";

async fn scalar_i64(app: &TestApp, sql: &str, bind: &str) -> i64 {
    let sql = sql.to_string();
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
        .bind(bind).fetch_one(c).await)
    .expect("scalar")
}

async fn indicator_id(app: &TestApp, code: &str) -> String {
    scalar_i64(app, "SELECT id FROM stat_indicators WHERE code = $1", code)
        .await
        .to_string()
}

/// A registry with the shipped statistics, demo offices and members (every urban hromada).
async fn app_with_members() -> (TestApp, String) {
    let app = TestApp::with_registry().await;
    let actor = hromada::work::Actor::system("test");
    hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
        .await
        .expect("statistics");
    hromada::demo::seed_association(&app.state)
        .await
        .expect("offices");
    let slug: String = hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT o.slug FROM regional_offices o JOIN memberships m ON m.office_id = o.id \
         WHERE m.unit_code = $1").bind(VINNYTSIA).fetch_one(c).await)
    .expect("Vinnytsia's office");
    (app, slug)
}

fn in_days(days: i64) -> String {
    (hromada::clock::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

#[tokio::test]
async fn a_campaign_from_start_to_approved_values() {
    let (mut coordinator, office) = app_with_members().await;
    coordinator
        .login_as_scoped(Role::Coordinator, &office)
        .await;
    let mut official = coordinator.other_browser();
    official
        .login_as_scoped(Role::CommunityOfficial, VINNYTSIA)
        .await;
    let mut public = coordinator.other_browser();

    // Coordinators ask their own office only; a bad form names each problem.
    let bad = coordinator
        .post_form(
            "/uk/statistics/campaigns",
            &[
                ("dataset", "community_profile"),
                ("period", "2023-Q1"),
                ("scope", "office"),
                ("office", &office),
                ("deadline", "2020-01-01"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let errors = bad.text(".errors");
    assert!(errors.contains("не відповідає періодичності"), "{errors}");
    assert!(errors.contains("не може бути в минулому"), "{errors}");
    let everyone = coordinator
        .post_form(
            "/uk/statistics/campaigns",
            &[
                ("dataset", "community_profile"),
                ("period", "2023"),
                ("scope", "members"),
                ("deadline", &in_days(10)),
            ],
        )
        .await;
    assert_eq!(everyone.status, StatusCode::FORBIDDEN, "{}", everyone.body);

    let started = coordinator
        .post_form(
            "/uk/statistics/campaigns",
            &[
                ("dataset", "community_profile"),
                ("period", "2023"),
                ("scope", "office"),
                ("office", &office),
                ("deadline", &in_days(10)),
                ("note", "Демо: перевірка збору"),
            ],
        )
        .await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let campaign_page = started
        .location()
        .split('?')
        .next()
        .expect("path")
        .to_string();
    let id = campaign_page.rsplit('/').next().expect("id").to_string();
    let asked = scalar_i64(
        &coordinator,
        "SELECT COUNT(*) FROM stat_campaign_units WHERE campaign_id = CAST($1 AS INTEGER)",
        &id,
    )
    .await;
    assert!(asked > 1, "every member of the office is asked: {asked}");

    // The official sees what they owe.
    let owe = official.get("/uk/statistics/owe").await;
    assert_eq!(owe.status, StatusCode::OK);
    let list = owe.text("ul.owed");
    assert!(list.contains("Профіль громади 2023"), "{list}");
    assert!(list.contains("лишилося 10 днів"), "{list}");
    assert!(list.contains("Бракує 4 значень"), "{list}");

    let form = format!("/uk/statistics/campaigns/{id}/report/{VINNYTSIA}");
    let total = indicator_id(&official, "population_total").await;
    let urban = indicator_id(&official, "population_urban").await;
    let settlements = indicator_id(&official, "settlements").await;
    let area = indicator_id(&official, "area_km2").await;
    let v = |id: &str| format!("v_{id}");
    let c = |id: &str| format!("c_{id}");
    let page = official.get(&form).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text(&format!("#h-{total}")).contains("387\u{a0}439"),
        "last period's population shows next to the field"
    );

    // A draft, saved twice: the second save stores nothing new.
    for _ in 0..2 {
        let saved = official
            .post_form(&form, &[("intent", "save"), (&v(&total), "250 000")])
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    // An intent the form does not have is refused, not taken for a save.
    let unknown = official
        .post_form(&form, &[("intent", "publish"), (&v(&total), "1")])
        .await;
    assert_eq!(
        unknown.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unknown.body
    );
    let drafts = scalar_i64(
        &official,
        "SELECT COUNT(*) FROM stat_drafts WHERE unit_code = $1",
        VINNYTSIA,
    )
    .await;
    assert_eq!(drafts, 4, "one draft per field, however often it is saved");
    let page = official.get(&form).await;
    assert_eq!(
        page.html()
            .select(&scraper::Selector::parse(&format!("#v-{total}")).expect("selector"))
            .next()
            .and_then(|e| e.value().attr("value"))
            .map(str::to_string),
        Some("250 000".to_string()),
        "the draft is in the form as typed"
    );

    // Submitting: the rule between indicators and the change that asks for a comment.
    let fields = |total_comment: &str, settle: &str| {
        vec![
            (v(&total), "250 000".to_string()),
            (c(&total), total_comment.to_string()),
            (v(&urban), "260 000".to_string()),
            (c(&urban), total_comment.to_string()),
            (v(&settlements), settle.to_string()),
            (v(&area), "113,2".to_string()),
            ("intent".to_string(), "submit".to_string()),
        ]
    };
    let refused = {
        let f = fields("", "1");
        let pairs: Vec<(&str, &str)> = f.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
        official.post_form(&form, &pairs).await
    };
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let urban_error = refused.text(&format!("#e-{urban}"));
    assert!(
        urban_error.contains("Міське населення не може перевищувати"),
        "{urban_error}"
    );
    let warning = refused.text(&format!("#w-{total}"));
    assert!(
        warning.contains("-35,5 %") && warning.contains("коментарі"),
        "{warning}"
    );
    assert!(refused.text(".errors").contains("2 поля потребують уваги"));

    let mut fixed = fields("Демо: виїзд населення після обстрілів", "1");
    fixed[2].1 = "240 000".into();
    let pairs: Vec<(&str, &str)> = fixed
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let submitted = official.post_form(&form, &pairs).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    assert_eq!(
        scalar_i64(
            &official,
            "SELECT COUNT(*) FROM stat_drafts WHERE unit_code = $1",
            VINNYTSIA
        )
        .await,
        0,
        "drafts go once submitted"
    );
    // The same form again (a retry after a dropped connection) changes nothing.
    let again = official.post_form(&form, &pairs).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let values = |app: &TestApp| {
        let app = app.state.db.clone();
        async move {
            hromada::on_db!(&app, c => sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM stat_values WHERE unit_code = $1 AND period = '2023' AND state = 'submitted'")
                .bind(VINNYTSIA).fetch_one(c).await)
            .expect("count")
        }
    };
    assert_eq!(values(&official).await, 4);
    // Not public before approval.
    let unit = public.get(&format!("/uk/units/{VINNYTSIA}")).await;
    assert!(!unit.text("table.stats-table").contains("240\u{a0}000"));

    // The coordinator's own list shows the report waiting for review.
    let waiting = coordinator.get("/uk/statistics/owe").await;
    assert!(
        waiting.text("ul.to-review").contains("1 звіт"),
        "{}",
        waiting.text("main")
    );

    // The coordinator sends one value back with a note.
    let no_note = coordinator
        .post_form(
            &format!("{form}/review"),
            &[(&format!("r_{settlements}"), "1")],
        )
        .await;
    assert_eq!(no_note.status, StatusCode::UNPROCESSABLE_ENTITY);
    let back = coordinator
        .post_form(
            &format!("{form}/review"),
            &[
                (&format!("r_{settlements}"), "1"),
                (
                    &format!("n_{settlements}"),
                    "Демо: у громаді 45 населених пунктів",
                ),
            ],
        )
        .await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    let owe = official.get("/uk/statistics/owe").await;
    assert!(
        owe.text("ul.owed")
            .contains("у громаді 45 населених пунктів")
    );

    // The official fixes it; the rest keep their submitted values.
    let page = official.get(&form).await;
    assert!(
        page.text(&format!("#note-{settlements}"))
            .contains("45 населених")
    );
    assert_eq!(
        page.count(&format!("#v-{settlements}")),
        1,
        "the value sent back is open"
    );
    assert_eq!(
        page.count(&format!("#v-{total}")),
        0,
        "the others wait for review as they are"
    );
    let resubmitted = official
        .post_form(&form, &[(&v(&settlements), "45"), ("intent", "submit")])
        .await;
    assert_eq!(
        resubmitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        resubmitted.body
    );

    // Approved: public, with every change on record.
    let approved = coordinator.post_form(&format!("{form}/review"), &[]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert!(approved.location().ends_with("done=approved"));
    let unit = public.get(&format!("/uk/units/{VINNYTSIA}")).await;
    let table = unit.text("table.stats-table");
    assert!(
        table.contains("250\u{a0}000") && table.contains("Звіт громади"),
        "{table}"
    );
    let history = scalar_i64(
        &official,
        "SELECT COUNT(*) FROM stat_value_changes h JOIN stat_values v ON v.id = h.value_id \
         JOIN stat_indicators i ON i.id = v.indicator_id \
         WHERE v.unit_code = $1 AND v.period = '2023' AND i.code = 'settlements'",
        VINNYTSIA,
    )
    .await;
    assert_eq!(history, 4, "submitted, returned, submitted again, approved");
    let page = official.get(&form).await;
    assert!(page.text("table.report-values").contains("45 населених"));

    // Completeness: one of the office's communities reported, on time.
    let summary = coordinator.get(&campaign_page).await;
    assert_eq!(summary.status, StatusCode::OK);
    let total_line = summary.text("#completeness-total");
    assert!(
        total_line.contains("Подали: 1") && total_line.contains("Вчасно: 1"),
        "{total_line}"
    );
    assert!(
        summary
            .text(&format!("#report-{VINNYTSIA}"))
            .contains("затверджено")
    );
    let api = coordinator.get(&format!("/api/v1/campaigns/{id}")).await;
    assert_eq!(api.status, StatusCode::OK, "{}", api.body);
    let json = api.json();
    assert_eq!(json["completeness"]["approved"], 1);
    assert_eq!(json["completeness"]["asked"], asked);

    // Out of scope: another community's official, the public.
    let mut stranger = coordinator.other_browser();
    stranger
        .login_as_scoped(Role::CommunityOfficial, "UA05020010000053508")
        .await;
    assert_eq!(stranger.get(&form).await.status, StatusCode::FORBIDDEN);
    assert_eq!(public.get(&form).await.status, StatusCode::SEE_OTHER);
    assert!(
        coordinator
            .audit_actions("stat_report")
            .await
            .iter()
            .any(|a| a == "approve")
    );
}

/// Runs the automatic reminder pass now, as the job runner does every hour.
async fn automatic_reminders(app: &TestApp) {
    let mut tx = app.state.db.begin().await.expect("tx");
    hromada::jobs::enqueue(
        &mut tx,
        hromada::statistics::collection::reminders::JOB,
        &serde_json::json!({}),
        hromada::clock::now(),
    )
    .await
    .expect("job");
    tx.commit().await.expect("commit");
    app.run_jobs().await;
}

#[tokio::test]
async fn reminders_reach_the_officials_who_owe_once_each() {
    let smtp = SmtpServer::start().await;
    let (mut admin, _) = app_with_members().await;
    admin.login_as(Role::Admin).await;
    admin
        .create_user(
            "zvit@vinnytsia.example.ua",
            Role::CommunityOfficial,
            VINNYTSIA,
        )
        .await;
    let api = admin
        .send_json(
            axum::http::Method::POST,
            "/api/v1/campaigns",
            &serde_json::json!({
                "dataset": "budget_revenues", "period": "2024", "scope": "list",
                "units": [VINNYTSIA, "UA05020010000053508"], "deadline": in_days(2)
            }),
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let id = api.json()["id"].as_i64().expect("id");
    assert_eq!(api.json()["completeness"]["asked"], 2);

    // The automatic pass: the deadline is two days off, so the "before" reminder goes.
    automatic_reminders(&admin).await;
    assert_eq!(admin.deliver_mail(&smtp.url()).await, 1);
    let got = smtp.messages();
    assert_eq!(got.len(), 1);
    let parsed = got[0].parsed();
    assert_eq!(
        parsed.subject().unwrap_or_default(),
        "Нагадування: строк подання звіту спливає"
    );
    let body = parsed.body_text(0).unwrap_or_default().to_string();
    assert!(
        body.contains("Доходи місцевого бюджету") && body.contains("/report/UA05020030000031457"),
        "{body}"
    );

    // Again: nothing new (the next automatic pass is an hour away; staff ask once a day).
    automatic_reminders(&admin).await;
    assert_eq!(admin.deliver_mail(&smtp.url()).await, 0);
    let asked = admin
        .post_form(&format!("/uk/statistics/campaigns/{id}/remind"), &[])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    admin.run_jobs().await;
    admin
        .post_form(&format!("/uk/statistics/campaigns/{id}/remind"), &[])
        .await;
    admin.run_jobs().await;
    assert_eq!(
        admin.deliver_mail(&smtp.url()).await,
        1,
        "one now-reminder a day"
    );
    let page = admin.get(&format!("/uk/statistics/campaigns/{id}")).await;
    assert!(
        page.text(&format!("#report-{VINNYTSIA}"))
            .contains("before")
    );

    // Every member at once: the counts cover all, the table goes a hundred at a time.
    let all = admin
        .send_json(
            axum::http::Method::POST,
            "/api/v1/campaigns",
            &serde_json::json!({
                "dataset": "community_profile", "period": "2025", "scope": "members",
                "deadline": in_days(30)
            }),
        )
        .await;
    assert_eq!(all.status, StatusCode::CREATED, "{}", all.body);
    let asked = all.json()["completeness"]["asked"].as_i64().expect("asked");
    assert!(asked > 200, "{asked}");
    let id = all.json()["id"].as_i64().expect("id");
    let page = admin.get(&format!("/uk/statistics/campaigns/{id}")).await;
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());
    assert_eq!(page.count("table.reports tbody tr"), 100);
    assert!(
        page.text("#completeness-total")
            .contains(&format!("Запитано: {asked}"))
    );
    let last = admin
        .get(&format!("/uk/statistics/campaigns/{id}?page=99"))
        .await;
    assert_eq!(
        last.count("table.reports tbody tr") as i64,
        (asked - 1) % 100 + 1
    );
}

#[tokio::test]
async fn a_locked_period_no_longer_changes() {
    let (mut admin, _) = app_with_members().await;
    admin.login_as(Role::Admin).await;
    let mut official = admin.other_browser();
    official
        .login_as_scoped(Role::CommunityOfficial, VINNYTSIA)
        .await;
    let api = admin
        .send_json(
            axum::http::Method::POST,
            "/api/v1/campaigns",
            &serde_json::json!({
                "dataset": "community_profile", "period": "2024", "scope": "list",
                "units": [VINNYTSIA], "deadline": in_days(5)
            }),
        )
        .await;
    assert_eq!(api.status, StatusCode::CREATED, "{}", api.body);
    let id = api.json()["id"].as_i64().expect("id");
    // The API form of a report: a draft, then a submission with problems (422, nothing lost).
    let path = format!("/api/v1/campaigns/{id}/reports/{VINNYTSIA}");
    let draft = official
        .send_json(
            axum::http::Method::PUT,
            &path,
            &serde_json::json!({ "values": { "population_total": "abc" } }),
        )
        .await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    let submit = official
        .send_json(
            axum::http::Method::PUT,
            &path,
            &serde_json::json!({ "submit": true }),
        )
        .await;
    assert_eq!(
        submit.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        submit.body
    );
    let fields = submit.json()["fields"].clone();
    assert_eq!(fields[0]["indicator"], "population_total");
    assert_eq!(fields[0]["text"], "abc");
    assert_eq!(fields[0]["error"], "stat-error-number");
    assert_eq!(fields[1]["error"], "stat-error-empty");

    let locked = admin
        .post_form(
            "/uk/statistics/locks",
            &[("period", "2024"), ("action", "lock")],
        )
        .await;
    assert_eq!(locked.status, StatusCode::SEE_OTHER, "{}", locked.body);
    let refused = official
        .send_json(
            axum::http::Method::PUT,
            &path,
            &serde_json::json!({ "values": { "population_total": "1" } }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "conflict");
    let page = official
        .get(&format!("/uk/statistics/campaigns/{id}/report/{VINNYTSIA}"))
        .await;
    assert!(page.text("main").contains("Період закрито"));
    assert_eq!(page.count("form[data-autosave]"), 0);
    assert_eq!(
        official.get("/uk/statistics/locks").await.status,
        StatusCode::FORBIDDEN
    );
    let datasets = official.get("/api/v1/datasets").await;
    assert_eq!(datasets.json()["total"], 2);
    assert_eq!(
        datasets.json()["items"][1]["items"]
            .as_array()
            .map(Vec::len),
        Some(17)
    );
    let rules = official.get("/api/v1/rules").await;
    assert_eq!(rules.json()["total"], 4);
    // An official who signs in for no page in particular lands on what they owe.
    let mut fresh = admin.other_browser();
    fresh
        .create_user("zvit@example.ua", Role::CommunityOfficial, VINNYTSIA)
        .await;
    let login = fresh.get("/uk/login").await;
    assert_eq!(login.count("input[name=next][value='']"), 1);
    let r = fresh
        .post_form(
            "/uk/login",
            &[
                ("email", "zvit@example.ua"),
                ("password", crate::harness::PASSWORD),
                ("next", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(r.location(), "/uk/statistics/owe");
}

/// The staff's campaign page through the API, by programs with tokens: a coordinator asks for
/// reminders to their office's communities, an admin closes the campaign (a coordinator may
/// not, nor twice), and periods are locked and opened again; a period that cannot be read is
/// 422 `period`, and an official may do none of it.
#[tokio::test]
async fn staff_remind_close_and_lock_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let (app, office) = app_with_members().await;
    let (mut coordinator, _) = app.token_client_as(Role::Coordinator, &office).await;
    let (mut admin, _) = app.token_client_as(Role::Admin, "").await;
    let (mut official, _) = app
        .token_client_as(Role::CommunityOfficial, VINNYTSIA)
        .await;
    let started = coordinator
        .send_json(
            Method::POST,
            "/api/v1/campaigns",
            &json!({ "dataset": "community_profile", "period": "2023", "scope": "office",
                     "office": office, "deadline": in_days(10) }),
        )
        .await;
    assert_eq!(started.status, StatusCode::CREATED, "{}", started.body);
    let id = started.json()["id"].as_i64().expect("id");

    let remind = format!("/api/v1/campaigns/{id}/reminders");
    let r = coordinator
        .send_json(Method::POST, &remind, &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let units = r.json()["units"].as_array().cloned().expect("units");
    assert!(units.iter().any(|u| u == VINNYTSIA), "{units:?}");
    let r = admin.send_json(Method::POST, &remind, &json!({})).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert!(r.json()["units"].is_null());
    let r = official.send_json(Method::POST, &remind, &json!({})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .send_json(
            Method::POST,
            "/api/v1/campaigns/999999/reminders",
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(app.run_jobs().await >= 2);

    let close = format!("/api/v1/campaigns/{id}/close");
    let r = coordinator
        .send_json(Method::POST, &close, &json!({}))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin.send_json(Method::POST, &close, &json!({})).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["closed"], true);
    let r = admin.send_json(Method::POST, &close, &json!({})).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let actions = app.audit_actions("stat_campaign").await;
    for action in ["create", "request_reminders", "close"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }

    let r = admin
        .send_json(
            Method::PUT,
            "/api/v1/locks/someday",
            &json!({ "locked": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "period");
    let r = admin
        .send_json(
            Method::PUT,
            "/api/v1/locks/2024-Q1",
            &json!({ "locked": true }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["locked"], true);
    let list = admin.get("/api/v1/locks").await;
    assert_eq!(list.json()["items"][0]["period"], "2024-Q1");
    let r = official
        .send_json(
            Method::PUT,
            "/api/v1/locks/2024-Q1",
            &json!({ "locked": false }),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = admin
        .send_json(
            Method::PUT,
            "/api/v1/locks/2024-Q1",
            &json!({ "locked": false }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["locked"], false);
    assert!(r.json()["locked_at"].is_null());
    assert_eq!(admin.get("/api/v1/locks").await.json()["total"], 0);
    assert_eq!(
        official.get("/api/v1/locks").await.status,
        StatusCode::FORBIDDEN
    );
}
