//! `Ctrl-E` in the capture popup: leave the TUI's terminal (as Ctrl-Z does), run the user's
//! editor on the text, take the terminal back. The event loop calls it; the app only hands
//! over the text and takes the result.

use ratatui::DefaultTerminal;

use super::terminal::{self, TerminalError};

/// Runs `$VISUAL`/`$EDITOR` on `text` outside the TUI. The outer error is the terminal's (it
/// could not be taken back); the inner one is the editor's, for the status line.
pub fn edit(
    terminal: &mut DefaultTerminal,
    text: &str,
) -> Result<Result<String, String>, TerminalError> {
    terminal::leave();
    let edited = crate::editor::edit(text).map_err(|e| e.to_string());
    terminal::resume(terminal)?;
    Ok(edited)
}
