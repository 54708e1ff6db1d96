//! Writing output files atomically: a temporary file in the same folder, then a rename, so a
//! failure never leaves a half-written chart or overwrites good output with garbage.

use std::io::Write;
use std::path::Path;

/// Errors writing an output file.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// The folder could not be created or the file written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// the file being written
        path: String,
        /// what the system said
        source: std::io::Error,
    },
    /// The content could not be produced.
    #[error("cannot produce {path}: {message}")]
    Render {
        /// the file being written
        path: String,
        /// what went wrong
        message: String,
    },
}

/// Writes the bytes that `produce` returns to `path` atomically. `produce` runs before anything
/// touches the file system, and if it fails, or writing fails, the old file stays as it was and
/// no temporary file is left behind.
pub fn write_atomic(
    path: &Path,
    produce: impl FnOnce() -> Result<Vec<u8>, String>,
) -> Result<(), OutputError> {
    let shown = path.display().to_string();
    let io = |source| OutputError::Io {
        path: shown.clone(),
        source,
    };
    let bytes = produce().map_err(|message| OutputError::Render {
        path: shown.clone(),
        message,
    })?;
    // a device or a pipe (`-o /dev/null`, `-o /dev/stdout`) is written as it is: renaming a
    // temporary file over it would replace the device with a regular file
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .map_err(io)?;
        return f.write_all(&bytes).map_err(io);
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[cfg(unix)]
    #[test]
    fn a_device_stays_a_device() {
        use std::os::unix::fs::FileTypeExt;
        let null = std::path::Path::new("/dev/null");
        if !std::fs::metadata(null).is_ok_and(|m| m.file_type().is_char_device()) {
            return; // no device to test on
        }
        super::write_atomic(null, || Ok(b"chart".to_vec())).unwrap_or_else(|e| panic!("{e}"));
        let kind = std::fs::metadata(null).map(|m| m.file_type().is_char_device());
        assert_eq!(kind.ok(), Some(true), "/dev/null was replaced");
    }

    use super::*;

    #[test]
    fn a_failed_render_keeps_the_old_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        let path = dir.path().join("chart.svg");
        write_atomic(&path, || Ok(b"good".to_vec()))?;
        assert!(write_atomic(&path, || Err("boom".into())).is_err());
        assert_eq!(std::fs::read(&path)?, b"good");
        assert_eq!(
            std::fs::read_dir(dir.path())?.count(),
            1,
            "no temporary files left"
        );
        Ok(())
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        // the target is a folder: the rename fails
        let target = dir.path().join("taken");
        std::fs::create_dir(&target)?;
        std::fs::write(target.join("x"), b"keep")?;
        assert!(write_atomic(&target, || Ok(b"new".to_vec())).is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        Ok(())
    }
}
