//! Where human and JSON output goes. Every human line passes through the terminal sanitizer
//! ([`crate::text`]); colour only on a terminal, never with `NO_COLOR` or `--color never`.

use std::io::{self, BufWriter, IsTerminal, Write};

use super::CliError;
use super::args::ColorChoice;
use crate::text::{is_unsafe, sanitize, sanitize_line};

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

/// Whether to colour error messages, which go to stderr.
pub fn stderr_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            io::stderr().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::env::var("TERM").map_or(true, |t| t != "dumb")
        }
    }
}

/// Writes `text` to stderr, ignoring failure: stderr is where failures are reported, so when it
/// is closed or full there is nowhere left to say so (and `eprint!` would panic). The exit code
/// still tells.
pub fn to_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

pub use crate::text::count;

/// Buffered stdout with optional colour.
pub struct Out {
    w: BufWriter<Box<dyn Write>>,
    color: bool,
    /// What the command has saved, for the message when its output then fails.
    saved: Option<String>,
}

/// A failed write of the command's output: a closed pipe is a clean exit, anything else an
/// output error (which, after a saved change, the caller turns into "saved, but...").
fn output_error(e: &io::Error) -> CliError {
    if e.kind() == io::ErrorKind::BrokenPipe {
        CliError::BrokenPipe
    } else {
        CliError::Output(match e.kind() {
            io::ErrorKind::StorageFull => "the disk is full".to_string(),
            _ => e.to_string(),
        })
    }
}

impl Out {
    pub fn stdout(color: bool) -> Self {
        Out {
            w: BufWriter::new(Box::new(io::stdout())),
            color,
            saved: None,
        }
    }

    /// An output into any writer (tests).
    pub fn to(w: Box<dyn Write>, color: bool) -> Self {
        Out {
            w: BufWriter::new(w),
            color,
            saved: None,
        }
    }

    /// Records what the command has just saved ("the note #i12"): should its output then fail,
    /// the message says that this WAS saved, so that nobody saves it twice by running it again.
    pub fn saved(&mut self, what: impl Into<String>) {
        self.saved = Some(what.into());
    }

    /// What [`Out::saved`] recorded.
    pub fn what_was_saved(&self) -> Option<&str> {
        self.saved.as_deref()
    }

    fn styled(&mut self, code: &str, text: &str) -> Result<(), CliError> {
        let text = sanitize_line(text);
        if self.color {
            writeln!(self.w, "\x1b[{code}m{text}\x1b[0m").map_err(|e| output_error(&e))?;
        } else {
            writeln!(self.w, "{text}").map_err(|e| output_error(&e))?;
        }
        Ok(())
    }

    /// One line (sanitized: a newline or tab in the data is shown escaped, so data can never
    /// fake a line of output).
    pub fn line(&mut self, text: &str) -> Result<(), CliError> {
        writeln!(self.w, "{}", sanitize_line(text)).map_err(|e| output_error(&e))?;
        Ok(())
    }

    /// Multi-line text from the data (a note's body), each line indented by `indent`.
    pub fn text(&mut self, indent: &str, text: &str) -> Result<(), CliError> {
        for line in sanitize(text).lines() {
            writeln!(self.w, "{indent}{line}").map_err(|e| output_error(&e))?;
        }
        Ok(())
    }

    /// One line of pieces, each sanitized and shown in its SGR style (`""` for plain) when
    /// colouring.
    pub fn segments(&mut self, parts: &[(&str, &str)]) -> Result<(), CliError> {
        for (code, text) in parts.iter().filter(|(_, t)| !t.is_empty()) {
            let text = sanitize_line(text);
            if self.color && !code.is_empty() {
                write!(self.w, "\x1b[{code}m{text}\x1b[0m").map_err(|e| output_error(&e))?;
            } else {
                write!(self.w, "{text}").map_err(|e| output_error(&e))?;
            }
        }
        writeln!(self.w).map_err(|e| output_error(&e))?;
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

    /// A value as pretty JSON: exact data, with every character a terminal would act on
    /// written as a `\uXXXX` escape (serde_json escapes C0 itself; C1, bidi and invisible
    /// characters are escaped by [`TerminalSafe`]).
    pub fn json<T: serde::Serialize>(&mut self, value: &T) -> Result<(), CliError> {
        let mut ser = serde_json::Serializer::with_formatter(
            &mut self.w,
            TerminalSafe(serde_json::ser::PrettyFormatter::new()),
        );
        value
            .serialize(&mut ser)
            .map_err(|e| match e.io_error_kind() {
                Some(io::ErrorKind::BrokenPipe) => CliError::BrokenPipe,
                Some(_) => CliError::Output(e.to_string()),
                None => CliError::runtime(e.to_string()),
            })?;
        writeln!(self.w).map_err(|e| output_error(&e))?;
        self.flush()
    }

    pub fn flush(&mut self) -> Result<(), CliError> {
        self.w.flush().map_err(|e| output_error(&e))?;
        Ok(())
    }
}

/// serde_json's pretty printer, with string contents that cannot drive a terminal: the
/// characters [`is_unsafe`] names are written as JSON `\uXXXX` escapes, which any JSON reader
/// turns back into the exact text.
struct TerminalSafe(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for TerminalSafe {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut rest = fragment;
        while let Some((at, c)) = rest.char_indices().find(|(_, c)| is_unsafe(*c, true)) {
            writer.write_all(&rest.as_bytes()[..at])?;
            write!(writer, "\\u{:04x}", u32::from(c))?;
            rest = &rest[at + c.len_utf8()..];
        }
        writer.write_all(rest.as_bytes())
    }

    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_exact_text_but_no_terminal_controls() {
        let payload = "a\u{1b}[2J\u{9b}31m\u{202e}b\u{200b}c\nd 山田 👨‍👩‍👧";
        let mut buf = Vec::new();
        {
            let mut ser = serde_json::Serializer::with_formatter(
                &mut buf,
                TerminalSafe(serde_json::ser::PrettyFormatter::new()),
            );
            serde::Serialize::serialize(&serde_json::json!({ "t": payload }), &mut ser).unwrap();
        }
        let text = String::from_utf8(buf.clone()).unwrap();
        assert!(!text.chars().any(|c| is_unsafe(c, true)), "{text}");
        let back: serde_json::Value = serde_json::from_slice(&buf).unwrap();
        assert_eq!(back["t"], payload);
    }
}
