#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]
//! Crash safety: the `leadplan` process is killed with SIGKILL at random moments while it
//! imports a CRM export, saves a plan version from a plan file, or writes a PDF report; after
//! every kill the workbook must pass `PRAGMA integrity_check`, the interrupted operation must
//! have happened completely or not at all, and every change committed before must still be
//! there.
//!
//! Each operation is first run uninterrupted (twice: a warm-up, then the run that is timed
//! and whose effect becomes the expectation); kill moments are drawn uniformly from zero to
//! that duration by a seeded generator.
//!
//! - `LEADPLAN_CRASH_KILLS`: processes to kill (default 12; `make crash-test` runs 210).
//! - `LEADPLAN_CRASH_SEED`: the seed (printed; default fixed, so a run can be replayed).
//! - `LEADPLAN_CRASH_LEADS`: leads in the imported file (default 50,000, 5,000 in a debug
//!   build).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use chrono::Utc;
use leadplan_workbook::{Workbook, lead_block};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::Connection;
use rusqlite::types::ValueRef;

const DEFAULT_KILLS: usize = 12;
const DEFAULT_SEED: u64 = 0x4C50_4C4E_2026;

fn env_number<T: std::str::FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok().and_then(|v| v.trim().parse().ok())
}

fn leadplan() -> Command {
    Command::new(assert_cmd::cargo::cargo_bin!("leadplan"))
}

/// Runs `leadplan` to completion; panics with its error output when it fails.
fn run_ok(args: &[&str]) -> String {
    let out = leadplan().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "leadplan {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

// ---- what the workbook holds ----------------------------------------------------------------

/// Every table's rows, each as a hash of its values, sorted: enough to tell whether rows
/// were added, changed or lost.
type Snapshot = BTreeMap<String, Vec<u64>>;

fn open(path: &Path) -> Connection {
    // read-write, as the next `leadplan` would open it: a WAL left by the kill is recovered
    Connection::open(path).unwrap()
}

fn snapshot(conn: &Connection) -> Snapshot {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|table| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{table}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            let mut hashes = Vec::new();
            while let Some(row) = rows.next().unwrap() {
                let mut h = DefaultHasher::new();
                for i in 0..n {
                    match row.get_ref(i).unwrap() {
                        ValueRef::Null => 0_u8.hash(&mut h),
                        ValueRef::Integer(x) => (1_u8, x).hash(&mut h),
                        ValueRef::Real(x) => (2_u8, x.to_bits()).hash(&mut h),
                        ValueRef::Text(t) => (3_u8, t).hash(&mut h),
                        ValueRef::Blob(b) => (4_u8, b).hash(&mut h),
                    }
                }
                hashes.push(h.finish());
            }
            hashes.sort_unstable();
            (table, hashes)
        })
        .collect()
}

/// Rows of `after` that `before` lacks, and rows of `before` that `after` lacks, per table.
fn differences(before: &Snapshot, after: &Snapshot) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    let empty = Vec::new();
    for table in before.keys().chain(after.keys()) {
        let (b, a) = (
            before.get(table).unwrap_or(&empty),
            after.get(table).unwrap_or(&empty),
        );
        let (mut i, mut j, mut added, mut lost) = (0, 0, 0, 0);
        while i < b.len() || j < a.len() {
            match (b.get(i), a.get(j)) {
                (Some(x), Some(y)) if x == y => {
                    i += 1;
                    j += 1;
                }
                (Some(x), Some(y)) if x < y => {
                    lost += 1;
                    i += 1;
                }
                (Some(_), None) => {
                    lost += 1;
                    i += 1;
                }
                _ => {
                    added += 1;
                    j += 1;
                }
            }
        }
        if added + lost > 0 {
            out.insert(table.clone(), (added, lost));
        }
    }
    out
}

fn integrity(conn: &Connection) -> Result<(), String> {
    let rows: Vec<String> = conn
        .prepare("PRAGMA integrity_check")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    if rows != ["ok"] {
        return Err(format!("integrity_check: {rows:?}"));
    }
    let orphans: i64 = conn
        .query_row("SELECT COUNT(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    if orphans > 0 {
        return Err(format!("foreign_key_check: {orphans} rows"));
    }
    // every block in effect reads back with the leads it claims; the monthly rollups count
    // the leads of every month and source exactly once
    let per_month = |sql: &str| -> BTreeMap<(i64, Option<i64>), i64> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };
    let mut leads: BTreeMap<(i64, Option<i64>), i64> = BTreeMap::new();
    let blocks: Vec<(i64, i64, Vec<u8>)> = conn
        .prepare("SELECT created_month, leads, data FROM lead_block WHERE replaced_by IS NULL")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for (month, claimed, data) in blocks {
        let block = lead_block::decode(&data).map_err(|e| format!("block of {month}: {e}"))?;
        if i64::try_from(block.len()).unwrap() != claimed {
            return Err(format!(
                "a block of {month} claims {claimed} leads, holds {}",
                block.len()
            ));
        }
        for lead in block {
            *leads.entry((month, lead.source_id)).or_insert(0) += 1;
        }
    }
    let rolled_up = per_month(
        "SELECT year * 100 + month, source_id, SUM(leads) FROM lead_rollup
         GROUP BY year, month, source_id",
    );
    if leads != rolled_up {
        let wrong: Vec<_> = leads
            .iter()
            .filter(|(k, n)| rolled_up.get(k) != Some(n))
            .map(|(k, n)| (k, n, rolled_up.get(k)))
            .take(5)
            .collect();
        return Err(format!(
            "the rollups disagree with the leads (month, source, leads, rolled up): {wrong:?}"
        ));
    }
    Ok(())
}

const LEAD_COUNT: &str = "SELECT COALESCE(SUM(leads), 0) FROM lead_block WHERE replaced_by IS NULL";

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A complete PDF: header, end marker, readable by a PDF parser with the expected pages.
fn complete_pdf(path: &Path, pages: usize) -> Result<(), String> {
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if !bytes.starts_with(b"%PDF-") {
        return Err(format!("{} bytes without a PDF header", bytes.len()));
    }
    if !bytes.trim_ascii_end().ends_with(b"%%EOF") {
        return Err(format!("{} bytes without %%EOF at the end", bytes.len()));
    }
    match leadplan_report::page_count(&bytes) {
        Ok(n) if n == pages => Ok(()),
        Ok(n) => Err(format!("{n} pages instead of {pages}")),
        Err(e) => Err(format!("unreadable: {e}")),
    }
}

// ---- the operations ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Operation {
    Import,
    PlanSave,
    Report,
}

const OPERATIONS: [Operation; 3] = [Operation::Import, Operation::PlanSave, Operation::Report];

impl Operation {
    /// Tables whose rows the operation replaces rather than only adds to: an import merges
    /// new leads into the stored rollups of their months. These are checked against the
    /// leads instead (see `integrity`).
    fn rewrites(self) -> &'static [&'static str] {
        match self {
            Operation::Import => &["lead_rollup"],
            Operation::PlanSave | Operation::Report => &[],
        }
    }
}

/// `differences` without the tables `op` rewrites.
fn changes(op: Operation, before: &Snapshot, after: &Snapshot) -> BTreeMap<String, (usize, usize)> {
    let mut diff = differences(before, after);
    diff.retain(|table, _| !op.rewrites().contains(&table.as_str()));
    diff
}

/// What one kind of operation did in its uninterrupted run.
struct Expected {
    /// Wall time of the uninterrupted run.
    duration: Duration,
    /// Rows it added per table (for the import: before it was undone).
    added: BTreeMap<String, usize>,
}

#[derive(Default, Debug)]
struct Tally {
    runs: usize,
    killed: usize,
    finished_first: usize,
    /// The operation had taken effect completely when the kill came (or it finished).
    complete: usize,
    /// The operation had left no trace.
    nothing: usize,
    failures: Vec<String>,
}

struct Harness {
    dir: tempfile::TempDir,
    workbook: PathBuf,
    csv: PathBuf,
    plan_file: PathBuf,
    report: PathBuf,
    year: i32,
    leads_in_file: i64,
    /// The state after the last verified operation: the running expectation.
    state: Snapshot,
    lead_count: i64,
    versions: Vec<String>,
    plan_json: serde_json::Value,
    report_pages: usize,
    expected: BTreeMap<Operation, Expected>,
}

impl Harness {
    fn new(leads: u64) -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let workbook = dir.path().join("crash.leadplan");
        let wb = workbook.to_str().unwrap().to_owned();
        run_ok(&["new", &wb, "--demo"]);
        let info: serde_json::Value =
            serde_json::from_str(&run_ok(&["info", &wb, "--json"])).unwrap();
        let year = info["overview"]["plan_versions"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["baseline"] == true)
            .filter_map(|v| v["year"].as_i64())
            .max()
            .unwrap();
        let year = i32::try_from(year).unwrap();
        let csv = dir.path().join("crm-export.csv");
        let plan_file = dir.path().join("plan.json");
        run_ok(&[
            "demo-export",
            csv.to_str().unwrap(),
            "--leads",
            &leads.to_string(),
            "--year",
            &(year - 1).to_string(),
        ]);
        run_ok(&[
            "plan",
            "export",
            &wb,
            "--year",
            &year.to_string(),
            "--out",
            plan_file.to_str().unwrap(),
        ]);
        let conn = open(&workbook);
        integrity(&conn).unwrap();
        let lead_count = count(&conn, LEAD_COUNT);
        let state = snapshot(&conn);
        drop(conn);
        Harness {
            report: dir.path().join("report.pdf"),
            dir,
            workbook,
            csv,
            plan_file,
            year,
            leads_in_file: i64::try_from(leads).unwrap(),
            state,
            lead_count,
            versions: Vec::new(),
            plan_json: serde_json::Value::Null,
            report_pages: 0,
            expected: BTreeMap::new(),
        }
    }

    fn args(&self, op: Operation, version: &str) -> Vec<String> {
        let wb = self.workbook.display().to_string();
        match op {
            Operation::Import => vec!["import".into(), wb, self.csv.display().to_string()],
            Operation::PlanSave => vec![
                "plan".into(),
                "import".into(),
                wb,
                self.plan_file.display().to_string(),
                "--version".into(),
                version.to_owned(),
            ],
            Operation::Report => vec![
                "report".into(),
                wb,
                "--year".into(),
                self.year.to_string(),
                "--out".into(),
                self.report.display().to_string(),
            ],
        }
    }

    /// Starts the operation and kills it after `after` (if it is still running then).
    /// `version` names the plan version a plan save creates.
    fn run(&self, op: Operation, version: &str, after: Option<Duration>) -> (ExitStatus, Duration) {
        let log = self.dir.path().join("stderr.log");
        let started = Instant::now();
        let mut child = leadplan()
            .args(self.args(op, version))
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        if let Some(after) = after {
            std::thread::sleep(after.saturating_sub(started.elapsed()));
            // SIGKILL; a process that has exited already is left alone
            child.kill().unwrap();
        }
        let status = child.wait().unwrap();
        let took = started.elapsed();
        if !status.success() && status.signal().is_none() {
            panic!(
                "leadplan {:?} failed on its own: {}",
                self.args(op, version),
                std::fs::read_to_string(&log).unwrap_or_default()
            );
        }
        (status, took)
    }

    /// Undoes a complete import through the library, as a user would in the app, so every
    /// import starts from the same workbook; returns the state after the undo.
    fn undo_import(&self, before: &Snapshot) -> Snapshot {
        let mut wb = Workbook::open(&self.workbook).unwrap();
        let latest = wb
            .imports()
            .unwrap()
            .into_iter()
            .find(|i| i.can_undo)
            .unwrap();
        wb.undo_import(latest.id, Utc::now()).unwrap();
        wb.close().unwrap();
        let conn = open(&self.workbook);
        integrity(&conn).unwrap();
        let after = snapshot(&conn);
        assert_eq!(
            after["lead_block"], before["lead_block"],
            "undoing the import did not restore the leads"
        );
        after
    }

    /// Runs each operation uninterrupted: once to warm up, once timed; records what it adds.
    fn measure(&mut self) {
        for op in OPERATIONS {
            let mut duration = Duration::ZERO;
            let mut added = BTreeMap::new();
            for round in 0..2 {
                let name = format!("uninterrupted-{round}");
                let before = self.state.clone();
                let leads_before = count(&open(&self.workbook), LEAD_COUNT);
                let (status, took) = self.run(op, &name, None);
                assert!(status.success());
                duration = took;
                let conn = open(&self.workbook);
                integrity(&conn).unwrap();
                let after = snapshot(&conn);
                added = changes(op, &before, &after)
                    .into_iter()
                    .map(|(table, (plus, minus))| {
                        assert_eq!(minus, 0, "{op:?} changed or removed rows of {table}");
                        (table, plus)
                    })
                    .collect();
                match op {
                    Operation::Import => {
                        assert_eq!(count(&conn, LEAD_COUNT) - leads_before, self.leads_in_file);
                        assert!(added.contains_key("lead_block"), "{added:?}");
                        drop(conn);
                        self.state = self.undo_import(&before);
                    }
                    Operation::PlanSave => {
                        self.plan_json = self.plan_show(&name);
                        self.versions.push(name);
                        self.state = after;
                    }
                    Operation::Report => {
                        assert!(added.is_empty(), "a report changed the workbook: {added:?}");
                        self.report_pages =
                            leadplan_report::page_count(&std::fs::read(&self.report).unwrap())
                                .unwrap();
                        complete_pdf(&self.report, self.report_pages).unwrap();
                    }
                }
            }
            self.expected.insert(op, Expected { duration, added });
        }
    }

    fn plan_show(&self, version: &str) -> serde_json::Value {
        let json = run_ok(&[
            "plan",
            "show",
            self.workbook.to_str().unwrap(),
            "--year",
            &self.year.to_string(),
            "--version",
            version,
            "--json",
        ]);
        serde_json::from_str(&json).unwrap()
    }

    /// The report file's identity: a complete export renames a new file into place.
    fn report_inode(&self) -> Option<u64> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(&self.report).ok().map(|m| m.ino())
    }

    /// Checks the workbook (and the report file) after an operation was run and maybe
    /// killed; `finished` when it exited by itself, `version` the plan version a plan save
    /// creates, `report_before` the report file's identity before. Updates the expectation.
    /// `Ok(true)` when the operation had taken effect completely, `Ok(false)` when it had
    /// left no trace.
    fn check(
        &mut self,
        op: Operation,
        version: &str,
        finished: bool,
        report_before: Option<u64>,
    ) -> Result<bool, String> {
        let conn = open(&self.workbook);
        integrity(&conn)?;
        let now = snapshot(&conn);
        let leads = count(&conn, LEAD_COUNT);
        let version_exists: bool = conn
            .query_row(
                "SELECT EXISTS (SELECT 1 FROM plan_version WHERE year = ?1 AND name = ?2)",
                rusqlite::params![self.year, version],
                |r| r.get(0),
            )
            .unwrap();
        drop(conn);
        let diff = changes(op, &self.state, &now);
        let lost: Vec<&String> = diff
            .iter()
            .filter(|(_, (_, lost))| *lost > 0)
            .map(|(t, _)| t)
            .collect();
        if !lost.is_empty() {
            return Err(format!(
                "rows committed before were changed or lost in {lost:?} ({diff:?})"
            ));
        }
        let done = match op {
            Operation::Import => {
                if leads != self.lead_count && leads != self.lead_count + self.leads_in_file {
                    return Err(format!(
                        "partial import: {leads} leads, expected {} or {}",
                        self.lead_count,
                        self.lead_count + self.leads_in_file
                    ));
                }
                leads != self.lead_count
            }
            Operation::PlanSave => {
                if version_exists && self.plan_show(version) != self.plan_json {
                    return Err(format!(
                        "plan version {version} is there but differs from a complete save"
                    ));
                }
                version_exists
            }
            Operation::Report => {
                let after = self.report_inode();
                if after.is_some() {
                    complete_pdf(&self.report, self.report_pages)
                        .map_err(|e| format!("report file: {e}"))?;
                } else if report_before.is_some() {
                    return Err("the earlier, complete report file is gone".into());
                }
                after.is_some() && after != report_before
            }
        };
        if finished && !done {
            return Err(format!("{op:?} exited successfully but left no result"));
        }
        let complete: BTreeMap<String, (usize, usize)> = self.expected[&op]
            .added
            .iter()
            .map(|(t, n)| (t.clone(), (*n, 0)))
            .collect();
        if done && diff != complete {
            return Err(format!(
                "{op:?} took effect with rows added {diff:?}; a complete run adds {complete:?}"
            ));
        }
        if !done && !diff.is_empty() {
            return Err(format!("{op:?} left no result but changed rows: {diff:?}"));
        }
        if done {
            match op {
                Operation::Import => self.state = self.undo_import(&self.state),
                Operation::PlanSave => {
                    self.versions.push(version.to_owned());
                    self.state = now;
                }
                Operation::Report => {}
            }
        }
        Ok(done)
    }

    /// Files left beside the workbook, the report and the backups by interrupted writes.
    fn leftovers(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut walk = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = walk.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk.push(path);
                } else if let Some(name) = path.file_name().and_then(|n| n.to_str())
                    && name.starts_with('.')
                {
                    out.push(
                        path.strip_prefix(self.dir.path())
                            .unwrap()
                            .display()
                            .to_string(),
                    );
                }
            }
        }
        out.sort();
        out
    }
}

#[test]
fn a_killed_import_plan_save_or_report_leaves_the_workbook_whole_and_all_or_nothing() {
    let kills = env_number("LEADPLAN_CRASH_KILLS").unwrap_or(DEFAULT_KILLS);
    let seed = env_number("LEADPLAN_CRASH_SEED").unwrap_or(DEFAULT_SEED);
    let default_leads = if cfg!(debug_assertions) {
        5_000
    } else {
        50_000
    };
    let leads = env_number("LEADPLAN_CRASH_LEADS").unwrap_or(default_leads);
    println!("crash test: {kills} kills, seed {seed}, {leads} leads per import");
    let started = Instant::now();
    let mut h = Harness::new(leads);
    h.measure();
    for op in OPERATIONS {
        println!(
            "  uninterrupted {op:?}: {:.0} ms, adds {:?}",
            h.expected[&op].duration.as_secs_f64() * 1000.0,
            h.expected[&op].added
        );
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut tallies: BTreeMap<Operation, Tally> = BTreeMap::new();
    let mut killed = 0;
    let mut i = 0;
    // a run that finishes before its kill moment is no kill: go on until `kills` processes
    // were killed, within a bound in case every run finishes first
    while killed < kills && i < kills * 4 {
        let op = OPERATIONS[i % OPERATIONS.len()];
        if op == Operation::Report && i % 2 == 0 {
            // sometimes there is no earlier report, sometimes one to be replaced
            let _ = std::fs::remove_file(&h.report);
        }
        let version = format!("crash-{i}");
        let report_before = h.report_inode();
        let limit = u64::try_from(h.expected[&op].duration.as_micros()).unwrap();
        let at = Duration::from_micros(rng.random_range(0..=limit));
        let (status, _) = h.run(op, &version, Some(at));
        let tally = tallies.entry(op).or_default();
        tally.runs += 1;
        if status.signal() == Some(9) {
            killed += 1;
            tally.killed += 1;
        } else {
            tally.finished_first += 1;
        }
        match h.check(op, &version, status.success(), report_before) {
            Ok(true) => tally.complete += 1,
            Ok(false) => tally.nothing += 1,
            Err(e) => {
                let message = format!("run {i} ({op:?}, killed after {} µs): {e}", at.as_micros());
                println!("  FAILED {message}");
                tally.failures.push(message);
                // carry on from what the file holds now, so one failure does not mask others
                let conn = open(&h.workbook);
                h.state = snapshot(&conn);
                h.lead_count = count(&conn, LEAD_COUNT);
            }
        }
        i += 1;
    }
    let mut summary = String::new();
    let _ = writeln!(
        summary,
        "{:<9} {:>5} {:>7} {:>15} {:>9} {:>8} {:>9}",
        "operation", "runs", "killed", "finished first", "complete", "nothing", "failures"
    );
    for (op, t) in &tallies {
        let _ = writeln!(
            summary,
            "{:<9} {:>5} {:>7} {:>15} {:>9} {:>8} {:>9}",
            format!("{op:?}"),
            t.runs,
            t.killed,
            t.finished_first,
            t.complete,
            t.nothing,
            t.failures.len()
        );
    }
    let leftovers = h.leftovers();
    let _ = writeln!(
        summary,
        "{killed} kills in {:.0} s (seed {seed}); plan versions saved: {}; files left by \
         interrupted writes: {}",
        started.elapsed().as_secs_f64(),
        h.versions.len(),
        leftovers.len()
    );
    for f in &leftovers {
        let _ = writeln!(summary, "  {f}");
    }
    println!("{summary}");
    let failures: Vec<&String> = tallies.values().flat_map(|t| &t.failures).collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(
        killed >= kills,
        "only {killed} of {kills} runs were killed before they finished"
    );
}
