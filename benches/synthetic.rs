//! A synthetic plan of N services, shared by the report benchmark and `examples/generate_plan.rs`.

/// A plan with `n` services cycling through sizes, regions, architectures, strategies and schedules.
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
