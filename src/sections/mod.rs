//! Professional sections at work: officials ask to join, a section coordinator (or an admin)
//! approves; coordinators post announcements and upload materials for the members. The 17
//! sections themselves are seeded by `members::actions::ensure_sections`. Rules here; SQL in
//! `repo.rs`, pages in `pages.rs`, JSON in `api.rs`.

pub mod actions;
pub mod api;
pub mod pages;
pub mod repo;
pub mod routes;

use crate::identity::{Principal, Role};

crate::text_enum! {
    /// Where a request to join stands.
    pub enum MemberStatus as "SectionMemberStatus" {
        Pending = "pending",
        Approved = "approved",
        Declined = "declined",
        Left = "left",
    }
}

/// Whether the account coordinates this section (by its role's scope) or is an admin.
pub fn may_coordinate(p: &Principal, slug: &str) -> bool {
    p.has_role(Role::Admin)
        || p.roles
            .iter()
            .any(|g| g.role == Role::SectionCoordinator && g.scope == slug)
}

/// Largest material file.
pub const MAX_MATERIAL_BYTES: usize = 20 * 1024 * 1024;

/// The kinds of documents a section shares, by file extension, with the type they are served
/// with. The type never comes from the uploader.
const MATERIAL_TYPES: [(&str, &str); 12] = [
    ("pdf", "application/pdf"),
    ("doc", "application/msword"),
    (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    ("xls", "application/vnd.ms-excel"),
    (
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    ("odt", "application/vnd.oasis.opendocument.text"),
    ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
    ("csv", "text/csv"),
    ("txt", "text/plain"),
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
];

/// A file name made safe to store and send back (no path, no control characters, at most
/// 150 characters), and the type it is served with; `None` for kinds not accepted.
pub fn material_file(name: &str) -> Option<(String, &'static str)> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(150)
        .collect();
    let clean = clean.trim().to_string();
    let (_, ext) = clean.rsplit_once('.')?;
    let ext = ext.to_lowercase();
    let ext = if ext == "jpeg" {
        "jpg".to_string()
    } else {
        ext
    };
    MATERIAL_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, t)| (clean.clone(), *t))
}

/// Checks an announcement: (title, body) trimmed, or the (field, UI key) problems.
pub fn check_announcement(
    title: &str,
    body: &str,
) -> Result<(String, String), Vec<(String, String)>> {
    let title = title.trim();
    let body = body.trim();
    let mut errors = Vec::new();
    if title.is_empty() || title.chars().count() > 200 {
        errors.push(("title".into(), "sections-error-title".into()));
    }
    if body.is_empty() || body.chars().count() > 10_000 {
        errors.push(("body".into(), "sections-error-body".into()));
    }
    if errors.is_empty() {
        Ok((title.to_string(), body.to_string()))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_names_are_cleaned_and_typed_by_extension() {
        assert_eq!(
            material_file("C:\\Users\\x\\Звіт 2025.PDF"),
            Some(("Звіт 2025.PDF".to_string(), "application/pdf"))
        );
        assert_eq!(
            material_file("../../etc/\"passwd\".txt").map(|(n, _)| n),
            Some("passwd.txt".to_string())
        );
        assert_eq!(
            material_file("photo.jpeg").map(|(_, t)| t),
            Some("image/jpeg")
        );
        assert_eq!(material_file("script.html"), None);
        assert_eq!(material_file("no-extension"), None);
    }

    #[test]
    fn announcements_need_a_title_and_a_body() {
        assert!(check_announcement(" Засідання ", " Текст ").is_ok());
        let errors = check_announcement("", "").expect_err("refused");
        assert_eq!(errors.len(), 2);
    }
}
