//! Writing the exports to disk. Every file is written beside its destination under a
//! temporary name and then renamed over it, so a reader never sees half a report and a
//! failed export leaves the previous file as it was.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use crate::ReportError;
use crate::chart::render_chart_png;
use crate::csv_export::render_csv;
use crate::document::{Document, safe_name};
use crate::pdf::{PdfOptions, render_pdf};
use crate::xlsx::render_xlsx;

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ReportError + '_ {
    move |source| ReportError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The temporary name a file is written under beside `path` before it is renamed.
fn temporary_path(path: &Path) -> PathBuf {
    let file_name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{file_name}.partial"))
}

/// Writes `bytes` completely to the temporary file of `path` and returns its name.
fn write_temporary(path: &Path, bytes: &[u8]) -> Result<PathBuf, ReportError> {
    let temporary = temporary_path(path);
    let result = (|| {
        let mut file = fs::File::create(&temporary).map_err(io_error(&temporary))?;
        file.write_all(bytes).map_err(io_error(&temporary))?;
        file.sync_all().map_err(io_error(&temporary))
    })();
    match result {
        Ok(()) => Ok(temporary),
        Err(e) => {
            // the temporary file may not exist; there is nothing more to report than `e`
            let _ = fs::remove_file(&temporary);
            Err(e)
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    write_files(&[(path.to_owned(), bytes.to_vec())])
}

/// Writes several files as one: every file is first written completely under a temporary
/// name beside its destination, and only when all of them are written are they renamed into
/// place. If any cannot be written, none of the destinations is touched.
///
/// # Errors
/// [`ReportError::Io`] naming the file that could not be written.
pub fn write_files(files: &[(PathBuf, Vec<u8>)]) -> Result<(), ReportError> {
    let mut written: Vec<(PathBuf, &Path)> = Vec::with_capacity(files.len());
    let discard = |written: &[(PathBuf, &Path)]| {
        for (temporary, _) in written {
            let _ = fs::remove_file(temporary);
        }
    };
    for (path, bytes) in files {
        match write_temporary(path, bytes) {
            Ok(temporary) => written.push((temporary, path)),
            Err(e) => {
                discard(&written);
                return Err(e);
            }
        }
    }
    for (i, (temporary, path)) in written.iter().enumerate() {
        if let Err(source) = fs::rename(temporary, path) {
            discard(&written[i..]);
            return Err(ReportError::Io {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    Ok(())
}

/// Where the files of a report written as one file per table or chart go, for the path
/// the user gave:
///
/// - an existing folder: into it, each named by its id (`leads_by_source.csv`);
/// - otherwise beside the given file, its name followed by each id
///   (`out/march.csv` → `out/march-leads_by_source.csv`, …).
///
/// Names are made safe and unique as for [`write_csv_files`].
#[must_use]
pub fn paths_beside(out: &Path, ids: &[&str], extension: &str) -> Vec<PathBuf> {
    let names = unique_names(ids.iter().copied(), "part", extension);
    if out.is_dir() {
        return names.into_iter().map(|n| out.join(n)).collect();
    }
    let stem = out
        .file_stem()
        .map_or_else(|| "report".to_owned(), |s| s.to_string_lossy().into_owned());
    names
        .into_iter()
        .map(|n| out.with_file_name(format!("{stem}-{n}")))
        .collect()
}

/// Writes the document as a PDF to `path`.
///
/// # Errors
/// As [`render_pdf`], and [`ReportError::Io`] if the file cannot be written.
pub fn write_pdf(path: &Path, doc: &Document, options: PdfOptions<'_>) -> Result<(), ReportError> {
    let bytes = render_pdf(doc, options)?;
    write_atomically(path, &bytes)
}

/// Writes the document's tables as an Excel workbook to `path`.
///
/// # Errors
/// As [`render_xlsx`], and [`ReportError::Io`] if the file cannot be written.
pub fn write_xlsx(
    path: &Path,
    doc: &Document,
    created: DateTime<FixedOffset>,
) -> Result<(), ReportError> {
    let bytes = render_xlsx(doc, created)?;
    write_atomically(path, &bytes)
}

/// A file name per item from its id, made unique by a counter.
fn unique_names<'a>(
    ids: impl Iterator<Item = &'a str>,
    fallback: &str,
    extension: &str,
) -> Vec<String> {
    let mut taken = std::collections::HashSet::new();
    ids.enumerate()
        .map(|(i, id)| {
            let base = safe_name(id, &format!("{fallback}-{}", i + 1), 100);
            let mut name = format!("{base}.{extension}");
            let mut n = 2;
            while !taken.insert(name.to_lowercase()) {
                name = format!("{base}-{n}.{extension}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Writes one CSV file per table into `dir`, named by the table's id (`leads.csv`), and
/// returns their paths.
///
/// # Errors
/// As [`render_csv`], and [`ReportError::Io`] if a file cannot be written.
pub fn write_csv_files(dir: &Path, doc: &Document) -> Result<Vec<PathBuf>, ReportError> {
    let tables: Vec<_> = doc.tables().collect();
    let names = unique_names(tables.iter().map(|t| t.id.as_str()), "table", "csv");
    let mut paths = Vec::with_capacity(tables.len());
    for (table, name) in tables.into_iter().zip(names) {
        let path = dir.join(name);
        write_atomically(&path, &render_csv(table, doc.locale)?)?;
        paths.push(path);
    }
    Ok(paths)
}

/// Writes a PNG of each chart into `dir` at `scale` times its size, named by the chart's id
/// (`leads-per-month.png`), and returns their paths.
///
/// # Errors
/// As [`render_chart_png`], and [`ReportError::Io`] if a file cannot be written.
pub fn write_chart_pngs(
    dir: &Path,
    doc: &Document,
    scale: f32,
) -> Result<Vec<PathBuf>, ReportError> {
    let charts: Vec<_> = doc.charts().collect();
    let names = unique_names(charts.iter().map(|c| c.id.as_str()), "chart", "png");
    let mut paths = Vec::with_capacity(charts.len());
    for (chart, name) in charts.into_iter().zip(names) {
        let path = dir.join(name);
        write_atomically(&path, &render_chart_png(&chart.id, &chart.svg, scale)?)?;
        paths.push(path);
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_and_unique() {
        let names = unique_names(["leads", "Leads", "", "a/b"].into_iter(), "table", "csv");
        assert_eq!(
            names,
            ["leads.csv", "Leads-2.csv", "table-3.csv", "a_b.csv"]
        );
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-dir").join("x.pdf");
        assert!(write_atomically(&target, b"x").is_err());
        let written = dir.path().join("report.csv");
        write_atomically(&written, b"a;b").unwrap();
        assert_eq!(fs::read(&written).unwrap(), b"a;b");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1);
    }

    #[test]
    fn several_files_are_written_all_or_none() {
        let dir = tempfile::tempdir().unwrap();
        let first = dir.path().join("a.csv");
        fs::write(&first, b"old").unwrap();
        let files = vec![
            (first.clone(), b"new".to_vec()),
            (dir.path().join("missing").join("b.csv"), b"b".to_vec()),
        ];
        assert!(write_files(&files).is_err());
        // the first file keeps its old content and no temporary file is left behind
        assert_eq!(fs::read(&first).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
        let files = vec![
            (first.clone(), b"new".to_vec()),
            (dir.path().join("b.csv"), b"b".to_vec()),
        ];
        write_files(&files).unwrap();
        assert_eq!(fs::read(&first).unwrap(), b"new");
        assert_eq!(fs::read(dir.path().join("b.csv")).unwrap(), b"b");
    }

    #[test]
    fn parts_go_into_a_folder_or_beside_the_named_file() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(
            paths_beside(dir.path(), &["leads", "cost/sale"], "csv"),
            [
                dir.path().join("leads.csv"),
                dir.path().join("cost_sale.csv")
            ]
        );
        let out = dir.path().join("march.csv");
        assert_eq!(
            paths_beside(&out, &["leads"], "csv"),
            [dir.path().join("march-leads.csv")]
        );
    }
}
