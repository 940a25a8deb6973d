//! CloudFormation templates (JSON or YAML, hand-written or `cdk synth` output) → plan services.
//!
//! `AWS::ECS::Service` resources become services; their `TaskDefinition` (a `Ref` to an
//! `AWS::ECS::TaskDefinition` of the template) is read by the task definition reader once its
//! PascalCase names are mapped to ECS's camelCase; Application Auto Scaling targets and policies
//! are tied to their service through `Ref`/`Fn::GetAtt`/`Fn::Join`/`Fn::Sub` in `ResourceId`.
//! Parameters take their defaults unless overridden. A value known only at deploy time where a
//! price depends on it is a problem at `Resources.<LogicalId>.Properties.<Property>`.
//! Pure: text in, services or problems out.

mod build;
mod intrinsic;
#[cfg(test)]
mod tests;
mod yaml;

pub use intrinsic::referenced_ids;

use crate::core::plan::imported::{Imported, SourceKind};
use crate::core::rules::Facts;
use crate::core::vocab::problem::{FieldPath, Problem, did_you_mean};
use intrinsic::Ctx;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What the command line adds to a template.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// `--parameter KEY=VALUE`, over the parameters' defaults.
    pub parameters: BTreeMap<String, String>,
    /// The region the stack is priced in (`AWS::Region`), when known.
    pub region: Option<String>,
}

/// The template as JSON (YAML short tags in their long forms).
pub fn document(text: &str) -> Result<Value, Problem> {
    let trimmed = text.trim_start();
    let value = if trimmed.starts_with('{') {
        serde_json::from_str(text).map_err(|e| {
            format!(
                "not valid JSON (line {}, column {}): {e}",
                e.line(),
                e.column()
            )
        })
    } else {
        yaml::to_json(text)
    };
    value.map_err(|m| {
        Problem::new(FieldPath::root(), m)
            .fix("give a CloudFormation template (JSON or YAML) or the output of `cdk synth`")
    })
}

/// Whether a JSON or YAML document looks like a CloudFormation template.
pub fn looks_like(doc: &Value) -> bool {
    doc.get("AWSTemplateFormatVersion").is_some()
        || doc
            .get("Resources")
            .and_then(Value::as_object)
            .is_some_and(|r| {
                r.values()
                    .all(|v| v.get("Type").and_then(Value::as_str).is_some())
            })
}

/// Reads a template. `Err` when the text is not a template at all; otherwise the problems are in
/// [`Imported::problems`], all at once.
pub fn parse(text: &str, opts: &Options, facts: &Facts) -> Result<Imported, Vec<Problem>> {
    let doc = document(text).map_err(|p| vec![p])?;
    let Some(resources) = doc.get("Resources").and_then(Value::as_object) else {
        return Err(vec![
            Problem::new(
                FieldPath::root().key("Resources"),
                "a CloudFormation template needs a `Resources` object",
            )
            .fix("give a template with `Resources:` (or the output of `cdk synth`)"),
        ]);
    };
    let mut problems = Vec::new();
    let params = parameters(&doc, opts, &mut problems);
    let ctx = Ctx {
        params,
        mappings: doc.get("Mappings").and_then(Value::as_object),
        resources,
        region: opts.region.clone(),
    };
    let mut out = build::services(&ctx, facts);
    problems.append(&mut out.problems);
    out.problems = problems;
    Ok(out)
}

/// Every parameter's value: `--parameter`, else its `Default`, else why it has none.
fn parameters(
    doc: &Value,
    opts: &Options,
    problems: &mut Vec<Problem>,
) -> BTreeMap<String, Result<Value, String>> {
    let empty = Map::new();
    let declared = doc
        .get("Parameters")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    for key in opts.parameters.keys() {
        if !declared.contains_key(key) {
            let mut p = Problem::new(
                FieldPath::root().key("Parameters").key(key),
                "--parameter names a parameter the template does not declare",
            )
            .value(key);
            p = match did_you_mean(key, declared.keys().map(String::as_str)) {
                Some(s) => p.fix(format!("did you mean `{s}`?")),
                None => p.fix(format!(
                    "the template declares: {}",
                    declared.keys().cloned().collect::<Vec<_>>().join(", ")
                )),
            };
            problems.push(p);
        }
    }
    let mut out = BTreeMap::new();
    for (name, decl) in declared {
        let ty = decl.get("Type").and_then(Value::as_str).unwrap_or("String");
        let given = opts.parameters.get(name).map(|s| Value::String(s.clone()));
        let value = match given.or_else(|| decl.get("Default").cloned()) {
            None => Err(format!(
                "parameter {name} has no Default; pass `--parameter {name}=VALUE`"
            )),
            Some(_)
                if ty.starts_with("AWS::SSM::Parameter::Value")
                    && !opts.parameters.contains_key(name) =>
            {
                Err(format!(
                    "parameter {name} is read from SSM Parameter Store at deploy time; pass `--parameter {name}=VALUE`"
                ))
            }
            Some(v) => {
                if let (Some(allowed), Some(s)) = (
                    decl.get("AllowedValues").and_then(Value::as_array),
                    opts.parameters.get(name),
                ) && !allowed.iter().any(|a| scalar_text(a).as_deref() == Some(s))
                {
                    problems.push(
                        Problem::new(
                            FieldPath::root().key("Parameters").key(name),
                            "--parameter gives a value outside the parameter's AllowedValues",
                        )
                        .value(s)
                        .fix(format!(
                            "one of: {}",
                            allowed
                                .iter()
                                .filter_map(scalar_text)
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    );
                }
                Ok(typed(v, ty))
            }
        };
        out.insert(name.clone(), value);
    }
    out
}

/// A parameter value as its type reads it: lists split at commas.
fn typed(v: Value, ty: &str) -> Value {
    match v {
        Value::String(s) if ty.starts_with("List<") || ty == "CommaDelimitedList" => Value::Array(
            s.split(',')
                .map(|p| Value::String(p.trim().to_string()))
                .collect(),
        ),
        other => other,
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// `SourceKind` of this reader, for the callers' descriptions.
pub const KIND: SourceKind = SourceKind::Cloudformation;
