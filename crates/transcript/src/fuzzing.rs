//! The entry point the `transcript` fuzz target and its regression tests share: any bytes,
//! read in a chosen format, give a transcript or an error, and a transcript that was read
//! can be written in every format and read back. Reports what broke instead of panicking.

use crate::{Format, SpeakerMap, read, write};

/// Checks one fuzz input. The first byte picks the format (`% 4`, in [`Format::ALL`] order)
/// and, with bit 2, a speaker map (`Rep=agent,Caller=customer`); the rest is the file's
/// content, which must be UTF-8 as qadesk refuses other files before reading them.
pub fn check(data: &[u8]) -> Result<(), String> {
    let Some((&selector, rest)) = data.split_first() else {
        return Ok(());
    };
    let Ok(content) = std::str::from_utf8(rest) else {
        return Ok(());
    };
    let format = Format::ALL[usize::from(selector % 4)];
    let speakers = if selector & 4 == 0 {
        SpeakerMap::default()
    } else {
        SpeakerMap::parse("Rep=agent,Caller=customer").map_err(|e| e.to_string())?
    };
    let _ = Format::sniff(content);
    let Ok(transcript) = read(content, format, &speakers) else {
        return Ok(());
    };
    for target in Format::ALL {
        // Some transcripts do not fit some formats (subtitles need times); that is an error,
        // not a file that would not read back.
        let Ok(written) = write(&transcript, target) else {
            continue;
        };
        let back = read(&written, target, &SpeakerMap::default()).map_err(|e| {
            format!("read as {format}, written as {target}, not readable: {e}\n{written}")
        })?;
        if back.segments.len() != transcript.segments.len() {
            return Err(format!(
                "read as {format}, written as {target}: {} segment(s) became {}\n{written}",
                transcript.segments.len(),
                back.segments.len()
            ));
        }
        if back.segments.iter().zip(&transcript.segments).any(|(a, b)| a.speaker != b.speaker) {
            return Err(format!("read as {format}, written as {target}: speakers changed"));
        }
        // A format may round times (text keeps tenths), but what it wrote it must keep.
        let again = write(&back, target)
            .map_err(|e| format!("written as {target} once, not a second time: {e}"))?;
        if again != written {
            return Err(format!(
                "read as {format}, written as {target}: writing it again changed it\n\
                 first:\n{written}\nsecond:\n{again}"
            ));
        }
    }
    Ok(())
}
