//! `recommend --write`: puts recommended strategies, sizes and architectures into the plan text,
//! keeping every comment, blank line and the layout the user chose (`toml_edit`). Only the
//! lines of the changed fields change.

use crate::core::vocab::platform::{CpuArch, TaskSize};
use crate::core::vocab::strategy::{Provider, Strategy};
use toml_edit::{Array, DocumentMut, InlineTable, Item, Table, Value};

/// What to change in one `[[service]]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// Position of the service in the plan's `[[service]]` array.
    pub index: usize,
    pub name: String,
    /// A new strategy, when it differs from the plan's.
    pub strategy: Option<Strategy>,
    /// A new size, when it differs.
    pub size: Option<TaskSize>,
    /// A new architecture, when it differs.
    pub arch: Option<CpuArch>,
    /// `[service.recommend]` peak figures restated for the new size (`"40%"`), so that they
    /// keep describing the size as written and a second run changes nothing.
    pub peak_cpu: Option<String>,
    pub peak_memory: Option<String>,
}

/// Replaces a value, keeping the whitespace and comment around it.
fn replace_value(item: &mut Item, mut new: Value) {
    if let Item::Value(old) = item {
        *new.decor_mut() = old.decor().clone();
    }
    *item = Item::Value(new);
}

fn set(table: &mut Table, key: &str, new: Value) {
    match table.get_mut(key) {
        Some(item) => replace_value(item, new),
        None => {
            table.insert(key, Item::Value(new));
        }
    }
}

fn strategy_value(strategy: &Strategy, multiline: bool) -> Value {
    let mut array = Array::new();
    for item in &strategy.items {
        let mut t = InlineTable::new();
        t.insert("capacity_provider", item.provider.name().into());
        if item.base > 0 {
            t.insert("base", i64::from(item.base).into());
        }
        t.insert("weight", i64::from(item.weight).into());
        array.push(Value::InlineTable(t));
    }
    if multiline {
        for v in array.iter_mut() {
            v.decor_mut().set_prefix("\n  ");
        }
        array.set_trailing_comma(true);
        array.set_trailing("\n");
    }
    Value::Array(array)
}

/// The plan text with `changes` applied. Errors name a service that is not where the plan said.
pub fn apply(text: &str, changes: &[Change]) -> Result<String, String> {
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let services = doc
        .get_mut("service")
        .and_then(Item::as_array_of_tables_mut)
        .ok_or("the plan has no [[service]] tables")?;
    for c in changes {
        let table = services
            .get_mut(c.index)
            .filter(|t| t.get("name").and_then(Item::as_str) == Some(c.name.as_str()))
            .ok_or_else(|| {
                format!(
                    "service `{}` is no longer [[service]] number {} of the plan; was it edited meanwhile?",
                    c.name,
                    c.index + 1
                )
            })?;
        if let Some(strategy) = &c.strategy {
            let multiline = table
                .get("capacity_provider_strategy")
                .is_some_and(|i| i.to_string().contains('\n'));
            let launch_type = table.contains_key("launch_type");
            let on_demand = !strategy.uses(Provider::FargateSpot);
            if !(on_demand && launch_type) {
                set(
                    table,
                    "capacity_provider_strategy",
                    strategy_value(strategy, multiline),
                );
                // ECS takes a launch type or a strategy, never both.
                table.remove("launch_type");
            }
        }
        if let Some(size) = c.size {
            let cpu = match table.get("cpu") {
                Some(i) if i.is_integer() => Value::from(i64::from(size.cpu.0)),
                _ => Value::from(size.cpu.to_string()),
            };
            let memory = match table.get("memory") {
                Some(i) if i.is_integer() => Value::from(i64::from(size.memory.0)),
                _ => Value::from(size.memory.to_string()),
            };
            set(table, "cpu", cpu);
            set(table, "memory", memory);
        }
        for (key, value) in [("peak_cpu", &c.peak_cpu), ("peak_memory", &c.peak_memory)] {
            let Some(value) = value else { continue };
            match table.get_mut("recommend") {
                Some(Item::Table(t)) => set(t, key, Value::from(value.as_str())),
                Some(Item::Value(Value::InlineTable(t))) => {
                    if let Some(v) = t.get_mut(key) {
                        let mut new = Value::from(value.as_str());
                        *new.decor_mut() = v.decor().clone();
                        *v = new;
                    }
                }
                _ => {}
            }
        }
        if let Some(arch) = c.arch {
            let name = Value::from(arch.ecs_name());
            match table.get_mut("runtime_platform") {
                Some(Item::Table(t)) => set(t, "cpu_architecture", name),
                Some(Item::Value(Value::InlineTable(t))) => match t.get_mut("cpu_architecture") {
                    Some(v) => {
                        let mut name = name;
                        *name.decor_mut() = v.decor().clone();
                        *v = name;
                    }
                    None => {
                        t.insert("cpu_architecture", name);
                    }
                },
                _ => {
                    let mut t = InlineTable::new();
                    t.insert("cpu_architecture", name);
                    table.insert("runtime_platform", Item::Value(Value::InlineTable(t)));
                }
            }
        }
    }
    Ok(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::vocab::strategy::StrategyItem;
    use crate::core::vocab::units::{CpuUnits, MemoryMib};

    const PLAN: &str = r#"# my plan
[plan]
name = "p" # the name

[[service]]
name = "api"
cpu = "1 vCPU"   # one core
memory = "2 GB"
desired_count = 6
capacity_provider_strategy = [
  { capacity_provider = "FARGATE", base = 2, weight = 1 },
  { capacity_provider = "FARGATE_SPOT", weight = 3 },
]

# the worker
[[service]]
name = "worker"
cpu = 512
memory = 1024
launch_type = "FARGATE"
runtime_platform = { operating_system_family = "LINUX", cpu_architecture = "X86_64" }
"#;

    fn mix(base: u32, wf: u32, ws: u32) -> Strategy {
        Strategy {
            items: vec![
                StrategyItem {
                    provider: Provider::Fargate,
                    base,
                    weight: wf,
                },
                StrategyItem {
                    provider: Provider::FargateSpot,
                    base: 0,
                    weight: ws,
                },
            ],
        }
    }

    #[test]
    fn only_the_changed_lines_change() {
        let out = apply(
            PLAN,
            &[
                Change {
                    index: 0,
                    name: "api".into(),
                    strategy: Some(mix(3, 1, 4)),
                    size: None,
                    arch: None,
                    peak_cpu: None,
                    peak_memory: None,
                },
                Change {
                    index: 1,
                    name: "worker".into(),
                    strategy: Some(mix(1, 0, 1)),
                    size: Some(TaskSize {
                        cpu: CpuUnits(256),
                        memory: MemoryMib(512),
                    }),
                    arch: Some(CpuArch::Arm64),
                    peak_cpu: None,
                    peak_memory: None,
                },
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let expected = r#"# my plan
[plan]
name = "p" # the name

[[service]]
name = "api"
cpu = "1 vCPU"   # one core
memory = "2 GB"
desired_count = 6
capacity_provider_strategy = [
  { capacity_provider = "FARGATE", base = 3, weight = 1 },
  { capacity_provider = "FARGATE_SPOT", weight = 4 },
]

# the worker
[[service]]
name = "worker"
cpu = 256
memory = 512
runtime_platform = { operating_system_family = "LINUX", cpu_architecture = "ARM64" }
capacity_provider_strategy = [{ capacity_provider = "FARGATE", base = 1, weight = 0 }, { capacity_provider = "FARGATE_SPOT", weight = 1 }]
"#;
        assert_eq!(out, expected);
    }

    #[test]
    fn peaks_are_restated_in_inline_and_sub_tables() {
        let text = "[[service]]\nname = \"a\"\nrecommend = { peak_cpu = \"20%\", peak_memory = \"30%\" } # measured\n\n[[service]]\nname = \"b\"\n\n[service.recommend]\npeak_cpu = \"10%\" # max\n";
        let change = |index: usize, name: &str| Change {
            index,
            name: name.into(),
            strategy: None,
            size: None,
            arch: None,
            peak_cpu: Some("40%".into()),
            peak_memory: Some("60%".into()),
        };
        let out = apply(text, &[change(0, "a"), change(1, "b")]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            out,
            "[[service]]\nname = \"a\"\nrecommend = { peak_cpu = \"40%\", peak_memory = \"60%\" } # measured\n\n[[service]]\nname = \"b\"\n\n[service.recommend]\npeak_cpu = \"40%\" # max\npeak_memory = \"60%\"\n"
        );
    }

    #[test]
    fn a_moved_service_is_an_error() {
        let e = apply(
            PLAN,
            &[Change {
                index: 1,
                name: "api".into(),
                strategy: None,
                size: None,
                arch: None,
                peak_cpu: None,
                peak_memory: None,
            }],
        );
        assert!(e.is_err_and(|m| m.contains("no longer")));
    }

    #[test]
    fn on_demand_keeps_a_launch_type() {
        let out = apply(
            PLAN,
            &[Change {
                index: 1,
                name: "worker".into(),
                strategy: Some(Strategy::on_demand()),
                size: None,
                arch: None,
                peak_cpu: None,
                peak_memory: None,
            }],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out, PLAN);
    }
}
