//! `kam remind --within 15m`: for cron or a systemd user timer. Prints one line per meeting
//! that starts, or whose time to leave falls, within the window, and where `notify-send` is on
//! the PATH sends it as a desktop notification too; each once ([`crate::remind`] remembers).
//! Nothing due: no output, exit 0. The text is data: sanitized for the terminal, and for the
//! notification (whose body many servers read as markup) `&`, `<` and `>` are escaped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::args::RemindArgs;
use super::{CliError, Ctx};
use crate::text::sanitize_line;

/// How long a notification may take before it is given up (a session without a notification
/// daemon can make `notify-send` wait for D-Bus).
const NOTIFY_WAIT: Duration = Duration::from_secs(5);

/// `kam remind [--within 15m] [--no-notify]`.
pub fn run(ctx: &mut Ctx, args: &RemindArgs) -> Result<(), CliError> {
    let within = crate::when::parse_duration(&args.within)
        .map_err(|e| CliError::usage(format!("--within {}: {e}", sanitize_line(&args.within))))?;
    let now = ctx.clock.now();
    let due = crate::remind::take_due(&mut ctx.store, &now, within)?;
    let notifier = if args.no_notify {
        None
    } else {
        on_path("notify-send")
    };
    for r in &due {
        let title = sanitize_line(&r.title(&now)).into_owned();
        let body = sanitize_line(&r.body(&now)).into_owned();
        ctx.out.line(&format!("{title} — {body}"))?;
        if let Some(program) = &notifier {
            if let Err(e) = notify(program, &title, &body) {
                super::output::to_stderr(&format!(
                    "kam remind: notify-send failed ({}); the reminder is printed\n",
                    sanitize_line(&e)
                ));
            }
        }
    }
    ctx.out.flush()
}

/// The executable `name` in a directory of `PATH`, if any.
fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| is_executable(p))
}

#[cfg(unix)]
fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(p: &Path) -> bool {
    p.is_file()
}

/// Text for a notification body: `&`, `<`, `>` as entities.
fn markup_escaped(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Runs `notify-send --app-name=kamnote -- TITLE BODY`, waiting at most [`NOTIFY_WAIT`].
fn notify(program: &Path, title: &str, body: &str) -> Result<(), String> {
    let mut child = Command::new(program)
        .arg("--app-name=kamnote")
        .arg("--")
        .arg(title)
        .arg(markup_escaped(body))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) if status.success() => return Ok(()),
            Some(status) => return Err(format!("it exited with {status}")),
            None if started.elapsed() > NOTIFY_WAIT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!("no answer in {} s", NOTIFY_WAIT.as_secs()));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notification_body_cannot_carry_markup() {
        assert_eq!(
            markup_escaped("<b>R&D</b> review"),
            "&lt;b&gt;R&amp;D&lt;/b&gt; review"
        );
    }
}
