//! Problems found in input files, each pinned to a file, a line and (where one applies) a column.

use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in an input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line, where one applies.
    pub line: Option<u64>,
    /// 1-based column: for a CSV the field number, for TOML the character.
    pub column: Option<u64>,
    /// The CSV column's header name, where one applies.
    pub column_name: Option<String>,
    /// What was found and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// A problem with the file as a whole.
    pub fn file(file: &Path, message: impl Into<String>) -> Self {
        Diagnostic {
            file: file.to_path_buf(),
            line: None,
            column: None,
            column_name: None,
            message: message.into(),
        }
    }
    /// A problem on one line.
    pub fn line(file: &Path, line: u64, message: impl Into<String>) -> Self {
        Diagnostic {
            line: Some(line),
            ..Self::file(file, message)
        }
    }
    /// A problem in one CSV field.
    pub fn field(
        file: &Path,
        line: u64,
        index: usize,
        name: &str,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            line: Some(line),
            column: Some(index as u64 + 1),
            column_name: Some(name.to_string()),
            ..Self::file(file, message)
        }
    }
    /// A problem at a line and character column (TOML).
    pub fn at(file: &Path, line: u64, column: u64, message: impl Into<String>) -> Self {
        Diagnostic {
            line: Some(line),
            column: Some(column),
            ..Self::file(file, message)
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        write!(f, ": ")?;
        if let Some(name) = &self.column_name {
            write!(f, "column `{name}`: ")?;
        }
        // messages may quote untrusted text: show control characters escaped
        write!(f, "{}", super::text::printable(&self.message))
    }
}

/// Everything wrong with a scene, listed together.
#[derive(Debug, Clone, thiserror::Error)]
pub struct SceneError {
    /// The problems, in file and line order.
    pub diagnostics: Vec<Diagnostic>,
}

impl SceneError {
    /// An error with one problem.
    pub fn single(d: Diagnostic) -> Self {
        SceneError {
            diagnostics: vec![d],
        }
    }
}

impl fmt::Display for SceneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.diagnostics.as_slice() {
            [] => write!(f, "the scene is invalid"),
            [one] => write!(f, "{one}"),
            [first, rest @ ..] => write!(f, "{first} (and {} more problems)", rest.len()),
        }
    }
}
