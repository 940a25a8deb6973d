//! A small harness: run the binary, and on failure print the command, folder and both streams.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

/// The repository root (examples, data).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn example(name: &str) -> PathBuf {
    root().join("examples").join(name)
}

/// What a run printed and returned.
pub struct Run {
    pub command: String,
    pub dir: PathBuf,
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    fn context(&self) -> String {
        format!(
            "command: {}\nfolder: {}\nexit: {:?}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.command,
            self.dir.display(),
            self.code,
            self.stdout,
            self.stderr
        )
    }

    /// Asserts the exit code and returns self for further checks.
    #[track_caller]
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.code,
            Some(expected),
            "unexpected exit code\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn success(self) -> Self {
        self.code(0)
    }

    #[track_caller]
    pub fn stdout_has(self, needle: &str) -> Self {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n{}",
            self.context()
        );
        self
    }

    #[track_caller]
    pub fn stderr_has(self, needle: &str) -> Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n{}",
            self.context()
        );
        self
    }
}

/// Runs `fargate-planner ARGS` in `dir` with a clean AWS environment (nothing reaches AWS).
pub fn run_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd =
        Command::cargo_bin("fargate-planner").unwrap_or_else(|e| panic!("binary not built: {e}"));
    cmd.current_dir(dir).args(args);
    for var in [
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_ENDPOINT_URL",
        "AWS_CA_BUNDLE",
        "AWS_MAX_ATTEMPTS",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "all_proxy",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("AWS_EC2_METADATA_DISABLED", "true");
    // Tables are fitted to `COLUMNS`: a test that wants a width sets it.
    cmd.env_remove("COLUMNS");
    // Never read or write the user's price cache: an empty per-run folder unless a test sets one.
    cmd.env_remove("FARGATE_PLANNER_SPOT_FEED_URL");
    cmd.env(
        "FARGATE_PLANNER_CACHE_DIR",
        std::env::temp_dir().join(format!("fargate-planner-test-cache-{}", std::process::id())),
    );
    // Never read the user's Docker credentials: a folder without a config unless a test sets one.
    cmd.env(
        "DOCKER_CONFIG",
        std::env::temp_dir().join(format!(
            "fargate-planner-test-docker-{}",
            std::process::id()
        )),
    );
    cmd.env_remove("FARGATE_PLANNER_REGISTRY_TIMEOUT_SECS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run fargate-planner: {e}"));
    Run {
        command: format!("fargate-planner {}", args.join(" ")),
        dir: dir.to_path_buf(),
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs in the repository root.
pub fn run(args: &[&str]) -> Run {
    run_in(&root(), args, &[])
}
