//! The workbook file.
