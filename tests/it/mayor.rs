//! Mayors' pages: a club member's delegate edits drafts in both languages, the public sees
//! nothing until an editor publishes, English falls back to Ukrainian and says so, a later
//! edit waits for review while the published text stays; photos are resized and lose their
//! metadata; outsiders are refused. The API twins of the forms do the same.

use axum::http::{Method, StatusCode};
use hromada::identity::Role;

use crate::club_decisions::new_member;
use crate::harness::{TestApp, multipart_file};

/// A JPEG of `w`×`h` noisy pixels with an EXIF segment carrying a marker.
fn jpeg_with_exif(w: u32, h: u32) -> Vec<u8> {
    let mut seed = 7u32;
    let img = image::RgbImage::from_fn(w, h, |_, _| {
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let v = seed.to_be_bytes();
        image::Rgb([v[0], v[1], v[2]])
    });
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 95)
        .encode_image(&img)
        .expect("jpeg");
    let mut payload = b"Exif\0\0II*\0\x08\0\0\0\0\0\0\0\0\0".to_vec();
    payload.extend_from_slice(b"GPS 50.4501N 30.5234E SECRET-PLACE");
    let len = u16::try_from(payload.len() + 2).expect("len");
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&payload);
    out.extend_from_slice(&plain[2..]);
    out
}

#[tokio::test]
async fn a_delegate_edits_and_an_editor_publishes_in_both_languages() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = app.get("/api/v1/club/members").await.json()["items"][0]["person"]
        .as_i64()
        .expect("person");
    let edit = format!("/uk/people/{person}/mayor/edit");
    // The member names an existing account as delegate.
    app.create_user("aide@example.ua", Role::Partner, "").await;
    let r = mayor
        .post_form(
            "/uk/club/me/delegates",
            &[("email", "aide@example.ua"), ("name", "")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut aide = app.other_browser();
    aide.login_password("aide@example.ua").await;
    assert_eq!(
        aide.get("/uk/club/me")
            .await
            .count("a[href$='/mayor/edit']"),
        1
    );

    // Others may not edit.
    let mut outsider = app.other_browser();
    outsider.login_as(Role::Partner).await;
    assert_eq!(outsider.get(&edit).await.status, StatusCode::FORBIDDEN);
    let r = outsider
        .post_form(&edit, &[("bio_uk", "Чужий текст.")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The delegate writes drafts; a text too long comes back with the message and the text.
    let long = "я".repeat(10_001);
    let r = aide
        .post_form(&edit, &[("bio_uk", &long), ("vision_uk", "Бачення.")])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text(".errors").contains("10 000"));
    assert!(r.text("textarea#bio_uk").len() > 10_000);
    let r = aide
        .post_form(
            &edit,
            &[
                (
                    "bio_uk",
                    "Народилася у Вінниці.\r\n\r\nПрацювала вчителькою.",
                ),
                ("bio_en", "Born in Vinnytsia."),
                ("vision_uk", "Громада, де кожен має доступ до послуг."),
                ("vision_en", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let form = aide.get(&edit).await;
    assert_eq!(form.count(".state-draft"), 3);
    assert_eq!(form.count(".state-missing"), 5);
    // The delegate is not an editor: no publishing form, and publishing is refused.
    assert_eq!(form.count("form[action$='/publish']"), 0);
    let r = aide
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_bio_uk", "1")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing is public yet.
    let public = app.get(&format!("/en/people/{person}/mayor")).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.text("main").contains("not been published"));

    // The editor finds the page in the queue and publishes the drafts.
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    let queue = editor.get("/uk/mayors/review").await;
    assert!(queue.text("ul.mayor-drafts").contains("Ірина Мельник"));
    assert!(queue.text("ul.mayor-drafts").contains("3 чернетки"));
    let form = editor.get(&edit).await;
    assert_eq!(
        form.count("form[action$='/publish'] input[type=checkbox]"),
        3
    );
    let none = editor
        .post_form(&format!("/uk/people/{person}/mayor/publish"), &[])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = editor
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[
                ("pub_bio_uk", "1"),
                ("pub_bio_en", "1"),
                ("pub_vision_uk", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert!(
        editor
            .get("/uk/mayors/review")
            .await
            .text("main")
            .contains("не чекає")
    );

    // Ukrainian page: both texts, paragraphs kept.
    let uk = app.get(&format!("/uk/people/{person}/mayor")).await;
    assert_eq!(uk.count("section.bio p"), 2);
    assert!(uk.text("section.vision").contains("доступ до послуг"));
    assert!(uk.text("ul.heads").contains("Вінницька"));
    // English page: the biography in English, the vision in Ukrainian, marked and said so.
    let en = app.get(&format!("/en/people/{person}/mayor")).await;
    assert!(en.text("section.bio").contains("Born in Vinnytsia."));
    assert_eq!(en.count("section.bio .notice"), 0);
    assert!(
        en.text("section.vision .notice")
            .contains("not yet available in English")
    );
    assert!(
        en.text("section.vision div[lang=uk]")
            .contains("доступ до послуг")
    );

    // A later edit waits for review; the published text stays public meanwhile.
    aide.post_form(&edit, &[("bio_en", "Born in Vinnytsia in 1975.")])
        .await;
    let en = app.get(&format!("/en/people/{person}/mayor")).await;
    assert!(!en.text("section.bio").contains("1975"));
    let form = aide.get(&edit).await;
    assert!(form.text("details").contains("Born in Vinnytsia."));

    let actions = app.audit_actions("person").await;
    assert!(
        actions.iter().any(|a| a == "edit_mayor_page")
            && actions.iter().any(|a| a == "publish_mayor_page"),
        "{actions:?}"
    );
}

#[tokio::test]
async fn photos_are_resized_and_lose_their_metadata() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = app.get("/api/v1/club/members").await.json()["items"][0]["person"]
        .as_i64()
        .expect("person");
    let upload = format!("/uk/people/{person}/photo");
    let csrf = mayor.csrf().await;
    let with_csrf = format!("{upload}?csrf={csrf}");

    // Larger than the site-wide 1 MiB limit, as a phone's photo is.
    let original = jpeg_with_exif(1600, 1200);
    assert!(original.len() > 1024 * 1024, "{}", original.len());
    assert!(original.windows(12).any(|w| w == b"SECRET-PLACE"));
    let (ct, body) = multipart_file("me.jpg", "image/jpeg", &original);
    let r = mayor
        .request(Method::POST, &with_csrf, Some(&ct), body, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // Issue 16: the member's photo waits for an editor like the texts (this test used to see
    // it public at once).
    let mut editor = app.other_browser();
    editor.login_as(Role::Editor).await;
    // The checkbox carries the version of the photo the editor saw.
    let form = editor.get(&format!("/uk/people/{person}/mayor/edit")).await;
    let sel = scraper::Selector::parse("input[name=pub_photo]").expect("sel");
    let version = form
        .html()
        .select(&sel)
        .next()
        .and_then(|i| i.value().attr("value").map(str::to_string))
        .expect("photo checkbox");
    let r = editor
        .post_form(
            &format!("/uk/people/{person}/mayor/publish"),
            &[("pub_photo", &version)],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = app.get(&format!("/uk/people/{person}/mayor")).await;
    let sel = scraper::Selector::parse("img.portrait").expect("sel");
    let (src, width) = page
        .html()
        .select(&sel)
        .next()
        .map(|i| {
            (
                i.value().attr("src").unwrap_or_default().to_string(),
                i.value().attr("width").unwrap_or_default().to_string(),
            )
        })
        .expect("portrait");
    assert_eq!(width, "600");
    let photo = app.get(&src).await;
    assert_eq!(photo.status, StatusCode::OK);
    assert_eq!(
        photo
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/jpeg")
    );
    assert!(photo.bytes.len() < original.len() / 4);
    assert!(!photo.bytes.windows(12).any(|w| w == b"SECRET-PLACE"));
    assert!(!photo.bytes.windows(4).any(|w| w == b"Exif"));
    let decoded = image::load_from_memory(&photo.bytes).expect("decodes");
    assert_eq!((decoded.width(), decoded.height()), (600, 450));

    // Not an image: refused with the reason, the old photo stays.
    let (ct, body) = multipart_file("cv.pdf", "application/pdf", b"%PDF-1.4 not an image");
    let r = mayor
        .request(Method::POST, &with_csrf, Some(&ct), body, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text("main").contains("JPEG, PNG чи WebP"), "{}", r.body);
    assert_eq!(app.get(&src).await.status, StatusCode::OK);
    // Someone else cannot replace it.
    let mut outsider = app.other_browser();
    outsider.login_as(Role::Partner).await;
    let csrf = outsider.csrf().await;
    let (ct, body) = multipart_file("me.jpg", "image/jpeg", &jpeg_with_exif(100, 100));
    let r = outsider
        .request(
            Method::POST,
            &format!("{upload}?csrf={csrf}"),
            Some(&ct),
            body,
            &[],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // The member removes it.
    let r = mayor
        .post_form(&format!("/uk/people/{person}/photo/delete"), &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/photos/people/{person}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_person_downloads_and_erases_their_data() {
    let mut app = TestApp::with_registry().await;
    let mut mayor = new_member(&mut app, "Ірина Мельник", "iryna@example.ua").await;
    let person = app.get("/api/v1/club/members").await.json()["items"][0]["person"]
        .as_i64()
        .expect("person");
    mayor
        .post_form(
            &format!("/uk/people/{person}/mayor/edit"),
            &[("bio_uk", "Моя біографія.")],
        )
        .await;
    // The download has everything, for her alone (and admins).
    let export = mayor.get(&format!("/uk/people/{person}/export")).await;
    assert_eq!(export.status, StatusCode::OK);
    let data = export.json();
    assert_eq!(data["person"]["email"], "iryna@example.ua");
    assert_eq!(data["posts"][0]["kind"], "head");
    assert_eq!(data["mayor_page"][0]["draft"], "Моя біографія.");
    assert_eq!(data["club_applications"][0]["status"], "accepted");
    assert!(
        data["club_applications"][0]["motivation"]
            .as_str()
            .is_some_and(|m| m.contains("досвідом"))
    );
    let mut stranger = app.other_browser();
    stranger.login_as(Role::Partner).await;
    assert_eq!(
        stranger
            .get(&format!("/uk/people/{person}/export"))
            .await
            .status,
        StatusCode::FORBIDDEN
    );

    // Erasure needs a confirmation; then it removes what it says and keeps what law requires.
    let form = mayor.get(&format!("/uk/people/{person}/erase")).await;
    assert!(form.text("main").contains("посадами"));
    let r = mayor
        .post_form(&format!("/uk/people/{person}/erase"), &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let r = mayor
        .post_form(&format!("/uk/people/{person}/erase"), &[("confirm", "1")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let page = app.get(&format!("/uk/people/{person}")).await;
    assert!(page.text(".notice").contains("стерто"));
    let api = app.get(&format!("/api/v1/people/{person}")).await.json();
    assert_eq!(
        api["name_uk"], "Ірина Мельник",
        "the name stays with the posts"
    );
    assert_eq!(api["posts"][0]["kind"], "head");
    assert_eq!(app.get("/api/v1/club/members").await.json()["total"], 0);
    let data = mayor
        .get(&format!("/uk/people/{person}/export"))
        .await
        .json();
    assert_eq!(data["person"]["email"], "");
    assert_eq!(data["mayor_page"].as_array().map(Vec::len), Some(0));
    let mut committee = app.other_browser();
    committee.login_as(Role::ClubCommittee).await;
    let list = committee.get("/api/v1/club/applications").await.json();
    let application = &list["items"][0];
    assert_eq!(application["status"], "accepted", "the decision stays");
    assert!(
        application["name"]
            .as_str()
            .is_some_and(|n| n.starts_with('#'))
    );
    assert_eq!(application["motivation"], "");
    assert!(
        app.audit_actions("person")
            .await
            .iter()
            .any(|a| a == "erase")
    );
}

/// A club member's person record and a program acting for the member with an API token.
async fn member_program(app: &mut TestApp) -> (i64, TestApp) {
    new_member(app, "Ірина Мельник", "iryna@example.ua").await;
    let person = app.get("/api/v1/club/members").await.json()["items"][0]["person"]
        .as_i64()
        .expect("person");
    let user = hromada::auth::repo::find_user_by_email(&app.state.db, "iryna@example.ua")
        .await
        .expect("db")
        .expect("account");
    (person, app.token_client(user.id).await)
}

/// The state of one text on the API's view of the page.
fn state_of(page: &serde_json::Value, field: &str, lang: &str) -> String {
    page["texts"]
        .as_array()
        .and_then(|texts| {
            texts
                .iter()
                .find(|t| t["field"] == field && t["lang"] == lang)
        })
        .and_then(|t| t["state"].as_str())
        .unwrap_or_default()
        .to_string()
}

/// The API twins of the edit form, the publishing form and the photo forms: the member saves
/// drafts and uploads a photo, an editor publishes what they saw; too long a text, a name that
/// is no field and a file that is no image are named; outsiders are refused.
#[tokio::test]
async fn the_mayor_page_api_does_what_its_forms_do() {
    use serde_json::json;
    let mut app = TestApp::with_registry().await;
    let (person, mut mayor) = member_program(&mut app).await;
    let page = format!("/api/v1/people/{person}/mayor-page");
    let r = mayor.get(&page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["texts"].as_array().map(Vec::len), Some(8));
    assert_eq!(state_of(&r.json(), "bio", "uk"), "missing");

    let long = json!({ "bio_uk": "я".repeat(10_001), "vision_uk": "Бачення." });
    let r = mayor.send_json(Method::PUT, &page, &long).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["bio_uk"]);
    let drafts = json!({ "bio_uk": "Народилася у Вінниці.", "vision_en": "Services for all." });
    let r = mayor.send_json(Method::PUT, &page, &drafts).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(state_of(&r.json(), "bio", "uk"), "draft");
    assert_eq!(state_of(&r.json(), "vision", "uk"), "missing");

    let photo = format!("/api/v1/people/{person}/photo");
    let (ct, body) = multipart_file("me.jpg", "image/jpeg", &jpeg_with_exif(1600, 1200));
    let r = mayor
        .request(Method::PUT, &photo, Some(&ct), body, &[])
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["published"], false);
    assert_eq!(r.json()["width"], 600);
    let (ct, body) = multipart_file("cv.pdf", "application/pdf", b"%PDF-1.4 no image");
    let r = mayor
        .request(Method::PUT, &photo, Some(&ct), body, &[])
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["photo"]);

    // Neither the member nor an outsider publishes; an outsider does not even see the drafts.
    let publish = format!("{page}/publish");
    let r = mayor
        .send_json(Method::POST, &publish, &json!({ "texts": ["bio_uk"] }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let (mut outsider, _) = app.token_client_as(Role::Partner, "").await;
    assert_eq!(outsider.get(&page).await.status, StatusCode::FORBIDDEN);
    let r = outsider.send_json(Method::PUT, &page, &drafts).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = outsider
        .request(Method::DELETE, &photo, None, Vec::new(), &[])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // The editor publishes the drafts and the photo version they saw.
    let (mut editor, _) = app.token_client_as(Role::Editor, "").await;
    let seen = editor.get(&page).await.json();
    let version = seen["photo_waiting"].as_str().expect("waiting photo");
    let r = editor
        .send_json(
            Method::POST,
            &publish,
            &json!({ "texts": ["bio_uk", "bio_de"] }),
        )
        .await;
    assert_eq!(r.error_fields(), ["texts"]);
    let r = editor
        .send_json(Method::POST, &publish, &json!({ "texts": ["vision_uk"] }))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["publish"]);
    let r = editor
        .send_json(
            Method::POST,
            &publish,
            &json!({ "texts": ["bio_uk", "vision_en"], "photo": version }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(state_of(&r.json(), "bio", "uk"), "reviewed");
    assert!(r.json()["photo_waiting"].is_null());
    let public = app.get(&format!("/uk/people/{person}/mayor")).await;
    assert!(public.text("section.bio").contains("Народилася у Вінниці."));
    assert_eq!(public.count("img.portrait"), 1);

    // The member removes the photo; once gone, there is nothing to remove.
    let r = mayor
        .request(Method::DELETE, &photo, None, Vec::new(), &[])
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);
    let r = mayor
        .request(Method::DELETE, &photo, None, Vec::new(), &[])
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let actions = app.audit_actions("person").await;
    for expected in [
        "edit_mayor_page",
        "upload_photo",
        "publish_mayor_page",
        "delete_photo",
    ] {
        assert!(
            actions.iter().any(|a| a == expected),
            "{expected}: {actions:?}"
        );
    }
}

/// The API twin of the erasure form: only with the confirmation, only by the person (or an
/// admin); the name stays with the posts.
#[tokio::test]
async fn a_person_erases_their_data_through_the_api() {
    use serde_json::json;
    let mut app = TestApp::with_registry().await;
    let (person, mut mayor) = member_program(&mut app).await;
    let erasure = format!("/api/v1/people/{person}/erasure");
    let (mut stranger, _) = app.token_client_as(Role::Partner, "").await;
    let r = stranger
        .send_json(Method::POST, &erasure, &json!({ "confirm": true }))
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = mayor.send_json(Method::POST, &erasure, &json!({})).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.error_fields(), ["confirm"]);
    assert_eq!(app.get("/api/v1/club/members").await.json()["total"], 1);
    let r = mayor
        .send_json(Method::POST, &erasure, &json!({ "confirm": true }))
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["kept_name"], true);
    assert_eq!(app.get("/api/v1/club/members").await.json()["total"], 0);
    let api = app.get(&format!("/api/v1/people/{person}")).await.json();
    assert_eq!(api["name_uk"], "Ірина Мельник");
    let erased = app
        .audit_actions("person")
        .await
        .iter()
        .filter(|a| *a == "erase")
        .count();
    assert_eq!(erased, 1);
}
