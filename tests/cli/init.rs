//! `init`: a starter plan that validates and reports, and no clobbering; `completions` and `man`.

use super::support::{run, run_in};

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

/// Completions and the manual page come from the clap definitions and are well-formed.
#[test]
fn completions_and_the_man_page_are_generated() {
    let dir = tempfile::tempdir().unwrap();
    let bash = run(&["completions", "bash"]).success().stdout;
    assert!(
        bash.contains("fargate-planner") && bash.contains("report"),
        "{bash}"
    );
    let script = dir.path().join("f.bash");
    std::fs::write(&script, &bash).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    for shell in ["zsh", "fish", "powershell"] {
        assert!(
            !run(&["completions", shell]).success().stdout.is_empty(),
            "{shell}"
        );
    }
    let page = run(&["man"]).success().stdout;
    let file = dir.path().join("fargate-planner.1");
    std::fs::write(&file, &page).unwrap();
    let rendered = std::process::Command::new("man")
        .arg("-l")
        .arg(&file)
        .env("MANPAGER", "cat")
        .env("MANWIDTH", "80")
        .output()
        .unwrap_or_else(|e| panic!("`man -l` is needed to check the page: {e}"));
    assert!(
        rendered.status.success(),
        "{}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let text = String::from_utf8_lossy(&rendered.stdout);
    assert!(
        text.contains("NAME") && text.contains("fargate-planner"),
        "{text}"
    );
    // Every command's help ends with an example.
    for command in [
        "report",
        "validate",
        "simulate",
        "compare",
        "recommend",
        "deploy",
        "scan",
    ] {
        run(&[command, "--help"])
            .success()
            .stdout_has("Example:\n  fargate-planner ");
    }
}
