//! The weekly digest: drafted from the week's published news by the documented rule, curated
//! (groups, order, digest-only summaries, dropped and added entries, blocks), published as a
//! page per language, listed in the archive and the API; empty and duplicate digests refused.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::TestApp;

fn position_of(body: &str, needle: &str) -> usize {
    body.find(needle)
        .unwrap_or_else(|| panic!("{needle} is not on the page"))
}

#[tokio::test]
async fn editors_draft_curate_and_publish_the_weekly_digest() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let schools = editor.publish_news(json!({ "title_uk": "Школи Вінниці відкрили укриття", "summary_uk": "Дванадцять шкіл готові.",
                "title_en": "Vinnytsia schools open shelters", "summary_en": "Twelve schools are ready.",
                "sectors": ["education"], "units": ["UA05020030000031457"] }),
    )
    .await;
    let aid = editor.publish_news(json!({ "title_uk": "Громади допомагають переселенцям", "summary_uk": "Три громади об’єдналися.",
                "sectors": ["social"],
                "units": ["UA05020030000031457", "UA46060250000025047", "UA12020010000033698"] }),
    )
    .await;
    let forum = editor.publish_news(json!({ "title_en": "Mayors meet partners in Lyon", "summary_en": "A forum on recovery.",
                "sectors": ["international"] }),
    )
    .await;

    // Nothing in a past week; the form says so.
    let empty = editor
        .post_form(
            "/en/digest/new",
            &[("from", "2020-01-04"), ("to", "2020-01-10")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.text(".errors").contains("No news was published"));
    let bad = editor
        .post_form(
            "/en/digest/new",
            &[("from", "2025-02-14"), ("to", "2025-02-08")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

    // This week's draft, with the form's default range.
    let (from, to) = crate::digest_sending::this_week(&mut editor).await;
    let r = editor
        .post_form("/uk/digest/new", &[("from", &from), ("to", &to)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let edit = r
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let again = editor
        .post_form("/uk/digest/new", &[("from", &from), ("to", &to)])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text(".errors").contains("уже існує"));

    // The proposal: the item about three communities on top, then sectors in order.
    let page = editor.get(&edit).await;
    assert_eq!(page.count("ol.digest-entries > li"), 3);
    let entry_of = |item: i64| {
        let sel = scraper::Selector::parse("ol.digest-entries > li").expect("sel");
        let link = format!("/uk/news/{item}");
        page.html()
            .select(&sel)
            .find(|li| li.html().contains(&link))
            .and_then(|li| {
                li.value()
                    .attr("class")
                    .and_then(|c| c.strip_prefix("entry-"))
                    .map(str::to_string)
            })
            .expect("entry")
    };
    let (e_schools, e_aid, e_forum) = (entry_of(schools), entry_of(aid), entry_of(forum));
    let selected = |id: &str| page.text(&format!("#group_{id} option[selected]"));
    assert_eq!(selected(&e_aid), "Головне за тиждень");
    assert_eq!(selected(&e_schools), "Освіта");

    // Curate: the forum moves to the top, first; the schools get a digest-only English summary;
    // the aid item is dropped, then added back to social protection.
    let g = |id: &str| format!("group_{id}");
    let pos = |id: &str| format!("position_{id}");
    let sum_en = |id: &str| format!("summary_en_{id}");
    let drop = format!("drop_{e_aid}");
    let (gf, pf, gs, ps, ss, ga, pa) = (
        g(&e_forum),
        pos(&e_forum),
        g(&e_schools),
        pos(&e_schools),
        sum_en(&e_schools),
        g(&e_aid),
        pos(&e_aid),
    );
    let r = editor
        .post_form(
            &edit,
            &[
                ("title_uk", "Дайджест тижня"),
                ("title_en", "Digest of the week"),
                ("intro_en", "Our week in brief."),
                ("closing_uk", "Підтримайте кампанію #FreeOurPeople."),
                (&gf, "top"),
                (&pf, "0"),
                (&gs, "education"),
                (&ps, "5"),
                (&ss, "Shelters ready in twelve schools (digest summary)."),
                (&ga, "top"),
                (&pa, "1"),
                (&drop, "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = editor.get(&edit).await;
    assert_eq!(page.count("ol.digest-entries > li"), 2);
    let aid_s = aid.to_string();
    let r = editor
        .post_form(
            &format!("{}/add", edit.trim_end_matches("/edit")),
            &[("item", aid_s.as_str()), ("group", "social")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = editor
        .post_form(
            &format!("{}/add", edit.trim_end_matches("/edit")),
            &[("item", "999999"), ("group", "social")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // Publish; the page per language, the archive and the API.
    let r = editor
        .post_form(&format!("{}/publish", edit.trim_end_matches("/edit")), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let url = r.location().to_string();
    assert_eq!(url, format!("/uk/digest/{to}"));
    let r = editor
        .post_form(&format!("{}/publish", edit.trim_end_matches("/edit")), &[])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let uk = app.get(&url).await;
    assert_eq!(uk.status, StatusCode::OK);
    assert_eq!(uk.text("main h1"), "Дайджест тижня");
    let top = position_of(&uk.body, "Головне за тиждень");
    assert!(
        top < position_of(&uk.body, "Mayors meet partners"),
        "the forum is in the top group"
    );
    // Sectors follow the admins' order: social protection before education.
    assert!(position_of(&uk.body, "Соціальний захист") < position_of(&uk.body, "Освіта"));
    assert!(uk.text("p.closing").contains("#FreeOurPeople"));
    assert_eq!(
        uk.count("article.digest-entry[lang=en]"),
        1,
        "the forum has no Ukrainian text"
    );
    let en = app.get(&url.replace("/uk/", "/en/")).await;
    assert!(
        en.text("section.group-education")
            .contains("(digest summary)")
    );
    assert!(en.text("p.lead").contains("Our week in brief."));
    let archive = app.get("/en/digest").await;
    assert!(archive.text("ul.digests").contains("Digest of the week"));
    let api = app.get("/api/v1/digests").await.json();
    assert_eq!(api["total"], 1);
    let detail = app
        .get(&format!("/api/v1/digests/{to}?lang=en"))
        .await
        .json();
    assert_eq!(detail["groups"][0]["key"], "top");
    assert_eq!(detail["groups"][0]["entries"][0]["item"], forum);
    // Drafts are not public.
    assert_eq!(
        app.get("/uk/digest/2020-01-10").await.status,
        StatusCode::NOT_FOUND
    );
    let actions = app.audit_actions("digest").await;
    for expected in ["draft", "curate", "add_entry", "publish"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

#[tokio::test]
async fn readers_subscribe_with_double_opt_in_and_unsubscribe_in_one_click() {
    let mut app = TestApp::with_registry().await;
    let bad = app
        .post_form(
            "/en/digest/subscribe",
            &[("email", "not-an-address"), ("lang", "en")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = app
        .post_form(
            "/en/digest/subscribe",
            &[("email", "reader@example.ua"), ("lang", "uk")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.text(".notice").contains("Check your mail"));
    // The mail is in the language chosen, with a link that leads to a button.
    let mail = app.mail_to("reader@example.ua").await;
    assert_eq!(mail[0].kind, "digest-confirm");
    assert_eq!(mail[0].lang, "uk");
    let link = crate::harness::link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/digest/confirm?token=",
    );
    let page = app.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.text("main").contains("reader@example.ua"));
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();
    let r = app
        .post_form("/uk/digest/confirm", &[("token", &token)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let manage = r
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    // The link works once.
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);
    assert_eq!(
        app.post_form("/uk/digest/confirm", &[("token", &token)])
            .await
            .status,
        StatusCode::GONE
    );
    // Preferences: English, education only.
    let r = app
        .post_form(&manage, &[("lang", "en"), ("sectors", "education")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&manage).await;
    assert_eq!(page.count("input[value=education][checked]"), 1);
    assert!(page.text("dl.facts").contains("підписано"));
    // Asking again changes nothing and tells only the address's owner.
    let r = app
        .post_form(
            "/uk/digest/subscribe",
            &[("email", "reader@example.ua"), ("lang", "uk")],
        )
        .await;
    assert!(r.text(".notice").contains("Перевірте пошту"));
    assert!(
        app.mail_to("reader@example.ua")
            .await
            .iter()
            .any(|m| m.kind == "digest-already")
    );
    // One-click unsubscribe, as a mail client sends it: no cookies, no CSRF token.
    let secret = manage.rsplit('/').next().unwrap_or_default().to_string();
    let mut client = app.other_browser();
    client.cookies.clear();
    let r = crate::digest_sending::one_click_unsubscribe(&mut client, &secret).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    // The preferences page (a Ukrainian address) says so.
    assert!(
        app.get(&manage)
            .await
            .text("dl.facts")
            .contains("відписано")
    );
    // A wrong secret is just unknown.
    let r = client
        .request(
            Method::POST,
            "/unsubscribe/sub.nothing",
            Some("application/x-www-form-urlencoded"),
            b"List-Unsubscribe=One-Click".to_vec(),
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // An expired confirmation link is refused too.
    app.post_form(
        "/uk/digest/subscribe",
        &[("email", "late@example.ua"), ("lang", "uk")],
    )
    .await;
    let mail = app.mail_to("late@example.ua").await;
    let link = crate::harness::link_in(
        &mail[0].body_text,
        "http://hromada.test/uk/digest/confirm?token=",
    );
    let past = hromada::clock::now() - chrono::Duration::hours(1);
    hromada::db_exec!(&app.state.db, c => sqlx::query(
        "UPDATE subscribers SET confirm_expires_at = $1 WHERE email = 'late@example.ua'")
        .bind(past).execute(c).await)
    .expect("expire");
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);
    let actions = app.audit_actions("subscriber").await;
    for expected in ["subscribe", "confirm", "preferences", "unsubscribe"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

/// Sends JSON as a program with no cookies and no credentials at all.
async fn json_without_cookies(
    client: &mut TestApp,
    method: Method,
    path: &str,
    value: serde_json::Value,
) -> crate::harness::Response {
    let body = value.to_string().into_bytes();
    client
        .request(method, path, Some("application/json"), body, &[])
        .await
}

fn first_field(r: &crate::harness::Response) -> String {
    r.json()["error"]["fields"][0]["field"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// The subscription pages' API twins, for a client with no account and no cookies: subscribe
/// (the same 202 whether the address is subscribed or not), confirm with the mailed token
/// (once), then read and change the preferences by the subscription's secret; bad input
/// names its field.
#[tokio::test]
async fn a_client_without_cookies_subscribes_through_the_api() {
    let app = TestApp::with_registry().await;
    let mut client = app.other_browser();
    let subscribe = "/api/v1/digest-subscriptions";
    for (body, field) in [
        (json!({ "email": "not-an-address" }), "email"),
        (
            json!({ "email": "reader@example.ua", "sectors": ["nothing"] }),
            "sectors",
        ),
        (
            json!({ "email": "reader@example.ua", "lang": "de" }),
            "lang",
        ),
    ] {
        let r = json_without_cookies(&mut client, Method::POST, subscribe, body).await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
        assert_eq!(first_field(&r), field);
    }
    let wanted = json!({ "email": "reader@example.ua", "lang": "en", "sectors": ["education"] });
    let r = json_without_cookies(&mut client, Method::POST, subscribe, wanted.clone()).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    let mail = app.mail_to("reader@example.ua").await;
    assert_eq!(mail[0].kind, "digest-confirm");
    assert_eq!(mail[0].lang, "en");
    let link = crate::harness::link_in(
        &mail[0].body_text,
        "http://hromada.test/en/digest/confirm?token=",
    );
    let token = link.split("token=").nth(1).unwrap_or_default().to_string();

    let confirm = "/api/v1/digest-subscriptions/confirm";
    let r = json_without_cookies(
        &mut client,
        Method::POST,
        confirm,
        json!({ "token": "conf.x" }),
    )
    .await;
    assert_eq!(r.status, StatusCode::GONE, "{}", r.body);
    let r = json_without_cookies(
        &mut client,
        Method::POST,
        confirm,
        json!({ "token": token }),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let sub = r.json();
    assert_eq!(sub["status"], "confirmed");
    assert_eq!(sub["sectors"], json!(["education"]));
    let secret = sub["secret"].as_str().expect("secret").to_string();
    assert!(sub["url"].as_str().unwrap_or_default().ends_with(&secret));
    let r = json_without_cookies(
        &mut client,
        Method::POST,
        confirm,
        json!({ "token": token }),
    )
    .await;
    assert_eq!(r.status, StatusCode::GONE, "the token works once");

    let mine = format!("/api/v1/digest-subscriptions/{secret}");
    let r = client.get(&mine).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["email"], "reader@example.ua");
    let r = json_without_cookies(&mut client, Method::PUT, &mine, json!({ "lang": "de" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(first_field(&r), "lang");
    let r = json_without_cookies(&mut client, Method::PUT, &mine, json!({ "lang": "uk" })).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["lang"], "uk");
    assert_eq!(r.json()["sectors"], json!([]));
    let r = client.get("/api/v1/digest-subscriptions/sub.nothing").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Asking again answers the same; only the address's owner learns it was subscribed.
    let r = json_without_cookies(&mut client, Method::POST, subscribe, wanted).await;
    assert_eq!(r.status, StatusCode::ACCEPTED, "{}", r.body);
    assert!(
        app.mail_to("reader@example.ua")
            .await
            .iter()
            .any(|m| m.kind == "digest-already")
    );
    assert!(client.cookies.is_empty(), "{:?}", client.cookies);
    let actions = app.audit_actions("subscriber").await;
    for expected in ["subscribe", "confirm", "preferences"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

#[tokio::test]
async fn editors_preview_the_mail_with_the_exact_number_of_recipients() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    editor
        .publish_news(
            json!({ "title_uk": "Школи відкрили укриття", "summary_uk": "Усі школи готові.",
                              "sectors": ["education"] }),
        )
        .await;
    // Three confirmed readers: Ukrainian (all sectors), Ukrainian (culture only), English.
    for (email, lang, sector) in [
        ("a@example.ua", "uk", ""),
        ("b@example.ua", "uk", "culture"),
        ("c@example.ua", "en", ""),
    ] {
        crate::digest_sending::subscribe(&mut app, email, lang, sector).await;
    }
    let (from, to) = crate::digest_sending::this_week(&mut editor).await;
    let r = editor
        .post_form("/uk/digest/new", &[("from", &from), ("to", &to)])
        .await;
    let edit = r
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let preview = editor.get(&edit.replace("/edit", "/preview")).await;
    assert_eq!(preview.status, StatusCode::OK);
    let counts = preview.text("dd.recipients");
    assert_eq!(
        counts, "1\n1",
        "one Ukrainian reader wants education, one English reader"
    );
    assert!(
        preview
            .text("pre.mail-text")
            .contains("Школи відкрили укриття")
    );
    let html = editor.get(&edit.replace("/edit", "/mail/uk")).await;
    assert_eq!(html.status, StatusCode::OK);
    let csp = html.headers["content-security-policy"]
        .to_str()
        .unwrap_or_default();
    assert!(
        csp.contains("style-src 'unsafe-inline'") && !csp.contains("script-src"),
        "{csp}"
    );
    assert!(
        html.body.contains("Школи відкрили укриття") && html.body.contains("role=\"presentation\"")
    );
    let mut partner = app.other_browser();
    partner.login_as(Role::Partner).await;
    assert_eq!(
        partner.get(&edit.replace("/edit", "/preview")).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Text without any white space: text extracted from a PDF has spaces where glyphs stand
/// apart and none where lines break.
fn squeeze(s: &str) -> String {
    s.split_whitespace().collect()
}

#[tokio::test]
async fn the_pdf_has_the_web_versions_headings_and_entries() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    editor
        .publish_news(json!({ "title_uk": "Школи Вінниці відкрили укриття", "summary_uk": "Дванадцять шкіл готові до навчання офлайн.",
                              "title_en": "Vinnytsia schools open shelters", "summary_en": "Twelve schools are ready.",
                              "sectors": ["education"] }))
        .await;
    editor
        .publish_news(json!({ "title_uk": "Громади допомагають переселенцям", "summary_uk": "Три громади об’єдналися: <script>alert(1)</script> #set text(red)",
                              "sectors": ["social"] }))
        .await;
    editor
        .publish_news(json!({ "title_en": "Mayors meet partners in Lyon", "summary_en": "A forum on recovery.",
                              "sectors": ["international"] }))
        .await;
    let (_, day) = crate::digest_sending::publish_digest(&mut editor).await;
    for lang in ["uk", "en"] {
        let page = app.get(&format!("/{lang}/digest/{day}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let pdf = app.get(&format!("/{lang}/digest/{day}.pdf")).await;
        assert_eq!(pdf.status, StatusCode::OK, "{}", pdf.body);
        assert_eq!(pdf.headers["content-type"], "application/pdf");
        assert!(pdf.bytes.starts_with(b"%PDF-"));
        assert!(page.body.contains(&format!("/{lang}/digest/{day}.pdf")));
        let text = squeeze(&pdf_extract::extract_text_from_mem(&pdf.bytes).expect("PDF text"));
        let mut expected = vec![
            page.text("h1"),
            page.text("main p.muted")
                .split(" · ")
                .next()
                .unwrap_or_default()
                .to_string(),
        ];
        for sel in ["h2[id^=g-]", ".digest-entry h3", ".digest-entry p"] {
            let s = scraper::Selector::parse(sel).expect("sel");
            expected.extend(page.html().select(&s).map(|e| e.text().collect::<String>()));
        }
        assert!(expected.len() >= 8, "{expected:?}");
        for e in expected {
            let e = squeeze(&e);
            assert!(
                text.contains(&e),
                "{lang}: {e:?} is not in the PDF:\n{text}"
            );
        }
    }
    // The injected text is shown as text, not run or laid out as markup.
    let text = squeeze(
        &pdf_extract::extract_text_from_mem(&app.get(&format!("/uk/digest/{day}.pdf")).await.bytes)
            .expect("text"),
    );
    assert!(
        text.contains(&squeeze("<script>alert(1)</script> #set text(red)")),
        "{text}"
    );
    assert_eq!(
        app.get("/uk/digest/2020-01-10.pdf").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/uk/digest/nonsense.pdf").await.status,
        StatusCode::NOT_FOUND
    );
}

/// The editing pages' API twin: an editor drafts, reads, curates, adds to and publishes a
/// digest through `/api/v1/digests`, named by its last day, with the page's checks; the
/// public API shows the result.
#[tokio::test]
async fn editors_draft_curate_and_publish_a_digest_through_the_api() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let schools = editor
        .publish_news(
            json!({ "title_uk": "Школи відкрили укриття", "summary_uk": "Дванадцять шкіл готові.",
            "sectors": ["education"] }),
        )
        .await;
    let forum = editor
        .publish_news(json!({ "title_uk": "Мери зустрілися з партнерами", "summary_uk": "Форум про відновлення.",
            "sectors": ["international"] }))
        .await;
    let (from, to) = crate::digest_sending::this_week(&mut editor).await;

    let bad = editor
        .send_json(
            Method::POST,
            "/api/v1/digests",
            &json!({ "from": to, "to": from }),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let drafted = editor
        .send_json(
            Method::POST,
            "/api/v1/digests",
            &json!({ "from": from, "to": to }),
        )
        .await;
    assert_eq!(drafted.status, StatusCode::CREATED, "{}", drafted.body);
    let draft = drafted.json();
    assert_eq!(draft["state"], "draft");
    let entries = draft["entries"].as_array().expect("entries").clone();
    assert_eq!(entries.len(), 2, "{draft}");
    let again = editor
        .send_json(
            Method::POST,
            "/api/v1/digests",
            &json!({ "from": from, "to": to }),
        )
        .await;
    assert_eq!(
        again.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        again.body
    );
    // Not public while a draft; editors read it whole.
    let path = format!("/api/v1/digests/{to}");
    assert_eq!(app.get(&path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        app.get(&format!("{path}/draft")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        editor.get(&format!("{path}/draft")).await.json()["entries"],
        json!(entries)
    );

    // Curate: new titles, the forum item dropped, a summary of the digest's own.
    let entry_of = |item: i64| {
        entries
            .iter()
            .find(|e| e["item"] == item)
            .and_then(|e| e["id"].as_i64())
            .expect("entry")
    };
    let wrong = editor
        .send_json(
            Method::PUT,
            &path,
            &json!({ "title_uk": "", "title_en": "Week",
            "entries": [{ "id": entry_of(schools), "group": "nowhere" }] }),
        )
        .await;
    assert_eq!(
        wrong.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        wrong.body
    );
    let fields: Vec<_> = wrong.json()["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(fields, ["title_uk", "group"], "every problem at once");
    let curated = editor
        .send_json(Method::PUT, &path, &json!({ "title_uk": "Тиждень громад", "title_en": "Communities' week",
            "intro_uk": "Головне за тиждень.",
            "entries": [{ "id": entry_of(forum), "drop": true },
                        { "id": entry_of(schools), "summary_uk": "Укриття готові в дванадцяти школах." }] }))
        .await;
    assert_eq!(curated.status, StatusCode::OK, "{}", curated.body);
    let now = curated.json();
    assert_eq!(now["title_uk"], "Тиждень громад");
    assert_eq!(now["entries"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        now["entries"][0]["summary_uk"],
        "Укриття готові в дванадцяти школах."
    );

    // The dropped item comes back through "add"; adding it twice is a conflict.
    let entry = json!({ "item": forum, "group": "international" });
    let added = editor
        .send_json(Method::POST, &format!("{path}/entries"), &entry)
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(added.json()["entries"].as_array().map(Vec::len), Some(2));
    let twice = editor
        .send_json(Method::POST, &format!("{path}/entries"), &entry)
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);

    let published = editor
        .send_json(Method::POST, &format!("{path}/publish"), &json!({}))
        .await;
    assert_eq!(published.status, StatusCode::OK, "{}", published.body);
    assert_eq!(published.json()["state"], "published");
    let public = app.get(&path).await;
    assert_eq!(public.status, StatusCode::OK, "{}", public.body);
    assert_eq!(public.json()["title"], "Тиждень громад");
    let twice = editor
        .send_json(Method::POST, &format!("{path}/publish"), &json!({}))
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.body);
    assert_eq!(
        app.audit_actions("digest").await,
        ["publish", "add_entry", "curate", "draft"]
    );
}
