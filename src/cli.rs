//! The `hromada` command line: serve, migrate, user add, token create, check-config.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::auth::{self, actions};
use crate::config::{LogFormat, Settings};
use crate::db::Db;
use crate::i18n::Lang;
use crate::identity::Role;
use crate::work::Actor;

#[derive(Parser, Debug)]
#[command(name = "hromada", version, about = "The platform of an association of Ukrainian local governments",
    after_help = Settings::help_table())]
pub struct Cli {
    /// TOML file with settings (keys as below, in lower case without the HROMADA_ prefix).
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the web server (the default).
    Serve {
        /// Add clearly marked demo content to an empty database.
        #[arg(long)]
        demo: bool,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Write every table to one portable archive (gzip JSON Lines; holds password hashes and
    /// second-factor secrets: keep it safe). Works while the server runs.
    Export {
        /// The archive to create; it must not exist yet.
        file: PathBuf,
    },
    /// Load an archive written by `export` into an empty database of either kind, all or nothing.
    Import {
        /// The archive to read.
        file: PathBuf,
    },
    /// The registry of territorial units.
    Registry {
        #[command(subcommand)]
        command: RegistryCommand,
    },
    /// Municipal statistics.
    Statistics {
        #[command(subcommand)]
        command: StatisticsCommand,
    },
    /// Check the settings and the database connection, then exit.
    CheckConfig,
    /// The key that seals secrets in the database (second-factor seeds, links waiting in the
    /// outbox, subscribers' links).
    Secrets {
        #[command(subcommand)]
        command: SecretsCommand,
    },
}

#[derive(Subcommand, Debug)]
pub enum SecretsCommand {
    /// Print a new key line, to start a key file for PostgreSQL (`> hromada.key`, mode 0600).
    NewKey,
    /// Put a new key first in the key file, keep the old ones for opening, and re-seal every
    /// sealed value under the new key. Restart every instance afterwards.
    Rotate,
}

#[derive(Subcommand, Debug)]
pub enum StatisticsCommand {
    /// Import values from a CSV or XLSX file with the columns unit, indicator, period, value
    /// and optionally comment (a CSV: comma or semicolon separated, UTF-8), as approved values.
    /// Every bad row is reported with its line; by default nothing is kept when any row is bad.
    Import {
        file: PathBuf,
        /// Keep the good rows of a file with bad ones.
        #[arg(long)]
        good_rows: bool,
        /// Where the values come from (stored with each value); the file's name by default.
        #[arg(long)]
        source: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RegistryCommand {
    /// Load a newer edition of the codifier (КАТОТТГ, the Ministry's `;`-separated CSV):
    /// shows what it changes, then applies it in one transaction when confirmed.
    Import {
        /// The codifier file.
        file: PathBuf,
        /// The edition's date (YYYY-MM-DD); read from names like kodifikator-DD-MM-YYYY.csv.
        #[arg(long)]
        edition: Option<chrono::NaiveDate>,
        /// Apply without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Record units' statuses from a CSV file with the header `code,status,since[,note]`
    /// (status: rear, frontline, occupied or deoccupied): every row or none.
    Statuses {
        /// The CSV file (UTF-8, comma or semicolon separated).
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
pub enum UserCommand {
    /// Create an account. The password is read from standard input when it is not a terminal;
    /// otherwise a one-time password is printed once.
    Add {
        #[arg(long)]
        email: String,
        /// admin, editor, coordinator, community_official, section_coordinator, partner, club_committee or club_chair.
        #[arg(long)]
        role: String,
        /// Regional office, community or section, for scoped roles.
        #[arg(long, default_value = "")]
        scope: String,
        /// Display name; defaults to the part of the email before @.
        #[arg(long)]
        name: Option<String>,
        /// Language of the account: uk or en.
        #[arg(long, default_value = "uk")]
        lang: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenCommand {
    /// Create an API token for an account and print it. An operator at the server's command
    /// line needs no second factor for this.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "command line")]
        name: String,
    },
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("hromada: {e:#}");
            return ExitCode::from(2);
        }
    };
    init_logging(&settings);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("hromada: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(
        cli.command.unwrap_or(Command::Serve { demo: false }),
        settings,
    )) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("hromada: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging(settings: &Settings) {
    let filter = tracing_subscriber::EnvFilter::try_new(&settings.log_level)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match settings.log_format {
        LogFormat::Json => builder.json().try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

async fn open(settings: &Settings) -> anyhow::Result<Db> {
    // Before anything reads or writes a sealed value.
    let made = crate::secrets::load_and_install(settings)?;
    let db = Db::connect(&settings.database_url, settings.db_max_connections).await?;
    db.migrate().await?;
    if let Err(e) = crate::secrets::check_database(&db).await {
        // A key made just now for a database whose values another key sealed (a restored
        // file without its key) is no use to anyone: leave no file to confuse the next start.
        if let Some(path) = made {
            let _ = std::fs::remove_file(path);
        }
        return Err(e);
    }
    Ok(db)
}

fn print_summary(verb: &str, summary: &crate::db::archive::Summary, file: &std::path::Path) {
    let rows: u64 = summary.iter().map(|(_, n)| n).sum();
    for (table, n) in summary {
        println!("{table:<24} {n:>10}");
    }
    println!(
        "{verb} {rows} rows in {} tables ({})",
        summary.len(),
        file.display()
    );
}

async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo } => serve(settings, demo).await,
        Command::Migrate => {
            let db = open(&settings).await?;
            println!("migrations applied");
            if crate::registry::actions::ensure_loaded(&db, &Actor::system("start-up")).await? {
                println!("registry loaded from the shipped codifier");
            }
            crate::members::actions::ensure_sections(&db, &Actor::system("start-up")).await?;
            if crate::statistics::actions::ensure_loaded(&db, &Actor::system("start-up")).await? {
                println!("statistics loaded from the shipped data");
            }
            crate::news::actions::ensure_sectors(&db, &Actor::system("start-up")).await?;
            Ok(())
        }
        Command::Registry {
            command: RegistryCommand::Import { file, edition, yes },
        } => registry_import(&settings, &file, edition, yes).await,
        Command::Registry {
            command: RegistryCommand::Statuses { file },
        } => registry_statuses(&settings, &file).await,
        Command::Statistics {
            command:
                StatisticsCommand::Import {
                    file,
                    good_rows,
                    source,
                },
        } => statistics_import(&settings, &file, good_rows, source).await,
        Command::Export { file } => {
            let db = open(&settings).await?;
            let summary = crate::db::archive::export_file(&db, &file).await?;
            print_summary("exported", &summary, &file);
            Ok(())
        }
        Command::Import { file } => {
            let db = open(&settings).await?;
            let summary = crate::db::archive::import_file(&db, &file).await?;
            print_summary("imported", &summary, &file);
            Ok(())
        }
        Command::Secrets {
            command: SecretsCommand::NewKey,
        } => {
            println!("{}", crate::secrets::new_key_line());
            Ok(())
        }
        Command::Secrets {
            command: SecretsCommand::Rotate,
        } => {
            let Some(path) = crate::secrets::key_path(&settings)? else {
                anyhow::bail!("an in-memory database has no key file to rotate");
            };
            let old = if path.exists() {
                std::fs::read_to_string(&path)?
            } else {
                anyhow::bail!("the key file {} does not exist yet", path.display());
            };
            crate::secrets::Keyring::parse(&old)?;
            let text = format!(
                "# hromada secret key; the first key seals, every key opens.\n{}\n{}",
                crate::secrets::new_key_line(),
                old.lines()
                    .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
                    .map(|l| format!("{l}\n"))
                    .collect::<String>()
            );
            crate::secrets::write_private(&path, &text)?;
            let db = open(&settings).await?;
            crate::secrets::ensure_probe(&db).await?;
            let resealed = crate::app::reseal_all(&db).await?;
            println!(
                "new key {} is first in {}; {resealed} values sealed again. Restart every instance.",
                crate::secrets::keyring().current_id(),
                path.display()
            );
            Ok(())
        }
        Command::CheckConfig => {
            let db = open(&settings).await?;
            db.ping().await?;
            println!("configuration is valid; database {:?} reachable", db.kind());
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    email,
                    role,
                    scope,
                    name,
                    lang,
                },
        } => {
            let role = Role::parse(&role).ok_or_else(|| {
                let all: Vec<_> = Role::ALL.iter().map(|r| r.code()).collect();
                anyhow::anyhow!("unknown role {role:?}; one of: {}", all.join(", "))
            })?;
            let lang =
                Lang::parse(&lang).ok_or_else(|| anyhow::anyhow!("--lang must be uk or en"))?;
            let (password, printed) = read_password()?;
            let state = crate::app::state(open(&settings).await?, settings);
            let display_name =
                name.unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
            let account = actions::NewAccount {
                email: email.clone(),
                display_name,
                role,
                scope,
                lang,
                password: Some(password.clone()),
                email_verified: true,
                is_demo: false,
            };
            actions::create_account(&state, &Actor::system("command line"), account)
                .await
                .map_err(|e| anyhow::anyhow!(describe(e, Lang::En)))?;
            println!("created {email} with role {}", role.code());
            if printed {
                println!("one-time password (shown once, change it after logging in): {password}");
            }
            Ok(())
        }
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => {
            let state = crate::app::state(open(&settings).await?, settings);
            let email = email.trim().to_lowercase();
            let user = auth::repo::find_user_by_email(&state.db, &email)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no account with email {email}"))?;
            let (_, token) =
                actions::create_token(&state.db, &Actor::system("command line"), user.id, &name)
                    .await
                    .map_err(|e| anyhow::anyhow!(describe(e, Lang::En)))?;
            println!("{token}");
            Ok(())
        }
    }
}

/// A readable line for an error met on the command line.
fn describe(err: crate::error::AppError, lang: Lang) -> String {
    match err {
        crate::error::AppError::Invalid(fields) => fields
            .iter()
            .map(|(f, k)| format!("{f}: {}", lang.t(k)))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn read_password() -> anyhow::Result<(String, bool)> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok((auth::one_time_password(), true));
    }
    let mut input = String::new();
    stdin.lock().read_to_string(&mut input)?;
    let password = input.lines().next().unwrap_or("").to_string();
    if password.is_empty() {
        return Ok((auth::one_time_password(), true));
    }
    Ok((password, false))
}

async fn statistics_import(
    settings: &Settings,
    file: &std::path::Path,
    good_rows: bool,
    source: Option<String>,
) -> anyhow::Result<()> {
    use crate::statistics::actions::{self, ImportMode};
    let name = file.display().to_string();
    let mut input =
        std::fs::File::open(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    // A workbook is a zip archive: it starts with "PK\x03\x04".
    let mut magic = [0u8; 4];
    let is_xlsx = std::io::Read::read(&mut input, &mut magic).is_ok_and(|n| n == 4)
        && magic == *b"PK\x03\x04";
    let input = if is_xlsx {
        actions::ImportFile::Xlsx(
            std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?,
        )
    } else {
        actions::ImportFile::Csv(
            std::fs::File::open(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?,
        )
    };
    let db = open(settings).await?;
    let actor = Actor::system("command line");
    crate::registry::actions::ensure_loaded(&db, &actor).await?;
    actions::ensure_loaded(&db, &actor).await?;
    let mode = if good_rows {
        ImportMode::GoodRows
    } else {
        ImportMode::AllOrNothing
    };
    let source = source.unwrap_or_else(|| {
        file.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| name.clone())
    });
    let report = actions::import_file(&db, &actor, input, mode, &source, None).await?;
    for e in &report.errors {
        let reason = crate::i18n::Lang::En.t(e.key);
        if e.found.is_empty() {
            println!("line {}: {reason}", e.line);
        } else {
            println!("line {}: {reason} ({:?})", e.line, e.found);
        }
    }
    if report.bad as usize > report.errors.len() {
        println!(
            "… and {} more bad rows",
            report.bad as usize - report.errors.len()
        );
    }
    println!(
        "{name}: {} rows, {} good, {} bad; {} values written, {} already so",
        report.rows,
        report.good,
        report.bad,
        report.written,
        if report.committed {
            report.good - report.written
        } else {
            0
        }
    );
    if !report.committed {
        anyhow::bail!(
            "nothing imported: fix the bad rows, or add --good-rows to keep the good ones"
        );
    }
    Ok(())
}

async fn registry_statuses(settings: &Settings, file: &std::path::Path) -> anyhow::Result<()> {
    use crate::registry::{actions, attributes};
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let rows = attributes::parse_status_csv(&bytes).map_err(|errors| {
        let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
        anyhow::anyhow!(
            "{name} has {} bad rows; nothing recorded:\n{}",
            errors.len(),
            lines.join("\n")
        )
    })?;
    let db = open(settings).await?;
    match actions::set_statuses(&db, &Actor::system("command line"), &rows).await {
        Ok(n) => {
            println!("recorded {n} statuses from {name}");
            Ok(())
        }
        Err(actions::StatusesError::Rows(problems)) => {
            let lines: Vec<String> = problems
                .iter()
                .map(|(line, code, problem)| match problem {
                    actions::StatusProblem::UnknownUnit => {
                        format!("line {line}: no unit has the code {code}")
                    }
                    actions::StatusProblem::DateOutOfRange => {
                        format!("line {line} ({code}): the date must be 2014-01-01 … today")
                    }
                })
                .collect();
            anyhow::bail!(
                "{name} has {} rows that cannot be recorded; nothing recorded:\n{}",
                problems.len(),
                lines.join("\n")
            )
        }
        Err(actions::StatusesError::Db(e)) => Err(e.into()),
    }
}

async fn registry_import(
    settings: &Settings,
    file: &std::path::Path,
    edition: Option<chrono::NaiveDate>,
    yes: bool,
) -> anyhow::Result<()> {
    use crate::registry::actions;
    let name = file.display().to_string();
    let edition = edition
        .or_else(|| actions::edition_from_file_name(&name))
        .ok_or_else(|| {
            anyhow::anyhow!(
                "give the edition's date with --edition YYYY-MM-DD ({name} does not name it)"
            )
        })?;
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let db = open(settings).await?;
    let preview = actions::preview(&db, &bytes).await?;
    let d = &preview.diff;
    println!("edition of {edition} ({} units):", preview.units.len());
    for u in &d.added {
        println!(
            "  added    {} {} ({})",
            u.code,
            u.name_uk,
            u.category.letter()
        );
    }
    for (code, old, new) in &d.renamed {
        println!("  renamed  {code} {old} → {new}");
    }
    for (code, old, new) in &d.moved {
        let show = |p: &Option<String>| p.clone().unwrap_or_else(|| "—".into());
        println!("  moved    {code} {} → {}", show(old), show(new));
    }
    for code in &d.removed {
        println!("  removed  {code}");
    }
    for (old, new) in &d.recoded {
        println!("  new code {old} → {new} (the old code will still find the unit)");
    }
    println!(
        "{} added, {} renamed, {} moved, {} removed ({} of them under a new code)",
        d.added.len(),
        d.renamed.len(),
        d.moved.len(),
        d.removed.len(),
        d.recoded.len()
    );
    if !yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!("nothing applied: add --yes to apply without a terminal");
        }
        print!("apply? [y/N] ");
        std::io::Write::flush(&mut std::io::stdout())?;
        let mut answer = String::new();
        std::io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "так") {
            println!("nothing applied");
            return Ok(());
        }
    }
    let id = actions::apply(
        &db,
        &Actor::system("command line"),
        &preview,
        edition,
        &name,
    )
    .await?;
    println!("applied as edition #{id}");
    Ok(())
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    let listener = tokio::net::TcpListener::bind(&settings.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", settings.listen))?;
    let db = open(&settings).await?;
    if crate::registry::actions::ensure_loaded(&db, &Actor::system("start-up")).await? {
        tracing::info!("registry loaded from the shipped codifier");
    }
    crate::members::actions::ensure_sections(&db, &Actor::system("start-up")).await?;
    crate::news::actions::ensure_sectors(&db, &Actor::system("start-up")).await?;
    crate::statistics::actions::ensure_loaded(&db, &Actor::system("start-up")).await?;
    crate::secrets::ensure_probe(&db).await?;
    let resealed = crate::app::reseal_all(&db).await?;
    if resealed > 0 {
        tracing::info!(count = resealed, "secrets sealed under the current key");
    }
    let state = crate::app::state(db.clone(), settings.clone());
    crate::statistics::collection::reminders::ensure_scheduled(&state).await?;
    if demo {
        crate::demo::seed_association(&state).await?;
        crate::demo::seed(&state).await?;
        crate::demo::seed_club(&state).await?;
        crate::demo::seed_news(&state).await?;
        crate::demo::seed_statistics(&state.db).await?;
        crate::demo::seed_releases(&state).await?;
    }
    // Build the registry snapshot (tree and search index) before the first visitor needs it,
    // so no request waits for it.
    state
        .part::<crate::registry::snapshot::Cache>()
        .get(&db)
        .await?;
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let transport = settings
        .smtp_url
        .as_deref()
        .map(crate::mail::transport_from_url)
        .transpose()?;
    let worker = crate::mail::worker::Worker {
        db: db.clone(),
        owner: state.instance.clone(),
        transport,
        from: crate::mail::parse_mailbox(&settings.mail_from)?,
        wakeup: state.mail_wakeup.clone(),
        poll: std::time::Duration::from_secs(5),
    };
    let worker = tokio::spawn(worker.run(stop_rx.clone()));
    let jobs = tokio::spawn(crate::jobs::run(
        state.clone(),
        state.jobs_wakeup.clone(),
        stop_rx,
    ));
    let app =
        crate::app::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    tracing::info!(address = %settings.listen, database = ?db.kind(), ms = started.elapsed().as_millis() as u64, "hromada is listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("shutting down: requests finished, stopping the mail worker and the jobs");
    let _ = stop_tx.send(true);
    let _ = worker.await;
    let _ = jobs.await;
    db.close().await;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
