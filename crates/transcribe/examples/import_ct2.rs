//! Converts a CTranslate2 Whisper directory to a ggml file and prints what was written; a
//! stand-in for `qadesk model import-ct2` when working on this crate alone.
#![allow(clippy::print_stdout)] // An example program owns its output.

use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args_os().skip(1).map(PathBuf::from);
    let (Some(dir), Some(out)) = (args.next(), args.next()) else {
        return Err("usage: import_ct2 CT2_DIR OUT.bin".into());
    };
    let started = Instant::now();
    let summary = qadesk_transcribe::import_ct2(&dir, &out)?;
    println!("{}: {summary:?} in {:.2} s", out.display(), started.elapsed().as_secs_f64());
    Ok(())
}
