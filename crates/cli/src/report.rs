//! `leadplan report`: the plan-versus-actual report as PDF, Excel, CSV or chart images, made
//! the way the Reports screen makes it, fit for a scheduled job: it either writes every file
//! completely or changes nothing and exits with a message and a non-zero status.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use leadplan_core::report_options::{
    PaperSize, ReportFormat, ReportOptions, ReportPeriod, ReportSection,
};
use leadplan_report::{
    PdfOptions, page_count, plan_vs_actual, render_report, report_data, write_files,
};
use leadplan_workbook::Workbook;

use crate::err;

/// The arguments of `leadplan report`.
#[derive(clap::Args)]
#[command(after_help = "\
The format follows the extension of --out: .pdf, .xlsx, .csv, .svg or .png.
CSV is written as one file per table and SVG or PNG as one file per chart: into --out when
it is an existing folder (named by table or chart id, e.g. sources_leads.csv), otherwise
beside it, named after it (--out march.csv gives march-kpis.csv, march-sources_leads.csv, …).
With --chart ID only that chart is written, as --out itself.

Options given on the command line override those of --template. Nothing is written unless
the whole report could be made; an existing file is replaced only once its new version is
complete.")]
pub struct ReportArgs {
    /// The workbook file.
    workbook: PathBuf,
    /// The plan year.
    #[arg(long)]
    year: i32,
    /// The plan version's name (default: the template's, else the year's baseline, else its
    /// first version).
    #[arg(long)]
    version: Option<String>,
    /// First month of the plan year (1 = its first month).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=12))]
    from: Option<u32>,
    /// Last month of the plan year (12 = its last month).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=12))]
    to: Option<u32>,
    /// From the first month through the month of --today (a monthly report's period).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    year_to_date: bool,
    /// Only these sources (by name; repeat for several).
    #[arg(long = "source")]
    sources: Vec<String>,
    /// Only these product lines (by name; repeat for several).
    #[arg(long = "product-line")]
    product_lines: Vec<String>,
    /// Start from the report template of this name saved in the workbook.
    #[arg(long)]
    template: Option<String>,
    /// The parts to include, comma-separated: summary, charts, sources, monthly_detail,
    /// data_quality, action_items, definitions (default: the template's, else all).
    #[arg(long, value_delimiter = ',')]
    sections: Vec<String>,
    /// Figures as of this day (YYYY-MM-DD); default today.
    #[arg(long)]
    today: Option<NaiveDate>,
    /// US Letter paper instead of A4.
    #[arg(long)]
    letter: bool,
    /// For .svg and .png: only this chart (e.g. leads_plan_vs_actual).
    #[arg(long)]
    chart: Option<String>,
    /// The format when --out is a folder: pdf, xlsx, csv, svg or png.
    #[arg(long)]
    format: Option<String>,
    /// The file (or, for CSV and charts, the folder) to write.
    #[arg(long)]
    out: PathBuf,
}

fn format_of(args: &ReportArgs, template: Option<ReportFormat>) -> Result<ReportFormat, String> {
    if let Some(name) = &args.format {
        return ReportFormat::from_extension(name)
            .ok_or_else(|| format!("--format: {name:?} is not one of pdf, xlsx, csv, svg, png"));
    }
    if let Some(format) = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .and_then(ReportFormat::from_extension)
    {
        return Ok(format);
    }
    match template {
        Some(format) if args.out.is_dir() => Ok(format),
        _ => Err(format!(
            "{}: the format cannot be told from the name: use .pdf, .xlsx, .csv, .svg or .png \
             (or --format with a folder)",
            args.out.display()
        )),
    }
}

/// The template's options (or the defaults) with the command line's on top.
fn options(args: &ReportArgs, wb: &Workbook) -> Result<ReportOptions, String> {
    let template = args
        .template
        .as_deref()
        .map(|name| wb.report_template(name))
        .transpose()
        .map_err(err)?;
    let mut options = template
        .as_ref()
        .map_or_else(ReportOptions::default, |t| t.options.clone());
    options.format = format_of(args, template.as_ref().map(|t| t.options.format))?;
    if args.version.is_some() {
        options.version.clone_from(&args.version);
    }
    if args.year_to_date {
        options.period = ReportPeriod::YearToDate;
    } else if args.from.is_some() || args.to.is_some() {
        options.period = ReportPeriod::Months {
            from: args.from.unwrap_or(1),
            to: args.to.unwrap_or(12),
        };
    }
    if !args.sources.is_empty() {
        options.sources.clone_from(&args.sources);
    }
    if !args.product_lines.is_empty() {
        options.product_lines.clone_from(&args.product_lines);
    }
    if !args.sections.is_empty() {
        options.sections = args
            .sections
            .iter()
            .map(|code| {
                ReportSection::parse(code.trim()).ok_or_else(|| {
                    let all: Vec<&str> = ReportSection::ALL.iter().map(|s| s.code()).collect();
                    format!(
                        "--sections: {code:?} is not a part of the report (there are: {})",
                        all.join(", ")
                    )
                })
            })
            .collect::<Result<_, _>>()?;
    }
    if args.letter {
        options.paper = PaperSize::Letter;
    }
    if args.chart.is_some() && !matches!(options.format, ReportFormat::Svg | ReportFormat::Png) {
        return Err("--chart: only for .svg and .png".to_owned());
    }
    Ok(options)
}

fn open(path: &Path) -> Result<Workbook, String> {
    // read-only, so a report can be made while the app has the workbook open
    Workbook::open_read_only(path)
        .or_else(|_| Workbook::open(path))
        .map_err(err)
}

pub fn run(args: ReportArgs, now: DateTime<Utc>) -> Result<(), String> {
    let wb = open(&args.workbook)?;
    let options = options(&args, &wb)?;
    let today = args.today.unwrap_or(now.date_naive());
    let data = report_data(&wb, args.year, &options, today).map_err(|e| e.to_string())?;
    let doc = plan_vs_actual(&data);
    let files = render_report(
        &doc,
        options.format,
        &args.out,
        args.chart.as_deref(),
        PdfOptions::new(now.fixed_offset()),
    )
    .map_err(|e| e.to_string())?;
    write_files(&files).map_err(|e| e.to_string())?;
    let mut message = String::new();
    match (options.format, files.as_slice()) {
        (ReportFormat::Pdf, [(path, bytes)]) => {
            let pages = page_count(bytes).map_err(|e| e.to_string())?;
            let _ = write!(
                message,
                "Wrote the {} {} report ({pages} pages) to {}.",
                data.version.year,
                data.version.name,
                path.display()
            );
        }
        (_, [(path, _)]) => {
            let _ = write!(message, "Wrote {}.", path.display());
        }
        (_, files) => {
            let _ = write!(message, "Wrote {} files:", files.len());
            for (path, _) in files {
                let _ = write!(message, "\n  {}", path.display());
            }
        }
    }
    say!("{message}");
    Ok(())
}
