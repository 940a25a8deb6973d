//! A synthetic plan of N services, shared by the report benchmark and `examples/generate_plan.rs`.

/// A plan with `n` services cycling through sizes, regions, architectures, strategies and schedules.
#[allow(dead_code)]
pub fn synthetic_plan(n: usize) -> String {
    const SIZES: [(u32, u32); 6] = [
        (256, 512),
        (512, 1024),
        (1024, 2048),
        (2048, 8192),
        (4096, 16384),
        (8192, 32768),
    ];
    const REGIONS: [&str; 4] = ["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"];
    let mut out = String::from("[plan]\nname = \"synthetic\"\nregion = \"us-east-1\"\n");
    for i in 0..n {
        let (cpu, memory) = SIZES[i % SIZES.len()];
        let region = REGIONS[i % REGIONS.len()];
        let arch = if i % 6 == 3 { "ARM64" } else { "X86_64" };
        out.push_str(&format!(
            "\n[[service]]\nname = \"svc-{i}\"\nregion = \"{region}\"\ncpu = {cpu}\nmemory = {memory}\ndesired_count = {}\nruntime_platform = {{ cpu_architecture = \"{arch}\" }}\n",
            1 + i % 7
        ));
        if i % 2 == 0 {
            out.push_str("capacity_provider_strategy = [{ capacity_provider = \"FARGATE\", base = 1, weight = 1 }, { capacity_provider = \"FARGATE_SPOT\", weight = 3 }]\n");
        }
        if i % 5 == 0 {
            out.push_str("uptime = { time_zone = \"Europe/Berlin\", windows = [{ days = \"mon-fri\", start = \"08:00\", end = \"20:00\" }] }\n");
        }
        if i % 4 == 0 {
            out.push_str("ephemeral_storage = { size_in_gib = 50 }\n");
        }
        out.push_str(&format!(
            "\n[[service.container_definitions]]\nname = \"app\"\nimage = \"123456789012.dkr.ecr.{region}.amazonaws.com/svc-{i}:1\"\nport_mappings = [{{ container_port = 8080 }}]\n"
        ));
    }
    out
}

/// A plan of `n` services for `recommend`, cycling through four kinds: an autoscaled API on a
/// daily load curve (4–12 tasks, multi-arch images, 99.95% with 3 healthy), a fixed service of
/// 6 tasks (99.9% with 3 healthy), a weekday worker of 3 tasks, and a fixed service of 8 tasks
/// with pessimistic Spot assumptions (99.99% with 6 healthy).
#[allow(dead_code)]
pub fn recommend_plan(n: usize) -> String {
    let mut out = String::from("[plan]\nname = \"synthetic-recommend\"\nregion = \"us-east-1\"\n");
    for i in 0..n {
        out.push_str(&format!("\n[[service]]\nname = \"svc-{i}\"\n"));
        out.push_str(match i % 4 {
            0 => concat!(
                "cpu = 1024\nmemory = 2048\ndesired_count = 6\n",
                "spot = { interruption_rate = 0.005, outages_per_month = 1, outage_duration = \"45m\" }\n",
                "availability = { min_healthy = 3, target = \"99.95%\", startup = \"90s\" }\n",
                "recommend = { image_architectures = [\"X86_64\", \"ARM64\"] }\n",
                "autoscaling = { min_capacity = 4, max_capacity = 12, metric = \"cpu\", target_value = 60, per_task_capacity = 150 }\n",
                "load = { profile = \"diurnal_web\", peak = 900, low = 150, time_zone = \"America/New_York\" }\n",
            ),
            1 => concat!(
                "cpu = 512\nmemory = 1024\ndesired_count = 6\n",
                "availability = { min_healthy = 3, target = \"99.9%\" }\n",
                "recommend = { peak_cpu = \"30%\", peak_memory = \"40%\" }\n",
            ),
            2 => concat!(
                "cpu = 512\nmemory = 2048\ndesired_count = 3\n",
                "runtime_platform = { cpu_architecture = \"ARM64\" }\n",
                "uptime = { time_zone = \"Europe/Berlin\", windows = [{ days = \"mon-fri\", start = \"08:00\", end = \"20:00\" }] }\n",
            ),
            _ => concat!(
                "cpu = 2048\nmemory = 4096\ndesired_count = 8\n",
                "spot = { interruption_rate = 0.02, outages_per_month = 4, outage_duration = \"2h\" }\n",
                "availability = { min_healthy = 6, target = \"99.99%\" }\n",
            ),
        });
        out.push_str(&format!(
            "\n[[service.container_definitions]]\nname = \"app\"\nimage = \"123456789012.dkr.ecr.us-east-1.amazonaws.com/svc-{i}:1\"\n"
        ));
    }
    out
}

/// A plan of `n` services for `recommend` in which every service is autoscaled on a load curve
/// (the shape that was slowest per service): tasks between 2 and 10–30, CPU, memory or request
/// tracking, three daily profiles in three time zones, Spot allowed, multi-arch images.
#[allow(dead_code)]
pub fn recommend_autoscaled_plan(n: usize) -> String {
    const PROFILES: [&str; 3] = ["diurnal_web", "business_hours", "diurnal_web"];
    const ZONES: [&str; 3] = ["America/New_York", "Europe/Berlin", "Asia/Tokyo"];
    const METRICS: [&str; 2] = ["cpu", "memory"];
    let mut out = String::from("[plan]\nname = \"synthetic-autoscaled\"\nregion = \"us-east-1\"\n");
    for i in 0..n {
        let max = 10 + (i % 5) * 5;
        out.push_str(&format!(
            "\n[[service]]\nname = \"svc-{i}\"\ncpu = 1024\nmemory = 2048\ndesired_count = 2\n\
             spot = {{ interruption_rate = 0.005, outages_per_month = 1, outage_duration = \"45m\" }}\n\
             availability = {{ min_healthy = 2, target = \"99.9%\" }}\n\
             recommend = {{ image_architectures = [\"X86_64\", \"ARM64\"] }}\n\
             autoscaling = {{ min_capacity = 2, max_capacity = {max}, metric = \"{}\", target_value = 60, per_task_capacity = 100 }}\n\
             load = {{ profile = \"{}\", peak = {}, low = 100, time_zone = \"{}\" }}\n\
             \n[[service.container_definitions]]\nname = \"app\"\nimage = \"app-{i}:1\"\n",
            METRICS[i % 2],
            PROFILES[i % 3],
            max * 60,
            ZONES[i % 3],
        ));
    }
    out
}

/// One service of `tasks` tasks for `simulate`: 2 on FARGATE, the rest 1:3 with FARGATE_SPOT;
/// Spot interrupted at 0.01 per task-hour (ten times the default) with one 45-minute outage a
/// month.
#[allow(dead_code)]
pub fn simulate_plan(tasks: u32) -> String {
    format!(
        r#"[plan]
region = "us-east-1"
[[service]]
name = "api"
cpu = 1024
memory = 2048
desired_count = {tasks}
capacity_provider_strategy = [
  {{ capacity_provider = "FARGATE", base = 2, weight = 1 }},
  {{ capacity_provider = "FARGATE_SPOT", weight = 3 }},
]
spot = {{ interruption_rate = 0.01, outages_per_month = 1, outage_duration = "45m" }}
availability = {{ min_healthy = 15 }}
[[service.container_definitions]]
name = "api"
image = "api"
"#
    )
}
