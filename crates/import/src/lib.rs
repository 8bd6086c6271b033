//! Reading CRM exports (CSV, XLSX) into typed lead rows and a data-quality report. Pure: bytes in, rows and findings out.
