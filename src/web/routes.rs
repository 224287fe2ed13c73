//! Routes and who may use them. Every route is a [`Route`] with its [`Access`]: the router is
//! built from the routes alone (see `crate::app`), so a route cannot exist without a rule, and
//! the matrix test walks the same list for every role. The guard below checks the rule on
//! every request; scoped roles are narrowed further inside each use case.

use axum::extract::{Request, State};
use axum::handler::Handler;
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::MethodRouter;

use super::Ctx;
use crate::error::AppError;
use crate::identity::{Principal, Role};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// Any signed-in account, including staff who have not passed the second factor yet
    /// (they need these routes to pass it, or to leave).
    SignedInAny,
    /// Any signed-in account; staff only after the second factor.
    SignedIn,
    /// Accounts holding one of these roles (staff after the second factor). Scoped roles are
    /// narrowed further inside the handler's query.
    Roles(&'static [Role]),
}

pub const ADMIN: Access = Access::Roles(&[Role::Admin]);
/// Staff who manage members: admins, and coordinators within their office (checked inside).
pub const MEMBER_STAFF: Access = Access::Roles(&[Role::Admin, Role::Coordinator]);
/// The Mayors' Club's committee (admins see the applications too).
pub const CLUB_COMMITTEE: Access =
    Access::Roles(&[Role::Admin, Role::ClubCommittee, Role::ClubChair]);
/// The committee's chair alone records decisions.
pub const CLUB_CHAIR: Access = Access::Roles(&[Role::ClubChair]);
/// Section coordinators act within their section (checked inside); admins in any.
pub const SECTION_STAFF: Access = Access::Roles(&[Role::Admin, Role::SectionCoordinator]);
/// Staff of statistics campaigns: admins, and coordinators for their office (checked inside).
pub const CAMPAIGN_STAFF: Access = Access::Roles(&[Role::Admin, Role::Coordinator]);
/// Editors publish what others wrote (admins may too).
pub const EDITORS: Access = Access::Roles(&[Role::Admin, Role::Editor]);

/// A route: its method and path, who may use it, and the handler. Features list theirs in a
/// `routes()` of their own; the composition root (`crate::app`) joins the lists into the one
/// table that builds the router and that the matrix test walks.
pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
    /// Served to anonymous visitors from the page cache (`crate::web::cache`): every public
    /// `GET` route unless it says [`Route::uncached`].
    pub cached: bool,
    /// What a program uses instead of this page action (see [`Twin`]).
    pub twin: Twin,
}

/// A page action's counterpart for programs: everything a person can do on a page, a program
/// can do through `/api/v1`. The twins test (`tests/it/twins.rs`) holds every state-changing
/// page route to naming one (an API route of the table with the same use case, open to every
/// role the page is open to), or to saying why it stays page-only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Twin {
    /// Nothing said: fine for reading routes and for the API itself.
    Unset,
    /// The API route (method and path as in the table) that does the same.
    Api(Method, &'static str),
    /// Page-only, for this reason (signing a browser in, a mailed link's one click…).
    PageOnly(&'static str),
}

macro_rules! constructors {
    ($($name:ident => $method:ident),* $(,)?) => {$(
        #[doc = concat!("A `", stringify!($method), "` route.")]
        pub fn $name<H, T>(path: &'static str, access: Access, handler: H) -> Route
        where
            H: Handler<T, AppState>,
            T: 'static,
        {
            Route {
                method: Method::$method,
                path,
                access,
                handler: axum::routing::$name(handler),
                cached: Method::$method == Method::GET && access == Access::Public,
                twin: Twin::Unset,
            }
        }
    )*};
}

impl Route {
    constructors!(get => GET, post => POST, put => PUT, delete => DELETE);

    /// Keeps this public route out of the page cache: its answer depends on a secret in the
    /// address, a one-time token, or the moment (health checks).
    pub fn uncached(mut self) -> Route {
        self.cached = false;
        self
    }

    /// Names this page action's API twin: `method` and `path` of an `/api/v1` route of the
    /// table that runs the same use case.
    pub fn twin(mut self, method: Method, path: &'static str) -> Route {
        self.twin = Twin::Api(method, path);
        self
    }

    /// Marks this page action as having no API twin, for `reason`. Keep these few: signing a
    /// browser in or out, and links mailed to a person that act in one click.
    pub fn page_only(mut self, reason: &'static str) -> Route {
        self.twin = Twin::PageOnly(reason);
        self
    }

    /// Lets this route take bodies up to `bytes` (an upload larger than the site-wide limit).
    pub fn body_limit(mut self, bytes: usize) -> Route {
        self.handler = self
            .handler
            .layer(axum::extract::DefaultBodyLimit::max(bytes));
        self
    }
}

/// Decides whether `principal` may use a route with `access`.
pub fn check(access: Access, principal: Option<&Principal>) -> Result<(), AppError> {
    let signed_in = |p: Option<&Principal>| p.ok_or(AppError::LoginRequired).cloned();
    match access {
        Access::Public => Ok(()),
        Access::SignedInAny => signed_in(principal).map(|_| ()),
        Access::SignedIn => {
            let p = signed_in(principal)?;
            second_factor(&p)
        }
        Access::Roles(roles) => {
            let p = signed_in(principal)?;
            if !roles.iter().any(|r| p.has_role(*r)) {
                return Err(AppError::Forbidden);
            }
            second_factor(&p)
        }
    }
}

fn second_factor(p: &Principal) -> Result<(), AppError> {
    if p.second_factor_ok() {
        Ok(())
    } else {
        Err(AppError::SecondFactor {
            enrolled: p.user.totp_enrolled,
        })
    }
}

pub async fn guard(
    State((_, access)): State<(AppState, Access)>,
    req: Request,
    next: Next,
) -> Response {
    let principal = req
        .extensions()
        .get::<Ctx>()
        .and_then(|c| c.principal.clone());
    match check(access, principal.as_ref()) {
        Ok(()) => next.run(req).await,
        Err(e) => e.into_response(),
    }
}
