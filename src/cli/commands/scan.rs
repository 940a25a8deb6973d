//! `scan --cluster NAME`: read what an ECS cluster runs (reads only) and write the plan that
//! prices it, with a summary table on stderr. Reading is `aws::scan`, converting `core::scan`.

use super::super::args::ScanArgs;
use super::super::error::{CliError, Entry, ExitKind};
use super::super::output::Target;
use super::super::session::facts;
use crate::aws::scan::ClusterReader;
use crate::aws::{AwsOptions, load_config};
use crate::core::scan::{ScannedService, plan_text, scan};
use crate::core::vocab::problem::Seg;
use crate::export;

pub fn run(args: ScanArgs) -> Result<(), CliError> {
    let target = Target::output(args.output.as_deref())?;
    target.check()?;
    // A cluster ARN names the same cluster; the plan and the autoscaling ids use the name.
    let cluster = args
        .cluster
        .rsplit_once(":cluster/")
        .map_or(args.cluster.as_str(), |(_, name)| name)
        .to_string();
    if cluster.is_empty() {
        return Err(CliError::bad_input("--cluster is empty"));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::failure(format!("cannot start the async runtime: {e}")))?;
    let (region, services) = runtime.block_on(read(&args, &cluster))?;

    let facts = facts()?;
    let result = scan(&cluster, &region, &services, &facts);
    for n in &result.notes {
        eprintln!("note: {n}");
    }
    for (name, why) in &result.skipped {
        eprintln!("warning: service `{name}` is not in the plan: {why}");
    }
    if result.plan.service.is_empty() {
        return Err(CliError::failure(format!(
            "cluster `{cluster}` in {region} runs no service that can be priced on Fargate: nothing to plan"
        ))
        .detail(if services.is_empty() {
            "it has no services".to_string()
        } else {
            format!("{} service(s) left out, listed above", result.skipped.len())
        }));
    }
    eprint!("{}", export::scan::summary(&cluster, &region, &result));

    // The plan must pass the rules of any plan before it is written.
    if let Err(problems) = crate::core::plan::check(&result.plan, &facts, Default::default()) {
        let entries = problems
            .iter()
            .map(|p| {
                let service = match p.path.0.as_slice() {
                    [Seg::Key(s), Seg::Index(i), ..] if s == "service" => result
                        .plan
                        .service
                        .get(*i)
                        .map(|s| format!("service `{}`: ", s.name)),
                    _ => None,
                }
                .unwrap_or_default();
                let mut details = vec![p.message.clone()];
                if let Some(v) = &p.value {
                    details.push(format!("value: {v}"));
                }
                Entry {
                    headline: format!(
                        "{service}`{}` as ECS reports it breaks a Fargate rule",
                        p.path
                    ),
                    details,
                }
            })
            .collect();
        return Err(CliError {
            kind: ExitKind::Failure,
            entries,
        });
    }
    let text = plan_text(&cluster, &region, &result)
        .map_err(|e| CliError::failure(format!("cannot write the plan as TOML: {e}")))?;
    target.write(text.as_bytes())
}

/// The region and the cluster's services.
async fn read(args: &ScanArgs, cluster: &str) -> Result<(String, Vec<ScannedService>), CliError> {
    let config = load_config(&AwsOptions {
        profile: args.aws.profile.clone(),
        region: args.aws.region.clone(),
        endpoint_url: args.aws.endpoint_url.clone(),
    })
    .await;
    let Some(region) = config.region().map(|r| r.to_string()) else {
        return Err(CliError::bad_input("no AWS region: the cluster's region is not known")
            .detail("fix: pass --region, e.g. `--region us-east-1`, or set AWS_REGION or a region in the profile"));
    };
    let services = ClusterReader::new(&config).read(cluster).await?;
    match services {
        Some(s) => Ok((region, s)),
        None => Err(
            CliError::failure(format!("cluster `{cluster}` not found in {region}"))
                .detail("check the name (`aws ecs list-clusters`), --region and --profile"),
        ),
    }
}
