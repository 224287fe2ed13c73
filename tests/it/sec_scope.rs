//! Issue 16 regression tests, items 5 and 11: a coordinator acts only on communities in the
//! oblasts of their office (joining, ending, importing; entering, submitting, reviewing and
//! reminding in campaigns), whatever office a membership was once recorded in; and nobody
//! approves a report they entered themselves, unless an admin gives a reason for the audit log.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::TestApp;

/// Vinnytska city hromada (Vinnytsia oblast): a demo member of the Vinnytsia office.
const VINNYTSIA: &str = "UA05020030000031457";
/// Bibrka urban hromada (Lviv oblast): a demo member of the Lviv office.
const BIBRKA: &str = "UA46060010000049728";
/// Velykyi Liubin settlement hromada (Lviv oblast): not a member.
const LIUBIN: &str = "UA46060030000020652";

/// A registry with the shipped statistics and the demo offices (one per oblast) and members
/// (every urban hromada); returns the app with the Vinnytsia and Lviv offices' slugs.
async fn scene() -> (TestApp, String, String) {
    let app = TestApp::with_registry().await;
    let actor = hromada::work::Actor::system("test");
    hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
        .await
        .expect("statistics");
    hromada::demo::seed_association(&app.state)
        .await
        .expect("offices");
    let vinnytsia = office_of(&app, VINNYTSIA).await;
    let lviv = office_of(&app, BIBRKA).await;
    (app, vinnytsia, lviv)
}

async fn office_of(app: &TestApp, member: &str) -> String {
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT o.slug FROM regional_offices o JOIN memberships m ON m.office_id = o.id \
         WHERE m.unit_code = $1").bind(member).fetch_one(c).await)
    .expect("the member's office")
}

async fn count(app: &TestApp, sql: &str, bind: &str) -> i64 {
    let sql = sql.to_string();
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(sqlx::AssertSqlSafe(sql.clone()))
        .bind(bind).fetch_one(c).await)
    .expect("count")
}

/// Records, as the old code let a coordinator do, that `code` joined through `office`.
async fn foreign_membership(app: &TestApp, code: &str, office: &str) {
    let office = hromada::members::repo::office_by_slug(&app.state.db, office)
        .await
        .expect("db")
        .expect("office");
    let mut tx = app.state.db.begin().await.expect("tx");
    let period = hromada::members::repo::NewPeriod {
        unit_code: code,
        office_id: office.id,
        since: chrono::NaiveDate::from_ymd_opt(2020, 1, 1).expect("date"),
        decision_number: "",
        decision_on: None,
        is_demo: false,
    };
    hromada::members::repo::insert_period(&mut tx, &period, hromada::clock::now())
        .await
        .expect("period");
    tx.commit().await.expect("commit");
}

fn in_days(days: i64) -> String {
    (hromada::clock::today() + chrono::Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Starts a campaign of the community profile 2023 through the API; returns its id.
async fn campaign(app: &mut TestApp, body: serde_json::Value) -> i64 {
    let mut body = body;
    body["dataset"] = json!("community_profile");
    body["period"] = json!("2023");
    body["deadline"] = json!(in_days(10));
    let r = app
        .send_json(Method::POST, "/api/v1/campaigns", &body)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.json()["id"].as_i64().expect("id")
}

/// A complete community profile that passes every check (each value explained).
fn profile(submit: bool) -> serde_json::Value {
    let note = "перевірено за даними ЦНАП";
    json!({
        "values": {
            "population_total": "380 000", "population_urban": "370 000",
            "settlements": "10", "area_km2": "113,2"
        },
        "comments": {
            "population_total": note, "population_urban": note,
            "settlements": note, "area_km2": note
        },
        "submit": submit
    })
}

/// A campaign asking Vinnytsia alone, whose report `app` entered and submitted; its id.
async fn submitted_report(app: &mut TestApp) -> i64 {
    let id = campaign(app, json!({ "scope": "list", "units": [VINNYTSIA] })).await;
    let submitted = app
        .send_json(Method::PUT, &report_api(id, VINNYTSIA), &profile(true))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    id
}

fn report_api(id: i64, unit: &str) -> String {
    format!("/api/v1/campaigns/{id}/reports/{unit}")
}

fn report_page(id: i64, unit: &str) -> String {
    format!("/uk/statistics/campaigns/{id}/report/{unit}")
}

fn assert_out_of_scope(r: &crate::harness::Response, what: &str) {
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{what}: {}", r.body);
    if r.body.starts_with('{') {
        assert_eq!(r.json()["error"]["code"], "out_of_scope", "{what}");
    }
}

// ---- members ---------------------------------------------------------------------------

#[tokio::test]
async fn a_coordinator_cannot_join_a_community_of_another_oblast() {
    let (mut app, vinnytsia, _) = scene().await;
    app.login_as_scoped(Role::Coordinator, &vinnytsia).await;
    let page = app.get(&format!("/uk/members/{LIUBIN}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("form[action$='/join']"), 0, "no form to join");
    let joined = app
        .post_form(
            &format!("/uk/members/{LIUBIN}/join"),
            &[("office", &vinnytsia), ("since", "2024-01-01")],
        )
        .await;
    assert_out_of_scope(&joined, "join");
    assert!(joined.text("main").contains("поза ними"), "{}", joined.body);
    let members = count(
        &app,
        "SELECT COUNT(*) FROM memberships WHERE unit_code = $1",
        LIUBIN,
    )
    .await;
    assert_eq!(members, 0);
}

#[tokio::test]
async fn even_an_admin_joins_a_community_only_through_its_oblasts_office() {
    let (mut app, vinnytsia, lviv) = scene().await;
    app.login_as(Role::Admin).await;
    let page = app.get(&format!("/uk/members/{LIUBIN}")).await;
    assert_eq!(
        page.count("form[action$='/join'] select[name='office'] option"),
        1,
        "only the Lviv office is offered"
    );
    let wrong = app
        .post_form(
            &format!("/en/members/{LIUBIN}/join"),
            &[("office", &vinnytsia), ("since", "2024-01-01")],
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    assert!(
        wrong.text(".errors").contains("does not cover the oblast"),
        "{}",
        wrong.text(".errors")
    );
    let right = app
        .post_form(
            &format!("/uk/members/{LIUBIN}/join"),
            &[("office", &lviv), ("since", "2024-01-01")],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
}

#[tokio::test]
async fn a_coordinator_cannot_end_or_import_memberships_of_another_oblast() {
    let (mut app, vinnytsia, _) = scene().await;
    // A membership the old code let the Vinnytsia coordinator record in their own office.
    foreign_membership(&app, LIUBIN, &vinnytsia).await;
    app.login_as_scoped(Role::Coordinator, &vinnytsia).await;
    for code in [BIBRKA, LIUBIN] {
        let ended = app
            .post_form(
                &format!("/uk/members/{code}/end"),
                &[("reason", "left"), ("until", "2024-02-01")],
            )
            .await;
        assert_out_of_scope(&ended, code);
    }
    let csrf = app.csrf().await;
    let (ct, body) = crate::harness::multipart(&format!(
        "code,since,regional_office\n{LIUBIN},2016-05-01,{vinnytsia}\n"
    ));
    let refused = app
        .request(
            Method::POST,
            &format!("/uk/members/import?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let problems = refused.text(".errors li");
    assert!(
        problems.contains(&format!("Рядок 2 ({LIUBIN})")) && problems.contains("не охоплює"),
        "{problems}"
    );
    let open = count(
        &app,
        "SELECT COUNT(*) FROM memberships WHERE unit_code = $1 AND until_on IS NULL",
        BIBRKA,
    )
    .await;
    assert_eq!(open, 1, "Bibrka is still a member");
}

// ---- campaigns -------------------------------------------------------------------------

#[tokio::test]
async fn a_coordinator_cannot_enter_submit_or_review_a_report_of_another_oblast() {
    let (mut admin, vinnytsia, _) = scene().await;
    // The attack's first step, as the old code allowed it: Liubin joined to Vinnytsia's office,
    // so a national campaign files its report under that office.
    foreign_membership(&admin, LIUBIN, &vinnytsia).await;
    admin.login_as(Role::Admin).await;
    let id = campaign(&mut admin, json!({ "scope": "members" })).await;
    let mut coordinator = admin.other_browser();
    coordinator
        .login_as_scoped(Role::Coordinator, &vinnytsia)
        .await;
    for unit in [LIUBIN, BIBRKA] {
        // Read, draft and submit: the API and the page.
        let read = coordinator.get(&report_api(id, unit)).await;
        assert_out_of_scope(&read, "read through the API");
        let put = coordinator
            .send_json(Method::PUT, &report_api(id, unit), &profile(true))
            .await;
        assert_out_of_scope(&put, "submit through the API");
        assert_out_of_scope(&coordinator.get(&report_page(id, unit)).await, "form");
        let saved = coordinator
            .post_form(&report_page(id, unit), &[("intent", "submit")])
            .await;
        assert_out_of_scope(&saved, "submit through the page");
    }
    // Submitted by the community's own official, still not the Vinnytsia coordinator's to
    // review.
    let mut official = admin.other_browser();
    official
        .login_as_scoped(Role::CommunityOfficial, LIUBIN)
        .await;
    let submitted = official
        .send_json(Method::PUT, &report_api(id, LIUBIN), &profile(true))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["status"], "submitted");
    let review = coordinator
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, LIUBIN)),
            &json!({}),
        )
        .await;
    assert_out_of_scope(&review, "approve through the API");
    let review = coordinator
        .post_form(&format!("{}/review", report_page(id, LIUBIN)), &[])
        .await;
    assert_out_of_scope(&review, "approve through the page");
    let status: String = hromada::on_db!(&admin.state.db, c => sqlx::query_scalar(
        "SELECT status FROM stat_campaign_units WHERE unit_code = $1").bind(LIUBIN)
        .fetch_one(c).await)
    .expect("status");
    assert_eq!(status, "submitted", "nothing reached the public");
    // The campaign shows the coordinator the communities of Vinnytsia oblast only.
    let detail = coordinator.get(&format!("/api/v1/campaigns/{id}")).await;
    assert_eq!(detail.status, StatusCode::OK, "{}", detail.body);
    let units: Vec<String> = detail.json()["reports"]
        .as_array()
        .expect("reports")
        .iter()
        .filter_map(|r| r["unit"].as_str().map(str::to_string))
        .collect();
    assert!(units.contains(&VINNYTSIA.to_string()), "{units:?}");
    assert!(units.iter().all(|u| u.starts_with("UA05")), "{units:?}");
}

#[tokio::test]
async fn a_coordinators_campaign_asks_only_communities_of_their_oblasts() {
    let (mut coordinator, vinnytsia, lviv) = scene().await;
    foreign_membership(&coordinator, LIUBIN, &vinnytsia).await;
    coordinator
        .login_as_scoped(Role::Coordinator, &vinnytsia)
        .await;
    // Named one by one, a community of another oblast is refused.
    let listed = coordinator
        .send_json(
            Method::POST,
            "/api/v1/campaigns",
            &json!({ "dataset": "community_profile", "period": "2023", "scope": "list",
                     "units": [VINNYTSIA, LIUBIN], "deadline": in_days(10) }),
        )
        .await;
    assert_out_of_scope(&listed, "a list with Liubin");
    let page = coordinator
        .post_form(
            "/uk/statistics/campaigns",
            &[
                ("dataset", "community_profile"),
                ("period", "2023"),
                ("scope", "office"),
                ("office", &lviv),
                ("deadline", &in_days(10)),
            ],
        )
        .await;
    assert_out_of_scope(&page, "another office's campaign");
    // The office's own campaign leaves out the member recorded from another oblast.
    let id = campaign(
        &mut coordinator,
        json!({ "scope": "office", "office": vinnytsia }),
    )
    .await;
    let asked = count(
        &coordinator,
        "SELECT COUNT(*) FROM stat_campaign_units WHERE campaign_id = CAST($1 AS INTEGER) \
         AND unit_code NOT LIKE 'UA05%'",
        &id.to_string(),
    )
    .await;
    assert_eq!(asked, 0);
}

#[tokio::test]
async fn when_an_oblast_moves_to_another_office_its_coordinators_follow() {
    let (mut admin, vinnytsia, lviv) = scene().await;
    admin.login_as(Role::Admin).await;
    // The Vinnytsia office takes over Lviv oblast.
    let moved = admin
        .post_form(
            &format!("/uk/offices/{vinnytsia}"),
            &[
                ("name_uk", "Подільсько-галицьке відділення"),
                ("name_en", "Podillia and Halychyna office"),
                ("oblast", "UA05000000000010236"),
                ("oblast", "UA46000000000026241"),
            ],
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    let mut was = admin.other_browser();
    was.login_as_scoped(Role::Coordinator, &lviv).await;
    let mut now = admin.other_browser();
    now.login_as_scoped(Role::Coordinator, &vinnytsia).await;
    let id = campaign(&mut now, json!({ "scope": "office", "office": vinnytsia })).await;
    assert_eq!(
        count(
            &now,
            "SELECT COUNT(*) FROM stat_campaign_units WHERE campaign_id = CAST($1 AS INTEGER) \
             AND unit_code = 'UA46060010000049728'",
            &id.to_string(),
        )
        .await,
        1,
        "Bibrka, a member through the Lviv office, is asked by the office of its oblast now"
    );
    assert_eq!(
        now.get(&report_api(id, BIBRKA)).await.status,
        StatusCode::OK
    );
    assert_out_of_scope(&was.get(&report_api(id, BIBRKA)).await, "the former office");
}

#[tokio::test]
async fn a_coordinators_reminder_mails_only_officials_of_their_oblasts() {
    let (mut admin, vinnytsia, _) = scene().await;
    foreign_membership(&admin, LIUBIN, &vinnytsia).await;
    admin.login_as(Role::Admin).await;
    let own = "zvit@vinnytsia.example.ua";
    let lviv = "zvit@bibrka.example.ua";
    let liubin = "zvit@liubin.example.ua";
    admin
        .create_user(own, Role::CommunityOfficial, VINNYTSIA)
        .await;
    admin
        .create_user(lviv, Role::CommunityOfficial, BIBRKA)
        .await;
    admin
        .create_user(liubin, Role::CommunityOfficial, LIUBIN)
        .await;
    let id = campaign(&mut admin, json!({ "scope": "members" })).await;
    let mut coordinator = admin.other_browser();
    coordinator
        .login_as_scoped(Role::Coordinator, &vinnytsia)
        .await;
    let asked = coordinator
        .post_form(&format!("/uk/statistics/campaigns/{id}/remind"), &[])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    admin.run_jobs().await;
    assert_eq!(admin.mail_to(own).await.len(), 1, "Vinnytsia's official");
    assert_eq!(admin.mail_to(lviv).await.len(), 0, "no mail to Lviv oblast");
    assert_eq!(
        admin.mail_to(liubin).await.len(),
        0,
        "nor through a foreign membership"
    );
    let reminded = count(
        &admin,
        "SELECT COUNT(*) FROM stat_reminders WHERE unit_code NOT LIKE 'UA05%' AND kind <> $1",
        "",
    )
    .await;
    assert_eq!(reminded, 0);
    // A coordinator with no community in a campaign cannot ask for its reminders at all.
    let list = campaign(&mut admin, json!({ "scope": "list", "units": [BIBRKA] })).await;
    let refused = coordinator
        .post_form(&format!("/uk/statistics/campaigns/{list}/remind"), &[])
        .await;
    assert_out_of_scope(&refused, "remind a Lviv campaign");
    // An admin's request reaches everyone who owes.
    let asked = admin
        .post_form(&format!("/uk/statistics/campaigns/{id}/remind"), &[])
        .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.body);
    admin.run_jobs().await;
    assert_eq!(admin.mail_to(lviv).await.len(), 1, "the admin's reminder");
    assert_eq!(admin.mail_to(own).await.len(), 1, "once a day, still");
}

// ---- four eyes -------------------------------------------------------------------------

#[tokio::test]
async fn a_coordinator_cannot_approve_a_report_they_entered() {
    let (mut coordinator, vinnytsia, _) = scene().await;
    coordinator
        .login_as_scoped(Role::Coordinator, &vinnytsia)
        .await;
    let id = campaign(
        &mut coordinator,
        json!({ "scope": "office", "office": vinnytsia }),
    )
    .await;
    // The community phoned its figures through; the coordinator types them in and submits.
    let submitted = coordinator
        .send_json(Method::PUT, &report_api(id, VINNYTSIA), &profile(true))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    assert_eq!(submitted.json()["status"], "submitted");

    let api = coordinator
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({ "override_reason": "терміново" }),
        )
        .await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
    assert_eq!(api.json()["error"]["code"], "conflict");
    let page = coordinator.get(&report_page(id, VINNYTSIA)).await;
    assert!(page.text("#own-entry").contains("лише інша людина"));
    assert_eq!(page.count("textarea[name='override_reason']"), 0);
    let form = coordinator
        .post_form(&format!("{}/review", report_page(id, VINNYTSIA)), &[])
        .await;
    assert_eq!(form.status, StatusCode::CONFLICT, "{}", form.body);
    assert!(
        form.text("main")
            .contains("затвердити його має інша людина")
    );

    // A second coordinator of the office approves; the public see who typed the figures.
    let mut second = coordinator.other_browser();
    second.login_as_scoped(Role::Coordinator, &vinnytsia).await;
    let approved = second
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.json()["status"], "approved");
    let source: String = hromada::on_db!(&coordinator.state.db, c => sqlx::query_scalar(
        "SELECT v.source FROM stat_values v JOIN stat_indicators i ON i.id = v.indicator_id \
         WHERE v.unit_code = $1 AND v.period = '2023' AND i.code = 'population_total'")
        .bind(VINNYTSIA).fetch_one(c).await)
    .expect("source");
    assert!(
        source.starts_with("Дані громади, внесені працівником асоціації"),
        "{source}"
    );
}

#[tokio::test]
async fn a_coordinator_who_only_saved_a_draft_cannot_approve_either() {
    let (mut coordinator, vinnytsia, _) = scene().await;
    coordinator
        .login_as_scoped(Role::Coordinator, &vinnytsia)
        .await;
    let id = campaign(
        &mut coordinator,
        json!({ "scope": "office", "office": vinnytsia }),
    )
    .await;
    let draft = coordinator
        .send_json(Method::PUT, &report_api(id, VINNYTSIA), &profile(false))
        .await;
    assert_eq!(draft.status, StatusCode::OK, "{}", draft.body);
    let mut official = coordinator.other_browser();
    official
        .login_as_scoped(Role::CommunityOfficial, VINNYTSIA)
        .await;
    let submitted = official
        .send_json(
            Method::PUT,
            &report_api(id, VINNYTSIA),
            &json!({ "submit": true }),
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let api = coordinator
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({}),
        )
        .await;
    assert_eq!(api.status, StatusCode::CONFLICT, "{}", api.body);
    // Sending values back stays possible.
    let back = coordinator
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({ "send_back": { "settlements": "уточніть кількість" } }),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK, "{}", back.body);
    assert_eq!(back.json()["status"], "returned");
}

#[tokio::test]
async fn an_admin_approves_their_own_entry_only_with_a_reason_kept_in_the_audit() {
    let (mut admin, _, _) = scene().await;
    admin.login_as(Role::Admin).await;
    let id = submitted_report(&mut admin).await;

    let no_reason = admin
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({ "override_reason": "  " }),
        )
        .await;
    assert_eq!(
        no_reason.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        no_reason.body
    );
    assert_eq!(
        no_reason.json()["error"]["fields"][0]["field"],
        "override_reason"
    );
    let page = admin.get(&report_page(id, VINNYTSIA)).await;
    assert_eq!(page.count("form textarea[name='override_reason']"), 1);
    assert!(page.text("#own-entry").contains("написавши причину"));
    let form = admin
        .post_form(&format!("{}/review", report_page(id, VINNYTSIA)), &[])
        .await;
    assert_eq!(
        form.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        form.body
    );

    let reason = "Громада передала підписаний звіт паперово; другий координатор у відпустці";
    let approved = admin
        .post_form(
            &format!("{}/review", report_page(id, VINNYTSIA)),
            &[("override_reason", reason)],
        )
        .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    assert!(approved.location().ends_with("done=approved"));
    let audit = admin.get("/api/v1/audit?entity=stat_report").await.json();
    let entry = audit["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["action"] == "approve")
        .expect("the approval is logged")
        .clone();
    let changes: serde_json::Value =
        serde_json::from_str(entry["changes"].as_str().expect("changes")).expect("json");
    assert_eq!(changes["override_reason"], reason);
    assert_eq!(changes["own_entry"], true);
}

#[tokio::test]
async fn another_admin_approves_an_admins_entry_without_a_reason() {
    let (mut admin, _, _) = scene().await;
    admin.login_as(Role::Admin).await;
    let id = submitted_report(&mut admin).await;
    let mut other = admin.other_browser();
    other.login_as(Role::Admin).await;
    assert_eq!(
        other
            .get(&report_page(id, VINNYTSIA))
            .await
            .count("#own-entry"),
        0
    );
    let approved = other
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.json()["status"], "approved");
}

/// Two admins, each in a browser of their own, send the same request at the same moment; the
/// test asserts exactly one went through (200) and the other was refused (409 `conflict`), with
/// one `action` in the report's audit log. Returns the first admin for later requests.
async fn race(
    admin: &TestApp,
    method: Method,
    path: &str,
    body: &serde_json::Value,
    action: &str,
) -> TestApp {
    let mut first = admin.other_browser();
    first.login_as(Role::Admin).await;
    let mut second = admin.other_browser();
    second.login_as(Role::Admin).await;
    let (a, b) = tokio::join!(
        first.send_json(method.clone(), path, body),
        second.send_json(method, path, body),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(
        statuses,
        [StatusCode::OK, StatusCode::CONFLICT],
        "{} / {}",
        a.body,
        b.body
    );
    let refused = if a.status == StatusCode::CONFLICT {
        &a
    } else {
        &b
    };
    assert_eq!(
        refused.json()["error"]["code"],
        "conflict",
        "{}",
        refused.body
    );
    let done = admin.audit_actions("stat_report").await;
    assert_eq!(
        done.iter().filter(|a| *a == action).count(),
        1,
        "one {action} in the audit log"
    );
    first
}

/// Two reviewers approve the same submitted report at once: the four-eyes check, the status
/// and the values are read in the review's transaction and the status changes only while it
/// is still `submitted`, so exactly one review goes through and the other is told the report
/// is no longer waiting for review.
#[tokio::test]
async fn of_two_reviews_at_once_exactly_one_goes_through() {
    let (mut admin, _, _) = scene().await;
    admin.login_as(Role::Admin).await;
    let id = submitted_report(&mut admin).await;
    let path = format!("{}/review", report_api(id, VINNYTSIA));
    let mut first = race(&admin, Method::POST, &path, &json!({}), "approve").await;
    // Seeing the changed state, a later review (here sending a value back) is refused too.
    let late = first
        .send_json(
            Method::POST,
            &path,
            &json!({ "send_back": { "population_total": "перевірте, будь ласка" } }),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
    let status: String = hromada::on_db!(&admin.state.db, c => sqlx::query_scalar(
        "SELECT status FROM stat_campaign_units WHERE campaign_id = $1 AND unit_code = $2")
        .bind(id).bind(VINNYTSIA).fetch_one(c).await)
    .expect("status");
    assert_eq!(status, "approved");
}

/// Two people submit the same report at once: each request read the report as still open, but
/// the entry holds the report row in its transaction and writes only while it is still owed,
/// so exactly one submission goes through and the other is told the report is no longer open.
#[tokio::test]
async fn of_two_submissions_at_once_exactly_one_goes_through() {
    let (mut admin, _, _) = scene().await;
    admin.login_as(Role::Admin).await;
    let id = campaign(&mut admin, json!({ "scope": "list", "units": [VINNYTSIA] })).await;
    let path = report_api(id, VINNYTSIA);
    let mut first = race(&admin, Method::PUT, &path, &profile(true), "submit").await;
    // An approved report takes no more entries, even from a request that read it as open.
    let mut reviewer = admin.other_browser();
    reviewer.login_as(Role::Admin).await;
    let approved = reviewer
        .send_json(Method::POST, &format!("{path}/review"), &json!({}))
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    let late = first.send_json(Method::PUT, &path, &profile(false)).await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{}", late.body);
}

// ---- the hourly reminders chain --------------------------------------------------------

const REMINDERS: &str = hromada::statistics::collection::reminders::JOB;

/// Jobs of the automatic reminders pass (payload `{}`) with `status`.
async fn passes(app: &TestApp, status: &str) -> i64 {
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "SELECT COUNT(*) FROM jobs WHERE kind = $1 AND payload = '{}' AND status = $2")
        .bind(REMINDERS).bind(status).fetch_one(c).await)
    .expect("count")
}

/// Adds a reminders job row as the job runner would have left it.
async fn job_row(
    app: &TestApp,
    payload: &str,
    status: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> i64 {
    let attempts = if status == "quarantined" { 5 } else { 0 };
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(
        "INSERT INTO jobs (kind, payload, status, attempts, next_attempt_at, created_at) \
         VALUES ($1, $2, $3, $4, $5, $5) RETURNING id")
        .bind(REMINDERS).bind(payload).bind(status).bind(attempts).bind(at).fetch_one(c).await)
    .expect("job")
}

/// A quarantined pass (or a staff request waiting) does not keep start-up from queuing the
/// automatic pass; the quarantined one stays for admins, and no second pass is queued.
#[tokio::test]
async fn a_quarantined_reminders_pass_does_not_stop_the_hourly_chain() {
    let app = TestApp::new().await;
    let now = hromada::clock::now();
    job_row(&app, "{}", "quarantined", now).await;
    job_row(
        &app,
        r#"{"campaign":1}"#,
        "queued",
        now + chrono::Duration::days(1),
    )
    .await;
    hromada::statistics::collection::reminders::ensure_scheduled(&app.state)
        .await
        .expect("scheduled");
    assert_eq!(passes(&app, "queued").await, 1, "a fresh pass");
    assert_eq!(passes(&app, "quarantined").await, 1, "still listed");
    hromada::statistics::collection::reminders::ensure_scheduled(&app.state)
        .await
        .expect("scheduled");
    assert_eq!(passes(&app, "queued").await, 1, "not a second one");
}

/// An admin retries a quarantined pass while the chain already went on after a restart: the
/// retried pass runs but does not queue a second hourly chain.
#[tokio::test]
async fn a_retried_reminders_pass_starts_no_second_chain() {
    let mut admin = TestApp::new().await;
    admin.login_as(Role::Admin).await;
    let dead = job_row(&admin, "{}", "quarantined", hromada::clock::now()).await;
    hromada::statistics::collection::reminders::ensure_scheduled(&admin.state)
        .await
        .expect("scheduled");
    assert_eq!(passes(&admin, "queued").await, 1);
    let retried = admin
        .send_json(
            Method::POST,
            &format!("/api/v1/jobs/{dead}/retry"),
            &json!({}),
        )
        .await;
    assert_eq!(retried.status, StatusCode::OK, "{}", retried.body);
    assert_eq!(admin.run_jobs().await, 1, "the retried pass ran");
    assert_eq!(passes(&admin, "done").await, 1);
    assert_eq!(passes(&admin, "queued").await, 1, "one hourly chain");
    // With no other pass waiting, a pass queues its successor (the chain goes on).
    let waiting: i64 = hromada::on_db!(&admin.state.db, c => sqlx::query_scalar(
        "UPDATE jobs SET next_attempt_at = $1 WHERE kind = $2 AND status = 'queued' RETURNING id")
        .bind(hromada::clock::now() - chrono::Duration::seconds(1)).bind(REMINDERS)
        .fetch_one(c).await)
    .expect("due now");
    assert_eq!(admin.run_jobs().await, 1);
    assert_eq!(passes(&admin, "done").await, 2);
    let next: Vec<i64> = hromada::on_db!(&admin.state.db, c => sqlx::query_scalar(
        "SELECT id FROM jobs WHERE kind = $1 AND payload = '{}' AND status = 'queued'")
        .bind(REMINDERS).fetch_all(c).await)
    .expect("next");
    assert_eq!(next.len(), 1, "the next pass");
    assert_ne!(next[0], waiting);
}

// ---- the OpenAPI document tells the truth (the API conformance sweep) ------------------

/// The schema `/api/v1/openapi.json` documents for an operation's answer with `status`.
async fn documented(app: &mut TestApp, path: &str, method: &str, status: &str) -> DocSchema {
    let doc = app.get("/api/v1/openapi.json").await.json();
    let schema =
        doc["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
            .clone();
    assert!(!schema.is_null(), "{method} {path} documents no {status}");
    DocSchema { schema }
}

struct DocSchema {
    schema: serde_json::Value,
}

impl DocSchema {
    /// Panics with every place where `value` does not fit the documented schema.
    fn check(&self, value: &serde_json::Value) {
        let problems = crate::conformance::document().value_problems(&self.schema, value);
        assert!(problems.is_empty(), "{problems:#?}\nin {value}");
    }
}

/// The club's `MemberOut` and the association's shared one schema name, so the document
/// described every member community as a club member (with `person`, `page`, …).
#[tokio::test]
async fn the_member_list_answers_what_the_document_says() {
    let (mut app, _, _) = scene().await;
    let r = app.get("/api/v1/members?limit=3").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let body = r.json();
    assert_eq!(body["items"].as_array().map(Vec::len), Some(3));
    documented(&mut app, "/api/v1/members", "get", "200")
        .await
        .check(&body);
}

/// A report's 422 is the report with its problems when a submission does not pass its checks,
/// and the error envelope when the body itself does not fit; the document said only the first.
#[tokio::test]
async fn both_refusals_of_a_report_are_documented() {
    let (mut admin, _, _) = scene().await;
    admin.login_as(Role::Admin).await;
    let id = campaign(&mut admin, json!({ "scope": "list", "units": [VINNYTSIA] })).await;
    let schema = documented(
        &mut admin,
        "/api/v1/campaigns/{id}/reports/{unit}",
        "put",
        "422",
    )
    .await;

    let unreadable = admin
        .send_json(
            Method::PUT,
            &report_api(id, VINNYTSIA),
            &json!({ "values": { "population_total": {} } }),
        )
        .await;
    assert_eq!(
        unreadable.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unreadable.body
    );
    assert!(unreadable.json()["error"]["code"].is_string());
    schema.check(&unreadable.json());

    let unexplained = admin
        .send_json(
            Method::PUT,
            &report_api(id, VINNYTSIA),
            &json!({ "values": { "population_total": "-5" }, "submit": true }),
        )
        .await;
    assert_eq!(
        unexplained.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        unexplained.body
    );
    assert_eq!(unexplained.json()["submitted"], false);
    schema.check(&unexplained.json());
}

/// A report's answer and a review's answer fit their schemas (the review's shared its name
/// with the club's review: whichever type utoipa met last described both).
#[tokio::test]
async fn a_reviews_answer_is_what_the_document_says() {
    let (mut admin, _, _) = scene().await;
    admin.login_as(Role::Admin).await;
    let id = campaign(&mut admin, json!({ "scope": "list", "units": [VINNYTSIA] })).await;
    let submitted = admin
        .send_json(Method::PUT, &report_api(id, VINNYTSIA), &profile(true))
        .await;
    assert_eq!(submitted.status, StatusCode::OK, "{}", submitted.body);
    let path = "/api/v1/campaigns/{id}/reports/{unit}";
    documented(&mut admin, path, "put", "200")
        .await
        .check(&submitted.json());
    let mut other = admin.other_browser();
    other.login_as(Role::Admin).await;
    let approved = other
        .send_json(
            Method::POST,
            &format!("{}/review", report_api(id, VINNYTSIA)),
            &json!({}),
        )
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    documented(&mut other, &format!("{path}/review"), "post", "200")
        .await
        .check(&approved.json());
}

/// utoipa names a schema after its type alone, without the module: two `ToSchema` types of one
/// name (the club's and the association's `MemberOut`, the club's and the campaigns' `ReviewOut`)
/// become one schema in the document, and one of the two answers stops matching it. Every
/// documented type therefore needs a name of its own (or `#[schema(as = …)]`).
#[test]
fn every_documented_type_has_a_schema_name_of_its_own() {
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("source");
            let lines: Vec<&str> = text.lines().collect();
            for (i, line) in lines.iter().enumerate() {
                if !(line.trim_start().starts_with("#[derive(") && line.contains("ToSchema")) {
                    continue;
                }
                let Some(name) = schema_name(&lines[i + 1..]) else {
                    continue;
                };
                let place = format!("{}:{}", path.display(), i + 1);
                if let Some(first) = seen.insert(name.clone(), place.clone()) {
                    clashes.push(format!("{name}: {first} and {place}"));
                }
            }
        }
    }
    assert!(
        seen.contains_key("ErrorEnvelope"),
        "the scan found the types"
    );
    assert!(clashes.is_empty(), "{clashes:#?}");
}

/// The schema name of the type a `#[derive(..ToSchema..)]` line starts: `#[schema(as = X)]`
/// when given, else the type's own name.
fn schema_name(after: &[&str]) -> Option<String> {
    let mut renamed = None;
    for line in after.iter().take(20) {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("#[schema(as = ") {
            renamed = rest.split([')', ',']).next().map(|n| n.trim().to_string());
        }
        let line = line
            .trim_start_matches("pub(crate) ")
            .trim_start_matches("pub ");
        for keyword in ["struct ", "enum "] {
            if let Some(rest) = line.strip_prefix(keyword) {
                let own: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                return Some(renamed.unwrap_or(own));
            }
        }
    }
    None
}
