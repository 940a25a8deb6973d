//! A loopback fake of the AWS Price List Query API (awsJson1.1 over HTTP/1.1, as the real
//! `aws-sdk-pricing` client speaks it) that also serves the Fargate Spot feed. It paginates,
//! injects latency, throttling, 500s, garbage documents and hangs, and records what it saw.
//! GetProducts answers ServiceCode `AmazonECS` from the region scripts, `AWSLambda` from the
//! Lambda pages and `AmazonEKS` from the EKS pages (an empty PriceList for a region without any,
//! as AWS answers). ListPriceLists (ServiceCode `ComputeSavingsPlans`) and GetPriceListFileUrl
//! point at the Savings Plans files it serves over plain HTTP.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

/// How the fake answers GetProducts for one region.
#[derive(Clone, Debug, Default)]
pub struct RegionScript {
    /// Pages of PriceList documents (each a JSON string).
    pub pages: Vec<Vec<String>>,
    /// Answer this many requests with ThrottlingException before serving.
    pub throttle_first: usize,
    /// Answer every request with this HTTP status and AWS error code instead.
    pub fail_with: Option<(u16, &'static str, &'static str)>,
    /// Never answer (the connection stays open).
    pub hang: bool,
}

#[derive(Default)]
pub struct State {
    pub regions: Mutex<BTreeMap<String, RegionScript>>,
    /// AWSLambda GetProducts pages by region.
    pub lambda: Mutex<BTreeMap<String, Vec<Vec<String>>>>,
    /// AmazonEKS GetProducts pages by region.
    pub eks: Mutex<BTreeMap<String, Vec<Vec<String>>>>,
    /// AmazonEC2 GetProducts pages by region (served whatever the filters say, decoys included).
    pub ec2: Mutex<BTreeMap<String, Vec<Vec<String>>>>,
    /// The Filters of every AmazonEC2 GetProducts request, as sent.
    pub ec2_filters: Mutex<Vec<serde_json::Value>>,
    /// Compute Savings Plans price list files (JSON) by region.
    pub savings: Mutex<BTreeMap<String, String>>,
    /// GetAttributeValues answer, split into pages.
    pub attribute_pages: Mutex<Vec<Vec<String>>>,
    pub spot_feed: Mutex<Option<String>>,
    /// The fake's own address, for the URLs it hands out.
    pub host: Mutex<String>,
    pub latency: Mutex<Duration>,
    /// Requests seen, by X-Amz-Target (or `GET <path>`).
    pub seen: Mutex<Vec<String>>,
    pub hanging: AtomicUsize,
    in_flight: AtomicUsize,
    pub max_in_flight: AtomicUsize,
    throttled: Mutex<BTreeMap<String, usize>>,
}

pub struct FakePricing {
    pub url: String,
    pub state: Arc<State>,
    _runtime: tokio::runtime::Runtime,
}

impl FakePricing {
    pub fn start() -> FakePricing {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"));
        let state = Arc::new(State::default());
        let listener = runtime
            .block_on(TcpListener::bind("127.0.0.1:0"))
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let port = listener
            .local_addr()
            .unwrap_or_else(|e| panic!("addr: {e}"))
            .port();
        *state.host.lock_or_poisoned() = format!("http://127.0.0.1:{port}");
        let st = state.clone();
        runtime.spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let st = st.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, st).await;
                });
            }
        });
        FakePricing {
            url: format!("http://127.0.0.1:{port}"),
            state,
            _runtime: runtime,
        }
    }

    pub fn region(&self, region: &str, script: RegionScript) -> &Self {
        self.state
            .regions
            .lock_or_poisoned()
            .insert(region.to_string(), script);
        self
    }

    pub fn lambda(&self, region: &str, pages: Vec<Vec<String>>) -> &Self {
        self.state
            .lambda
            .lock_or_poisoned()
            .insert(region.to_string(), pages);
        self
    }

    pub fn eks(&self, region: &str, pages: Vec<Vec<String>>) -> &Self {
        self.state
            .eks
            .lock_or_poisoned()
            .insert(region.to_string(), pages);
        self
    }

    pub fn ec2(&self, region: &str, pages: Vec<Vec<String>>) -> &Self {
        self.state
            .ec2
            .lock_or_poisoned()
            .insert(region.to_string(), pages);
        self
    }

    pub fn savings_plans(&self, region: &str, file: &str) -> &Self {
        self.state
            .savings
            .lock_or_poisoned()
            .insert(region.to_string(), file.to_string());
        self
    }

    pub fn spot_feed(&self, feed: &str) -> &Self {
        *self.state.spot_feed.lock_or_poisoned() = Some(feed.to_string());
        self
    }

    pub fn latency(&self, d: Duration) -> &Self {
        *self.state.latency.lock_or_poisoned() = d;
        self
    }

    pub fn attribute_pages(&self, pages: Vec<Vec<String>>) -> &Self {
        *self.state.attribute_pages.lock_or_poisoned() = pages;
        self
    }

    pub fn spot_url(&self) -> String {
        format!("{}/fargate-spot-prices.json", self.url)
    }

    /// The environment that points the binary at this fake with dummy credentials.
    pub fn env(&self) -> Vec<(String, String)> {
        vec![
            ("AWS_ENDPOINT_URL_PRICING".into(), self.url.clone()),
            ("AWS_ACCESS_KEY_ID".into(), "testing".into()),
            ("AWS_SECRET_ACCESS_KEY".into(), "testing".into()),
            ("FARGATE_PLANNER_SPOT_FEED_URL".into(), self.spot_url()),
        ]
    }

    pub fn seen(&self, what: &str) -> usize {
        self.state
            .seen
            .lock_or_poisoned()
            .iter()
            .filter(|s| s.contains(what))
            .count()
    }
}

struct Request {
    method: String,
    path: String,
    target: Option<String>,
    body: Vec<u8>,
}

async fn read_request(reader: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if reader.read_line(&mut line).await.ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let path = parts.next()?.to_string();
    let mut length = 0usize;
    let mut target = None;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h).await.ok()? == 0 {
            return None;
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            let k = k.trim().to_ascii_lowercase();
            if k == "content-length" {
                length = v.trim().parse().ok()?;
            } else if k == "x-amz-target" {
                target = Some(v.trim().to_string());
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).await.ok()?;
    Some(Request {
        method,
        path,
        target,
        body,
    })
}

async fn serve(stream: TcpStream, st: Arc<State>) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    while let Some(req) = read_request(&mut reader).await {
        let now = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        st.max_in_flight.fetch_max(now, Ordering::SeqCst);
        let latency = *st.latency.lock_or_poisoned();
        tokio::time::sleep(latency).await;
        let answer = answer(&req, &st);
        st.in_flight.fetch_sub(1, Ordering::SeqCst);
        let Some((status, content_type, body)) = answer else {
            st.hanging.fetch_add(1, Ordering::SeqCst);
            // Hold the connection open until the client goes away.
            std::future::pending::<()>().await;
            return Ok(());
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nx-amzn-requestid: fake-1\r\n\r\n",
            body.len()
        );
        let stream = reader.get_mut();
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.flush().await?;
    }
    Ok(())
}

const JSON11: &str = "application/x-amz-json-1.1";

/// A lock that a panicked test thread may have poisoned: the data is still what the fake serves.
trait LockOrPoisoned<T> {
    fn lock_or_poisoned(&self) -> std::sync::MutexGuard<'_, T>;
}

impl<T> LockOrPoisoned<T> for Mutex<T> {
    fn lock_or_poisoned(&self) -> std::sync::MutexGuard<'_, T> {
        self.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Page `token_page` of a GetProducts answer, with a NextToken when more pages follow.
fn price_list_page(
    pages: &[Vec<String>],
    token_page: usize,
) -> Option<(u16, &'static str, String)> {
    let docs = pages.get(token_page).cloned().unwrap_or_default();
    let mut out = serde_json::json!({"FormatVersion": "aws_v1", "PriceList": docs});
    if token_page + 1 < pages.len() {
        out["NextToken"] = format!("page-{}", token_page + 1).into();
    }
    Some((200, JSON11, out.to_string()))
}

fn error(status: u16, code: &str, message: &str) -> Option<(u16, &'static str, String)> {
    Some((
        status,
        JSON11,
        serde_json::json!({"__type": code, "message": message}).to_string(),
    ))
}

fn answer(req: &Request, st: &State) -> Option<(u16, &'static str, String)> {
    let label = req
        .target
        .clone()
        .unwrap_or_else(|| format!("{} {}", req.method, req.path));
    let body: serde_json::Value = serde_json::from_slice(&req.body).unwrap_or_default();
    // GetProducts is recorded with its ServiceCode: `AWSPriceListService.GetProducts AWSLambda`.
    let seen_as = match body.get("ServiceCode").and_then(|s| s.as_str()) {
        Some(code) if label.ends_with("GetProducts") => format!("{label} {code}"),
        _ => label.clone(),
    };
    st.seen.lock_or_poisoned().push(seen_as);
    if req.method == "GET" {
        if req.path.ends_with("fargate-spot-prices.json") {
            return match st.spot_feed.lock_or_poisoned().clone() {
                Some(feed) => Some((200, "application/json", feed)),
                None => Some((404, "text/plain", "not found".to_string())),
            };
        }
        if let Some(rest) = req.path.strip_prefix("/savingsPlan/") {
            // `/savingsPlan/<region>/index.json?X-Amz-Signature=...`, as a presigned URL.
            let region = rest.split('/').next().unwrap_or_default();
            let file = st.savings.lock_or_poisoned().get(region).cloned();
            return match file {
                Some(f) if rest.contains("?X-Amz-Signature=") => Some((200, "application/json", f)),
                _ => Some((404, "text/plain", "not found".to_string())),
            };
        }
        return Some((404, "text/plain", "not found".to_string()));
    }
    let token_page = body
        .get("NextToken")
        .and_then(|t| t.as_str())
        .and_then(|t| t.strip_prefix("page-"))
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or(0);
    match label.as_str() {
        "AWSPriceListService.GetAttributeValues" => {
            let pages = st.attribute_pages.lock_or_poisoned().clone();
            let values: Vec<_> = pages
                .get(token_page)
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|v| serde_json::json!({"Value": v}))
                .collect();
            let mut out = serde_json::json!({"AttributeValues": values});
            if token_page + 1 < pages.len() {
                out["NextToken"] = format!("page-{}", token_page + 1).into();
            }
            Some((200, JSON11, out.to_string()))
        }
        "AWSPriceListService.ListPriceLists" => {
            let field = |name: &str| body.get(name).and_then(|v| v.as_str());
            if field("ServiceCode") != Some("ComputeSavingsPlans")
                || field("CurrencyCode") != Some("USD")
                || body.get("EffectiveDate").is_none()
            {
                return error(
                    400,
                    "InvalidParameterException",
                    "unexpected ListPriceLists",
                );
            }
            let region = field("RegionCode").unwrap_or_default().to_string();
            let has = st.savings.lock_or_poisoned().contains_key(&region);
            let lists: Vec<serde_json::Value> = if has {
                vec![serde_json::json!({
                    "PriceListArn": format!("arn:aws:pricing:::price-list/aws/AWSComputeSavingsPlan/USD/20260925000000/{region}"),
                    "RegionCode": region,
                    "CurrencyCode": "USD",
                    "FileFormats": ["csv", "json"]
                })]
            } else {
                Vec::new()
            };
            Some((
                200,
                JSON11,
                serde_json::json!({"PriceLists": lists}).to_string(),
            ))
        }
        "AWSPriceListService.GetPriceListFileUrl" => {
            let arn = body
                .get("PriceListArn")
                .and_then(|v| v.as_str())
                .unwrap_or_default();
            if body.get("FileFormat").and_then(|v| v.as_str()) != Some("json") {
                return error(400, "InvalidParameterException", "expected FileFormat json");
            }
            let region = arn.rsplit('/').next().unwrap_or_default();
            let host = st.host.lock_or_poisoned().clone();
            let url = format!("{host}/savingsPlan/{region}/index.json?X-Amz-Signature=fake");
            Some((200, JSON11, serde_json::json!({"Url": url}).to_string()))
        }
        "AWSPriceListService.GetProducts" => {
            let service = body.get("ServiceCode").and_then(|s| s.as_str());
            if !matches!(
                service,
                Some("AmazonECS" | "AWSLambda" | "AmazonEKS" | "AmazonEC2")
            ) {
                return error(400, "InvalidParameterException", "unexpected ServiceCode");
            }
            let filters = body
                .get("Filters")
                .and_then(|f| f.as_array())
                .cloned()
                .unwrap_or_default();
            let filter = |field: &str| {
                filters
                    .iter()
                    .find(|f| f.get("Field").and_then(|v| v.as_str()) == Some(field))
                    .and_then(|f| {
                        (f.get("Type").and_then(|v| v.as_str()) == Some("TERM_MATCH"))
                            .then(|| f.get("Value").and_then(|v| v.as_str()))
                            .flatten()
                    })
                    .map(str::to_string)
            };
            if service == Some("AmazonEC2") {
                st.ec2_filters
                    .lock_or_poisoned()
                    .push(serde_json::Value::Array(filters.clone()));
                let Some(region) = filter("regionCode") else {
                    return error(400, "InvalidParameterException", "no regionCode filter");
                };
                let pages = st
                    .ec2
                    .lock_or_poisoned()
                    .get(&region)
                    .cloned()
                    .unwrap_or_default();
                return price_list_page(&pages, token_page);
            }
            if service != Some("AmazonECS") {
                // Lambda and EKS are asked for by region only; their products are not all `Compute`.
                let Some(region) = filter("regionCode") else {
                    return error(400, "InvalidParameterException", "no regionCode filter");
                };
                if filters.len() != 1 {
                    return error(400, "InvalidParameterException", "expected regionCode only");
                }
                let by_region = if service == Some("AWSLambda") {
                    &st.lambda
                } else {
                    &st.eks
                };
                let pages = by_region
                    .lock_or_poisoned()
                    .get(&region)
                    .cloned()
                    .unwrap_or_default();
                return price_list_page(&pages, token_page);
            }
            if filter("productFamily").as_deref() != Some("Compute") {
                return error(
                    400,
                    "InvalidParameterException",
                    "expected productFamily=Compute",
                );
            }
            let Some(region) = filter("regionCode") else {
                return error(400, "InvalidParameterException", "no regionCode filter");
            };
            let script = st
                .regions
                .lock_or_poisoned()
                .get(&region)
                .cloned()
                .unwrap_or_default();
            if script.hang {
                return None;
            }
            if let Some((status, code, message)) = script.fail_with {
                return error(status, code, message);
            }
            {
                let mut throttled = st.throttled.lock_or_poisoned();
                let n = throttled.entry(region.clone()).or_default();
                if *n < script.throttle_first {
                    *n += 1;
                    return error(400, "ThrottlingException", "Rate exceeded");
                }
            }
            price_list_page(&script.pages, token_page)
        }
        other => error(
            400,
            "UnknownOperationException",
            &format!("the fake does not serve {other}"),
        ),
    }
}

/// A GetProducts document in the real shape (AWS Price List API reference, GetProducts).
pub fn doc(sku: &str, region: &str, usage_type: &str, usd: &str, extra_attrs: &str) -> String {
    format!(
        r#"{{"product":{{"productFamily":"Compute","attributes":{{"regionCode":"{region}","servicecode":"AmazonECS","usagetype":"{usage_type}","location":"Somewhere","locationType":"AWS Region","tenancy":"Shared","operation":""{extra_attrs}}},"sku":"{sku}"}},"serviceCode":"AmazonECS","terms":{{"OnDemand":{{"{sku}.JRTCKXETXF":{{"priceDimensions":{{"{sku}.JRTCKXETXF.6YS6EN2CT7":{{"unit":"hours","endRange":"Inf","description":"AWS Fargate","appliesTo":[],"rateCode":"{sku}.JRTCKXETXF.6YS6EN2CT7","beginRange":"0","pricePerUnit":{{"USD":"{usd}"}}}}}},"sku":"{sku}","effectiveDate":"2026-11-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{{}}}}}}}},"version":"20261120100000","publicationDate":"2026-11-20T10:00:00Z"}}"#
    )
}

/// A tiered ECS Anywhere document (two price dimensions with ranges) — a decoy.
pub fn anywhere_doc(sku: &str, region: &str, prefix: &str) -> String {
    format!(
        r#"{{"product":{{"productFamily":"Compute","attributes":{{"regionCode":"{region}","servicecode":"AmazonECS","usagetype":"{prefix}-ECS-Anywhere-Instance-hours","operation":""}},"sku":"{sku}"}},"serviceCode":"AmazonECS","terms":{{"OnDemand":{{"{sku}.JRTCKXETXF":{{"priceDimensions":{{"{sku}.A":{{"unit":"Hrs","beginRange":"0","endRange":"2200","pricePerUnit":{{"USD":"0.0000000000"}}}},"{sku}.B":{{"unit":"Hrs","beginRange":"2200","endRange":"Inf","pricePerUnit":{{"USD":"0.0100000000"}}}}}},"sku":"{sku}","effectiveDate":"2026-11-01T00:00:00Z"}}}}}},"version":"20261120100000","publicationDate":"2026-11-20T10:00:00Z"}}"#
    )
}

/// The full set of Fargate rows for a region plus decoys, split over two pages.
pub fn region_pages(region: &str, prefix: &str, scale: &str) -> Vec<Vec<String>> {
    let p = |base: &str| format!("{base}{scale}");
    vec![
        vec![
            doc(
                &format!("{prefix}X1"),
                region,
                &format!("{prefix}-Fargate-vCPU-Hours:perCPU"),
                &p("0.0404"),
                "",
            ),
            doc(
                &format!("{prefix}D1"),
                region,
                &format!("{prefix}-ECS-EC2-GB-Hours"),
                "0.0000000000",
                "",
            ),
            doc(
                &format!("{prefix}D2"),
                region,
                &format!("{prefix}-ECS-EC2-vCPU-Hours"),
                "0.0000000000",
                "",
            ),
            anywhere_doc(&format!("{prefix}D3"), region, prefix),
            doc(
                &format!("{prefix}X2"),
                region,
                &format!("{prefix}-Fargate-GB-Hours"),
                &p("0.0044"),
                "",
            ),
            doc(
                &format!("{prefix}A1"),
                region,
                &format!("{prefix}-Fargate-ARM-vCPU-Hours:perCPU"),
                &p("0.0323"),
                r#","cpuArchitecture":"ARM""#,
            ),
        ],
        vec![
            doc(
                &format!("{prefix}A2"),
                region,
                &format!("{prefix}-Fargate-ARM-GB-Hours"),
                &p("0.0035"),
                r#","cpuArchitecture":"ARM""#,
            ),
            doc(
                &format!("{prefix}W1"),
                region,
                &format!("{prefix}-Fargate-Windows-vCPU-Hours:perCPU"),
                &p("0.0465"),
                r#","operatingSystem":"Windows""#,
            ),
            doc(
                &format!("{prefix}W2"),
                region,
                &format!("{prefix}-Fargate-Windows-GB-Hours"),
                &p("0.0051"),
                r#","operatingSystem":"Windows""#,
            ),
            doc(
                &format!("{prefix}W3"),
                region,
                &format!("{prefix}-Fargate-Windows-OS-Hours:perCPU"),
                &p("0.0460"),
                r#","operatingSystem":"Windows""#,
            ),
            doc(
                &format!("{prefix}S1"),
                region,
                &format!("{prefix}-Fargate-EphemeralStorage-GB-Hours"),
                &p("0.0001"),
                "",
            ),
            doc(
                &format!("{prefix}D4"),
                region,
                &format!("{prefix}-SpotUsage-Fargate-GB-Hours"),
                "0.0014",
                "",
            ),
        ],
    ]
}

/// A Spot feed for the given (region, with ARM) pairs.
pub fn spot_feed(regions: &[(&str, bool)]) -> String {
    let mut items = Vec::new();
    for (region, arm) in regions {
        let mut units = vec![("vCPU-Hours", "0.01288871"), ("GB-Hours", "0.00141527")];
        if *arm {
            units.push(("ARM-vCPU-Hours", "0.01030969"));
            units.push(("ARM-GB-Hours", "0.00113349"));
        }
        for (unit, usd) in units {
            items.push(serde_json::json!({
                "id": format!("{region}-{unit}"),
                "unit": unit,
                "price": {"USD": usd},
                "attributes": {"aws:region": region, "aws:label": "Fargate Spot"}
            }));
        }
    }
    serde_json::json!({
        "metadata": {"format:version": "1.0", "source:version": "20261125093000", "source:description": "Fargate Spot prices"},
        "prices": items
    })
    .to_string()
}

/// An AWSLambda GetProducts document in the real shape: one product, one OnDemand term, one price
/// dimension per tier `(begin, end, usd)`.
pub fn lambda_doc(
    sku: &str,
    region: &str,
    usage_type: &str,
    unit: &str,
    tiers: &[(&str, &str, &str)],
) -> String {
    let dims: Vec<String> = tiers
        .iter()
        .enumerate()
        .map(|(i, (begin, end, usd))| {
            format!(
                r#""{sku}.JRTCKXETXF.RATE{i}":{{"unit":"{unit}","endRange":"{end}","description":"AWS Lambda tier {i}","appliesTo":[],"rateCode":"{sku}.JRTCKXETXF.RATE{i}","beginRange":"{begin}","pricePerUnit":{{"USD":"{usd}"}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"product":{{"productFamily":"Serverless","attributes":{{"regionCode":"{region}","servicecode":"AWSLambda","usagetype":"{usage_type}","location":"Somewhere","locationType":"AWS Region","group":"AWS-Lambda-Duration","operation":""}},"sku":"{sku}"}},"serviceCode":"AWSLambda","terms":{{"OnDemand":{{"{sku}.JRTCKXETXF":{{"priceDimensions":{{{}}},"sku":"{sku}","effectiveDate":"2026-10-01T00:00:00Z","offerTermCode":"JRTCKXETXF","termAttributes":{{}}}}}}}},"version":"20261020143000","publicationDate":"2026-10-20T14:30:00Z"}}"#,
        dims.join(",")
    )
}

/// A region's Lambda rows over two pages, with decoys (provisioned concurrency, Lambda@Edge, the
/// free tier's `Global-` rows). `prefix` is the usage-type prefix with its dash (`""` for
/// us-east-1, `"EU-"`); the first x86 duration tier costs `x86_gb_second`.
pub fn lambda_pages(region: &str, prefix: &str, x86_gb_second: &str) -> Vec<Vec<String>> {
    let u = |s: &str| format!("{prefix}{s}");
    vec![
        vec![
            lambda_doc(
                "LPC1",
                region,
                &u("Lambda-Provisioned-Concurrency"),
                "Lambda-GB-Second",
                &[("0", "Inf", "0.0000041667")],
            ),
            lambda_doc(
                "LRQ1",
                region,
                &u("Request"),
                "Requests",
                &[("0", "Inf", "0.0000002000")],
            ),
            lambda_doc(
                "LGB1",
                region,
                &u("Lambda-GB-Second"),
                "Lambda-GB-Second",
                &[
                    ("0", "6000000000", x86_gb_second),
                    ("6000000000", "15000000000", "0.0000150000"),
                    ("15000000000", "Inf", "0.0000133334"),
                ],
            ),
            lambda_doc(
                "LED1",
                region,
                &u("Lambda-Edge-GB-Second"),
                "Lambda-GB-Second",
                &[("0", "Inf", "0.0000500100")],
            ),
        ],
        vec![
            lambda_doc(
                "LFT1",
                region,
                "Global-Request",
                "Requests",
                &[
                    ("0", "1000000", "0.0000000000"),
                    ("1000000", "Inf", "0.0000002000"),
                ],
            ),
            lambda_doc(
                "LRQ2",
                region,
                &u("Request-ARM"),
                "Requests",
                &[("0", "Inf", "0.0000002000")],
            ),
            lambda_doc(
                "LGB2",
                region,
                &u("Lambda-GB-Second-ARM"),
                "Lambda-GB-Second",
                &[
                    ("0", "7500000000", "0.0000133334"),
                    ("7500000000", "18750000000", "0.0000120001"),
                    ("18750000000", "Inf", "0.0000106667"),
                ],
            ),
            lambda_doc(
                "LPC2",
                region,
                &u("Lambda-Provisioned-GB-Second-ARM"),
                "Lambda-GB-Second",
                &[("0", "Inf", "0.0000077778")],
            ),
        ],
    ]
}

/// An AmazonEKS GetProducts document in the real shape (unit `Hours`, one untiered rate).
pub fn eks_doc(sku: &str, region: &str, usage_type: &str, usd: &str) -> String {
    doc(sku, region, usage_type, usd, "")
        .replace("AmazonECS", "AmazonEKS")
        .replace(r#""unit":"hours""#, r#""unit":"Hours""#)
}

/// A region's EKS rows with decoys (provisioned control plane, hybrid nodes, Auto Mode), over two
/// pages; `prefix` is the usage-type prefix without its dash. Pods cost `pod_vcpu` per vCPU-hour.
pub fn eks_pages(region: &str, prefix: &str, pod_vcpu: &str) -> Vec<Vec<String>> {
    let u = |s: &str| format!("{prefix}-{s}");
    vec![
        vec![
            eks_doc(
                "K1",
                region,
                &u("AmazonEKS-Hours:perCluster"),
                "0.1000000000",
            ),
            eks_doc(
                "KD1",
                region,
                &u("AmazonEKS-Hours:XL-ProvisionedTier"),
                "1.6500000000",
            ),
            eks_doc("K3", region, &u("Fargate-vCPU-Hours:perCPU"), pod_vcpu),
        ],
        vec![
            eks_doc(
                "KD2",
                region,
                &u("AmazonEKSHybridNodes-Hours:pervCPU"),
                "0.0200000000",
            ),
            eks_doc("K4", region, &u("Fargate-GB-Hours"), "0.0044450000"),
            eks_doc(
                "K2",
                region,
                &u("AmazonEKS-Hours:extendedSupport"),
                "0.5000000000",
            ),
            eks_doc(
                "KD3",
                region,
                &u("SpotUsage-Fargate-GB-Hours"),
                "0.0014000000",
            ),
        ],
    ]
}

/// An AmazonEC2 GetProducts document in the real shape: `attrs` override the attributes of an
/// on-demand Linux, shared-tenancy `BoxUsage` row of `instance_type` in `region`.
pub fn ec2_doc(
    sku: &str,
    region: &str,
    instance_type: &str,
    usage_type: &str,
    attrs: &[(&str, &str)],
    usd: &str,
) -> String {
    let mut a = serde_json::json!({
        "regionCode": region, "instanceType": instance_type, "tenancy": "Shared",
        "operatingSystem": "Linux", "preInstalledSw": "NA", "capacitystatus": "Used",
        "licenseModel": "No License required", "operation": "RunInstances",
        "usagetype": usage_type, "servicecode": "AmazonEC2", "locationType": "AWS Region"
    });
    for (k, v) in attrs {
        a[*k] = serde_json::Value::String((*v).to_string());
    }
    serde_json::json!({
        "product": {"productFamily": "Compute Instance", "sku": sku, "attributes": a},
        "serviceCode": "AmazonEC2",
        "terms": {"OnDemand": {format!("{sku}.JRTCKXETXF"): {
            "sku": sku, "offerTermCode": "JRTCKXETXF", "effectiveDate": "2026-11-01T00:00:00Z",
            "termAttributes": {},
            "priceDimensions": {format!("{sku}.JRTCKXETXF.6YS6EN2CT7"): {
                "rateCode": format!("{sku}.JRTCKXETXF.6YS6EN2CT7"), "unit": "Hrs",
                "beginRange": "0", "endRange": "Inf", "appliesTo": [],
                "description": format!("${usd} per On Demand Linux {instance_type} Instance Hour"),
                "pricePerUnit": {"USD": usd}}}}}},
        "version": "20261125000000", "publicationDate": "2026-11-25T00:00:00Z"
    })
    .to_string()
}

/// us-east-1 EC2 rows over two pages: m6g.large at `m6g_large` and c7g.large at $0.0725 on
/// demand, among decoys a server ignoring the filters would return (Dedicated, Windows, RHEL,
/// SQL Server, capacity reservations, another region, an unknown type).
pub fn ec2_pages_us_east_1(m6g_large: &str) -> Vec<Vec<String>> {
    let r = "us-east-1";
    vec![
        vec![
            ec2_doc("E1", r, "m6g.large", "BoxUsage:m6g.large", &[], m6g_large),
            ec2_doc(
                "D1",
                r,
                "m6g.large",
                "DedicatedUsage:m6g.large",
                &[("tenancy", "Dedicated")],
                "0.0100000000",
            ),
            ec2_doc(
                "D2",
                r,
                "m6g.large",
                "BoxUsage:m6g.large",
                &[
                    ("operatingSystem", "Windows"),
                    ("operation", "RunInstances:0002"),
                    ("licenseModel", "License included"),
                ],
                "0.0110000000",
            ),
            ec2_doc(
                "D3",
                r,
                "m6g.large",
                "BoxUsage:m6g.large",
                &[
                    ("operatingSystem", "RHEL"),
                    ("operation", "RunInstances:0010"),
                ],
                "0.0120000000",
            ),
        ],
        vec![
            ec2_doc(
                "D4",
                r,
                "m6g.large",
                "BoxUsage:m6g.large",
                &[
                    ("preInstalledSw", "SQL Std"),
                    ("operation", "RunInstances:0006"),
                ],
                "0.0130000000",
            ),
            ec2_doc(
                "D5",
                r,
                "m6g.large",
                "Reservation:m6g.large",
                &[("capacitystatus", "AllocatedCapacityReservation")],
                "0.0140000000",
            ),
            ec2_doc(
                "D6",
                r,
                "m6g.large",
                "UnusedBox:m6g.large",
                &[("capacitystatus", "UnusedCapacityReservation")],
                "0.0150000000",
            ),
            ec2_doc(
                "D7",
                "eu-west-1",
                "m6g.large",
                "EU-BoxUsage:m6g.large",
                &[],
                "0.0160000000",
            ),
            ec2_doc("D8", r, "x9.huge", "BoxUsage:x9.huge", &[], "0.0170000000"),
            ec2_doc(
                "E2",
                r,
                "c7g.large",
                "BoxUsage:c7g.large",
                &[],
                "0.0725000000",
            ),
        ],
    ]
}
