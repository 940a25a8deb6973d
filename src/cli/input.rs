//! Reading what the user gives: a plan file (TOML) or task definition JSON, parsed and checked,
//! with every problem named by its file and line or JSON path. The conversions themselves are
//! `core::plan` and `core::plan::taskdef`; this module reads files and locates problems.

use super::args::{InputFormat, TaskdefInput};
use super::error::{CliError, Entry, ExitKind};
use super::files::read_text;
use super::output::diag;
use crate::core::plan::imported::Imported;
use crate::core::plan::raw::{RawPlan, RawPlanSettings, RawService};
use crate::core::plan::taskdef::{self, TaskDefinition};
use crate::core::plan::{CheckOptions, ParsedPlan, Plan, check, parse_owned};
use crate::core::report::{Input as ReportInput, InputService};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, Seg};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// A checked plan and where it came from, so that a later step (the price coverage) can name the
/// file and line, or JSON path, of a problem the same way the checks do.
pub struct LoadedPlan {
    pub plan: Plan,
    pub source: PlanSource,
}

/// The text a plan was read from.
pub enum PlanSource {
    /// A plan file, with the task definitions its services name.
    Toml {
        path: PathBuf,
        parsed: Box<ParsedPlan>,
        origins: Origins,
    },
    /// Task definition JSON files, one service each.
    /// The files, and where the plan's region came from (for messages about it).
    TaskDefinitions(Vec<(PathBuf, TaskDefinition)>, String),
    /// A CloudFormation template or Terraform plan, and where the region came from.
    Infra {
        path: PathBuf,
        imported: Box<Imported>,
        region_from: String,
    },
}

impl PlanSource {
    /// One located entry per problem (exit 2).
    pub fn error(&self, problems: &[Problem]) -> CliError {
        match self {
            PlanSource::Toml {
                path,
                parsed,
                origins,
            } => routed_problems_error(path, parsed, origins, problems),
            PlanSource::TaskDefinitions(tds, region_from) => plan_error(tds, region_from, problems),
            PlanSource::Infra {
                path,
                imported,
                region_from,
            } => infra_error(path, imported, region_from, problems),
        }
    }
}

/// Reads and parses a plan file.
pub fn read_plan(path: &Path) -> Result<ParsedPlan, CliError> {
    let text = read_text(path, "plan")?;
    parse_owned(text).map_err(|e| {
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

/// Reads, parses and checks a plan file, or one task definition JSON file as a plan of one
/// service (`kind` says which; `cli::infra::load_plan` reads it from the content and handles
/// templates and Terraform plans too).
pub fn load_plan(
    path: &Path,
    kind: InputFormat,
    taskdef: &TaskdefInput,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<LoadedPlan, CliError> {
    if kind != InputFormat::Plan {
        if !taskdef.parameters.is_empty() || taskdef.overlay.is_some() {
            return Err(CliError::bad_input(
                "--parameter and --overlay apply to CloudFormation and Terraform input only",
            ));
        }
        return load_taskdefs(
            &[path.to_path_buf()],
            taskdef.region.as_deref(),
            taskdef.desired_count.unwrap_or(1),
            facts,
            opts,
        );
    }
    if taskdef.region.is_some() || taskdef.desired_count.is_some() {
        return Err(CliError::bad_input(
            "--region and --desired-count apply to task definition JSON input only",
        )
        .detail("fix: set `region` and `desired_count` in the plan file"));
    }
    if !taskdef.parameters.is_empty() || taskdef.overlay.is_some() {
        return Err(CliError::bad_input(
            "--parameter and --overlay apply to CloudFormation and Terraform input only",
        )
        .detail("fix: a plan file holds these settings itself"));
    }
    let mut parsed = read_plan(path)?;
    let origins = resolve(path, &mut parsed.raw, facts)?;
    match check(&parsed.raw, facts, opts) {
        Ok(plan) => Ok(LoadedPlan {
            plan,
            source: PlanSource::Toml {
                path: path.to_path_buf(),
                parsed: Box::new(parsed),
                origins,
            },
        }),
        Err(problems) => Err(routed_problems_error(path, &parsed, &origins, &problems)),
    }
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
            problem_entry(format!("{at}: `{}`{}{service}", p.path, value(p)), p)
        })
        .collect();
    CliError {
        kind: ExitKind::BadInput,
        entries,
    }
}

/// Reads and converts one task definition file; notes (ignored fields...) go to stderr. Any
/// problem in the JSON is an error.
pub fn read(path: &Path, facts: &Facts) -> Result<TaskDefinition, CliError> {
    let td = read_lenient(path, facts)?;
    if td.problems.is_empty() {
        Ok(td)
    } else {
        Err(json_error(path, &td.problems))
    }
}

/// Like [`read`], but problems in the JSON stay in [`TaskDefinition::problems`].
pub fn read_lenient(path: &Path, facts: &Facts) -> Result<TaskDefinition, CliError> {
    let text = read_text(path, "task definition")?;
    let td = taskdef::parse(&text, facts).map_err(|problems| json_error(path, &problems))?;
    if !td.ignored.is_empty() {
        diag!(
            "note: {}: ignored (not needed to price or check the task): {}",
            path.display(),
            td.ignored.join(", ")
        );
    }
    for n in &td.notes {
        diag!("note: {}: {n}", path.display());
    }
    Ok(td)
}

/// ` = VALUE` when the problem names a value.
pub(super) fn value(p: &Problem) -> String {
    p.value
        .as_ref()
        .map(|v| format!(" = {v}"))
        .unwrap_or_default()
}

/// An error entry for a problem under `headline`: its message, then its fix.
pub(super) fn problem_entry(headline: String, p: &Problem) -> Entry {
    let mut details = vec![p.message.clone()];
    if let Some(fix) = &p.fix {
        details.push(format!("fix: {fix}"));
    }
    Entry { headline, details }
}

/// A problem at a JSON path of `path`.
pub(super) fn entry(path: &Path, p: &Problem) -> Entry {
    let at = if p.path.0.is_empty() {
        "(the whole file)".to_string()
    } else {
        p.path.to_string()
    };
    problem_entry(format!("{}: `{at}`{}", path.display(), value(p)), p)
}

/// Problems whose paths are already JSON paths.
pub fn json_error(path: &Path, problems: &[Problem]) -> CliError {
    CliError {
        kind: ExitKind::BadInput,
        entries: problems.iter().map(|p| entry(path, p)).collect(),
    }
}

/// Where each plan service's task definition came from, to route problems back to it.
#[derive(Default)]
pub struct Origins {
    by_service: BTreeMap<usize, Origin>,
}

struct Origin {
    file: PathBuf,
    prefix: FieldPath,
    /// The fields the plan sets itself: problems there point at the plan.
    plan_fields: BTreeSet<String>,
}

/// Replaces each service that names a `task_definition` by the task definition's fields with
/// the plan's own fields over them. Paths are relative to the plan file's folder.
pub fn resolve(plan_path: &Path, raw: &mut RawPlan, facts: &Facts) -> Result<Origins, CliError> {
    let dir = plan_path.parent().unwrap_or(Path::new(""));
    let mut origins = Origins::default();
    for (i, svc) in raw.service.iter_mut().enumerate() {
        let Some(rel) = svc.task_definition.clone() else {
            continue;
        };
        let file = dir.join(&rel);
        let td = read(&file, facts).map_err(|e| {
            if e.kind == ExitKind::BadInput && e.entries.len() == 1 && !file.exists() {
                e.detail(format!(
                    "service `{}` sets task_definition = {rel:?}, read relative to the plan's folder",
                    svc.name
                ))
            } else {
                e
            }
        })?;
        let plan_fields = taskdef::fields_set(svc);
        let merged = taskdef::merge(&td.service, svc).map_err(|e| {
            CliError::failure(format!(
                "cannot combine service `{}` with `{}`: {e}",
                svc.name,
                file.display()
            ))
        })?;
        *svc = merged;
        origins.by_service.insert(
            i,
            Origin {
                file,
                prefix: td.prefix,
                plan_fields,
            },
        );
    }
    Ok(origins)
}

/// Located problems: those in fields a task definition gave name the JSON file and path, the
/// rest the plan file and line.
pub fn routed_problems_error(
    plan_path: &Path,
    parsed: &ParsedPlan,
    origins: &Origins,
    problems: &[Problem],
) -> CliError {
    let mut entries = Vec::new();
    for p in problems {
        let from_json = match p.path.0.as_slice() {
            [Seg::Key(s), Seg::Index(i), Seg::Key(field), ..] if s == "service" => origins
                .by_service
                .get(i)
                .filter(|o| !o.plan_fields.contains(field))
                .and_then(|o| {
                    taskdef::json_path(&o.prefix, &p.path).map(|jp| (o.file.clone(), jp))
                }),
            _ => None,
        };
        match from_json {
            Some((file, jp)) => entries.push(entry(
                &file,
                &Problem {
                    path: jp,
                    ..p.clone()
                },
            )),
            None => {
                entries.extend(problems_error(plan_path, parsed, std::slice::from_ref(p)).entries)
            }
        }
    }
    CliError {
        kind: ExitKind::BadInput,
        entries,
    }
}

/// A service name from a family, or from the file name when the family is missing or unusable.
fn service_name(td: &TaskDefinition, file: &Path) -> String {
    let ok = |s: &str| {
        !s.is_empty()
            && s.len() <= 255
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    };
    if ok(&td.service.name) {
        return td.service.name.clone();
    }
    let stem: String = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if ok(&stem) {
        stem
    } else {
        "service".to_string()
    }
}

/// The region for a plan from task definitions, as the AWS CLI picks one: `--region`, else
/// `AWS_REGION`, else `AWS_DEFAULT_REGION`, else the first awslogs-region of the files. Says on
/// stderr which it chose when it was not `--region`. Also returns where it came from, so that a
/// bad region is reported against its source.
pub fn choose_region(
    region: Option<&str>,
    tds: &[(PathBuf, TaskDefinition)],
) -> Result<(String, String), CliError> {
    if let Some(r) = region {
        return Ok((r.to_string(), "--region".to_string()));
    }
    for var in ["AWS_REGION", "AWS_DEFAULT_REGION"] {
        if let Ok(r) = std::env::var(var)
            && !r.trim().is_empty()
        {
            diag!("note: region {} from {var} (--region overrides)", r.trim());
            return Ok((r.trim().to_string(), var.to_string()));
        }
    }
    for (file, td) in tds {
        if let Some((r, path)) = &td.log_region {
            diag!(
                "note: region {r} from `{path}` in {} (--region overrides)",
                file.display()
            );
            return Ok((r.clone(), format!("{}: `{path}`", file.display())));
        }
    }
    Err(
        CliError::bad_input("no region: a task definition does not say where it runs")
            .detail("fix: pass --region, e.g. `--region us-east-1`, or set AWS_REGION (the awslogs-region log option is used when present)"),
    )
}

/// A one-plan-per-file set of services from task definitions, with unique service names.
pub fn plan_from(tds: &[(PathBuf, TaskDefinition)], region: String, desired_count: u32) -> RawPlan {
    let mut names = BTreeSet::new();
    let mut services = Vec::new();
    for (file, td) in tds {
        let base = service_name(td, file);
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{base}-{n}");
            n += 1;
        }
        let family = td.service.family.clone().filter(|f| *f != name);
        services.push(RawService {
            name,
            family,
            desired_count: Some(i64::from(desired_count)),
            ..td.service.clone()
        });
    }
    RawPlan {
        plan: Some(RawPlanSettings {
            region: Some(region),
            ..RawPlanSettings::default()
        }),
        service: services,
    }
}

/// Problems in a plan built from one task definition: JSON paths in that file, and the CLI
/// options for the fields the JSON does not hold.
pub fn single_file_error(file: &Path, td: &TaskDefinition, problems: &[Problem]) -> CliError {
    let entries = problems
        .iter()
        .map(|p| match taskdef::json_path(&td.prefix, &p.path) {
            Some(jp) => entry(
                file,
                &Problem {
                    path: jp,
                    ..p.clone()
                },
            ),
            None => {
                let option = match p.path.0.last() {
                    Some(Seg::Key(k)) if k == "region" => "--region".to_string(),
                    Some(Seg::Key(k)) if k == "desired_count" => "--desired-count".to_string(),
                    _ => format!("`{}`", p.path),
                };
                problem_entry(format!("{}: {option}{}", file.display(), value(p)), p)
            }
        })
        .collect();
    CliError {
        kind: ExitKind::BadInput,
        entries,
    }
}

/// Reads task definition JSON files as a checked plan (one service each).
pub fn load_taskdefs(
    files: &[PathBuf],
    region: Option<&str>,
    desired_count: u32,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<LoadedPlan, CliError> {
    let tds = read_all(files, facts)?;
    let (region, region_from) = choose_region(region, &tds)?;
    let raw = plan_from(&tds, region, desired_count);
    let plan = check_all(&tds, &raw, &region_from, facts, opts)?;
    Ok(LoadedPlan {
        plan,
        source: PlanSource::TaskDefinitions(tds, region_from),
    })
}

/// Reads task definition files, keeping the problems in each for [`check_all`].
pub fn read_all(
    files: &[PathBuf],
    facts: &Facts,
) -> Result<Vec<(PathBuf, TaskDefinition)>, CliError> {
    files
        .iter()
        .map(|f| read_lenient(f, facts).map(|td| (f.clone(), td)))
        .collect()
}

/// Checks a plan built from task definitions; every problem at once: those of the JSON, then
/// those of the rules (except the ones in fields the JSON problems already cover).
pub fn check_all(
    tds: &[(PathBuf, TaskDefinition)],
    raw: &RawPlan,
    region_from: &str,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<Plan, CliError> {
    let mut entries = Vec::new();
    for (file, td) in tds {
        entries.extend(json_error(file, &td.problems).entries);
    }
    let covered = |p: &Problem| match p.path.0.as_slice() {
        [Seg::Key(s), Seg::Index(i), ..] if s == "service" => tds.get(*i).is_some_and(|(_, td)| {
            taskdef::json_path(&td.prefix, &p.path).is_some_and(|jp| {
                td.problems
                    .iter()
                    .any(|known| jp.0.starts_with(&known.path.0))
            })
        }),
        _ => false,
    };
    match check(raw, facts, opts) {
        Ok(plan) if entries.is_empty() => return Ok(plan),
        Ok(_) => {}
        Err(problems) => {
            let kept: Vec<Problem> = problems.into_iter().filter(|p| !covered(p)).collect();
            entries.extend(plan_error(tds, region_from, &kept).entries);
        }
    }
    Err(CliError {
        kind: ExitKind::BadInput,
        entries,
    })
}

/// Problems in a plan built from task definitions: each named by its JSON file and path, or by
/// the command-line option that set the field.
pub fn plan_error(
    tds: &[(PathBuf, TaskDefinition)],
    region_from: &str,
    problems: &[Problem],
) -> CliError {
    let mut entries = Vec::new();
    for p in problems {
        let index = match p.path.0.as_slice() {
            [Seg::Key(s), Seg::Index(i), ..] if s == "service" => Some(*i),
            _ => None,
        };
        match index.and_then(|i| tds.get(i)) {
            Some((file, td)) => {
                entries.extend(single_file_error(file, td, std::slice::from_ref(p)).entries)
            }
            None => {
                let option = if p.path.to_string() == "plan.region" {
                    region_from.to_string()
                } else {
                    format!("`{}`", p.path)
                };
                entries.push(problem_entry(format!("{option}{}", value(p)), p));
            }
        }
    }
    CliError {
        kind: ExitKind::BadInput,
        entries,
    }
}

/// Plan problems of a template or Terraform plan mapped to the document
/// (`Resources.<Id>.Properties.<Property>` or `<address>.<attribute>`); the region to where it
/// was chosen.
pub fn infra_error(
    path: &Path,
    imported: &Imported,
    region_from: &str,
    problems: &[Problem],
) -> CliError {
    let entries: Vec<Entry> = problems
        .iter()
        .map(|p| match imported.locate(&p.path) {
            Some(dp) => entry(
                path,
                &Problem {
                    path: dp,
                    ..p.clone()
                },
            ),
            None if p.path.to_string() == "plan.region" => {
                problem_entry(format!("{region_from}{}", value(p)), p)
            }
            None => problem_entry(format!("{}: `{}`{}", path.display(), p.path, value(p)), p),
        })
        .collect();
    CliError {
        kind: ExitKind::BadInput,
        entries,
    }
}

/// What the JSON report says about where the plan came from.
pub fn describe(source: &PlanSource) -> Vec<ReportInput> {
    let svc = |name: &str, source: String| InputService {
        name: name.to_string(),
        source,
    };
    match source {
        PlanSource::Toml { path, parsed, .. } => vec![ReportInput {
            kind: "plan".to_string(),
            path: path.display().to_string(),
            services: parsed
                .raw
                .service
                .iter()
                .enumerate()
                .map(|(i, s)| svc(&s.name, format!("service[{i}]")))
                .collect(),
        }],
        PlanSource::TaskDefinitions(tds, _) => tds
            .iter()
            .map(|(file, td)| ReportInput {
                kind: "taskdef".to_string(),
                path: file.display().to_string(),
                services: vec![svc(&service_name(td, file), file.display().to_string())],
            })
            .collect(),
        PlanSource::Infra { path, imported, .. } => vec![ReportInput {
            kind: imported.kind.name().to_string(),
            path: path.display().to_string(),
            services: imported
                .services
                .iter()
                .map(|s| svc(&s.raw.name, s.id.clone()))
                .collect(),
        }],
    }
}
