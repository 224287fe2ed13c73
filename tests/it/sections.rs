//! Professional sections at work: an official asks to join, the section's coordinator
//! approves (a coordinator of another section cannot), announcements are public, materials
//! reach members only, and every step is audited.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::harness::{TestApp, multipart_file};

fn material_body(title: &str, filename: &str, data: &[u8]) -> (String, Vec<u8>) {
    let (ct, file) = multipart_file(filename, "application/octet-stream", data);
    let boundary = "hromada-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n{title}\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&file);
    (ct, body)
}

#[tokio::test]
async fn officials_join_and_coordinators_run_the_section() {
    let mut app = TestApp::with_registry().await;
    let page = app.get("/uk/sections/finance").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("p.lead").contains("фінансових органів"));
    assert!(
        app.get("/en/sections/finance")
            .await
            .text("p.lead")
            .contains("municipal finance")
    );
    assert_eq!(page.count("h2#materials"), 0);
    assert_eq!(
        app.get("/uk/sections/nope").await.status,
        StatusCode::NOT_FOUND
    );

    let mut official = app.other_browser();
    official.login_as(Role::CommunityOfficial).await;
    let r = official
        .post_form(
            "/uk/sections/finance/join",
            &[("note", "головна бухгалтерка")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let again = official.post_form("/uk/sections/finance/join", &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        official
            .get("/uk/sections/finance")
            .await
            .text("main")
            .contains("чекає рішення")
    );

    // A coordinator of another section may not decide here.
    let mut other = app.other_browser();
    other
        .login_as_scoped(Role::SectionCoordinator, "lawyers")
        .await;
    let mut coordinator = app.other_browser();
    coordinator
        .login_as_scoped(Role::SectionCoordinator, "finance")
        .await;
    let page = coordinator.get("/uk/sections/finance").await;
    assert_eq!(page.count("ul.requests li"), 1);
    let sel = scraper::Selector::parse("ul.requests form").expect("sel");
    let action = page
        .html()
        .select(&sel)
        .next()
        .and_then(|f| f.value().attr("action").map(str::to_string))
        .expect("request form");
    let refused = other.post_form(&action, &[("decision", "approve")]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        refused
            .body
            .contains(&hromada::i18n::Lang::Uk.t("error-out-of-scope"))
    );
    let r = coordinator
        .post_form(&action, &[("decision", "approve")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        coordinator
            .post_form(&action, &[("decision", "approve")])
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Announcements: checked, then public.
    let bad = coordinator
        .post_form(
            "/uk/sections/finance/announcements",
            &[("title", ""), ("body", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = coordinator
        .post_form(
            "/uk/sections/finance/announcements",
            &[
                ("title", "Засідання секції"),
                (
                    "body",
                    "Збираємося онлайн у четвер.\n\nПорядок денний додано.",
                ),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let public = app.get("/en/sections/finance").await;
    assert!(
        public
            .text("article.announcement[lang=uk] h3")
            .contains("Засідання секції")
    );
    assert_eq!(public.count("article.announcement p"), 3);

    // Materials: only accepted kinds; members download, others do not.
    let csrf = coordinator.csrf().await;
    let upload = format!("/uk/sections/finance/materials?csrf={csrf}");
    let (ct, body) = material_body("Шаблон", "page.html", b"<script>alert(1)</script>");
    let r = coordinator
        .request(Method::POST, &upload, Some(&ct), body, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text("main").contains("тип файлу не приймається"));
    let (ct, body) = material_body(
        "Бюджетний календар",
        "Календар 2026.csv",
        b"month,task\n1,plan\n",
    );
    let r = coordinator
        .request(Method::POST, &upload, Some(&ct), body, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = official.get("/uk/sections/finance").await;
    assert!(page.text("main").contains("Ви учасник"));
    assert_eq!(page.count("ul.section-members li"), 1);
    let sel = scraper::Selector::parse("ul.materials a").expect("sel");
    let href = page
        .html()
        .select(&sel)
        .next()
        .and_then(|a| a.value().attr("href").map(str::to_string))
        .expect("material link");
    let file = official.get(&href).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.body, "month,task\n1,plan\n");
    let disposition = file
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(
        disposition.starts_with("attachment;") && disposition.contains("UTF-8''%D0%9A"),
        "{disposition}"
    );
    assert_eq!(
        file.headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/csv")
    );
    let mut stranger = app.other_browser();
    stranger.login_as(Role::Partner).await;
    assert_eq!(stranger.get(&href).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get(&href).await.status, StatusCode::SEE_OTHER);

    // The API tells the same story.
    let api = app.get("/api/v1/sections/finance").await.json();
    assert_eq!(api["members"], 1);
    assert_eq!(api["announcements"][0]["title"], "Засідання секції");
    assert_eq!(api["coordinators"].as_array().map(Vec::len), Some(1));

    // The coordinator deletes the material; the member leaves.
    let r = coordinator.post_form(&format!("{href}/delete"), &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(official.get(&href).await.status, StatusCode::NOT_FOUND);
    let r = official.post_form("/uk/sections/finance/leave", &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(official.get(&href).await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get("/api/v1/sections/finance").await.json()["members"],
        0
    );

    let actions = app.audit_actions("section").await;
    for expected in [
        "request_join",
        "decide_membership",
        "announce",
        "upload_material",
        "delete_material",
        "leave",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

/// Every form of the section page has an API twin: a program joins with a token and no
/// cookies, and the coordinator decides, announces, uploads, deletes and rewrites the purpose
/// through `/api/v1`, with the same checks and audit entries as the page.
#[tokio::test]
async fn the_section_api_does_what_the_page_does() {
    let mut app = TestApp::with_registry().await;
    let mut official = app.other_browser();
    let official_id = official.login_as(Role::CommunityOfficial).await;
    let token = hromada::auth::actions::create_token(
        &app.state.db,
        &hromada::work::Actor::system("test"),
        official_id,
        "sections",
    )
    .await
    .expect("token")
    .1;
    let mut program = app.other_browser();
    program.bearer = Some(token);
    let base = "/api/v1/sections/finance";
    let joined = program
        .send_json(
            Method::POST,
            &format!("{base}/requests"),
            &serde_json::json!({ "note": "бухгалтерка" }),
        )
        .await;
    assert_eq!(joined.status, StatusCode::CREATED, "{}", joined.body);
    let request = joined.json()["id"].as_i64().expect("id");
    let again = program
        .send_json(
            Method::POST,
            &format!("{base}/requests"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);

    // Deciding is for this section's coordinators only.
    let decision = format!("{base}/requests/{request}");
    let approve = serde_json::json!({ "decision": "approve" });
    let mut other = app.other_browser();
    other
        .login_as_scoped(Role::SectionCoordinator, "lawyers")
        .await;
    let refused = other.send_json(Method::POST, &decision, &approve).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "out_of_scope");
    let mut coordinator = app.other_browser();
    coordinator
        .login_as_scoped(Role::SectionCoordinator, "finance")
        .await;
    let bad = coordinator
        .send_json(
            Method::POST,
            &decision,
            &serde_json::json!({ "decision": "maybe" }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let approved = coordinator
        .send_json(Method::POST, &decision, &approve)
        .await;
    assert_eq!(approved.status, StatusCode::OK, "{}", approved.body);
    assert_eq!(approved.json()["status"], "approved");
    assert_eq!(app.get(base).await.json()["members"], 1);

    let announced = coordinator
        .send_json(
            Method::POST,
            &format!("{base}/announcements"),
            &serde_json::json!({ "title": "Семінар з бюджету", "body": "У четвер о 10:00.", "lang": "uk" }),
        )
        .await;
    assert_eq!(announced.status, StatusCode::CREATED, "{}", announced.body);
    assert_eq!(
        app.get(base).await.json()["announcements"][0]["title"],
        "Семінар з бюджету"
    );

    // A material: multipart, with the CSRF header as a page script would send it.
    let csrf = coordinator.csrf().await;
    let (ct, body) = material_body("Шаблон кошторису", "kosztorys.pdf", b"%PDF-1.4 test");
    let uploaded = coordinator
        .request(
            Method::POST,
            &format!("{base}/materials"),
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    let material = uploaded.json()["id"].as_i64().expect("id");
    let (ct, body) = material_body("", "page.html", b"<p>");
    let refused = coordinator
        .request(
            Method::POST,
            &format!("{base}/materials"),
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<_> = refused.json()["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fields, ["title", "file"], "every problem at once");
    let member_sees = official
        .get(&format!("/uk/sections/finance/materials/{material}"))
        .await;
    assert_eq!(member_sees.status, StatusCode::OK);
    let deleted = coordinator
        .send_json(
            Method::DELETE,
            &format!("{base}/materials/{material}"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);

    let purpose = format!("{base}/purpose");
    let empty = coordinator
        .send_json(
            Method::PUT,
            &purpose,
            &serde_json::json!({ "purpose_uk": " " }),
        )
        .await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    let set = coordinator
        .send_json(
            Method::PUT,
            &purpose,
            &serde_json::json!({ "purpose_uk": "Фінанси громад", "purpose_en": "Community finance" }),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.json()["purpose_en"], "Community finance");

    let left = program
        .send_json(
            Method::DELETE,
            &format!("{base}/membership"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(left.status, StatusCode::NO_CONTENT, "{}", left.body);
    let gone = program
        .send_json(
            Method::DELETE,
            &format!("{base}/membership"),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(gone.status, StatusCode::CONFLICT, "{}", gone.body);
    // The audit log, newest first.
    assert_eq!(
        app.audit_actions("section").await,
        [
            "leave",
            "set_purpose",
            "delete_material",
            "upload_material",
            "announce",
            "decide_membership",
            "request_join"
        ]
    );
}
