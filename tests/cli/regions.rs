//! Every region of the embedded book prices an ARM service; three are checked by hand.

use super::support::{root, run_in};
use std::collections::BTreeSet;

/// The regions of `data/prices.csv`, read from the file itself.
fn book_regions() -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join("data/prices.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| l.split(',').next())
        .map(str::to_string)
        .collect()
}

#[test]
fn an_arm_service_is_priced_in_each_of_the_36_regions() {
    let regions = book_regions();
    assert_eq!(regions.len(), 36, "{regions:?}");
    let mut plan = String::from("[plan]\nregion = \"us-east-1\"\n");
    for r in &regions {
        plan.push_str(&format!(
            "\n[[service]]\nname = \"web-{r}\"\nregion = \"{r}\"\ncpu = \"0.5 vCPU\"\nmemory = \"1 GB\"\n\
             desired_count = 2\n\
             runtime_platform = {{ operating_system_family = \"LINUX\", cpu_architecture = \"ARM64\" }}\n\
             [[service.container_definitions]]\nname = \"web\"\nimage = \"nginx\"\n"
        ));
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("regions.toml"), plan).unwrap();
    let out = run_in(
        dir.path(),
        &[
            "report",
            "regions.toml",
            "--format",
            "json",
            "--prices",
            "embedded",
        ],
        &[],
    )
    .success()
    .stdout;
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let services = json["services"].as_array().unwrap();
    assert_eq!(services.len(), 36);
    let monthly = |region: &str| -> String {
        services
            .iter()
            .find(|s| s["region"] == region)
            .map(|s| s["plan"]["priced"]["monthly"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{region} not priced"))
    };
    // By hand from data/prices.csv: 2 tasks × 730 h × (0.5 × vCPU-hour + 1 × GB-hour).
    // af-south-1: 0.04372 and 0.0048 → 1460 × 0.02666 = 38.9236
    assert_eq!(monthly("af-south-1"), "38.9236");
    // us-west-2 (ARM new in this snapshot): 0.03238 and 0.00356 → 1460 × 0.01975 = 28.835
    assert_eq!(monthly("us-west-2"), "28.835");
    // ap-southeast-6: 0.042735 and 0.004686 → 1460 × 0.0260535 = 38.03811
    assert_eq!(monthly("ap-southeast-6"), "38.03811");
    for s in services {
        assert!(
            s["plan"]["priced"]["monthly"].is_string(),
            "{} unpriced: {s}",
            s["region"]
        );
    }
}
