//! An API twin for every page action (issue 17, section 3): every state-changing page route
//! names the `/api/v1` route of the table that does the same, open to every role the page is
//! open to, or says why it stays page-only. Read from `hromada::app::routes()`, so a new page
//! action without a twin fails here.

use axum::http::Method;
use hromada::identity::Role;
use hromada::web::routes::{Access, Route, Twin};

/// Page actions whose twins are still to come: (method, path). Shrinks to nothing.
const PENDING: &[(&str, &str)] = &[];

/// Who may use a route with `access`: nobody signed in (`None`), or an account with a role.
fn allows(access: Access, who: Option<Role>) -> bool {
    match (access, who) {
        (Access::Public, _) => true,
        (_, None) => false,
        (Access::SignedInAny | Access::SignedIn, Some(_)) => true,
        (Access::Roles(roles), Some(r)) => roles.contains(&r),
    }
}

fn changes(route: &Route) -> bool {
    [Method::POST, Method::PUT, Method::DELETE, Method::PATCH].contains(&route.method)
}

#[test]
fn every_page_action_has_an_api_twin_or_a_reason() {
    let table = hromada::app::routes();
    let mut problems = Vec::new();
    let mut twins = 0;
    let mut page_only = Vec::new();
    for route in table.iter().filter(|r| !r.path.starts_with("/api/")) {
        let what = format!("{} {}", route.method, route.path);
        let pending = PENDING
            .iter()
            .any(|(m, p)| *m == route.method.as_str() && *p == route.path);
        match &route.twin {
            Twin::Unset if changes(route) && !pending => {
                problems.push(format!("{what}: no API twin and no reason to be page-only"));
            }
            Twin::Unset => {}
            _ if pending => problems.push(format!("{what}: still PENDING, but it has a twin now")),
            Twin::PageOnly(reason) => {
                assert!(changes(route), "{what}: page-only, but it changes nothing");
                assert!(reason.len() > 10, "{what}: say why it is page-only");
                page_only.push(what);
            }
            Twin::Api(method, path) => {
                twins += 1;
                let Some(api) = table
                    .iter()
                    .find(|r| r.method == *method && r.path == *path)
                else {
                    problems.push(format!("{what}: its twin {method} {path} is no route"));
                    continue;
                };
                if !path.starts_with("/api/v1/") {
                    problems.push(format!("{what}: its twin {method} {path} is no API route"));
                }
                for who in std::iter::once(None).chain(Role::ALL.into_iter().map(Some)) {
                    if allows(route.access, who) && !allows(api.access, who) {
                        problems.push(format!(
                            "{what}: {who:?} may use the page but not its twin {method} {path}"
                        ));
                    }
                }
            }
        }
    }
    for (m, p) in PENDING {
        if !table
            .iter()
            .any(|r| r.method.as_str() == *m && r.path == *p)
        {
            problems.push(format!("PENDING {m} {p} is no route"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // The page-only list stays short: signing in and out, and mailed links acting in a click.
    assert!(page_only.len() <= 8, "{page_only:#?}");
    assert!(twins > 20, "{twins}");
}
