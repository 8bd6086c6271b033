//! `leadplan import`: a CRM export (or a spend file) into a workbook.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use chrono::{DateTime, Utc};
use leadplan_import::{Flow, ImportOptions, MappingFile, Severity};
use leadplan_workbook::{ImportMode, ImportRequest, Workbook};

use crate::err;

/// The arguments of `leadplan import`.
#[derive(clap::Args)]
pub struct ImportArgs {
    workbook: PathBuf,
    /// The CRM export: CSV (any delimiter and encoding) or XLSX.
    file: PathBuf,
    /// A mapping file (columns and values; format: docs/import-format.md).
    #[arg(long)]
    mapping: Option<PathBuf>,
    /// The sheet to read from an XLSX file (default: the first).
    #[arg(long)]
    sheet: Option<String>,
    /// Read and check everything, write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the valid rows even when some are rejected (default: all or nothing).
    #[arg(long)]
    valid_only: bool,
    /// Add sources the workbook does not know as new sources.
    #[arg(long)]
    add_unknown_sources: bool,
    /// The file holds monthly spend per source instead of leads.
    #[arg(long, conflicts_with_all = ["dry_run", "valid_only", "add_unknown_sources"])]
    spend: bool,
    /// Print the summary and every finding as JSON.
    #[arg(long)]
    json: bool,
}

fn options(args: &ImportArgs) -> Result<ImportOptions, String> {
    let mut options = ImportOptions {
        sheet: args.sheet.clone(),
        ..ImportOptions::default()
    };
    if let Some(path) = &args.mapping {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        MappingFile::from_json(&text)
            .map_err(|e| format!("{}: {e}", path.display()))?
            .apply(&mut options);
    }
    Ok(options)
}

pub fn run(args: ImportArgs, now: DateTime<Utc>) -> Result<(), String> {
    let bytes = std::fs::read(&args.file).map_err(|e| format!("{}: {e}", args.file.display()))?;
    let file_name = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let options = options(&args)?;
    let mut wb = Workbook::open(&args.workbook).map_err(err)?;
    let shown = args.file.display().to_string();
    if args.spend {
        let summary = wb
            .import_spend(&bytes, &options)
            .map_err(|e| format!("{shown}: {e}"))?;
        if args.json {
            say!(
                "{}",
                serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?
            );
        } else {
            for f in &summary.findings {
                say!("{shown}:{}: {}", f.line, f.message);
            }
            say!(
                "{} spend rows read, {} written.",
                summary.counts.read,
                summary.written
            );
        }
        return if summary.written > 0 || summary.counts.read == 0 {
            Ok(())
        } else {
            Err(format!("{shown}: nothing was imported"))
        };
    }
    let request = ImportRequest {
        file_name,
        options,
        mode: if args.valid_only {
            ImportMode::ValidRowsOnly
        } else {
            ImportMode::AllOrNothing
        },
        add_unknown_sources: args.add_unknown_sources,
        dry_run: args.dry_run,
    };
    let started = Instant::now();
    let summary = wb
        .import_leads(&bytes, &request, now, |_| Flow::Continue)
        .map_err(|e| format!("{shown}: {e}"))?;
    let elapsed = started.elapsed();
    if args.json {
        say!(
            "{}",
            serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?
        );
    } else {
        let r = &summary.report;
        let mut out = String::new();
        for f in &r.findings {
            let level = if f.kind.severity() == Severity::Error {
                "error"
            } else {
                "warning"
            };
            let _ = writeln!(out, "{shown}:{}: {level}: {}", f.line, f.message);
        }
        for u in &r.unknown_values {
            let _ = writeln!(
                out,
                "{shown}: unknown {} {:?} in {} rows",
                u.field.code(),
                u.value,
                u.count
            );
        }
        let c = &r.counts;
        let _ = writeln!(
            out,
            "{} rows read: {} valid, {} rejected ({} duplicate ids).",
            c.read, c.valid, c.rejected, c.duplicates
        );
        if summary.imported {
            let _ = writeln!(
                out,
                "Imported in {:.1} s: {} new, {} updated, {} unchanged.",
                elapsed.as_secs_f64(),
                summary.new,
                summary.updated,
                summary.unchanged
            );
        } else if args.dry_run {
            let _ = writeln!(out, "Dry run: nothing was written.");
        }
        if !summary.sources_added.is_empty() {
            let _ = writeln!(out, "Sources added: {}.", summary.sources_added.join(", "));
        }
        put!("{out}");
    }
    if summary.imported || args.dry_run {
        Ok(())
    } else {
        Err(format!(
            "{shown}: {} rows rejected; nothing was imported (use --valid-only to import the valid rows)",
            summary.report.counts.rejected
        ))
    }
}
