//! The byte source under every decoder: an open file or an owned buffer; no parsing here.

use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek, SeekFrom};

use symphonia::core::io::MediaSource;

/// How many leading bytes are read once to recognise the container.
pub(crate) const SNIFF_LEN: usize = 64 * 1024;

/// A seekable byte source of known length that can move between threads.
pub(crate) enum Input {
    File { reader: BufReader<File>, len: u64 },
    Memory(Cursor<Vec<u8>>),
}

impl Input {
    pub(crate) fn from_file(mut file: File) -> io::Result<Input> {
        // The metadata length is wrong for special files; seeking to the end is what reads see.
        let len = file.seek(SeekFrom::End(0))?;
        file.seek(SeekFrom::Start(0))?;
        Ok(Input::File { reader: BufReader::with_capacity(64 * 1024, file), len })
    }

    pub(crate) fn from_bytes(bytes: Vec<u8>) -> Input {
        Input::Memory(Cursor::new(bytes))
    }

    pub(crate) fn len(&self) -> u64 {
        match self {
            Input::File { len, .. } => *len,
            Input::Memory(cursor) => cursor.get_ref().len() as u64,
        }
    }

    /// Reads up to `SNIFF_LEN` bytes from the start and rewinds.
    pub(crate) fn head(&mut self) -> io::Result<Vec<u8>> {
        self.seek(SeekFrom::Start(0))?;
        let want = usize::try_from(self.len()).unwrap_or(usize::MAX).min(SNIFF_LEN);
        let mut head = vec![0; want];
        let mut filled = 0;
        while filled < want {
            match self.read(&mut head[filled..]) {
                Ok(0) => break,
                Ok(n) => filled += n,
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => return Err(err),
            }
        }
        head.truncate(filled);
        self.seek(SeekFrom::Start(0))?;
        Ok(head)
    }
}

impl Read for Input {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Input::File { reader, .. } => reader.read(buf),
            Input::Memory(cursor) => cursor.read(buf),
        }
    }
}

impl Seek for Input {
    fn seek(&mut self, pos: SeekFrom) -> io::Result<u64> {
        match self {
            Input::File { reader, .. } => reader.seek(pos),
            Input::Memory(cursor) => cursor.seek(pos),
        }
    }
}

impl MediaSource for Input {
    fn is_seekable(&self) -> bool {
        true
    }

    fn byte_len(&self) -> Option<u64> {
        Some(self.len())
    }
}
