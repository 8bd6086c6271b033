//! Exports: PDF (vector charts, embedded font), XLSX, CSV.
