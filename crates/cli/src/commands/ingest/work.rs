//! One file through ingest, on a worker thread: hash, skip if stored, read or transcribe,
//! redact, metadata, metrics, score. Produces what the writer stores; never writes itself.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

use qadesk_domain::{CallMetrics, Interaction, Transcript};
use qadesk_rubric::{Rubric, ScoreOptions};
use qadesk_store::{NewInteraction, RecordingInfo, SourceFile, Store};
use qadesk_transcript::SpeakerMap;
use sha2::{Digest, Sha256};

use super::discover::FileKind;
use super::metadata::MetadataSource;
use crate::speech::Speech;
use crate::{inputs, redaction};

/// A file to ingest, and what an earlier run recorded if it failed then.
#[derive(Debug, Clone)]
pub struct Task {
    pub path: PathBuf,
    pub kind: FileKind,
    /// `Some(hash)` when this path failed before with that content (`None` inside when it
    /// could not even be read).
    pub failed_before: Option<Option<String>>,
}

/// What became of one file.
#[derive(Debug)]
pub enum Done {
    Ready {
        item: Box<NewInteraction>,
        audio_ms: u64,
    },
    AlreadyStored,
    /// Failed in an earlier run with the same content; left alone without `--retry-failed`.
    FailedBefore,
    Failed {
        path: String,
        sha256: Option<String>,
        reason: String,
    },
}

/// Everything a worker shares with the others, read-only.
pub struct Context<'a> {
    pub rubric: &'a Rubric,
    pub rubric_row: i64,
    pub options: &'a ScoreOptions,
    pub speakers: &'a SpeakerMap,
    pub metadata: &'a MetadataSource,
    pub speech: Option<&'a Speech>,
    pub retry_failed: bool,
}

/// The path stored for a file: absolute, so runs from other directories find it again.
pub fn stored_path(path: &Path) -> String {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()).display().to_string()
}

/// Runs one task; `store` is this worker's own connection, used to skip stored content
/// before the expensive part.
pub fn process(context: &Context<'_>, store: &Store, task: &Task) -> Done {
    let path = stored_path(&task.path);
    let failed = |sha256: Option<String>, reason: String| Done::Failed {
        path: path.clone(),
        sha256,
        reason,
    };
    let (sha256, text) = match read_and_hash(&task.path, task.kind) {
        Ok(read) => read,
        Err(reason) => return failed(None, reason),
    };
    let failed = |reason: String| failed(Some(sha256.clone()), reason);
    if !context.retry_failed && task.failed_before.as_ref() == Some(&Some(sha256.clone())) {
        return Done::FailedBefore;
    }
    match store.has_source(&sha256) {
        Ok(true) => return Done::AlreadyStored,
        Ok(false) => {}
        Err(e) => return failed(e.to_string()),
    }
    let meta = match context.metadata.for_file(&task.path) {
        Ok(meta) => meta,
        Err(reason) => return failed(reason),
    };
    let heard = match text {
        Some(bytes) => inputs::text_from_bytes(&task.path, bytes)
            .and_then(|text| inputs::parse_transcript(&task.path, &text, None, context.speakers))
            .map(|t| (t, None, origin_of_file(&task.path))),
        None => transcribe(context.speech, &task.path, &path, &sha256),
    };
    let (transcript, recording, origin) = match heard {
        Ok(heard) => heard,
        Err(reason) => return failed(reason),
    };
    // Card numbers and personal data never reach the metrics, the rubric or the database.
    let (transcript, redactions) = redaction::transcript(&transcript);
    let mut interaction = Interaction::call(meta.call_id.clone(), transcript);
    interaction.kind = meta.kind;
    let scorecard = context.rubric.score(&interaction, context.options);
    let transcript = interaction.transcript.unwrap_or_default();
    let audio_ms = recording.as_ref().and_then(|r: &RecordingInfo| r.duration_ms).unwrap_or(0);
    Done::Ready {
        item: Box::new(NewInteraction {
            source: SourceFile { path, sha256 },
            meta,
            recording,
            metrics: CallMetrics::from_transcript(&transcript),
            transcript: Some(transcript),
            origin,
            scorecards: vec![(context.rubric_row, scorecard)],
            visit: None,
            answers: Vec::new(),
            attachments: Vec::new(),
            redactions,
        }),
        audio_ms,
    }
}

/// The content hash of a file, and its bytes when it is a transcript (read once, hashed and
/// parsed from the same bytes). A file that is not text still gets its hash, so that an
/// unchanged bad file is recognised in the next run.
fn read_and_hash(path: &Path, kind: FileKind) -> Result<(String, Option<Vec<u8>>), String> {
    match kind {
        FileKind::Transcript => {
            let bytes = inputs::read_limited(path)?;
            Ok((sha256_hex(&bytes), Some(bytes)))
        }
        FileKind::Recording => Ok((file_sha256(path)?, None)),
    }
}

/// The SHA-256 of a file's content, read in blocks (recordings can be large).
pub fn file_sha256(path: &Path) -> Result<String, String> {
    let shown = path.display();
    let mut file = std::fs::File::open(path)
        .map_err(|e| format!("{shown}: cannot open: {}", inputs::io_reason(&e)))?;
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(format!("{shown}: is a directory, not a file"));
    }
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| format!("{shown}: cannot read: {}", inputs::io_reason(&e)))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hex(&hasher.finalize()))
}

/// The SHA-256 of some bytes, as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn origin_of_file(path: &Path) -> String {
    let extension = path.extension().and_then(|e| e.to_str()).unwrap_or("txt");
    format!("file:{}", extension.to_ascii_lowercase())
}

type Heard = (Transcript, Option<RecordingInfo>, String);

fn transcribe(
    speech: Option<&Speech>,
    path: &Path,
    stored: &str,
    sha256: &str,
) -> Result<Heard, String> {
    let speech = speech.ok_or_else(|| format!("{}: no Whisper model loaded", path.display()))?;
    let started = Instant::now();
    let (transcript, report, info) = speech.transcribe_with_info(path, false)?;
    let recording = RecordingInfo {
        path: stored.to_string(),
        sha256: sha256.to_string(),
        codec: info.codec,
        duration_ms: Some(report.audio_ms).filter(|&ms| ms > 0).or(info.duration_ms),
        sample_rate: info.sample_rate,
        channels: info.channels,
        transcribe_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    };
    Ok((transcript, Some(recording), format!("whisper:{}", speech.model_name())))
}
