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
    /// The editor saved bytes that are not UTF-8 (another encoding): nothing is taken, and the
    /// file is left where it is so that no typed word is lost.
    #[error(
        "the editor saved text that is not UTF-8 (byte {at} is not); nothing was saved — your text is kept in {}: save it as UTF-8 (e.g. in vim :set fileencoding=utf-8) and try again",
        path.display()
    )]
    NotUtf8 { path: std::path::PathBuf, at: usize },
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
    edit_with(editor_command(), initial)
}

/// [`edit`] with the editor command given.
fn edit_with(editor: String, initial: &str) -> Result<String, EditorError> {
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
    match status {
        Ok(s) if s.success() => read_back(&path),
        Ok(s) => {
            let _ = std::fs::remove_file(&path);
            Err(EditorError::Failed(s))
        }
        Err(source) => {
            let _ = std::fs::remove_file(&path);
            Err(EditorError::Start { editor, source })
        }
    }
}

/// The text the editor saved in `path`, which is then removed — unless it is not UTF-8: then
/// the file stays (its path is in the error) and nothing is returned.
fn read_back(path: &std::path::Path) -> Result<String, EditorError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let _ = std::fs::remove_file(path);
            return Err(e.into());
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let _ = std::fs::remove_file(path);
            Ok(text)
        }
        Err(e) => Err(EditorError::NotUtf8 {
            path: path.to_path_buf(),
            at: e.utf8_error().valid_up_to() + 1,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_editor_saving_another_encoding_loses_nothing() {
        // Latin-1 "ó" (0xF3): the text is refused, and the file the editor wrote stays.
        let e = edit_with(r"printf 'Reuni\363n con Ana' >".into(), "").unwrap_err();
        let EditorError::NotUtf8 { path, at } = &e else {
            panic!("{e:?}")
        };
        assert_eq!(*at, 6);
        assert_eq!(std::fs::read(path).unwrap(), b"Reuni\xf3n con Ana");
        std::fs::remove_file(path).unwrap();
        let text = edit_with(r"printf 'Reuni\303\263n' >".into(), "").unwrap();
        assert_eq!(text, "Reunión");
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("kam-note.md");
        std::fs::write(&path, b"Reuni\xf3n con Ana\n").unwrap();
        let e = read_back(&path).unwrap_err();
        assert!(matches!(e, EditorError::NotUtf8 { at: 6, .. }), "{e:?}");
        assert!(e.to_string().contains("not UTF-8"), "{e}");
        assert!(e.to_string().contains(&path.display().to_string()), "{e}");
        assert_eq!(std::fs::read(&path).unwrap(), b"Reuni\xf3n con Ana\n");

        std::fs::write(&path, "Reunión con Ana\n").unwrap();
        assert_eq!(read_back(&path).unwrap(), "Reunión con Ana\n");
        assert!(!path.exists());
    }
}
