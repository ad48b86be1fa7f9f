//! `kam` run as a user runs it from a shell, on a notebook of its own in a temporary folder, at
//! a fixed moment and zone, with a config file of the test's choosing: the one harness of the
//! end-to-end tests of the CLI (`cli`, `deals`, `dealprod`, `ontime`, `calfiles`, `tov`,
//! `sales`, `tuiterr`). A test module keeps its own seed notebooks as functions that return a
//! [`Shell`].

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

/// The moment every command runs at, unless a test says otherwise.
pub const NOW: &str = "2026-11-27T08:00:00+00:00";

/// A notebook and its config in a temporary folder.
pub struct Shell {
    pub dir: TempDir,
    /// The moment commands run at (`KAM_NOW`).
    now: &'static str,
    /// The machine's zone (`TZ`).
    tz: &'static str,
    /// `NO_COLOR` set, rather than removed.
    no_color: bool,
}

impl Shell {
    /// An empty folder: no notebook yet, no config.
    pub fn new() -> Self {
        Shell {
            dir: tempfile::tempdir().unwrap(),
            now: NOW,
            tz: "UTC",
            no_color: false,
        }
    }

    /// With `config` as its `kamnote/config.toml`.
    pub fn with_config(config: &str) -> Self {
        let shell = Shell::new();
        let dir = shell.dir.path().join("kamnote");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("config.toml"), config).unwrap();
        shell
    }

    /// Commands run at `now` (RFC 3339) rather than [`NOW`].
    pub fn at(mut self, now: &'static str) -> Self {
        self.now = now;
        self
    }

    /// The machine's zone is `tz` rather than UTC.
    pub fn in_zone(mut self, tz: &'static str) -> Self {
        self.tz = tz;
        self
    }

    /// `NO_COLOR` is set for every command.
    pub fn no_color(mut self) -> Self {
        self.no_color = true;
        self
    }

    /// The notebook file.
    pub fn db(&self) -> PathBuf {
        self.path("kam.db")
    }

    /// A file `name` in the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn kam(&self) -> Command {
        self.kam_at(self.now)
    }

    /// `kam` at another moment.
    pub fn kam_at(&self, now: &str) -> Command {
        let mut cmd = Command::cargo_bin("kam").unwrap();
        cmd.env("TZ", self.tz)
            .env("KAM_NOW", now)
            .env("KAM_DB", self.db())
            // the settings file is the test's own, never the machine user's
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env_remove("KAM_CONFIG");
        if self.no_color {
            cmd.env("NO_COLOR", "1");
        } else {
            cmd.env_remove("NO_COLOR");
        }
        cmd
    }

    /// Runs `args`, which must succeed: its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_at(self.now, args)
    }

    /// As [`Shell::ok`], at another moment.
    pub fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self
            .kam_at(now)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
    }

    /// Runs `args`, which must succeed: its standard output as JSON.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        serde_json::from_str(&self.ok(args)).unwrap()
    }

    /// Runs `args`, which must fail: its standard error.
    pub fn fails(&self, args: &[&str]) -> String {
        let out = self
            .kam()
            .args(args)
            .assert()
            .failure()
            .get_output()
            .clone();
        String::from_utf8(out.stderr).unwrap()
    }

    /// Runs a command that must fail with a usage error (exit 2): its standard error.
    pub fn refused(&self, args: &[&str]) -> String {
        let out = self.kam().args(args).assert().code(2).get_output().clone();
        String::from_utf8(out.stderr).unwrap()
    }

    /// The whole notebook as JSON Lines.
    pub fn export(&self) -> String {
        self.ok(&["export", "--format", "jsonl"])
    }

    /// Imports `bytes` as file `name` with extra arguments: what kam said.
    pub fn import_bytes(&self, name: &str, bytes: &[u8], extra: &[&str]) -> String {
        let file = self.path(name);
        std::fs::write(&file, bytes).unwrap();
        let mut args = vec!["import", file.to_str().unwrap()];
        args.extend_from_slice(extra);
        self.ok(&args)
    }

    /// Imports `text` as file `name`: what kam said.
    pub fn import(&self, name: &str, text: &str) -> String {
        self.import_bytes(name, text.as_bytes(), &[])
    }

    /// The notebook's records of `kind` (`interaction`, `person`, `account`, `followup`…).
    pub fn records(&self, kind: &str) -> Vec<serde_json::Value> {
        self.ok(&["export", "--format", "jsonl"])
            .lines()
            .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
            .filter(|v| v["type"] == kind)
            .collect()
    }

    /// `field` of every record of `kind`, sorted (empty where it has none).
    pub fn field(&self, kind: &str, field: &str) -> Vec<String> {
        let mut out: Vec<String> = self
            .records(kind)
            .iter()
            .map(|r| r[field].as_str().unwrap_or_default().to_string())
            .collect();
        out.sort();
        out
    }
}
