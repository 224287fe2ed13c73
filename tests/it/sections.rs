//! Professional sections at work: an official asks to join, the section's coordinator
//! approves (a coordinator of another section cannot), announcements are public, materials
//! reach members only, and every step is audited.

use axum::http::{Method, StatusCode};
use hromada::auth::Role;

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
