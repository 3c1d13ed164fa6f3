//! Reading CTranslate2 `model.bin` files (binary version 6): the variable index, aliases and
//! tensor bytes. It only reads; it knows nothing of whisper.cpp's names or of the ggml format.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::error::ModelError;

/// The only binary version whose layout this reader knows.
pub(crate) const CT2_VERSION: u32 = 6;
/// Ranks above this are not produced by CTranslate2; a larger value means a corrupt file.
const MAX_RANK: u8 = 8;

/// Element type of a CTranslate2 variable, as stored in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl DType {
    fn from_code(code: u8) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::I8,
            2 => DType::I16,
            3 => DType::I32,
            4 => DType::F16,
            5 => DType::Bf16,
            _ => return None,
        })
    }

    pub(crate) fn size(self) -> u64 {
        match self {
            DType::I8 => 1,
            DType::I16 | DType::F16 | DType::Bf16 => 2,
            DType::F32 | DType::I32 => 4,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            DType::F32 => "float32",
            DType::I8 => "int8",
            DType::I16 => "int16",
            DType::I32 => "int32",
            DType::F16 => "float16",
            DType::Bf16 => "bfloat16",
        }
    }
}

/// One variable of the file: where its data lies, not the data itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Variable {
    pub name: String,
    pub dims: Vec<u64>,
    pub dtype: DType,
    /// Offset of the first data byte from the start of the (joined) file.
    pub offset: u64,
    pub nbytes: u64,
}

impl Variable {
    pub(crate) fn elements(&self) -> u64 {
        self.nbytes / self.dtype.size()
    }
}

/// The index of a CTranslate2 model file.
#[derive(Debug, Clone)]
pub(crate) struct Ct2Index {
    pub variables: Vec<Variable>,
    by_name: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

impl Ct2Index {
    /// Looks a variable up by name, following an alias if the name is one.
    pub(crate) fn get(&self, name: &str) -> Option<&Variable> {
        let target = self.aliases.get(name).map_or(name, String::as_str);
        self.by_name.get(target).and_then(|&i| self.variables.get(i))
    }

    #[cfg(test)]
    pub(crate) fn alias_count(&self) -> usize {
        self.aliases.len()
    }
}

/// The bytes of a CTranslate2 model: one file, or consecutive parts read as one stream.
#[derive(Debug)]
pub(crate) struct Ct2Source {
    /// How errors name the model: the file, or `model.bin.part1+part2` for split models.
    display: PathBuf,
    parts: Vec<Part>,
    total: u64,
    pos: u64,
}

#[derive(Debug)]
struct Part {
    path: PathBuf,
    file: File,
    start: u64,
    len: u64,
}

impl Ct2Source {
    /// Opens `dir/model.bin`, or else `dir/model.bin.part1`, `.part2`, … joined in order.
    pub(crate) fn open_dir(dir: &Path) -> Result<Ct2Source, ModelError> {
        let single = dir.join("model.bin");
        if single.is_file() {
            return Ct2Source::open_parts(single.clone(), &[single]);
        }
        let mut paths = Vec::new();
        for n in 1.. {
            let path = dir.join(format!("model.bin.part{n}"));
            if !path.is_file() {
                break;
            }
            paths.push(path);
        }
        if paths.len() < 2 {
            return Err(ModelError::NoCt2Model { dir: dir.to_path_buf() });
        }
        let suffixes: Vec<String> = (1..=paths.len()).map(|n| format!("part{n}")).collect();
        let display = dir.join(format!("model.bin.{}", suffixes.join("+")));
        Ct2Source::open_parts(display, &paths)
    }

    fn open_parts(display: PathBuf, paths: &[PathBuf]) -> Result<Ct2Source, ModelError> {
        let mut parts = Vec::with_capacity(paths.len());
        let mut start = 0;
        for path in paths {
            let file = File::open(path).map_err(|e| ModelError::io(path, "cannot open", e))?;
            let len = file.metadata().map_err(|e| ModelError::io(path, "cannot stat", e))?.len();
            parts.push(Part { path: path.clone(), file, start, len });
            start += len;
        }
        Ok(Ct2Source { display, parts, total: start, pos: 0 })
    }

    pub(crate) fn display(&self) -> &Path {
        &self.display
    }

    pub(crate) fn len(&self) -> u64 {
        self.total
    }
}

impl Read for Ct2Source {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let pos = self.pos;
        let Some(part) = self.parts.iter_mut().find(|p| pos >= p.start && pos < p.start + p.len)
        else {
            return Ok(0);
        };
        let within = pos - part.start;
        let left = part.len - within;
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        part.file.seek(SeekFrom::Start(within))?;
        let n = part
            .file
            .read(&mut buf[..want])
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", part.path.display())))?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for Ct2Source {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::End(d) => self.total.checked_add_signed(d),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        let target = target.ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "seek before the start of the model")
        })?;
        self.pos = target;
        Ok(target)
    }
}

/// A reader that knows its position and the stream length, so that every short read becomes an
/// error naming what was being read and where.
struct Parser<'a, R> {
    r: R,
    pos: u64,
    total: u64,
    path: &'a Path,
}

impl<R: Read + Seek> Parser<'_, R> {
    fn truncated(&self, what: impl Into<String>) -> ModelError {
        ModelError::Ct2Truncated {
            path: self.path.to_path_buf(),
            what: what.into(),
            offset: self.pos,
        }
    }

    fn malformed(&self, what: impl Into<String>, at: u64, reason: impl Into<String>) -> ModelError {
        ModelError::Ct2Malformed {
            path: self.path.to_path_buf(),
            what: what.into(),
            offset: at,
            reason: reason.into(),
        }
    }

    fn bytes<const N: usize>(&mut self, what: &dyn Fn() -> String) -> Result<[u8; N], ModelError> {
        if self.total.saturating_sub(self.pos) < N as u64 {
            return Err(self.truncated(what()));
        }
        let mut buf = [0u8; N];
        self.r.read_exact(&mut buf).map_err(|e| self.read_error(e, what))?;
        self.pos += N as u64;
        Ok(buf)
    }

    fn read_error(&self, e: io::Error, what: &dyn Fn() -> String) -> ModelError {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            self.truncated(what())
        } else {
            ModelError::io(self.path, "cannot read", e)
        }
    }

    fn u8(&mut self, what: &dyn Fn() -> String) -> Result<u8, ModelError> {
        Ok(self.bytes::<1>(what)?[0])
    }

    fn u16(&mut self, what: &dyn Fn() -> String) -> Result<u16, ModelError> {
        Ok(u16::from_le_bytes(self.bytes(what)?))
    }

    fn u32(&mut self, what: &dyn Fn() -> String) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.bytes(what)?))
    }

    /// A string is a u16 length that counts a trailing NUL, then the bytes.
    fn string(&mut self, what: &dyn Fn() -> String) -> Result<String, ModelError> {
        let at = self.pos;
        let len = u64::from(self.u16(what)?);
        if len == 0 {
            return Err(self.malformed(what(), at, "string of length 0 (no terminating nul)"));
        }
        if self.total.saturating_sub(self.pos) < len {
            return Err(self.truncated(what()));
        }
        let mut buf = vec![0u8; len as usize];
        self.r.read_exact(&mut buf).map_err(|e| self.read_error(e, what))?;
        self.pos += len;
        if buf.pop() != Some(0) {
            return Err(self.malformed(what(), at, "string does not end with a nul byte"));
        }
        String::from_utf8(buf).map_err(|_| self.malformed(what(), at, "string is not utf-8"))
    }

    fn skip(&mut self, n: u64, what: &dyn Fn() -> String) -> Result<(), ModelError> {
        if self.total.saturating_sub(self.pos) < n {
            return Err(self.truncated(what()));
        }
        let delta = i64::try_from(n).map_err(|_| self.truncated(what()))?;
        self.r.seek_relative(delta).map_err(|e| ModelError::io(self.path, "cannot seek", e))?;
        self.pos += n;
        Ok(())
    }
}

/// Reads the index of a CTranslate2 file: header, every variable's name, shape, type and place,
/// and the aliases. Data bytes are skipped, so this costs a few kilobytes of memory.
pub(crate) fn read_index<R: Read + Seek>(
    r: R,
    total: u64,
    path: &Path,
) -> Result<Ct2Index, ModelError> {
    let mut p = Parser { r, pos: 0, total, path };
    let header = |reason: String| ModelError::Ct2Header { path: path.to_path_buf(), reason };

    let version = p.u32(&|| "version".to_owned())?;
    if version != CT2_VERSION {
        return Err(header(format!(
            "binary version {version}, expected {CT2_VERSION} (is this a CTranslate2 model.bin?)"
        )));
    }
    let spec = p.string(&|| "spec name".to_owned())?;
    if spec != "WhisperSpec" {
        return Err(header(format!("spec {spec:?}, expected \"WhisperSpec\"")));
    }
    let _revision = p.u32(&|| "spec revision".to_owned())?;
    let count = p.u32(&|| "variable count".to_owned())?;

    // The count comes from the file: reserve for a plausible number only.
    let mut variables: Vec<Variable> = Vec::with_capacity(count.min(4096) as usize);
    let mut by_name = HashMap::new();
    for index in 0..count {
        let at = p.pos;
        let label = move || format!("variable #{index}");
        let name = p.string(&label)?;
        let named = || format!("variable {name:?}");
        let rank = p.u8(&named)?;
        if rank > MAX_RANK {
            return Err(p.malformed(named(), at, format!("rank {rank} is over {MAX_RANK}")));
        }
        let mut dims = Vec::with_capacity(usize::from(rank));
        for _ in 0..rank {
            dims.push(u64::from(p.u32(&named)?));
        }
        let code = p.u8(&named)?;
        let dtype = DType::from_code(code)
            .ok_or_else(|| p.malformed(named(), at, format!("unknown data type code {code}")))?;
        let nbytes = u64::from(p.u32(&named)?);
        let expected = dims
            .iter()
            .try_fold(dtype.size(), |acc, &d| acc.checked_mul(d))
            .ok_or_else(|| p.malformed(named(), at, "shape overflows"))?;
        if nbytes != expected {
            return Err(p.malformed(
                named(),
                at,
                format!(
                    "{nbytes} data bytes, but shape {dims:?} of {} needs {expected}",
                    dtype.name()
                ),
            ));
        }
        let offset = p.pos;
        p.skip(nbytes, &named)?;
        if by_name.insert(name.clone(), variables.len()).is_some() {
            return Err(p.malformed(named(), at, "name appears twice"));
        }
        variables.push(Variable { name, dims, dtype, offset, nbytes });
    }

    let alias_count = p.u32(&|| "alias count".to_owned())?;
    let mut aliases = HashMap::new();
    for index in 0..alias_count {
        let at = p.pos;
        let label = || format!("alias #{index}");
        let alias = p.string(&label)?;
        let target = p.string(&label)?;
        if !by_name.contains_key(&target) {
            return Err(p.malformed(
                label(),
                at,
                format!("{alias:?} points to {target:?}, which is not a variable"),
            ));
        }
        aliases.insert(alias, target);
    }
    if p.pos != total {
        return Err(p.malformed(
            "end of file",
            p.pos,
            format!("{} unexpected bytes after the aliases", total - p.pos),
        ));
    }
    Ok(Ct2Index { variables, by_name, aliases })
}

/// Opens a model directory and reads its index.
pub(crate) fn open_model(dir: &Path) -> Result<(Ct2Index, BufReader<Ct2Source>), ModelError> {
    let source = Ct2Source::open_dir(dir)?;
    let display = source.display().to_path_buf();
    let total = source.len();
    let mut reader = BufReader::with_capacity(1 << 16, source);
    let index = read_index(&mut reader, total, &display)?;
    Ok((index, reader))
}

/// Reads elements `start..start + count` of a variable's data into `buf` (raw bytes).
pub(crate) fn read_elements<R: Read + Seek>(
    r: &mut R,
    var: &Variable,
    start: u64,
    count: u64,
    buf: &mut Vec<u8>,
    path: &Path,
) -> Result<(), ModelError> {
    let size = var.dtype.size();
    let end = start.checked_add(count);
    if end.is_none_or(|end| end > var.elements()) {
        return Err(ModelError::BadTensor {
            path: path.to_path_buf(),
            name: var.name.clone(),
            reason: format!(
                "elements {start}..{} requested of {}",
                start.saturating_add(count),
                var.elements()
            ),
        });
    }
    let nbytes = usize::try_from(count * size).map_err(|_| ModelError::BadTensor {
        path: path.to_path_buf(),
        name: var.name.clone(),
        reason: "too large for this machine".to_owned(),
    })?;
    buf.clear();
    buf.resize(nbytes, 0);
    r.seek(SeekFrom::Start(var.offset + start * size))
        .map_err(|e| ModelError::io(path, "cannot seek", e))?;
    r.read_exact(buf).map_err(|e| {
        if e.kind() == io::ErrorKind::UnexpectedEof {
            ModelError::Ct2Truncated {
                path: path.to_path_buf(),
                what: format!("variable {:?}", var.name),
                offset: var.offset,
            }
        } else {
            ModelError::io(path, "cannot read", e)
        }
    })
}

/// Reads a rank-0 integer variable such as `encoder/num_heads`.
pub(crate) fn read_int_scalar<R: Read + Seek>(
    r: &mut R,
    var: &Variable,
    path: &Path,
) -> Result<i64, ModelError> {
    let bad = |reason: String| ModelError::BadTensor {
        path: path.to_path_buf(),
        name: var.name.clone(),
        reason,
    };
    if !var.dims.is_empty() {
        return Err(bad(format!("expected a scalar, found shape {:?}", var.dims)));
    }
    let mut buf = Vec::new();
    read_elements(r, var, 0, 1, &mut buf, path)?;
    let value = match (var.dtype, buf.as_slice()) {
        (DType::I8, [a]) => i64::from(i8::from_le_bytes([*a])),
        (DType::I16, [a, b]) => i64::from(i16::from_le_bytes([*a, *b])),
        (DType::I32, [a, b, c, d]) => i64::from(i32::from_le_bytes([*a, *b, *c, *d])),
        (other, _) => return Err(bad(format!("expected an integer, found {}", other.name()))),
    };
    Ok(value)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Cursor;

    /// Builds CTranslate2 files byte by byte, for tests here and in the importer.
    #[derive(Default)]
    pub(crate) struct Ct2Builder {
        vars: Vec<(String, Vec<u32>, u8, Vec<u8>)>,
        aliases: Vec<(String, String)>,
    }

    pub(crate) fn put_string(out: &mut Vec<u8>, s: &str) {
        let len = u16::try_from(s.len() + 1).expect("test string fits in u16");
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(s.as_bytes());
        out.push(0);
    }

    impl Ct2Builder {
        pub(crate) fn var(&mut self, name: &str, dims: &[u32], dtype: u8, data: Vec<u8>) {
            self.vars.push((name.to_owned(), dims.to_vec(), dtype, data));
        }

        pub(crate) fn f16(&mut self, name: &str, dims: &[u32], values: &[f32]) {
            let data = values.iter().flat_map(|v| half::f16::from_f32(*v).to_le_bytes()).collect();
            self.var(name, dims, 4, data);
        }

        pub(crate) fn f32(&mut self, name: &str, dims: &[u32], values: &[f32]) {
            let data = values.iter().flat_map(|v| v.to_le_bytes()).collect();
            self.var(name, dims, 0, data);
        }

        pub(crate) fn i16_scalar(&mut self, name: &str, value: i16) {
            self.var(name, &[], 2, value.to_le_bytes().to_vec());
        }

        pub(crate) fn alias(&mut self, alias: &str, target: &str) {
            self.aliases.push((alias.to_owned(), target.to_owned()));
        }

        pub(crate) fn build(&self) -> Vec<u8> {
            let mut out = Vec::new();
            out.extend_from_slice(&CT2_VERSION.to_le_bytes());
            put_string(&mut out, "WhisperSpec");
            out.extend_from_slice(&3u32.to_le_bytes());
            out.extend_from_slice(&(self.vars.len() as u32).to_le_bytes());
            for (name, dims, dtype, data) in &self.vars {
                put_string(&mut out, name);
                out.push(dims.len() as u8);
                for d in dims {
                    out.extend_from_slice(&d.to_le_bytes());
                }
                out.push(*dtype);
                out.extend_from_slice(&(data.len() as u32).to_le_bytes());
                out.extend_from_slice(data);
            }
            out.extend_from_slice(&(self.aliases.len() as u32).to_le_bytes());
            for (a, t) in &self.aliases {
                put_string(&mut out, a);
                put_string(&mut out, t);
            }
            out
        }
    }

    fn sample() -> Vec<u8> {
        let mut b = Ct2Builder::default();
        b.i16_scalar("encoder/num_heads", 6);
        b.f16("decoder/embeddings/weight", &[2, 3], &[1.0, -2.0, 0.5, 0.25, 3.0, -1.5]);
        b.f32("encoder/layer_norm/gamma", &[2], &[0.125, 7.0]);
        b.alias("decoder/projection/weight", "decoder/embeddings/weight");
        b.build()
    }

    fn index_of(bytes: &[u8]) -> Result<Ct2Index, ModelError> {
        read_index(Cursor::new(bytes), bytes.len() as u64, Path::new("model.bin"))
    }

    #[test]
    fn reads_variables_scalars_and_aliases() {
        let bytes = sample();
        let index = index_of(&bytes).expect("sample parses");
        assert_eq!(index.variables.len(), 3);
        assert_eq!(index.alias_count(), 1);

        let mut cursor = Cursor::new(&bytes);
        let heads = index.get("encoder/num_heads").expect("scalar present");
        assert_eq!(heads.dims, Vec::<u64>::new());
        assert_eq!(heads.dtype, DType::I16);
        let value = read_int_scalar(&mut cursor, heads, Path::new("model.bin"));
        assert_eq!(value.expect("scalar reads"), 6);

        let emb = index.get("decoder/embeddings/weight").expect("tensor present");
        assert_eq!((emb.dims.clone(), emb.dtype, emb.nbytes), (vec![2, 3], DType::F16, 12));
        let via_alias = index.get("decoder/projection/weight").expect("alias resolves");
        assert_eq!(via_alias, emb);

        let mut buf = Vec::new();
        read_elements(&mut cursor, emb, 3, 3, &mut buf, Path::new("model.bin")).expect("row 1");
        let row: Vec<f32> =
            buf.chunks_exact(2).map(|c| half::f16::from_le_bytes([c[0], c[1]]).to_f32()).collect();
        assert_eq!(row, vec![0.25, 3.0, -1.5]);

        let gamma = index.get("encoder/layer_norm/gamma").expect("f32 present");
        read_elements(&mut cursor, gamma, 0, 2, &mut buf, Path::new("model.bin")).expect("f32");
        assert_eq!(buf, [0.125f32.to_le_bytes(), 7.0f32.to_le_bytes()].concat());
        assert!(index.get("decoder/missing").is_none());
    }

    #[test]
    fn reading_past_a_variable_is_an_error() {
        let bytes = sample();
        let index = index_of(&bytes).expect("sample parses");
        let gamma = index.get("encoder/layer_norm/gamma").expect("present");
        let mut buf = Vec::new();
        let err = read_elements(&mut Cursor::new(&bytes), gamma, 1, 2, &mut buf, Path::new("m"));
        assert!(matches!(err, Err(ModelError::BadTensor { .. })), "{err:?}");
    }

    #[test]
    fn every_truncation_is_an_error_naming_the_file() {
        let bytes = sample();
        for cut in 0..bytes.len() {
            let err = index_of(&bytes[..cut]).expect_err("a truncated file must not parse");
            let text = err.to_string();
            assert!(text.starts_with("model.bin: "), "cut at {cut}: {text}");
            assert!(
                matches!(err, ModelError::Ct2Truncated { .. } | ModelError::Ct2Header { .. }),
                "cut at {cut}: {err:?}"
            );
        }
    }

    #[test]
    fn truncated_variable_message_names_the_variable() {
        let bytes = sample();
        // Cut inside the data of the second variable (the f16 embedding).
        let index = index_of(&bytes).expect("sample parses");
        let emb = index.get("decoder/embeddings/weight").expect("present");
        let cut = (emb.offset + 5) as usize;
        let err = index_of(&bytes[..cut]).expect_err("truncated");
        assert_eq!(
            err.to_string(),
            format!(
                "model.bin: truncated variable \"decoder/embeddings/weight\" at byte {}",
                emb.offset
            )
        );
    }

    #[test]
    fn bad_version_and_spec_are_named() {
        let mut bytes = sample();
        bytes[0] = 5;
        let err = index_of(&bytes).expect_err("version 5");
        assert_eq!(
            err.to_string(),
            "model.bin: bad header: binary version 5, expected 6 (is this a CTranslate2 model.bin?)"
        );

        let mut other = Vec::new();
        other.extend_from_slice(&6u32.to_le_bytes());
        put_string(&mut other, "TransformerSpec");
        other.extend_from_slice(&[0; 12]);
        let err = index_of(&other).expect_err("other spec");
        assert_eq!(
            err.to_string(),
            "model.bin: bad header: spec \"TransformerSpec\", expected \"WhisperSpec\""
        );
    }

    #[test]
    fn byte_count_must_match_the_shape() {
        let mut b = Ct2Builder::default();
        b.var("x", &[4], 0, vec![0; 12]);
        let err = index_of(&b.build()).expect_err("12 bytes for 4 floats");
        assert!(err.to_string().contains("needs 16"), "{err}");
    }

    #[test]
    fn unknown_dtype_and_trailing_bytes_and_dangling_alias_are_errors() {
        let mut b = Ct2Builder::default();
        b.var("x", &[1], 9, vec![0; 4]);
        let err = index_of(&b.build()).expect_err("dtype 9");
        assert!(err.to_string().contains("unknown data type code 9"), "{err}");

        let mut bytes = sample();
        bytes.push(0);
        let err = index_of(&bytes).expect_err("trailing byte");
        assert!(err.to_string().contains("1 unexpected bytes after the aliases"), "{err}");

        let mut b = Ct2Builder::default();
        b.alias("a", "nowhere");
        let err = index_of(&b.build()).expect_err("dangling alias");
        assert!(err.to_string().contains("not a variable"), "{err}");
    }

    #[test]
    fn joined_parts_read_as_one_stream() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bytes = sample();
        let (a, b) = bytes.split_at(17);
        std::fs::write(dir.path().join("model.bin.part1"), a).expect("write part1");
        std::fs::write(dir.path().join("model.bin.part2"), b).expect("write part2");
        let (index, mut reader) = open_model(dir.path()).expect("parts open");
        let emb = index.get("decoder/embeddings/weight").expect("present");
        let mut buf = Vec::new();
        read_elements(&mut reader, emb, 0, 6, &mut buf, Path::new("m")).expect("reads across");
        let start = emb.offset as usize;
        assert_eq!(buf, &bytes[start..start + 12]);
        let display = reader.get_ref().display().to_string_lossy().into_owned();
        assert!(display.ends_with("model.bin.part1+part2"), "{display}");
    }

    #[test]
    fn a_directory_without_model_bin_is_an_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("model.bin.part1"), b"x").expect("write");
        let err = open_model(dir.path()).expect_err("only one part");
        assert!(matches!(err, ModelError::NoCt2Model { .. }), "{err:?}");
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = index_of(&bytes);
        }

        #[test]
        fn corrupted_samples_never_panic(at in 0usize..200, value in proptest::num::u8::ANY) {
            let mut bytes = sample();
            let i = at % bytes.len();
            bytes[i] = value;
            if let Ok(index) = index_of(&bytes) {
                let mut cursor = Cursor::new(&bytes);
                for var in &index.variables {
                    let mut buf = Vec::new();
                    let _ = read_elements(&mut cursor, var, 0, var.elements(), &mut buf, Path::new("m"));
                    let _ = read_int_scalar(&mut cursor, var, Path::new("m"));
                }
            }
        }
    }
}
