//! Integration tests: the real router, in-process, on a fresh database per test.
//! SQLite by default; PostgreSQL when `HROMADA_TEST_DATABASE_URL` is a postgres:// URL (the
//! test process then makes a database of its own, and each test a schema in it; see
//! `harness::run_database`).

mod accounts;
mod admin_accounts;
mod analysis;
mod api;
mod archive;
mod bad_input;
mod cache;
mod club;
mod club_decisions;
mod collection;
mod conformance;
mod digest;
mod digest_sending;
mod harness;
mod mail;
mod matrix;
mod mayor;
mod members;
mod news;
mod news_sectors;
mod openapi;
mod pages;
mod people;
mod registry;
mod registry_pages;
mod registry_search;
mod schema;
mod sec_auth;
mod sec_people;
mod sec_scope;
mod sec_uploads;
mod sec_web;
mod sections;
mod sending_restart;
mod smtp;
mod statistics;
mod twins;
mod unit_codes;
