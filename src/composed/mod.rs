//! Pages composed from several features, above all of them: a unit's page shows the registry's
//! facts with the news about the unit and its statistics; a member's page shows the
//! community's membership with the posts of its people; a person's page, a mayor's page and a
//! person's data download and erasure reach into people and the Mayors' Club. A feature reads
//! another feature's tables only through that feature's functions and imports only the
//! features below it; a page that needs features which do not stand on each other is put
//! together here instead, so the features keep importing each other one way only
//! (`src/shape.rs` checks).
//!
//! A page's forms that show the page again with their problems live beside it; the rules they
//! apply stay in their feature. (The mayors' pages and the erasure still open their own
//! transactions, as they did in `people/`; those belong in `people::actions` next.)

pub mod mayor_pages;
pub mod member_page;
pub mod person_page;
pub mod privacy;
pub mod routes;
pub mod unit_page;
