//! Member communities: staff record joining, suspension, leaving and rejoining with the rules
//! enforced; the directory filters, downloads and figures follow; coordinators act only within
//! their office; the API lists members, figures, offices and sections.

use axum::http::StatusCode;
use hromada::identity::Role;
use hromada::members::{actions, repo};
use hromada::work::Actor;

use crate::harness::TestApp;

const VINNYTSKA: &str = "UA05020030000031457";
const VINNYTSIA_OBLAST: &str = "UA05000000000010236";
const KYIV_OBLAST: &str = "UA32000000000030281";

async fn office(app: &TestApp, slug: &str, oblast: &str) {
    let o = repo::NewOffice {
        slug,
        name_uk: &format!("Відділення {slug}"),
        name_en: &format!("Office {slug}"),
        head_name: "",
        email: "",
        phone: "",
        address: "",
        is_demo: false,
    };
    actions::create_office(
        &app.state.db,
        &Actor::system("test"),
        &o,
        &[oblast.to_string()],
    )
    .await
    .expect("office");
}

#[tokio::test]
async fn staff_record_joining_leaving_and_rejoining_with_the_rules() {
    let mut app = TestApp::with_registry().await;
    office(&app, "vinnytska", VINNYTSIA_OBLAST).await;
    app.login_as(Role::Admin).await;

    let page = app.get(&format!("/uk/members/{VINNYTSKA}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("main").contains("ніколи не була членом"));
    let joined = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/join"),
            &[
                ("office", "vinnytska"),
                ("since", "2016-05-01"),
                ("decision_number", "12/3"),
                ("decision_on", "2016-04-20"),
            ],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);
    let page = app.get(joined.location()).await;
    assert!(page.text(".notice").contains("Членство записано"));
    assert!(
        page.text("table.periods")
            .contains("рішення № 12/3 від 2016-04-20")
    );

    // Twice at once is refused, in the user's language.
    let twice = app
        .post_form(
            &format!("/en/members/{VINNYTSKA}/join"),
            &[("office", "vinnytska"), ("since", "2017-01-01")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        twice.text(".errors").contains("is a member already"),
        "{}",
        twice.text(".errors")
    );

    let figures = app.get("/api/v1/members/figures").await.json();
    assert_eq!(figures["members"], 1);
    assert_eq!(figures["population"], 387_439);
    assert_eq!(figures["total_population"], 41_167_335);
    assert_eq!(figures["share_percent"], 0.9);
    let before = app
        .get("/api/v1/members/figures?on=2016-04-30")
        .await
        .json();
    assert_eq!(before["members"], 0);

    // An end before the start is refused; a suspension is recorded.
    let early = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/end"),
            &[("reason", "suspended"), ("until", "2015-01-01")],
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.text(".errors").contains("раніше, ніж почалося"));
    let ended = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/end"),
            &[
                ("reason", "suspended"),
                ("until", "2022-03-01"),
                ("decision_number", "7"),
            ],
        )
        .await;
    assert_eq!(ended.status, StatusCode::SEE_OTHER, "{}", ended.body);
    let overlap = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/join"),
            &[("office", "vinnytska"), ("since", "2021-01-01")],
        )
        .await;
    assert_eq!(overlap.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        overlap
            .text(".errors")
            .contains("раніше, ніж завершилося попереднє")
    );
    let rejoined = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/join"),
            &[("office", "vinnytska"), ("since", "2023-06-01")],
        )
        .await;
    assert_eq!(rejoined.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/en/members/{VINNYTSKA}")).await;
    assert_eq!(page.count("table.periods tbody tr"), 2);
    assert!(page.text("table.periods").contains("membership suspended"));
    // During the suspension it was not a member.
    let gap = app.get("/api/v1/members?on=2022-12-31").await.json();
    assert_eq!(gap["total"], 0);
    let now = app.get("/api/v1/members").await.json();
    assert_eq!(now["items"][0]["code"], VINNYTSKA);
    assert_eq!(now["items"][0]["regional_office"], "vinnytska");

    // The directory lists it with its figures, filters and downloads.
    let dir = app
        .get(&format!("/uk/members?oblast={VINNYTSIA_OBLAST}"))
        .await;
    assert_eq!(dir.count("table.members tbody tr"), 1);
    assert!(dir.text(".figures").contains("1 громада-член"));
    assert_eq!(dir.count("svg path.map-member"), 1);
    let other = app.get(&format!("/uk/members?oblast={KYIV_OBLAST}")).await;
    assert_eq!(other.count("table.members tbody tr"), 0);
    let csv = app.get("/en/members?format=csv").await;
    assert_eq!(csv.body.trim_end().lines().count(), 2);
    let xlsx = app.get("/en/members?format=xlsx&sort=population").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    for bad in [
        "band=huge",
        "status=calm",
        "oblast=UA05020030000031457",
        "sort=colour",
        "on=yesterday",
    ] {
        let page = app.get(&format!("/uk/members?{bad}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    }
    let audit = app.get("/uk/admin/audit?entity=member").await;
    let log = audit.text("table");
    assert!(log.contains("join") && log.contains("suspended"), "{log}");

    // Only hromadas and cities can be members; codes are checked.
    assert_eq!(
        app.get("/uk/members/UA05020030010063857").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/uk/members/UA05020030030083783").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/uk/members/UA0502").await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn coordinators_act_only_within_their_office() {
    let mut app = TestApp::with_registry().await;
    office(&app, "vinnytska", VINNYTSIA_OBLAST).await;
    office(&app, "kyivska", KYIV_OBLAST).await;
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let kyiv_hromada = "UA32020010000093088";
    let joined = admin
        .post_form(
            &format!("/uk/members/{kyiv_hromada}/join"),
            &[("office", "kyivska"), ("since", "2018-01-01")],
        )
        .await;
    assert_eq!(joined.status, StatusCode::SEE_OTHER, "{}", joined.body);

    app.login_as_scoped(Role::Coordinator, "vinnytska").await;
    let page = app.get(&format!("/uk/members/{VINNYTSKA}")).await;
    assert_eq!(
        page.count("form[action$='/join'] select[name='office'] option"),
        1
    );
    let own = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/join"),
            &[("office", "vinnytska"), ("since", "2019-02-01")],
        )
        .await;
    assert_eq!(own.status, StatusCode::SEE_OTHER, "{}", own.body);
    let foreign = app
        .post_form(
            &format!("/uk/members/{VINNYTSKA}/join"),
            &[("office", "kyivska"), ("since", "2019-02-01")],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    let end_foreign = app
        .post_form(
            &format!("/uk/members/{kyiv_hromada}/end"),
            &[("reason", "left"), ("until", "2020-01-01")],
        )
        .await;
    assert_eq!(end_foreign.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_api_lists_offices_and_the_seventeen_sections() {
    let mut app = TestApp::with_registry().await;
    office(&app, "vinnytska", VINNYTSIA_OBLAST).await;
    let offices = app.get("/api/v1/regional-offices").await.json();
    assert_eq!(offices["total"], 1);
    assert_eq!(offices["items"][0]["oblasts"][0], VINNYTSIA_OBLAST);
    let sections = app.get("/api/v1/sections").await.json();
    assert_eq!(sections["total"], 17);
    assert_eq!(
        sections["items"][0]["name_en"],
        "Secretaries of local councils"
    );
    let page = app.get("/en/sections").await;
    assert_eq!(page.count("ol.sections li"), 17);
    let page = app.get("/uk/offices/vinnytska").await;
    assert!(page.text("dl.facts").contains("Вінницька область"));
    assert_eq!(
        app.get("/uk/offices/nowhere").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn members_import_from_csv_all_or_nothing_with_every_bad_row() {
    let mut app = TestApp::with_registry().await;
    office(&app, "vinnytska", VINNYTSIA_OBLAST).await;
    office(&app, "kyivska", KYIV_OBLAST).await;
    app.login_as_scoped(Role::Coordinator, "vinnytska").await;
    let form = app.get("/uk/members/import").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(
        form.count("main ul li code"),
        1,
        "only the coordinator's own office"
    );
    let csrf = app.csrf().await;
    let action = format!("/uk/members/import?csrf={csrf}");
    let (ct, body) = crate::harness::multipart(
        "code,since,regional_office,decision_number,decision_on\n\
         UA05020030000031457,2016-05-01,vinnytska,12/3,2016-04-20\n\
         UA05020030010063857,2016-05-01,vinnytska,,\n\
         UA05020030030083783,2016-05-01,vinnytska,,\n\
         UA32020010000093088,2016-05-01,kyivska,,\n\
         UA05020030000031457,2017-01-01,vinnytska,,\n\
         UA05020010000053508,2030-01-01,vinnytska,,\n",
    );
    let refused = app
        .request(axum::http::Method::POST, &action, Some(&ct), body, &[])
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    let problems = refused.text(".errors li");
    for expected in [
        "Рядок 4 (UA05020030030083783): Членом може бути лише",
        "Рядок 5 (UA32020010000093088): Оберіть регіональне відділення",
        "Рядок 6 (UA05020030000031457): Громада вже є членом",
        "Рядок 7 (UA05020010000053508): Дата має бути",
    ] {
        assert!(problems.contains(expected), "{expected} not in {problems}");
    }
    assert!(!problems.contains("Рядок 2"), "{problems}");
    let members = app.get("/api/v1/members").await.json();
    assert_eq!(members["total"], 0, "nothing was imported");

    let (ct, body) = crate::harness::multipart(
        "code;since;regional_office\n\
         UA05020030000031457;2016-05-01;vinnytska\n\
         UA05020030010063857;2016-05-01;vinnytska\n",
    );
    let done = app
        .request(axum::http::Method::POST, &action, Some(&ct), body, &[])
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = app.get(done.location()).await;
    assert!(page.text(".notice").contains("Імпортовано 2 громади"));
    // A city and its hromada count their people once.
    let figures = app.get("/api/v1/members/figures").await.json();
    assert_eq!(figures["members"], 2);
    assert_eq!(figures["population"], 387_439);
}

#[tokio::test]
async fn admins_add_and_change_regional_offices() {
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let page = app.get("/uk/offices").await;
    assert_eq!(page.count("form input[name='oblast']"), 27);
    let created = app
        .post_form(
            "/uk/offices",
            &[
                ("slug", "podillia"),
                ("name_uk", "Подільське відділення"),
                ("name_en", "Podillia office"),
                ("email", "Podillia@Example.UA"),
                ("oblast", VINNYTSIA_OBLAST),
                ("oblast", "UA68000000000099709"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    assert_eq!(created.location(), "/uk/offices/podillia");
    let page = app.get("/en/offices/podillia").await;
    let facts = page.text("dl.facts");
    assert!(
        facts.contains("Vinnytsia oblast") && facts.contains("Khmelnytskyi oblast"),
        "{facts}"
    );
    assert!(facts.contains("podillia@example.ua"), "{facts}");
    assert_eq!(page.count("form input[name='oblast'][checked]"), 2);

    let taken = app
        .post_form(
            "/uk/offices",
            &[
                ("slug", "podillia"),
                ("name_uk", "Інше"),
                ("name_en", "Other"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::CONFLICT);
    let bad = app
        .post_form(
            "/en/offices",
            &[
                ("slug", "Поділля"),
                ("name_uk", ""),
                ("name_en", "x"),
                ("email", "no"),
                ("oblast", VINNYTSKA),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.count(".errors li"), 4, "{}", bad.text(".errors"));

    // A change keeps the short name; the oblast moves from one office to another.
    let changed = app
        .post_form(
            "/uk/offices/podillia",
            &[
                ("slug", "ignored"),
                ("name_uk", "Подільське відділення"),
                ("name_en", "Podillia office"),
                ("head_name", "Олена Петренко"),
                ("oblast", VINNYTSIA_OBLAST),
            ],
        )
        .await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let offices = app.get("/api/v1/regional-offices").await.json();
    assert_eq!(offices["items"][0]["slug"], "podillia");
    assert_eq!(offices["items"][0]["head_name"], "Олена Петренко");
    assert_eq!(
        offices["items"][0]["oblasts"].as_array().map(Vec::len),
        Some(1)
    );
    let audit = app.get("/uk/admin/audit?entity=regional_office").await;
    assert_eq!(audit.count("table tbody tr"), 2);
}

/// The API twin of the office forms: an admin adds and changes an office; a coordinator may
/// not, and bad fields are named.
#[tokio::test]
async fn admins_add_and_change_regional_offices_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let mut app = TestApp::with_registry().await;
    app.login_as(Role::Admin).await;
    let podillia = json!({
        "slug": "podillia", "name_uk": "Подільське відділення", "name_en": "Podillia office",
        "email": "Podillia@Example.UA", "oblasts": [VINNYTSIA_OBLAST, "UA68000000000099709"],
    });
    let r = app
        .send_json(Method::POST, "/api/v1/regional-offices", &podillia)
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["email"], "podillia@example.ua");
    assert_eq!(r.json()["oblasts"].as_array().map(Vec::len), Some(2));
    let r = app
        .send_json(Method::POST, "/api/v1/regional-offices", &podillia)
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = app
        .send_json(
            Method::POST,
            "/api/v1/regional-offices",
            &json!({ "slug": "x", "name_uk": "Х", "name_en": "X", "oblasts": [VINNYTSKA] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.json()["error"]["fields"].to_string();
    assert!(
        fields.contains("\"slug\"") && fields.contains("\"oblast\""),
        "{fields}"
    );

    let change = json!({ "slug": "ignored", "name_uk": "Подільське відділення",
        "name_en": "Podillia office", "head_name": "Олена Петренко", "oblasts": [VINNYTSIA_OBLAST] });
    let r = app
        .send_json(Method::PUT, "/api/v1/regional-offices/podillia", &change)
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["slug"], "podillia");
    assert_eq!(r.json()["head_name"], "Олена Петренко");
    assert_eq!(r.json()["oblasts"], json!([VINNYTSIA_OBLAST]));
    let r = app
        .send_json(Method::PUT, "/api/v1/regional-offices/nowhere", &change)
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // A coordinator manages members, not offices.
    let mut coordinator = app.other_browser();
    coordinator
        .login_as_scoped(Role::Coordinator, "podillia")
        .await;
    let r = coordinator
        .send_json(Method::PUT, "/api/v1/regional-offices/podillia", &change)
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(app.audit_actions("regional_office").await.len(), 2);
}

/// The API twins of the join and end forms: a coordinator's program records a community
/// joining and leaving through their office; bad fields and broken rules are named; another
/// office's coordinator is refused.
#[tokio::test]
async fn coordinators_record_joining_and_leaving_through_the_api() {
    use axum::http::Method;
    use serde_json::json;
    let app = TestApp::with_registry().await;
    office(&app, "vinnytska", VINNYTSIA_OBLAST).await;
    office(&app, "kyivska", KYIV_OBLAST).await;
    let (mut coordinator, _) = app.token_client_as(Role::Coordinator, "vinnytska").await;
    let join = format!("/api/v1/members/{VINNYTSKA}/join");
    let r = coordinator
        .send_json(
            Method::POST,
            &join,
            &json!({ "office": "kyivska", "since": "2016-13-01", "decision_on": "x" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_fields(), ["since", "decision_on", "office"]);
    let sound = json!({ "office": "vinnytska", "since": "2016-05-01",
                        "decision_number": "12/3", "decision_on": "2016-04-20" });
    let r = coordinator.send_json(Method::POST, &join, &sound).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    assert_eq!(r.json()["member"], true);
    assert_eq!(r.json()["periods"][0]["regional_office"], "vinnytska");
    assert_eq!(r.json()["periods"][0]["decision_on"], "2016-04-20");
    let r = coordinator.send_json(Method::POST, &join, &sound).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["code"]);

    // Kyiv's coordinator reaches neither the Vinnytsia community nor its membership.
    let (mut kyiv, _) = app.token_client_as(Role::Coordinator, "kyivska").await;
    let r = kyiv.send_json(Method::POST, &join, &sound).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.json()["error"]["code"], "out_of_scope");
    let end = format!("/api/v1/members/{VINNYTSKA}/end");
    let left = json!({ "until": "2020-12-31", "reason": "left" });
    let r = kyiv.send_json(Method::POST, &end, &left).await;
    assert_eq!(r.json()["error"]["code"], "out_of_scope");

    let r = coordinator
        .send_json(
            Method::POST,
            &end,
            &json!({ "until": "2020-12-31", "reason": "gone" }),
        )
        .await;
    assert_eq!(r.error_fields(), ["reason"]);
    let r = coordinator
        .send_json(
            Method::POST,
            &end,
            &json!({ "until": "2015-01-01", "reason": "left" }),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["until"]);
    let r = coordinator.send_json(Method::POST, &end, &left).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["member"], false);
    assert_eq!(r.json()["periods"][0]["end_reason"], "left");
    assert_eq!(app.audit_actions("member").await.len(), 2);
}

/// Uploads `csv` to the import API, asking for answers in `lang`.
async fn import_through_the_api(
    program: &mut TestApp,
    csv: &str,
    lang: &str,
) -> crate::harness::Response {
    let (ct, body) = crate::harness::multipart(csv);
    let path = "/api/v1/members/import";
    let lang = [("accept-language", lang)];
    program
        .request(axum::http::Method::POST, path, Some(&ct), body, &lang)
        .await
}

/// The API twin of the import form: the same CSV, all rows or none, every bad row listed
/// under `file` with its line in the caller's language; a coordinator's rows stay within
/// their office.
#[tokio::test]
async fn members_import_through_the_api_all_or_nothing() {
    let mut app = TestApp::with_registry().await;
    office(&app, "vinnytska", VINNYTSIA_OBLAST).await;
    office(&app, "kyivska", KYIV_OBLAST).await;
    let (mut coordinator, _) = app.token_client_as(Role::Coordinator, "vinnytska").await;
    let unreadable = "code,since,regional_office\n\
        UA05020030000031457,2016-05-01,vinnytska\n\
        UA32020010000093088,2016-05-01,kyivska\n\
        UA05020010000053508,2016-05-01,vinnytska\n\
        not-a-code,2016-05-01,vinnytska\n";
    let r = import_through_the_api(&mut coordinator, unreadable, "en").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.error_fields(), ["file"]);
    let fields = r.json()["error"]["fields"].to_string();
    assert!(fields.contains("Line 5"), "{fields}");
    let elsewhere = "code,since,regional_office\n\
        UA05020030000031457,2016-05-01,vinnytska\n\
        UA32020010000093088,2016-05-01,kyivska\n";
    let r = import_through_the_api(&mut coordinator, elsewhere, "en").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields = r.json()["error"]["fields"].to_string();
    assert!(fields.contains("Line 3 (UA32020010000093088)"), "{fields}");
    assert_eq!(app.get("/api/v1/members").await.json()["total"], 0);

    let sound = "code;since;regional_office\n\
        UA05020030000031457;2016-05-01;vinnytska\n\
        UA05020030010063857;2016-05-01;vinnytska\n";
    let r = import_through_the_api(&mut coordinator, sound, "uk").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["imported"], 2);
    assert_eq!(app.get("/api/v1/members").await.json()["total"], 2);
    // An editor manages no members.
    let (mut editor, _) = app.token_client_as(Role::Editor, "").await;
    let r = import_through_the_api(&mut editor, "code,since,regional_office\n", "uk").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
}
