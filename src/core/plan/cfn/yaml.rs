//! CloudFormation YAML as the JSON form of the template: the short tags (`!Ref`, `!Sub`,
//! `!GetAtt A.B`...) become their long forms (`{"Ref": …}`, `{"Fn::Sub": …}`,
//! `{"Fn::GetAtt": ["A", "B"]}`), so that one evaluator serves both syntaxes.

use serde_json::{Map, Number, Value};
use serde_norway::Value as Yaml;

/// The template as JSON, or the YAML error with its line and column.
pub fn to_json(text: &str) -> Result<Value, String> {
    let yaml: Yaml = serde_norway::from_str(text).map_err(|e| match e.location() {
        Some(l) => format!(
            "not valid YAML (line {}, column {}): {e}",
            l.line(),
            l.column()
        ),
        None => format!("not valid YAML: {e}"),
    })?;
    Ok(convert(yaml))
}

fn key(k: Yaml) -> String {
    match convert(k) {
        Value::String(s) => s,
        other => other.to_string(),
    }
}

fn convert(v: Yaml) -> Value {
    match v {
        Yaml::Null => Value::Null,
        Yaml::Bool(b) => Value::Bool(b),
        Yaml::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::Number(i.into())
            } else if let Some(u) = n.as_u64() {
                Value::Number(u.into())
            } else {
                n.as_f64()
                    .and_then(Number::from_f64)
                    .map_or(Value::Null, Value::Number)
            }
        }
        Yaml::String(s) => Value::String(s),
        Yaml::Sequence(items) => Value::Array(items.into_iter().map(convert).collect()),
        Yaml::Mapping(m) => {
            Value::Object(m.into_iter().map(|(k, v)| (key(k), convert(v))).collect())
        }
        Yaml::Tagged(t) => {
            let tag = t.tag.to_string();
            let name = tag.trim_start_matches('!').to_string();
            let inner = convert(t.value);
            let (long, arg) = match name.as_str() {
                "Ref" | "Condition" => (name, inner),
                "GetAtt" => {
                    let arg = match inner {
                        Value::String(s) => match s.split_once('.') {
                            Some((id, attr)) => Value::Array(vec![
                                Value::String(id.to_string()),
                                Value::String(attr.to_string()),
                            ]),
                            None => Value::String(s),
                        },
                        other => other,
                    };
                    ("Fn::GetAtt".to_string(), arg)
                }
                _ => (format!("Fn::{name}"), inner),
            };
            let mut obj = Map::new();
            obj.insert(long, arg);
            Value::Object(obj)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn short_tags_become_long_forms() {
        let text = "A: !Ref Count\nB: !GetAtt Svc.Name\nC: !Sub 'service/${Cluster}'\nD: !Join ['', [a, !Ref X]]\nE: !ImportValue Shared\nF: 3\n";
        let v = to_json(text).unwrap();
        assert_eq!(v["A"], json!({"Ref": "Count"}));
        assert_eq!(v["B"], json!({"Fn::GetAtt": ["Svc", "Name"]}));
        assert_eq!(v["C"], json!({"Fn::Sub": "service/${Cluster}"}));
        assert_eq!(v["D"], json!({"Fn::Join": ["", ["a", {"Ref": "X"}]]}));
        assert_eq!(v["E"], json!({"Fn::ImportValue": "Shared"}));
        assert_eq!(v["F"], json!(3));
    }

    #[test]
    fn bad_yaml_names_its_line() {
        let e = to_json("A: [1, 2\nB: 3\n").unwrap_err();
        assert!(e.contains("line"), "{e}");
    }
}
