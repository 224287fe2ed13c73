//! HTTP: the toolkit every feature's pages and API stand on — the request context,
//! extractors, errors, page helpers, downloads, the access rules of routes — and the middleware
//! every request passes through. The router itself is assembled in `crate::app`.

pub mod api;
pub mod cache;
pub mod context;
pub mod csrf;
pub mod csv_upload;
pub mod download;
pub mod errors;
pub mod extract;
pub mod home;
pub mod images;
pub mod ops;
pub mod page;
pub mod routes;
pub mod site_routes;

pub use context::{ClientIp, Ctx};
pub use page::PageCtx;
