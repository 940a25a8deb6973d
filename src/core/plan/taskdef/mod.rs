//! ECS task definition JSON → a plan service: the fields that matter for cost and validity.
//!
//! Accepts the three shapes users have: `aws ecs describe-task-definition` output (with the
//! `{"taskDefinition": {...}}` wrapper), the bare task definition, and the
//! `register-task-definition --cli-input-json` input. Problems carry JSON paths
//! (`taskDefinition.containerDefinitions[1].portMappings[0].hostPort`); [`json_path`] maps a
//! plan problem's path back to the JSON so that the normal `check` can name the JSON field.
//! Pure: text in, values out.

mod paths;
#[cfg(test)]
mod tests;
mod walk;

pub use paths::{fields_set, json_path, merge};

use crate::core::plan::raw::RawService;
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem};
use paths::is_unset;
use serde_json::{Map, Value};
use walk::{Walker, short, type_name};

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
pub(super) const METADATA: [&str; 9] = [
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

/// Reads task definition JSON. `Err` only when it is not JSON or not an object; other problems
/// are in [`TaskDefinition::problems`], all at once, each with its JSON path.
pub fn parse(text: &str, facts: &Facts) -> Result<TaskDefinition, Vec<Problem>> {
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
    let mut w = Walker::new(facts);
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
    // Tags: inside the task definition (register input) or beside it (describe --include TAGS).
    let outer_tags = top.get("tags").map(|v| (v, FieldPath::root().key("tags")));
    Ok(read_object(w, td, prefix, outer_tags))
}

/// A task definition object already in ECS's camelCase (as CloudFormation's and Terraform's
/// task definitions are once their names are mapped), read at `prefix`.
pub fn from_object(td: &Map<String, Value>, prefix: FieldPath, facts: &Facts) -> TaskDefinition {
    read_object(Walker::new(facts), td, prefix, None)
}

fn read_object(
    mut w: Walker,
    td: &Map<String, Value>,
    prefix: FieldPath,
    outer_tags: Option<(&Value, FieldPath)>,
) -> TaskDefinition {
    let mut svc = w.task(td, &prefix);
    let tag_value = td
        .get("tags")
        .map(|v| (v, prefix.key("tags")))
        .or(outer_tags);
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
    TaskDefinition {
        service: svc,
        prefix,
        ignored: w.ignored.into_iter().collect(),
        notes: w.notes,
        log_region,
        problems: w.problems,
    }
}
