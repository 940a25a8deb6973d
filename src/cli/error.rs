//! Errors at the edge: a message for a person and the exit code that goes with it.

use std::fmt::Write as _;

/// What kind of failure, which decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// 1: something outside the input failed (missing price, I/O, AWS).
    Failure,
    /// 2: the input breaks a rule; the message says how to fix it.
    BadInput,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        match self {
            ExitKind::Failure => 1,
            ExitKind::BadInput => 2,
        }
    }
}

/// An error ready to show: one or more `error:` entries, each with optional detail lines.
#[derive(Debug)]
pub struct CliError {
    pub kind: ExitKind,
    pub entries: Vec<Entry>,
}

#[derive(Debug)]
pub struct Entry {
    pub headline: String,
    pub details: Vec<String>,
}

impl CliError {
    pub fn new(kind: ExitKind, headline: impl Into<String>) -> Self {
        CliError {
            kind,
            entries: vec![Entry {
                headline: headline.into(),
                details: Vec::new(),
            }],
        }
    }

    pub fn bad_input(headline: impl Into<String>) -> Self {
        CliError::new(ExitKind::BadInput, headline)
    }

    pub fn failure(headline: impl Into<String>) -> Self {
        CliError::new(ExitKind::Failure, headline)
    }

    pub fn detail(mut self, line: impl Into<String>) -> Self {
        if let Some(e) = self.entries.last_mut() {
            e.details.push(line.into());
        }
        self
    }

    pub fn render(&self) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let _ = writeln!(out, "error: {}", e.headline);
            for d in &e.details {
                let _ = writeln!(out, "  {d}");
            }
        }
        if self.entries.len() > 1 {
            let _ = writeln!(out, "{} problems found", self.entries.len());
        }
        out
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        CliError::failure(e.to_string())
    }
}
