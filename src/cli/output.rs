//! Where human and JSON output goes. Every human line passes through the terminal sanitizer
//! ([`crate::text`]); colour only on a terminal, never with `NO_COLOR` or `--color never`.

use std::io::{self, BufWriter, IsTerminal, Write};

use super::CliError;
use super::args::ColorChoice;
use crate::text::sanitize;

/// Whether to colour, from `--color`, the terminal and `NO_COLOR`.
pub fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Buffered stdout with optional colour.
pub struct Out {
    w: BufWriter<Box<dyn Write>>,
    color: bool,
}

impl Out {
    pub fn stdout(color: bool) -> Self {
        Out {
            w: BufWriter::new(Box::new(io::stdout())),
            color,
        }
    }

    /// An output into any writer (tests).
    pub fn to(w: Box<dyn Write>, color: bool) -> Self {
        Out {
            w: BufWriter::new(w),
            color,
        }
    }

    fn styled(&mut self, code: &str, text: &str) -> Result<(), CliError> {
        let text = sanitize(text);
        if self.color {
            writeln!(self.w, "\x1b[{code}m{text}\x1b[0m")?;
        } else {
            writeln!(self.w, "{text}")?;
        }
        Ok(())
    }

    /// A plain line (sanitized).
    pub fn line(&mut self, text: &str) -> Result<(), CliError> {
        writeln!(self.w, "{}", sanitize(text))?;
        Ok(())
    }

    /// A section heading.
    pub fn heading(&mut self, text: &str) -> Result<(), CliError> {
        self.styled("1", text)
    }

    /// Something that needs attention (overdue, conflict).
    pub fn alert(&mut self, text: &str) -> Result<(), CliError> {
        self.styled("31", text)
    }

    /// Something highlighted (the next meeting, birthdays).
    pub fn accent(&mut self, text: &str) -> Result<(), CliError> {
        self.styled("36", text)
    }

    /// Secondary information.
    pub fn dim(&mut self, text: &str) -> Result<(), CliError> {
        self.styled("2", text)
    }

    /// A value as pretty JSON (exact data, no sanitizing: JSON escapes control characters).
    pub fn json<T: serde::Serialize>(&mut self, value: &T) -> Result<(), CliError> {
        serde_json::to_writer_pretty(&mut self.w, value).map_err(|e| {
            if e.io_error_kind() == Some(io::ErrorKind::BrokenPipe) {
                CliError::BrokenPipe
            } else {
                CliError::runtime(e.to_string())
            }
        })?;
        writeln!(self.w)?;
        self.flush()
    }

    pub fn flush(&mut self) -> Result<(), CliError> {
        self.w.flush()?;
        Ok(())
    }
}
