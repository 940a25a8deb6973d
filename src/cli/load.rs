//! Reading a plan file: parse and check it, and turn problems into located error messages.

use super::error::{CliError, Entry, ExitKind};
use crate::core::facts::Facts;
use crate::core::plan::{CheckOptions, ParsedPlan, Plan, check, parse};
use crate::core::prices::PriceBook;
use crate::core::problem::{Problem, Seg};
use std::path::Path;

/// Reads and parses a plan file.
pub fn read_plan(path: &Path) -> Result<ParsedPlan, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        let kind = if e.kind() == std::io::ErrorKind::NotFound {
            ExitKind::BadInput
        } else {
            ExitKind::Failure
        };
        CliError::new(kind, format!("cannot read plan `{}`: {e}", path.display()))
    })?;
    parse(&text).map_err(|e| {
        let at = e
            .location
            .map(|l| format!("{}:{}", path.display(), l))
            .unwrap_or_else(|| path.display().to_string());
        let mut err = CliError::bad_input(format!(
            "{at}: {}",
            e.message.lines().next().unwrap_or("invalid plan")
        ));
        for extra in e.message.lines().skip(1) {
            err = err.detail(extra.to_string());
        }
        if let Some(fix) = e.fix {
            err = err.detail(format!("fix: {fix}"));
        }
        err
    })
}

/// Reads, parses and checks a plan file.
pub fn load_plan(
    path: &Path,
    facts: &Facts,
    book: &PriceBook,
    opts: CheckOptions,
) -> Result<Plan, CliError> {
    if super::taskdef::is_json(path) {
        return super::taskdef::load_plan(&[path.to_path_buf()], None, 1, facts, book, opts);
    }
    let mut parsed = read_plan(path)?;
    let origins = super::taskdef::resolve(path, &mut parsed.raw)?;
    check(&parsed.raw, facts, book, opts).map_err(|problems| {
        super::taskdef::routed_problems_error(path, &parsed, &origins, &problems)
    })
}

/// One located entry per problem.
pub fn problems_error(path: &Path, parsed: &ParsedPlan, problems: &[Problem]) -> CliError {
    let entries = problems
        .iter()
        .map(|p| {
            let at = match parsed.source.locate(&p.path) {
                Some(l) => format!("{}:{}", path.display(), l),
                None => path.display().to_string(),
            };
            let service = match p.path.0.as_slice() {
                [Seg::Key(k), Seg::Index(i), ..] if k == "service" => parsed
                    .raw
                    .service
                    .get(*i)
                    .map(|s| format!(" (service `{}`)", s.name))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let value = p
                .value
                .as_ref()
                .map(|v| format!(" = {v}"))
                .unwrap_or_default();
            let mut details = vec![p.message.clone()];
            if let Some(fix) = &p.fix {
                details.push(format!("fix: {fix}"));
            }
            Entry {
                headline: format!("{at}: `{}`{value}{service}", p.path),
                details,
            }
        })
        .collect();
    CliError {
        kind: ExitKind::BadInput,
        entries,
    }
}
