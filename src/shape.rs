//! Tests of the source's shape, read as text from `src/`: no file grows past
//! [`MAX_LINES`] lines.

use std::path::{Path, PathBuf};

/// The longest a source file may be. A file that needs more holds two things; split it along
/// the seam between them.
const MAX_LINES: usize = 700;

/// Every `.rs` file under `dir`, sorted, so failures read the same on every machine.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                todo.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// `path` relative to the package, with forward slashes.
fn shown(path: &Path) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    path.strip_prefix(root)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

#[test]
fn no_source_file_is_over_the_limit() {
    let files = rust_files(&src());
    assert!(files.len() > 50, "src/ was not found: {}", src().display());
    let long: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let text = std::fs::read_to_string(path)
                .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
            let lines = text.lines().count();
            (lines > MAX_LINES).then(|| format!("{} ({lines} lines)", shown(path)))
        })
        .collect();
    assert!(
        long.is_empty(),
        "source files over {MAX_LINES} lines; split each along a real seam:\n  {}",
        long.join("\n  ")
    );
}
