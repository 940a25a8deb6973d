//! The task definition JSON read field by field: every value's type checked, problems with JSON
//! paths, fields that do not matter for cost or validity listed as ignored.

use super::METADATA;
use super::paths::is_unset;
use crate::core::plan::raw::{
    RawContainer, RawEphemeralStorage, RawHealthCheck, RawKeyValue, RawLogConfiguration,
    RawPortMapping, RawRuntimePlatform, RawSecret, RawService,
};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, Seg};
use crate::core::vocab::units::{Scalar, parse_cpu, parse_memory};
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Reads the JSON field by field, collecting problems, ignored fields and notes as it goes.
#[derive(Default)]
pub(super) struct Walker {
    /// The valid task CPU values (units), for the fixes of a missing or unreadable task cpu.
    cpus: String,
    pub problems: Vec<Problem>,
    pub ignored: BTreeSet<String>,
    pub notes: Vec<String>,
}

/// Missing or null.
pub(super) fn absent(obj: &Map<String, Value>, key: &str) -> bool {
    matches!(obj.get(key), None | Some(Value::Null))
}

pub(super) fn type_name(v: &Value) -> &'static str {
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
pub(super) fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}

/// A JSON path with `[*]` for every index, for the list of ignored fields.
pub(super) fn star(path: &FieldPath) -> String {
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
    pub(super) fn new(facts: &Facts) -> Walker {
        let cpus: Vec<String> = facts
            .cpu_values(false)
            .iter()
            .map(|c| c.0.to_string())
            .collect();
        Walker {
            cpus: cpus.join(", "),
            ..Walker::default()
        }
    }

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

    pub(super) fn task(&mut self, td: &Map<String, Value>, p: &FieldPath) -> RawService {
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
        let runtime_platform = self.runtime_platform(td, p);
        let ephemeral_storage = self.ephemeral_storage(td, p);
        let fargate = self.compatibilities(td, p);
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
        let containers = self.containers(td, p);
        self.size_problems(td, p, (&cpu, &memory), &containers);
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

    /// `runtimePlatform`.
    fn runtime_platform(
        &mut self,
        td: &Map<String, Value>,
        p: &FieldPath,
    ) -> Option<RawRuntimePlatform> {
        self.object(td.get("runtimePlatform"), &p.key("runtimePlatform"))
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
            })
    }

    /// `ephemeralStorage`.
    fn ephemeral_storage(
        &mut self,
        td: &Map<String, Value>,
        p: &FieldPath,
    ) -> Option<RawEphemeralStorage> {
        self
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
            })
    }

    /// `requiresCompatibilities`: whether the task definition is for FARGATE (a list without it is
    /// a problem; no list at all a note).
    fn compatibilities(&mut self, td: &Map<String, Value>, p: &FieldPath) -> bool {
        let compat_path = p.key("requiresCompatibilities");
        let before = self.problems.len();
        match self.strings(td.get("requiresCompatibilities"), &compat_path) {
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
        }
    }

    /// `containerDefinitions`, each read as far as it can be.
    fn containers(&mut self, td: &Map<String, Value>, p: &FieldPath) -> Vec<RawContainer> {
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
        containers
    }

    /// Task-level `cpu` and `memory`: required, and written as CPU units and MiB.
    fn size_problems(
        &mut self,
        td: &Map<String, Value>,
        p: &FieldPath,
        (cpu, memory): (&Option<Scalar>, &Option<Scalar>),
        containers: &[RawContainer],
    ) {
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
                    "{asked}add \"cpu\": \"512\" (or \"0.5 vCPU\") at task level; Fargate task CPU is one of {} units",
                    self.cpus
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
        if let Some(v) = cpu
            && let Err(e) = parse_cpu(v)
        {
            self.problems.push(
                Problem::new(p.key("cpu"), e.replace("`cpu = ", "`\"cpu\": "))
                    .value(v)
                    .fix(format!("write CPU units as a string or number, e.g. \"cpu\": \"512\" or \"0.5 vCPU\"; one of {}", self.cpus)),
            );
        }
        if let Some(v) = memory
            && let Err(e) = parse_memory(v)
        {
            self.problems.push(
                Problem::new(p.key("memory"), e.replace("`memory = ", "`\"memory\": "))
                    .value(v)
                    .fix("write MiB as a string or number, e.g. \"memory\": \"1024\" or \"1 GB\""),
            );
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
        let port_mappings = self.port_mappings(c, p);
        let environment = self.environment(c, p);
        let command = self.strings(c.get("command"), &p.key("command"));
        let entry_point = self.strings(c.get("entryPoint"), &p.key("entryPoint"));
        let log_configuration = self.log_configuration(c, p);
        let secrets = self.secrets(c, p);
        let health_check = self.health_check(c, p);
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

    /// A container's `portMappings`.
    fn port_mappings(&mut self, c: &Map<String, Value>, p: &FieldPath) -> Vec<RawPortMapping> {
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
        port_mappings
    }

    /// A container's `environment`.
    fn environment(&mut self, c: &Map<String, Value>, p: &FieldPath) -> Vec<RawKeyValue> {
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
        environment
    }

    /// A container's `logConfiguration`.
    fn log_configuration(
        &mut self,
        c: &Map<String, Value>,
        p: &FieldPath,
    ) -> Option<RawLogConfiguration> {
        let lp = p.key("logConfiguration");
        self.object(c.get("logConfiguration"), &lp).and_then(|l| {
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
        })
    }

    /// A container's `secrets`.
    fn secrets(&mut self, c: &Map<String, Value>, p: &FieldPath) -> Vec<RawSecret> {
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
        secrets
    }

    /// A container's `healthCheck`.
    fn health_check(&mut self, c: &Map<String, Value>, p: &FieldPath) -> Option<RawHealthCheck> {
        let hp = p.key("healthCheck");
        self.object(c.get("healthCheck"), &hp).map(|h| {
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
        })
    }

    /// `[{"key": "team", "value": "web"}]` (ECS) → a map.
    pub(super) fn tags(&mut self, v: &Value, path: &FieldPath) -> BTreeMap<String, String> {
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
