//! whisper.cpp's ggml model file: writing one (header, mel filters, vocabulary, tensors) and
//! checking one before it reaches whisper.cpp. It knows the layout, not where tensors come from.

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, Write};
use std::path::Path;

use crate::error::ModelError;
use crate::mel::N_FFT_BINS;

/// The first four bytes of a ggml file, read as a little-endian u32 ("lmgg" on disk).
pub(crate) const GGML_MAGIC: u32 = 0x6767_6d6c;
/// Size of the magic and the eleven hyperparameters.
pub(crate) const HEADER_BYTES: u64 = 4 + 11 * 4;
/// whisper.cpp's `ftype` for a model whose matrices are float16.
pub(crate) const FTYPE_F16: i32 = 1;
/// Multilingual Whisper vocabularies have 51865 tokens or more (whisper.cpp's own test).
const MULTILINGUAL_VOCAB: i32 = 51_865;

/// Element type of a tensor in a ggml file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GgmlType {
    F32 = 0,
    F16 = 1,
}

impl GgmlType {
    pub(crate) fn size(self) -> u64 {
        match self {
            GgmlType::F32 => 4,
            GgmlType::F16 => 2,
        }
    }
}

/// The hyperparameters at the start of a whisper.cpp model file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GgmlHeader {
    pub n_vocab: i32,
    pub n_audio_ctx: i32,
    pub n_audio_state: i32,
    pub n_audio_head: i32,
    pub n_audio_layer: i32,
    pub n_text_ctx: i32,
    pub n_text_state: i32,
    pub n_text_head: i32,
    pub n_text_layer: i32,
    pub n_mels: i32,
    pub ftype: i32,
}

impl GgmlHeader {
    fn fields(&self) -> [i32; 11] {
        [
            self.n_vocab,
            self.n_audio_ctx,
            self.n_audio_state,
            self.n_audio_head,
            self.n_audio_layer,
            self.n_text_ctx,
            self.n_text_state,
            self.n_text_head,
            self.n_text_layer,
            self.n_mels,
            self.ftype,
        ]
    }

    fn from_fields(f: [i32; 11]) -> GgmlHeader {
        let [
            n_vocab,
            n_audio_ctx,
            n_audio_state,
            n_audio_head,
            n_audio_layer,
            n_text_ctx,
            n_text_state,
            n_text_head,
            n_text_layer,
            n_mels,
            ftype,
        ] = f;
        GgmlHeader {
            n_vocab,
            n_audio_ctx,
            n_audio_state,
            n_audio_head,
            n_audio_layer,
            n_text_ctx,
            n_text_state,
            n_text_head,
            n_text_layer,
            n_mels,
            ftype,
        }
    }

    /// Whether the model knows languages other than English.
    pub fn multilingual(&self) -> bool {
        self.n_vocab >= MULTILINGUAL_VOCAB
    }

    /// The model's common name (`tiny.en`, `base`, `small`, …) from its size, if it is one of
    /// OpenAI's.
    pub fn kind(&self) -> Option<String> {
        let size = match (self.n_audio_layer, self.n_audio_state) {
            (4, 384) => "tiny",
            (6, 512) => "base",
            (12, 768) => "small",
            (24, 1024) => "medium",
            (32, 1280) if self.n_mels == 128 && self.n_text_layer == 4 => "large-v3-turbo",
            (32, 1280) if self.n_mels == 128 => "large-v3",
            (32, 1280) => "large",
            _ => return None,
        };
        Some(if self.multilingual() { size.to_owned() } else { format!("{size}.en") })
    }

    /// Rejects values no Whisper model has, so that a corrupt file fails here with a message
    /// rather than inside whisper.cpp.
    fn check(&self) -> Result<(), String> {
        let positive = [
            ("n_vocab", self.n_vocab, 1_000_000),
            ("n_audio_ctx", self.n_audio_ctx, 100_000),
            ("n_audio_state", self.n_audio_state, 16_384),
            ("n_audio_head", self.n_audio_head, 1024),
            ("n_audio_layer", self.n_audio_layer, 1024),
            ("n_text_ctx", self.n_text_ctx, 100_000),
            ("n_text_state", self.n_text_state, 16_384),
            ("n_text_head", self.n_text_head, 1024),
            ("n_text_layer", self.n_text_layer, 1024),
            ("n_mels", self.n_mels, 1024),
        ];
        for (name, value, max) in positive {
            if value <= 0 || value > max {
                return Err(format!("hyperparameter {name} = {value} is out of range 1..={max}"));
            }
        }
        if self.ftype < 0 {
            return Err(format!("hyperparameter ftype = {} is negative", self.ftype));
        }
        Ok(())
    }
}

/// What a full walk of a ggml file found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GgmlInfo {
    pub header: GgmlHeader,
    pub vocab: usize,
    pub tensors: usize,
}

/// Writes a ggml model front to back, counting bytes and tensors.
pub(crate) struct GgmlWriter<W: Write> {
    w: W,
    bytes: u64,
    tensors: usize,
}

impl<W: Write> GgmlWriter<W> {
    pub(crate) fn new(w: W) -> GgmlWriter<W> {
        GgmlWriter { w, bytes: 0, tensors: 0 }
    }

    fn put(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.w.write_all(bytes)?;
        self.bytes += bytes.len() as u64;
        Ok(())
    }

    fn put_i32(&mut self, v: i32) -> io::Result<()> {
        self.put(&v.to_le_bytes())
    }

    /// Writes a length or dimension, which the format stores as i32.
    fn put_len(&mut self, v: u64, what: &str) -> io::Result<()> {
        let v = i32::try_from(v).map_err(|_| {
            io::Error::new(io::ErrorKind::InvalidInput, format!("{what} {v} does not fit in i32"))
        })?;
        self.put_i32(v)
    }

    pub(crate) fn header(&mut self, h: &GgmlHeader) -> io::Result<()> {
        self.put(&GGML_MAGIC.to_le_bytes())?;
        for v in h.fields() {
            self.put_i32(v)?;
        }
        Ok(())
    }

    /// `filters` is `n_mels` rows of [`N_FFT_BINS`] weights.
    pub(crate) fn mel_filters(&mut self, n_mels: usize, filters: &[f32]) -> io::Result<()> {
        if filters.len() != n_mels * N_FFT_BINS {
            return Err(io::Error::new(io::ErrorKind::InvalidInput, "mel filter size mismatch"));
        }
        self.put_len(n_mels as u64, "mel count")?;
        self.put_len(N_FFT_BINS as u64, "fft bins")?;
        let bytes: Vec<u8> = filters.iter().flat_map(|v| v.to_le_bytes()).collect();
        self.put(&bytes)
    }

    pub(crate) fn vocabulary(&mut self, tokens: &[Vec<u8>]) -> io::Result<()> {
        self.put_len(tokens.len() as u64, "vocabulary size")?;
        for token in tokens {
            self.put_len(token.len() as u64, "token length")?;
            self.put(token)?;
        }
        Ok(())
    }

    /// One tensor record. `dims` are innermost first (ggml's `ne`), the reverse of the
    /// row-major shape; `data` must already be in `ty`.
    pub(crate) fn tensor(
        &mut self,
        name: &str,
        dims: &[u64],
        ty: GgmlType,
        data: &[u8],
    ) -> io::Result<()> {
        let elements: u64 = dims.iter().product();
        if elements * ty.size() != data.len() as u64 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("tensor {name}: {} bytes for dims {dims:?}", data.len()),
            ));
        }
        self.put_len(dims.len() as u64, "rank")?;
        self.put_len(name.len() as u64, "name length")?;
        self.put_i32(ty as i32)?;
        for &d in dims {
            self.put_len(d, "dimension")?;
        }
        self.put(name.as_bytes())?;
        self.put(data)?;
        self.tensors += 1;
        Ok(())
    }

    pub(crate) fn bytes(&self) -> u64 {
        self.bytes
    }

    pub(crate) fn tensors(&self) -> usize {
        self.tensors
    }

    pub(crate) fn into_inner(self) -> W {
        self.w
    }
}

fn not_ggml(path: &Path, reason: impl Into<String>) -> ModelError {
    ModelError::NotGgml { path: path.to_path_buf(), reason: reason.into() }
}

fn read_i32<R: Read>(r: &mut R, path: &Path, what: &str) -> Result<i32, ModelError> {
    let mut buf = [0u8; 4];
    r.read_exact(&mut buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            not_ggml(path, format!("file ends inside the {what}"))
        } else {
            ModelError::io(path, "cannot read", e)
        }
    })?;
    Ok(i32::from_le_bytes(buf))
}

fn read_header_from<R: Read>(r: &mut R, path: &Path) -> Result<GgmlHeader, ModelError> {
    let magic = read_i32(r, path, "magic")? as u32;
    if magic != GGML_MAGIC {
        return Err(not_ggml(
            path,
            format!("bad magic 0x{magic:08x}, expected 0x{GGML_MAGIC:08x} (\"lmgg\")"),
        ));
    }
    let mut fields = [0i32; 11];
    for f in &mut fields {
        *f = read_i32(r, path, "header")?;
    }
    let header = GgmlHeader::from_fields(fields);
    header.check().map_err(|reason| not_ggml(path, reason))?;
    Ok(header)
}

/// Reads and checks the magic and hyperparameters of a whisper.cpp model file.
pub fn read_ggml_header(path: &Path) -> Result<GgmlHeader, ModelError> {
    let file = File::open(path).map_err(|e| ModelError::io(path, "cannot open", e))?;
    read_header_from(&mut BufReader::with_capacity(64, file), path)
}

/// Walks a whole ggml file: header, mel filters, vocabulary and every tensor record, checking
/// that each fits in the file. Tensors of quantised types end the walk early, because their
/// sizes depend on block layouts this crate does not model; what came before was checked.
pub fn verify_ggml(path: &Path) -> Result<GgmlInfo, ModelError> {
    let file = File::open(path).map_err(|e| ModelError::io(path, "cannot open", e))?;
    let total = file.metadata().map_err(|e| ModelError::io(path, "cannot stat", e))?.len();
    verify_from(&mut BufReader::new(file), total, path)
}

fn verify_from<R: Read + Seek>(r: &mut R, total: u64, path: &Path) -> Result<GgmlInfo, ModelError> {
    let header = read_header_from(r, path)?;
    let mut pos = HEADER_BYTES;
    let skip = |r: &mut R, pos: &mut u64, n: u64, what: &str| -> Result<(), ModelError> {
        if total.saturating_sub(*pos) < n {
            return Err(not_ggml(path, format!("file ends inside the {what}")));
        }
        let delta = i64::try_from(n).map_err(|_| not_ggml(path, format!("{what} too large")))?;
        r.seek_relative(delta).map_err(|e| ModelError::io(path, "cannot seek", e))?;
        *pos += n;
        Ok(())
    };

    let n_mels = read_i32(r, path, "mel filters")?;
    let n_fft = read_i32(r, path, "mel filters")?;
    pos += 8;
    if n_mels != header.n_mels || n_fft != N_FFT_BINS as i32 {
        return Err(not_ggml(
            path,
            format!(
                "mel filters are {n_mels} × {n_fft}, expected {} × {N_FFT_BINS}",
                header.n_mels
            ),
        ));
    }
    skip(r, &mut pos, n_mels as u64 * n_fft as u64 * 4, "mel filters")?;

    let vocab = read_i32(r, path, "vocabulary")?;
    pos += 4;
    if vocab < 0 || vocab > header.n_vocab {
        return Err(not_ggml(
            path,
            format!("vocabulary of {vocab} tokens for n_vocab {}", header.n_vocab),
        ));
    }
    for i in 0..vocab {
        let len = read_i32(r, path, "vocabulary")?;
        pos += 4;
        if !(0..=1024).contains(&len) {
            return Err(not_ggml(path, format!("token {i} has length {len}")));
        }
        skip(r, &mut pos, len as u64, "vocabulary")?;
    }

    let mut tensors = 0;
    while pos < total {
        let n_dims = read_i32(r, path, "tensor table")?;
        let name_len = read_i32(r, path, "tensor table")?;
        let ty = read_i32(r, path, "tensor table")?;
        pos += 12;
        if !(1..=4).contains(&n_dims) || !(1..=256).contains(&name_len) {
            return Err(not_ggml(
                path,
                format!("tensor {tensors} has rank {n_dims} and name length {name_len}"),
            ));
        }
        let mut elements: u64 = 1;
        for _ in 0..n_dims {
            let d = read_i32(r, path, "tensor table")?;
            pos += 4;
            if d <= 0 {
                return Err(not_ggml(path, format!("tensor {tensors} has dimension {d}")));
            }
            elements = elements.saturating_mul(d as u64);
        }
        skip(r, &mut pos, name_len as u64, "tensor table")?;
        tensors += 1;
        let size = match ty {
            0 => 4,
            1 => 2,
            _ => break,
        };
        skip(r, &mut pos, elements.saturating_mul(size), "tensor data")?;
    }
    if tensors == 0 {
        return Err(not_ggml(path, "no tensors"));
    }
    Ok(GgmlInfo { header, vocab: vocab as usize, tensors })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Cursor;

    pub(crate) fn tiny_header() -> GgmlHeader {
        GgmlHeader {
            n_vocab: 51_864,
            n_audio_ctx: 1500,
            n_audio_state: 384,
            n_audio_head: 6,
            n_audio_layer: 4,
            n_text_ctx: 448,
            n_text_state: 384,
            n_text_head: 6,
            n_text_layer: 4,
            n_mels: 80,
            ftype: FTYPE_F16,
        }
    }

    /// A small but structurally complete ggml file.
    pub(crate) fn small_ggml() -> Vec<u8> {
        let mut w = GgmlWriter::new(Vec::new());
        w.header(&tiny_header()).expect("header");
        w.mel_filters(80, &crate::mel::mel_filters(80)).expect("mel");
        w.vocabulary(&[b"!".to_vec(), b" the".to_vec()]).expect("vocab");
        w.tensor("encoder.conv1.bias", &[1, 2], GgmlType::F32, &[0; 8]).expect("tensor");
        w.into_inner()
    }

    #[test]
    fn writer_lays_out_header_and_tensor_records() {
        let mut w = GgmlWriter::new(Vec::new());
        w.header(&tiny_header()).expect("header");
        assert_eq!(w.bytes(), HEADER_BYTES);
        w.vocabulary(&[b"ab".to_vec()]).expect("vocab");
        let data: Vec<u8> = [1.5f32, -2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        w.tensor("x.bias", &[1, 2], GgmlType::F32, &data).expect("tensor");
        let f16: Vec<u8> = (0..6u16).flat_map(|v| v.to_le_bytes()).collect();
        w.tensor("x.weight", &[3, 2], GgmlType::F16, &f16).expect("tensor");
        assert_eq!(w.tensors(), 2);
        let bytes = w.into_inner();

        let i32_at = |at: usize| {
            i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        assert_eq!(&bytes[..4], b"lmgg");
        assert_eq!(i32_at(4), 51_864);
        assert_eq!(i32_at(4 + 4 * 10), FTYPE_F16);
        // Vocabulary: count, then length + bytes.
        assert_eq!((i32_at(48), i32_at(52)), (1, 2));
        assert_eq!(&bytes[56..58], b"ab");
        // First tensor: rank 2, name length 6, type f32, dims innermost first, name, data.
        let t = 58;
        assert_eq!([i32_at(t), i32_at(t + 4), i32_at(t + 8)], [2, 6, 0]);
        assert_eq!([i32_at(t + 12), i32_at(t + 16)], [1, 2]);
        assert_eq!(&bytes[t + 20..t + 26], b"x.bias");
        assert_eq!(&bytes[t + 26..t + 34], &data[..]);
        let t = t + 34;
        assert_eq!([i32_at(t), i32_at(t + 4), i32_at(t + 8)], [2, 8, 1]);
        assert_eq!([i32_at(t + 12), i32_at(t + 16)], [3, 2]);
        assert_eq!(&bytes[t + 20..t + 28], b"x.weight");
        assert_eq!(bytes.len(), t + 28 + 12);
    }

    #[test]
    fn writer_rejects_data_of_the_wrong_size() {
        let mut w = GgmlWriter::new(Vec::new());
        assert!(w.tensor("x", &[3], GgmlType::F32, &[0; 8]).is_err());
    }

    #[test]
    fn header_round_trips_and_names_the_model() {
        let bytes = small_ggml();
        let h = read_header_from(&mut Cursor::new(&bytes), Path::new("m.bin")).expect("reads");
        assert_eq!(h, tiny_header());
        assert_eq!(h.kind().as_deref(), Some("tiny.en"));
        assert!(!h.multilingual());
        let base = GgmlHeader {
            n_vocab: 51_865,
            n_audio_state: 512,
            n_audio_layer: 6,
            n_text_state: 512,
            n_text_layer: 6,
            ..tiny_header()
        };
        assert_eq!(base.kind().as_deref(), Some("base"));
        let odd = GgmlHeader { n_audio_layer: 5, ..tiny_header() };
        assert_eq!(odd.kind(), None);
    }

    #[test]
    fn verify_walks_a_complete_file() {
        let bytes = small_ggml();
        let info = verify_from(&mut Cursor::new(&bytes), bytes.len() as u64, Path::new("m"))
            .expect("valid");
        assert_eq!((info.vocab, info.tensors), (2, 1));
    }

    #[test]
    fn verify_rejects_every_truncation_and_bad_magic() {
        let bytes = small_ggml();
        for cut in (0..bytes.len()).step_by(97).chain([bytes.len() - 1, bytes.len() - 8]) {
            let err = verify_from(&mut Cursor::new(&bytes[..cut]), cut as u64, Path::new("m"));
            assert!(matches!(err, Err(ModelError::NotGgml { .. })), "cut {cut}: {err:?}");
        }
        let mut bad = bytes.clone();
        bad[0] = b'X';
        let err = verify_from(&mut Cursor::new(&bad), bad.len() as u64, Path::new("m.bin"))
            .expect_err("bad magic");
        assert_eq!(
            err.to_string(),
            "m.bin: not a whisper.cpp ggml model: bad magic 0x67676d58, expected 0x67676d6c (\"lmgg\")"
        );
        let mut bad = bytes;
        bad[4..8].copy_from_slice(&(-3i32).to_le_bytes());
        let err = verify_from(&mut Cursor::new(&bad), bad.len() as u64, Path::new("m.bin"))
            .expect_err("negative vocab");
        assert!(err.to_string().contains("n_vocab = -3"), "{err}");
    }

    proptest::proptest! {
        #[test]
        fn verify_never_panics(at in 0usize..70_000, value in proptest::num::u8::ANY, cut in 0usize..70_000) {
            let mut bytes = small_ggml();
            let i = at % bytes.len();
            bytes[i] = value;
            bytes.truncate(cut.max(1));
            let _ = verify_from(&mut Cursor::new(&bytes), bytes.len() as u64, Path::new("m"));
        }
    }
}
