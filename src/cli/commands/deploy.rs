//! `deploy PLAN`: preflight, observe, diff, and (with `--apply`) change only what differs.
//!
//! Order: the plan's Fargate rules (no AWS call), the image architectures (reads only), the
//! observed state (reads only), the diff, confirmation, then the changes one by one. A run that
//! fails midway leaves what it made; the next run observes it and does only the rest.

use super::super::args::InputFormat;
use super::super::args::{AwsConnectionArgs, DeployArgs};
use super::super::error::CliError;
use super::super::images::{self, ReadOptions};
use super::super::infra::{detect_file, load_plan};
use super::super::output::diag;
use super::super::output::print;
use super::super::session::facts;
use crate::aws::autoscaling::AutoScaling;
use crate::aws::ec2::Ec2;
use crate::aws::ecs::{Ecs, Rollout};
use crate::aws::logs::Logs;
use crate::aws::{AwsError, AwsOptions, load_config};
use crate::core::deploy::image::parse_ecr;
use crate::core::deploy::{
    Change, Desired, Observed, Section, TaskDefinitionRef, desired, diff, needs_default_vpc,
    network_for, scaling_for, tags_for,
};
use crate::core::plan::{CheckOptions, Plan, Service};
use crate::export;
use std::collections::{BTreeMap, BTreeSet};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

pub fn run(args: DeployArgs) -> Result<(), CliError> {
    let facts = facts()?;
    // A template or Terraform plan is deployed by its own tool, which owns those resources.
    let kind = detect_file(&args.plan, None);
    if matches!(kind, InputFormat::Cloudformation | InputFormat::Terraform) {
        return Err(CliError::bad_input(format!(
            "{}: deploy applies a plan file; a {} is deployed by its own tool",
            args.plan.display(),
            if kind == InputFormat::Terraform {
                "Terraform plan (`terraform apply`)"
            } else {
                "CloudFormation template (`aws cloudformation deploy`, `cdk deploy`)"
            }
        ))
        .detail("to deploy with fargate-planner, write a plan first: `fargate-planner import cfn|terraform FILE -o plan.toml`"));
    }
    // Every Fargate rule of the plan, before AWS sees anything. Deploy prices nothing.
    let plan = load_plan(
        &args.plan,
        &crate::cli::args::TaskdefInput::default(),
        &facts,
        CheckOptions::default(),
    )?
    .plan;
    let services = select(&plan, &args)?;
    let wait_timeout = parse_duration(&args.wait_timeout).ok_or_else(|| {
        CliError::bad_input(format!(
            "--wait-timeout `{}` is not a duration",
            args.wait_timeout
        ))
        .detail("use seconds or minutes, e.g. `90s`, `15m` or `600`")
    })?;
    let mut scaling = BTreeMap::new();
    for s in &services {
        let spec = scaling_for(&plan.cluster, s).map_err(|e| {
            CliError::bad_input(format!("{}: {e}", args.plan.display()))
                .detail(format!("fix: {}", e.fix()))
        })?;
        scaling.insert(s.name.clone(), spec);
    }
    for w in static_warnings(&services) {
        diag!("warning: {w}");
    }
    let interactive = std::io::stdin().is_terminal();
    if args.apply && !args.yes && !interactive {
        return Err(CliError::bad_input(
            "refusing to apply without confirmation: standard input is not a terminal",
        )
        .detail(
            "review the changes with a dry run (`deploy` without --apply), then pass --apply --yes",
        ));
    }

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(deploy(
        &plan,
        &services,
        &scaling,
        &args,
        wait_timeout,
        interactive,
    ))
}

/// The services to deploy: all, or those named with `--service`, in the `--region` if given.
fn select<'a>(plan: &'a Plan, args: &DeployArgs) -> Result<Vec<&'a Service>, CliError> {
    for name in &args.service {
        if !plan.services.iter().any(|s| &s.name == name) {
            let names: Vec<&str> = plan.services.iter().map(|s| s.name.as_str()).collect();
            let mut err = CliError::bad_input(format!("the plan has no service `{name}`"));
            if let Some(best) =
                crate::core::vocab::problem::did_you_mean(name, names.iter().copied())
            {
                err = err.detail(format!("did you mean `{best}`?"));
            }
            return Err(err.detail(format!("services in the plan: {}", names.join(", "))));
        }
    }
    let chosen: Vec<&Service> = plan
        .services
        .iter()
        .filter(|s| args.service.is_empty() || args.service.contains(&s.name))
        .filter(|s| args.aws.region.as_ref().is_none_or(|r| &s.region == r))
        .collect();
    if chosen.is_empty()
        && let Some(r) = &args.aws.region
    {
        let regions: BTreeSet<&str> = plan.services.iter().map(|s| s.region.as_str()).collect();
        return Err(
            CliError::bad_input(format!("no service of the plan is in region `{r}`")).detail(
                format!(
                    "each service deploys to its own region; the plan's are {}",
                    regions.into_iter().collect::<Vec<_>>().join(", ")
                ),
            ),
        );
    }
    Ok(chosen)
}

/// `90s`, `15m`, `1h`, or plain seconds.
fn parse_duration(text: &str) -> Option<Duration> {
    let t = text.trim();
    let (num, unit) = match t.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((i, _)) => t.split_at(i),
        None => (t, "s"),
    };
    let n: u64 = num.parse().ok()?;
    let secs = match unit.trim() {
        "s" | "sec" => n,
        "m" | "min" => n.checked_mul(60)?,
        "h" => n.checked_mul(3600)?,
        _ => return None,
    };
    (secs > 0).then(|| Duration::from_secs(secs))
}

/// What the plan alone says will go wrong later, said before any AWS call.
fn static_warnings(services: &[&Service]) -> Vec<String> {
    let mut out = Vec::new();
    for s in services {
        if s.execution_role_arn.is_none() {
            let awslogs = s.containers.iter().any(|c| {
                c.log_configuration
                    .as_ref()
                    .is_some_and(|l| l.log_driver == "awslogs")
            });
            let ecr = s.containers.iter().any(|c| parse_ecr(&c.image).is_some());
            if awslogs || ecr {
                let why = match (awslogs, ecr) {
                    (true, true) => "to pull from ECR and to write awslogs",
                    (true, false) => "to write awslogs",
                    _ => "to pull from ECR",
                };
                out.push(format!(
                    "service `{}` has no execution_role_arn: Fargate needs one {why}, and AWS refuses the task definition or the task without it; set execution_role_arn = \"arn:aws:iam::<account>:role/ecsTaskExecutionRole\"",
                    s.name
                ));
            }
        }
    }
    out
}

/// The clients of one region.
struct Clients {
    ecs: Ecs,
    logs: Logs,
    ec2: Ec2,
    scaling: AutoScaling,
}

fn options(aws: &AwsConnectionArgs, region: &str) -> AwsOptions {
    AwsOptions {
        profile: aws.profile.clone(),
        region: Some(region.to_string()),
        endpoint_url: aws.endpoint_url.clone(),
    }
}

async fn deploy(
    plan: &Plan,
    services: &[&Service],
    scaling: &BTreeMap<String, Option<crate::core::deploy::ScalingSpec>>,
    args: &DeployArgs,
    wait_timeout: Duration,
    interactive: bool,
) -> Result<(), CliError> {
    // Preflight: the images' architectures (reads only), before any other AWS call.
    if args.skip_image_check {
        diag!("image check skipped (--skip-image-check)");
    } else {
        let opts = ReadOptions {
            aws: options(&args.aws, ""),
            cached_tags: false,
        };
        let reads = images::read_all(services, &opts).await;
        images::check(services, &reads, args.require_image_check)?;
    }

    let mut clients: BTreeMap<String, Clients> = BTreeMap::new();
    for s in services {
        if !clients.contains_key(&s.region) {
            let config = load_config(&options(&args.aws, &s.region)).await;
            clients.insert(
                s.region.clone(),
                Clients {
                    ecs: Ecs::new(&config),
                    logs: Logs::new(&config),
                    ec2: Ec2::new(&config),
                    scaling: AutoScaling::new(&config),
                },
            );
        }
    }

    // Observe and diff.
    let mut sections = Vec::new();
    let mut desired_all = Vec::new();
    let mut planned: BTreeSet<(String, String)> = BTreeSet::new();
    for s in services {
        let c = clients
            .get(&s.region)
            .ok_or_else(|| CliError::failure("internal: no client for the region"))?;
        let vpc = if needs_default_vpc(s) {
            c.ec2.default_vpc().await.map_err(CliError::from)?
        } else {
            None
        };
        let network = network_for(s, vpc.as_ref())
            .map_err(|e| CliError::bad_input(e.to_string()).detail(format!("fix: {}", e.fix())))?;
        let want = desired(plan, s, network, scaling.get(&s.name).cloned().flatten());
        let observed = observe(c, &want).await.map_err(CliError::from)?;
        let mut changes = diff(&want, &observed)
            .map_err(|e| CliError::bad_input(e.to_string()).detail(format!("fix: {}", e.fix())))?;
        // A cluster or log group shared by several services is created once.
        changes.retain(|ch| {
            let key = match ch {
                Change::CreateCluster { name, .. }
                | Change::AddCapacityProviders { cluster: name, .. } => {
                    Some(format!("cluster {name}"))
                }
                Change::CreateLogGroup { name } => Some(format!("log group {name}")),
                _ => None,
            };
            key.is_none_or(|k| planned.insert((want.region.clone(), k)))
        });
        sections.push(Section::new(&want, changes));
        desired_all.push(want);
    }

    print(&export::deploy::render(&sections))?;
    let total: usize = sections.iter().map(|s| s.changes.len()).sum();
    if total == 0 {
        return Ok(());
    }
    if !args.apply {
        return print(
            "\nThis was a dry run: nothing was changed. Run with --apply to make these changes.\n",
        );
    }
    if !args.yes && !confirm(total, interactive)? {
        return Err(CliError::failure("nothing was changed: not confirmed"));
    }

    let mut done = 0usize;
    let mut to_wait = Vec::new();
    for (section, want) in sections.iter().zip(&desired_all) {
        let c = clients
            .get(&want.region)
            .ok_or_else(|| CliError::failure("internal: no client for the region"))?;
        let mut new_arn: Option<String> = None;
        for change in &section.changes {
            let result = apply(c, want, change, &mut new_arn).await;
            match result {
                Ok(what) => {
                    done += 1;
                    diag!("  done: {what}");
                }
                Err(e) => {
                    return Err(CliError::from(e)
                        .detail(format!(
                            "{done} of {total} changes were made before this one failed; nothing was rolled back or deleted"
                        ))
                        .detail("run deploy again: it sees what exists and makes only the remaining changes"));
                }
            }
        }
        if section.changes.iter().any(|ch| {
            matches!(
                ch,
                Change::CreateService { .. } | Change::UpdateService { .. }
            )
        }) {
            to_wait.push((
                want.region.clone(),
                want.cluster.clone(),
                want.service.name.clone(),
            ));
        }
    }
    print(&format!(
        "Applied {done} change{}.\n",
        if done == 1 { "" } else { "s" }
    ))?;

    if args.wait {
        for (region, cluster, name) in &to_wait {
            let c = clients
                .get(region)
                .ok_or_else(|| CliError::failure("internal: no client for the region"))?;
            wait_stable(&c.ecs, cluster, name, wait_timeout).await?;
        }
    }
    Ok(())
}

async fn observe(c: &Clients, want: &Desired) -> Result<Observed, AwsError> {
    let cluster = c.ecs.cluster(&want.cluster).await?;
    let mut log_groups = Vec::new();
    for g in &want.log_groups {
        if c.logs.exists(g).await? {
            log_groups.push(g.clone());
        }
    }
    let task_definition = c
        .ecs
        .latest_task_definition(&want.task_definition.family)
        .await?;
    let service = match &cluster {
        Some(cl) if cl.status == "ACTIVE" => {
            c.ecs.service(&want.cluster, &want.service.name).await?
        }
        _ => None,
    };
    let scaling = match (&want.scaling, &service) {
        (Some(spec), Some(_)) => c.scaling.observe(spec).await?,
        _ => None,
    };
    Ok(Observed {
        cluster,
        log_groups,
        task_definition,
        service,
        scaling,
    })
}

async fn apply(
    c: &Clients,
    want: &Desired,
    change: &Change,
    new_arn: &mut Option<String>,
) -> Result<String, AwsError> {
    let managed = tags_for(&BTreeMap::new());
    let td_ref = |r: &TaskDefinitionRef, new_arn: &Option<String>| -> Result<String, AwsError> {
        match r {
            TaskDefinitionRef::Existing(arn) => Ok(arn.clone()),
            TaskDefinitionRef::New => new_arn.clone().ok_or_else(|| AwsError {
                operation: "deploy".into(),
                code: "NoTaskDefinition".into(),
                message: "the new task definition revision was not registered".into(),
                kind: crate::aws::AwsErrorKind::Other,
            }),
        }
    };
    match change {
        Change::CreateCluster { name, providers } => {
            c.ecs.create_cluster(name, providers, &managed).await?;
            Ok(format!("created cluster `{name}`"))
        }
        Change::AddCapacityProviders { cluster, add, .. } => {
            c.ecs.add_capacity_providers(cluster, add).await?;
            Ok(format!(
                "associated capacity providers with cluster `{cluster}`"
            ))
        }
        Change::CreateLogGroup { name } => {
            c.logs.create(name, &managed).await?;
            Ok(format!("created log group `{name}`"))
        }
        Change::RegisterTaskDefinition { spec, .. } => {
            let arn = c.ecs.register_task_definition(spec).await?;
            let what = format!(
                "registered task definition `{}`",
                crate::core::deploy::family_revision(&arn)
            );
            *new_arn = Some(arn);
            Ok(what)
        }
        Change::CreateService {
            spec,
            task_definition,
        } => {
            let arn = td_ref(task_definition, new_arn)?;
            c.ecs.create_service(spec, &arn).await?;
            Ok(format!(
                "created service `{}` in cluster `{}`",
                spec.name, spec.cluster
            ))
        }
        Change::UpdateService {
            spec,
            task_definition,
            force_new_deployment,
            changes,
        } => {
            let arn = td_ref(task_definition, new_arn)?;
            let set_count = changes.iter().any(|f| f.field == "desired_count");
            c.ecs
                .update_service(spec, &arn, *force_new_deployment, set_count)
                .await?;
            Ok(format!("updated service `{}`", spec.name))
        }
        Change::PutScalableTarget { spec, changes } => {
            c.scaling
                .put_target(spec, &want.service.tags, changes.is_empty())
                .await?;
            Ok(format!("registered scalable target `{}`", spec.resource_id))
        }
        Change::PutScalingPolicy { spec, .. } => {
            c.scaling.put_policy(spec).await?;
            Ok(format!("put scaling policy `{}`", spec.policy_name))
        }
    }
}

fn confirm(total: usize, interactive: bool) -> Result<bool, CliError> {
    if !interactive {
        return Ok(false);
    }
    super::super::output::confirm(&format!(
        "Make these {total} change{}?",
        if total == 1 { "" } else { "s" }
    ))
}

async fn wait_stable(
    ecs: &Ecs,
    cluster: &str,
    name: &str,
    timeout: Duration,
) -> Result<(), CliError> {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.enable_steady_tick(Duration::from_millis(120));
    let start = Instant::now();
    let mut last: Option<Rollout> = None;
    loop {
        let r = ecs.rollout(cluster, name).await.map_err(CliError::from)?;
        if let Some(r) = &r {
            bar.set_message(format!(
                "service `{name}`: {}/{} running, {} pending, {} deployment{}{} ({}s)",
                r.running,
                r.desired,
                r.pending,
                r.deployments,
                if r.deployments == 1 { "" } else { "s" },
                r.state
                    .as_deref()
                    .map(|s| format!(", rollout {s}"))
                    .unwrap_or_default(),
                start.elapsed().as_secs()
            ));
            if r.state.as_deref() == Some("FAILED") {
                bar.finish_and_clear();
                return Err(CliError::failure(format!(
                    "service `{name}`: the deployment failed{}",
                    r.reason.as_deref().map(|m| format!(": {m}")).unwrap_or_default()
                ))
                .detail("the circuit breaker stopped it; `aws ecs describe-services` shows the stopped tasks' reasons"));
            }
            if r.is_stable() {
                bar.finish_and_clear();
                diag!(
                    "service `{name}` is stable: {}/{} tasks running",
                    r.running,
                    r.desired
                );
                return Ok(());
            }
        }
        last = r.or(last);
        if start.elapsed() >= timeout {
            bar.finish_and_clear();
            let state = last
                .map(|r| {
                    format!(
                        "{}/{} tasks running, {} deployments",
                        r.running, r.desired, r.deployments
                    )
                })
                .unwrap_or_else(|| "the service was not found".to_string());
            return Err(CliError::failure(format!(
                "service `{name}` did not become stable within {}s ({state})",
                timeout.as_secs()
            ))
            .detail("the changes were made; ECS is still deploying. Wait longer with --wait-timeout, or look at the service's events in the console"));
        }
        tokio::time::sleep(
            Duration::from_secs(2).min(
                timeout
                    .saturating_sub(start.elapsed())
                    .max(Duration::from_millis(200)),
            ),
        )
        .await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("90s"), Some(Duration::from_secs(90)));
        assert_eq!(parse_duration("15m"), Some(Duration::from_secs(900)));
        assert_eq!(parse_duration("600"), Some(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h"), Some(Duration::from_secs(3600)));
        assert_eq!(parse_duration("0"), None);
        assert_eq!(parse_duration("soon"), None);
        assert_eq!(parse_duration("5 days"), None);
    }
}
