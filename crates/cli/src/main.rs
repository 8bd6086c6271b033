//! `leadplan`: a workbook from the command line, for automation and headless use.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::{Datelike, Utc};
use clap::{Parser, Subcommand};
use leadplan_core::format;
use leadplan_workbook::demo::{DEFAULT_SEED, create_demo, write_demo_csv};
use leadplan_workbook::{Workbook, WorkbookError};

/// Prints a line to standard output; when the reader went away (`leadplan … | head`) the
/// command ends quietly instead of failing.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if writeln!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

/// Like `say!`, without the line break.
macro_rules! put {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if write!(std::io::stdout().lock(), $($arg)*).is_err() {
            std::process::exit(0);
        }
    }};
}

mod compare;
mod import;
mod meeting;
mod plan;
mod report;

/// Leadplan: the annual lead plan and plan-versus-actual, from the command line.
#[derive(Parser)]
#[command(name = "leadplan", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create a new workbook (empty, or with demo data for a fictional dealer group).
    New {
        /// The workbook file to create, e.g. dealer.leadplan.
        file: PathBuf,
        /// Fill it with two years of realistic demo data up to today.
        #[arg(long)]
        demo: bool,
        /// Seed for the demo data (the same seed gives the same workbook).
        #[arg(long, default_value_t = DEFAULT_SEED, requires = "demo")]
        seed: u64,
        /// Organisation name of an empty workbook.
        #[arg(long, conflicts_with = "demo")]
        organisation: Option<String>,
    },
    /// Show what a workbook holds: organisation, years, sources, product lines, leads.
    Info {
        /// The workbook file.
        workbook: PathBuf,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Check a workbook file for damage (SQLite's integrity check); prints "ok" when sound.
    Check {
        /// The workbook file.
        workbook: PathBuf,
    },
    /// Show, export or import a plan version.
    Plan {
        #[command(subcommand)]
        action: PlanAction,
    },
    /// Import a CRM export (CSV or XLSX) of leads, or a spend file, into a workbook.
    Import(import::ImportArgs),
    /// List meetings, show one, or write its minutes as a PDF.
    Meeting {
        #[command(subcommand)]
        action: meeting::MeetingAction,
    },
    /// Plan versus actual for a year: leads, conversion, funnel, follow-up, spend, forecast.
    Compare(compare::CompareArgs),
    /// Write the plan-versus-actual report as PDF, Excel, CSV or chart images (SVG, PNG).
    Report(report::ReportArgs),
    /// Write simulated leads as a CRM-style CSV export (for trying imports and benchmarks).
    DemoExport {
        /// The CSV file to write.
        file: PathBuf,
        /// How many leads to write.
        #[arg(long, default_value_t = 10_000)]
        leads: u64,
        /// Seed (the same seed gives the same file).
        #[arg(long, default_value_t = DEFAULT_SEED)]
        seed: u64,
        /// The year the leads were created in (default: last year).
        #[arg(long)]
        year: Option<i32>,
    },
}

#[derive(Subcommand)]
enum PlanAction {
    /// Print the computed plan: leads, sales, spend and budget per source and month,
    /// totals and warnings.
    Show {
        workbook: PathBuf,
        #[command(flatten)]
        which: WhichVersion,
        /// Print the computed plan as JSON (format: docs/plan-format.md).
        #[arg(long)]
        json: bool,
    },
    /// Write a plan version as a plan file (JSON, docs/plan-format.md).
    Export {
        workbook: PathBuf,
        #[command(flatten)]
        which: WhichVersion,
        /// The file to write; standard output when left out.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Add a plan file as a new draft version. The file is checked completely first;
    /// nothing is written unless all of it is valid.
    Import {
        workbook: PathBuf,
        /// The plan file to read.
        file: PathBuf,
        /// The plan year the file must be for.
        #[arg(long)]
        year: Option<i32>,
        /// Name of the new version (default: the name in the file).
        #[arg(long)]
        version: Option<String>,
    },
}

/// Which plan version: by year and name, by default the year's baseline.
#[derive(clap::Args)]
struct WhichVersion {
    /// The plan year.
    #[arg(long)]
    year: i32,
    /// The version's name (default: the year's baseline, else its first version).
    #[arg(long)]
    version: Option<String>,
}

// A large import allocates from several threads at once, which glibc's allocator serves
// by growing an arena per thread page by page (2,600 mprotect calls for a million leads).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("leadplan: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    let now = Utc::now();
    match command {
        Command::New {
            file,
            demo,
            seed,
            organisation,
        } => {
            let wb = if demo {
                create_demo(&file, now, seed)
            } else {
                let mut settings = leadplan_core::Settings::default();
                if let Some(name) = organisation {
                    settings.organisation = name;
                }
                Workbook::create(&file, &settings)
            }
            .map_err(err)?;
            let count = wb.lead_count().map_err(err)?;
            say!("Created {} ({} leads).", file.display(), count);
            Ok(())
        }
        Command::Info { workbook, json } => info(&workbook, json, now.year()),
        Command::Plan { action } => plan::run(action, now),
        Command::Check { workbook } => {
            let wb = Workbook::open_read_only(&workbook)
                .or_else(|_| Workbook::open(&workbook))
                .map_err(err)?;
            let problems = wb.integrity_check().map_err(err)?;
            say!("{}", problems.join("\n"));
            if problems == ["ok"] {
                Ok(())
            } else {
                Err(format!("{}: the file is damaged", workbook.display()))
            }
        }
        Command::Compare(args) => compare::run(args, now.date_naive()),
        Command::Report(args) => report::run(args, now),
        Command::Meeting { action } => meeting::run(action, now),
        Command::Import(args) => import::run(args, now),
        Command::DemoExport {
            file,
            leads,
            seed,
            year,
        } => {
            let year = year.unwrap_or(now.year() - 1);
            let out =
                std::fs::File::create(&file).map_err(|e| format!("{}: {e}", file.display()))?;
            write_demo_csv(
                std::io::BufWriter::with_capacity(1 << 20, out),
                leads,
                seed,
                year,
            )
            .map_err(err)?;
            say!(
                "Wrote {leads} leads created in {year} to {}.",
                file.display()
            );
            Ok(())
        }
    }
}

fn err(e: WorkbookError) -> String {
    e.to_string()
}

fn info(path: &Path, json: bool, current_year: i32) -> Result<(), String> {
    let wb = Workbook::open_read_only(path)
        .or_else(|_| Workbook::open(path))
        .map_err(err)?;
    let o = wb.overview(current_year).map_err(err)?;
    if json {
        let value = serde_json::json!({
            "overview": o,
            "sources": wb.sources().map_err(err)?,
            "product_lines": wb.product_lines().map_err(err)?,
        });
        say!(
            "{}",
            serde_json::to_string_pretty(&value).map_err(|e| e.to_string())?
        );
        return Ok(());
    }
    let locale = o.settings.locale;
    let years: Vec<String> = o.years.iter().map(ToString::to_string).collect();
    say!("Workbook       {}", o.path);
    say!("Organisation   {}", o.settings.organisation);
    say!(
        "Currency       {}   Language {}",
        o.settings.currency,
        o.settings.locale.code()
    );
    say!(
        "Years          {}",
        if years.is_empty() {
            "none".to_owned()
        } else {
            years.join(", ")
        }
    );
    say!("Plan versions  {}", o.plan_versions.len());
    for v in &o.plan_versions {
        let mark = if v.baseline { ", baseline" } else { "" };
        say!("  {} {} ({}{mark})", v.year, v.name, v.status.code());
    }
    let sources = wb.sources().map_err(err)?;
    say!("Sources        {}", sources.len());
    for s in &sources {
        say!(
            "  {:<14} {:<12} cost per lead {:>10}   conversion {:>6}",
            s.name,
            s.kind.code(),
            format::money(
                s.defaults.cost_per_lead.as_units(),
                &o.settings.currency,
                2,
                locale
            ),
            format::percent(s.defaults.conversion(), 1, locale)
        );
    }
    let lines = wb.product_lines().map_err(err)?;
    say!("Product lines  {}", lines.len());
    for p in &lines {
        say!("  {:<14} {}", p.name, p.segment);
    }
    #[allow(clippy::cast_precision_loss)] // a lead count is far below 2^53
    let leads = format::number(o.lead_count as f64, 0, locale);
    say!("Leads          {leads}");
    Ok(())
}
