//! Services read from infrastructure code (CloudFormation templates, Terraform plans): the plan
//! services built from them, where in the document each of their fields came from, and what
//! could not be read. The checker's problems (plan paths such as `service[0].cpu`) are mapped back
//! to document paths here, so that an error names the logical id or address and its property.

use crate::core::plan::raw::{RawPlan, RawPlanSettings, RawService};
use crate::core::plan::taskdef;
use crate::core::vocab::problem::{FieldPath, Problem, Seg};
use serde::Serialize;

/// Which kind of document the services came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Cloudformation,
    Terraform,
}

impl SourceKind {
    pub fn name(self) -> &'static str {
        match self {
            SourceKind::Cloudformation => "cloudformation",
            SourceKind::Terraform => "terraform",
        }
    }
}

/// How the document names fields: CloudFormation `PascalCase`, Terraform `snake_case`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Naming {
    Pascal,
    Snake,
}

/// One ECS service of the document.
#[derive(Clone, Debug)]
pub struct ImportedService {
    /// CloudFormation logical id or Terraform address.
    pub id: String,
    pub raw: RawService,
    /// The service's properties in the document (`Resources.Web.Properties`).
    pub service_path: FieldPath,
    /// Its task definition's properties (`Resources.WebTaskDef.Properties`).
    pub task_path: FieldPath,
    /// Its scalable target's properties, when it has one.
    pub scaling_path: Option<FieldPath>,
    /// The first container's literal `awslogs-region`, a region hint.
    pub log_region: Option<String>,
}

/// What a document gave.
#[derive(Clone, Debug)]
pub struct Imported {
    pub kind: SourceKind,
    pub services: Vec<ImportedService>,
    /// The region the document states (a Terraform provider's), with where it says so.
    pub region: Option<(String, String)>,
    /// Remarks: ignored fields, step scaling not modelled, defaults taken.
    pub notes: Vec<String>,
    /// What cannot be read, at document paths.
    pub problems: Vec<Problem>,
}

fn pascal(key: &str) -> String {
    let mut out = String::new();
    for part in key.split('_') {
        let mut chars = part.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

fn snake(key: &str) -> String {
    let mut out = String::new();
    for c in key.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A camelCase task definition path tail in the document's naming (Terraform keeps the
/// container definitions, a JSON string, in camelCase).
fn rename_tail(base: &FieldPath, tail: &[Seg], naming: Naming) -> FieldPath {
    let mut out = base.clone();
    let mut raw_next = false;
    let mut in_containers = false;
    for seg in tail {
        out = match seg {
            Seg::Index(i) => out.index(*i),
            Seg::Key(k) if raw_next => out.key(k),
            Seg::Key(k) => match naming {
                Naming::Pascal => out.key(&pascal(k)),
                Naming::Snake if in_containers => out.key(k),
                Naming::Snake => out.key(&snake(k)),
            },
        };
        raw_next = matches!(seg, Seg::Key(k) if k == "options" || k == "Options");
        in_containers |= matches!(seg, Seg::Key(k) if k == "containerDefinitions");
    }
    out
}

/// A path read in ECS camelCase under `base` (the task definition walker's), in the
/// document's naming: `Resources.Td.Properties.containerDefinitions[0].cpu` →
/// `Resources.Td.Properties.ContainerDefinitions[0].Cpu`.
pub fn document_path(base: &FieldPath, path: &FieldPath, naming: Naming) -> FieldPath {
    match path.0.strip_prefix(base.0.as_slice()) {
        Some(tail) => rename_tail(base, tail, naming),
        None => path.clone(),
    }
}

impl Imported {
    pub fn naming(&self) -> Naming {
        match self.kind {
            SourceKind::Cloudformation => Naming::Pascal,
            SourceKind::Terraform => Naming::Snake,
        }
    }

    /// The plan the services make, in `region`.
    pub fn plan(&self, region: &str) -> RawPlan {
        RawPlan {
            plan: Some(RawPlanSettings {
                region: Some(region.to_string()),
                ..RawPlanSettings::default()
            }),
            service: self.services.iter().map(|s| s.raw.clone()).collect(),
        }
    }

    /// The document path of a plan problem's path (`service[i].…`), or `None` for plan-wide
    /// fields (the region).
    pub fn locate(&self, plan_path: &FieldPath) -> Option<FieldPath> {
        let naming = self.naming();
        let (i, rest) = match plan_path.0.as_slice() {
            [Seg::Key(s), Seg::Index(i), rest @ ..] if s == "service" => (*i, rest),
            _ => return None,
        };
        let svc = self.services.get(i)?;
        if let Some(jp) = taskdef::json_path(&FieldPath::root(), plan_path) {
            return Some(rename_tail(&svc.task_path, &jp.0, naming));
        }
        let (base, rest) = match rest.split_first() {
            Some((Seg::Key(k), tail)) if k == "autoscaling" => (
                svc.scaling_path.clone().unwrap_or(svc.service_path.clone()),
                tail,
            ),
            _ => (svc.service_path.clone(), rest),
        };
        let mut out = base;
        for seg in rest {
            out = match (seg, naming) {
                (Seg::Index(i), _) => out.index(*i),
                (Seg::Key(k), Naming::Pascal) => out.key(&pascal(k)),
                (Seg::Key(k), Naming::Snake) => out.key(k),
            };
        }
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_paths_become_pascal_except_log_options() {
        let base = FieldPath::root()
            .key("Resources")
            .key("Td")
            .key("Properties");
        let p = base
            .key("containerDefinitions")
            .index(0)
            .key("logConfiguration")
            .key("options")
            .key("awslogs-region");
        assert_eq!(
            document_path(&base, &p, Naming::Pascal).to_string(),
            "Resources.Td.Properties.ContainerDefinitions[0].LogConfiguration.Options.awslogs-region"
        );
        assert_eq!(
            pascal("capacity_provider_strategy"),
            "CapacityProviderStrategy"
        );
    }
}
