//! Municipal statistics: the shipped real data (population, area, settlements, budget revenues
//! 2021–2023) load once as approved values with their sources and history, and show on the
//! registry's unit pages in both languages.

use axum::http::StatusCode;

use crate::harness::TestApp;

async fn count(app: &TestApp, sql: &'static str) -> i64 {
    hromada::on_db!(&app.state.db, c => sqlx::query_scalar(sql).fetch_one(c).await).expect("count")
}

#[tokio::test]
async fn the_real_data_load_once_and_show_for_vinnytsia_with_sources() {
    let mut app = TestApp::with_registry().await;
    let actor = hromada::auth::Actor::system("test");
    let started = std::time::Instant::now();
    assert!(
        hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
            .await
            .expect("load")
    );
    eprintln!("statistics loaded in {:?}", started.elapsed());
    assert!(
        !hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
            .await
            .expect("second load"),
        "loading twice changes nothing"
    );
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM stat_indicators").await,
        21
    );
    let values = count(&app, "SELECT COUNT(*) FROM stat_values").await;
    assert!(values > 4407 * 17, "{values}");
    assert_eq!(
        count(&app, "SELECT COUNT(*) FROM stat_value_changes").await,
        values,
        "every value has its first change on record"
    );
    assert_eq!(
        count(
            &app,
            "SELECT COUNT(*) FROM stat_values WHERE state <> 'approved'"
        )
        .await,
        0
    );

    let uk = app.get("/uk/units/UA05020030000031457").await;
    assert_eq!(uk.status, StatusCode::OK);
    let table = uk.text("table.stats-table");
    for expected in [
        "Наявне населення",
        "387\u{a0}439",
        "Кількість населених пунктів",
        "Доходи бюджету, усього",
        "5\u{a0}735\u{a0}142\u{a0}140,24",
        "2023*",
        "ПДФО з грошового забезпечення військовослужбовців",
        "Держстат",
        "OpenBudget",
    ] {
        assert!(table.contains(expected), "{expected:?} in {table}");
    }
    assert!(uk.text("main").contains("Лише частина року"));
    let en = app.get("/en/units/UA05020030000031457").await;
    let table = en.text("table.stats-table");
    for expected in [
        "Present population",
        "387,439",
        "Budget revenue, total",
        "5,735,142,140.24",
        "State Statistics Service of Ukraine",
    ] {
        assert!(table.contains(expected), "{expected:?} in {table}");
    }
    let mut admin = app.other_browser();
    admin.login_as(hromada::auth::Role::Admin).await;
    let log = admin.get("/uk/admin/audit?entity=statistics").await;
    assert!(log.body.contains("shipped"), "{}", log.body);
}
