//! Handing a text to the user's editor (`$VISUAL`, else `$EDITOR`, else `vi`) and reading it
//! back: `kam note` without text, and `Ctrl-E` in the TUI's capture popup. The text goes
//! through a private (0600, created fresh) temporary file that is removed afterwards.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;

/// Why the editor gave no text back.
#[derive(Debug, thiserror::Error)]
pub enum EditorError {
    #[error("the editor exited with {0}; nothing was saved")]
    Failed(std::process::ExitStatus),
    #[error("cannot start the editor {editor:?}: {source}")]
    Start {
        editor: String,
        source: std::io::Error,
    },
    #[error("temporary file for the editor: {0}")]
    File(#[from] std::io::Error),
}

/// The editor command the user asked for.
pub fn editor_command() -> String {
    std::env::var("VISUAL")
        .ok()
        .filter(|v| !v.trim().is_empty())
        .or_else(|| {
            std::env::var("EDITOR")
                .ok()
                .filter(|v| !v.trim().is_empty())
        })
        .unwrap_or_else(|| "vi".into())
}

/// Runs the editor on `initial` and returns the text as saved (with its final newline).
/// The terminal must be in its normal mode (not raw, not the alternate screen).
pub fn edit(initial: &str) -> Result<String, EditorError> {
    let editor = editor_command();
    let path = std::env::temp_dir().join(format!("kam-note-{}.md", uuid::Uuid::new_v4()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)?;
    let written = file
        .write_all(initial.as_bytes())
        .and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&path);
        return Err(e.into());
    }
    // Through the shell, so that EDITOR="code --wait" works.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$1\""))
        .arg("sh")
        .arg(&path)
        .status();
    let text = std::fs::read_to_string(&path);
    let _ = std::fs::remove_file(&path);
    match status {
        Ok(s) if s.success() => Ok(text?),
        Ok(s) => Err(EditorError::Failed(s)),
        Err(source) => Err(EditorError::Start { editor, source }),
    }
}
