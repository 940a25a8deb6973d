//! The plan's `configuration`: the provider's region and the references of an expression
//! (`aws_ecs_task_definition.app.arn`), which name a resource whose value is unknown until apply.

use serde_json::Value;

/// The AWS provider's constant `region` (root module first), with where it is stated.
pub fn region(doc: &Value) -> Option<(String, String)> {
    let providers = doc
        .get("configuration")?
        .get("provider_config")?
        .as_object()?;
    let mut keys: Vec<&String> = providers.keys().collect();
    keys.sort_by_key(|k| (k.contains(':'), k.len()));
    keys.into_iter().find_map(|k| {
        let p = providers.get(k)?;
        if p.get("name").and_then(Value::as_str) != Some("aws") {
            return None;
        }
        let r = p
            .get("expressions")?
            .get("region")?
            .get("constant_value")?
            .as_str()?;
        Some((
            r.to_string(),
            format!("the Terraform provider `{k}` (configuration.provider_config)"),
        ))
    })
}

/// The configuration block of the module at `module` (`module.a.module.b`, empty for root).
fn module_config<'a>(doc: &'a Value, module: &str) -> Option<&'a Value> {
    let mut m = doc.get("configuration")?.get("root_module")?;
    for part in module
        .split('.')
        .filter(|p| !p.is_empty() && *p != "module")
    {
        m = m.get("module_calls")?.get(part)?.get("module")?;
    }
    Some(m)
}

/// `aws_x.y[0]` (or `module.a.aws_x.y`) → `aws_x.y`, the configuration address in its module.
fn local_address(address: &str) -> String {
    let mut rest = address;
    while let Some(after) = rest.strip_prefix("module.") {
        rest = after.split_once('.').map_or("", |(_, r)| r);
    }
    rest.split('[').next().unwrap_or(rest).to_string()
}

/// The addresses (in the same module, with its prefix) that `attribute` of the resource at
/// `address` refers to: `aws_ecs_task_definition.app.arn` → `module.m.aws_ecs_task_definition.app`.
pub fn references(doc: &Value, module: &str, address: &str, attribute: &str) -> Vec<String> {
    let local = local_address(address);
    let Some(m) = module_config(doc, module) else {
        return Vec::new();
    };
    let Some(res) = m.get("resources").and_then(Value::as_array).and_then(|rs| {
        rs.iter()
            .find(|r| r.get("address").and_then(Value::as_str) == Some(local.as_str()))
    }) else {
        return Vec::new();
    };
    let refs = res
        .get("expressions")
        .and_then(|e| e.get(attribute))
        .and_then(|e| e.get("references"))
        .and_then(Value::as_array);
    let prefix = if module.is_empty() {
        String::new()
    } else {
        format!("{module}.")
    };
    refs.into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|r| {
            // `aws_x.y.arn` → `aws_x.y`; the list also has `aws_x.y` itself.
            let parts: Vec<&str> = r.split('.').collect();
            let base = parts.get(..2).map(|p| p.join(".")).unwrap_or_default();
            format!("{prefix}{base}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_addresses_drop_modules_and_indices() {
        assert_eq!(
            local_address("module.a.module.b.aws_ecs_service.web[0]"),
            "aws_ecs_service.web"
        );
        assert_eq!(local_address("aws_ecs_service.web"), "aws_ecs_service.web");
    }
}
