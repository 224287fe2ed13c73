//! Tests of the source's shape, read as text from `src/`: no file grows past [`MAX_LINES`]
//! lines, and the features import each other one way only (no cycle between two features).
//! `cargo test --lib shape -- --nocapture` prints the imports between features.

use std::collections::{BTreeMap, BTreeSet};
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

// --- imports between features ---

/// The features: each a folder under `src/` that plugs in through `crate::app`. Between them
/// imports may only go one way; a cycle means two features can no longer be read, changed or
/// removed one at a time. Listed from the bottom up, as `docs/ARCHITECTURE.md` orders them.
/// Where two features would need each other, the page that shows both goes above them
/// (`src/composed/`) and what both need goes down to the ground floor.
const FEATURES: [&str; 12] = [
    "audit",
    "mail",
    "auth",
    "jobs",
    "registry",
    "members",
    "people",
    "club",
    "sections",
    "news",
    "digest",
    "statistics",
];

/// The ground floor: the toolkit every feature stands on (the database, the web toolkit, the
/// shared state, who is asking, the languages, the one error type, settings, secrets, the unit
/// of work with who acts and the audit entry it writes, the time). It imports no feature: what
/// a feature keeps in memory is a part of the state, and what the ground needs a feature to do
/// (find the principal of a session) is put in the state by the composition root.
const GROUND: [&str; 10] = [
    "db", "web", "state", "identity", "i18n", "error", "config", "secrets", "work", "clock",
];

/// Above the features: what composes them (the pages made of several features, the
/// composition root, the command line, the demo content) and this test. A feature never
/// imports these.
const ABOVE: [&str; 7] = ["composed", "app", "cli", "demo", "main", "lib", "shape"];

/// One import of another top-level module: the file and line it is written on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    to: String,
    file: String,
    line: usize,
}

/// `line` without its comment: `//` outside a string literal ends the code.
fn code_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            // A character literal `'"'` opens no string.
            b'\'' if !in_string && line[i..].starts_with("'\"'") => i += 2,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
        i += 1;
    }
    line
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The top-level modules a file's code names: `crate::name…` anywhere, and each first name in
/// a `use crate::{a, b::c, …}` group (which may span lines). Comments are left out.
fn imports_in(file: &str, text: &str) -> Vec<Import> {
    let code: Vec<&str> = text.lines().map(code_of).collect();
    let mut found = Vec::new();
    for (n, line) in code.iter().enumerate() {
        let mut rest = *line;
        while let Some(at) = rest.find("crate::") {
            // `$crate::` (inside a macro) and `hromada_crate::` are not this crate's paths.
            let before = rest[..at].chars().next_back();
            let after = &rest[at + "crate::".len()..];
            rest = after;
            if before.is_some_and(|c| is_ident(c) || c == '$') {
                continue;
            }
            if after.starts_with('{') {
                found.extend(
                    group_names(&code, n, line.len() - after.len() + 1)
                        .into_iter()
                        .map(|(to, line)| Import {
                            to,
                            file: file.to_string(),
                            line,
                        }),
                );
                continue;
            }
            let name: String = after.chars().take_while(|&c| is_ident(c)).collect();
            if !name.is_empty() {
                found.push(Import {
                    to: name,
                    file: file.to_string(),
                    line: n + 1,
                });
            }
        }
    }
    found
}

/// The first names of the paths in the group that opens at `code[line][col - 1]` (a `{`), with
/// the line each is written on: `{a, b::{c, d}, e}` gives `a`, `b` and `e`.
fn group_names(code: &[&str], line: usize, col: usize) -> Vec<(String, usize)> {
    let mut names = Vec::new();
    let mut depth = 1;
    let mut expect_name = true;
    let mut word = String::new();
    for (n, text) in code.iter().enumerate().skip(line) {
        let start = if n == line { col } else { 0 };
        for c in text[start..].chars().chain(std::iter::once('\n')) {
            if is_ident(c) {
                word.push(c);
                continue;
            }
            if !word.is_empty() {
                if depth == 1 && expect_name {
                    names.push((std::mem::take(&mut word), n + 1));
                }
                word.clear();
                expect_name = false;
            }
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        return names;
                    }
                }
                ',' if depth == 1 => expect_name = true,
                _ => {}
            }
        }
    }
    names
}

/// The top-level module a file under `src/` belongs to: its folder, or its file's stem.
fn module_of(relative: &Path) -> String {
    let first = relative
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .unwrap_or_default();
    first.strip_suffix(".rs").unwrap_or(&first).to_string()
}

/// Every import from one top-level module to another: (from, to) → where.
fn module_imports() -> BTreeMap<(String, String), Vec<Import>> {
    let src = src();
    let mut edges: BTreeMap<(String, String), Vec<Import>> = BTreeMap::new();
    for path in rust_files(&src) {
        let from = module_of(path.strip_prefix(&src).unwrap_or(&path));
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        for import in imports_in(&shown(&path), &text) {
            if import.to != from {
                edges
                    .entry((from.clone(), import.to.clone()))
                    .or_default()
                    .push(import);
            }
        }
    }
    edges
}

/// The groups of features that reach each other through imports (Tarjan's strongly connected
/// components), each sorted; a group of one is no cycle and is left out.
fn cycles(edges: &BTreeSet<(String, String)>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeSet<(String, String)>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        groups: Vec<Vec<String>>,
    }
    impl Walk<'_> {
        fn visit(&mut self, v: &str) {
            let i = self.index.len();
            self.index.insert(v.to_string(), i);
            self.low.insert(v.to_string(), i);
            self.stack.push(v.to_string());
            let next: Vec<String> = self
                .edges
                .iter()
                .filter(|(a, _)| a == v)
                .map(|(_, b)| b.clone())
                .collect();
            for w in next {
                if !self.index.contains_key(&w) {
                    self.visit(&w);
                    let low = self.low[v].min(self.low[&w]);
                    self.low.insert(v.to_string(), low);
                } else if self.stack.contains(&w) {
                    let low = self.low[v].min(self.index[&w]);
                    self.low.insert(v.to_string(), low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut group = Vec::new();
                while let Some(w) = self.stack.pop() {
                    let done = w == v;
                    group.push(w);
                    if done {
                        break;
                    }
                }
                if group.len() > 1 {
                    group.sort();
                    self.groups.push(group);
                }
            }
        }
    }
    let mut walk = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        groups: Vec::new(),
    };
    for f in FEATURES {
        if !walk.index.contains_key(f) {
            walk.visit(f);
        }
    }
    walk.groups.sort();
    walk.groups
}

fn places(imports: &[Import]) -> String {
    imports
        .iter()
        .map(|i| format!("{}:{}", i.file, i.line))
        .collect::<Vec<_>>()
        .join(", ")
}

#[test]
fn the_scan_reads_every_form_of_import() {
    let text = "use crate::{\n    audit, auth::Actor,\n    db::{Db, Tx},\n};\n\
                // crate::club in a comment\n\
                let x = crate::news::repo::f(\"// not a comment\"); crate::mail::send();\n\
                $crate::db_exec!(); a_crate::people;\n";
    let names: Vec<(String, usize)> = imports_in("f.rs", text)
        .into_iter()
        .map(|i| (i.to, i.line))
        .collect();
    let expected = [
        ("audit", 2),
        ("auth", 2),
        ("db", 3),
        ("news", 6),
        ("mail", 6),
    ];
    assert_eq!(
        names,
        expected.map(|(n, l)| (n.to_string(), l)).to_vec(),
        "{text}"
    );
    let edges: BTreeSet<(String, String)> = [("news", "registry"), ("registry", "news")]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(
        cycles(&edges),
        vec![vec!["news".to_string(), "registry".to_string()]]
    );
}

#[test]
fn features_import_each_other_without_cycles() {
    let all = module_imports();
    // Every top-level module has a floor: a new folder under src/ is placed here first.
    let known: BTreeSet<&str> = FEATURES
        .iter()
        .chain(&GROUND)
        .chain(&ABOVE)
        .copied()
        .collect();
    let modules: BTreeSet<String> = rust_files(&src())
        .iter()
        .map(|p| module_of(p.strip_prefix(src()).unwrap_or(p)))
        .collect();
    let unplaced: Vec<&String> = modules
        .iter()
        .filter(|m| !known.contains(m.as_str()))
        .collect();
    assert!(
        unplaced.is_empty(),
        "modules with no floor (add them to FEATURES, GROUND or ABOVE in src/shape.rs): {unplaced:?}"
    );

    let is_feature = |m: &str| FEATURES.contains(&m);
    let between: BTreeMap<&(String, String), &Vec<Import>> = all
        .iter()
        .filter(|((a, b), _)| is_feature(a) && is_feature(b))
        .collect();
    println!("Imports between features (from -> to: how many):");
    for ((a, b), imports) in &between {
        println!("  {a} -> {b}: {}", imports.len());
    }
    let up: Vec<String> = all
        .iter()
        .filter(|((a, b), _)| GROUND.contains(&a.as_str()) && is_feature(b))
        .map(|((a, b), imports)| format!("  {a} -> {b}: {}", places(imports)))
        .collect();
    assert!(
        up.is_empty(),
        "the ground floor imports features; move what both need down, or take the feature's \
         part through the state (`state::AppState::part`):\n{}",
        up.join("\n")
    );
    println!("The ground floor imports no feature.");

    let from_above: Vec<String> = all
        .iter()
        .filter(|((a, b), _)| is_feature(a) && ABOVE.contains(&b.as_str()))
        .map(|((a, b), imports)| format!("  {a} -> {b}: {}", places(imports)))
        .collect();
    assert!(
        from_above.is_empty(),
        "features importing what sits above them:\n{}",
        from_above.join("\n")
    );

    let edges: BTreeSet<(String, String)> = between.keys().map(|&e| e.clone()).collect();
    let report: Vec<String> = cycles(&edges)
        .iter()
        .map(|group| {
            let lines: Vec<String> = between
                .iter()
                .filter(|((a, b), _)| group.contains(a) && group.contains(b))
                .map(|((a, b), imports)| format!("    {a} -> {b}: {}", places(imports)))
                .collect();
            format!("  {}:\n{}", group.join(" <-> "), lines.join("\n"))
        })
        .collect();
    assert!(
        report.is_empty(),
        "import cycles between features (each group reaches itself through these imports):\n{}",
        report.join("\n")
    );
}
