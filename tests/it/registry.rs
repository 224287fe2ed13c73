//! The registry: the shipped codifier loads with the published counts, and a newer edition is
//! previewed and applied through the command line with its history kept.

use hromada::db::Db;
use hromada::on_db;
use hromada::registry::{actions, data, repo};
use hromada::work::Actor;

use axum::http::StatusCode;

use crate::harness::{TestApp, fresh_db_with_url, hromada, ok, test_settings};

async fn scalar(db: &Db, sql: &'static str) -> i64 {
    on_db!(db, c => sqlx::query_scalar(sql).fetch_one(c).await).expect("query")
}

async fn text(db: &Db, sql: &'static str, code: &str) -> Option<String> {
    on_db!(db, c => sqlx::query_scalar(sql).bind(code).fetch_optional(c).await).expect("query")
}

#[tokio::test]
async fn the_shipped_codifier_loads_once_with_the_published_counts() {
    let (db, _url, _dir) = fresh_db_with_url().await;
    assert!(
        actions::ensure_loaded(&db, &Actor::system("test"))
            .await
            .expect("load")
    );
    let counts: Vec<(String, i64)> = repo::counts_by_category(&db).await.expect("counts");
    assert_eq!(
        counts,
        [
            ("B".to_string(), 108),
            ("C".into(), 27_237),
            ("H".into(), 1772),
            ("K".into(), 2),
            ("M".into(), 461),
            ("O".into(), 25),
            ("P".into(), 136),
            ("X".into(), 2007),
        ]
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM units WHERE parent_code = code").await,
        0
    );
    // Kyiv's districts hang from Kyiv; Kyiv from nothing.
    assert_eq!(
        text(
            &db,
            "SELECT parent_code FROM units WHERE code = $1",
            "UA80000000000126643"
        )
        .await,
        Some("UA80000000000093317".into())
    );
    // Names trimmed, the apostrophe as the codifier writes it, English by transliteration.
    assert_eq!(
        text(
            &db,
            "SELECT name_uk FROM units WHERE code = $1",
            "UA32000000010085013"
        )
        .await,
        Some("Прип’ять".into())
    );
    assert_eq!(
        text(
            &db,
            "SELECT name_en FROM units WHERE code = $1",
            "UA32000000010085013"
        )
        .await,
        Some("Prypiat".into())
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM units WHERE name_uk <> TRIM(name_uk)"
        )
        .await,
        0
    );
    // The baseline edition lists no changes; a second start loads nothing.
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM unit_changes").await, 0);
    assert!(
        !actions::ensure_loaded(&db, &Actor::system("test"))
            .await
            .expect("again")
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM registry_editions").await,
        1
    );
}

/// The shipped codifier with a few edits, as a newer edition might bring.
pub fn edited_codifier() -> String {
    let original = String::from_utf8(data::codifier().expect("gzip")).expect("utf-8");
    let mut lines: Vec<String> = original.split("\r\n").map(str::to_string).collect();
    let find = |needle: &str| -> usize {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} not in the codifier"))
    };
    let renamed = find(";UA05020030000031457;;;H;");
    let village = find("UA05020030010063857");
    let removed = find("UA05020030030083783");
    // Renamed hromada.
    lines[renamed] = lines[renamed].replace(";H;Вінницька", ";H;Вінницька Нова");
    // A village gets a new code (same name, same oblast).
    lines[village] = lines[village].replace("UA05020030010063857", "UA05020030099999991");
    // A village removed; a new one added.
    let gone = lines.remove(removed);
    let added = gone
        .replace("UA05020030030083783", "UA05020030088888881")
        .rsplit_once(';')
        .map(|(head, _)| format!("{head};Новенька"))
        .expect("row");
    lines.insert(removed, added);
    lines.join("\r\n")
}

#[tokio::test]
async fn a_newer_edition_is_previewed_then_applied_with_history() {
    let (db, url, _dir) = fresh_db_with_url().await;
    actions::ensure_loaded(&db, &Actor::system("test"))
        .await
        .expect("load");
    let work = tempfile::tempdir().expect("tempdir");
    let file = work.path().join("kodifikator-01-01-2026.csv");
    std::fs::write(&file, edited_codifier()).expect("write");
    let path = file.to_str().expect("path");

    // Without a terminal and without --yes it shows the changes and applies nothing.
    let out = hromada(&url, &["registry", "import", path]);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("renamed  UA05020030000031457 Вінницька → Вінницька Нова"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 added, 1 renamed, 0 moved, 2 removed (1 of them under a new code)"),
        "{stdout}"
    );
    assert_eq!(
        scalar(&db, "SELECT COUNT(*) FROM registry_editions").await,
        1
    );

    let stdout = ok(hromada(&url, &["registry", "import", path, "--yes"]));
    assert!(stdout.contains("applied as edition"), "{stdout}");
    assert_eq!(
        text(
            &db,
            "SELECT name_en FROM units WHERE code = $1",
            "UA05020030000031457"
        )
        .await,
        Some("Vinnytska Nova".into())
    );
    assert_eq!(
        text(
            &db,
            "SELECT old_name_uk FROM unit_changes WHERE code = $1 AND change = 'renamed'",
            "UA05020030000031457"
        )
        .await,
        Some("Вінницька".into())
    );
    // The old code still finds its unit; the removed village is kept, marked removed.
    assert_eq!(
        text(
            &db,
            "SELECT code FROM unit_aliases WHERE old_code = $1",
            "UA05020030010063857"
        )
        .await,
        Some("UA05020030099999991".into())
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM units WHERE removed_edition_id IS NOT NULL"
        )
        .await,
        2
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM units WHERE removed_edition_id IS NULL AND category = 'C'"
        )
        .await,
        27_237
    );
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'registry_edition'"
        )
        .await,
        2
    );

    // The same file again is refused.
    let out = hromada(&url, &["registry", "import", path, "--yes"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("already loaded"));

    // The pages follow: the old code redirects, the renaming is in the unit's history, the
    // removed village says when it went, and the API answers an old code with its unit.
    let mut app = TestApp::on(db.clone(), test_settings(), None);
    let moved = app.get("/uk/units/UA05020030010063857").await;
    assert_eq!(moved.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(moved.location(), "/uk/units/UA05020030099999991");
    let page = app.get("/uk/units/UA05020030099999991").await;
    assert!(page.text("#history + ul").contains("UA05020030010063857"));
    let page = app.get("/uk/units/UA05020030000031457").await;
    assert_eq!(page.text("h1"), "Вінницька Нова міська громада");
    let history = page.text("#history + ul");
    assert!(
        history.contains("перейменовано з «Вінницька» на «Вінницька Нова»"),
        "{history}"
    );
    let gone = app.get("/en/units/UA05020030030083783").await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert!(
        gone.text(".errors")
            .contains("was removed from the codifier by the edition of 2026-01-01")
    );
    let api = app.get("/api/v1/units/UA05020030010063857").await.json();
    assert_eq!(api["code"], "UA05020030099999991");
    assert_eq!(api["former_codes"][0], "UA05020030010063857");
    let about = app.get("/en/about/data").await;
    assert!(
        about
            .text("#editions + ul")
            .contains("Edition of 2026-01-01")
    );
}

#[tokio::test]
async fn a_bad_edition_is_refused_with_every_bad_row() {
    let (db, url, _dir) = fresh_db_with_url().await;
    let work = tempfile::tempdir().expect("tempdir");
    let file = work.path().join("broken.csv");
    std::fs::write(
        &file,
        "h;h;h;h;h;h;h\nUA05000000000010236;;;;;O;Вінницька\nUA0500;;;;;O;Зла\nUA05000000000010237;;;;;Z;Інша\n",
    )
    .expect("write");
    let out = hromada(
        &url,
        &[
            "registry",
            "import",
            file.to_str().expect("path"),
            "--edition",
            "2026-01-01",
            "--yes",
        ],
    );
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 3") && stderr.contains("line 4"),
        "{stderr}"
    );
    assert_eq!(scalar(&db, "SELECT COUNT(*) FROM units").await, 0);
    // A file whose name carries no date needs --edition.
    let out = hromada(&url, &["registry", "import", file.to_str().expect("path")]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--edition"));
}

#[tokio::test]
async fn statuses_import_from_the_command_line_all_or_nothing() {
    let (db, url, _dir) = fresh_db_with_url().await;
    actions::ensure_loaded(&db, &Actor::system("test"))
        .await
        .expect("load");
    let work = tempfile::tempdir().expect("tempdir");
    let file = work.path().join("statuses.csv");
    std::fs::write(
        &file,
        "code,status,since,note\nUA14000000000091971,frontline,2022-02-24,\n\
         UA99999999999999999,rear,2022-03-01,\n",
    )
    .expect("write");
    let path = file.to_str().expect("path");
    let out = hromada(&url, &["registry", "statuses", path]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("line 3: no unit has the code UA99999999999999999"),
        "{stderr}"
    );
    let count = "SELECT COUNT(*) FROM unit_statuses";
    // Only the two shipped ones (Crimea, Sevastopol).
    assert_eq!(scalar(&db, count).await, 2);

    std::fs::write(
        &file,
        "code;status;since;note\nUA14000000000091971;frontline;2022-02-24;\n\
         UA65000000000030969;deoccupied;2022-11-11;Херсон\n",
    )
    .expect("write");
    let stdout = ok(hromada(&url, &["registry", "statuses", path]));
    assert!(stdout.contains("recorded 2 statuses"), "{stdout}");
    assert_eq!(scalar(&db, count).await, 4);
    assert_eq!(
        text(
            &db,
            "SELECT status FROM unit_statuses WHERE code = $1",
            "UA65000000000030969"
        )
        .await,
        Some("deoccupied".into())
    );
}
