//! Secrets at rest: values the server must read back later (second-factor seeds, links still to
//! be mailed, subscribers' management links) are sealed with XChaCha20-Poly1305 under a key
//! that lives outside the database, so a copy of the database or an export archive does not
//! reveal them.
//!
//! The key file holds one key per line (base64, 32 bytes); the first line seals, every line
//! opens, so `hromada secrets rotate` can put a new key first, re-seal every value and leave the
//! old key for values sealed by an instance that has not restarted yet. A sealed value reads
//! `v1.<key id>.<base64 of nonce and ciphertext>`; the key id is the start of the key's SHA-256,
//! never the key. Each value is bound to its context (`totp:42`), so a sealed value copied to
//! another row or column does not open there.
//!
//! The keyring is process-wide, like the allocator: `cli::open` installs it from the settings
//! before anything runs; code that never had one installed (unit tests, benchmarks, the
//! in-process integration tests) gets a random key that lives as long as the process. When a
//! value names a key this process does not hold (another instance ran `secrets rotate`), the
//! key file is read again, at most every few seconds, so running instances follow a rotation
//! without a restart. The database keeps a sealed probe value (`secrets.probe` in `settings`):
//! a server whose key file cannot open it refuses to start, instead of making a new key beside
//! a restored database or running beside instances with another key.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use rand::RngCore;
use sha2::{Digest, Sha256};

const PREFIX: &str = "v1.";
const NONCE_LEN: usize = 24;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("the value is not sealed")]
    NotSealed,
    #[error("no key in the key file opens this value (key id {0})")]
    UnknownKey(String),
    #[error("the sealed value is damaged or belongs to another record")]
    Damaged,
}

#[derive(Clone)]
struct Key {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl Key {
    fn new(bytes: &[u8; 32]) -> Key {
        let digest = Sha256::digest(bytes);
        Key {
            id: hex::encode(&digest[..4]),
            cipher: XChaCha20Poly1305::new(bytes.into()),
        }
    }
}

/// The keys this process seals and opens with; the first one seals.
#[derive(Clone)]
pub struct Keyring {
    keys: Vec<Key>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<&str> = self.keys.iter().map(|k| k.id.as_str()).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

/// A new random key, as one line of a key file.
pub fn new_key_line() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    STANDARD.encode(bytes)
}

impl Keyring {
    /// A keyring of one random key, for processes that keep nothing across restarts.
    pub fn ephemeral() -> Keyring {
        Keyring::parse(&new_key_line()).unwrap_or_else(|_| unreachable!("a fresh key parses"))
    }

    /// Reads key lines (blank lines and `#` comments are skipped).
    pub fn parse(text: &str) -> anyhow::Result<Keyring> {
        let mut keys = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let bytes = STANDARD
                .decode(line)
                .ok()
                .and_then(|b| <[u8; 32]>::try_from(b).ok())
                .ok_or_else(|| {
                    anyhow::anyhow!(
                        "line {} of the key file is not a base64 key of 32 bytes",
                        n + 1
                    )
                })?;
            keys.push(Key::new(&bytes));
        }
        if keys.is_empty() {
            anyhow::bail!("the key file holds no key");
        }
        Ok(Keyring { keys })
    }

    /// Reads a key file.
    pub fn read(path: &Path) -> anyhow::Result<Keyring> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| anyhow::anyhow!("cannot read the key file {}: {e}", path.display()))?;
        Keyring::parse(&text).map_err(|e| anyhow::anyhow!("the key file {}: {e}", path.display()))
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> &str {
        &self.keys[0].id
    }

    pub fn key_ids(&self) -> Vec<String> {
        self.keys.iter().map(|k| k.id.clone()).collect()
    }

    /// Seals `plain` for `context` (what the value is and whose: `totp:42`).
    pub fn seal(&self, plain: &[u8], context: &str) -> String {
        let key = &self.keys[0];
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let payload = Payload {
            msg: plain,
            aad: context.as_bytes(),
        };
        // Encryption fails only for messages over 256 GiB.
        let sealed = key
            .cipher
            .encrypt(&XNonce::from(nonce), payload)
            .unwrap_or_default();
        let mut out = nonce.to_vec();
        out.extend_from_slice(&sealed);
        format!("{PREFIX}{}.{}", key.id, URL_SAFE_NO_PAD.encode(out))
    }

    pub fn seal_str(&self, plain: &str, context: &str) -> String {
        self.seal(plain.as_bytes(), context)
    }

    /// Opens a value sealed for `context` by any key of the ring; when the value names a key
    /// this ring lacks, by the process's keyring as the key file now holds it.
    pub fn open(&self, sealed: &str, context: &str) -> Result<Vec<u8>, SecretError> {
        match self.open_here(sealed, context) {
            Err(SecretError::UnknownKey(id)) => match reload_for(&id) {
                Some(newer) => newer.open_here(sealed, context),
                None => Err(SecretError::UnknownKey(id)),
            },
            other => other,
        }
    }

    fn open_here(&self, sealed: &str, context: &str) -> Result<Vec<u8>, SecretError> {
        let rest = sealed.strip_prefix(PREFIX).ok_or(SecretError::NotSealed)?;
        let (id, body) = rest.split_once('.').ok_or(SecretError::NotSealed)?;
        let key = self
            .keys
            .iter()
            .find(|k| k.id == id)
            .ok_or_else(|| SecretError::UnknownKey(id.to_string()))?;
        let raw = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| SecretError::Damaged)?;
        if raw.len() < NONCE_LEN {
            return Err(SecretError::Damaged);
        }
        let (nonce, ciphertext) = raw.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| SecretError::Damaged)?;
        key.cipher
            .decrypt(
                &XNonce::from(nonce),
                Payload {
                    msg: ciphertext,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Damaged)
    }

    pub fn open_str(&self, sealed: &str, context: &str) -> Result<String, SecretError> {
        String::from_utf8(self.open(sealed, context)?).map_err(|_| SecretError::Damaged)
    }

    /// Whether `sealed` was sealed by another key than the current one (a rotation re-seals it).
    pub fn is_stale(&self, sealed: &str) -> bool {
        sealed
            .strip_prefix(PREFIX)
            .and_then(|r| r.split_once('.'))
            .is_some_and(|(id, _)| id != self.current_id())
    }
}

/// Whether a stored value is sealed (values written before sealing existed are not).
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX) && value[PREFIX.len()..].contains('.')
}

struct Installed {
    ring: Arc<Keyring>,
    /// The key file it came from, read again when a value names a key it lacks.
    path: Option<PathBuf>,
    last_read: Instant,
}

static KEYRING: RwLock<Option<Installed>> = RwLock::new(None);

/// How often a process may read its key file again.
const RELOAD_EVERY: Duration = Duration::from_secs(2);

/// Makes `ring` (read from `path`, if any) the process's keyring. A second call with other
/// keys is an error, so two parts of one process cannot seal under different keys.
pub fn install(ring: Keyring, path: Option<PathBuf>) -> anyhow::Result<()> {
    let mut held = KEYRING
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    match held.as_ref() {
        Some(current) if current.ring.key_ids() != ring.key_ids() => {
            anyhow::bail!("a different secret key is already in use by this process")
        }
        Some(_) => Ok(()),
        None => {
            *held = Some(Installed {
                ring: Arc::new(ring),
                path,
                last_read: Instant::now(),
            });
            Ok(())
        }
    }
}

/// The process's keyring (a random one if none was installed).
pub fn keyring() -> Arc<Keyring> {
    if let Some(current) = KEYRING
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .as_ref()
    {
        return current.ring.clone();
    }
    let mut held = KEYRING
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    held.get_or_insert_with(|| Installed {
        ring: Arc::new(Keyring::ephemeral()),
        path: None,
        last_read: Instant::now(),
    })
    .ring
    .clone()
}

/// Reads the key file again when `id` is not in the process's keyring (another instance
/// rotated the key); returns the new keyring if it now holds `id`.
fn reload_for(id: &str) -> Option<Arc<Keyring>> {
    let mut held = KEYRING
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    reload(held.as_mut()?, id)
}

fn reload(current: &mut Installed, id: &str) -> Option<Arc<Keyring>> {
    if current.ring.key_ids().iter().any(|k| k == id) {
        return Some(current.ring.clone());
    }
    let path = current.path.clone()?;
    if current.last_read.elapsed() < RELOAD_EVERY {
        return None;
    }
    current.last_read = Instant::now();
    match Keyring::read(&path) {
        Ok(ring) if ring.key_ids().iter().any(|k| k == id) => {
            tracing::info!(path = %path.display(), key = %ring.current_id(), "secret key file read again: it holds a newer key");
            current.ring = Arc::new(ring);
            Some(current.ring.clone())
        }
        Ok(_) => None,
        Err(e) => {
            tracing::warn!(error = %e, "cannot read the secret key file again");
            None
        }
    }
}

const PROBE_KEY: &str = "secrets.probe";
const PROBE_CONTEXT: &str = "secrets-probe";

/// Checks that this process's keys open the database's probe value (read only: `import`
/// needs an empty database). A database without one passes.
pub async fn check_database(db: &crate::db::Db) -> anyhow::Result<()> {
    let Some(probe) = crate::db::settings::get(db, PROBE_KEY).await? else {
        return Ok(());
    };
    match keyring().open(&probe, PROBE_CONTEXT) {
        Ok(_) => Ok(()),
        Err(SecretError::UnknownKey(id)) => anyhow::bail!(
            "the secret key file does not hold the key (id {id}) that sealed this database's \
             secrets: restore the key file that belongs with this database (beside a SQLite \
             file as FILE.key, or named by HROMADA_SECRET_KEY_FILE); every instance of one \
             database must read the same key file"
        ),
        Err(e) => anyhow::bail!("the database's secret probe cannot be opened: {e}"),
    }
}

/// Writes the probe value if the database has none yet (at start-up).
pub async fn ensure_probe(db: &crate::db::Db) -> anyhow::Result<()> {
    if crate::db::settings::get(db, PROBE_KEY).await?.is_some() {
        return Ok(());
    }
    let sealed = keyring().seal_str("hromada", PROBE_CONTEXT);
    // Ground floor, below `work`'s callers and not a use case: a plain transaction.
    let mut tx = db.begin().await?;
    crate::db::settings::set(&mut tx, PROBE_KEY, &sealed, crate::clock::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Seals the probe again under the current key (part of a rotation).
pub async fn reseal_probe(db: &crate::db::Db) -> anyhow::Result<u64> {
    let Some(probe) = crate::db::settings::get(db, PROBE_KEY).await? else {
        return Ok(0);
    };
    let ring = keyring();
    if !ring.is_stale(&probe) {
        return Ok(0);
    }
    ring.open(&probe, PROBE_CONTEXT)?;
    let sealed = ring.seal_str("hromada", PROBE_CONTEXT);
    // Ground floor, below `work`'s callers and not a use case: a plain transaction.
    let mut tx = db.begin().await?;
    crate::db::settings::set(&mut tx, PROBE_KEY, &sealed, crate::clock::now()).await?;
    tx.commit().await?;
    Ok(1)
}

/// Where the key comes from: `HROMADA_SECRET_KEY_FILE`, else a file beside the SQLite
/// database (`hromada.db.key`), made on first start. PostgreSQL serves several instances,
/// which must share one key, so there it must be named.
pub fn key_path(settings: &crate::config::Settings) -> anyhow::Result<Option<PathBuf>> {
    if let Some(path) = &settings.secret_key_file {
        return Ok(Some(path.clone()));
    }
    match crate::db::DbKind::from_url(&settings.database_url)? {
        crate::db::DbKind::Postgres => anyhow::bail!(
            "HROMADA_SECRET_KEY_FILE must name the key file when the database is PostgreSQL, so \
             that every instance seals and opens secrets with the same key; make one with \
             `hromada secrets new-key > FILE`"
        ),
        crate::db::DbKind::Sqlite => Ok(crate::db::sqlite_file(&settings.database_url)
            .map(|db| PathBuf::from(format!("{}.key", db.display())))),
    }
}

/// Loads the key named by the settings (making the file beside a SQLite database the first
/// time) and installs it for the process. Returns the path of a key file it made just now.
pub fn load_and_install(settings: &crate::config::Settings) -> anyhow::Result<Option<PathBuf>> {
    let Some(path) = key_path(settings)? else {
        // An in-memory SQLite database keeps nothing, so neither does its key.
        install(Keyring::ephemeral(), None)?;
        return Ok(None);
    };
    let mut made = None;
    if !path.exists() && settings.secret_key_file.is_none() {
        write_new_key_file(&path)?;
        tracing::info!(path = %path.display(), "made a new secret key file beside the database; keep it with the database's backups");
        made = Some(path.clone());
    }
    install(Keyring::read(&path)?, Some(path))?;
    Ok(made)
}

/// Writes a new key file readable by its owner only.
pub fn write_new_key_file(path: &Path) -> anyhow::Result<()> {
    let text = format!(
        "# hromada secret key: seals second-factor seeds and mailed links in the database.\n\
         # Keep it with the database's backups; without it those values cannot be read.\n{}\n",
        new_key_line()
    );
    write_private(path, &text)
}

/// Writes `text` to `path` with mode 0600, replacing it atomically.
pub fn write_private(path: &Path, text: &str) -> anyhow::Result<()> {
    use std::io::Write;
    let tmp = path.with_extension("key.tmp");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(&tmp)
        .map_err(|e| anyhow::anyhow!("cannot write the key file {}: {e}", tmp.display()))?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, path)
        .map_err(|e| anyhow::anyhow!("cannot write the key file {}: {e}", path.display()))?;
    Ok(())
}

/// A fresh random secret: 32 bytes, URL-safe base64, with a readable prefix. Unlike the sealed
/// values above, such a secret is handed out (a session cookie, a token, a link) and, where it
/// is stored, stored as its [`secret_hash`].
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Whether a cookie value has the shape of [`new_secret`]'s output, so junk is not looked up.
pub fn looks_like_secret(s: &str) -> bool {
    (20..=100).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Secrets are stored only as SHA-256 hashes; a leaked table opens no session.
pub fn secret_hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_value_opens_only_in_its_context() {
        let ring = Keyring::ephemeral();
        let sealed = ring.seal_str("JBSWY3DPEHPK3PXP", "totp:1");
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(
            ring.open_str(&sealed, "totp:1").as_deref(),
            Ok("JBSWY3DPEHPK3PXP")
        );
        assert_eq!(ring.open_str(&sealed, "totp:2"), Err(SecretError::Damaged));
    }

    #[test]
    fn another_key_cannot_open_and_a_rotated_ring_can() {
        let old = Keyring::ephemeral();
        let sealed = old.seal_str("x", "c");
        let other = Keyring::ephemeral();
        assert!(matches!(
            other.open(&sealed, "c"),
            Err(SecretError::UnknownKey(_))
        ));
        let old_line = STANDARD.encode([0u8; 32]);
        let fixed = Keyring::parse(&old_line).expect("parses");
        let sealed = fixed.seal_str("y", "c");
        let rotated = Keyring::parse(&format!("{}\n{old_line}\n", new_key_line())).expect("parses");
        assert!(rotated.is_stale(&sealed));
        assert_eq!(rotated.open_str(&sealed, "c").as_deref(), Ok("y"));
        assert!(!rotated.is_stale(&rotated.seal_str("y", "c")));
    }

    #[test]
    fn a_running_process_follows_a_rotation_by_reading_its_key_file_again() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("k");
        write_new_key_file(&path).expect("key");
        let mut installed = Installed {
            ring: Arc::new(Keyring::read(&path).expect("read")),
            path: Some(path.clone()),
            last_read: Instant::now() - RELOAD_EVERY,
        };
        // Another instance rotates: a new key first, the old one kept.
        let old = std::fs::read_to_string(&path).expect("old");
        let rotated = format!("{}\n{old}", new_key_line());
        write_private(&path, &rotated).expect("rotate");
        let elsewhere = Keyring::read(&path).expect("rotated");
        let sealed = elsewhere.seal_str("seed", "totp:1");
        let id = elsewhere.current_id().to_string();
        assert!(matches!(
            installed.ring.open_here(&sealed, "totp:1"),
            Err(SecretError::UnknownKey(_))
        ));
        let newer = reload(&mut installed, &id).expect("the file holds the key now");
        assert_eq!(newer.open_str(&sealed, "totp:1").as_deref(), Ok("seed"));
        assert_eq!(
            installed.ring.current_id(),
            id,
            "it now seals with the new key"
        );
        // A key that is in no file is not looked for again and again.
        assert!(reload(&mut installed, "ffffffff").is_none());
    }

    #[test]
    fn damaged_values_and_bad_key_files_are_errors() {
        let ring = Keyring::ephemeral();
        let mut sealed = ring.seal_str("x", "c");
        sealed.push('A');
        assert!(ring.open(&sealed, "c").is_err());
        assert_eq!(ring.open("plain", "c"), Err(SecretError::NotSealed));
        assert!(Keyring::parse("").is_err());
        assert!(Keyring::parse("not base64!").is_err());
        assert!(Keyring::parse(&STANDARD.encode([1u8; 16])).is_err());
    }

    #[test]
    fn secrets_are_random_and_hashed() {
        let a = new_secret("hro_");
        let b = new_secret("hro_");
        assert_ne!(a, b);
        assert!(a.starts_with("hro_") && a.len() > 40);
        assert_eq!(secret_hash(&a).len(), 64);
        assert_ne!(secret_hash(&a), secret_hash(&b));
    }
}
