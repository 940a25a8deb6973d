//! `init`: a starter plan that validates and reports, and no clobbering.

use super::support::run_in;

#[test]
fn init_writes_a_plan_that_reports() {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), &["init"], &[])
        .success()
        .stderr_has("wrote fargate-plan.toml");
    run_in(dir.path(), &["report", "fargate-plan.toml"], &[])
        .success()
        .stdout_has("$18.02");
    run_in(dir.path(), &["init"], &[])
        .code(2)
        .stderr_has("already exists");
    run_in(dir.path(), &["init", "--force"], &[]).success();
    run_in(dir.path(), &["init", "-"], &[])
        .success()
        .stdout_has("[[service]]");
}
