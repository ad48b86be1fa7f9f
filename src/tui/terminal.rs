//! The terminal's lifecycle: refuse to start without one, enter raw mode and the alternate
//! screen, and always leave them — on quit, on panic (ratatui's hook), on every signal whose
//! default action would end the process ([`QUIT_SIGNALS`], turned into a flag the event loop
//! checks), and around Ctrl-Z.

use std::io::{self, IsTerminal};
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};

use ratatui::DefaultTerminal;

/// Why the TUI cannot start.
#[derive(Debug, thiserror::Error)]
pub enum TerminalError {
    #[error(
        "the notebook screen needs a terminal (stdin and stdout must be a TTY, TERM not dumb); use `kam agenda` and the other subcommands from scripts"
    )]
    NotATerminal,
    #[error("terminal: {0}")]
    Io(#[from] io::Error),
}

/// Fails unless stdin and stdout are a real, capable terminal.
pub fn check() -> Result<(), TerminalError> {
    let dumb = std::env::var("TERM").is_ok_and(|t| t == "dumb" || t.is_empty());
    if io::stdin().is_terminal() && io::stdout().is_terminal() && !dumb {
        Ok(())
    } else {
        Err(TerminalError::NotATerminal)
    }
}

/// Raw mode and the alternate screen; ratatui's panic hook restores the terminal on a panic.
pub fn enter() -> Result<DefaultTerminal, TerminalError> {
    Ok(ratatui::try_init()?)
}

/// Back to the shell's terminal. Errors are ignored: after a hangup there is no terminal left.
pub fn leave() {
    let _ = ratatui::try_restore();
}

/// Ctrl-Z: restore the terminal, stop the process (as the shell expects), and take the
/// terminal back when `fg` continues it.
pub fn suspend(terminal: &mut DefaultTerminal) -> Result<(), TerminalError> {
    leave();
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    resume(terminal)
}

/// Takes the terminal back after [`leave`] (raw mode, alternate screen, a full redraw next).
/// Not [`enter`] again: that would stack one more panic hook each time.
pub fn resume(terminal: &mut DefaultTerminal) -> Result<(), TerminalError> {
    crossterm::terminal::enable_raw_mode()?;
    crossterm::execute!(io::stdout(), crossterm::terminal::EnterAlternateScreen)?;
    terminal.clear()?;
    Ok(())
}

/// The signals whose default action ends the process, and that can be caught: each one ends
/// the TUI through its normal quit path (draft kept, terminal restored, exit 128 + n) instead of
/// killing it in raw mode on the alternate screen. Not SIGKILL and SIGSTOP (cannot be caught),
/// nor the fault signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT): a handler
/// that returns would run the faulting code again; a panic (SIGABRT) is ratatui's hook's.
pub const QUIT_SIGNALS: &[i32] = {
    use signal_hook::consts::signal::{
        SIGALRM, SIGHUP, SIGINT, SIGIO, SIGPIPE, SIGPROF, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2,
        SIGVTALRM, SIGXCPU, SIGXFSZ,
    };
    &[
        SIGTERM, SIGHUP, SIGINT, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF,
        SIGXCPU, SIGXFSZ, SIGIO,
    ]
};

/// Set when one of [`QUIT_SIGNALS`] arrives; the event loop then quits the normal way.
///
/// A watchdog thread backs it up: after a hangup (the terminal closed under us) crossterm can
/// spin reading an endless end-of-file without returning to the loop, so if the process has not
/// ended within [`GRACE`] of the signal, the watchdog restores the terminal (if one is left) and
/// ends it; a capture draft is already saved by the ticks.
/// The number of the signal that asked to quit (0: none yet).
pub struct QuitSignal(Arc<AtomicI32>);

/// How long the event loop has to quit after a signal before the watchdog ends the process.
const GRACE: std::time::Duration = std::time::Duration::from_secs(2);

impl QuitSignal {
    pub fn register() -> Result<Self, TerminalError> {
        let flag = Arc::new(AtomicI32::new(0));
        let mut signals = signal_hook::iterator::Signals::new(QUIT_SIGNALS)?;
        let raised = Arc::clone(&flag);
        std::thread::Builder::new()
            .name("quit-watchdog".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    raised.store(signal, Ordering::Relaxed);
                    std::thread::sleep(GRACE);
                    leave();
                    signal_hook::low_level::exit(128 + signal);
                }
            })?;
        Ok(QuitSignal(flag))
    }

    /// The signal that asked to quit, if one did.
    pub fn raised(&self) -> Option<i32> {
        match self.0.load(Ordering::Relaxed) {
            0 => None,
            signal => Some(signal),
        }
    }
}
