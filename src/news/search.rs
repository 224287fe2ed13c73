//! Full-text search over published news in both languages: a tantivy index in memory, built
//! from the database and rebuilt when the news revision (a setting every change bumps in its
//! transaction) moves, so every instance answers from the same data. Words are found in any
//! inflection (Snowball stemmers for Ukrainian and English, from frostem), hits are ranked by
//! BM25 with the page's language and titles weighted up, and snippets mark the words found.

use std::sync::Arc;

use frostem::{Algorithm, Stemmer};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, Schema, TextFieldIndexing, TextOptions, Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{
    LowerCaser, RegexTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, IndexReader, TantivyDocument, doc};
use tokio::sync::Mutex;

use super::repo;
use crate::db::Db;
use crate::i18n::Lang;
use crate::web::page::escape;

/// The setting whose value changes with every change of published news.
pub const REVISION_KEY: &str = "news.revision";

/// A Snowball stemmer as a tantivy token filter; it also writes every apostrophe as `'`.
#[derive(Clone)]
struct Stem(Stemmer);

impl TokenFilter for Stem {
    type Tokenizer<T: Tokenizer> = StemTokenizer<T>;
    fn transform<T: Tokenizer>(self, tokenizer: T) -> StemTokenizer<T> {
        StemTokenizer {
            inner: tokenizer,
            stemmer: self.0,
        }
    }
}

#[derive(Clone)]
struct StemTokenizer<T> {
    inner: T,
    stemmer: Stemmer,
}

impl<T: Tokenizer> Tokenizer for StemTokenizer<T> {
    type TokenStream<'a> = StemStream<T::TokenStream<'a>>;
    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemStream {
            inner: self.inner.token_stream(text),
            stemmer: self.stemmer,
        }
    }
}

struct StemStream<S> {
    inner: S,
    stemmer: Stemmer,
}

impl<S: TokenStream> TokenStream for StemStream<S> {
    fn advance(&mut self) -> bool {
        if !self.inner.advance() {
            return false;
        }
        let token = self.inner.token_mut();
        let word = token.text.replace(['’', 'ʼ'], "'");
        token.text = self.stemmer.stem(&word).into_owned();
        true
    }
    fn token(&self) -> &Token {
        self.inner.token()
    }
    fn token_mut(&mut self) -> &mut Token {
        self.inner.token_mut()
    }
}

fn analyzer(algorithm: Algorithm) -> TextAnalyzer {
    // Words with inner apostrophes stay whole («об’єднання», "community's").
    let words = RegexTokenizer::new(r"[\p{L}\p{N}]+(?:['’ʼ][\p{L}]+)*")
        .unwrap_or_else(|_| RegexTokenizer::new(r"\w+").expect("a plain word pattern"));
    TextAnalyzer::builder(words)
        .filter(LowerCaser)
        .filter(Stem(Stemmer::new(algorithm)))
        .build()
}

struct Fields {
    id: Field,
    title: [Field; 2],
    text: [Field; 2],
}

fn lang_index(lang: Lang) -> usize {
    match lang {
        Lang::Uk => 0,
        Lang::En => 1,
    }
}

/// One built index and the revision it reflects.
pub struct Built {
    revision: String,
    index: Index,
    reader: IndexReader,
    fields: Fields,
}

/// A hit: the item, and its snippet as HTML with the words found in `<mark>`.
pub struct Hit {
    pub id: i64,
    pub snippet: String,
}

/// The per-process cache of the index.
#[derive(Default, Clone)]
pub struct Cache {
    built: Arc<Mutex<Option<Arc<Built>>>>,
}

impl Cache {
    /// The index for the database's current news revision, building it when needed.
    pub async fn get(&self, db: &Db) -> anyhow::Result<Arc<Built>> {
        let revision = crate::db::settings::get(db, REVISION_KEY)
            .await?
            .unwrap_or_default();
        let mut slot = self.built.lock().await;
        if let Some(b) = slot.as_ref()
            && b.revision == revision
        {
            return Ok(b.clone());
        }
        let items = repo::published_items(db, &repo::Filter::default(), i64::MAX, 0).await?;
        let built = Arc::new(tokio::task::spawn_blocking(move || build(revision, &items)).await??);
        *slot = Some(built.clone());
        Ok(built)
    }
}

fn build(revision: String, items: &[repo::ItemRow]) -> anyhow::Result<Built> {
    let mut schema = Schema::builder();
    let text_options = |tokenizer: &str| {
        TextOptions::default().set_stored().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        )
    };
    let fields = Fields {
        id: schema.add_i64_field("id", INDEXED | STORED),
        title: [
            schema.add_text_field("title_uk", text_options("uk")),
            schema.add_text_field("title_en", text_options("en")),
        ],
        text: [
            schema.add_text_field("text_uk", text_options("uk")),
            schema.add_text_field("text_en", text_options("en")),
        ],
    };
    let index = Index::create_in_ram(schema.build());
    index
        .tokenizers()
        .register("uk", analyzer(Algorithm::Ukrainian));
    index
        .tokenizers()
        .register("en", analyzer(Algorithm::English));
    let mut writer = index.writer_with_num_threads(1, 30_000_000)?;
    for item in items {
        writer.add_document(doc!(
            fields.id => item.id,
            fields.title[0] => item.title_uk.as_str(),
            fields.title[1] => item.title_en.as_str(),
            fields.text[0] => format!("{}\n{}", item.summary_uk, item.body_uk),
            fields.text[1] => format!("{}\n{}", item.summary_en, item.body_en),
        ))?;
    }
    writer.commit()?;
    let reader = index.reader()?;
    Ok(Built {
        revision,
        index,
        reader,
        fields,
    })
}

impl Built {
    /// Items matching `query`, best first, a page at a time, with the total. The query's
    /// words are looked up in both languages; the page's language and titles count more.
    pub fn search(
        &self,
        query: &str,
        lang: Lang,
        limit: usize,
        offset: usize,
    ) -> anyhow::Result<(Vec<Hit>, usize)> {
        let f = &self.fields;
        let own = lang_index(lang);
        let other = 1 - own;
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.title[own], f.text[own], f.title[other], f.text[other]],
        );
        parser.set_field_boost(f.title[own], 3.0);
        parser.set_field_boost(f.text[own], 1.5);
        parser.set_field_boost(f.title[other], 2.0);
        // Words, not query syntax: a stray quote or colon never fails a reader's search.
        let words: String = query
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || "'’ʼ".contains(c) {
                    c
                } else {
                    ' '
                }
            })
            .collect();
        let parsed = parser.parse_query_lenient(&words).0;
        let searcher = self.reader.searcher();
        let (top, total) = searcher.search(
            &parsed,
            &(
                TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score(),
                Count,
            ),
        )?;
        let snippets = [
            SnippetGenerator::create(&searcher, &parsed, f.text[own])?,
            SnippetGenerator::create(&searcher, &parsed, f.text[other])?,
        ];
        let mut hits = Vec::with_capacity(top.len());
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default();
            let snippet = snippets
                .iter()
                .map(|g| g.snippet_from_doc(&doc))
                .find(|s| !s.highlighted().is_empty())
                .map(|s| {
                    let text = s.fragment();
                    let mut html = String::new();
                    let mut at = 0;
                    for range in s.highlighted() {
                        html.push_str(&escape(&text[at..range.start]));
                        html.push_str("<mark>");
                        html.push_str(&escape(&text[range.start..range.end]));
                        html.push_str("</mark>");
                        at = range.end;
                    }
                    html.push_str(&escape(&text[at..]));
                    html
                })
                .unwrap_or_default();
            hits.push(Hit { id, snippet });
        }
        Ok((hits, total))
    }
}

/// Searches the published news for a reader: the items, best first, each with its snippet, and
/// the total. A query over 200 characters is refused; the search runs beside the async workers.
pub async fn find(
    state: &crate::state::AppState,
    words: &str,
    lang: Lang,
    limit: usize,
    offset: usize,
) -> crate::error::AppResult<(Vec<(repo::ItemRow, String)>, i64)> {
    use crate::error::AppError;
    if words.chars().count() > 200 {
        return Err(AppError::BadRequest("news-error-query"));
    }
    let index = state.part::<super::search::Cache>().get(&state.db).await?;
    let words = words.to_string();
    let (hits, total) =
        tokio::task::spawn_blocking(move || index.search(&words, lang, limit, offset))
            .await
            .map_err(|e| AppError::Internal(e.into()))??;
    let mut found = Vec::with_capacity(hits.len());
    for hit in hits {
        if let Some(item) = repo::item(&state.db, hit.id).await? {
            found.push((item, hit.snippet));
        }
    }
    Ok((found, total as i64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(algorithm: Algorithm, text: &str) -> Vec<String> {
        let mut a = analyzer(algorithm);
        let mut stream = a.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn inflected_forms_share_a_stem() {
        let forms = tokens(Algorithm::Ukrainian, "громади громадою громадах");
        assert!(forms.windows(2).all(|w| w[0] == w[1]), "{forms:?}");
        let en = tokens(Algorithm::English, "communities community");
        assert_eq!(en[0], en[1]);
        // Apostrophes keep a word whole, whichever apostrophe was typed.
        assert_eq!(
            tokens(Algorithm::Ukrainian, "об’єднання"),
            tokens(Algorithm::Ukrainian, "об'єднання")
        );
        assert_eq!(tokens(Algorithm::Ukrainian, "об’єднання").len(), 1);
    }
}
