//! ECS task definition JSON → a plan service: the fields that matter for cost and validity.
//!
//! Accepts the three shapes users have: `aws ecs describe-task-definition` output (with the
//! `{"taskDefinition": {...}}` wrapper), the bare task definition, and the
//! `register-task-definition --cli-input-json` input. Problems carry JSON paths
//! (`taskDefinition.containerDefinitions[1].portMappings[0].hostPort`); [`json_path`] maps a
//! plan problem's path back to the JSON so that the normal `check` can name the JSON field.
//! Pure: text in, values out.

use crate::core::plan::raw::{
    RawContainer, RawEphemeralStorage, RawHealthCheck, RawKeyValue, RawLogConfiguration, RawPlan,
    RawPortMapping, RawRuntimePlatform, RawSecret, RawService,
};
use crate::core::vocab::problem::{FieldPath, Problem, Seg};
use crate::core::vocab::units::{Scalar, parse_cpu, parse_memory};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// A task definition read from JSON.
#[derive(Clone, Debug)]
pub struct TaskDefinition {
    /// The service it describes: `name` and `family` are the task definition family (empty when
    /// it has none); no region and no desired count (a task definition carries neither).
    pub service: RawService,
    /// `taskDefinition` when the JSON had the `describe-task-definition` wrapper, else the root.
    pub prefix: FieldPath,
    /// Fields present but not used for pricing or validation, as JSON paths (`[*]` for arrays).
    pub ignored: Vec<String>,
    /// Remarks worth showing (missing `requiresCompatibilities`, missing `networkMode`).
    pub notes: Vec<String>,
    /// The first container's `awslogs-region` option and its JSON path, a region hint.
    pub log_region: Option<(String, FieldPath)>,
    /// What is wrong with the JSON itself (types, missing task size, no FARGATE), with JSON
    /// paths. The service holds what could be read (placeholders keep container indices), so
    /// that `check` can still report the plan rules; drop its problems under these paths.
    pub problems: Vec<Problem>,
}

/// Fields of the describe output that ECS computes: dropped without a note.
const METADATA: [&str; 9] = [
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
    "ResponseMetadata",
];

/// The valid task CPU values, for the "task-level cpu is missing" fix.
const FARGATE_CPUS: &str = "256, 512, 1024, 2048, 4096, 8192, 16384";

/// Reads task definition JSON. `Err` only when it is not JSON or not an object; other problems
/// are in [`TaskDefinition::problems`], all at once, each with its JSON path.
pub fn parse(text: &str) -> Result<TaskDefinition, Vec<Problem>> {
    let value: Value = serde_json::from_str(text).map_err(|e| {
        vec![
            Problem::new(
                FieldPath::root(),
                format!(
                    "not valid JSON (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            )
            .fix("save the output of `aws ecs describe-task-definition --task-definition NAME` or a `register-task-definition --cli-input-json` file"),
        ]
    })?;
    let mut w = Walker::default();
    let Some(top) = value.as_object() else {
        return Err(vec![
            Problem::new(
                FieldPath::root(),
                format!(
                    "a task definition is a JSON object, not {}",
                    type_name(&value)
                ),
            )
            .fix("expected `{\"family\": ..., \"containerDefinitions\": [...]}` or `{\"taskDefinition\": {...}}`"),
        ]);
    };
    let (td, prefix) = match top.get("taskDefinition") {
        None => (top, FieldPath::root()),
        Some(Value::Object(inner)) => {
            let prefix = FieldPath::root().key("taskDefinition");
            for (key, value) in top {
                if key != "taskDefinition"
                    && key != "tags"
                    && !METADATA.contains(&key.as_str())
                    && !is_unset(value)
                {
                    w.ignored.insert(key.clone());
                }
            }
            (inner, prefix)
        }
        Some(other) => {
            return Err(vec![
                Problem::new(
                    FieldPath::root().key("taskDefinition"),
                    format!("expected an object, found {}", type_name(other)),
                )
                .value(short(other)),
            ]);
        }
    };
    let mut svc = w.task(td, &prefix);
    // Tags: inside the task definition (register input) or beside it (describe --include TAGS).
    let tag_value = td
        .get("tags")
        .map(|v| (v, prefix.key("tags")))
        .or_else(|| top.get("tags").map(|v| (v, FieldPath::root().key("tags"))));
    if let Some((v, path)) = tag_value {
        svc.tags = w.tags(v, &path);
    }
    let log_region = svc
        .container_definitions
        .iter()
        .enumerate()
        .find_map(|(i, c)| {
            let region = c
                .log_configuration
                .as_ref()?
                .options
                .get("awslogs-region")?;
            Some((
                region.clone(),
                prefix
                    .key("containerDefinitions")
                    .index(i)
                    .key("logConfiguration")
                    .key("options")
                    .key("awslogs-region"),
            ))
        });
    Ok(TaskDefinition {
        service: svc,
        prefix,
        ignored: w.ignored.into_iter().collect(),
        notes: w.notes,
        log_region,
        problems: w.problems,
    })
}

#[derive(Default)]
struct Walker {
    problems: Vec<Problem>,
    ignored: BTreeSet<String>,
    notes: Vec<String>,
}

/// Missing or null.
fn absent(obj: &Map<String, Value>, key: &str) -> bool {
    matches!(obj.get(key), None | Some(Value::Null))
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A value for a message, cut to a readable length.
fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// A JSON path with `[*]` for every index, for the list of ignored fields.
fn star(path: &FieldPath) -> String {
    let mut out = String::new();
    for seg in &path.0 {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(_) => out.push_str("[*]"),
        }
    }
    out
}

impl Walker {
    fn wrong(&mut self, path: &FieldPath, expected: &str, found: &Value) {
        self.problems.push(
            Problem::new(
                path.clone(),
                format!("expected {expected}, found {}", type_name(found)),
            )
            .value(short(found)),
        );
    }

    /// Notes the keys of `obj` not in `known` as ignored.
    fn note_unknown(&mut self, obj: &Map<String, Value>, known: &[&str], path: &FieldPath) {
        for (key, value) in obj {
            // Empty fields (`"volumes": []` in every describe output) are not worth a note.
            if !known.contains(&key.as_str())
                && !METADATA.contains(&key.as_str())
                && !is_unset(value)
            {
                self.ignored.insert(star(&path.key(key)));
            }
        }
    }

    fn string(&mut self, v: Option<&Value>, path: &FieldPath) -> Option<String> {
        match v? {
            Value::Null => None,
            Value::String(s) => Some(s.clone()),
            other => {
                self.wrong(path, "a string", other);
                None
            }
        }
    }

    fn boolean(&mut self, v: Option<&Value>, path: &FieldPath) -> Option<bool> {
        match v? {
            Value::Null => None,
            Value::Bool(b) => Some(*b),
            other => {
                self.wrong(path, "true or false", other);
                None
            }
        }
    }

    /// An integer, written as a number or a string of digits.
    fn integer(&mut self, v: Option<&Value>, path: &FieldPath) -> Option<i64> {
        match v? {
            Value::Null => None,
            Value::Number(n) if n.as_i64().is_some() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            other => {
                self.wrong(path, "an integer", other);
                None
            }
        }
    }

    /// Task CPU or memory: a number or a string (`"512"`, `"0.5 vCPU"`, `"1 GB"`).
    fn scalar(&mut self, v: Option<&Value>, path: &FieldPath) -> Option<Scalar> {
        match v? {
            Value::Null => None,
            Value::String(s) => Some(Scalar::Text(s.clone())),
            Value::Number(n) => match n.as_i64() {
                Some(i) => Some(Scalar::Int(i)),
                None => Some(Scalar::Float(n.as_f64().unwrap_or(f64::NAN))),
            },
            other => {
                self.wrong(path, "a number or a string such as \"512\"", other);
                None
            }
        }
    }

    fn object<'v>(
        &mut self,
        v: Option<&'v Value>,
        path: &FieldPath,
    ) -> Option<&'v Map<String, Value>> {
        match v? {
            Value::Null => None,
            Value::Object(o) => Some(o),
            other => {
                self.wrong(path, "an object", other);
                None
            }
        }
    }

    fn array<'v>(&mut self, v: Option<&'v Value>, path: &FieldPath) -> Option<&'v Vec<Value>> {
        match v? {
            Value::Null => None,
            Value::Array(a) => Some(a),
            other => {
                self.wrong(path, "an array", other);
                None
            }
        }
    }

    fn strings(&mut self, v: Option<&Value>, path: &FieldPath) -> Option<Vec<String>> {
        let items = self.array(v, path)?;
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if let Some(s) = self.string(Some(item), &path.index(i)) {
                out.push(s);
            }
        }
        Some(out)
    }

    fn task(&mut self, td: &Map<String, Value>, p: &FieldPath) -> RawService {
        self.note_unknown(
            td,
            &[
                "family",
                "cpu",
                "memory",
                "runtimePlatform",
                "ephemeralStorage",
                "requiresCompatibilities",
                "networkMode",
                "taskRoleArn",
                "executionRoleArn",
                "containerDefinitions",
                "tags",
            ],
            p,
        );
        let family = self.string(td.get("family"), &p.key("family"));
        let cpu = self.scalar(td.get("cpu"), &p.key("cpu"));
        let memory = self.scalar(td.get("memory"), &p.key("memory"));
        let runtime_platform = self
            .object(td.get("runtimePlatform"), &p.key("runtimePlatform"))
            .map(|rp| {
                let rpp = p.key("runtimePlatform");
                self.note_unknown(rp, &["cpuArchitecture", "operatingSystemFamily"], &rpp);
                RawRuntimePlatform {
                    cpu_architecture: self
                        .string(rp.get("cpuArchitecture"), &rpp.key("cpuArchitecture")),
                    operating_system_family: self.string(
                        rp.get("operatingSystemFamily"),
                        &rpp.key("operatingSystemFamily"),
                    ),
                }
            });
        let ephemeral_storage = self
            .object(td.get("ephemeralStorage"), &p.key("ephemeralStorage"))
            .and_then(|es| {
                let esp = p.key("ephemeralStorage");
                self.note_unknown(es, &["sizeInGiB"], &esp);
                let size = self.integer(es.get("sizeInGiB"), &esp.key("sizeInGiB"));
                if size.is_none() && absent(es, "sizeInGiB") {
                    self.problems.push(
                        Problem::new(esp.key("sizeInGiB"), "ephemeralStorage needs sizeInGiB")
                            .fix("set \"sizeInGiB\": 21 to 200, or remove ephemeralStorage for the free 20 GiB"),
                    );
                }
                size.map(|size_in_gib| RawEphemeralStorage { size_in_gib })
            });
        let compat_path = p.key("requiresCompatibilities");
        let before = self.problems.len();
        let fargate = match self.strings(td.get("requiresCompatibilities"), &compat_path) {
            Some(list) if list.iter().any(|c| c == "FARGATE") => true,
            Some(list) => {
                if self.problems.len() == before {
                    self.problems.push(
                        Problem::new(
                            compat_path.clone(),
                            format!(
                                "the task definition is for {}, not FARGATE: ECS would not run it on Fargate, so it cannot be priced as Fargate",
                                if list.is_empty() { "no launch type".to_string() } else { list.join(", ") }
                            ),
                        )
                        .value(format!("{list:?}"))
                        .fix("add \"FARGATE\" to requiresCompatibilities, e.g. \"requiresCompatibilities\": [\"FARGATE\"]"),
                    );
                }
                true
            }
            None => {
                if absent(td, "requiresCompatibilities") {
                    self.notes.push(format!(
                        "`{}` is not set: ECS registers the task definition for EC2 only; add \"requiresCompatibilities\": [\"FARGATE\"] so that ECS checks it for Fargate",
                        compat_path
                    ));
                }
                false
            }
        };
        let network_mode = self.string(td.get("networkMode"), &p.key("networkMode"));
        if network_mode.is_none() && fargate && absent(td, "networkMode") {
            self.notes.push(format!(
                "`{}` is not set: Fargate needs \"awsvpc\" (ECS rejects a FARGATE task definition without it)",
                p.key("networkMode")
            ));
        }
        let task_role_arn = self.string(td.get("taskRoleArn"), &p.key("taskRoleArn"));
        let execution_role_arn =
            self.string(td.get("executionRoleArn"), &p.key("executionRoleArn"));
        let cp = p.key("containerDefinitions");
        let mut containers = Vec::new();
        match self.array(td.get("containerDefinitions"), &cp) {
            Some(items) => {
                for (i, item) in items.iter().enumerate() {
                    if let Some(c) = self.container(item, &cp.index(i)) {
                        containers.push(c);
                    }
                }
            }
            None => {
                if absent(td, "containerDefinitions") {
                    self.problems.push(
                        Problem::new(cp.clone(), "a task definition needs containerDefinitions")
                            .fix("add \"containerDefinitions\": [{\"name\": \"web\", \"image\": \"...\", \"essential\": true}]"),
                    );
                }
            }
        }
        let container_sum = |f: fn(&RawContainer) -> Option<i64>| {
            containers
                .iter()
                .filter_map(f)
                .filter(|v| *v > 0)
                .sum::<i64>()
        };
        if cpu.is_none() && absent(td, "cpu") {
            let total = container_sum(|c| c.cpu);
            let asked = if total > 0 {
                format!("the containers ask for {total} CPU units in total; ")
            } else {
                String::new()
            };
            self.problems.push(
                Problem::new(
                    p.key("cpu"),
                    "task-level cpu is required on Fargate (container-level cpu is not enough: Fargate bills the task size)",
                )
                .fix(format!(
                    "{asked}add \"cpu\": \"512\" (or \"0.5 vCPU\") at task level; Fargate task CPU is one of {FARGATE_CPUS} units"
                )),
            );
        }
        if memory.is_none() && absent(td, "memory") {
            let total = container_sum(|c| c.memory.or(c.memory_reservation));
            let asked = if total > 0 {
                format!("the containers reserve {total} MiB in total; ")
            } else {
                String::new()
            };
            self.problems.push(
                Problem::new(
                    p.key("memory"),
                    "task-level memory is required on Fargate (container-level memory is not enough: Fargate bills the task size)",
                )
                .fix(format!(
                    "{asked}add \"memory\": \"1024\" (or \"1 GB\") at task level, a size valid for the task cpu"
                )),
            );
        }
        // Unparseable sizes are reported here with the JSON forms; `check` reports invalid pairs.
        if let Some(v) = &cpu
            && let Err(e) = parse_cpu(v)
        {
            self.problems.push(
                Problem::new(p.key("cpu"), e.replace("`cpu = ", "`\"cpu\": "))
                    .value(v)
                    .fix(format!("write CPU units as a string or number, e.g. \"cpu\": \"512\" or \"0.5 vCPU\"; one of {FARGATE_CPUS}")),
            );
        }
        if let Some(v) = &memory
            && let Err(e) = parse_memory(v)
        {
            self.problems.push(
                Problem::new(p.key("memory"), e.replace("`memory = ", "`\"memory\": "))
                    .value(v)
                    .fix("write MiB as a string or number, e.g. \"memory\": \"1024\" or \"1 GB\""),
            );
        }
        RawService {
            name: family.clone().unwrap_or_default(),
            family,
            cpu,
            memory,
            ephemeral_storage,
            runtime_platform,
            network_mode,
            task_role_arn,
            execution_role_arn,
            container_definitions: containers,
            ..RawService::default()
        }
    }

    fn container(&mut self, v: &Value, p: &FieldPath) -> Option<RawContainer> {
        let Some(c) = v.as_object() else {
            self.wrong(p, "an object (a container definition)", v);
            return Some(RawContainer::default());
        };
        self.note_unknown(
            c,
            &[
                "name",
                "image",
                "essential",
                "cpu",
                "memory",
                "memoryReservation",
                "portMappings",
                "environment",
                "command",
                "entryPoint",
                "logConfiguration",
                "secrets",
                "healthCheck",
            ],
            p,
        );
        let name = self.string(c.get("name"), &p.key("name"));
        let image = self.string(c.get("image"), &p.key("image"));
        let essential = self.boolean(c.get("essential"), &p.key("essential"));
        let cpu = self.integer(c.get("cpu"), &p.key("cpu"));
        let memory = self.integer(c.get("memory"), &p.key("memory"));
        let memory_reservation =
            self.integer(c.get("memoryReservation"), &p.key("memoryReservation"));
        let mut port_mappings = Vec::new();
        let pp = p.key("portMappings");
        if let Some(items) = self.array(c.get("portMappings"), &pp) {
            for (j, item) in items.iter().enumerate() {
                let mp = pp.index(j);
                let Some(m) = self.object(Some(item), &mp) else {
                    continue;
                };
                self.note_unknown(
                    m,
                    &[
                        "containerPort",
                        "hostPort",
                        "protocol",
                        "name",
                        "appProtocol",
                    ],
                    &mp,
                );
                let container_port = self.integer(m.get("containerPort"), &mp.key("containerPort"));
                let host_port = self.integer(m.get("hostPort"), &mp.key("hostPort"));
                let protocol = self.string(m.get("protocol"), &mp.key("protocol"));
                let name = self.string(m.get("name"), &mp.key("name"));
                let app_protocol = self.string(m.get("appProtocol"), &mp.key("appProtocol"));
                match container_port {
                    Some(container_port) => port_mappings.push(RawPortMapping {
                        container_port,
                        host_port,
                        protocol,
                        name,
                        app_protocol,
                    }),
                    None if m.contains_key("containerPortRange") => {}
                    None if absent(m, "containerPort") => self.problems.push(
                        Problem::new(
                            mp.key("containerPort"),
                            "a port mapping needs containerPort",
                        )
                        .fix("set \"containerPort\" to the port the container listens on"),
                    ),
                    None => {}
                }
            }
        }
        let mut environment = Vec::new();
        let ep = p.key("environment");
        if let Some(items) = self.array(c.get("environment"), &ep) {
            for (j, item) in items.iter().enumerate() {
                let kp = ep.index(j);
                let Some(kv) = self.object(Some(item), &kp) else {
                    continue;
                };
                let name = self.string(kv.get("name"), &kp.key("name"));
                let value = self.string(kv.get("value"), &kp.key("value"));
                if let Some(name) = name {
                    environment.push(RawKeyValue {
                        name,
                        value: value.unwrap_or_default(),
                    });
                }
            }
        }
        let command = self.strings(c.get("command"), &p.key("command"));
        let entry_point = self.strings(c.get("entryPoint"), &p.key("entryPoint"));
        let lp = p.key("logConfiguration");
        let log_configuration = self.object(c.get("logConfiguration"), &lp).and_then(|l| {
            self.note_unknown(l, &["logDriver", "options"], &lp);
            let driver = self.string(l.get("logDriver"), &lp.key("logDriver"));
            let mut options = BTreeMap::new();
            if let Some(opts) = self.object(l.get("options"), &lp.key("options")) {
                for (k, v) in opts {
                    if let Some(s) = self.string(Some(v), &lp.key("options").key(k)) {
                        options.insert(k.clone(), s);
                    }
                }
            }
            if driver.is_none() && absent(l, "logDriver") {
                self.problems.push(
                    Problem::new(lp.key("logDriver"), "a log configuration needs logDriver")
                        .fix("set \"logDriver\": \"awslogs\""),
                );
            }
            driver.map(|log_driver| RawLogConfiguration {
                log_driver,
                options,
            })
        });
        let mut secrets = Vec::new();
        let sp = p.key("secrets");
        if let Some(items) = self.array(c.get("secrets"), &sp) {
            for (j, item) in items.iter().enumerate() {
                let kp = sp.index(j);
                let Some(kv) = self.object(Some(item), &kp) else {
                    continue;
                };
                self.note_unknown(kv, &["name", "valueFrom"], &kp);
                let name = self.string(kv.get("name"), &kp.key("name"));
                let value_from = self.string(kv.get("valueFrom"), &kp.key("valueFrom"));
                if let (Some(name), Some(value_from)) = (name, value_from) {
                    secrets.push(RawSecret { name, value_from });
                } else if absent(kv, "name") || absent(kv, "valueFrom") {
                    self.problems.push(
                        Problem::new(kp.clone(), "a secret needs name and valueFrom").fix(
                            "set \"name\" (the variable) and \"valueFrom\" (the secret or parameter ARN)",
                        ),
                    );
                }
            }
        }
        let hp = p.key("healthCheck");
        let health_check = self.object(c.get("healthCheck"), &hp).map(|h| {
            self.note_unknown(
                h,
                &["command", "interval", "timeout", "retries", "startPeriod"],
                &hp,
            );
            RawHealthCheck {
                command: self
                    .strings(h.get("command"), &hp.key("command"))
                    .unwrap_or_default(),
                interval: self.integer(h.get("interval"), &hp.key("interval")),
                timeout: self.integer(h.get("timeout"), &hp.key("timeout")),
                retries: self.integer(h.get("retries"), &hp.key("retries")),
                start_period: self.integer(h.get("startPeriod"), &hp.key("startPeriod")),
            }
        });
        Some(RawContainer {
            name: name.unwrap_or_default(),
            image: image.unwrap_or_default(),
            essential,
            cpu,
            memory,
            memory_reservation,
            port_mappings,
            environment,
            command,
            entry_point,
            log_configuration,
            secrets,
            health_check,
        })
    }

    /// `[{"key": "team", "value": "web"}]` (ECS) → a map.
    fn tags(&mut self, v: &Value, path: &FieldPath) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        if let Some(items) = self.array(Some(v), path) {
            for (i, item) in items.iter().enumerate() {
                let tp = path.index(i);
                let Some(t) = self.object(Some(item), &tp) else {
                    continue;
                };
                let key = self.string(t.get("key"), &tp.key("key"));
                let value = self.string(t.get("value"), &tp.key("value"));
                if let Some(key) = key {
                    out.insert(key, value.unwrap_or_default());
                }
            }
        }
        out
    }
}

/// The plan service fields a task definition provides (the rest come from the plan or the CLI).
const TASKDEF_FIELDS: [&str; 10] = [
    "family",
    "cpu",
    "memory",
    "ephemeral_storage",
    "runtime_platform",
    "network_mode",
    "task_role_arn",
    "execution_role_arn",
    "container_definitions",
    "tags",
];

/// `snake_case` plan key → the ECS JSON name.
fn camel(key: &str) -> String {
    if key == "size_in_gib" {
        return "sizeInGiB".to_string();
    }
    let mut out = String::new();
    for (i, part) in key.split('_').enumerate() {
        if i == 0 {
            out.push_str(part);
        } else {
            let mut chars = part.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        }
    }
    out
}

/// The JSON path of a plan problem's path (`service[i].…`) in a task definition read with
/// `prefix`, or `None` when the field does not come from a task definition (region, desired
/// count, strategy...). The service name maps to `family`.
pub fn json_path(prefix: &FieldPath, plan_path: &FieldPath) -> Option<FieldPath> {
    let rest = match plan_path.0.as_slice() {
        [Seg::Key(s), Seg::Index(_), rest @ ..] if s == "service" => rest,
        _ => return None,
    };
    let mut out = prefix.clone();
    let Some((first, tail)) = rest.split_first() else {
        return Some(out);
    };
    let Seg::Key(first) = first else {
        return None;
    };
    let first = if first == "name" { "family" } else { first };
    if !TASKDEF_FIELDS.contains(&first) {
        return None;
    }
    out = out.key(&camel(first));
    let mut raw_next = first == "tags";
    for seg in tail {
        out = match seg {
            Seg::Index(i) => out.index(*i),
            Seg::Key(k) if raw_next => out.key(k),
            Seg::Key(k) => out.key(&camel(k)),
        };
        raw_next = matches!(seg, Seg::Key(k) if k == "options");
    }
    Some(out)
}

fn is_unset(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    }
}

/// The top-level fields a plan service sets itself (not null, not empty).
pub fn fields_set(svc: &RawService) -> BTreeSet<String> {
    match serde_json::to_value(svc) {
        Ok(Value::Object(o)) => o
            .into_iter()
            .filter(|(_, v)| !is_unset(v))
            .map(|(k, _)| k)
            .collect(),
        _ => BTreeSet::new(),
    }
}

/// A plan service over a task definition: every field the plan sets replaces the task
/// definition's whole field (containers included); the rest come from the task definition.
pub fn merge(base: &RawService, over: &RawService) -> Result<RawService, String> {
    let mut merged = serde_json::to_value(base).map_err(|e| e.to_string())?;
    let over = serde_json::to_value(over).map_err(|e| e.to_string())?;
    if let (Value::Object(m), Value::Object(o)) = (&mut merged, over) {
        for (k, v) in o {
            if !is_unset(&v) {
                m.insert(k, v);
            }
        }
    }
    serde_json::from_value(merged).map_err(|e| e.to_string())
}

/// A plan as TOML text, without the empty and unset fields, under a comment header.
pub fn plan_toml(plan: &RawPlan, header: &str) -> Result<String, String> {
    let text = toml::to_string(plan).map_err(|e| e.to_string())?;
    let mut doc: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    prune_table(doc.as_table_mut());
    let comments: String = header
        .lines()
        .map(|l| {
            if l.is_empty() {
                "#\n".to_string()
            } else {
                format!("# {l}\n")
            }
        })
        .collect();
    Ok(format!("{comments}\n{doc}"))
}

fn prune_table(t: &mut toml_edit::Table) {
    let keys: Vec<String> = t.iter().map(|(k, _)| k.to_string()).collect();
    for k in keys {
        let empty = match t.get_mut(&k) {
            Some(toml_edit::Item::Table(inner)) => {
                prune_table(inner);
                inner.is_empty()
            }
            Some(toml_edit::Item::ArrayOfTables(a)) => {
                for inner in a.iter_mut() {
                    prune_table(inner);
                }
                a.is_empty()
            }
            Some(toml_edit::Item::Value(toml_edit::Value::Array(a))) => a.is_empty(),
            Some(toml_edit::Item::Value(toml_edit::Value::InlineTable(it))) => it.is_empty(),
            Some(toml_edit::Item::None) => true,
            _ => false,
        };
        if empty {
            t.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const WEB: &str = r#"{"taskDefinition": {"family": "web", "cpu": "512", "memory": "1024",
        "networkMode": "awsvpc", "requiresCompatibilities": ["FARGATE"],
        "runtimePlatform": {"cpuArchitecture": "ARM64", "operatingSystemFamily": "LINUX"},
        "ephemeralStorage": {"sizeInGiB": 30}, "revision": 3, "volumes": [],
        "containerDefinitions": [{"name": "web", "image": "nginx", "essential": true,
            "portMappings": [{"containerPort": 80, "hostPort": 80, "protocol": "tcp"}],
            "healthCheck": {"command": ["CMD", "true"]},
            "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-region": "eu-west-1"}}}]},
        "tags": [{"key": "team", "value": "web"}]}"#;

    #[test]
    fn reads_the_describe_shape() {
        let td = parse(WEB).unwrap();
        assert_eq!(td.prefix.to_string(), "taskDefinition");
        assert_eq!(td.service.name, "web");
        assert_eq!(td.service.cpu, Some(Scalar::Text("512".into())));
        assert_eq!(
            td.service
                .runtime_platform
                .as_ref()
                .and_then(|r| r.cpu_architecture.as_deref()),
            Some("ARM64")
        );
        assert_eq!(
            td.service.ephemeral_storage.as_ref().map(|e| e.size_in_gib),
            Some(30)
        );
        assert_eq!(td.service.tags.get("team").map(String::as_str), Some("web"));
        // `volumes: []` is empty: no note; the health check is read (deploy registers it).
        assert!(td.ignored.is_empty(), "{:?}", td.ignored);
        let hc = td.service.container_definitions[0].health_check.as_ref();
        assert_eq!(
            hc.map(|h| h.command.clone()),
            Some(vec!["CMD".into(), "true".into()])
        );
        assert_eq!(hc.and_then(|h| h.interval), None);
        let (region, path) = td.log_region.unwrap();
        assert_eq!(region, "eu-west-1");
        assert_eq!(
            path.to_string(),
            "taskDefinition.containerDefinitions[0].logConfiguration.options.awslogs-region"
        );
    }

    #[test]
    fn numbers_and_bare_shape() {
        let td = parse(r#"{"family": "a", "cpu": 256, "memory": 512, "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "containerDefinitions": [{"name": "a", "image": "x", "cpu": "128", "memory": 256}]}"#)
        .unwrap();
        assert_eq!(td.prefix, FieldPath::root());
        assert_eq!(td.service.cpu, Some(Scalar::Int(256)));
        assert_eq!(td.service.container_definitions[0].cpu, Some(128));
        assert!(td.notes.is_empty(), "{:?}", td.notes);
    }

    #[test]
    fn wrong_types_and_missing_sizes_have_json_paths() {
        let problems = parse(r#"{"taskDefinition": {"family": "a", "requiresCompatibilities": ["EC2"],
            "containerDefinitions": [{"name": "a", "image": "x", "cpu": 256}, {"name": true, "image": "y",
            "portMappings": [{"containerPort": "eighty"}]}]}}"#)
        .unwrap()
        .problems;
        let paths: Vec<String> = problems.iter().map(|p| p.path.to_string()).collect();
        for want in [
            "taskDefinition.requiresCompatibilities",
            "taskDefinition.containerDefinitions[1].name",
            "taskDefinition.containerDefinitions[1].portMappings[0].containerPort",
            "taskDefinition.cpu",
            "taskDefinition.memory",
        ] {
            assert!(paths.iter().any(|p| p == want), "{want} not in {paths:?}");
        }
        let cpu = problems
            .iter()
            .find(|p| p.path.to_string() == "taskDefinition.cpu")
            .unwrap();
        assert!(
            cpu.fix.as_deref().unwrap().contains("256 CPU units"),
            "{cpu:?}"
        );
    }

    #[test]
    fn not_json_and_not_objects() {
        assert!(parse("{").is_err());
        assert!(parse("[]").is_err());
        assert!(parse(r#"{"taskDefinition": 3}"#).is_err());
        // A container that is not an object keeps its place, so later indices stay right.
        let td = parse(r#"{"family": "a", "cpu": 256, "memory": 512, "containerDefinitions": [3, {"name": "b", "image": "x"}]}"#).unwrap();
        assert_eq!(td.service.container_definitions.len(), 2);
        assert_eq!(td.problems.len(), 1);
    }

    #[test]
    fn plan_paths_map_to_json_paths() {
        let prefix = FieldPath::root().key("taskDefinition");
        let svc = FieldPath::root().key("service").index(0);
        let host = svc
            .key("container_definitions")
            .index(1)
            .key("port_mappings")
            .index(0)
            .key("host_port");
        assert_eq!(
            json_path(&prefix, &host).unwrap().to_string(),
            "taskDefinition.containerDefinitions[1].portMappings[0].hostPort"
        );
        assert_eq!(
            json_path(&prefix, &svc.key("ephemeral_storage").key("size_in_gib"))
                .unwrap()
                .to_string(),
            "taskDefinition.ephemeralStorage.sizeInGiB"
        );
        assert_eq!(
            json_path(
                &FieldPath::root(),
                &svc.key("runtime_platform").key("cpu_architecture")
            )
            .unwrap()
            .to_string(),
            "runtimePlatform.cpuArchitecture"
        );
        assert!(json_path(&prefix, &svc.key("desired_count")).is_none());
    }

    #[test]
    fn plan_fields_override_the_task_definition() {
        let td = parse(WEB).unwrap();
        let over = RawService {
            name: "api".into(),
            cpu: Some(Scalar::Int(1024)),
            desired_count: Some(3),
            ..RawService::default()
        };
        let merged = merge(&td.service, &over).unwrap();
        assert_eq!(merged.name, "api");
        assert_eq!(merged.family.as_deref(), Some("web"));
        assert_eq!(merged.cpu, Some(Scalar::Int(1024)));
        assert_eq!(merged.memory, Some(Scalar::Text("1024".into())));
        assert_eq!(merged.desired_count, Some(3));
        assert_eq!(merged.container_definitions.len(), 1);
        let set = fields_set(&over);
        assert!(set.contains("cpu") && !set.contains("memory"), "{set:?}");
    }

    #[test]
    fn plan_toml_drops_empty_fields_and_reads_back() {
        let td = parse(WEB).unwrap();
        let plan = RawPlan {
            plan: None,
            service: vec![td.service],
        };
        let text = plan_toml(&plan, "header").unwrap();
        assert!(text.starts_with("# header\n"), "{text}");
        assert!(!text.contains("environment"), "{text}");
        let back = crate::core::plan::parse(&text).unwrap();
        assert_eq!(back.raw.service[0].cpu, Some(Scalar::Text("512".into())));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let _ = parse(&text);
        }

        #[test]
        fn arbitrary_json_never_panics(v in json_value()) {
            let text = v.to_string();
            let _ = parse(&text);
            let wrapped = serde_json::json!({"taskDefinition": v}).to_string();
            let _ = parse(&wrapped);
        }
    }

    fn json_value() -> impl proptest::strategy::Strategy<Value = Value> {
        use proptest::prelude::*;
        let keys = prop::sample::select(vec![
            "family",
            "cpu",
            "memory",
            "containerDefinitions",
            "name",
            "image",
            "portMappings",
            "containerPort",
            "hostPort",
            "runtimePlatform",
            "cpuArchitecture",
            "ephemeralStorage",
            "sizeInGiB",
            "requiresCompatibilities",
            "logConfiguration",
            "logDriver",
            "options",
            "environment",
            "value",
            "tags",
            "key",
            "taskDefinition",
            "essential",
            "x",
        ]);
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
            ".{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(4, 48, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::btree_map(keys.clone(), inner, 0..6).prop_map(|m| {
                    Value::Object(m.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
                }),
            ]
        })
    }
}
