//! Plans read from infrastructure code: CloudFormation templates and Terraform plan JSON. The
//! kind of file is guessed from its content (`--input-format` overrides), the region chosen, the
//! `--overlay` plan laid over the services, and every problem named by file and document path
//! (`Resources.Web.Properties.DesiredCount`, `resource_changes[2].change.after.desired_count`).

use super::args::{InputFormat, TaskdefInput};
use super::error::{CliError, ExitKind};
use super::files::read_text;
use super::input::{self, LoadedPlan, PlanSource, entry, read_plan};
use super::output::diag;
use crate::core::plan::imported::Imported;
use crate::core::plan::raw::RawPlan;
use crate::core::plan::terraform::{self, Side};
use crate::core::plan::{CheckOptions, Plan, cfn, check};
use crate::core::rules::Facts;
use crate::core::vocab::problem::Problem;
use crate::export::recommend_cfn::TemplateIds;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// What kind of input `path` holds: `--input-format`, else its content (a `.toml` file is a plan).
pub fn detect(path: &Path, text: &str, given: Option<InputFormat>) -> InputFormat {
    if let Some(f) = given {
        return f;
    }
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return InputFormat::Plan;
    }
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        return match serde_json::from_str::<Value>(text) {
            Ok(doc) if terraform::looks_like(&doc) => InputFormat::Terraform,
            Ok(doc) if cfn::looks_like(&doc) => InputFormat::Cloudformation,
            _ => InputFormat::Taskdef,
        };
    }
    let yaml_ext = path.extension().is_some_and(|e| {
        ["yaml", "yml", "template"]
            .iter()
            .any(|x| e.eq_ignore_ascii_case(x))
    });
    let cfn_keys = text
        .lines()
        .any(|l| l.starts_with("Resources:") || l.starts_with("AWSTemplateFormatVersion"));
    if yaml_ext || cfn_keys {
        InputFormat::Cloudformation
    } else {
        InputFormat::Plan
    }
}

/// Reads and checks any input a plan can come from: a plan file, task definition JSON, a
/// CloudFormation template or a Terraform plan (its planned values), the kind read from the
/// content unless `--input-format` says.
pub fn load_plan(
    path: &Path,
    input: &TaskdefInput,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<LoadedPlan, CliError> {
    match detect_file(path, input.input_format) {
        kind @ (InputFormat::Plan | InputFormat::Taskdef) => {
            input::load_plan(path, kind, input, facts, opts)
        }
        kind => load(path, kind, input, Side::After, facts, opts),
    }
}

/// Whether a path names something other than a TOML plan (task definition JSON, a template, a
/// Terraform plan), which takes `--region` and the other input options.
pub fn is_not_plan(path: &Path, given: Option<InputFormat>) -> bool {
    detect_file(path, given) != InputFormat::Plan
}

/// The kind of a file on disk (`Plan` when it cannot be read: the plan reader says why).
pub fn detect_file(path: &Path, given: Option<InputFormat>) -> InputFormat {
    // Standard input can be read once: it is a plan unless `--input-format` says otherwise.
    if path == Path::new("-") {
        return given.unwrap_or(InputFormat::Plan);
    }
    match read_text(path, "plan") {
        Ok(text) => detect(path, &text, given),
        Err(_) => given.unwrap_or(InputFormat::Plan),
    }
}

/// `--parameter KEY=VALUE` pairs.
pub fn parameters(given: &[String]) -> Result<BTreeMap<String, String>, CliError> {
    let mut out = BTreeMap::new();
    for p in given {
        let Some((k, v)) = p.split_once('=').filter(|(k, _)| !k.trim().is_empty()) else {
            return Err(
                CliError::bad_input(format!("--parameter {p:?}: expected KEY=VALUE"))
                    .detail("e.g. `--parameter DesiredCount=4`"),
            );
        };
        out.insert(k.trim().to_string(), v.to_string());
    }
    Ok(out)
}

fn env_region() -> Option<(String, String)> {
    ["AWS_REGION", "AWS_DEFAULT_REGION"].iter().find_map(|var| {
        std::env::var(var)
            .ok()
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .map(|r| (r, var.to_string()))
    })
}

/// Reads a template or Terraform plan (`side` of it) as an [`Imported`] with its region and
/// where that came from; notes go to stderr.
pub fn read(
    path: &Path,
    kind: InputFormat,
    input: &TaskdefInput,
    side: Side,
    facts: &Facts,
) -> Result<(Imported, String, String), CliError> {
    if input.desired_count.is_some() {
        return Err(CliError::bad_input(
            "--desired-count applies to task definition JSON input only",
        )
        .detail("fix: a template or Terraform plan states each service's desired count"));
    }
    let text = read_text(path, "input")?;
    let early = input.region.clone().map(|r| (r, "--region".to_string()));
    let imported = match kind {
        InputFormat::Terraform => {
            if !input.parameters.is_empty() {
                return Err(CliError::bad_input(
                    "--parameter applies to CloudFormation templates only",
                ));
            }
            terraform::parse(&text, side, facts)
        }
        _ => {
            let opts = cfn::Options {
                parameters: parameters(&input.parameters)?,
                region: early.clone().or_else(env_region).map(|(r, _)| r),
            };
            cfn::parse(&text, &opts, facts)
        }
    }
    .map_err(|problems| document_error(path, &problems))?;
    // `--diff` reads the file twice: its notes are shown once, with the planned values.
    let speak = side == Side::After;
    for n in imported.notes.iter().filter(|_| speak) {
        diag!("note: {}: {n}", path.display());
    }
    if !imported.problems.is_empty() {
        return Err(document_error(path, &imported.problems));
    }
    let region = early
        .or_else(|| imported.region.clone())
        .or_else(env_region)
        .or_else(|| {
            imported.services.iter().find_map(|s| {
                s.log_region
                    .clone()
                    .map(|r| (r, format!("the awslogs-region of {}", s.id)))
            })
        });
    let Some((region, from)) = region else {
        return Err(CliError::bad_input(format!(
            "{}: no region: the file does not say where its services run",
            path.display()
        ))
        .detail("fix: pass --region, e.g. `--region us-east-1`, or set AWS_REGION"));
    };
    if from != "--region" && speak {
        diag!("note: region {region} from {from} (--region overrides)");
    }
    Ok((imported, region, from))
}

/// Reads and checks a template or Terraform plan as a plan, with the `--overlay` over it.
pub fn load(
    path: &Path,
    kind: InputFormat,
    input: &TaskdefInput,
    side: Side,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<LoadedPlan, CliError> {
    let (imported, region, region_from) = read(path, kind, input, side, facts)?;
    checked(path, imported, &region, region_from, input, facts, opts)
}

fn checked(
    path: &Path,
    imported: Imported,
    region: &str,
    region_from: String,
    input: &TaskdefInput,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<LoadedPlan, CliError> {
    let mut raw = imported.plan(region);
    if let Some(overlay) = &input.overlay {
        apply_overlay(overlay, &imported, &mut raw)?;
    }
    let source = PlanSource::Infra {
        path: path.to_path_buf(),
        imported: Box::new(imported),
        region_from,
    };
    match check(&raw, facts, opts) {
        Ok(plan) => Ok(LoadedPlan { plan, source }),
        Err(problems) => Err(source.error(&problems)),
    }
}

/// One side of a Terraform plan for `report --diff`: like [`load`], but a side without services
/// (everything created, or everything destroyed) is an empty plan rather than an error.
pub fn load_side(
    path: &Path,
    input: &TaskdefInput,
    side: Side,
    facts: &Facts,
    opts: CheckOptions,
) -> Result<LoadedPlan, CliError> {
    let (imported, region, region_from) = read(path, InputFormat::Terraform, input, side, facts)?;
    if !imported.services.is_empty() {
        return checked(path, imported, &region, region_from, input, facts, opts);
    }
    Ok(LoadedPlan {
        plan: Plan {
            name: None,
            cluster: "fargate-planner".to_string(),
            hours_per_month: Decimal::from(facts.rules.billing.hours_per_month),
            services: Vec::new(),
            ec2: Default::default(),
        },
        source: PlanSource::Infra {
            path: path.to_path_buf(),
            imported: Box::new(imported),
            region_from,
        },
    })
}

/// Lays an overlay plan's services over the imported ones they name (ECS service name, else
/// logical id or address): the sections the file cannot hold.
pub fn apply_overlay(path: &Path, imported: &Imported, raw: &mut RawPlan) -> Result<(), CliError> {
    let over = read_plan(path)?.raw;
    if let (Some(o), Some(p)) = (over.plan, raw.plan.as_mut()) {
        p.name = o.name.or(p.name.take());
        p.hours_per_month = o.hours_per_month.or(p.hours_per_month.take());
        p.spot = o.spot.or(p.spot.take());
        p.availability = o.availability.or(p.availability.take());
        p.cluster = o.cluster.or(p.cluster.take());
        p.ec2 = o.ec2.or(p.ec2.take());
    }
    for o in over.service {
        let found = raw
            .service
            .iter()
            .position(|s| s.name == o.name)
            .or_else(|| imported.services.iter().position(|s| s.id == o.name));
        let Some(i) = found else {
            let names: Vec<String> = imported
                .services
                .iter()
                .map(|s| format!("{} ({})", s.raw.name, s.id))
                .collect();
            return Err(CliError::bad_input(format!(
                "{}: overlay service `{}` matches no service of the input",
                path.display(),
                o.name
            ))
            .detail(format!("the input's services: {}", names.join(", "))));
        };
        let Some(s) = raw.service.get_mut(i) else {
            continue;
        };
        s.load = o.load.or(s.load.take());
        s.workload = o.workload.or(s.workload.take());
        s.availability = o.availability.or(s.availability.take());
        s.spot = o.spot.or(s.spot.take());
        s.uptime = o.uptime.or(s.uptime.take());
        s.recommend = o.recommend.or(s.recommend.take());
    }
    Ok(())
}

/// Problems already at document paths.
pub fn document_error(path: &Path, problems: &[Problem]) -> CliError {
    CliError {
        kind: ExitKind::BadInput,
        entries: problems.iter().map(|p| entry(path, p)).collect(),
    }
}

/// The files a plan was read from, for `import` headers: `name ← id` per service.
pub fn origins(imported: &Imported) -> Vec<String> {
    imported
        .services
        .iter()
        .map(|s| format!("  {} <- {}", s.raw.name, s.id))
        .collect()
}

/// The logical ids of a template's services and task definitions, for `recommend`'s template
/// changes (the template already loaded once: its problems were reported then).
pub fn template_ids(
    path: &Path,
    input: &TaskdefInput,
    facts: &Facts,
) -> Result<Vec<TemplateIds>, CliError> {
    let text = read_text(path, "template")?;
    let opts = cfn::Options {
        parameters: parameters(&input.parameters)?,
        region: input.region.clone(),
    };
    let imported = cfn::parse(&text, &opts, facts).map_err(|p| document_error(path, &p))?;
    let id = |p: &crate::core::vocab::problem::FieldPath| match p.0.get(1) {
        Some(crate::core::vocab::problem::Seg::Key(k)) => k.clone(),
        _ => String::new(),
    };
    Ok(imported
        .services
        .iter()
        .map(|s| TemplateIds {
            service: s.raw.name.clone(),
            service_id: s.id.clone(),
            task_id: id(&s.task_path),
        })
        .collect())
}
