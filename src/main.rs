//! The `fargate-planner` binary: a thin shell over [`fargate_planner::cli::main`].

fn main() -> std::process::ExitCode {
    fargate_planner::cli::main()
}
