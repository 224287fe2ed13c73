//! The analysis side of statistics through HTTP: rankings with ties, aggregates with coverage,
//! values per inhabitant, series, the community and indicator pages, and that only approved
//! values reach any of them.

use axum::http::StatusCode;
use hromada::registry::Level;
use hromada::statistics::actions::{ImportFile, ImportMode};
use hromada::work::Actor;

use crate::harness::TestApp;

const VINNYTSIA: &str = "UA05020030000031457";
const VINNYTSKYI_RAION: &str = "UA05020000000026686";

async fn app_with_statistics() -> TestApp {
    let app = TestApp::with_registry().await;
    hromada::statistics::actions::ensure_loaded(&app.state.db, &Actor::system("test"))
        .await
        .expect("load");
    app
}

async fn import(app: &TestApp, csv: &str) {
    let report = hromada::statistics::actions::import_file(
        &app.state.db,
        &Actor::system("test"),
        ImportFile::Csv(std::io::Cursor::new(csv.as_bytes().to_vec())),
        ImportMode::AllOrNothing,
        "test figures",
        None,
    )
    .await
    .expect("import");
    assert_eq!(report.bad, 0, "{:?}", report.errors);
}

/// The codes, populations and count of the hromadas of Vinnytskyi raion, and one Crimean
/// hromada (no population figure exists for occupied Crimea).
async fn places(app: &TestApp) -> (Vec<(String, i64)>, usize, String) {
    let snap = hromada::registry::snapshot::current(&app.state)
        .await
        .expect("snapshot");
    let raion = snap.find(VINNYTSKYI_RAION).expect("raion");
    let hromadas: Vec<usize> = snap
        .descendants(raion)
        .into_iter()
        .filter(|&i| snap.node(i).level() == Level::Hromada)
        .collect();
    let with_population: Vec<(String, i64)> = hromadas
        .iter()
        .filter_map(|&i| Some((snap.node(i).code.clone(), snap.node(i).population?)))
        .take(7)
        .collect();
    let crimean = snap
        .at_level(Level::Hromada)
        .map(|i| snap.node(i))
        .find(|n| n.code.starts_with("UA01") && n.population.is_none())
        .expect("a Crimean hromada")
        .code
        .clone();
    (with_population, hromadas.len(), crimean)
}

#[tokio::test]
async fn rankings_share_places_on_ties_and_aggregates_state_their_coverage() {
    let mut app = app_with_statistics().await;
    let (h, in_raion, crimean) = places(&app).await;
    let [a, b, c, d, f, g] = [0, 1, 2, 3, 4, 5].map(|k| h[k].0.clone());
    let e = h[6].0.clone();
    // Nothing for 2031 yet: a clear refusal naming the period.
    let none = app
        .get("/api/v1/statistics/rankings?indicator=budget_revenue_own&period=2031")
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(none.json()["error"]["fields"][0]["field"], "period");
    // Values that are not approved exist for three more hromadas: they must never show.
    for (code, state) in [(&e, "draft"), (&f, "submitted"), (&g, "returned")] {
        hromada::db_exec!(&app.state.db, c => sqlx::query(
            "INSERT INTO stat_values (unit_code, indicator_id, period, value, state, entered_at) \
             SELECT $1, id, '2031', 999999, $2, $3 FROM stat_indicators WHERE code = 'budget_revenue_own'")
            .bind(code).bind(state).bind(hromada::clock::now()).execute(c).await)
        .expect("insert");
    }
    import(
        &app,
        &format!(
            "unit,indicator,period,value\n{a},budget_revenue_own,2031,300\n{b},budget_revenue_own,2031,500\n\
             {c},budget_revenue_own,2031,500\n{d},budget_revenue_own,2031,100\n\
             {crimean},budget_revenue_own,2031,1000\n"
        ),
    )
    .await;

    let r = app
        .get("/api/v1/statistics/rankings?indicator=budget_revenue_own&period=2031")
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let j = r.json();
    assert_eq!(
        j["total"], 5,
        "the submitted and returned values are not ranked"
    );
    let got: Vec<(String, u64, f64)> = j["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["unit"].as_str().expect("unit").to_string(),
                i["rank"].as_u64().expect("rank"),
                i["value"].as_f64().expect("value"),
            )
        })
        .collect();
    let ranks: Vec<u64> = got.iter().map(|g| g.1).collect();
    assert_eq!(ranks, [1, 2, 2, 4, 5]);
    assert_eq!(got[0].0, crimean);
    assert_eq!(got[3], (a.clone(), 4, 300.0));
    assert_eq!(got[4], (d.clone(), 5, 100.0));

    // Within the raion, ascending.
    let r = app
        .get(&format!(
            "/api/v1/statistics/rankings?indicator=budget_revenue_own&period=2031&parent={VINNYTSKYI_RAION}&order=asc"
        ))
        .await
        .json();
    let ranks: Vec<(String, u64)> = r["items"]
        .as_array()
        .expect("items")
        .iter()
        .map(|i| {
            (
                i["unit"].as_str().unwrap_or("").to_string(),
                i["rank"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    assert_eq!(ranks[0], (d.clone(), 1));
    assert_eq!(ranks[1], (a.clone(), 2));
    assert_eq!((ranks[2].1, ranks[3].1), (3, 3));

    // The raion's sum covers four of its hromadas and their share of its population.
    let agg = app
        .get("/api/v1/statistics/aggregates?indicator=budget_revenue_own&period=2031&level=raion")
        .await
        .json();
    assert_eq!(agg["rule"], "sum");
    let raion = agg["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["unit"] == VINNYTSKYI_RAION)
        .expect("the raion")
        .clone();
    assert_eq!(raion["value"], 1400.0);
    assert_eq!(raion["covered"], 4);
    assert_eq!(raion["expected"].as_u64(), Some(in_raion as u64));
    let covered: i64 = h[..4].iter().map(|x| x.1).sum();
    assert_eq!(raion["population_covered"].as_i64(), Some(covered));
    let share = raion["population_share"].as_f64().expect("share");
    let total = raion["population_total"].as_f64().expect("total");
    assert!((share - covered as f64 / total).abs() < 1e-12);
    // Crimea's hromada counts for its oblast, though no population figure exists there.
    let oblasts = app
        .get("/api/v1/statistics/aggregates?indicator=budget_revenue_own&period=2031")
        .await
        .json();
    let crimea = oblasts["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["unit"].as_str().is_some_and(|u| u.starts_with("UA01")))
        .expect("Crimea")
        .clone();
    assert_eq!(
        (crimea["value"].as_f64(), crimea["covered"].as_u64()),
        (Some(1000.0), Some(1))
    );
    assert_eq!(crimea["population_share"], serde_json::Value::Null);

    // Per inhabitant: divided by the population of 2022 (the latest before 2031); the Crimean
    // hromada has none and drops out rather than counting as zero.
    let pc = app
        .get("/api/v1/statistics/rankings?indicator=budget_revenue_own&period=2031&measure=per_capita")
        .await
        .json();
    assert_eq!(pc["total"], 4);
    let b_row = pc["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["unit"] == b.as_str())
        .expect("b")
        .clone();
    let b_pop = h[1].1 as f64;
    assert!((b_row["value"].as_f64().expect("v") - 500.0 / b_pop).abs() < 1e-12);
    // Area is not shown per inhabitant.
    let refused = app
        .get("/api/v1/statistics/rankings?indicator=area_km2&measure=per_capita")
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["fields"][0]["field"], "measure");

    // Series: every period, null where a unit has none; the unapproved value stays hidden.
    let s = app
        .get(&format!(
            "/api/v1/statistics/series?indicator=budget_revenue_own&units={a},{f}"
        ))
        .await
        .json();
    let periods: Vec<&str> = s["periods"]
        .as_array()
        .expect("periods")
        .iter()
        .filter_map(|p| p.as_str())
        .collect();
    let at = periods.iter().position(|p| *p == "2031").expect("2031");
    assert_eq!(s["series"][0]["values"][at], 300.0);
    assert_eq!(s["series"][1]["values"][at], serde_json::Value::Null);

    // Nor in the export, nor on the community's page.
    let export = app
        .get("/api/v1/values/export?indicators=budget_revenue_own&periods=2031&format=json")
        .await
        .json();
    assert_eq!(export["total"], 5);
    let page = app.get(&format!("/uk/units/{f}/statistics")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        !page.body.contains("999\u{a0}999"),
        "an unapproved value is shown"
    );
    assert!(!page.text("#i-budget_revenue_own").contains("2031"));
}

#[tokio::test]
async fn bad_questions_get_named_fields_in_the_users_language() {
    let mut app = app_with_statistics().await;
    let r = app
        .request(
            axum::http::Method::GET,
            "/api/v1/statistics/rankings?indicator=nope&level=planet&order=sideways&band=huge&limit=0",
            None,
            Vec::new(),
            &[("accept-language", "uk")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = r.json()["error"]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .map(|f| f["field"].as_str().unwrap_or("").to_string())
        .collect();
    for f in ["indicator", "level", "order", "band", "limit"] {
        assert!(
            fields.contains(&f.to_string()),
            "{f} missing from {fields:?}"
        );
    }
    assert!(r.body.contains("Порядок: desc або asc"), "{}", r.body);
    let missing = app
        .get("/api/v1/statistics/series?indicator=population_total")
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.json()["error"]["fields"][0]["field"], "units");
    let page = app
        .get("/en/statistics/indicators/budget_revenue_own?order=sideways")
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("The order is desc or asc"));
    assert_eq!(
        app.get("/uk/statistics/indicators/nope").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("/uk/units/UA99999999999999999/statistics")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn vinnytska_shows_its_revenues_with_places_among_all_and_among_peers() {
    let mut app = app_with_statistics().await;
    let ranking = app
        .get("/api/v1/statistics/rankings?indicator=budget_revenue_total&limit=2000")
        .await
        .json();
    let period = ranking["period"].as_str().expect("period").to_string();
    assert_eq!(period, "2023");
    let total = ranking["total"].as_u64().expect("total");
    assert!(total > 1_400, "{total}");
    let mine = ranking["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["unit"] == VINNYTSIA)
        .expect("Vinnytska ranked")
        .clone();
    let rank = mine["rank"].as_u64().expect("rank");
    let peers = app
        .get("/api/v1/statistics/rankings?indicator=budget_revenue_total&kind=urban&band=250k%2B&limit=2000")
        .await
        .json();
    let peer_rank = peers["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["unit"] == VINNYTSIA)
        .expect("among its peers")["rank"]
        .as_u64()
        .expect("rank");

    let page = app.get(&format!("/uk/units/{VINNYTSIA}/statistics")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());
    let row = "#i-budget_revenue_total";
    assert!(page.text(row).contains("Доходи бюджету, усього"));
    assert_eq!(
        page.text(&format!("{row} .rank-all")),
        format!("{} з {}", rank, group(total))
    );
    assert!(
        page.text(&format!("{row} .rank-peers"))
            .starts_with(&format!("{peer_rank} з "))
    );
    assert!(
        page.text("#peers-text")
            .starts_with("Міські громади з населенням 250 тис. осіб і більше"),
        "{}",
        page.text("#peers-text")
    );
    assert!(
        page.text(&format!("{row} .per-capita")).contains(','),
        "per inhabitant, two decimals"
    );
    assert!(page.text(row).contains("2023*"), "2023 is part of the year");
    assert_eq!(
        page.count("svg.spark"),
        page.count("#community-values tbody tr")
    );
    // The same oblast narrows the peers and says so.
    let narrowed = app
        .get(&format!("/uk/units/{VINNYTSIA}/statistics?oblast=1"))
        .await;
    assert!(narrowed.text("#peers-text").contains("Вінницька область"));
    let csv = app
        .get(&format!("/en/units/{VINNYTSIA}/statistics?format=csv"))
        .await;
    assert!(csv.body.contains("indicator,name,measure,period,value"));
    assert!(
        csv.body
            .contains("budget_revenue_total,\"Budget revenue, total\""),
        "{}",
        csv.body
    );
    let en = app.get(&format!("/en/units/{VINNYTSIA}/statistics")).await;
    assert!(
        en.text("#peers-text")
            .starts_with("Urban hromadas of 250 thousand people or more")
    );

    // The oblast's page adds its hromadas up, with coverage.
    let oblast = app.get("/uk/units/UA05000000000010236/statistics").await;
    assert_eq!(oblast.status, StatusCode::OK);
    let line = oblast.text("#area-values #i-budget_revenue_total");
    assert!(line.contains("сума"), "{line}");
    assert!(line.contains("63 / 63"), "{line}");
}

/// A number with thin grouping, as the Ukrainian pages write it.
fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{a0}');
        }
        out.push(c);
    }
    out
}

#[tokio::test]
async fn the_indicator_page_ranks_maps_and_adds_up_own_revenues_per_capita() {
    let mut app = app_with_statistics().await;
    let path = "/uk/statistics/indicators/budget_revenue_own?measure=per_capita";
    let page = app.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.len() < 100_000, "{} bytes", page.body.len());
    assert_eq!(page.count("#ranking tbody tr"), 50);
    assert!(page.count("#aggregates tbody tr") >= 25);
    assert_eq!(page.count("#map img"), 1);
    assert_eq!(page.count(".legend li"), 6);
    assert!(page.count("#distribution svg rect") > 5);
    // The first place holds the largest value per inhabitant, as the API says.
    let api = app
        .get("/api/v1/statistics/rankings?indicator=budget_revenue_own&measure=per_capita&limit=1")
        .await
        .json();
    let first = api["items"][0]["name_uk"]
        .as_str()
        .expect("name")
        .to_string();
    let ranked = api["total"].as_u64().expect("total");
    assert!(ranked > 1_400, "{ranked}");
    assert!(
        page.text("#ranking-title")
            .ends_with(&format!(": {ranked}")),
        "{}",
        page.text("#ranking-title")
    );
    assert!(page.text("#ranking tbody tr:first-child").contains(&first));
    // The map is an SVG document with a shape per hromada, named.
    let map = app
        .get("/uk/statistics/indicators/budget_revenue_own/map.svg?measure=per_capita")
        .await;
    assert_eq!(map.status, StatusCode::OK);
    assert!(
        map.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("image/svg+xml")
    );
    assert!(map.body.matches("<path fill=").count() > 1_400);
    assert!(map.body.contains("Вінницька: "));
    // Filters narrow the ranking and keep the map and downloads in step.
    let rural = app
        .get("/uk/statistics/indicators/budget_revenue_own?measure=per_capita&kind=rural&band=5k-10k&oblast=UA05000000000010236&agg=raion")
        .await;
    assert_eq!(rural.status, StatusCode::OK);
    let n = rural.count("#ranking tbody tr");
    assert!(n > 0 && n < 50, "{n}");
    assert!(
        rural.body.replace("&#38;", "&").contains(
            "map.svg?measure=per_capita&oblast=UA05000000000010236&kind=rural&band=5k-10k"
        ),
        "the map keeps the selection: {}",
        rural
            .body
            .split("map.svg?")
            .nth(1)
            .unwrap_or("")
            .chars()
            .take(160)
            .collect::<String>()
    );
    assert_eq!(
        rural.count("#aggregates tbody tr"),
        6,
        "the oblast's six raions"
    );
    // One oblast's map stands in the page: its 63 hromadas, named.
    assert_eq!(rural.count("#map img"), 0);
    assert_eq!(rural.count("#map svg path[fill]"), 63);
    assert!(rural.body.len() < 100_000, "{} bytes", rural.body.len());
    let csv = app
        .get("/uk/statistics/indicators/budget_revenue_own?measure=per_capita&kind=rural&band=5k-10k&oblast=UA05000000000010236&format=csv")
        .await;
    assert_eq!(csv.body.trim_end().lines().count(), n + 1);
    let agg = app
        .get("/en/statistics/indicators/budget_revenue_own?table=aggregates&format=json")
        .await
        .json();
    assert!(agg["total"].as_u64().is_some_and(|t| t >= 25));
    let hist = app
        .get("/en/statistics/indicators/budget_revenue_own/histogram.svg")
        .await;
    assert!(hist.body.starts_with("<svg xmlns="));
}

#[tokio::test]
async fn communities_compare_by_name_or_code_in_a_table_and_a_chart() {
    let mut app = app_with_statistics().await;
    let q = "units=Вінницька,%20UA05020010000053508&indicators=budget_revenue_own&indicators=population_total&measure=per_capita";
    let page = app.get(&format!("/uk/statistics/compare?{q}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.len() < 100_000);
    assert!(
        page.text("#compare-found")
            .contains("Вінницька міська громада"),
        "{}",
        page.text("#compare-found")
    );
    assert_eq!(page.count("#c-budget_revenue_own tbody tr"), 2);
    assert_eq!(page.count("#c-population_total tbody tr"), 2);
    assert!(
        page.text("#h-budget_revenue_own")
            .contains("На одного мешканця")
    );
    assert_eq!(
        page.count("section svg.chart polyline"),
        2,
        "one line per community with two or more periods"
    );
    let chart = app
        .get(&format!(
            "/uk/statistics/compare?{q}&chart=budget_revenue_own"
        ))
        .await;
    assert!(
        chart.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("image/svg+xml")
    );
    let json = app
        .get(&format!("/en/statistics/compare?{q}&format=json"))
        .await
        .json();
    let rows = json["items"].as_array().expect("items");
    assert!(rows.iter().any(|r| r["unit"] == VINNYTSIA
        && r["period"] == "2022"
        && r["indicator"] == "population_total"
        && r["value"] == 387_439.0));
    let unknown = app
        .get("/en/statistics/compare?units=Atlantis&indicators=population_total")
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body.contains("No community has this name or code."));
}

#[tokio::test]
async fn releases_are_immutable_versions_and_the_catalogue_describes_them() {
    let mut app = app_with_statistics().await;
    app.login_as(hromada::identity::Role::Admin).await;
    let publish = |note: &str| serde_json::json!({ "dataset": "budget_revenues", "period": "2022", "note": note });
    let first = app
        .send_json(axum::http::Method::POST, "/api/v1/releases", &publish(""))
        .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    let v1 = first.json();
    assert_eq!(v1["version"], 1);
    let count = v1["value_count"].as_i64().expect("count");
    assert!(count > 20_000, "{count}");
    // The same again: a note is asked for, and with one, nothing changed is refused.
    let again = app
        .send_json(axum::http::Method::POST, "/api/v1/releases", &publish(""))
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(again.json()["error"]["fields"][0]["field"], "note");
    let same = app
        .send_json(
            axum::http::Method::POST,
            "/api/v1/releases",
            &publish("нічого"),
        )
        .await;
    assert_eq!(same.status, StatusCode::CONFLICT);
    // A correction, then version 2; version 1 keeps the old figure.
    let old = app
        .get(&format!(
            "/api/v1/values?indicator=budget_revenue_own&unit={VINNYTSIA}&period=2022"
        ))
        .await
        .json()["items"][0]["value"]
        .as_f64()
        .expect("value");
    import(
        &app,
        &format!(
            "unit,indicator,period,value\n{VINNYTSIA},budget_revenue_own,2022,{}\n",
            old - 1.0
        ),
    )
    .await;
    let second = app
        .send_json(
            axum::http::Method::POST,
            "/api/v1/releases",
            &publish("Виправлено власні доходи Вінницької громади"),
        )
        .await;
    assert_eq!(second.status, StatusCode::CREATED, "{}", second.body);
    assert_eq!(second.json()["version"], 2);
    let value_in = |j: &serde_json::Value| {
        j["values"]
            .as_array()
            .expect("values")
            .iter()
            .find(|v| v["unit"] == VINNYTSIA && v["indicator"] == "budget_revenue_own")
            .and_then(|v| v["value"].as_f64())
    };
    let anonymous = app.other_browser();
    let mut anonymous = anonymous;
    let r1 = anonymous
        .get("/api/v1/releases/budget_revenues/2022/1")
        .await
        .json();
    let r2 = anonymous
        .get("/api/v1/releases/budget_revenues/2022/2")
        .await
        .json();
    assert_eq!(value_in(&r1), Some(old));
    assert_eq!(value_in(&r2), Some(old - 1.0));
    assert_eq!(r2["note"], "Виправлено власні доходи Вінницької громади");
    let csv = anonymous
        .get("/api/v1/releases/budget_revenues/2022/1?format=csv")
        .await;
    assert_eq!(csv.body.trim_end().lines().count() as i64, count + 1);
    assert_eq!(
        anonymous
            .get("/api/v1/releases/budget_revenues/2022/3")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The database itself refuses to change a release.
    for sql in [
        "UPDATE stat_release_values SET value = 0",
        "DELETE FROM stat_release_values",
        "UPDATE stat_releases SET note = 'changed'",
        "DELETE FROM stat_releases",
    ] {
        let tried = hromada::db_exec!(&app.state.db, c => sqlx::query(sql).execute(c).await);
        assert!(
            tried.is_err_and(|e| e.to_string().contains("a release never changes")),
            "{sql}"
        );
    }
    let page = anonymous.get("/uk/statistics/releases").await;
    assert_eq!(page.count("#releases tbody tr"), 2);

    // The catalogue: one data set released, its period, both languages, three files.
    let cat = anonymous.get("/api/v1/catalog").await;
    assert!(
        cat.headers["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("application/ld+json")
    );
    let c = cat.json();
    assert_eq!(c["@type"], "dcat:Catalog");
    assert_eq!(c["@context"]["dcat"], "http://www.w3.org/ns/dcat#");
    let sets = c["dcat:dataset"].as_array().expect("datasets");
    assert_eq!(sets.len(), 1);
    let set = &sets[0];
    assert_eq!(set["dct:identifier"], "budget_revenues");
    assert_eq!(set["dct:title"][0]["@language"], "uk");
    assert_eq!(set["dct:title"][1]["@language"], "en");
    assert_eq!(
        set["dct:temporal"]["dcat:startDate"]["@value"],
        "2022-01-01"
    );
    assert_eq!(set["dct:temporal"]["dcat:endDate"]["@value"], "2022-12-31");
    let files = set["dcat:distribution"].as_array().expect("files");
    assert_eq!(files.len(), 3, "the latest version's three formats");
    assert!(files.iter().all(|f| {
        f["dcat:downloadURL"]["@id"]
            .as_str()
            .is_some_and(|u| u.contains("/2022/2?format="))
    }));
    assert_eq!(
        set["dct:license"]["@id"],
        "https://creativecommons.org/licenses/by/4.0/"
    );
}

#[tokio::test]
async fn shares_add_up_as_population_weighted_means_and_new_shipped_indicators_arrive_later() {
    let mut app = app_with_statistics().await;
    let agg = |j: &serde_json::Value, unit: &str| {
        j["items"]
            .as_array()
            .expect("items")
            .iter()
            .find(|i| i["unit"] == unit)
            .and_then(|i| i["value"].as_f64())
            .expect("aggregate")
    };
    let oblast = "UA05000000000010236";
    let share = app
        .get("/api/v1/statistics/aggregates?indicator=urban_share&period=2022")
        .await
        .json();
    assert_eq!(share["rule"], "weighted_mean:population_total");
    let urban = app
        .get("/api/v1/statistics/aggregates?indicator=population_urban&period=2022")
        .await
        .json();
    let total = app
        .get("/api/v1/statistics/aggregates?indicator=population_total&period=2022")
        .await
        .json();
    // The weighted mean of the hromadas' shares is the oblast's urban population over its
    // population (up to the shares' rounding to hundredths of a percent).
    let expected = agg(&urban, oblast) / agg(&total, oblast) * 100.0;
    assert!(
        (agg(&share, oblast) - expected).abs() < 0.01,
        "{} vs {expected}",
        agg(&share, oblast)
    );
    let page = app.get("/uk/statistics/indicators/urban_share").await;
    assert!(
        page.text("#aggregates-title")
            .contains("середнє, зважене за показником «Наявне населення»")
    );

    // A database from before the indicator existed gets it, with its values, on the next start.
    for sql in [
        "DELETE FROM stat_value_changes WHERE value_id IN (SELECT v.id FROM stat_values v JOIN stat_indicators i ON i.id = v.indicator_id WHERE i.code = 'urban_share')",
        "DELETE FROM stat_values WHERE indicator_id IN (SELECT id FROM stat_indicators WHERE code = 'urban_share')",
        "DELETE FROM stat_dataset_items WHERE indicator_id IN (SELECT id FROM stat_indicators WHERE code = 'urban_share')",
        "DELETE FROM stat_indicators WHERE code = 'urban_share'",
    ] {
        hromada::db_exec!(&app.state.db, c => sqlx::query(sql).execute(c).await).expect("delete");
    }
    let actor = Actor::system("test");
    assert!(
        hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
            .await
            .expect("load")
    );
    assert!(
        !hromada::statistics::actions::ensure_loaded(&app.state.db, &actor)
            .await
            .expect("again")
    );
    let back = app
        .get("/api/v1/statistics/aggregates?indicator=urban_share&period=2022")
        .await
        .json();
    assert!((agg(&back, oblast) - expected).abs() < 0.01);
}

#[tokio::test]
async fn the_demo_publishes_real_releases_once_and_the_catalogue_lists_them() {
    let mut app = app_with_statistics().await;
    hromada::demo::seed_releases(&app.state)
        .await
        .expect("seed");
    hromada::demo::seed_releases(&app.state)
        .await
        .expect("again: nothing to do");
    let list = app.get("/api/v1/releases").await.json();
    assert_eq!(list["total"], 3);
    let catalog = app.get("/api/v1/catalog").await.json();
    let sets = catalog["dcat:dataset"].as_array().expect("datasets");
    assert_eq!(sets.len(), 2);
    let budgets = sets
        .iter()
        .find(|d| d["dct:identifier"] == "budget_revenues")
        .expect("budgets");
    assert_eq!(
        budgets["dct:temporal"]["dcat:startDate"]["@value"],
        "2021-01-01"
    );
    assert_eq!(
        budgets["dct:temporal"]["dcat:endDate"]["@value"],
        "2022-12-31"
    );
    assert_eq!(
        budgets["dcat:distribution"].as_array().map(Vec::len),
        Some(6)
    );
}
