//! hromada: the digital home of an association of Ukrainian local governments.
//! See `docs/ARCHITECTURE.md` for the module map.

pub mod app;
pub mod audit;
pub mod auth;
pub mod cli;
pub mod clock;
pub mod club;
pub mod composed;
pub mod config;
pub mod db;
pub mod demo;
pub mod digest;
pub mod error;
pub mod i18n;
pub mod identity;
pub mod jobs;
pub mod mail;
pub mod members;
pub mod news;
pub mod people;
pub mod registry;
pub mod secrets;
pub mod sections;
#[cfg(test)]
mod shape;
pub mod state;
pub mod statistics;
pub mod web;
pub mod work;
