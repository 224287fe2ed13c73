//! The digest as a printable A4 PDF, rendered by the server with Typst from the same
//! [`View`] as the web page and the mail: the same headings, entries and links.
//!
//! The layout is a fixed Typst file (`templates/digest/digest.typ`); the digest reaches it as
//! JSON in a virtual file, so no text of a digest is ever read as Typst markup. The fonts
//! (Libertinus Serif, with Cyrillic) ship inside the binary with `typst-assets` and are parsed
//! once per process.

use std::sync::{Arc, LazyLock, Mutex};

use serde::Serialize;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

use super::view::View;
use crate::i18n::Lang;

const LAYOUT: &str = include_str!("../../templates/digest/digest.typ");

/// The parts of a Typst world that do not change between digests.
struct Shared {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: FileId,
    data: FileId,
}

static SHARED: LazyLock<Shared> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect();
    let id = |path: &str| {
        FileId::new(RootedPath::new(
            VirtualRoot::Project,
            VirtualPath::new(path).expect("a valid virtual path"),
        ))
    };
    Shared {
        library: LazyHash::new(Library::builder().build()),
        book: LazyHash::new(FontBook::from_fonts(&fonts)),
        fonts,
        main: id("/digest.typ"),
        data: id("/data.json"),
    }
});

struct DigestWorld {
    shared: &'static Shared,
    main: Source,
    data: Bytes,
}

impl World for DigestWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.main {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.shared.data {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        None
    }
}

#[derive(Serialize)]
struct Data<'a> {
    lang: &'static str,
    site: String,
    title: &'a str,
    range: &'a str,
    intro: &'a [String],
    groups: Vec<Group<'a>>,
    closing: &'a [String],
    web_url: &'a str,
    web_label: String,
    /// The demo notice, for demo content.
    demo: Option<String>,
}

#[derive(Serialize)]
struct Group<'a> {
    title: &'a str,
    entries: Vec<Entry<'a>>,
}

#[derive(Serialize)]
struct Entry<'a> {
    title: &'a str,
    summary: &'a str,
    href: &'a str,
    /// The entry's language, when it is not the digest's.
    lang: Option<&'static str>,
}

/// Renders the digest as PDF bytes; `demo` marks demo content as the web page does.
pub fn render(v: &View, lang: Lang, demo: bool) -> anyhow::Result<Vec<u8>> {
    compile(data_json(v, lang, demo)?)
}

/// The digest as the layout reads it.
fn data_json(v: &View, lang: Lang, demo: bool) -> anyhow::Result<Vec<u8>> {
    let data = Data {
        lang: lang.code(),
        site: lang.t("site-name"),
        title: &v.title,
        range: &v.range,
        intro: &v.intro,
        groups: v
            .groups
            .iter()
            .map(|g| Group {
                title: &g.title,
                entries: g
                    .entries
                    .iter()
                    .map(|e| Entry {
                        title: &e.title,
                        summary: &e.summary,
                        href: &e.href,
                        lang: e.other_lang,
                    })
                    .collect(),
            })
            .collect(),
        closing: &v.closing,
        web_url: &v.web_url,
        web_label: lang.t("digest-mail-web"),
        demo: demo.then(|| lang.t("demo-banner")),
    };
    Ok(serde_json::to_vec(&data)?)
}

fn compile(data: Vec<u8>) -> anyhow::Result<Vec<u8>> {
    let shared: &'static Shared = &SHARED;
    let world = DigestWorld {
        shared,
        main: Source::new(shared.main, LAYOUT.to_string()),
        data: Bytes::new(data),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    // Typst memoises across compilations; keep only what the last few used.
    typst::comemo::evict(4);
    let document = compiled.map_err(|e| failed("layout", &e))?;
    typst_pdf::pdf(&document, &typst_pdf::PdfOptions::default()).map_err(|e| failed("export", &e))
}

fn failed(stage: &str, errors: &[typst::diag::SourceDiagnostic]) -> anyhow::Error {
    let messages: Vec<&str> = errors.iter().map(|e| e.message.as_str()).collect();
    anyhow::anyhow!("the PDF {stage} failed: {}", messages.join("; "))
}

/// The PDFs this instance rendered lately, by a hash of exactly what they show, so a PDF is
/// laid out again only when something in it changed (an edited item, a renamed sector).
#[derive(Default)]
pub struct Cache {
    recent: Mutex<Vec<Cached>>,
}

/// A PDF and the hash of its content.
type Cached = ([u8; 32], Arc<Vec<u8>>);

impl Cache {
    const KEEP: usize = 8;

    /// The digest's PDF, from the cache or laid out on a blocking thread.
    pub async fn get(&self, v: &View, lang: Lang, demo: bool) -> anyhow::Result<Arc<Vec<u8>>> {
        use sha2::Digest;
        let data = data_json(v, lang, demo)?;
        let key: [u8; 32] = sha2::Sha256::digest(&data).into();
        if let Some((_, pdf)) = self.lock().iter().find(|(k, _)| *k == key) {
            return Ok(pdf.clone());
        }
        let pdf = Arc::new(tokio::task::spawn_blocking(move || compile(data)).await??);
        let mut recent = self.lock();
        if recent.len() == Self::KEEP {
            recent.remove(0);
        }
        recent.push((key, pdf.clone()));
        Ok(pdf)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Cached>> {
        self.recent.lock().unwrap_or_else(|e| e.into_inner())
    }
}
