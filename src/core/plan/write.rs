//! A plan as TOML text: what `import taskdef` and `scan` write, without the empty and unset fields.

use crate::core::plan::raw::RawPlan;

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
