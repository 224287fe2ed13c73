//! Every route and who may use it: the permission matrix in one place. The router is built
//! from this table only, so a route cannot exist without a rule, and the matrix test walks the
//! same table for every role.

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, delete, get, post, put};

use super::{AppState, Ctx, api, home, ops};
use crate::auth::{Principal, Role};
use crate::error::AppError;
use crate::{
    audit, auth, club, digest, mail, members, news, people, registry, sections, statistics,
};

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

pub struct Route {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub handler: MethodRouter<AppState>,
}

pub fn r(
    method: Method,
    path: &'static str,
    access: Access,
    handler: MethodRouter<AppState>,
) -> Route {
    Route {
        method,
        path,
        access,
        handler,
    }
}

pub fn table() -> Vec<Route> {
    use Access::*;
    use Method as M;
    let mut table = vec![
        // site
        r(M::GET, "/", Public, get(home::root)),
        r(M::GET, "/{lang}", Public, get(home::lang_root)),
        r(M::GET, "/{lang}/", Public, get(home::home)),
        r(M::GET, "/static/style.css", Public, get(ops::stylesheet)),
        r(M::GET, "/healthz", Public, get(ops::healthz)),
        r(M::GET, "/metrics", Public, get(ops::metrics)),
        // accounts
        r(
            M::GET,
            "/{lang}/login",
            Public,
            get(auth::pages::login_form),
        ),
        r(M::POST, "/{lang}/login", Public, post(auth::pages::login)),
        r(
            M::GET,
            "/{lang}/login/2fa",
            SignedInAny,
            get(auth::pages::second_factor_form),
        ),
        r(
            M::POST,
            "/{lang}/login/2fa",
            SignedInAny,
            post(auth::pages::second_factor),
        ),
        r(
            M::POST,
            "/{lang}/logout",
            SignedInAny,
            post(auth::pages::logout),
        ),
        r(
            M::GET,
            "/{lang}/password/forgot",
            Public,
            get(auth::pages::forgot_form),
        ),
        r(
            M::POST,
            "/{lang}/password/forgot",
            Public,
            post(auth::pages::forgot),
        ),
        r(
            M::GET,
            "/{lang}/password/reset",
            Public,
            get(auth::pages::reset_form),
        ),
        r(
            M::POST,
            "/{lang}/password/reset",
            Public,
            post(auth::pages::reset),
        ),
        r(
            M::GET,
            "/{lang}/verify-email",
            Public,
            get(auth::pages::verify_email),
        ),
        r(
            M::GET,
            "/{lang}/account",
            SignedIn,
            get(auth::pages::account),
        ),
        r(
            M::POST,
            "/{lang}/account/password",
            SignedIn,
            post(auth::pages::change_password),
        ),
        r(
            M::POST,
            "/{lang}/account/verify-email",
            SignedIn,
            post(auth::pages::resend_verification),
        ),
        r(
            M::GET,
            "/{lang}/account/2fa",
            SignedInAny,
            get(auth::pages::enrol_form),
        ),
        r(
            M::POST,
            "/{lang}/account/2fa",
            SignedInAny,
            post(auth::pages::enrol),
        ),
        r(
            M::POST,
            "/{lang}/account/tokens",
            SignedIn,
            post(auth::pages::create_token),
        ),
        r(
            M::POST,
            "/{lang}/account/tokens/{id}/revoke",
            SignedIn,
            post(auth::pages::revoke_token),
        ),
        // registry of territorial units
        r(
            M::GET,
            "/{lang}/units",
            Public,
            get(registry::pages::browse),
        ),
        r(
            M::GET,
            "/{lang}/units/{code}",
            Public,
            get(registry::pages::show),
        ),
        r(
            M::POST,
            "/{lang}/units/{code}/statuses",
            ADMIN,
            post(registry::status_pages::add_status),
        ),
        r(
            M::POST,
            "/{lang}/units/{code}/statuses/{id}/delete",
            ADMIN,
            post(registry::status_pages::delete_status),
        ),
        r(
            M::GET,
            "/{lang}/about/data",
            Public,
            get(registry::pages::about_data),
        ),
        // the association
        r(
            M::GET,
            "/{lang}/members",
            Public,
            get(members::pages::directory),
        ),
        r(
            M::GET,
            "/{lang}/members/find",
            MEMBER_STAFF,
            get(members::pages::find),
        ),
        r(
            M::GET,
            "/{lang}/members/import",
            MEMBER_STAFF,
            get(members::import_pages::import_form),
        ),
        r(
            M::POST,
            "/{lang}/members/import",
            MEMBER_STAFF,
            post(members::import_pages::import),
        ),
        r(
            M::GET,
            "/{lang}/members/{code}",
            Public,
            get(members::pages::member),
        ),
        r(
            M::POST,
            "/{lang}/members/{code}/join",
            MEMBER_STAFF,
            post(members::pages::join),
        ),
        r(
            M::POST,
            "/{lang}/members/{code}/end",
            MEMBER_STAFF,
            post(members::pages::end),
        ),
        r(
            M::POST,
            "/{lang}/members/{code}/posts",
            MEMBER_STAFF,
            post(people::pages::add_post),
        ),
        r(
            M::POST,
            "/{lang}/posts/{id}/end",
            MEMBER_STAFF,
            post(people::pages::end_post),
        ),
        r(
            M::GET,
            "/{lang}/people/{id}",
            Public,
            get(people::pages::person),
        ),
        r(
            M::POST,
            "/{lang}/people/{id}/contacts",
            SignedIn,
            post(people::pages::update_contacts),
        ),
        r(
            M::GET,
            "/{lang}/people/{id}/mayor",
            Public,
            get(people::mayor_pages::page),
        ),
        r(
            M::GET,
            "/{lang}/people/{id}/export",
            SignedIn,
            get(people::privacy::export),
        ),
        r(
            M::GET,
            "/{lang}/people/{id}/erase",
            SignedIn,
            get(people::privacy::erase_form),
        ),
        r(
            M::POST,
            "/{lang}/people/{id}/erase",
            SignedIn,
            post(people::privacy::erase),
        ),
        r(
            M::GET,
            "/{lang}/people/{id}/mayor/edit",
            SignedIn,
            get(people::mayor_pages::edit_form),
        ),
        r(
            M::POST,
            "/{lang}/people/{id}/mayor/edit",
            SignedIn,
            post(people::mayor_pages::save),
        ),
        r(
            M::POST,
            "/{lang}/people/{id}/mayor/publish",
            EDITORS,
            post(people::mayor_pages::publish),
        ),
        r(
            M::GET,
            "/{lang}/mayors/review",
            EDITORS,
            get(people::mayor_pages::review),
        ),
        r(
            M::POST,
            "/{lang}/people/{id}/photo",
            SignedIn,
            // A phone's photo is larger than the site-wide body limit.
            post(people::mayor_pages::upload_photo).layer(axum::extract::DefaultBodyLimit::max(
                people::mayor::MAX_PHOTO_BYTES + 64 * 1024,
            )),
        ),
        r(
            M::POST,
            "/{lang}/people/{id}/photo/delete",
            SignedIn,
            post(people::mayor_pages::delete_photo),
        ),
        r(
            M::GET,
            "/photos/people/{id}",
            Public,
            get(people::mayor_pages::photo),
        ),
        r(
            M::GET,
            "/{lang}/club/apply",
            Public,
            get(club::pages::apply_form),
        ),
        r(
            M::POST,
            "/{lang}/club/apply",
            Public,
            post(club::pages::apply),
        ),
        r(
            M::GET,
            "/{lang}/club/review",
            CLUB_COMMITTEE,
            get(club::review_pages::list),
        ),
        r(
            M::GET,
            "/{lang}/club/review/{id}",
            CLUB_COMMITTEE,
            get(club::review_pages::show),
        ),
        r(
            M::POST,
            "/{lang}/club/review/{id}",
            CLUB_COMMITTEE,
            post(club::review_pages::review),
        ),
        r(
            M::GET,
            "/{lang}/club/applications/{token}",
            Public,
            get(club::pages::application),
        ),
        r(
            M::POST,
            "/{lang}/club/applications/{token}/answer",
            Public,
            post(club::pages::answer),
        ),
        r(
            M::POST,
            "/{lang}/club/review/{id}/decision",
            CLUB_CHAIR,
            post(club::review_pages::decide),
        ),
        // Issue 16: verified contact addresses, explicit matches of club applicants to records
        // (confirmed by the committee and by the record's owner), one answer to every sound
        // application, photos waiting for review.
        r(
            M::GET,
            "/{lang}/people/email/verify",
            Public,
            get(people::pages::verify_email_form),
        ),
        r(
            M::POST,
            "/{lang}/people/email/verify",
            Public,
            post(people::pages::verify_email),
        ),
        r(
            M::GET,
            "/{lang}/people/email/verified",
            Public,
            get(people::pages::email_verified),
        ),
        r(
            M::GET,
            "/photos/people/{id}/waiting",
            SignedIn,
            get(people::mayor_pages::photo_waiting),
        ),
        r(
            M::GET,
            "/{lang}/club/apply/sent",
            Public,
            get(club::pages::apply_sent),
        ),
        r(
            M::POST,
            "/{lang}/club/review/{id}/match",
            CLUB_COMMITTEE,
            post(club::review_pages::confirm_match),
        ),
        r(
            M::GET,
            "/{lang}/club/link",
            Public,
            get(club::pages::link_form),
        ),
        r(
            M::POST,
            "/{lang}/club/link",
            Public,
            post(club::pages::confirm_link),
        ),
        r(
            M::GET,
            "/{lang}/digest",
            Public,
            get(digest::pages::archive),
        ),
        r(
            M::GET,
            "/{lang}/digest/manage",
            EDITORS,
            get(digest::edit_pages::manage),
        ),
        r(
            M::GET,
            "/{lang}/digest/{key}/preview",
            EDITORS,
            get(digest::edit_pages::preview),
        ),
        r(
            M::GET,
            "/{lang}/digest/{key}/mail/{mail_lang}",
            EDITORS,
            get(digest::edit_pages::mail_html),
        ),
        r(
            M::POST,
            "/{lang}/digest/subscribe",
            Public,
            post(digest::subscribers::subscribe),
        ),
        r(
            M::GET,
            "/{lang}/digest/confirm",
            Public,
            get(digest::subscribers::confirm_page),
        ),
        r(
            M::POST,
            "/{lang}/digest/confirm",
            Public,
            post(digest::subscribers::confirm),
        ),
        r(
            M::GET,
            "/{lang}/digest/subscription/{token}",
            Public,
            get(digest::subscribers::subscription),
        ),
        r(
            M::POST,
            "/{lang}/digest/subscription/{token}",
            Public,
            post(digest::subscribers::save_preferences),
        ),
        r(
            M::POST,
            "/unsubscribe/{token}",
            Public,
            post(digest::subscribers::unsubscribe),
        ),
        r(
            M::GET,
            "/unsubscribe/{token}",
            Public,
            get(digest::subscribers::unsubscribe_page),
        ),
        r(
            M::POST,
            "/{lang}/digest/new",
            EDITORS,
            post(digest::edit_pages::create),
        ),
        r(
            M::GET,
            "/{lang}/digest/{key}",
            Public,
            get(digest::pages::show),
        ),
        r(
            M::GET,
            "/{lang}/digest/{key}/edit",
            EDITORS,
            get(digest::edit_pages::edit_form),
        ),
        r(
            M::POST,
            "/{lang}/digest/{key}/edit",
            EDITORS,
            post(digest::edit_pages::save),
        ),
        r(
            M::POST,
            "/{lang}/digest/{key}/add",
            EDITORS,
            post(digest::edit_pages::add),
        ),
        r(
            M::POST,
            "/{lang}/digest/{key}/publish",
            EDITORS,
            post(digest::edit_pages::publish),
        ),
        r(
            M::GET,
            "/{lang}/digest/{key}/sending",
            EDITORS,
            get(digest::send_pages::sending),
        ),
        r(
            M::POST,
            "/{lang}/digest/{key}/send",
            EDITORS,
            post(digest::send_pages::start),
        ),
        r(
            M::POST,
            "/{lang}/digest/{key}/send/retry",
            EDITORS,
            post(digest::send_pages::retry),
        ),
        r(M::GET, "/{lang}/news", Public, get(news::pages::list)),
        r(
            M::GET,
            "/{lang}/admin/news-sectors",
            ADMIN,
            get(news::sector_pages::page),
        ),
        r(
            M::POST,
            "/{lang}/admin/news-sectors",
            ADMIN,
            post(news::sector_pages::save),
        ),
        r(
            M::POST,
            "/{lang}/admin/news-sectors/new",
            ADMIN,
            post(news::sector_pages::add),
        ),
        r(
            M::GET,
            "/{lang}/news/feed.atom",
            Public,
            get(news::feeds::feed),
        ),
        r(
            M::GET,
            "/sitemap.xml",
            Public,
            get(news::feeds::sitemap_index),
        ),
        r(
            M::GET,
            "/sitemaps/{part}",
            Public,
            get(news::feeds::sitemap_part),
        ),
        r(
            M::GET,
            "/{lang}/news/manage",
            EDITORS,
            get(news::edit_pages::manage),
        ),
        r(
            M::GET,
            "/{lang}/news/new",
            EDITORS,
            get(news::edit_pages::new_form),
        ),
        r(
            M::POST,
            "/{lang}/news/new",
            EDITORS,
            post(news::edit_pages::create),
        ),
        r(M::GET, "/{lang}/news/{id}", Public, get(news::pages::item)),
        r(
            M::GET,
            "/{lang}/news/{id}/edit",
            EDITORS,
            get(news::edit_pages::edit_form),
        ),
        r(
            M::POST,
            "/{lang}/news/{id}/edit",
            EDITORS,
            post(news::edit_pages::update),
        ),
        r(
            M::POST,
            "/{lang}/news/{id}/move",
            EDITORS,
            post(news::edit_pages::move_item),
        ),
        r(
            M::POST,
            "/{lang}/news/{id}/cover",
            EDITORS,
            // A phone's photo is larger than the site-wide body limit.
            post(news::covers::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::web::images::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        ),
        r(
            M::POST,
            "/{lang}/news/{id}/cover/delete",
            EDITORS,
            post(news::covers::delete),
        ),
        r(
            M::GET,
            "/covers/news/{id}",
            Public,
            get(news::covers::image),
        ),
        r(
            M::GET,
            "/{lang}/club",
            Public,
            get(club::member_pages::club),
        ),
        r(
            M::GET,
            "/{lang}/club/me",
            SignedIn,
            get(club::member_pages::me),
        ),
        r(
            M::POST,
            "/{lang}/club/me/listing",
            SignedIn,
            post(club::member_pages::set_listed),
        ),
        r(
            M::POST,
            "/{lang}/club/me/resign",
            SignedIn,
            post(club::member_pages::resign),
        ),
        r(
            M::POST,
            "/{lang}/club/me/delegates",
            SignedIn,
            post(club::member_pages::name_delegate),
        ),
        r(
            M::POST,
            "/{lang}/club/me/delegates/{id}/revoke",
            SignedIn,
            post(club::member_pages::revoke_delegate),
        ),
        r(
            M::GET,
            "/{lang}/admin/club",
            ADMIN,
            get(club::review_pages::settings),
        ),
        r(
            M::POST,
            "/{lang}/admin/club",
            ADMIN,
            post(club::review_pages::save_settings),
        ),
        r(
            M::GET,
            "/{lang}/offices",
            Public,
            get(members::office_pages::offices),
        ),
        r(
            M::POST,
            "/{lang}/offices",
            ADMIN,
            post(members::office_pages::create_office),
        ),
        r(
            M::POST,
            "/{lang}/offices/{slug}",
            ADMIN,
            post(members::office_pages::update_office),
        ),
        r(
            M::GET,
            "/{lang}/offices/{slug}",
            Public,
            get(members::office_pages::office),
        ),
        r(
            M::GET,
            "/{lang}/sections",
            Public,
            get(members::pages::sections),
        ),
        r(
            M::GET,
            "/{lang}/sections/{slug}",
            Public,
            get(sections::pages::page),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/join",
            SignedIn,
            post(sections::pages::join),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/leave",
            SignedIn,
            post(sections::pages::leave),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/requests/{id}",
            SECTION_STAFF,
            post(sections::pages::decide),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/announcements",
            SECTION_STAFF,
            post(sections::pages::announce),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/materials",
            SECTION_STAFF,
            post(sections::pages::upload).layer(axum::extract::DefaultBodyLimit::max(
                sections::MAX_MATERIAL_BYTES + 64 * 1024,
            )),
        ),
        r(
            M::GET,
            "/{lang}/sections/{slug}/materials/{id}",
            SignedIn,
            get(sections::pages::download),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/materials/{id}/delete",
            SECTION_STAFF,
            post(sections::pages::delete_material),
        ),
        r(
            M::POST,
            "/{lang}/sections/{slug}/purpose",
            SECTION_STAFF,
            post(sections::pages::set_purpose),
        ),
        // administration
        r(
            M::GET,
            "/{lang}/admin/users",
            ADMIN,
            get(auth::pages::users),
        ),
        r(
            M::POST,
            "/{lang}/admin/users",
            ADMIN,
            post(auth::pages::invite_user),
        ),
        r(
            M::GET,
            "/{lang}/admin/users/{id}",
            ADMIN,
            get(auth::admin_pages::show),
        ),
        r(
            M::POST,
            "/{lang}/admin/users/{id}/roles",
            ADMIN,
            post(auth::admin_pages::grant),
        ),
        r(
            M::POST,
            "/{lang}/admin/users/{id}/roles/remove",
            ADMIN,
            post(auth::admin_pages::revoke),
        ),
        r(
            M::POST,
            "/{lang}/admin/users/{id}/disable",
            ADMIN,
            post(auth::admin_pages::disable),
        ),
        r(
            M::POST,
            "/{lang}/admin/users/{id}/enable",
            ADMIN,
            post(auth::admin_pages::enable),
        ),
        r(
            M::POST,
            "/{lang}/admin/users/{id}/reset-2fa",
            ADMIN,
            post(auth::admin_pages::reset_second_factor),
        ),
        r(
            M::GET,
            "/{lang}/admin/statuses",
            ADMIN,
            get(registry::status_pages::statuses_form),
        ),
        r(
            M::POST,
            "/{lang}/admin/statuses",
            ADMIN,
            post(registry::status_pages::import_statuses),
        ),
        r(
            M::GET,
            "/{lang}/admin/audit",
            ADMIN,
            get(audit::pages::browse),
        ),
        r(
            M::GET,
            "/{lang}/admin/outbox",
            ADMIN,
            get(mail::pages::outbox),
        ),
        r(
            M::GET,
            "/{lang}/admin/outbox/{id}",
            ADMIN,
            get(mail::pages::message),
        ),
        r(
            M::POST,
            "/{lang}/admin/outbox/{id}/requeue",
            ADMIN,
            post(mail::pages::requeue),
        ),
        // Background jobs: the quarantined ones and running them again (issue 16).
        r(
            M::GET,
            "/{lang}/admin/jobs",
            ADMIN,
            get(crate::jobs::pages::list),
        ),
        r(
            M::POST,
            "/{lang}/admin/jobs/{id}/retry",
            ADMIN,
            post(crate::jobs::pages::retry),
        ),
        r(M::GET, "/api/v1/jobs", ADMIN, get(crate::jobs::api::list)),
        r(
            M::POST,
            "/api/v1/jobs/{id}/retry",
            ADMIN,
            post(crate::jobs::api::retry),
        ),
        // JSON API
        r(M::GET, "/api/v1/openapi.json", Public, get(api::openapi)),
        r(M::GET, "/api/v1/me", SignedIn, get(auth::api::me)),
        r(
            M::GET,
            "/api/v1/tokens",
            SignedIn,
            get(auth::api::list_tokens),
        ),
        r(
            M::POST,
            "/api/v1/tokens",
            SignedIn,
            post(auth::api::create_token),
        ),
        r(
            M::DELETE,
            "/api/v1/tokens/{id}",
            SignedIn,
            delete(auth::api::revoke_token),
        ),
        r(M::GET, "/api/v1/users", ADMIN, get(auth::api::list_users)),
        r(
            M::POST,
            "/api/v1/users",
            ADMIN,
            post(auth::api::create_user),
        ),
        r(
            M::GET,
            "/api/v1/users/{id}",
            ADMIN,
            get(auth::api::get_user),
        ),
        r(
            M::POST,
            "/api/v1/users/{id}/roles",
            ADMIN,
            post(auth::api::grant_role),
        ),
        r(
            M::DELETE,
            "/api/v1/users/{id}/roles/{role}",
            ADMIN,
            delete(auth::api::revoke_role),
        ),
        r(
            M::POST,
            "/api/v1/users/{id}/disable",
            ADMIN,
            post(auth::api::disable_user),
        ),
        r(
            M::POST,
            "/api/v1/users/{id}/enable",
            ADMIN,
            post(auth::api::enable_user),
        ),
        r(
            M::POST,
            "/api/v1/users/{id}/reset-2fa",
            ADMIN,
            post(auth::api::reset_second_factor),
        ),
        r(M::GET, "/api/v1/audit", ADMIN, get(audit::api::list)),
        r(M::GET, "/api/v1/units", Public, get(registry::api::list)),
        r(M::GET, "/api/v1/members", Public, get(members::api::list)),
        r(
            M::GET,
            "/api/v1/members/figures",
            Public,
            get(members::api::figures),
        ),
        r(M::GET, "/api/v1/people", Public, get(people::api::list)),
        r(
            M::GET,
            "/api/v1/people/{id}",
            Public,
            get(people::api::get_person),
        ),
        r(
            M::GET,
            "/api/v1/regional-offices",
            Public,
            get(members::api::offices),
        ),
        r(
            M::GET,
            "/api/v1/sections",
            Public,
            get(members::api::sections),
        ),
        r(
            M::GET,
            "/api/v1/sections/{slug}",
            Public,
            get(sections::api::get_section),
        ),
        r(
            M::GET,
            "/api/v1/units/{code}",
            Public,
            get(registry::api::get_unit),
        ),
        r(
            M::GET,
            "/api/v1/units/{code}/children",
            Public,
            get(registry::api::children),
        ),
        r(
            M::POST,
            "/api/v1/units/{code}/statuses",
            ADMIN,
            post(registry::api::add_status),
        ),
        r(M::GET, "/api/v1/outbox", ADMIN, get(mail::pages::api_list)),
        r(
            M::GET,
            "/api/v1/club/applications",
            CLUB_COMMITTEE,
            get(club::api::list),
        ),
        r(
            M::POST,
            "/api/v1/club/applications",
            Public,
            post(club::api::create),
        ),
        r(
            M::GET,
            "/api/v1/club/applications/{id}",
            CLUB_COMMITTEE,
            get(club::api::get_application),
        ),
        r(
            M::POST,
            "/api/v1/club/applications/{id}/reviews",
            CLUB_COMMITTEE,
            post(club::api::review),
        ),
        r(
            M::POST,
            "/api/v1/club/applications/{id}/decision",
            CLUB_CHAIR,
            post(club::api::decide),
        ),
        r(
            M::POST,
            "/api/v1/club/applications/{id}/match",
            CLUB_COMMITTEE,
            post(club::api::confirm_match),
        ),
        r(
            M::GET,
            "/api/v1/club/members",
            Public,
            get(club::api::members),
        ),
        r(M::GET, "/api/v1/digests", Public, get(digest::api::list)),
        r(
            M::GET,
            "/api/v1/digests/{date}",
            Public,
            get(digest::api::get_digest),
        ),
        r(
            M::GET,
            "/api/v1/digests/{date}/sending",
            EDITORS,
            get(digest::api::sending),
        ),
        r(
            M::POST,
            "/api/v1/digests/{date}/send",
            EDITORS,
            post(digest::api::send),
        ),
        r(M::GET, "/api/v1/news", Public, get(news::api::list)),
        r(M::POST, "/api/v1/news", EDITORS, post(news::api::create)),
        r(
            M::PUT,
            "/api/v1/news/{id}/cover",
            EDITORS,
            put(news::api::put_cover).layer(axum::extract::DefaultBodyLimit::max(
                crate::web::images::MAX_UPLOAD_BYTES + 64 * 1024,
            )),
        ),
        r(
            M::DELETE,
            "/api/v1/news/{id}/cover",
            EDITORS,
            delete(news::api::delete_cover),
        ),
        r(
            M::GET,
            "/api/v1/news/{id}",
            Public,
            get(news::api::get_item),
        ),
        r(M::PUT, "/api/v1/news/{id}", EDITORS, put(news::api::update)),
        r(
            M::POST,
            "/api/v1/news/{id}/publish",
            EDITORS,
            post(news::api::publish),
        ),
        r(
            M::POST,
            "/api/v1/news/{id}/withdraw",
            EDITORS,
            post(news::api::withdraw),
        ),
    ];
    table.extend(statistics::routes::table());
    table
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
