//! `prices show`: every dimension with source and date; unknown regions list the known ones.

use super::support::run;

#[test]
fn eu_west_1_lists_each_dimension_with_source_and_date() {
    let out = run(&["prices", "show", "--region", "eu-west-1"])
        .success()
        .stdout;
    for dim in [
        "linux_x86_vcpu_hour",
        "linux_arm_gb_hour",
        "windows_os_license_vcpu_hour",
        "ephemeral_storage_gb_hour",
        "spot_arm_vcpu_hour",
    ] {
        assert!(out.contains(dim), "{dim} missing:\n{out}");
    }
    assert!(
        out.contains("2026-02-10") && out.contains("mcereda/oam"),
        "{out}"
    );
    assert!(!out.contains("us-east-1 "), "{out}");
    // The embedded Lambda table has eu-west-1's own rows, ephemeral storage among them.
    assert!(out.contains("Lambda prices (for `compare`)"), "{out}");
    assert!(out.contains("ephemeral_storage"), "{out}");
    assert!(out.contains("'EU (Ireland)'"), "{out}");
}

#[test]
fn lambda_prices_are_listed_tier_by_tier_with_their_source() {
    let out = run(&["prices", "show", "--region", "us-east-1"])
        .success()
        .stdout;
    for needle in [
        "Lambda prices (for `compare`)",
        "0.0000166667 per GB-second",
        "0 to 6000000000",
        "from 15000000000",
        "0.0000002 per request",
        "ARM64",
    ] {
        assert!(out.contains(needle), "{needle} missing:\n{out}");
    }
}

#[test]
fn old_prices_are_flagged() {
    run(&["prices", "show", "--region", "us-west-2"])
        .success()
        .stdout_has("over a year old");
}

#[test]
fn an_unknown_region_lists_the_known_ones() {
    run(&["prices", "show", "--region", "eu-west-9"])
        .code(2)
        .stderr_has("no prices for region `eu-west-9`")
        .stderr_has("known regions: af-south-1");
    run(&["prices", "show", "--region", "us-est-1"])
        .code(2)
        .stderr_has("did you mean `us-east-1`?");
}

/// `prices show | head -1`: a reader that goes away is a quiet success, never a panic. The
/// reading end is closed before the command writes, so every write meets a closed pipe.
#[test]
fn a_closed_pipe_is_a_quiet_success() {
    use std::process::{Command, Stdio};
    for args in [
        &["prices", "show"][..],
        &["validate", "examples/portfolio.toml"],
        &["report", "examples/webserver.toml"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fargate-planner"))
            .args(args)
            .current_dir(super::support::root())
            .env(
                "FARGATE_PLANNER_CACHE_DIR",
                std::env::temp_dir().join("fp-pipe-test-cache"),
            )
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
