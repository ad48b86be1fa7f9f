//! Encryption at rest from the command line (issue 15.4): `kam encrypt`, `kam decrypt`,
//! `kam rekey`, and where an encrypted notebook's passphrase comes from — first found wins:
//! `KAM_PASSPHRASE_CMD`, `[privacy] passphrase_cmd` (a command that prints it, e.g.
//! `pass show kam` or `secret-tool lookup kam notebook`), else the terminal, without echo. The
//! passphrase is never stored by kam.

use std::io::IsTerminal as _;
use std::path::Path;
use std::process::{Command, Stdio};

use super::error::CliError;
use super::output::Out;
use crate::config::Config;
use crate::store::{Passphrase, Store, backups_beside, is_encrypted};

/// The environment variable naming the command that prints the passphrase.
pub const PASSPHRASE_CMD: &str = "KAM_PASSPHRASE_CMD";
/// For `kam rekey` in a script: the command that prints the new passphrase.
pub const NEW_PASSPHRASE_CMD: &str = "KAM_NEW_PASSPHRASE_CMD";

/// The passphrase to open the notebook at `db` with: `None` when it is not encrypted.
pub fn for_notebook(db: &Path, config: &Config) -> Result<Option<Passphrase>, CliError> {
    if !is_encrypted(db) {
        return Ok(None);
    }
    current(db, config).map(Some)
}

/// `kam encrypt`: a plain notebook becomes an encrypted one, with the passphrase from the
/// command (if one is set) or typed twice.
pub fn encrypt(db: &Path, config: &Config, out: &mut Out) -> Result<(), CliError> {
    if is_encrypted(db) {
        return Err(CliError::usage(format!(
            "{} is already encrypted; `kam rekey` changes its passphrase",
            db.display()
        )));
    }
    let store = Store::open_existing(db)?;
    let key = match command_of(config) {
        Some(cmd) => from_command(&cmd)?,
        None => typed_twice(&format!("New passphrase for {}: ", db.display()))?,
    };
    store.convert(Some(&key))?;
    // Opened again as every later command will: the proof it worked.
    Store::open_existing_keyed(db, Some(key))?;
    out.line(&format!(
        "Encrypted {} (SQLCipher, AES-256): kam now asks for its passphrase, or runs {PASSPHRASE_CMD} / [privacy] passphrase_cmd",
        db.display()
    ))?;
    plain_backups(db, out)?;
    out.flush()
}

/// `kam decrypt`: an encrypted notebook becomes a plain one.
pub fn decrypt(db: &Path, config: &Config, out: &mut Out) -> Result<(), CliError> {
    let Some(key) = for_notebook(db, config)? else {
        return Err(CliError::usage(format!(
            "{} is not encrypted; nothing to do",
            db.display()
        )));
    };
    Store::open_existing_keyed(db, Some(key))?.convert(None)?;
    Store::open_existing(db)?;
    out.line(&format!(
        "Decrypted {}: it is a plain SQLite file again, readable by anyone who can read the file",
        db.display()
    ))?;
    out.flush()
}

/// `kam rekey`: an encrypted notebook gets a new passphrase (`KAM_NEW_PASSPHRASE_CMD`, or typed
/// twice).
pub fn rekey(db: &Path, config: &Config, out: &mut Out) -> Result<(), CliError> {
    let Some(old) = for_notebook(db, config)? else {
        return Err(CliError::usage(format!(
            "{} is not encrypted; `kam encrypt` encrypts it",
            db.display()
        )));
    };
    let store = Store::open_existing_keyed(db, Some(old))?;
    let new = match std::env::var(NEW_PASSPHRASE_CMD) {
        Ok(cmd) if !cmd.trim().is_empty() => from_command(&cmd)?,
        _ => typed_twice(&format!("New passphrase for {}: ", db.display()))?,
    };
    store.convert(Some(&new))?;
    Store::open_existing_keyed(db, Some(new))?;
    out.line(&format!(
        "New passphrase set for {}; update {PASSPHRASE_CMD} or [privacy] passphrase_cmd if it prints the old one",
        db.display()
    ))?;
    plain_backups(db, out)?;
    out.flush()
}

/// The current passphrase of the encrypted notebook at `db`.
fn current(db: &Path, config: &Config) -> Result<Passphrase, CliError> {
    if let Some(cmd) = command_of(config) {
        return from_command(&cmd);
    }
    if std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        return typed(&format!("Passphrase for {}: ", db.display()));
    }
    Err(CliError::usage(format!(
        "{} is encrypted: kam needs its passphrase — run kam in a terminal to type it, or set \
         {PASSPHRASE_CMD} (or [privacy] passphrase_cmd in the config) to a command that prints \
         it, e.g. {PASSPHRASE_CMD}=\"pass show kam\"",
        db.display()
    )))
}

/// The command that prints the passphrase, if the user set one.
fn command_of(config: &Config) -> Option<String> {
    std::env::var(PASSPHRASE_CMD)
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(|| config.privacy.passphrase_cmd.clone())
        .filter(|c| !c.trim().is_empty())
}

/// Runs `cmd` with the shell and takes the first line it prints as the passphrase (the
/// convention of `pass`).
fn from_command(cmd: &str) -> Result<Passphrase, CliError> {
    let output = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::inherit())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| CliError::usage(format!("cannot run the passphrase command: {e}")))?;
    if !output.status.success() {
        return Err(CliError::usage(format!(
            "the passphrase command failed ({}); nothing was opened",
            output.status
        )));
    }
    let printed = zeroize::Zeroizing::new(output.stdout);
    let text = std::str::from_utf8(&printed).map_err(|_| {
        CliError::usage("the passphrase command printed something that is not UTF-8 text")
    })?;
    let first = text.lines().next().unwrap_or("");
    Passphrase::new(first).map_err(|_| {
        CliError::usage("the passphrase command printed nothing; give a command that prints it")
    })
}

fn typed(question: &str) -> Result<Passphrase, CliError> {
    let text = zeroize::Zeroizing::new(
        rpassword::prompt_password(question)
            .map_err(|e| CliError::usage(format!("cannot read the passphrase: {e}")))?,
    );
    Passphrase::new(&text).map_err(|_| CliError::usage("an empty passphrase is not a passphrase"))
}

fn typed_twice(question: &str) -> Result<Passphrase, CliError> {
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        return Err(CliError::usage(format!(
            "no terminal to type the new passphrase at: set {PASSPHRASE_CMD} (for kam rekey: \
             {NEW_PASSPHRASE_CMD}) to a command that prints it"
        )));
    }
    let first = typed(question)?;
    let again = typed("The same passphrase again: ")?;
    if !first.same_as(&again) {
        return Err(CliError::usage(
            "the two passphrases differ; nothing was changed",
        ));
    }
    Ok(first)
}

/// Names the copies beside the notebook that are still plain (made before it was encrypted):
/// encryption cannot reach them.
fn plain_backups(db: &Path, out: &mut Out) -> Result<(), CliError> {
    let plain = backups_beside(db)
        .into_iter()
        .filter(|b| !is_encrypted(b))
        .collect::<Vec<_>>();
    if plain.is_empty() {
        return Ok(());
    }
    out.line("These copies beside it were made before and are NOT encrypted; delete them or keep them somewhere safe:")?;
    for b in plain {
        out.line(&format!("  {}", b.display()))?;
    }
    Ok(())
}
