//! Errors at the edge: a message for a person and the exit code that goes with it.

use crate::aws::AwsError;
use crate::cache::CacheError;
use crate::core::simulate::SimError;
use std::fmt::Write as _;

/// What kind of failure, which decides the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExitKind {
    /// 1: something outside the input failed (missing price, I/O, AWS).
    Failure,
    /// 2: the input breaks a rule; the message says how to fix it.
    BadInput,
    /// 3: a cost gate (`--fail-above`, `--fail-on-increase`) is crossed; the report printed.
    Gate,
}

impl ExitKind {
    pub fn code(self) -> u8 {
        match self {
            ExitKind::Failure => 1,
            ExitKind::BadInput => 2,
            ExitKind::Gate => 3,
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

    /// The entries as `warning:` lines, for located notices that do not stop the command.
    pub fn render_warnings(&self) -> String {
        self.render_with("warning")
    }

    pub fn render(&self) -> String {
        let mut out = self.render_with("error");
        if self.entries.len() > 1 {
            let _ = writeln!(out, "{} problems found", self.entries.len());
        }
        out
    }

    fn render_with(&self, label: &str) -> String {
        let mut out = String::new();
        for e in &self.entries {
            let _ = writeln!(out, "{label}: {}", e.headline);
            for d in &e.details {
                let _ = writeln!(out, "  {d}");
            }
        }
        out
    }
}

/// Failures outside the input, shown as they say themselves (exit 1).
macro_rules! failures {
    ($($t:ty),* $(,)?) => {$(
        impl From<$t> for CliError {
            fn from(e: $t) -> Self {
                CliError::failure(e.to_string())
            }
        }
    )*};
}

failures!(
    std::io::Error,
    crate::core::rules::DataError,
    crate::core::report::ReportError,
    crate::export::ExportError,
    crate::export::charts::ChartError,
    crate::aws::http::HttpError,
);

/// An AWS error with its code and message, and the hint for its kind when there is one.
impl From<AwsError> for CliError {
    fn from(e: AwsError) -> Self {
        let mut err = CliError::failure(e.to_string());
        if let Some(h) = e.hint() {
            err = err.detail(h);
        }
        err
    }
}

/// A cache that cannot be read or written, with where to move it.
impl From<CacheError> for CliError {
    fn from(e: CacheError) -> Self {
        CliError::failure(e.to_string()).detail(format!(
            "set {} to a writable folder to keep the cache elsewhere",
            crate::cache::CACHE_DIR_VAR
        ))
    }
}

/// A missing price says how to get it (exit 1); a budget that outgrows exact decimals is the
/// arguments' (exit 2).
impl From<crate::core::report::budget::BudgetError> for CliError {
    fn from(e: crate::core::report::budget::BudgetError) -> Self {
        use crate::core::report::budget::BudgetError;
        match e {
            BudgetError::Price { .. } => CliError::failure(e.to_string()),
            BudgetError::Overflow { .. } => CliError::bad_input(e.to_string())
                .detail("use a smaller --growth or fewer --months"),
        }
    }
}

/// Bad simulation input is the user's (exit 2); a missing price says how to get it (exit 1).
impl From<SimError> for CliError {
    fn from(e: SimError) -> Self {
        match e {
            SimError::Input(m) => CliError::bad_input(m),
            SimError::Price { .. } => CliError::failure(e.to_string()).detail(MISSING_PRICE_FIX),
        }
    }
}

/// How to add a price the book lacks.
pub const MISSING_PRICE_FIX: &str =
    "`fargate-planner prices fetch --region REGION` or `prices import FILE` adds what is missing";
