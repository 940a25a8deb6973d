//! Command-line arguments as plain data (clap derive). Nothing here leaks into `core`.

use crate::export::recommend::RecommendFormat;
use crate::export::{Format, ReportFormat};
use clap::builder::PossibleValue;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Plan, price, simulate and deploy AWS ECS services on Fargate.
#[derive(Debug, Parser)]
#[command(name = "fargate-planner", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No warnings, notes or progress on stderr (errors and prompts still show).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Monthly cost of each service: x86, ARM, Spot and the plan's own strategy.
    #[command(
        after_help = "Example:\n  fargate-planner report examples/webserver.toml -o report.html"
    )]
    Report(ReportArgs),
    /// Check a plan against the Fargate rules; lists every problem with its line and fix.
    #[command(after_help = "Example:\n  fargate-planner validate examples/portfolio.toml")]
    Validate(ValidateArgs),
    /// Show the price book.
    #[command(subcommand)]
    #[command(after_help = "Example:\n  fargate-planner prices show --coverage")]
    Prices(PricesCommand),
    /// Export for budgeting: `export budget PLAN` writes a month-by-month CSV.
    #[command(subcommand)]
    #[command(
        after_help = "Example:\n  fargate-planner export budget examples/portfolio.toml --months 12 --growth 3% -o budget.csv"
    )]
    Export(ExportCommand),
    /// Write a commented starter plan.
    #[command(after_help = "Example:\n  fargate-planner init plan.toml")]
    Init(InitArgs),
    /// Monte Carlo simulation of replicas, uptime, autoscaling and Spot interruptions: cost and
    /// availability distributions (mean, P50, P95, P99) per service.
    #[command(
        after_help = "Example:\n  fargate-planner simulate examples/portfolio.toml --trials 1000 --horizon 30d"
    )]
    Simulate(SimulateArgs),
    /// Deploy the plan's services to ECS: a dry-run diff by default, changes with --apply.
    #[command(
        after_help = "Example:\n  fargate-planner deploy examples/webserver.toml --profile dev   (dry run; --apply to change)"
    )]
    Deploy(DeployArgs),
    /// Compare x86, ARM, Spot, Lambda and EKS on Fargate for a service's workload, with the
    /// request rate where Lambda and Fargate cost the same.
    #[command(
        after_help = "Example:\n  fargate-planner compare examples/webserver.toml --format markdown"
    )]
    Compare(CompareArgs),
    /// Recommend per service the architecture, task size and capacity provider strategy with the
    /// lowest expected cost that meets its availability target, and size a Savings Plan.
    #[command(
        after_help = "Example:\n  fargate-planner recommend examples/portfolio.toml --service api"
    )]
    Recommend(RecommendArgs),
    /// Write a plan from what already exists: `import taskdef FILE...` (task definition JSON).
    #[command(subcommand)]
    #[command(
        after_help = "Example:\n  fargate-planner import taskdef taskdef.json --region eu-west-1 -o plan.toml"
    )]
    Import(ImportCommand),
    /// Write a plan that prices what an ECS cluster runs now: its services, their task
    /// definitions, desired counts, capacity and autoscaling.
    #[command(
        after_help = "Example:\n  fargate-planner scan --cluster prod --region eu-west-1 -o plan.toml"
    )]
    Scan(ScanArgs),
    /// Print a shell completion script, generated from these command definitions.
    #[command(
        after_help = "Example:\n  fargate-planner completions bash > ~/.local/share/bash-completion/completions/fargate-planner"
    )]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), generated from these command definitions.
    #[command(
        after_help = "Example:\n  fargate-planner man > fargate-planner.1 && man -l fargate-planner.1"
    )]
    Man,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// A plan with one service per ECS task definition JSON file (describe-task-definition
    /// output or register-task-definition input), printed on stdout.
    Taskdef(ImportTaskdefArgs),
    /// A plan with one service per `AWS::ECS::Service` of a CloudFormation template (JSON or
    /// YAML, `cdk synth` output included), printed on stdout.
    Cfn(ImportInfraArgs),
    /// A plan with one service per `aws_ecs_service` of a `terraform show -json` plan (its
    /// planned values), printed on stdout.
    Terraform(ImportInfraArgs),
}

#[derive(Debug, Args)]
pub struct ImportInfraArgs {
    /// The template or plan JSON.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    #[command(flatten)]
    pub input: TaskdefInput,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportTaskdefArgs {
    /// Task definition JSON files.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    /// The plan's region (default: the first container's awslogs-region log option).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Tasks per service.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub desired_count: u32,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The plan file (TOML), or an ECS task definition JSON file (`*.json`).
    pub plan: PathBuf,
    /// Output format (default: the --output extension, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<ReportFormat>,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically. Without
    /// `--format`, the extension picks the format (`.json`, `.csv`, `.md`, `.html`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Price an invalid CPU/memory pair as the next valid Fargate size and show what that costs.
    #[arg(long)]
    pub round_up: bool,
    /// With `--format html`: add one simulated week of desired and healthy tasks per service and
    /// provider (trial 0 of a seeded simulation with the plan's Spot assumptions).
    #[arg(long)]
    pub simulate: bool,
    /// The seed of `--simulate`.
    #[arg(long, default_value_t = 1, requires = "simulate")]
    pub seed: u64,
    /// Show the cost difference from this older plan instead (table, markdown or json).
    #[arg(long, value_name = "OLD_PLAN", conflicts_with = "diff")]
    pub compare_to: Option<PathBuf>,
    /// Terraform plan JSON input: show each service before → after and the monthly change
    /// (created, changed, destroyed), from the plan's prior state and planned values.
    #[arg(long)]
    pub diff: bool,
    /// Cost gate: exit with code 3 (after printing the report) when the plan's monthly total is
    /// above this many US dollars.
    #[arg(long, value_name = "USD")]
    pub fail_above: Option<String>,
    /// Cost gate, with `--compare-to` or `--diff`: exit with code 3 when the monthly cost rises by
    /// more than this: `10%` or `25USD` (a bare number is refused as ambiguous).
    #[arg(long, value_name = "LIMIT")]
    pub fail_on_increase: Option<String>,
    #[command(flatten)]
    pub taskdef: TaskdefInput,
    #[command(flatten)]
    pub prices: PriceArgs,
}

/// What a task definition, CloudFormation template or Terraform plan given as the plan does not
/// say, and how to read it.
#[derive(Clone, Debug, Default, Args)]
pub struct TaskdefInput {
    /// Task definition, CloudFormation or Terraform input: the region (default: the file's own,
    /// e.g. a Terraform provider's, then AWS_REGION, then AWS_DEFAULT_REGION, then the
    /// awslogs-region log option).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Task definition JSON input only: tasks to price (default 1).
    #[arg(long, value_name = "N")]
    pub desired_count: Option<u32>,
    /// How to read the input instead of guessing from its content.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// CloudFormation input: a template parameter's value, over its Default (repeatable).
    #[arg(long = "parameter", value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// CloudFormation or Terraform input: a plan file whose services (matched by ECS service
    /// name, else logical id or address) add what the file cannot hold: load, workload,
    /// availability, Spot assumptions, uptime, recommend settings.
    #[arg(long, value_name = "PLAN")]
    pub overlay: Option<PathBuf>,
}

/// The kinds of input a plan can be read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// A fargate-planner plan (TOML).
    Plan,
    /// ECS task definition JSON.
    Taskdef,
    /// A CloudFormation template, JSON or YAML (`cdk synth` output included).
    #[value(alias = "cfn")]
    Cloudformation,
    /// `terraform show -json` of a saved plan.
    Terraform,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The plan file (TOML); `[service.workload]` gives the request rate and duration.
    pub plan: PathBuf,
    /// Only this service.
    #[arg(long)]
    pub service: Option<String>,
    /// Output format (`csv` is the cost series across request rates; default: the --output
    /// extension, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically. Without
    /// `--format`, the extension picks the format (`.json`, `.csv`, `.md`, `.html`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Price an invalid CPU/memory pair as the next valid Fargate size.
    #[arg(long)]
    pub round_up: bool,
    /// Trials per candidate for the recommended Spot mix (`recommend`'s search, 30 days);
    /// 0 leaves the recommended mix out.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(0..=100_000))]
    pub trials: u32,
    /// Spot's discount on EC2 on-demand prices, e.g. `60%` (from the EC2 Spot pricing page or
    /// your bills; Spot instance prices are not in the Price List). Without it, no EC2 Spot row.
    #[arg(long, value_name = "PERCENT", value_parser = discount_fraction)]
    pub ec2_spot_discount: Option<rust_decimal::Decimal>,
    #[command(flatten)]
    pub taskdef: TaskdefInput,
    #[command(flatten)]
    pub prices: PriceArgs,
}

#[derive(Debug, Args)]
pub struct RecommendArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Only this service (repeat for several).
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,
    /// Monte Carlo trials per candidate strategy.
    #[arg(long, default_value_t = 500)]
    pub trials: u32,
    /// Random seed: the same seed gives the same numbers on any machine.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Simulated time per candidate: 1d to 366d, e.g. `30d`, `2w`.
    #[arg(long, default_value = "30d")]
    pub horizon: String,
    /// The horizon starts at 00:00 UTC on this date (YYYY-MM-DD).
    #[arg(long, default_value = "2026-01-05", value_name = "DATE")]
    pub start: String,
    /// Output format (default: the --output extension, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<RecommendFormat>,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically. Without
    /// `--format`, the extension picks the format (`.json`, `.csv`, `.md`, `.html`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Read each image's platforms from its registry (cached a day per tag) and consider ARM64
    /// only where every container's image has a linux/arm64 build. Without it nothing is fetched.
    #[arg(long)]
    pub images: bool,
    /// Put the recommended strategies, sizes and architectures into the plan file, keeping its
    /// comments and layout; the diff is shown on stderr first and confirmed on a terminal.
    #[arg(long)]
    pub write: bool,
    /// With --write: write without asking (needed without a terminal).
    #[arg(long, requires = "write")]
    pub yes: bool,
    /// Price an invalid CPU/memory pair as the next valid Fargate size.
    #[arg(long)]
    pub round_up: bool,
    #[command(flatten)]
    pub taskdef: TaskdefInput,
    #[command(flatten)]
    pub prices: PriceArgs,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The plan file (TOML), or an ECS task definition JSON file (`*.json`).
    pub plan: PathBuf,
    /// Accept an invalid CPU/memory pair that rounds up to a valid size.
    #[arg(long)]
    pub round_up: bool,
    /// Also read every container image's platforms from its registry and refuse (exit 2) one
    /// without a build for its task's architecture, as `deploy` does.
    #[arg(long)]
    pub images: bool,
    /// With --images: an image that could not be read is an error, not a warning.
    #[arg(long, requires = "images")]
    pub require_image_check: bool,
    /// After the Fargate rules, check that the prices (from `--prices`, as for `report`) cover
    /// every dimension each service needs: a gap exits 1 with the command that fetches it.
    #[command(flatten)]
    pub taskdef: TaskdefInput,
    #[command(flatten)]
    pub prices: PriceArgs,
}

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// List prices with their source and as-of date.
    Show(PricesShowArgs),
    /// Fetch on-demand prices (Price List API) and Spot prices (the Spot feed) into the cache.
    Fetch(PricesFetchArgs),
    /// Import price files (offer files, a saved Spot feed, Savings Plans offers) into the cache.
    Import(PricesImportArgs),
    /// Write the cache as the embedded data files (for maintainers refreshing `data/`).
    Export(PricesExportArgs),
}

#[derive(Debug, Args)]
pub struct PricesExportArgs {
    /// The folder to write `prices.csv`, `lambda-prices.csv`, `savings-plans.csv` and
    /// `eks-prices.csv` to, each in its embedded file's layout (e.g. `data`). Nothing is written
    /// unless the cache has every book.
    #[arg(long, value_name = "DIR")]
    pub embedded: PathBuf,
}

#[derive(Debug, Args)]
pub struct PricesShowArgs {
    /// Only this region.
    #[arg(long)]
    pub region: Option<String>,
    /// A region × dimension matrix instead of the prices: fresh, over a year old, missing or
    /// not sold, for Fargate, Spot, Lambda and Savings Plans rates.
    #[arg(long, conflicts_with = "region")]
    pub coverage: bool,
    #[command(flatten)]
    pub prices: PriceArgs,
}

/// Where prices come from, for every command that prices something.
#[derive(Clone, Debug, Default, Args)]
pub struct PriceArgs {
    /// Price source: `auto` uses the cache where it has the price and the embedded snapshot
    /// elsewhere; `embedded` ignores the cache; `cache` uses only the cache; `live` fetches
    /// the needed regions now (Price List API and Spot feed) and refreshes the cache.
    #[arg(long = "prices", value_enum, default_value_t = PriceSource::Auto, value_name = "SOURCE")]
    pub source: PriceSource,
    /// With `--prices live`: the Price List endpoint region (us-east-1, eu-central-1 or
    /// ap-south-1), not the priced region.
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub pricing_region: String,
    /// With `--prices live`: where to read the Fargate Spot feed (a mirror, a test server).
    #[arg(long, value_name = "URL", env = "FARGATE_PLANNER_SPOT_FEED_URL")]
    pub spot_feed_url: Option<String>,
    /// With `--prices live`: the profile from ~/.aws/config and ~/.aws/credentials.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// With `--prices live`: send Price List requests to this endpoint
    /// (AWS_ENDPOINT_URL_PRICING works too).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum PriceSource {
    #[default]
    Auto,
    Embedded,
    Cache,
    Live,
}

#[derive(Debug, Args)]
pub struct PricesFetchArgs {
    /// A region to price (repeatable), e.g. `--region us-east-1 --region eu-west-1`.
    #[arg(
        long = "region",
        value_name = "REGION",
        required_unless_present = "all_regions"
    )]
    pub regions: Vec<String>,
    /// Every region AmazonECS is priced in (found with GetAttributeValues).
    #[arg(long, conflicts_with = "regions")]
    pub all_regions: bool,
    /// The Price List endpoint region (us-east-1, eu-central-1 or ap-south-1), not the priced
    /// region.
    #[arg(long, value_name = "REGION", default_value = "us-east-1")]
    pub pricing_region: String,
    /// Use this profile from ~/.aws/config and ~/.aws/credentials.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Send Price List requests to this endpoint. AWS_ENDPOINT_URL_PRICING works too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Where to read the Fargate Spot feed (a mirror, a test server).
    #[arg(long, value_name = "URL", env = "FARGATE_PLANNER_SPOT_FEED_URL")]
    pub spot_feed_url: Option<String>,
    /// Do not fetch the Spot feed.
    #[arg(long)]
    pub no_spot: bool,
    /// Do not fetch Lambda prices (ServiceCode `AWSLambda`), which `compare` uses; by default
    /// they are fetched for the same regions.
    #[arg(long)]
    pub no_lambda: bool,
    /// Do not fetch EKS prices (ServiceCode `AmazonEKS`: the cluster fee, extended support and
    /// EKS on Fargate pods); by default they are fetched for the same regions.
    #[arg(long)]
    pub no_eks: bool,
    /// Do not fetch EC2 instance prices (ServiceCode `AmazonEC2`: on-demand Linux, shared
    /// tenancy, the instance types of the embedded EC2 book); by default they are fetched for
    /// the same regions, one query a region.
    #[arg(long)]
    pub no_ec2: bool,
    /// Also fetch each region's Compute Savings Plans rates for Fargate (ListPriceLists
    /// `ComputeSavingsPlans`, GetPriceListFileUrl, then the file itself: large downloads).
    #[arg(long)]
    pub savings_plans: bool,
    /// How many regions to fetch at once.
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=32))]
    pub concurrency: u16,
}

#[derive(Debug, Args)]
pub struct PricesImportArgs {
    /// Files to import (or https:// URLs): AmazonECS offer files (index.json, index.csv, per
    /// region or all regions), a saved Fargate Spot feed, Compute Savings Plans offer files,
    /// saved `aws pricing get-products` output. The format is detected from the content.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<String>,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the plan (`-` for stdout).
    #[arg(default_value = "fargate-plan.toml")]
    pub file: PathBuf,
    /// Overwrite the file if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Where AWS is: the standard chain, with the AWS CLI's overrides.
#[derive(Clone, Debug, Default, Args)]
pub struct AwsConnectionArgs {
    /// Use this profile from ~/.aws/config and ~/.aws/credentials.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// The AWS region (default: the standard chain's). `deploy`: only the plan's services in
    /// this region (each service deploys to its own region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Send every AWS request to this endpoint (an emulator, a VPC endpoint). The
    /// AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> variables work too.
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The ECS cluster to read (name or ARN).
    #[arg(long, value_name = "NAME")]
    pub cluster: String,
    /// Write the plan to this file instead of stdout (`-` is stdout). Written atomically.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub aws: AwsConnectionArgs,
}

#[derive(Debug, Args)]
pub struct DeployArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Only this service of the plan (repeatable).
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,
    /// Make the changes (without it, deploy only shows them).
    #[arg(long)]
    pub apply: bool,
    /// Do not ask for confirmation (needed with --apply when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,
    /// After applying, wait until each changed service is stable.
    #[arg(long)]
    pub wait: bool,
    /// How long --wait waits, e.g. `90s`, `15m` (default 10m).
    #[arg(long, value_name = "DURATION", default_value = "10m")]
    pub wait_timeout: String,
    /// Do not read the images' manifests to check their CPU architecture.
    #[arg(long)]
    pub skip_image_check: bool,
    /// An image whose architecture could not be read is an error, not a warning.
    #[arg(long, conflicts_with = "skip_image_check")]
    pub require_image_check: bool,
    #[command(flatten)]
    pub aws: AwsConnectionArgs,
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// A tidy CSV: one row per month × service × provider × component, with usage, rate, cost,
    /// price source and date. Sums reconcile with `report`.
    Budget(BudgetArgs),
}

#[derive(Debug, Args)]
pub struct BudgetArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// How many months.
    #[arg(long, default_value_t = 12, value_parser = clap::value_parser!(u32).range(1..=120))]
    pub months: u32,
    /// The first month, `YYYY-MM` (default: next month).
    #[arg(long)]
    pub start: Option<String>,
    /// Monthly growth of usage, compounding: a percentage from -100% to 100%, e.g. `3%` or
    /// `-2%`.
    #[arg(long, default_value = "0%", allow_hyphen_values = true)]
    pub growth: String,
    /// Use months of this many hours (730 matches the AWS Pricing Calculator) instead of calendar months.
    #[arg(long)]
    pub hours_per_month: Option<String>,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub taskdef: TaskdefInput,
    #[command(flatten)]
    pub prices: PriceArgs,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// The plan file (TOML).
    pub plan: PathBuf,
    /// Only this service (repeat for several).
    #[arg(long, value_name = "NAME")]
    pub service: Vec<String>,
    /// Monte Carlo trials.
    #[arg(long, default_value_t = 1000)]
    pub trials: u32,
    /// Random seed: the same seed gives the same numbers on any machine.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Simulated time: 1d to 366d, e.g. `30d`, `2w`, `1y`.
    #[arg(long, default_value = "30d")]
    pub horizon: String,
    /// The horizon starts at 00:00 UTC on this date (YYYY-MM-DD); fixed by default so that
    /// results do not change with the day they are run.
    #[arg(long, default_value = "2026-01-05", value_name = "DATE")]
    pub start: String,
    /// Output format (default: the --output extension, else table).
    #[arg(long, short, value_enum)]
    pub format: Option<Format>,
    /// Write to this file instead of stdout (`-` is stdout). Written atomically. Without
    /// `--format`, the extension picks the format (`.json`, `.csv`, `.md`, `.html`).
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Also write a CSV time series of desired, running and healthy tasks per provider (trial 0).
    #[arg(long, value_name = "FILE")]
    pub timeline: Option<PathBuf>,
    /// Sample step of the timeline: `5m` or `1h` (any duration from 1m).
    #[arg(long, default_value = "5m", value_name = "STEP")]
    pub timeline_step: String,
    /// Price an invalid CPU/memory pair as the next valid Fargate size.
    #[arg(long)]
    pub round_up: bool,
    #[command(flatten)]
    pub taskdef: TaskdefInput,
    #[command(flatten)]
    pub prices: PriceArgs,
}

/// The exporters' formats as `--format` values: the exporters know nothing of clap.
macro_rules! format_values {
    ($t:ty { $($variant:ident => $name:literal $(: $help:literal)?),* $(,)? }) => {
        impl ValueEnum for $t {
            fn value_variants<'a>() -> &'a [Self] {
                &[$(<$t>::$variant),*]
            }

            fn to_possible_value(&self) -> Option<PossibleValue> {
                Some(match self {
                    $(<$t>::$variant => PossibleValue::new($name)$(.help($help))?,)*
                })
            }
        }
    };
}

format_values!(Format {
    Table => "table",
    Json => "json",
    Csv => "csv",
    Markdown => "markdown",
});
format_values!(ReportFormat {
    Table => "table",
    Json => "json",
    Csv => "csv",
    Markdown => "markdown",
    Html => "html": "One self-contained HTML file with SVG charts",
});
format_values!(RecommendFormat {
    Table => "table",
    Json => "json",
    Markdown => "markdown",
});

/// `60%` or `60` → 0.6: a discount above 0 and below 100 percent.
fn discount_fraction(s: &str) -> Result<rust_decimal::Decimal, String> {
    let n: rust_decimal::Decimal = s
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a percentage; e.g. 60%"))?;
    if n <= rust_decimal::Decimal::ZERO || n >= rust_decimal::Decimal::ONE_HUNDRED {
        return Err(format!("`{s}`: a discount is above 0% and below 100%"));
    }
    Ok(n / rust_decimal::Decimal::ONE_HUNDRED)
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// clap's own consistency checks of every command and argument (names, conflicts, defaults).
    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
