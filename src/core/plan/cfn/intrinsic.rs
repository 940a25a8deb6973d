//! CloudFormation intrinsic functions evaluated without a stack: parameters, mappings and string
//! functions give values; what only exists at deploy time (another resource's ARN, an import, a
//! condition, a custom resource) stays opaque, with a reason, so that the caller can refuse it
//! where a price depends on it and let it pass where it does not (an image name, a role ARN).

use crate::core::vocab::problem::FieldPath;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// What the functions can see: the template's parameters (each a value or why it has none), its
/// mappings, resources and the region when it is known.
pub struct Ctx<'a> {
    pub params: BTreeMap<String, Result<Value, String>>,
    pub mappings: Option<&'a Map<String, Value>>,
    pub resources: &'a Map<String, Value>,
    pub region: Option<String>,
}

/// A resolved property tree, and the places that hold a value known only at deploy time.
pub struct Resolved {
    pub value: Value,
    /// (path, why the value is not known), in document order.
    pub opaque: Vec<(FieldPath, String)>,
}

/// An intrinsic function call: a one-key object whose key is `Ref` or `Fn::…`.
pub fn call(v: &Value) -> Option<(&str, &Value)> {
    let obj = v.as_object()?;
    if obj.len() != 1 {
        return None;
    }
    let (k, arg) = obj.iter().next()?;
    (k == "Ref" || k.starts_with("Fn::")).then_some((k.as_str(), arg))
}

fn is_custom(resources: &Map<String, Value>, id: &str) -> bool {
    resources
        .get(id)
        .and_then(|r| r.get("Type"))
        .and_then(Value::as_str)
        .is_some_and(|t| t.starts_with("Custom::") || t == "AWS::CloudFormation::CustomResource")
}

impl Ctx<'_> {
    /// Resolves every function in `v`; opaque values become `<…>` placeholder strings and are
    /// listed with their paths. `Ref: AWS::NoValue` removes the property.
    pub fn tree(&self, v: &Value, path: &FieldPath) -> Resolved {
        let mut opaque = Vec::new();
        let value = self.walk(v, path, &mut opaque);
        Resolved { value, opaque }
    }

    fn walk(&self, v: &Value, path: &FieldPath, opaque: &mut Vec<(FieldPath, String)>) -> Value {
        if call(v).is_some() {
            return match self.eval(v) {
                Ok(value) => value,
                Err(why) => {
                    let placeholder = format!("<{}>", short(v));
                    opaque.push((path.clone(), why));
                    Value::String(placeholder)
                }
            };
        }
        match v {
            Value::Object(obj) => {
                let mut out = Map::new();
                for (k, item) in obj {
                    let value = self.walk(item, &path.key(k), opaque);
                    if !value.is_null() || item.is_null() {
                        out.insert(k.clone(), value);
                    }
                }
                Value::Object(out)
            }
            Value::Array(items) => Value::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.walk(item, &path.index(i), opaque))
                    .filter(|v| !v.is_null())
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// The value of `v`, or why it has none before deployment.
    pub fn eval(&self, v: &Value) -> Result<Value, String> {
        let Some((name, arg)) = call(v) else {
            return match v {
                Value::Array(items) => items
                    .iter()
                    .map(|i| self.eval(i))
                    .filter(|r| !matches!(r, Ok(Value::Null)))
                    .collect::<Result<Vec<_>, _>>()
                    .map(Value::Array),
                Value::Object(obj) => obj
                    .iter()
                    .map(|(k, i)| self.eval(i).map(|v| (k.clone(), v)))
                    .collect::<Result<Map<_, _>, _>>()
                    .map(Value::Object),
                other => Ok(other.clone()),
            };
        };
        match name {
            "Ref" => self.reference(arg.as_str().unwrap_or_default()),
            "Fn::GetAtt" => {
                let (id, attr) = get_att(arg).unwrap_or_default();
                if is_custom(self.resources, &id) {
                    Err(format!(
                        "Fn::GetAtt {id}.{attr}: {id} is a custom resource, whose values exist only once it runs"
                    ))
                } else {
                    Err(format!(
                        "Fn::GetAtt {id}.{attr} is known only once the stack is deployed"
                    ))
                }
            }
            "Fn::Sub" => self.sub(arg),
            "Fn::Join" => self.join(arg),
            "Fn::Select" => self.select(arg),
            "Fn::Split" => {
                let parts = self.eval(arg)?;
                match parts.as_array().map(Vec::as_slice) {
                    Some([Value::String(d), Value::String(s)]) => Ok(Value::Array(
                        s.split(d.as_str())
                            .map(|p| Value::String(p.to_string()))
                            .collect(),
                    )),
                    _ => Err("Fn::Split takes [delimiter, string]".to_string()),
                }
            }
            "Fn::FindInMap" => self.find_in_map(arg),
            "Fn::ImportValue" => Err(format!(
                "Fn::ImportValue {}: a value another stack exports is known only at deploy time",
                self.eval(arg)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| short(arg))
            )),
            "Fn::If" => Err(format!(
                "Fn::If on condition `{}`: conditions are not evaluated",
                arg.get(0).and_then(Value::as_str).unwrap_or("?")
            )),
            other => Err(format!("{other} is not evaluated before deployment")),
        }
    }

    fn reference(&self, name: &str) -> Result<Value, String> {
        if let Some(p) = self.params.get(name) {
            return p.clone();
        }
        match name {
            "AWS::NoValue" => Ok(Value::Null),
            "AWS::Region" => self
                .region
                .clone()
                .map(Value::String)
                .ok_or_else(|| "Ref AWS::Region: no region given".to_string()),
            _ if is_custom(self.resources, name) => Err(format!(
                "Ref {name}: {name} is a custom resource, whose values exist only once it runs"
            )),
            _ if self.resources.contains_key(name) => Err(format!(
                "Ref {name} is known only once the stack is deployed"
            )),
            _ if name.starts_with("AWS::") => Err(format!("Ref {name} depends on the stack")),
            _ => Err(format!("Ref {name}: no parameter or resource of that name")),
        }
    }

    fn string(&self, v: &Value) -> Result<String, String> {
        match self.eval(v)? {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            other => Err(format!("expected a string, found {}", short(&other))),
        }
    }

    fn sub(&self, arg: &Value) -> Result<Value, String> {
        let (template, vars) = match arg {
            Value::String(s) => (s.as_str(), None),
            Value::Array(a) => match a.as_slice() {
                [Value::String(s), Value::Object(vars)] => (s.as_str(), Some(vars)),
                _ => return Err("Fn::Sub takes a string or [string, {variables}]".to_string()),
            },
            _ => return Err("Fn::Sub takes a string or [string, {variables}]".to_string()),
        };
        let mut out = String::new();
        let mut rest = template;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                out.push_str(&rest[start..]);
                rest = "";
                break;
            };
            let name = &after[..end];
            if let Some(literal) = name.strip_prefix('!') {
                out.push_str("${");
                out.push_str(literal);
                out.push('}');
            } else if let Some(v) = vars.and_then(|m| m.get(name)) {
                out.push_str(&self.string(v)?);
            } else if let Some((id, attr)) = name.split_once('.') {
                let att = serde_json::json!({"Fn::GetAtt": [id, attr]});
                out.push_str(&self.string(&att)?);
            } else {
                out.push_str(&self.string(&serde_json::json!({ "Ref": name }))?);
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(Value::String(out))
    }

    fn join(&self, arg: &Value) -> Result<Value, String> {
        let Some([delim, list]) = arg.as_array().map(Vec::as_slice) else {
            return Err("Fn::Join takes [delimiter, [values]]".to_string());
        };
        let delim = delim.as_str().unwrap_or_default();
        let items = match self.eval(list)? {
            Value::Array(items) => items,
            other => return Err(format!("Fn::Join of {}", short(&other))),
        };
        let parts = items
            .iter()
            .map(|i| self.string(i))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Value::String(parts.join(delim)))
    }

    fn select(&self, arg: &Value) -> Result<Value, String> {
        let Some([index, list]) = arg.as_array().map(Vec::as_slice) else {
            return Err("Fn::Select takes [index, [values]]".to_string());
        };
        let index: usize = self
            .string(index)?
            .parse()
            .map_err(|_| "Fn::Select: the index is not a number".to_string())?;
        match self.eval(list)? {
            Value::Array(items) => items
                .get(index)
                .cloned()
                .ok_or_else(|| format!("Fn::Select: no item {index}")),
            other => Err(format!("Fn::Select from {}", short(&other))),
        }
    }

    fn find_in_map(&self, arg: &Value) -> Result<Value, String> {
        let Some([map, top, second, ..]) = arg.as_array().map(Vec::as_slice) else {
            return Err("Fn::FindInMap takes [map, key, key]".to_string());
        };
        let (map, top, second) = (self.string(map)?, self.string(top)?, self.string(second)?);
        self.mappings
            .and_then(|m| m.get(&map))
            .and_then(|m| m.get(&top))
            .and_then(|m| m.get(&second))
            .cloned()
            .ok_or_else(|| format!("Fn::FindInMap: Mappings.{map}.{top}.{second} does not exist"))
    }
}

/// `Fn::GetAtt`'s resource and attribute, from `[id, attr]` or `"id.attr"`.
pub fn get_att(arg: &Value) -> Option<(String, String)> {
    match arg {
        Value::String(s) => s
            .split_once('.')
            .map(|(a, b)| (a.to_string(), b.to_string())),
        Value::Array(a) => match a.as_slice() {
            [Value::String(id), Value::String(attr)] => Some((id.clone(), attr.clone())),
            _ => None,
        },
        _ => None,
    }
}

/// The logical ids a value refers to (`Ref`, `Fn::GetAtt`, `${Id}` / `${Id.Attr}` in `Fn::Sub`).
pub fn referenced_ids(v: &Value, out: &mut Vec<String>) {
    match call(v) {
        Some(("Ref", Value::String(id))) => out.push(id.clone()),
        Some(("Fn::GetAtt", arg)) => {
            if let Some((id, _)) = get_att(arg) {
                out.push(id);
            }
        }
        Some(("Fn::Sub", arg)) => {
            let template = match arg {
                Value::Array(a) => {
                    if let Some(vars) = a.get(1) {
                        referenced_ids(vars, out);
                    }
                    a.first().and_then(Value::as_str).unwrap_or_default()
                }
                other => other.as_str().unwrap_or_default(),
            };
            for piece in template.split("${").skip(1) {
                if let Some((name, _)) = piece.split_once('}') {
                    let id = name.split('.').next().unwrap_or(name);
                    out.push(id.to_string());
                }
            }
        }
        Some((_, arg)) => referenced_ids(arg, out),
        None => match v {
            Value::Array(items) => items.iter().for_each(|i| referenced_ids(i, out)),
            Value::Object(obj) => obj.values().for_each(|i| referenced_ids(i, out)),
            _ => {}
        },
    }
}

/// A value for a message, cut to a readable length.
pub fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        format!("{}…", s.chars().take(60).collect::<String>())
    } else {
        s
    }
}
