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
//! apply, and the use cases their forms run, stay in the features, where the API twins run
//! them too. The mayors' pages and a person's erasure run theirs in the club
//! (`club::mayor_page`, `club::privacy`): who may edit a mayor's page and what erasure ends
//! reach into the club, which stands on people. No composed page opens a transaction.

pub mod mayor_pages;
pub mod member_page;
pub mod person_page;
pub mod privacy;
pub mod routes;
pub mod unit_page;
