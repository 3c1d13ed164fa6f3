//! CTranslate2 Whisper model → whisper.cpp ggml file: maps and splits tensors, converts their
//! types, and writes the result atomically. Reading CT2 and the ggml layout live elsewhere.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use half::{bf16, f16};

use crate::ct2::{self, Ct2Index, DType, Variable};
use crate::error::ModelError;
use crate::ggml::{FTYPE_F16, GgmlHeader, GgmlType, GgmlWriter};
use crate::mel::mel_filters;
use crate::vocab::parse_vocabulary;

/// What an import produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    /// Whether the model knows languages other than English.
    pub multilingual: bool,
    /// Tokens in the model, special tokens included.
    pub n_vocab: u32,
    pub n_audio_layer: u32,
    pub n_text_layer: u32,
    /// Width of the model (`d`), the same in encoder and decoder.
    pub n_state: u32,
    /// Tensors written.
    pub tensors: usize,
    /// Size of the written file.
    pub bytes: u64,
}

/// One tensor of the output: a run of elements of a CT2 variable, with its ggml shape and type.
#[derive(Debug, Clone)]
struct OutTensor {
    name: String,
    source: Variable,
    start: u64,
    count: u64,
    /// Innermost first, as ggml stores them.
    dims: Vec<u64>,
    ty: GgmlType,
}

/// The whole conversion, decided and checked before a byte is written.
#[derive(Debug)]
struct Plan {
    header: GgmlHeader,
    tensors: Vec<OutTensor>,
}

struct Planner<'a> {
    index: &'a Ct2Index,
    path: &'a Path,
    tensors: Vec<OutTensor>,
}

impl Planner<'_> {
    fn var(&self, name: &str) -> Result<&Variable, ModelError> {
        self.index.get(name).ok_or_else(|| ModelError::MissingTensor {
            path: self.path.to_path_buf(),
            name: name.to_owned(),
        })
    }

    fn bad(&self, name: &str, reason: String) -> ModelError {
        ModelError::BadTensor { path: self.path.to_path_buf(), name: name.to_owned(), reason }
    }

    /// The variable, checked to have exactly `shape` and a floating-point type.
    fn shaped(&self, name: &str, shape: &[u64]) -> Result<Variable, ModelError> {
        let var = self.var(name)?;
        if var.dims != shape {
            return Err(self.bad(name, format!("shape {:?}, expected {shape:?}", var.dims)));
        }
        if !matches!(var.dtype, DType::F32 | DType::F16 | DType::Bf16) {
            return Err(self.bad(
                name,
                format!(
                    "type {} cannot be converted (quantised models are not supported)",
                    var.dtype.name()
                ),
            ));
        }
        Ok(var.clone())
    }

    /// The rank-2 shape of a variable, for reading sizes off the model.
    fn matrix_shape(&self, name: &str) -> Result<(u64, u64), ModelError> {
        let var = self.var(name)?;
        match var.dims.as_slice() {
            &[rows, cols] if rows > 0 && cols > 0 => Ok((rows, cols)),
            other => Err(self.bad(name, format!("shape {other:?}, expected a non-empty matrix"))),
        }
    }

    fn push(&mut self, name: String, source: Variable, start: u64, dims: Vec<u64>, ty: GgmlType) {
        let count = dims.iter().product();
        self.tensors.push(OutTensor { name, source, start, count, dims, ty });
    }

    /// A layer norm: `gamma`/`beta` become `weight`/`bias`, both f32.
    fn norm(&mut self, src: &str, dst: &str, d: u64) -> Result<(), ModelError> {
        for (from, to) in [("gamma", "weight"), ("beta", "bias")] {
            let var = self.shaped(&format!("{src}/{from}"), &[d])?;
            self.push(format!("{dst}.{to}"), var, 0, vec![d], GgmlType::F32);
        }
        Ok(())
    }

    /// A linear layer with weight `[out, inp]` (f16) and bias `[out]` (f32).
    fn linear(&mut self, src: &str, dst: &str, out: u64, inp: u64) -> Result<(), ModelError> {
        let weight = self.shaped(&format!("{src}/weight"), &[out, inp])?;
        self.push(format!("{dst}.weight"), weight, 0, vec![inp, out], GgmlType::F16);
        let bias = self.shaped(&format!("{src}/bias"), &[out])?;
        self.push(format!("{dst}.bias"), bias, 0, vec![out], GgmlType::F32);
        Ok(())
    }

    /// CTranslate2 stacks attention projections into one linear layer of `parts.len() × d`
    /// rows; whisper.cpp keeps them apart. The key projection has no bias in Whisper: CT2
    /// stores zeros there, and whisper.cpp has no tensor for it, so that slice is dropped (a
    /// bias on the keys would not change the attention weights anyway).
    fn stacked(&mut self, src: &str, parts: &[(&str, bool)], d: u64) -> Result<(), ModelError> {
        let k = parts.len() as u64;
        let weight = self.shaped(&format!("{src}/weight"), &[k * d, d])?;
        let bias = self.shaped(&format!("{src}/bias"), &[k * d])?;
        for (j, &(dst, has_bias)) in (0u64..).zip(parts) {
            self.push(
                format!("{dst}.weight"),
                weight.clone(),
                j * d * d,
                vec![d, d],
                GgmlType::F16,
            );
            if has_bias {
                self.push(format!("{dst}.bias"), bias.clone(), j * d, vec![d], GgmlType::F32);
            }
        }
        Ok(())
    }

    /// A convolution: kernel `[d, inp, 3]` (f16) and bias `[d]` stored as `[d, 1]` (f32).
    fn conv(&mut self, src: &str, dst: &str, d: u64, inp: u64) -> Result<(), ModelError> {
        let weight = self.shaped(&format!("{src}/weight"), &[d, inp, 3])?;
        self.push(format!("{dst}.weight"), weight, 0, vec![3, inp, d], GgmlType::F16);
        let bias = self.shaped(&format!("{src}/bias"), &[d])?;
        self.push(format!("{dst}.bias"), bias, 0, vec![1, d], GgmlType::F32);
        Ok(())
    }

    fn attention_block(&mut self, src: &str, dst: &str, d: u64) -> Result<(), ModelError> {
        self.norm(&format!("{src}/self_attention/layer_norm"), &format!("{dst}.attn_ln"), d)?;
        let parts = [
            (format!("{dst}.attn.query"), true),
            (format!("{dst}.attn.key"), false),
            (format!("{dst}.attn.value"), true),
        ];
        let parts: Vec<(&str, bool)> = parts.iter().map(|(n, b)| (n.as_str(), *b)).collect();
        self.stacked(&format!("{src}/self_attention/linear_0"), &parts, d)?;
        self.linear(&format!("{src}/self_attention/linear_1"), &format!("{dst}.attn.out"), d, d)
    }

    fn mlp_block(&mut self, src: &str, dst: &str, d: u64) -> Result<(), ModelError> {
        let (ff, _) = self.matrix_shape(&format!("{src}/ffn/linear_0/weight"))?;
        self.norm(&format!("{src}/ffn/layer_norm"), &format!("{dst}.mlp_ln"), d)?;
        self.linear(&format!("{src}/ffn/linear_0"), &format!("{dst}.mlp.0"), ff, d)?;
        self.linear(&format!("{src}/ffn/linear_1"), &format!("{dst}.mlp.2"), d, ff)
    }

    fn cross_attention_block(&mut self, src: &str, dst: &str, d: u64) -> Result<(), ModelError> {
        self.norm(&format!("{src}/attention/layer_norm"), &format!("{dst}.cross_attn_ln"), d)?;
        let query = format!("{dst}.cross_attn.query");
        self.linear(&format!("{src}/attention/linear_0"), &query, d, d)?;
        let key = format!("{dst}.cross_attn.key");
        let value = format!("{dst}.cross_attn.value");
        self.stacked(&format!("{src}/attention/linear_1"), &[(&key, false), (&value, true)], d)?;
        self.linear(&format!("{src}/attention/linear_2"), &format!("{dst}.cross_attn.out"), d, d)
    }
}

/// Number of `<stack>/layer_N/` blocks, checking they are numbered 0, 1, … without gaps.
fn layer_count(index: &Ct2Index, stack: &str, path: &Path) -> Result<u64, ModelError> {
    let prefix = format!("{stack}/layer_");
    let numbers: BTreeSet<u64> = index
        .variables
        .iter()
        .filter_map(|v| v.name.strip_prefix(&prefix))
        .filter_map(|rest| rest.split('/').next())
        .filter_map(|n| n.parse().ok())
        .collect();
    let count = numbers.len() as u64;
    if count == 0 {
        return Err(ModelError::MissingTensor {
            path: path.to_path_buf(),
            name: format!("{prefix}0/…"),
        });
    }
    if let Some(gap) = (0..count).find(|n| !numbers.contains(n)) {
        return Err(ModelError::MissingTensor {
            path: path.to_path_buf(),
            name: format!("{prefix}{gap}/…"),
        });
    }
    Ok(count)
}

fn to_i32(value: u64, what: &str, path: &Path) -> Result<i32, ModelError> {
    i32::try_from(value).map_err(|_| ModelError::BadTensor {
        path: path.to_path_buf(),
        name: what.to_owned(),
        reason: format!("{value} does not fit a ggml header"),
    })
}

/// Reads the model's sizes off its tensors and lists every output tensor.
fn plan<R: Read + Seek>(index: &Ct2Index, r: &mut R, path: &Path) -> Result<Plan, ModelError> {
    let mut p = Planner { index, path, tensors: Vec::new() };
    let (n_vocab, d) = p.matrix_shape("decoder/embeddings/weight")?;
    let (n_audio_ctx, _) = p.matrix_shape("encoder/position_encodings/encodings")?;
    let (n_text_ctx, _) = p.matrix_shape("decoder/position_encodings/encodings")?;
    let n_mels = match p.var("encoder/conv1/weight")?.dims.as_slice() {
        &[_, mels, 3] if mels > 0 => mels,
        other => {
            return Err(
                p.bad("encoder/conv1/weight", format!("shape {other:?}, expected [d, n_mels, 3]"))
            );
        }
    };
    let mut heads = [0u64; 2];
    for (slot, name) in heads.iter_mut().zip(["encoder/num_heads", "decoder/num_heads"]) {
        let value = ct2::read_int_scalar(r, p.var(name)?, path)?;
        match u64::try_from(value) {
            Ok(h) if h > 0 && d % h == 0 => *slot = h,
            _ => return Err(p.bad(name, format!("{value} heads do not divide the width {d}"))),
        }
    }
    let n_audio_layer = layer_count(index, "encoder", path)?;
    let n_text_layer = layer_count(index, "decoder", path)?;

    // Encoder.
    let pos = p.shaped("encoder/position_encodings/encodings", &[n_audio_ctx, d])?;
    p.push("encoder.positional_embedding".into(), pos, 0, vec![d, n_audio_ctx], GgmlType::F32);
    p.conv("encoder/conv1", "encoder.conv1", d, n_mels)?;
    p.conv("encoder/conv2", "encoder.conv2", d, d)?;
    p.norm("encoder/layer_norm", "encoder.ln_post", d)?;
    for n in 0..n_audio_layer {
        let (src, dst) = (format!("encoder/layer_{n}"), format!("encoder.blocks.{n}"));
        p.attention_block(&src, &dst, d)?;
        p.mlp_block(&src, &dst, d)?;
    }

    // Decoder.
    let pos = p.shaped("decoder/position_encodings/encodings", &[n_text_ctx, d])?;
    p.push("decoder.positional_embedding".into(), pos, 0, vec![d, n_text_ctx], GgmlType::F32);
    let emb = p.shaped("decoder/embeddings/weight", &[n_vocab, d])?;
    p.push("decoder.token_embedding.weight".into(), emb, 0, vec![d, n_vocab], GgmlType::F16);
    p.norm("decoder/layer_norm", "decoder.ln", d)?;
    for n in 0..n_text_layer {
        let (src, dst) = (format!("decoder/layer_{n}"), format!("decoder.blocks.{n}"));
        p.attention_block(&src, &dst, d)?;
        p.cross_attention_block(&src, &dst, d)?;
        p.mlp_block(&src, &dst, d)?;
    }

    let header = GgmlHeader {
        n_vocab: to_i32(n_vocab, "n_vocab", path)?,
        n_audio_ctx: to_i32(n_audio_ctx, "n_audio_ctx", path)?,
        n_audio_state: to_i32(d, "n_state", path)?,
        n_audio_head: to_i32(heads[0], "encoder/num_heads", path)?,
        n_audio_layer: to_i32(n_audio_layer, "encoder layers", path)?,
        n_text_ctx: to_i32(n_text_ctx, "n_text_ctx", path)?,
        n_text_state: to_i32(d, "n_state", path)?,
        n_text_head: to_i32(heads[1], "decoder/num_heads", path)?,
        n_text_layer: to_i32(n_text_layer, "decoder layers", path)?,
        n_mels: to_i32(n_mels, "n_mels", path)?,
        ftype: FTYPE_F16,
    };
    Ok(Plan { header, tensors: p.tensors })
}

/// Converts raw elements from a CT2 type to a ggml type, appending to `out`.
fn convert(raw: &[u8], from: DType, to: GgmlType, out: &mut Vec<u8>) {
    out.clear();
    let as_f32 = |c: &[u8]| -> f32 {
        match (from, c) {
            (DType::F16, [a, b]) => f16::from_le_bytes([*a, *b]).to_f32(),
            (DType::Bf16, [a, b]) => bf16::from_le_bytes([*a, *b]).to_f32(),
            (DType::F32, [a, b, c, d]) => f32::from_le_bytes([*a, *b, *c, *d]),
            // The planner only lets floating-point variables through.
            _ => f32::NAN,
        }
    };
    match (from, to) {
        (DType::F16, GgmlType::F16) | (DType::F32, GgmlType::F32) => out.extend_from_slice(raw),
        _ => {
            let width = from.size() as usize;
            out.reserve(raw.len() / width * to.size() as usize);
            for chunk in raw.chunks_exact(width) {
                let v = as_f32(chunk);
                match to {
                    GgmlType::F32 => out.extend_from_slice(&v.to_le_bytes()),
                    GgmlType::F16 => out.extend_from_slice(&f16::from_f32(v).to_le_bytes()),
                }
            }
        }
    }
}

fn write_model<R: Read + Seek, W: Write>(
    plan: &Plan,
    tokens: &[Vec<u8>],
    r: &mut R,
    source_path: &Path,
    w: &mut GgmlWriter<W>,
    out_path: &Path,
) -> Result<(), ModelError> {
    let write_err = |e| ModelError::io(out_path, "cannot write", e);
    w.header(&plan.header).map_err(write_err)?;
    let n_mels = plan.header.n_mels as usize;
    w.mel_filters(n_mels, &mel_filters(n_mels)).map_err(write_err)?;
    w.vocabulary(tokens).map_err(write_err)?;
    // One tensor in memory at a time: its raw bytes and its converted bytes.
    let (mut raw, mut converted) = (Vec::new(), Vec::new());
    for t in &plan.tensors {
        ct2::read_elements(r, &t.source, t.start, t.count, &mut raw, source_path)?;
        convert(&raw, t.source.dtype, t.ty, &mut converted);
        w.tensor(&t.name, &t.dims, t.ty, &converted).map_err(write_err)?;
    }
    Ok(())
}

/// The temporary name an output is written under before it is renamed into place.
fn temp_path(out: &Path) -> Result<PathBuf, ModelError> {
    let name = out.file_name().ok_or_else(|| {
        ModelError::io(
            out,
            "not a file path",
            std::io::Error::from(std::io::ErrorKind::InvalidInput),
        )
    })?;
    let mut tmp = name.to_os_string();
    tmp.push(".tmp");
    Ok(out.with_file_name(tmp))
}

/// Converts a CTranslate2 Whisper model directory into a whisper.cpp ggml file.
///
/// `dir` holds `model.bin` (or `model.bin.part1`, `model.bin.part2`, … which are read as one
/// stream, in order) and `vocabulary.txt`. The output has float16 matrices and float32 biases,
/// norms and positional embeddings, the Slaney mel filterbank computed here, and the text tokens
/// of the vocabulary. It is written to `out` + `.tmp` and renamed over `out` when complete, so
/// `out` is either the old file or the whole new one. Parent directories are created. Memory
/// use stays around twice the largest tensor (the token embedding), not the model's size.
pub fn import_ct2(dir: &Path, out: &Path) -> Result<ImportSummary, ModelError> {
    let (index, mut reader) = ct2::open_model(dir)?;
    let source_path = reader.get_ref().display().to_path_buf();
    let plan = plan(&index, &mut reader, &source_path)?;

    let vocab_path = dir.join("vocabulary.txt");
    let raw = fs::read(&vocab_path).map_err(|e| ModelError::io(&vocab_path, "cannot read", e))?;
    let text = String::from_utf8(raw).map_err(|e| ModelError::Vocabulary {
        path: vocab_path.clone(),
        reason: format!("not utf-8 (byte {})", e.utf8_error().valid_up_to()),
    })?;
    let multilingual = plan.header.multilingual();
    let vocab = parse_vocabulary(&text, plan.header.n_vocab as u64, multilingual, &vocab_path)?;
    drop(text);

    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent).map_err(|e| ModelError::io(parent, "cannot create", e))?;
    }
    let tmp = temp_path(out)?;
    let file = File::create(&tmp).map_err(|e| ModelError::io(&tmp, "cannot create", e))?;
    let mut writer = GgmlWriter::new(BufWriter::with_capacity(1 << 20, file));
    let written = write_model(&plan, &vocab.tokens, &mut reader, &source_path, &mut writer, &tmp)
        .and_then(|()| {
            let (bytes, tensors) = (writer.bytes(), writer.tensors());
            let file = writer
                .into_inner()
                .into_inner()
                .map_err(|e| ModelError::io(&tmp, "cannot write", e.into_error()))?;
            file.sync_all().map_err(|e| ModelError::io(&tmp, "cannot sync", e))?;
            Ok((bytes, tensors))
        })
        .and_then(|done| {
            fs::rename(&tmp, out)
                .map_err(|e| ModelError::io(out, "cannot rename into place", e))?;
            Ok(done)
        });
    let (bytes, tensors) = match written {
        Ok(done) => done,
        Err(e) => {
            // Best effort: the error that matters is the one being returned.
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let header = plan.header;
    Ok(ImportSummary {
        multilingual,
        n_vocab: header.n_vocab as u32,
        n_audio_layer: header.n_audio_layer as u32,
        n_text_layer: header.n_text_layer as u32,
        n_state: header.n_audio_state as u32,
        tensors,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ct2::tests::Ct2Builder;
    use crate::ggml::verify_ggml;

    const D: u32 = 4;
    const FF: u32 = 8;
    const VOCAB: u32 = 50_260;

    fn ramp(n: u32, scale: f32) -> Vec<f32> {
        (0..n).map(|i| i as f32 * scale).collect()
    }

    fn add_norm(b: &mut Ct2Builder, prefix: &str) {
        b.f16(&format!("{prefix}/gamma"), &[D], &ramp(D, 1.0));
        b.f16(&format!("{prefix}/beta"), &[D], &ramp(D, 0.5));
    }

    fn add_linear(b: &mut Ct2Builder, prefix: &str, out: u32, inp: u32) {
        b.f16(&format!("{prefix}/weight"), &[out, inp], &ramp(out * inp, 0.25));
        b.f16(&format!("{prefix}/bias"), &[out], &ramp(out, 1.0));
    }

    fn add_block(b: &mut Ct2Builder, prefix: &str, cross: bool) {
        add_norm(b, &format!("{prefix}/self_attention/layer_norm"));
        add_linear(b, &format!("{prefix}/self_attention/linear_0"), 3 * D, D);
        add_linear(b, &format!("{prefix}/self_attention/linear_1"), D, D);
        add_norm(b, &format!("{prefix}/ffn/layer_norm"));
        add_linear(b, &format!("{prefix}/ffn/linear_0"), FF, D);
        add_linear(b, &format!("{prefix}/ffn/linear_1"), D, FF);
        if cross {
            add_norm(b, &format!("{prefix}/attention/layer_norm"));
            add_linear(b, &format!("{prefix}/attention/linear_0"), D, D);
            add_linear(b, &format!("{prefix}/attention/linear_1"), 2 * D, D);
            add_linear(b, &format!("{prefix}/attention/linear_2"), D, D);
        }
    }

    /// A whole, tiny Whisper-shaped CT2 model: width 4, one layer each side, 50260 tokens.
    fn tiny_model(skip: Option<&str>) -> Vec<u8> {
        let mut b = Ct2Builder::default();
        b.i16_scalar("encoder/num_heads", 2);
        b.i16_scalar("decoder/num_heads", 2);
        b.f32("encoder/position_encodings/encodings", &[6, D], &ramp(6 * D, 1.0));
        b.f16("encoder/conv1/weight", &[D, 80, 3], &ramp(D * 80 * 3, 0.001));
        b.f16("encoder/conv1/bias", &[D], &ramp(D, 1.0));
        b.f16("encoder/conv2/weight", &[D, D, 3], &ramp(D * D * 3, 0.01));
        b.f16("encoder/conv2/bias", &[D], &ramp(D, 1.0));
        add_norm(&mut b, "encoder/layer_norm");
        add_block(&mut b, "encoder/layer_0", false);
        b.f16("decoder/position_encodings/encodings", &[5, D], &ramp(5 * D, 1.0));
        b.f16("decoder/embeddings/weight", &[VOCAB, D], &vec![0.5; (VOCAB * D) as usize]);
        add_norm(&mut b, "decoder/layer_norm");
        add_block(&mut b, "decoder/layer_0", true);
        b.alias("decoder/projection/weight", "decoder/embeddings/weight");
        let mut bytes = b.build();
        if let Some(name) = skip {
            // Rename the variable so that the mapping cannot find it.
            let needle = name.as_bytes();
            if let Some(at) = bytes.windows(needle.len()).position(|w| w == needle) {
                bytes[at] = b'X';
            }
        }
        bytes
    }

    fn vocabulary() -> String {
        let mut lines: Vec<String> = (0..50_256).map(|i| format!("tok{i}")).collect();
        lines[0] = "ĠAnd".to_owned();
        lines.push("<|endoftext|>".to_owned());
        lines.extend(["<|startoftranscript|>", "<|notimestamps|>", "<|0.00|>"].map(String::from));
        lines.join("\n") + "\n"
    }

    fn model_dir(model: &[u8], vocab: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("model.bin"), model).expect("write model");
        fs::write(dir.path().join("vocabulary.txt"), vocab).expect("write vocab");
        dir
    }

    /// Finds a tensor record in a ggml file by name; returns (dims, type, data).
    fn find_tensor(bytes: &[u8], name: &str) -> Option<(Vec<i32>, i32, Vec<u8>)> {
        let needle = name.as_bytes();
        let i32_at = |at: usize| {
            i32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
        };
        for at in 0..bytes.len().saturating_sub(needle.len()) {
            if &bytes[at..at + needle.len()] != needle {
                continue;
            }
            // Look back for a record whose name length and rank put its name exactly here.
            for n_dims in 1..=4usize {
                let Some(start) = at.checked_sub(12 + 4 * n_dims) else { continue };
                if i32_at(start) as usize == n_dims && i32_at(start + 4) as usize == needle.len() {
                    let ty = i32_at(start + 8);
                    let dims: Vec<i32> = (0..n_dims).map(|k| i32_at(start + 12 + 4 * k)).collect();
                    let count: usize = dims.iter().map(|&d| d as usize).product();
                    let size = if ty == 0 { 4 } else { 2 };
                    let data_at = at + needle.len();
                    return Some((dims, ty, bytes[data_at..data_at + count * size].to_vec()));
                }
            }
        }
        None
    }

    fn f16_values(data: &[u8]) -> Vec<f32> {
        data.chunks_exact(2).map(|c| f16::from_le_bytes([c[0], c[1]]).to_f32()).collect()
    }

    fn f32_values(data: &[u8]) -> Vec<f32> {
        data.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect()
    }

    #[test]
    fn imports_a_synthetic_model() {
        let dir = model_dir(&tiny_model(None), &vocabulary());
        let out = dir.path().join("out/ggml-test.bin");
        let summary = import_ct2(dir.path(), &out).expect("imports");
        let bytes = fs::read(&out).expect("output exists");
        assert_eq!(summary.bytes, bytes.len() as u64);
        assert_eq!((summary.multilingual, summary.n_vocab, summary.n_state), (false, VOCAB, D));
        assert_eq!((summary.n_audio_layer, summary.n_text_layer), (1, 1));
        // 7 encoder globals + 15 per encoder block + 4 decoder globals + 24 per decoder block.
        assert_eq!(summary.tensors, 7 + 15 + 4 + 24);
        assert!(!temp_path(&out).expect("tmp").exists());

        let info = verify_ggml(&out).expect("a valid ggml file");
        assert_eq!((info.vocab, info.tensors), (50_256, summary.tensors));
        assert_eq!(info.header.n_audio_head, 2);
        assert_eq!(info.header.n_audio_ctx, 6);
        assert_eq!(info.header.n_text_ctx, 5);

        // The first token is written as bytes, not as GPT-2 text.
        let vocab_at = 48 + 8 + 80 * 201 * 4;
        assert_eq!(&bytes[vocab_at..vocab_at + 4], &50_256i32.to_le_bytes());
        assert_eq!(&bytes[vocab_at + 4..vocab_at + 8], &4i32.to_le_bytes());
        assert_eq!(&bytes[vocab_at + 8..vocab_at + 12], b" And");

        // Stacked self-attention: rows 0..d query, d..2d key (no bias), 2d..3d value.
        let w = ramp(3 * D * D, 0.25);
        let (dims, ty, data) =
            find_tensor(&bytes, "encoder.blocks.0.attn.value.weight").expect("v");
        assert_eq!((dims, ty), (vec![4, 4], 1));
        assert_eq!(f16_values(&data), w[(2 * D * D) as usize..].to_vec());
        let (_, _, data) = find_tensor(&bytes, "encoder.blocks.0.attn.key.weight").expect("k");
        assert_eq!(f16_values(&data), w[(D * D) as usize..(2 * D * D) as usize].to_vec());
        assert!(find_tensor(&bytes, "encoder.blocks.0.attn.key.bias").is_none());
        let (dims, ty, data) = find_tensor(&bytes, "encoder.blocks.0.attn.value.bias").expect("vb");
        assert_eq!((dims, ty), (vec![4], 0));
        assert_eq!(f32_values(&data), vec![8.0, 9.0, 10.0, 11.0]);

        // Cross-attention: key and value come from one [2d, d] layer.
        let (_, _, data) =
            find_tensor(&bytes, "decoder.blocks.0.cross_attn.value.bias").expect("cross vb");
        assert_eq!(f32_values(&data), vec![4.0, 5.0, 6.0, 7.0]);
        assert!(find_tensor(&bytes, "decoder.blocks.0.cross_attn.key.weight").is_some());
        assert!(find_tensor(&bytes, "decoder.blocks.0.cross_attn.key.bias").is_none());

        // Conv bias is [d, 1] (ggml dims 1, d) in f32; the kernel is f16 with dims reversed.
        let (dims, ty, data) = find_tensor(&bytes, "encoder.conv1.bias").expect("conv bias");
        assert_eq!((dims, ty, f32_values(&data)), (vec![1, 4], 0, vec![0.0, 1.0, 2.0, 3.0]));
        let (dims, ty, _) = find_tensor(&bytes, "encoder.conv1.weight").expect("conv kernel");
        assert_eq!((dims, ty), (vec![3, 80, 4], 1));

        // Positional embeddings are f32, converted from f16 in the decoder's case.
        let (dims, ty, data) =
            find_tensor(&bytes, "decoder.positional_embedding").expect("decoder pos");
        assert_eq!((dims, ty), (vec![4, 5], 0));
        assert_eq!(f32_values(&data), ramp(5 * D, 1.0));
        let (dims, ty, _) = find_tensor(&bytes, "decoder.token_embedding.weight").expect("emb");
        assert_eq!((dims, ty), (vec![4, VOCAB as i32], 1));
        // Layer norms: gamma → weight, beta → bias, in f32.
        let (_, ty, data) = find_tensor(&bytes, "decoder.ln.bias").expect("ln bias");
        assert_eq!((ty, f32_values(&data)), (0, ramp(D, 0.5)));
    }

    #[test]
    fn reads_a_model_split_in_parts() {
        let model = tiny_model(None);
        let dir = model_dir(&model, &vocabulary());
        let whole = dir.path().join("whole.bin");
        import_ct2(dir.path(), &whole).expect("whole imports");

        fs::remove_file(dir.path().join("model.bin")).expect("remove");
        let (a, b) = model.split_at(model.len() / 2);
        fs::write(dir.path().join("model.bin.part1"), a).expect("part1");
        fs::write(dir.path().join("model.bin.part2"), b).expect("part2");
        let split = dir.path().join("split.bin");
        import_ct2(dir.path(), &split).expect("parts import");
        assert_eq!(fs::read(&whole).expect("whole"), fs::read(&split).expect("split"));
    }

    #[test]
    fn missing_tensor_is_named_and_nothing_is_written() {
        let model = tiny_model(Some("decoder/layer_0/attention/linear_2/bias"));
        let dir = model_dir(&model, &vocabulary());
        let out = dir.path().join("ggml.bin");
        let err = import_ct2(dir.path(), &out).expect_err("missing tensor");
        let text = err.to_string();
        assert!(
            text.ends_with("model.bin: missing tensor decoder/layer_0/attention/linear_2/bias"),
            "{text}"
        );
        assert!(!out.exists());
        assert!(!temp_path(&out).expect("tmp").exists());
    }

    #[test]
    fn vocabulary_size_mismatch_is_reported() {
        let dir = model_dir(&tiny_model(None), "a\nb\n<|endoftext|>\n");
        let err = import_ct2(dir.path(), &dir.path().join("o.bin")).expect_err("mismatch");
        assert!(
            err.to_string().contains("vocabulary.txt: vocabulary size mismatch: 3 tokens"),
            "{err}"
        );
    }

    #[test]
    fn truncated_or_garbage_models_fail_cleanly() {
        let model = tiny_model(None);
        for cut in [0, 3, 10, 100, model.len() / 2, model.len() - 1] {
            let dir = model_dir(&model[..cut], &vocabulary());
            let out = dir.path().join("o.bin");
            let err = import_ct2(dir.path(), &out).expect_err("truncated");
            assert!(err.to_string().contains("model.bin: "), "cut {cut}: {err}");
            assert!(!out.exists() && !temp_path(&out).expect("tmp").exists());
        }
        let dir = model_dir(b"GIF89a this is not a model at all", &vocabulary());
        let err = import_ct2(dir.path(), &dir.path().join("o.bin")).expect_err("garbage");
        assert!(err.to_string().contains("bad header: binary version"), "{err}");
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]

        /// A corrupt byte anywhere in the tensor table gives an error or a valid file, never a
        /// panic. The table lies before and after the big embedding, whose bytes are just data.
        #[test]
        fn corrupt_models_never_panic(
            at in proptest::prop_oneof![0usize..8_000, 400_000usize..460_000],
            value in proptest::num::u8::ANY,
        ) {
            let mut model = tiny_model(None);
            let at = at % model.len();
            model[at] = value;
            let dir = model_dir(&model, &vocabulary());
            let out = dir.path().join("o.bin");
            match import_ct2(dir.path(), &out) {
                Ok(_) => proptest::prop_assert!(verify_ggml(&out).is_ok()),
                Err(_) => proptest::prop_assert!(!out.exists()),
            }
        }
    }

    #[test]
    fn conversions_between_float_types() {
        let mut out = Vec::new();
        let halfs: Vec<u8> =
            [1.5f32, -0.25].iter().flat_map(|v| f16::from_f32(*v).to_le_bytes()).collect();
        convert(&halfs, DType::F16, GgmlType::F32, &mut out);
        assert_eq!(f32_values(&out), vec![1.5, -0.25]);
        let floats: Vec<u8> = [3.0f32, 1e-3].iter().flat_map(|v| v.to_le_bytes()).collect();
        convert(&floats, DType::F32, GgmlType::F16, &mut out);
        assert_eq!(f16_values(&out), vec![3.0, f16::from_f32(1e-3).to_f32()]);
        let brains: Vec<u8> =
            [2.0f32].iter().flat_map(|v| bf16::from_f32(*v).to_le_bytes()).collect();
        convert(&brains, DType::Bf16, GgmlType::F16, &mut out);
        assert_eq!(f16_values(&out), vec![2.0]);
        convert(&halfs, DType::F16, GgmlType::F16, &mut out);
        assert_eq!(out, halfs);
    }
}
