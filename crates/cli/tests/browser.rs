//! The coaching sheet in a real browser (issue 6): headless Chromium opens the HTML offline,
//! takes a screenshot and prints it to PDF on A4 and on Letter; `pdfinfo` and `pdftotext`
//! (poppler-utils) check the page count, the paper and the text of each page. Needs Debian's
//! `chromium` and `poppler-utils` (scripts/setup installs them): without them it fails.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{report_sample_db, run_qadesk};

/// Runs a tool and returns its stdout; a missing tool fails the test with what to install.
fn tool(program: &str, args: &[&str], package: &str) -> String {
    let output = Command::new(program).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run `{program}` ({e}): install Debian's `{package}` (scripts/setup does)")
    });
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Headless Chromium with a fresh profile and nothing that reaches the network.
fn chromium(profile: &Path, action: &[&str], page: &Path) {
    let profile = format!("--user-data-dir={}", profile.display());
    let url = format!("file://{}", page.display());
    let mut args = vec![
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        profile.as_str(),
    ];
    args.extend_from_slice(action);
    args.push(url.as_str());
    tool("chromium", &args, "chromium");
}

fn sheet(dir: &Path, employee: &str) -> PathBuf {
    let db = report_sample_db(dir);
    let out = dir.join("sheets");
    let (code, _, stderr) = run_qadesk(
        &[
            "--db",
            db.to_str().expect("utf-8"),
            "coach",
            "--employee",
            employee,
            "--date",
            "2026-03-31",
            // Nobody has reviewed the samples: their automatic scorecards, marked unreviewed.
            "--include-unreviewed",
            "--out",
            out.to_str().expect("utf-8"),
        ],
        &[],
    );
    assert_eq!(code, 0, "{stderr}");
    out.join(format!("coaching-{employee}.html"))
}

/// Width and height from a PNG's header.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    let number = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    (number(16), number(20))
}

#[test]
fn the_coaching_sheet_prints_on_a4_and_letter_in_headless_chromium() {
    let dir = tempfile::tempdir().expect("temp dir");
    // James Okafor's sheet: the longest of the samples (three focus areas with three moments
    // each, a mystery call), so page breaks are exercised.
    let html = sheet(dir.path(), "E107");
    let text = std::fs::read_to_string(&html).expect("sheet");
    // Self-contained: no script, and the only URL is the SVG namespace, which is not fetched.
    assert!(!text.contains("<script"));
    assert_eq!(text.matches("http").count(), text.matches("http://www.w3.org/2000/svg").count());

    let screenshot = dir.path().join("sheet.png");
    chromium(
        &dir.path().join("profile-shot"),
        &[&format!("--screenshot={}", screenshot.display()), "--window-size=1000,1400"],
        &html,
    );
    let png = std::fs::read(&screenshot).expect("screenshot written");
    assert_eq!(png_size(&png), (1000, 1400));
    // A blank or unstyled page compresses to a few kilobytes; the sheet's chart, cards and
    // text do not.
    assert!(png.len() > 40_000, "screenshot is suspiciously small: {} bytes", png.len());
    // Kept for a person to look at when the test runs locally.
    let _ = std::fs::copy(&screenshot, std::env::temp_dir().join("qadesk-coaching-sheet.png"));

    // The sheet asks for the printer's paper (`@page { size: auto }`); each run pins one.
    for (paper, pdfinfo_name, expected_pages) in [("A4", "(A4)", 4), ("letter", "(letter)", 4)] {
        let pinned = dir.path().join(format!("sheet-{paper}.html"));
        std::fs::write(
            &pinned,
            text.replace("</head>", &format!("<style>@page {{ size: {paper}; }}</style></head>")),
        )
        .expect("write");
        let pdf = dir.path().join(format!("sheet-{paper}.pdf"));
        chromium(
            &dir.path().join(format!("profile-{paper}")),
            &["--no-pdf-header-footer", &format!("--print-to-pdf={}", pdf.display())],
            &pinned,
        );
        let pdf_path = pdf.to_str().expect("utf-8");
        let info = tool("pdfinfo", &[pdf_path], "poppler-utils");
        assert!(
            info.lines().any(|l| l.starts_with("Page size:") && l.contains(pdfinfo_name)),
            "{info}"
        );
        let pages: usize = info
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no page count: {info}"));
        assert_eq!(pages, expected_pages, "{paper}: {info}");

        let page = |n: usize| {
            let n = n.to_string();
            tool("pdftotext", &["-layout", "-f", &n, "-l", &n, pdf_path, "-"], "poppler-utils")
        };
        let first = page(1);
        for expected in ["Coaching sheet", "James Okafor (E107)", "Overall score", "40.3", "Poor"] {
            assert!(first.contains(expected), "{paper} page 1 lacks `{expected}`:\n{first}");
        }
        // The agreement starts its own page, to be filled in and signed, with the list of
        // interactions after it.
        let last = page(pages);
        assert!(last.trim_start().starts_with("What we agreed"), "{paper}:\n{last}");
        for expected in
            ["Employee's signature", "Coach's signature", "Next review date", "CALL-2026-0304-22"]
        {
            assert!(last.contains(expected), "{paper} last page lacks `{expected}`:\n{last}");
        }
        let all = tool("pdftotext", &[pdf_path, "-"], "poppler-utils");
        for expected in [
            "What went well",
            "What to work on",
            "A line to try next time",
            "Mystery shopping",
            "CALL-2026-0304-05",
        ] {
            assert!(all.contains(expected), "{paper} lacks `{expected}`");
        }
        for other in ["Anna Berg", "E101", "Lucía", "4471"] {
            assert!(!all.contains(other), "{paper} PDF contains `{other}`");
        }
    }
}
