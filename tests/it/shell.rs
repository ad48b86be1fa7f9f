//! `kam` run as a user runs it from a shell, on a notebook of its own in a temporary folder, at
//! a fixed moment and zone, with a config file of the test's choosing: for the end-to-end tests
//! of the CLI (`tov`, `sales`).

#![allow(clippy::unwrap_used)] // test setup panics on failure by design

use assert_cmd::Command;
use tempfile::TempDir;

/// The moment every command runs at, unless a test says otherwise.
pub const NOW: &str = "2026-11-27T08:00:00+00:00";

/// A notebook and its config in a temporary folder.
pub struct Shell {
    pub dir: TempDir,
}

impl Shell {
    /// An empty folder: no notebook yet, no config.
    pub fn new() -> Self {
        Shell {
            dir: tempfile::tempdir().unwrap(),
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

    pub fn kam(&self) -> Command {
        let mut cmd = Command::cargo_bin("kam").unwrap();
        cmd.env("TZ", "UTC")
            .env("KAM_NOW", NOW)
            .env("KAM_DB", self.dir.path().join("kam.db"))
            .env("XDG_CONFIG_HOME", self.dir.path())
            .env_remove("KAM_CONFIG")
            .env_remove("NO_COLOR");
        cmd
    }

    /// Runs `args`, which must succeed: its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        self.ok_at(NOW, args)
    }

    /// As [`Shell::ok`], at another moment.
    pub fn ok_at(&self, now: &str, args: &[&str]) -> String {
        let out = self
            .kam()
            .env("KAM_NOW", now)
            .args(args)
            .assert()
            .success()
            .get_output()
            .clone();
        String::from_utf8(out.stdout).unwrap()
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

    /// The whole notebook as JSON Lines.
    pub fn export(&self) -> String {
        self.ok(&["export", "--format", "jsonl"])
    }
}
