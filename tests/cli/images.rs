//! Image architectures read from a real registry (`registry.rs`): `deploy` refuses an arm64-only
//! image on an X86_64 task before any AWS call, `validate --images` runs the same check,
//! `recommend --images` proposes ARM only where every image has linux/arm64 and states the saving
//! an arm64 build would bring; token auth (anonymous, `auths`, a credential helper), a hanging
//! and a garbage-answering registry, and the image cache.

use super::moto::{self, Proxy};
use super::registry::{self, Fake};
use super::support::{Run, run_in};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

/// A repository of its own with the test images pushed.
fn repo(prefix: &str) -> String {
    let r = moto::unique(prefix);
    registry::push_images(&r);
    r
}

/// A plan of `services`: (name, image, extra service lines).
fn write_plan(dir: &Path, services: &[(&str, &str, &str)]) {
    let mut text = String::from("[plan]\nname = \"images\"\nregion = \"us-east-1\"\n");
    for (name, image, extra) in services {
        text.push_str(&format!(
            "\n[[service]]\nname = \"{name}\"\ncpu = 512\nmemory = 1024\ndesired_count = 2\nexecution_role_arn = \"arn:aws:iam::123456789012:role/ecsTaskExecutionRole\"\n{extra}\n[[service.container_definitions]]\nname = \"{name}\"\nimage = \"{image}\"\n"
        ));
    }
    std::fs::write(dir.join("plan.toml"), text).unwrap();
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

/// A `DOCKER_CONFIG` directory holding `config.json` with this text.
fn docker_config(json: &str) -> tempfile::TempDir {
    let dir = tmp();
    std::fs::write(dir.path().join("config.json"), json).unwrap();
    dir
}

fn validate(dir: &Path, extra: &[&str], env: &[(&str, &str)]) -> Run {
    let mut args = vec!["validate", "plan.toml", "--images"];
    args.extend_from_slice(extra);
    run_in(dir, &args, env)
}

#[test]
fn deploy_refuses_an_arm64_only_image_on_x86_before_any_aws_call() {
    let r = repo("arm");
    let image = format!("{}/{r}:arm", registry::host());
    let dir = tmp();
    let name = moto::unique("armtask");
    write_plan(dir.path(), &[(&name, &image, "")]);
    let proxy = Proxy::new(&moto::url());
    let env = moto::env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    run_in(
        dir.path(),
        &["deploy", "plan.toml", "--endpoint-url", &proxy.url],
        &env,
    )
    .code(2)
    .stderr_has(&format!("container `{name}`: image `{image}`"))
    .stderr_has("is built for linux/arm64 only, but the task runs on X86_64")
    .stderr_has("exec format error")
    .stderr_has("docker buildx build --platform linux/amd64,linux/arm64")
    .stderr_has("cpu_architecture = \"ARM64\"");
    assert_eq!(
        proxy.operations(),
        Vec::<String>::new(),
        "refused before any AWS call"
    );

    // On an ARM64 task the same image runs, and deploy goes on to observe.
    write_plan(
        dir.path(),
        &[(
            &name,
            &image,
            "runtime_platform = { cpu_architecture = \"ARM64\" }",
        )],
    );
    run_in(
        dir.path(),
        &["deploy", "plan.toml", "--endpoint-url", &proxy.url],
        &env,
    )
    .success()
    .stderr_has(&format!("`{image}` runs on ARM64 (linux/arm64)"))
    .stdout_has("This was a dry run");
    assert!(!proxy.operations().is_empty());
}

#[test]
fn validate_images_reads_indexes_and_both_single_manifest_types() {
    let r = repo("val");
    let h = registry::host();
    let dir = tmp();
    write_plan(
        dir.path(),
        &[
            ("multi", &format!("{h}/{r}:multi"), ""),
            ("docker", &format!("{h}/{r}:amd"), ""),
            ("oci", &format!("{h}/{r}:amd-oci"), ""),
        ],
    );
    validate(dir.path(), &[], &[])
        .success()
        .stderr_has("runs on X86_64 (linux/amd64, linux/arm64/v8)")
        .stderr_has(&format!("`{h}/{r}:amd` runs on X86_64 (linux/amd64)"))
        .stderr_has(&format!("`{h}/{r}:amd-oci` runs on X86_64 (linux/amd64)"));

    // The OCI single manifest on ARM64: no arm64 build.
    write_plan(
        dir.path(),
        &[(
            "oci",
            &format!("{h}/{r}:amd-oci"),
            "runtime_platform = { cpu_architecture = \"ARM64\" }",
        )],
    );
    validate(dir.path(), &[], &[])
        .code(2)
        .stderr_has("is built for linux/amd64 only, but the task runs on ARM64")
        .stderr_has("cpu_architecture = \"X86_64\"");

    // A tag that does not exist: a warning, or an error with --require-image-check.
    write_plan(dir.path(), &[("gone", &format!("{h}/{r}:nope"), "")]);
    validate(dir.path(), &[], &[])
        .success()
        .stderr_has("could not read the architecture")
        .stderr_has("HTTP 404");
    validate(dir.path(), &["--require-image-check"], &[])
        .code(1)
        .stderr_has("could not read the architecture")
        .stderr_has("--require-image-check");
    // Without --images nothing is read.
    run_in(dir.path(), &["validate", "plan.toml"], &[])
        .success()
        .stdout_has("ok, 1 service");
}

#[test]
fn recommend_images_proposes_arm_only_where_every_image_has_it() {
    let r = repo("rec");
    let h = registry::host();
    let dir = tmp();
    let multi = format!("{h}/{r}:multi");
    let amd = format!("{h}/{r}:amd");
    write_plan(dir.path(), &[("web", &multi, ""), ("worker", &amd, "")]);
    let base = ["recommend", "plan.toml", "--trials", "20"];

    // Offline by default: nothing read, and the reason says how to consider ARM.
    let out = run_in(dir.path(), &base, &[])
        .success()
        .stdout_has("ARM not considered: image architectures unknown — pass --images");
    assert!(!out.stdout.contains("recommended: ARM64"), "{}", out.stdout);

    let mut args = base.to_vec();
    args.push("--images");
    let out = run_in(dir.path(), &args, &[])
        .success()
        .stdout_has(&format!(
            "web: image {multi} has linux/arm64 → ARM considered"
        ))
        .stdout_has(&format!(
            "worker: image {amd} has only linux/amd64 → kept on X86_64, the ARM saving of $"
        ))
        .stdout_has("/month needs an arm64 build");
    assert!(!out.stdout.contains("ARM not considered"), "{}", out.stdout);

    args.extend_from_slice(&["--format", "json"]);
    let json = run_in(dir.path(), &args, &[]).success();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["schema_version"], 3);
    let svc = |n: &str| {
        v["services"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["name"] == n)
            .unwrap()
            .clone()
    };
    let web = svc("web");
    assert_eq!(web["recommended"]["arch"], "ARM64");
    assert_eq!(web["image_architectures"]["source"], "images");
    assert_eq!(
        web["image_architectures"]["architectures"],
        serde_json::json!(["X86_64", "ARM64"])
    );
    let worker = svc("worker");
    assert_eq!(worker["recommended"]["arch"], "X86_64");
    assert_eq!(
        worker["image_architectures"]["images"][0]["platforms"],
        serde_json::json!(["linux/amd64"])
    );
    let forgone: f64 = worker["image_architectures"]["arm_saving_forgone_monthly"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    let cost: f64 = worker["recommended"]["expected_monthly"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        forgone > 0.15 * cost && forgone < 0.25 * cost,
        "{forgone} of {cost}"
    );

    // The plan's image_architectures wins over what the registry says.
    write_plan(
        dir.path(),
        &[(
            "worker",
            &amd,
            "recommend = { image_architectures = [\"X86_64\", \"ARM64\"] }",
        )],
    );
    let mut args = base.to_vec();
    args.extend_from_slice(&["--images", "--format", "json"]);
    let json = run_in(dir.path(), &args, &[]).success();
    let v: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(v["services"][0]["recommended"]["arch"], "ARM64");
    assert_eq!(
        v["services"][0]["image_architectures"]["source"],
        "declared"
    );
}

#[test]
fn token_auth_anonymous_with_auths_and_with_a_credential_helper() {
    let r = repo("tok");
    let open = Fake::token_auth(None);
    let dir = tmp();
    let image = format!("{}/{r}:multi", open.host);
    write_plan(dir.path(), &[("web", &image, "")]);
    validate(dir.path(), &[], &[])
        .success()
        .stderr_has("runs on X86_64 (linux/amd64, linux/arm64/v8)");

    let private = Fake::token_auth(Some(("alice", "s3cret-pw")));
    let image = format!("{}/{r}:arm", private.host);
    write_plan(dir.path(), &[("web", &image, "")]);
    let anonymous = validate(dir.path(), &[], &[])
        .success()
        .stderr_has("could not read the architecture")
        .stderr_has("docker login");
    assert!(!anonymous.stderr.contains("s3cret"));

    // `auths` in DOCKER_CONFIG's config.json.
    let docker = docker_config(&format!(
        r#"{{"auths":{{"{}":{{"auth":"{}"}}}}}}"#,
        private.host,
        registry::base64("alice:s3cret-pw")
    ));
    let d = docker.path().to_str().unwrap();
    let out = validate(dir.path(), &[], &[("DOCKER_CONFIG", d)])
        .code(2)
        .stderr_has("is built for linux/arm64 only");
    assert!(!out.stderr.contains("s3cret"), "{}", out.stderr);

    // A credential helper, called as Docker calls it: `get`, the registry on stdin.
    let bin = tmp();
    let helper = bin.path().join("docker-credential-fptest");
    std::fs::write(
        &helper,
        format!(
            "#!/bin/sh\nread host\n[ \"$1\" = get ] && [ \"$host\" = \"{}\" ] || {{ echo 'credentials not found in native keychain'; exit 1; }}\necho '{{\"ServerURL\":\"'\"$host\"'\",\"Username\":\"alice\",\"Secret\":\"s3cret-pw\"}}'\n",
            private.host
        ),
    )
    .unwrap();
    std::fs::set_permissions(&helper, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = format!(r#"{{"credHelpers":{{"{}":"fptest"}}}}"#, private.host);
    std::fs::write(docker.path().join("config.json"), config).unwrap();
    let path = format!(
        "{}:{}",
        bin.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = validate(dir.path(), &[], &[("DOCKER_CONFIG", d), ("PATH", &path)])
        .code(2)
        .stderr_has("is built for linux/arm64 only");
    assert!(!out.stderr.contains("s3cret"), "{}", out.stderr);
}

#[test]
fn an_identity_token_is_exchanged_at_the_realm() {
    let r = repo("idtok");
    let front = Fake::token_refresh("refresh-me");
    let dir = tmp();
    write_plan(
        dir.path(),
        &[("web", &format!("{}/{r}:multi", front.host), "")],
    );
    let docker = docker_config(&format!(
        r#"{{"auths":{{"{}":{{"identitytoken":"refresh-me"}}}}}}"#,
        front.host
    ));
    let out = validate(
        dir.path(),
        &[],
        &[("DOCKER_CONFIG", docker.path().to_str().unwrap())],
    )
    .success()
    .stderr_has("runs on X86_64 (linux/amd64, linux/arm64/v8)");
    assert!(!out.stderr.contains("refresh-me"), "{}", out.stderr);
    // Without it the realm refuses the anonymous request.
    validate(dir.path(), &[], &[])
        .success()
        .stderr_has("could not read the architecture")
        .stderr_has("to an anonymous request");
}

#[test]
fn basic_auth_with_the_stored_password() {
    let r = repo("basic");
    let front = Fake::basic_auth("bob", "pa55-word");
    let dir = tmp();
    write_plan(
        dir.path(),
        &[("web", &format!("{}/{r}:amd", front.host), "")],
    );
    validate(dir.path(), &[], &[])
        .success()
        .stderr_has("could not read the architecture")
        .stderr_has("asks for a user name and password");
    let docker = docker_config(&format!(
        r#"{{"auths":{{"http://{}":{{"username":"bob","password":"pa55-word"}}}}}}"#,
        front.host
    ));
    let out = validate(
        dir.path(),
        &[],
        &[("DOCKER_CONFIG", docker.path().to_str().unwrap())],
    )
    .success()
    .stderr_has("runs on X86_64 (linux/amd64)");
    assert!(!out.stderr.contains("pa55"), "{}", out.stderr);
}

#[test]
fn a_hanging_or_garbage_registry_is_could_not_read_within_the_timeout() {
    let hanging = Fake::hanging();
    let garbage = Fake::garbage();
    let endless = Fake::endless();
    let dir = tmp();
    write_plan(
        dir.path(),
        &[
            ("slow", &format!("{}/team/app:1", hanging.host), ""),
            ("junk", &format!("{}/team/app:1", garbage.host), ""),
            ("huge", &format!("{}/team/app:1", endless.host), ""),
        ],
    );
    let started = Instant::now();
    let out = validate(
        dir.path(),
        &[],
        &[("FARGATE_PLANNER_REGISTRY_TIMEOUT_SECS", "2")],
    )
    .success()
    .stderr_has(&format!(
        "service `slow` container `slow`: could not read the architecture of `{}/team/app:1`",
        hanging.host
    ))
    .stderr_has("within 2 s")
    .stderr_has("service `junk` container `junk`: could not read the architecture")
    .stderr_has("not valid JSON")
    .stderr_has("service `huge` container `huge`: could not read the architecture")
    .stderr_has("the body is larger than 4194304 bytes");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "took {:?}\n{}",
        started.elapsed(),
        out.stderr
    );
    assert!(hanging.requests.load(Ordering::SeqCst) >= 1);
    validate(
        dir.path(),
        &["--require-image-check"],
        &[("FARGATE_PLANNER_REGISTRY_TIMEOUT_SECS", "2")],
    )
    .code(1)
    .stderr_has("could not read the architecture");
}

#[test]
fn recommend_reads_a_tag_once_then_from_the_cache() {
    let r = repo("cache");
    let front = Fake::token_auth(None);
    let dir = tmp();
    let cache = tmp();
    let c = cache.path().to_str().unwrap();
    write_plan(
        dir.path(),
        &[("web", &format!("{}/{r}:multi", front.host), "")],
    );
    let args = ["recommend", "plan.toml", "--trials", "10", "--images"];
    run_in(dir.path(), &args, &[("FARGATE_PLANNER_CACHE_DIR", c)])
        .success()
        .stdout_has("→ ARM considered");
    let first = front.requests.load(Ordering::SeqCst);
    assert!(first >= 3, "challenge, token, manifest: {first}");
    let cached = std::fs::read_to_string(cache.path().join("images.json")).unwrap();
    assert!(
        cached.contains(&format!("{}/{r}:multi", front.host)),
        "{cached}"
    );
    assert!(cached.contains("@sha256:"), "the digest is kept: {cached}");
    run_in(dir.path(), &args, &[("FARGATE_PLANNER_CACHE_DIR", c)])
        .success()
        .stdout_has("→ ARM considered");
    assert_eq!(
        front.requests.load(Ordering::SeqCst),
        first,
        "the second run reads nothing"
    );
    // deploy's check (validate --images) reads the tag again.
    validate(dir.path(), &[], &[("FARGATE_PLANNER_CACHE_DIR", c)]).success();
    assert!(front.requests.load(Ordering::SeqCst) > first);
}
