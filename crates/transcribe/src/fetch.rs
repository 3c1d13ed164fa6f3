//! Downloading whisper.cpp's published ggml models over HTTP(S) into a models directory,
//! through a `.part` file that is checked and renamed only when complete.

use std::fs::{self, File};
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::ModelError;
use crate::ggml::read_ggml_header;

/// Where whisper.cpp publishes its ggml models.
pub const DEFAULT_MODEL_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

/// The environment variable that replaces [`DEFAULT_MODEL_URL`] (read by the command line).
pub const MODEL_URL_ENV: &str = "QADESK_MODEL_URL";

/// Model names `fetch_model` accepts: the non-quantised ones small enough for a laptop CPU.
pub const FETCHABLE: [&str; 6] = ["tiny", "tiny.en", "base", "base.en", "small", "small.en"];

/// Downloads `{base_url}/ggml-{name}.bin` into `dest_dir/ggml-{name}.bin`.
///
/// The body goes to `ggml-{name}.bin.part` and is renamed into place only once it is complete
/// (as long as the server's `Content-Length`, when it sent one) and starts with a valid ggml
/// header; on any failure the `.part` file is removed. An existing model of the same name is
/// replaced. `progress` is called with the bytes received so far and the total, when known.
pub fn fetch_model(
    name: &str,
    base_url: &str,
    dest_dir: &Path,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<PathBuf, ModelError> {
    if !FETCHABLE.contains(&name) {
        return Err(ModelError::UnknownModelName {
            name: name.to_owned(),
            known: FETCHABLE.to_vec(),
        });
    }
    let file_name = format!("ggml-{name}.bin");
    let url = format!("{}/{file_name}", base_url.trim_end_matches('/'));
    fs::create_dir_all(dest_dir).map_err(|e| ModelError::io(dest_dir, "cannot create", e))?;
    let dest = dest_dir.join(&file_name);
    let part = dest_dir.join(format!("{file_name}.part"));

    let result = download(&url, &part, progress).and_then(|()| {
        read_ggml_header(&part).map_err(|e| match e {
            // Name the URL: the .part file is about to disappear.
            ModelError::NotGgml { reason, .. } => ModelError::Download {
                url: url.clone(),
                reason: format!("the file is not a whisper.cpp ggml model: {reason}"),
            },
            other => other,
        })?;
        fs::rename(&part, &dest).map_err(|e| ModelError::io(&dest, "cannot rename into place", e))
    });
    match result {
        Ok(()) => Ok(dest),
        Err(e) => {
            // Best effort: the download error is the one worth reporting.
            let _ = fs::remove_file(&part);
            Err(e)
        }
    }
}

fn download(
    url: &str,
    part: &Path,
    progress: &mut dyn FnMut(u64, Option<u64>),
) -> Result<(), ModelError> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_secs(30)))
        .timeout_recv_response(Some(Duration::from_secs(60)))
        .build()
        .into();
    let mut response = agent.get(url).call().map_err(|e| match e {
        ureq::Error::StatusCode(status) => ModelError::HttpStatus { url: url.to_owned(), status },
        other => ModelError::Download { url: url.to_owned(), reason: other.to_string() },
    })?;
    let expected = response.body().content_length();
    let mut body = response.body_mut().as_reader();

    let file = File::create(part).map_err(|e| ModelError::io(part, "cannot create", e))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    let mut buf = vec![0u8; 1 << 16];
    let mut received: u64 = 0;
    progress(0, expected);
    let truncated = |received| ModelError::DownloadTruncated {
        url: url.to_owned(),
        received,
        expected: expected.unwrap_or(0),
    };
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) if expected.is_some_and(|total| received < total) => {
                return Err(truncated(received));
            }
            Err(e) => {
                return Err(ModelError::Download { url: url.to_owned(), reason: e.to_string() });
            }
        };
        out.write_all(&buf[..n]).map_err(|e| ModelError::io(part, "cannot write", e))?;
        received += n as u64;
        progress(received, expected);
    }
    if expected.is_some_and(|total| received != total) {
        return Err(truncated(received));
    }
    let file =
        out.into_inner().map_err(|e| ModelError::io(part, "cannot write", e.into_error()))?;
    file.sync_all().map_err(|e| ModelError::io(part, "cannot sync", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ggml::tests::small_ggml;
    use std::io::{BufRead, BufReader};
    use std::net::{TcpListener, TcpStream};
    use std::thread;

    /// What the test server does for a path.
    fn respond(path: &str, mut stream: TcpStream) -> io::Result<()> {
        let model = small_ggml();
        match path {
            "/models/ggml-tiny.en.bin" => {
                write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", model.len())?;
                stream.write_all(&model)
            }
            "/models/ggml-small.bin" => {
                // Announces more than it sends, then hangs up.
                write!(
                    stream,
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    model.len() + 1000
                )?;
                stream.write_all(&model)
            }
            "/models/ggml-base.en.bin" => {
                let page = b"<html>sign in to download</html>";
                write!(stream, "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", page.len())?;
                stream.write_all(page)
            }
            _ => {
                stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found")
            }
        }
    }

    /// Serves requests on a loopback port until the test process ends; returns the base URL.
    fn serve() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local address").port();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let mut line = String::new();
                let Ok(clone) = stream.try_clone() else { continue };
                let mut reader = BufReader::new(clone);
                if reader.read_line(&mut line).is_err() {
                    continue;
                }
                // Read the rest of the request head.
                let mut header = String::new();
                while reader.read_line(&mut header).is_ok_and(|n| n > 2) {
                    header.clear();
                }
                let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                let _ = respond(&path, stream);
            }
        });
        format!("http://127.0.0.1:{port}/models/")
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .map(|rd| {
                rd.filter_map(Result::ok)
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    #[test]
    fn downloads_validates_and_renames() {
        let base = serve();
        let dir = tempfile::tempdir().expect("temp dir");
        let dest = dir.path().join("models");
        let mut calls = Vec::new();
        let got =
            fetch_model("tiny.en", &base, &dest, &mut |done, total| calls.push((done, total)))
                .expect("downloads");
        assert_eq!(got, dest.join("ggml-tiny.en.bin"));
        let model = small_ggml();
        assert_eq!(fs::read(&got).expect("saved"), model);
        assert_eq!(entries(&dest), vec!["ggml-tiny.en.bin"]);
        let total = model.len() as u64;
        assert_eq!(calls.first(), Some(&(0, Some(total))));
        assert_eq!(calls.last(), Some(&(total, Some(total))));
        assert!(calls.windows(2).all(|w| w[0].0 <= w[1].0));
    }

    #[test]
    fn http_404_is_a_clear_error_and_leaves_nothing() {
        let base = serve();
        let dir = tempfile::tempdir().expect("temp dir");
        let err = fetch_model("base", &base, dir.path(), &mut |_, _| {}).expect_err("404");
        assert_eq!(err.to_string(), format!("{base}ggml-base.bin: server answered http 404"));
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn truncated_body_is_an_error_and_leaves_nothing() {
        let base = serve();
        let dir = tempfile::tempdir().expect("temp dir");
        let err = fetch_model("small", &base, dir.path(), &mut |_, _| {}).expect_err("short");
        let n = small_ggml().len();
        assert_eq!(
            err.to_string(),
            format!("{base}ggml-small.bin: download truncated: received {n} of {} bytes", n + 1000)
        );
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn a_body_that_is_not_a_model_is_rejected() {
        let base = serve();
        let dir = tempfile::tempdir().expect("temp dir");
        let err = fetch_model("base.en", &base, dir.path(), &mut |_, _| {}).expect_err("html");
        assert!(err.to_string().contains("not a whisper.cpp ggml model: bad magic"), "{err}");
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn unknown_names_and_unreachable_servers_are_errors() {
        let dir = tempfile::tempdir().expect("temp dir");
        let err = fetch_model("large-v3", "http://127.0.0.1:9", dir.path(), &mut |_, _| {})
            .expect_err("not fetchable");
        assert_eq!(
            err.to_string(),
            "unknown model name \"large-v3\" (known: tiny, tiny.en, base, base.en, small, small.en)"
        );
        // Nothing listens on a port we just bound and released.
        let port =
            TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("port").port();
        let err =
            fetch_model("tiny", &format!("http://127.0.0.1:{port}"), dir.path(), &mut |_, _| {})
                .expect_err("refused");
        assert!(matches!(err, ModelError::Download { .. }), "{err:?}");
        assert!(entries(dir.path()).is_empty());
    }
}
