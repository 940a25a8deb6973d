//! Files at the edge (issue 16): output that respects what is already there — a FIFO stays a
//! FIFO, a symlink is followed, a file keeps its mode, the input is never the output — and input
//! that is a regular UTF-8 file, refused with a located fix otherwise.

use super::support::{example, run_in};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::Path;

fn webserver_into(dir: &Path) -> String {
    let plan = dir.join("plan.toml");
    std::fs::copy(example("webserver.toml"), &plan).unwrap();
    plan.to_str().unwrap().to_string()
}

#[test]
fn output_to_a_fifo_writes_into_it_and_leaves_it_a_fifo() {
    let dir = tempfile::tempdir().unwrap();
    let plan = webserver_into(dir.path());
    let fifo = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    run_in(
        dir.path(),
        &["report", &plan, "-o", "pipe", "--prices", "embedded"],
        &[],
    )
    .success();
    let read = reader.join().unwrap();
    assert!(read.contains("$18.02"), "{read}");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the FIFO was replaced: {kind:?}");
}

#[test]
fn output_through_a_symlink_replaces_the_target_and_keeps_the_link() {
    let dir = tempfile::tempdir().unwrap();
    let plan = webserver_into(dir.path());
    let real = dir.path().join("real.json");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink(&real, dir.path().join("link.json")).unwrap();
    run_in(dir.path(), &["report", &plan, "-o", "link.json"], &[]).success();
    let link = std::fs::symlink_metadata(dir.path().join("link.json")).unwrap();
    assert!(
        link.file_type().is_symlink(),
        "the link was replaced by a file"
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(text.contains("\"schema_version\""), "{text}");
}

#[test]
fn an_existing_file_keeps_its_mode_and_a_new_one_is_not_0600() {
    let dir = tempfile::tempdir().unwrap();
    let plan = webserver_into(dir.path());
    let out = dir.path().join("r.txt");
    std::fs::write(&out, "old").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o644)).unwrap();
    run_in(dir.path(), &["report", &plan, "-o", "r.txt"], &[]).success();
    let mode = std::fs::metadata(&out).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    run_in(dir.path(), &["report", &plan, "-o", "new.txt"], &[]).success();
    let mode = std::fs::metadata(dir.path().join("new.txt"))
        .unwrap()
        .permissions()
        .mode()
        & 0o777;
    assert_ne!(mode, 0o600, "a new file follows the umask");
    // No temporary file is left behind.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.ends_with(".tmp")), "{names:?}");
}

#[test]
fn output_naming_the_input_plan_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let plan = webserver_into(dir.path());
    let before = std::fs::read_to_string(&plan).unwrap();
    for command in ["report", "compare", "export"] {
        let mut args = vec![command, plan.as_str(), "-o", "plan.toml"];
        if command == "export" {
            args = vec!["export", "budget", plan.as_str(), "-o", "plan.toml"];
        }
        run_in(dir.path(), &args, &[])
            .code(2)
            .stderr_has("is the input");
    }
    assert_eq!(std::fs::read_to_string(&plan).unwrap(), before);
}

#[test]
fn inputs_must_be_regular_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("folder.toml")).unwrap();
    run_in(dir.path(), &["validate", "folder.toml"], &[])
        .code(2)
        .stderr_has("it is a folder");
    let fifo = dir.path().join("in.toml");
    assert!(
        std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    run_in(dir.path(), &["validate", "in.toml"], &[])
        .code(2)
        .stderr_has("not a regular file");
    let text = std::fs::read(example("webserver.toml")).unwrap();
    let mut latin1 = b"# caf\xE9\n".to_vec();
    latin1.extend(&text);
    std::fs::write(dir.path().join("latin1.toml"), latin1).unwrap();
    run_in(dir.path(), &["validate", "latin1.toml"], &[])
        .code(2)
        .stderr_has("latin1.toml`:1:6: byte 0xE9 is not UTF-8")
        .stderr_has("save the file as UTF-8");
    let mut utf16 = vec![0xFF, 0xFE];
    for c in String::from_utf8(text).unwrap().encode_utf16() {
        utf16.extend(c.to_le_bytes());
    }
    std::fs::write(dir.path().join("ps.toml"), utf16).unwrap();
    run_in(dir.path(), &["validate", "ps.toml"], &[])
        .code(2)
        .stderr_has("UTF-16 text (as PowerShell's `>` writes it)");
    // A file above the cap is refused, not read whole.
    std::fs::write(dir.path().join("big.toml"), vec![b'#'; 4096]).unwrap();
    run_in(
        dir.path(),
        &["validate", "big.toml"],
        &[("FARGATE_PLANNER_MAX_INPUT_BYTES", "1024")],
    )
    .code(2)
    .stderr_has("larger than 1024 bytes");
}

/// Issue 16: no value that may be a secret appears in any diagnostic or report. A corpus of
/// plans and task definitions carries canaries in environment values, secrets, log options and
/// key-shaped strings, valid and broken; every command's stdout and stderr are scanned.
#[test]
fn canary_secrets_never_appear_in_any_output() {
    const CANARIES: [&str; 4] = [
        "CANARY-7f3a",
        "987654321",
        "AKIAIOSFODNN7EXAMPLE",
        "CANARY-tok",
    ];
    let head = "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ncpu = 512\nmemory = 1024\n\
                execution_role_arn = \"arn:aws:iam::123456789012:role/exec\"\n\
                [[service.container_definitions]]\nname = \"a\"\nimage = \"nginx\"\n";
    let plans = [
        // Valid: the values are the user's and are never echoed by a report.
        format!("{head}environment = [{{ name = \"API_TOKEN\", value = \"CANARY-7f3a\" }}, {{ name = \"AWS_ACCESS_KEY_ID\", value = \"AKIAIOSFODNN7EXAMPLE\" }}]\n"),
        // A wrong type in an environment value.
        format!("{head}environment = [{{ name = \"DB_PASSWORD\", value = 987654321 }}]\n"),
        // A log option token beside a driver Fargate does not take.
        format!("{head}log_configuration = {{ log_driver = \"syslog\", options = {{ \"splunk-token\" = \"CANARY-tok\" }} }}\n"),
        // A secret without an execution role.
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ncpu = 512\nmemory = 1024\n\
         [[service.container_definitions]]\nname = \"a\"\nimage = \"nginx\"\n\
         secrets = [{ name = \"TOKEN\", value_from = \"arn:aws:ssm:us-east-1:1:parameter/CANARY-7f3a\" }]\n"
            .to_string(),
    ];
    let taskdef = r#"{"family":"web","cpu":"512","memory":"1024","requiresCompatibilities":["FARGATE"],
        "containerDefinitions":[{"name":"web","image":"nginx",
        "environment":[{"name":"API_TOKEN","value":987654321},{"name":"K","value":"AKIAIOSFODNN7EXAMPLE"}],
        "logConfiguration":{"logDriver":"awslogs","options":{"awslogs-region":"us-east-1","token":["CANARY-tok"]}}}]}"#;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("td.json"), taskdef).unwrap();
    let mut files = vec!["td.json".to_string()];
    for (i, p) in plans.iter().enumerate() {
        let name = format!("p{i}.toml");
        std::fs::write(dir.path().join(&name), p).unwrap();
        files.push(name);
    }
    let mut runs = 0;
    for file in &files {
        for command in ["validate", "report", "compare", "simulate", "recommend"] {
            let mut args = vec![command, file.as_str(), "--prices", "embedded"];
            if command == "simulate" || command == "recommend" {
                args.extend(["--trials", "3"]);
            }
            let out = run_in(dir.path(), &args, &[]);
            for canary in CANARIES {
                assert!(
                    !out.stdout.contains(canary) && !out.stderr.contains(canary),
                    "{command} {file} printed {canary}:\n{}\n{}",
                    out.stdout,
                    out.stderr
                );
            }
            runs += 1;
        }
    }
    assert_eq!(runs, 25);
}

/// Issue 16's closed-pipe class: stdout and stderr both closed, with warnings to print (an
/// autoscaled service without a load curve), exits 0 without a panic; stdout closed alone gives
/// an empty stderr.
#[test]
fn closed_stdout_and_stderr_are_a_quiet_success() {
    use std::process::{Command, Stdio};
    let dir = tempfile::tempdir().unwrap();
    let plan = std::fs::read_to_string(example("webserver.toml")).unwrap().replace(
        "\n[[service.container_definitions]]",
        "\n[service.autoscaling]\nmin_capacity = 1\nmax_capacity = 4\nmetric = \"cpu\"\ntarget_value = 60\n\n[[service.container_definitions]]",
    );
    std::fs::write(dir.path().join("p.toml"), plan).unwrap();
    for close_stderr in [false, true] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_fargate-planner"))
            .args(["report", "p.toml", "--prices", "embedded"])
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        if close_stderr {
            drop(child.stderr.take());
        }
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "stderr closed: {close_stderr}");
        if !close_stderr {
            // The warning is written; nothing about the pipe is.
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
                "{stderr}"
            );
        }
    }
}

/// Issue 16: `task_definition = "/dev/zero"` (any device) is refused before a byte is read.
#[test]
fn a_device_as_task_definition_is_refused_not_read() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("p.toml"),
        "[plan]\nregion = \"us-east-1\"\n[[service]]\nname = \"a\"\ntask_definition = \"/dev/zero\"\n",
    )
    .unwrap();
    run_in(dir.path(), &["validate", "p.toml"], &[])
        .code(2)
        .stderr_has("not a regular file");
}
