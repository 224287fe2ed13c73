//! News: editors write items in one or both languages, move them through review to
//! publication and withdrawal; the public lists filter by sector, community, oblast and dates;
//! a missing language is said and the other shown; nothing unsafe reaches a page.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;
use serde_json::json;

use crate::harness::TestApp;

#[tokio::test]
async fn editors_write_review_and_publish_news() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;

    // Every problem at once, nothing typed lost.
    let bad = editor
        .post_form(
            "/en/news/new",
            &[
                ("title_uk", "Лише заголовок"),
                ("source_url", "javascript:alert(1)"),
                ("units", "UA99999999999999999"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let errors = bad.text(".errors");
    for expected in [
        "title and a summary",
        "http:// or https://",
        "at least one sector",
        "not in the registry",
    ] {
        assert!(errors.contains(expected), "{expected}: {errors}");
    }
    assert!(bad.body.contains("Лише заголовок"));

    let created = editor
        .post_form(
            "/uk/news/new",
            &[
                ("title_uk", "Вінниця відкрила укриття в школах"),
                (
                    "summary_uk",
                    "Громада облаштувала укриття у дванадцяти школах.",
                ),
                (
                    "body_uk",
                    "**Укриття** готові.<script>alert(1)</script>\n\n[Деталі](https://vmr.gov.ua)",
                ),
                ("sectors", "education"),
                ("sectors", "social"),
                ("units", "UA05020030000031457"),
                ("source_url", "https://vmr.gov.ua/news"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let edit = created
        .location()
        .split('?')
        .next()
        .unwrap_or_default()
        .to_string();
    let id: i64 = edit
        .trim_end_matches("/edit")
        .rsplit('/')
        .next()
        .and_then(|s| s.parse().ok())
        .expect("id");
    // A draft is not public; the editor sees it marked.
    assert_eq!(
        app.get(&format!("/uk/news/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert!(
        editor
            .get(&format!("/uk/news/{id}"))
            .await
            .text(".notice")
            .contains("чернетка")
    );
    // Withdrawing a draft is not a move it allows.
    let r = editor
        .post_form(&format!("/uk/news/{id}/move"), &[("move", "withdraw")])
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    for m in ["submit", "publish"] {
        let r = editor
            .post_form(&format!("/uk/news/{id}/move"), &[("move", m)])
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{m}: {}", r.body);
    }

    // Public in Ukrainian; on the English pages, marked as Ukrainian and said so.
    let uk = app.get(&format!("/uk/news/{id}")).await;
    assert_eq!(uk.status, StatusCode::OK);
    let body = uk.text("div.body");
    assert!(body.contains("Укриття готові"), "{body}");
    assert!(!uk.body.contains("<script>alert"));
    assert!(uk.text("dl.facts").contains("Вінницька"));
    let en = app.get(&format!("/en/news/{id}")).await;
    assert!(en.text(".notice").contains("not available in English"));
    assert_eq!(en.count("div[lang=uk] div.body"), 1);
    let list = app.get("/en/news").await;
    assert_eq!(list.count("ol.news article[lang=uk]"), 1);

    // A second item in one sector only, in English only.
    let r = editor
        .send_json(
            Method::POST,
            "/api/v1/news",
            &json!({
                "title_en": "Lviv hosts a forum of mayors",
                "summary_en": "Mayors met in Lviv to discuss recovery.",
                "sectors": ["international", "education"],
                "units": ["UA46060250000025047"],
            }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let second = r.json()["id"].as_i64().expect("id");
    assert_eq!(r.json()["state"], "draft");
    let r = editor
        .send_json(
            Method::POST,
            &format!("/api/v1/news/{second}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = editor
        .send_json(
            Method::POST,
            &format!("/api/v1/news/{second}/publish"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Filters.
    let count = |v: serde_json::Value| v["total"].as_i64().unwrap_or(-1);
    assert_eq!(count(app.get("/api/v1/news").await.json()), 2);
    assert_eq!(count(app.get("/api/v1/news?sector=social").await.json()), 1);
    assert_eq!(
        count(app.get("/api/v1/news?sector=education").await.json()),
        2
    );
    assert_eq!(
        count(
            app.get("/api/v1/news?oblast=UA46000000000026241")
                .await
                .json()
        ),
        1
    );
    assert_eq!(
        count(
            app.get("/api/v1/news?community=UA05020030000031457")
                .await
                .json()
        ),
        1
    );
    assert_eq!(count(app.get("/api/v1/news?to=2020-01-01").await.json()), 0);
    assert_eq!(
        app.get("/api/v1/news?from=yesterday").await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        app.get("/uk/news?sector=nope").await.status,
        StatusCode::BAD_REQUEST
    );
    let page = app.get("/uk/news?sector=social").await;
    assert_eq!(page.count("ol.news li"), 1);
    // Related: the items share a sector.
    let related = app.get(&format!("/en/news/{id}")).await.text("ul.related");
    assert!(related.contains("Lviv hosts"), "{related}");

    // Others may not write; withdrawing takes an item off the public pages.
    let mut partner = app.other_browser();
    partner.login_as(Role::Partner).await;
    let r = partner
        .send_json(Method::POST, "/api/v1/news", &json!({ "title_en": "x" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = editor
        .send_json(
            Method::POST,
            &format!("/api/v1/news/{second}/withdraw"),
            &json!({}),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        app.get(&format!("/api/v1/news/{second}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(count(app.get("/api/v1/news").await.json()), 1);

    // Feeds per language, sector and community; the community's registry page lists its news.
    let feed = app.get("/uk/news/feed.atom").await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(
        feed.headers["content-type"]
            .to_str()
            .unwrap_or_default()
            .starts_with("application/atom+xml")
    );
    assert!(
        feed.body
            .contains("<title>Вінниця відкрила укриття в школах</title>"),
        "{}",
        feed.body
    );
    assert!(!feed.body.contains("<script>alert"));
    let en_feed = app.get("/en/news/feed.atom").await.body;
    assert!(
        !en_feed.contains("Вінниця відкрила"),
        "the English feed has English items only"
    );
    let by_community = app
        .get("/uk/news/feed.atom?community=UA46060250000025047")
        .await
        .body;
    assert!(!by_community.contains("Вінниця відкрила"));
    assert_eq!(
        app.get("/uk/news/feed.atom?sector=nope").await.status,
        StatusCode::BAD_REQUEST
    );
    let unit = app.get("/uk/units/UA05020030000031457").await;
    assert!(unit.text("ul.unit-news").contains("Вінниця відкрила"));
    // The sitemap: an index and its parts.
    let index = app.get("/sitemap.xml").await;
    assert!(
        index.body.contains("/sitemaps/news.xml") && index.body.contains("/sitemaps/units-en.xml")
    );
    let news_part = app.get("/sitemaps/news.xml").await.body;
    assert!(news_part.contains(&format!("/uk/news/{id}</loc>")));
    assert!(
        !news_part.contains(&format!("/en/news/{id}</loc>")),
        "no English version to list"
    );
    let units = app.get("/sitemaps/units-uk.xml").await.body;
    assert!(units.matches("<url>").count() > 30_000);
    assert_eq!(
        app.get("/sitemaps/other.xml").await.status,
        StatusCode::NOT_FOUND
    );

    let actions = app.audit_actions("news_item").await;
    for expected in ["create", "submit", "publish", "withdraw"] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

async fn move_item(client: &mut TestApp, path: &str, to: &str) -> crate::harness::Response {
    client
        .send_json(Method::POST, path, &json!({ "move": to }))
        .await
}

/// The editing page's move buttons through the API, by a program with an editor's token:
/// submit for review, send back to rework, submit again and publish; a move the state does
/// not allow is 409, no such move 422 `move`, and a partner's token may not move at all.
#[tokio::test]
async fn a_program_moves_an_item_through_review() {
    let app = TestApp::with_registry().await;
    let (mut editor, _) = app.token_client_as(Role::Editor, "").await;
    let (mut partner, _) = app.token_client_as(Role::Partner, "").await;
    let r = editor
        .send_json(
            Method::POST,
            "/api/v1/news",
            &json!({ "title_uk": "Рада ухвалила бюджет", "summary_uk": "Бюджет на рік.",
                     "sectors": ["education"] }),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.json()["id"].as_i64().expect("id");
    let path = format!("/api/v1/news/{id}/move");
    let r = move_item(&mut editor, &path, "withdraw").await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{}", r.body);
    for (to, state) in [
        ("submit", "in_review"),
        ("rework", "draft"),
        ("submit", "in_review"),
        ("publish", "published"),
    ] {
        let r = move_item(&mut editor, &path, to).await;
        assert_eq!(r.status, StatusCode::OK, "{to}: {}", r.body);
        assert_eq!(r.json()["state"], state, "{to}");
    }
    let r = move_item(&mut editor, &path, "archive").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "move");
    let r = partner
        .send_json(Method::POST, &path, &json!({ "move": "withdraw" }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.other_browser()
            .get(&format!("/uk/news/{id}"))
            .await
            .status,
        StatusCode::OK
    );
    let actions = app.audit_actions("news_item").await;
    assert!(actions.iter().any(|a| a == "rework"), "{actions:?}");
}

#[tokio::test]
async fn search_finds_every_form_of_a_word_in_both_languages() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let schools = editor
        .publish_news(json!({ "title_uk": "Громади Вінниччини відновлюють школи",
                "summary_uk": "У громадах області відкрили укриття.", "sectors": ["education"] }))
        .await;
    let help = editor.publish_news(json!({ "title_uk": "Допомога переселенцям", "summary_uk": "Разом із громадою волонтери збирають речі.",
                "title_en": "Help for displaced people", "summary_en": "Volunteers work with the community.",
                "sectors": ["social"] }),
    )
    .await;
    let water = editor.publish_news(json!({ "title_en": "Water supply restored", "summary_en": "Communities in the south have water again.",
                "sectors": ["utilities"] }),
    )
    .await;
    // A draft is never found.
    editor
        .send_json(
            Method::POST,
            "/api/v1/news",
            &json!({ "title_uk": "Чернетка про громади", "summary_uk": "Не для читачів.", "sectors": ["land"] }),
        )
        .await;

    let ids = |v: &serde_json::Value| -> Vec<i64> {
        v["items"]
            .as_array()
            .expect("items")
            .iter()
            .filter_map(|i| i["id"].as_i64())
            .collect()
    };
    let found = app
        .get("/api/v1/news?q=%D0%B3%D1%80%D0%BE%D0%BC%D0%B0%D0%B4%D0%B0%D1%85")
        .await
        .json();
    let mut got = ids(&found);
    got.sort_unstable();
    assert_eq!(
        got,
        vec![schools, help],
        "громадах finds громади and громадою"
    );
    assert!(
        found["items"][0]["snippet"]
            .as_str()
            .is_some_and(|s| s.contains("<mark>"))
    );
    let en = app.get("/api/v1/news?q=communities&lang=en").await.json();
    let mut got = ids(&en);
    got.sort_unstable();
    assert_eq!(got, vec![help, water], "communities finds community");
    // The page: ranked results with marked snippets; odd input is words, not syntax.
    let page = app
        .get("/uk/news?q=%D0%B3%D1%80%D0%BE%D0%BC%D0%B0%D0%B4%D0%BE%D1%8E")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.count("ol.news p.snippet mark") >= 1,
        "{}",
        page.text("ol.news")
    );
    for odd in [
        "title:(",
        "%22unclosed",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "AND%20OR%20NOT",
    ] {
        let r = app.get(&format!("/uk/news?q={odd}")).await;
        assert_eq!(r.status, StatusCode::OK, "{odd}");
        assert!(!r.body.contains("<script>alert"));
    }
    assert_eq!(
        app.get(&format!("/uk/news?q={}", "a".repeat(201)))
            .await
            .status,
        StatusCode::BAD_REQUEST
    );
    // Withdrawing an item takes it out of the index at once.
    editor
        .send_json(
            Method::POST,
            &format!("/api/v1/news/{schools}/withdraw"),
            &json!({}),
        )
        .await;
    let found = app
        .get("/api/v1/news?q=%D0%B3%D1%80%D0%BE%D0%BC%D0%B0%D0%B4%D0%B0%D1%85")
        .await
        .json();
    assert_eq!(ids(&found), vec![help]);
}

#[tokio::test]
async fn admins_order_and_add_sectors() {
    let app = TestApp::with_registry().await;
    let mut admin = app.other_browser();
    admin.login_as(Role::Admin).await;
    let page = admin.get("/uk/admin/news-sectors").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.count("table.sectors tbody tr"), 12);
    let id_of = |slug: &str| {
        let sel = scraper::Selector::parse("table.sectors tbody tr").expect("sel");
        page.html()
            .select(&sel)
            .find(|tr| tr.html().contains(&format!("<code>{slug}</code>")))
            .and_then(|tr| {
                let input = scraper::Selector::parse("input[name^=position_]").expect("sel");
                tr.select(&input)
                    .next()
                    .and_then(|i| i.value().attr("name"))
                    .map(|n| n.trim_start_matches("position_").to_string())
            })
            .expect("sector row")
    };
    // Culture first.
    let culture = format!("position_{}", id_of("culture"));
    let r = admin
        .post_form("/uk/admin/news-sectors", &[(&culture, "0")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sectors = admin.get("/uk/news").await;
    let options = sectors.text("#f-sector option");
    assert!(
        options.find("Культура") < options.find("Освіта"),
        "{options}"
    );
    // A new sector; bad and duplicate short names are refused.
    let bad = admin
        .post_form(
            "/uk/admin/news-sectors/new",
            &[("slug", "Top Stories"), ("name_uk", "x"), ("name_en", "x")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let ok = admin
        .post_form(
            "/uk/admin/news-sectors/new",
            &[
                ("slug", "energy"),
                ("name_uk", "Енергетика"),
                ("name_en", "Energy"),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let twice = admin
        .post_form(
            "/uk/admin/news-sectors/new",
            &[
                ("slug", "energy"),
                ("name_uk", "Енергетика"),
                ("name_en", "Energy"),
            ],
        )
        .await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    // Editors may not.
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    assert_eq!(
        editor.get("/uk/admin/news-sectors").await.status,
        StatusCode::FORBIDDEN
    );
    assert!(
        app.audit_actions("news_sectors")
            .await
            .iter()
            .any(|a| a == "create")
    );
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

/// A multipart body with a `file` field (when given) and text fields.
fn cover_form(file: Option<&[u8]>, fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "cover-boundary";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    if let Some(data) = file {
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"cover.png\"\r\nContent-Type: image/png\r\n\r\n")
                .as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn editors_give_an_item_a_cover_with_text_alternatives() {
    let mut app = TestApp::with_registry().await;
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let id = editor
        .publish_news(json!({ "title_uk": "Укриття в школі", "summary_uk": "Готове.", "title_en": "A school shelter",
                              "summary_en": "Ready.", "sectors": ["education"] }))
        .await;
    let csrf = editor.csrf().await;
    let upload = format!("/uk/news/{id}/cover?csrf={csrf}");
    let post = async |editor: &mut TestApp, file: Option<&[u8]>, fields: &[(&str, &str)]| {
        let (ct, body) = cover_form(file, fields);
        editor
            .request(Method::POST, &upload, Some(&ct), body, &[])
            .await
    };
    // Larger than the site-wide body limit, and larger in pixels than a cover is kept.
    let big = png(2400, 1200);
    let r = post(
        &mut editor,
        Some(&big),
        &[
            ("alt_uk", "Діти в укритті школи"),
            ("alt_en", "Children in the school shelter"),
        ],
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(r.location().ends_with("?done=cover"));
    let img = |page: &crate::harness::Response| {
        let sel = scraper::Selector::parse("img.cover").expect("sel");
        page.html().select(&sel).next().map(|i| {
            (
                i.value().attr("src").unwrap_or_default().to_string(),
                i.value().attr("alt").unwrap_or_default().to_string(),
                i.value().attr("width").unwrap_or_default().to_string(),
            )
        })
    };
    let uk = app.get(&format!("/uk/news/{id}")).await;
    let (src, alt, width) = img(&uk).expect("a cover on the page");
    assert_eq!(
        (alt.as_str(), width.as_str()),
        ("Діти в укритті школи", "1200")
    );
    let en = app.get(&format!("/en/news/{id}")).await;
    assert_eq!(img(&en).expect("cover").1, "Children in the school shelter");
    let jpeg = app.get(&src).await;
    assert_eq!(jpeg.status, StatusCode::OK);
    assert_eq!(jpeg.headers["content-type"], "image/jpeg");
    let decoded = image::load_from_memory(&jpeg.bytes).expect("decodes");
    assert_eq!((decoded.width(), decoded.height()), (1200, 600));

    // A broken image is refused with the reason; the cover stays.
    let mut broken = png(400, 300);
    broken.truncate(broken.len() / 2);
    let r = post(&mut editor, Some(&broken), &[("alt_uk", "x")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text("main").contains("JPEG, PNG чи WebP"), "{}", r.body);
    let r = post(&mut editor, Some(b"<svg onload=alert(1)>"), &[]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get(&src).await.bytes, jpeg.bytes);
    // Descriptions alone; too long a description is refused.
    let r = post(&mut editor, None, &[("alt_uk", "Укриття"), ("alt_en", "")]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        img(&app.get(&format!("/uk/news/{id}")).await)
            .expect("cover")
            .1,
        "Укриття"
    );
    assert_eq!(
        img(&app.get(&format!("/en/news/{id}")).await)
            .expect("cover")
            .1,
        ""
    );
    let long = "я".repeat(301);
    let r = post(&mut editor, None, &[("alt_uk", &long)]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Removed.
    let r = editor
        .post_form(&format!("/uk/news/{id}/cover/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(&src).await.status, StatusCode::NOT_FOUND);
    assert!(img(&app.get(&format!("/uk/news/{id}")).await).is_none());
    let r = post(&mut editor, None, &[("alt_uk", "Укриття")]).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let actions = app.audit_actions("news").await;
    assert!(
        actions.contains(&"cover".to_string()) && actions.contains(&"delete_cover".to_string()),
        "{actions:?}"
    );

    // A draft's cover is not public.
    let r = editor
        .send_json(
            Method::POST,
            "/api/v1/news",
            &json!({ "title_uk": "Чернетка", "summary_uk": "Ще ні.", "sectors": ["education"] }),
        )
        .await;
    let draft = r.json()["id"].as_i64().expect("id");
    let (ct, body) = cover_form(Some(&png(300, 200)), &[]);
    let r = editor
        .request(
            Method::POST,
            &format!("/uk/news/{draft}/cover?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        app.get(&format!("/covers/news/{draft}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        editor.get(&format!("/covers/news/{draft}")).await.status,
        StatusCode::OK
    );

    // The same through the API.
    let (ct, body) = cover_form(Some(&png(640, 480)), &[("alt_en", "A shelter")]);
    let r = editor
        .request(
            Method::PUT,
            &format!("/api/v1/news/{id}/cover"),
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["cover"]["width"], 640);
    assert_eq!(r.json()["cover"]["alt_en"], "A shelter");
    assert_eq!(
        r.json()["cover"]["url"],
        format!("http://hromada.test/covers/news/{id}")
    );
    let (ct, body) = cover_form(Some(b"GIF89a"), &[]);
    let r = editor
        .request(
            Method::PUT,
            &format!("/api/v1/news/{id}/cover"),
            Some(&ct),
            body,
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.json()["error"]["fields"][0]["field"], "cover");
    let r = editor
        .request(
            Method::DELETE,
            &format!("/api/v1/news/{id}/cover"),
            None,
            Vec::new(),
            &[("x-csrf-token", &csrf)],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert!(r.json()["cover"].is_null());
}
