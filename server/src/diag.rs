//! Diagnostics: every error the front end reports names a place in the source the user sent.

use ruff_source_file::LineIndex;
use ruff_text_size::{TextRange, TextSize};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiagKind {
    Syntax,
    Type,
    Name,
    Unsupported,
    Signature,
    Entry,
    Request,
}

impl DiagKind {
    pub fn label(self) -> &'static str {
        match self {
            DiagKind::Syntax => "syntax error",
            DiagKind::Type => "type error",
            DiagKind::Name => "name error",
            DiagKind::Unsupported => "unsupported",
            DiagKind::Signature => "signature error",
            DiagKind::Entry => "entry error",
            DiagKind::Request => "invalid request",
        }
    }
}

/// A problem with the request, at a 1-based line and column (0:0 when it has no place).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub kind: DiagKind,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}: {}: {}",
                self.line,
                self.column,
                self.kind.label(),
                self.message
            )
        } else {
            write!(f, "{}: {}", self.kind.label(), self.message)
        }
    }
}

/// Why a compile failed: the user's input (reported as INVALID_ARGUMENT) or kcache itself.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("{0}")]
    Source(Diagnostic),
    #[error("internal compiler error: {0}")]
    Internal(String),
}

impl CompileError {
    pub fn request(message: impl Into<String>) -> Self {
        CompileError::Source(Diagnostic {
            kind: DiagKind::Request,
            line: 0,
            column: 0,
            message: message.into(),
        })
    }
}

/// Cuts `text` to at most `max_bytes` bytes (on a character boundary), saying how much was cut:
/// messages that quote the input stay small enough for a gRPC header and a terminal.
pub fn clip(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    let mut end = max_bytes;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

/// Bound on an error message sent to a client. grpc-message is an HTTP/2 header (clients
/// refuse header blocks over 8–16 KiB) and percent-encodes non-ASCII bytes threefold.
pub const MAX_MESSAGE_BYTES: usize = 2048;

/// Maps byte offsets of one source text to lines and columns.
pub struct SourceMap<'a> {
    text: &'a str,
    index: LineIndex,
}

impl<'a> SourceMap<'a> {
    pub fn new(text: &'a str) -> Self {
        SourceMap {
            text,
            index: LineIndex::from_source_text(text),
        }
    }

    pub fn line_col(&self, offset: TextSize) -> (u32, u32) {
        let lc = self.index.line_column(offset, self.text);
        (lc.line.get() as u32, lc.column.get() as u32)
    }

    pub fn error(&self, kind: DiagKind, range: TextRange, message: impl Into<String>) -> CompileError {
        let (line, column) = self.line_col(range.start());
        CompileError::Source(Diagnostic {
            kind,
            line,
            column,
            message: message.into(),
        })
    }
}
