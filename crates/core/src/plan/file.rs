//! The plan file: one plan version as JSON, with sources and product lines by name so that
//! it moves between workbooks. The format is described in `docs/plan-format.md`.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::{Launch, MAX_NAME, SourceAssumptions, SourceKind};
use crate::money::Money;
use crate::period::Months;
use crate::plan::input::{
    MAX_LAUNCH_MONTHS, MAX_PRELAUNCH_MONTHS, MixEntry, PlanInput, PlanProductLine, PlanSource,
    SourceBudget, SourceShare,
};
use crate::validate::{Rule, ValidationErrors, Validator};

/// The format version this Leadplan writes and reads.
pub const PLAN_FILE_FORMAT_VERSION: u32 = 1;
/// The years a plan file may be for.
const YEARS: (i64, i64) = (1900, 2999);

/// One plan version as a file. Money is in currency units (at most 2 decimals), rates are
/// fractions, months are plan month indices 0..12.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFile {
    pub format_version: u32,
    pub year: i32,
    pub version_name: String,
    pub sources: Vec<PlanFileSource>,
    pub product_lines: Vec<PlanFileProductLine>,
    pub seasonality: Months<f64>,
    #[serde(default)]
    pub launches: Vec<PlanFileLaunch>,
    pub mix: Vec<PlanFileMix>,
    #[serde(default)]
    pub budgets: Vec<PlanFileBudget>,
    #[serde(default)]
    pub annual_budget_cap: Option<f64>,
}

/// A source and the plan's assumptions for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFileSource {
    pub name: String,
    pub kind: SourceKind,
    pub cost_per_lead: f64,
    #[serde(default)]
    pub fixed_monthly_cost: f64,
    pub contact_rate: f64,
    pub appointment_rate: f64,
    pub close_rate: f64,
    #[serde(default)]
    pub direct_conversion: Option<f64>,
}

/// A product line's targets and stock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFileProductLine {
    pub name: String,
    pub annual_target: f64,
    #[serde(default)]
    pub monthly_targets: Months<Option<f64>>,
    #[serde(default)]
    pub stock: Months<Option<f64>>,
}

/// A launch of a product line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFileLaunch {
    pub product_line: String,
    pub month: u32,
    pub uplift: f64,
    pub duration_months: u32,
    #[serde(default)]
    pub prelaunch_months: u32,
    #[serde(default)]
    pub extra_budget: f64,
}

/// The channel mix of one month, general or for one product line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFileMix {
    pub month: u32,
    #[serde(default)]
    pub product_line: Option<String>,
    /// Share per source name.
    pub shares: BTreeMap<String, f64>,
}

/// One source's budget per month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFileBudget {
    pub source: String,
    pub months: Months<f64>,
}

/// One problem in a plan file: where (a JSON path such as `$.sources[2].cost_per_lead`, or
/// the line and column of a syntax error) and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct PlanFileError {
    pub path: String,
    pub reason: String,
    /// 1-based; only for syntax errors.
    pub line: Option<u32>,
    /// 1-based; only for syntax errors.
    pub column: Option<u32>,
}

impl fmt::Display for PlanFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "line {line}, column {column}: {}", self.reason)
            }
            _ => write!(f, "{}: {}", self.path, self.reason),
        }
    }
}

impl std::error::Error for PlanFileError {}

impl PlanFile {
    /// The plan input this file describes. Sources, product lines and launches get the ids
    /// 1, 2, 3 … in file order; a name that matches nothing gets the id 0, which validation
    /// refuses. Money is rounded to the cent (a parsed file has no smaller amounts); an
    /// amount that is not a number becomes -0.01, which validation refuses.
    #[must_use]
    pub fn to_input(&self) -> PlanInput {
        let source_ids: HashMap<&str, i64> = self
            .sources
            .iter()
            .enumerate()
            .rev() // the first of two equal names wins
            .map(|(i, s)| (s.name.as_str(), id_of(i)))
            .collect();
        let line_ids: HashMap<&str, i64> = self
            .product_lines
            .iter()
            .enumerate()
            .rev()
            .map(|(i, p)| (p.name.as_str(), id_of(i)))
            .collect();
        let source_id = |name: &str| source_ids.get(name).copied().unwrap_or(0);
        let line_id = |name: &str| line_ids.get(name).copied().unwrap_or(0);
        PlanInput {
            sources: self
                .sources
                .iter()
                .enumerate()
                .map(|(i, s)| PlanSource {
                    id: id_of(i),
                    name: s.name.clone(),
                    kind: s.kind,
                    assumptions: SourceAssumptions {
                        cost_per_lead: money(s.cost_per_lead),
                        fixed_monthly_cost: money(s.fixed_monthly_cost),
                        contact_rate: s.contact_rate,
                        appointment_rate: s.appointment_rate,
                        close_rate: s.close_rate,
                        direct_conversion: s.direct_conversion,
                    },
                })
                .collect(),
            product_lines: self
                .product_lines
                .iter()
                .enumerate()
                .map(|(i, p)| PlanProductLine {
                    id: id_of(i),
                    name: p.name.clone(),
                    annual_target: p.annual_target,
                    monthly_targets: p.monthly_targets,
                    stock: p.stock,
                })
                .collect(),
            seasonality: self.seasonality,
            launches: self
                .launches
                .iter()
                .enumerate()
                .map(|(i, l)| Launch {
                    id: id_of(i),
                    product_line_id: line_id(&l.product_line),
                    month: l.month,
                    uplift: l.uplift,
                    duration_months: l.duration_months,
                    prelaunch_months: l.prelaunch_months,
                    extra_budget: money(l.extra_budget),
                })
                .collect(),
            mix: self
                .mix
                .iter()
                .map(|e| MixEntry {
                    month: e.month,
                    product_line_id: e.product_line.as_deref().map(line_id),
                    shares: e
                        .shares
                        .iter()
                        .map(|(name, &share)| SourceShare {
                            source_id: source_id(name),
                            share,
                        })
                        .collect(),
                })
                .collect(),
            budgets: self
                .budgets
                .iter()
                .map(|b| SourceBudget {
                    source_id: source_id(&b.source),
                    months: b.months.map(money),
                })
                .collect(),
            annual_budget_cap: self.annual_budget_cap.map(money),
        }
    }

    /// The file for a plan input, naming sources and product lines instead of their ids.
    ///
    /// # Errors
    /// The input's validation errors: a file is only written for a valid plan.
    pub fn from_input(
        input: &PlanInput,
        year: i32,
        version_name: &str,
    ) -> Result<PlanFile, ValidationErrors> {
        input.validate()?;
        let source_names: HashMap<i64, &str> = input
            .sources
            .iter()
            .map(|s| (s.id, s.name.as_str()))
            .collect();
        let line_names: HashMap<i64, &str> = input
            .product_lines
            .iter()
            .map(|p| (p.id, p.name.as_str()))
            .collect();
        // validation proved every id resolves
        let source_name = |id: i64| {
            source_names
                .get(&id)
                .copied()
                .unwrap_or_default()
                .to_owned()
        };
        let line_name = |id: i64| line_names.get(&id).copied().unwrap_or_default().to_owned();
        Ok(PlanFile {
            format_version: PLAN_FILE_FORMAT_VERSION,
            year,
            version_name: version_name.to_owned(),
            sources: input
                .sources
                .iter()
                .map(|s| PlanFileSource {
                    name: s.name.clone(),
                    kind: s.kind,
                    cost_per_lead: s.assumptions.cost_per_lead.as_units(),
                    fixed_monthly_cost: s.assumptions.fixed_monthly_cost.as_units(),
                    contact_rate: s.assumptions.contact_rate,
                    appointment_rate: s.assumptions.appointment_rate,
                    close_rate: s.assumptions.close_rate,
                    direct_conversion: s.assumptions.direct_conversion,
                })
                .collect(),
            product_lines: input
                .product_lines
                .iter()
                .map(|p| PlanFileProductLine {
                    name: p.name.clone(),
                    annual_target: p.annual_target,
                    monthly_targets: p.monthly_targets,
                    stock: p.stock,
                })
                .collect(),
            seasonality: input.seasonality,
            launches: input
                .launches
                .iter()
                .map(|l| PlanFileLaunch {
                    product_line: line_name(l.product_line_id),
                    month: l.month,
                    uplift: l.uplift,
                    duration_months: l.duration_months,
                    prelaunch_months: l.prelaunch_months,
                    extra_budget: l.extra_budget.as_units(),
                })
                .collect(),
            mix: input
                .mix
                .iter()
                .map(|e| PlanFileMix {
                    month: e.month,
                    product_line: e.product_line_id.map(line_name),
                    shares: e
                        .shares
                        .iter()
                        .map(|s| (source_name(s.source_id), s.share))
                        .collect(),
                })
                .collect(),
            budgets: input
                .budgets
                .iter()
                .map(|b| PlanFileBudget {
                    source: source_name(b.source_id),
                    months: b.months.map(Money::as_units),
                })
                .collect(),
            annual_budget_cap: input.annual_budget_cap.map(Money::as_units),
        })
    }

    /// The file as pretty-printed JSON.
    ///
    /// # Errors
    /// Only if serialisation itself fails, which plain data like this does not.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }
}

fn id_of(position: usize) -> i64 {
    i64::try_from(position).map_or(0, |i| i.saturating_add(1))
}

fn money(units: f64) -> Money {
    Money::from_units_f64(units).unwrap_or(Money::from_cents(-1))
}

/// Reads and checks a plan file.
///
/// # Errors
/// Every problem in the file, each with its JSON path and a reason: syntax errors (with
/// line and column), wrong types, missing or unknown fields, names that match nothing,
/// and every rule a plan input must satisfy.
pub fn parse_plan_file(json: &str) -> Result<PlanFile, Vec<PlanFileError>> {
    let root: Node = match serde_json::from_str(json) {
        Ok(root) => root,
        Err(e) => return Err(vec![syntax_error(&e)]),
    };
    let mut walker = Walker::default();
    let (file, positions) = walker.plan_file(&root);
    let mut errors: Vec<PlanFileError> = walker
        .v
        .finish()
        .err()
        .map(|e| e.0)
        .unwrap_or_default()
        .into_iter()
        .map(|e| file_error(e.field.clone(), &e))
        .collect();
    if let Some(positions) = positions
        && let Err(e) = file.to_input().validate()
    {
        let structural: Vec<String> = errors.iter().map(|e| e.path.clone()).collect();
        for field_error in e.0 {
            let path = json_path(&field_error.field, &file, &positions);
            // a value already refused for its type or name would only be reported again
            if !structural.iter().any(|p| related(p, &path)) {
                errors.push(file_error(path, &field_error));
            }
        }
    }
    if errors.is_empty() {
        Ok(file)
    } else {
        Err(errors)
    }
}

fn syntax_error(e: &serde_json::Error) -> PlanFileError {
    let full = e.to_string();
    let position = format!(" at line {} column {}", e.line(), e.column());
    PlanFileError {
        path: "$".into(),
        reason: full.strip_suffix(&position).unwrap_or(&full).to_owned(),
        line: u32::try_from(e.line()).ok(),
        column: u32::try_from(e.column()).ok(),
    }
}

fn file_error(path: String, e: &crate::validate::FieldError) -> PlanFileError {
    let full = e.to_string();
    let reason = full
        .strip_prefix(&format!("{}: ", e.field))
        .unwrap_or(&full)
        .to_owned();
    PlanFileError {
        path,
        reason,
        line: None,
        column: None,
    }
}

/// `true` when one path is the other or lies inside it.
fn related(a: &str, b: &str) -> bool {
    let inside = |outer: &str, inner: &str| {
        inner
            .strip_prefix(outer)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
    };
    inside(a, b) || inside(b, a)
}

/// Where the entries of the file's lists sit in the JSON: an entry the walker had to drop
/// shifts the ones after it.
#[derive(Debug, Default)]
struct Positions {
    sources: Vec<usize>,
    product_lines: Vec<usize>,
    launches: Vec<usize>,
    mix: Vec<usize>,
    budgets: Vec<usize>,
}

/// The JSON path of a field of the plan input made from `file`: `launches[1].month` →
/// `$.launches[1].month`, `budgets[0].source_id` → `$.budgets[0].source`,
/// `mix[3].shares[1].share` → `$.mix[3].shares.Website`.
fn json_path(input_path: &str, file: &PlanFile, at: &Positions) -> String {
    let renamed = input_path
        .replace(".product_line_id", ".product_line")
        .replace(".source_id", ".source");
    let entry = renamed.split_once('[').and_then(|(list, after)| {
        let (k, rest) = after.split_once(']')?;
        Some((list, k.parse::<usize>().ok()?, rest))
    });
    let Some((list, k, rest)) = entry else {
        return format!("$.{renamed}");
    };
    let positions = match list {
        "sources" => &at.sources,
        "product_lines" => &at.product_lines,
        "launches" => &at.launches,
        "mix" => &at.mix,
        "budgets" => &at.budgets,
        _ => return format!("$.{renamed}"),
    };
    let Some(&j) = positions.get(k) else {
        return format!("$.{renamed}");
    };
    if list == "mix"
        && let Some(name) = share_name(rest, file.mix.get(k))
    {
        return member(&format!("$.mix[{j}].shares"), name);
    }
    format!("$.{list}[{j}]{rest}")
}

/// The source named by `.shares[j]…` within a mix entry.
fn share_name<'a>(rest: &str, entry: Option<&'a PlanFileMix>) -> Option<&'a str> {
    let (j, _) = rest.strip_prefix(".shares[")?.split_once(']')?;
    let name = entry?.shares.keys().nth(j.parse().ok()?)?;
    Some(name.as_str())
}

/// `parent.key`, or `parent["key"]` when the key is not a plain identifier.
fn member(parent: &str, key: &str) -> String {
    let plain = key
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if plain {
        format!("{parent}.{key}")
    } else {
        let quoted = serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""));
        format!("{parent}[{quoted}]")
    }
}

/// A JSON value that keeps every member of an object, in file order, duplicates included.
#[derive(Debug)]
enum Node {
    Null,
    Bool,
    Number(f64),
    Text(String),
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

impl Node {
    fn describe(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool => "true or false",
            Node::Number(_) => "a number",
            Node::Text(_) => "text",
            Node::List(_) => "a list",
            Node::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Bool)
    }

    #[allow(clippy::cast_precision_loss)] // beyond 2^53 no plan figure is meaningful anyway
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v as f64))
    }

    #[allow(clippy::cast_precision_loss)]
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v as f64))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Number(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Text(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Text(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Node, D::Error> {
        Node::deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members = Vec::new();
        while let Some(member) = map.next_entry()? {
            members.push(member);
        }
        Ok(Node::Object(members))
    }
}

type Members = [(String, Node)];

/// Walks the JSON tree, reporting type, shape and name errors by JSON path and building the
/// best file it can (a refused value is replaced by a neutral one) so that the plan rules
/// can still be checked everywhere else.
#[derive(Default)]
struct Walker {
    v: Validator,
}

const ROOT_FIELDS: &[&str] = &[
    "format_version",
    "year",
    "version_name",
    "sources",
    "product_lines",
    "seasonality",
    "launches",
    "mix",
    "budgets",
    "annual_budget_cap",
];
const SOURCE_FIELDS: &[&str] = &[
    "name",
    "kind",
    "cost_per_lead",
    "fixed_monthly_cost",
    "contact_rate",
    "appointment_rate",
    "close_rate",
    "direct_conversion",
];
const PRODUCT_LINE_FIELDS: &[&str] = &["name", "annual_target", "monthly_targets", "stock"];
const LAUNCH_FIELDS: &[&str] = &[
    "product_line",
    "month",
    "uplift",
    "duration_months",
    "prelaunch_months",
    "extra_budget",
];
const MIX_FIELDS: &[&str] = &["month", "product_line", "shares"];
const BUDGET_FIELDS: &[&str] = &["source", "months"];

fn other(message: String) -> Rule {
    Rule::Other { message }
}

/// A member's value; `null` counts as absent.
fn get<'a>(members: &'a Members, key: &str) -> Option<&'a Node> {
    members
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, node)| node)
        .filter(|node| !matches!(node, Node::Null))
}

/// The number of decimals in the shortest form of `x` (Rust prints no exponent).
fn decimals(x: f64) -> usize {
    let text = x.abs().to_string();
    text.split_once('.').map_or(0, |(_, d)| d.len())
}

impl Walker {
    fn wrong_type(&mut self, path: &str, expected: &str, found: &Node) {
        self.v.fail(
            path,
            other(format!("expected {expected}, found {}", found.describe())),
        );
    }

    /// An object; reports members that appear twice.
    fn members<'a>(&mut self, node: &'a Node, path: &str) -> Option<&'a Members> {
        let Node::Object(members) = node else {
            self.wrong_type(path, "an object", node);
            return None;
        };
        for (i, (key, _)) in members.iter().enumerate() {
            if members.iter().take(i).any(|(k, _)| k == key) {
                self.v.fail(
                    member(path, key),
                    other("the field appears more than once".into()),
                );
            }
        }
        Some(members)
    }

    /// An object with the fields `known`; reports any other.
    fn object<'a>(&mut self, node: &'a Node, path: &str, known: &[&str]) -> Option<&'a Members> {
        let members = self.members(node, path)?;
        for (key, _) in members {
            if !known.contains(&key.as_str()) {
                self.v.fail(
                    member(path, key),
                    other(format!(
                        "unknown field; expected one of {}",
                        known.join(", ")
                    )),
                );
            }
        }
        Some(members)
    }

    fn required<'a>(&mut self, members: &'a Members, path: &str, key: &str) -> Option<&'a Node> {
        let node = get(members, key);
        if node.is_none() {
            self.v.fail(member(path, key), Rule::Required);
        }
        node
    }

    fn list<'a>(&mut self, node: &'a Node, path: &str) -> Option<&'a [Node]> {
        if let Node::List(items) = node {
            Some(items)
        } else {
            self.wrong_type(path, "a list", node);
            None
        }
    }

    fn number(&mut self, node: &Node, path: &str) -> Option<f64> {
        if let Node::Number(x) = node {
            Some(*x)
        } else {
            self.wrong_type(path, "a number", node);
            None
        }
    }

    fn text(&mut self, node: &Node, path: &str) -> Option<String> {
        if let Node::Text(t) = node {
            Some(t.clone())
        } else {
            self.wrong_type(path, "text", node);
            None
        }
    }

    /// A whole number in `min..=max`.
    fn whole(&mut self, node: &Node, path: &str, min: i64, max: i64) -> Option<i64> {
        let x = self.number(node, path)?;
        if x.fract() != 0.0 {
            self.v.fail(path, other("expected a whole number".into()));
            return None;
        }
        #[allow(clippy::cast_precision_loss)] // the bounds are small
        let (lo, hi) = (min as f64, max as f64);
        if x < lo || x > hi {
            self.v.fail(path, Rule::Range { min: lo, max: hi });
            return None;
        }
        #[allow(clippy::cast_possible_truncation)] // whole and within min..=max
        Some(x as i64)
    }

    fn whole_u32(&mut self, node: &Node, path: &str, max: u32) -> Option<u32> {
        self.whole(node, path, 0, i64::from(max))
            .and_then(|x| u32::try_from(x).ok())
    }

    /// An amount in currency units with at most two decimals. Its range is a plan rule,
    /// checked later, unless it is too large to hold in cents at all.
    fn money(&mut self, node: &Node, path: &str) -> Option<f64> {
        let x = self.number(node, path)?;
        if decimals(x) > 2 {
            self.v.fail(
                path,
                other("money has at most 2 decimals (whole cents)".into()),
            );
            return None;
        }
        if Money::from_units_f64(x).is_none() {
            self.v.fail(
                path,
                Rule::Range {
                    min: 0.0,
                    max: 1.0e9,
                },
            );
            return None;
        }
        Some(x)
    }

    /// Twelve values, one per month; `None` for a list of another length.
    fn months<'a>(&mut self, node: &'a Node, path: &str) -> Option<&'a [Node]> {
        let items = self.list(node, path)?;
        if items.len() == 12 {
            Some(items)
        } else {
            self.v.fail(
                path,
                other(format!(
                    "expected 12 values, one per month, found {}",
                    items.len()
                )),
            );
            None
        }
    }

    fn month_numbers(&mut self, node: Option<&Node>, path: &str, default: f64) -> Months<f64> {
        let mut values = [default; 12];
        if let Some(items) = node.and_then(|n| self.months(n, path)) {
            for (m, (item, value)) in items.iter().zip(&mut values).enumerate() {
                if let Some(x) = self.number(item, &format!("{path}[{m}]")) {
                    *value = x;
                }
            }
        }
        values
    }

    fn month_money(&mut self, node: Option<&Node>, path: &str) -> Months<f64> {
        let mut values = [0.0; 12];
        if let Some(items) = node.and_then(|n| self.months(n, path)) {
            for (m, (item, value)) in items.iter().zip(&mut values).enumerate() {
                if let Some(x) = self.money(item, &format!("{path}[{m}]")) {
                    *value = x;
                }
            }
        }
        values
    }

    /// Twelve numbers or nulls; absent means all null.
    fn month_options(&mut self, node: Option<&Node>, path: &str) -> Months<Option<f64>> {
        let mut values = [None; 12];
        if let Some(items) = node.and_then(|n| self.months(n, path)) {
            for (m, (item, value)) in items.iter().zip(&mut values).enumerate() {
                if !matches!(item, Node::Null) {
                    *value = self.number(item, &format!("{path}[{m}]"));
                }
            }
        }
        values
    }

    /// A name that must match one of `names`.
    fn reference(
        &mut self,
        node: &Node,
        path: &str,
        names: &[Option<String>],
        what: &str,
    ) -> String {
        let Some(name) = self.text(node, path) else {
            return String::new();
        };
        if !names.iter().flatten().any(|n| *n == name) {
            self.v.fail(
                path,
                other(format!("no {what} named '{name}' in this file")),
            );
        }
        name
    }

    /// The file, and where its list entries sit in the JSON when its skeleton (root,
    /// sources, product lines) was sound enough for the plan rules to be checked.
    fn plan_file(&mut self, root: &Node) -> (PlanFile, Option<Positions>) {
        let mut file = PlanFile {
            format_version: PLAN_FILE_FORMAT_VERSION,
            year: 0,
            version_name: String::new(),
            sources: Vec::new(),
            product_lines: Vec::new(),
            seasonality: [1.0; 12],
            launches: Vec::new(),
            mix: Vec::new(),
            budgets: Vec::new(),
            annual_budget_cap: None,
        };
        let mut at = Positions::default();
        let Some(members) = self.object(root, "$", ROOT_FIELDS) else {
            return (file, None);
        };
        if let Some(node) = self.required(members, "$", "format_version") {
            let path = "$.format_version";
            if let Some(version) = self.whole(node, path, 0, i64::from(u32::MAX)) {
                if version == i64::from(PLAN_FILE_FORMAT_VERSION) {
                    file.format_version = PLAN_FILE_FORMAT_VERSION;
                } else {
                    self.v.fail(
                        path,
                        other(format!(
                            "format version {version} is not supported; this Leadplan \
                             reads version {PLAN_FILE_FORMAT_VERSION}"
                        )),
                    );
                }
            }
        }
        if let Some(node) = self.required(members, "$", "year") {
            file.year = self
                .whole(node, "$.year", YEARS.0, YEARS.1)
                .and_then(|y| i32::try_from(y).ok())
                .unwrap_or(0);
        }
        if let Some(node) = self.required(members, "$", "version_name")
            && let Some(name) = self.text(node, "$.version_name")
        {
            self.v.text("$.version_name", &name, MAX_NAME);
            file.version_name = name;
        }

        let sources = self
            .required(members, "$", "sources")
            .and_then(|n| self.list(n, "$.sources"));
        let mut source_names = Vec::new();
        for (i, node) in sources.unwrap_or_default().iter().enumerate() {
            let source = self.source(node, &format!("$.sources[{i}]"));
            source_names.push(source.as_ref().map(|s| s.name.clone()));
            if let Some(source) = source {
                file.sources.push(source);
                at.sources.push(i);
            }
        }
        let lines = self
            .required(members, "$", "product_lines")
            .and_then(|n| self.list(n, "$.product_lines"));
        let mut line_names = Vec::new();
        for (i, node) in lines.unwrap_or_default().iter().enumerate() {
            let line = self.product_line(node, &format!("$.product_lines[{i}]"));
            line_names.push(line.as_ref().map(|p| p.name.clone()));
            if let Some(line) = line {
                file.product_lines.push(line);
                at.product_lines.push(i);
            }
        }
        let complete = sources.is_some() && lines.is_some();

        file.seasonality = self.month_numbers(get(members, "seasonality"), "$.seasonality", 1.0);
        if get(members, "seasonality").is_none() {
            self.v.fail("$.seasonality", Rule::Required);
        }
        if let Some(items) = get(members, "launches").and_then(|n| self.list(n, "$.launches")) {
            for (i, node) in items.iter().enumerate() {
                if let Some(launch) = self.launch(node, &format!("$.launches[{i}]"), &line_names) {
                    file.launches.push(launch);
                    at.launches.push(i);
                }
            }
        }
        let mix = self
            .required(members, "$", "mix")
            .and_then(|n| self.list(n, "$.mix"));
        for (i, node) in mix.unwrap_or_default().iter().enumerate() {
            let entry = self.mix_entry(node, &format!("$.mix[{i}]"), &source_names, &line_names);
            if let Some(entry) = entry {
                file.mix.push(entry);
                at.mix.push(i);
            }
        }
        if let Some(items) = get(members, "budgets").and_then(|n| self.list(n, "$.budgets")) {
            for (i, node) in items.iter().enumerate() {
                if let Some(budget) = self.budget(node, &format!("$.budgets[{i}]"), &source_names) {
                    file.budgets.push(budget);
                    at.budgets.push(i);
                }
            }
        }
        file.annual_budget_cap =
            get(members, "annual_budget_cap").and_then(|n| self.money(n, "$.annual_budget_cap"));
        (file, complete.then_some(at))
    }

    fn source(&mut self, node: &Node, path: &str) -> Option<PlanFileSource> {
        let members = self.object(node, path, SOURCE_FIELDS)?;
        let name = self
            .required(members, path, "name")
            .and_then(|n| self.text(n, &member(path, "name")));
        let kind = self.required(members, path, "kind").and_then(|n| {
            let kind_path = member(path, "kind");
            let code = self.text(n, &kind_path)?;
            let kind = SourceKind::parse(&code);
            if kind.is_none() {
                self.v.fail(
                    kind_path,
                    Rule::OneOf {
                        allowed: SourceKind::ALL.iter().map(|k| k.code().into()).collect(),
                    },
                );
            }
            kind
        });
        let cost_per_lead = self
            .required(members, path, "cost_per_lead")
            .and_then(|n| self.money(n, &member(path, "cost_per_lead")));
        let fixed_monthly_cost = get(members, "fixed_monthly_cost")
            .and_then(|n| self.money(n, &member(path, "fixed_monthly_cost")));
        // a refused rate becomes 1.0 so that it cannot also look like a zero conversion
        let rate = |walker: &mut Self, key: &str| {
            walker
                .required(members, path, key)
                .and_then(|n| walker.number(n, &member(path, key)))
                .unwrap_or(1.0)
        };
        let contact_rate = rate(self, "contact_rate");
        let appointment_rate = rate(self, "appointment_rate");
        let close_rate = rate(self, "close_rate");
        let direct_conversion = get(members, "direct_conversion").map(|n| {
            self.number(n, &member(path, "direct_conversion"))
                .unwrap_or(1.0)
        });
        Some(PlanFileSource {
            name: name?,
            kind: kind.unwrap_or(SourceKind::Owned),
            cost_per_lead: cost_per_lead.unwrap_or(0.0),
            fixed_monthly_cost: fixed_monthly_cost.unwrap_or(0.0),
            contact_rate,
            appointment_rate,
            close_rate,
            direct_conversion,
        })
    }

    fn product_line(&mut self, node: &Node, path: &str) -> Option<PlanFileProductLine> {
        let members = self.object(node, path, PRODUCT_LINE_FIELDS)?;
        let name = self
            .required(members, path, "name")
            .and_then(|n| self.text(n, &member(path, "name")));
        let annual_target = self
            .required(members, path, "annual_target")
            .and_then(|n| self.number(n, &member(path, "annual_target")));
        let monthly_targets = self.month_options(
            get(members, "monthly_targets"),
            &member(path, "monthly_targets"),
        );
        let stock = self.month_options(get(members, "stock"), &member(path, "stock"));
        Some(PlanFileProductLine {
            name: name?,
            annual_target: annual_target.unwrap_or(0.0),
            monthly_targets,
            stock,
        })
    }

    fn launch(
        &mut self,
        node: &Node,
        path: &str,
        line_names: &[Option<String>],
    ) -> Option<PlanFileLaunch> {
        let members = self.object(node, path, LAUNCH_FIELDS)?;
        let product_line = self
            .required(members, path, "product_line")
            .map(|n| self.reference(n, &member(path, "product_line"), line_names, "product line"));
        let month = self
            .required(members, path, "month")
            .and_then(|n| self.whole_u32(n, &member(path, "month"), 11));
        let uplift = self
            .required(members, path, "uplift")
            .and_then(|n| self.number(n, &member(path, "uplift")));
        let duration_months = self
            .required(members, path, "duration_months")
            .and_then(|n| self.whole_u32(n, &member(path, "duration_months"), MAX_LAUNCH_MONTHS));
        let prelaunch_months = get(members, "prelaunch_months").and_then(|n| {
            self.whole_u32(n, &member(path, "prelaunch_months"), MAX_PRELAUNCH_MONTHS)
        });
        let extra_budget =
            get(members, "extra_budget").and_then(|n| self.money(n, &member(path, "extra_budget")));
        Some(PlanFileLaunch {
            product_line: product_line.unwrap_or_default(),
            month: month.unwrap_or(0),
            uplift: uplift.unwrap_or(0.0),
            duration_months: duration_months.unwrap_or(0),
            prelaunch_months: prelaunch_months.unwrap_or(0),
            extra_budget: extra_budget.unwrap_or(0.0),
        })
    }

    fn mix_entry(
        &mut self,
        node: &Node,
        path: &str,
        source_names: &[Option<String>],
        line_names: &[Option<String>],
    ) -> Option<PlanFileMix> {
        let members = self.object(node, path, MIX_FIELDS)?;
        let month = self
            .required(members, path, "month")
            .and_then(|n| self.whole_u32(n, &member(path, "month"), 11));
        let product_line = get(members, "product_line")
            .map(|n| self.reference(n, &member(path, "product_line"), line_names, "product line"));
        let shares_path = member(path, "shares");
        let mut shares = BTreeMap::new();
        let share_members = self
            .required(members, path, "shares")
            .and_then(|n| self.members(n, &shares_path));
        if let Some(share_members) = share_members {
            for (name, value) in share_members {
                let share_path = member(&shares_path, name);
                if !source_names.iter().flatten().any(|n| n == name) {
                    self.v.fail(
                        &share_path,
                        other(format!("no source named '{name}' in this file")),
                    );
                }
                let share = self.number(value, &share_path).unwrap_or(0.0);
                shares.entry(name.clone()).or_insert(share);
            }
        }
        Some(PlanFileMix {
            month: month?,
            product_line,
            shares,
        })
    }

    fn budget(
        &mut self,
        node: &Node,
        path: &str,
        source_names: &[Option<String>],
    ) -> Option<PlanFileBudget> {
        let members = self.object(node, path, BUDGET_FIELDS)?;
        let source = self
            .required(members, path, "source")
            .map(|n| self.reference(n, &member(path, "source"), source_names, "source"));
        let months_node = self.required(members, path, "months");
        let months = self.month_money(months_node, &member(path, "months"));
        Some(PlanFileBudget {
            source: source.unwrap_or_default(),
            months,
        })
    }
}
