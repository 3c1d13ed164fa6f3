//! Whisper's mel filterbank: triangular filters on the Slaney mel scale with Slaney area
//! normalisation, for 16 kHz audio and a 400-point FFT (what librosa's `filters.mel` computes).

/// Sample rate Whisper works at.
pub const SAMPLE_RATE: u32 = 16_000;
/// FFT length of Whisper's short-time Fourier transform (25 ms).
pub const N_FFT: usize = 400;
/// Frequency bins of one FFT frame: `N_FFT / 2 + 1`.
pub const N_FFT_BINS: usize = N_FFT / 2 + 1;

// Slaney's scale is linear below 1 kHz (200/3 Hz per mel) and logarithmic above it.
const F_SP: f64 = 200.0 / 3.0;
const MIN_LOG_HZ: f64 = 1000.0;
const MIN_LOG_MEL: f64 = MIN_LOG_HZ / F_SP;

fn log_step() -> f64 {
    6.4f64.ln() / 27.0
}

/// Hertz to mels on the Slaney scale.
pub(crate) fn hz_to_mel(hz: f64) -> f64 {
    if hz >= MIN_LOG_HZ { MIN_LOG_MEL + (hz / MIN_LOG_HZ).ln() / log_step() } else { hz / F_SP }
}

/// Mels to hertz on the Slaney scale.
pub(crate) fn mel_to_hz(mel: f64) -> f64 {
    if mel >= MIN_LOG_MEL {
        MIN_LOG_HZ * (log_step() * (mel - MIN_LOG_MEL)).exp()
    } else {
        F_SP * mel
    }
}

/// The mel filterbank as `n_mels` rows of [`N_FFT_BINS`] weights, row-major.
///
/// Filter `i` rises from mel point `i` to point `i + 1` and falls to point `i + 2`, the
/// `n_mels + 2` points being evenly spaced in mels from 0 Hz to 8 kHz; each filter is scaled
/// by `2 / (f[i + 2] - f[i])` so that its area is the same in hertz. The triangle is computed in
/// `f64` and stored as `f32` before the scaling, as librosa does, so that the result matches the
/// filters Whisper was trained with bit for bit or within one rounding.
pub fn mel_filters(n_mels: usize) -> Vec<f32> {
    let fmax = f64::from(SAMPLE_RATE) / 2.0;
    let top = hz_to_mel(fmax);
    let points: Vec<f64> =
        (0..n_mels + 2).map(|i| mel_to_hz(top * i as f64 / (n_mels + 1) as f64)).collect();
    let bin_hz: Vec<f64> =
        (0..N_FFT_BINS).map(|k| k as f64 * f64::from(SAMPLE_RATE) / N_FFT as f64).collect();

    let mut out = Vec::with_capacity(n_mels * N_FFT_BINS);
    for window in points.windows(3) {
        let [low, centre, high] = [window[0], window[1], window[2]];
        let norm = 2.0 / (high - low);
        for &f in &bin_hz {
            let rising = (f - low) / (centre - low);
            let falling = (high - f) / (high - centre);
            let triangle = rising.min(falling).max(0.0) as f32;
            out.push((f64::from(triangle) * norm) as f32);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from librosa 0.11 (numpy 2): `librosa.filters.mel(sr=16000, n_fft=400,
    // n_mels=80)`, i.e. Slaney scale, `norm="slaney"`, printed with `repr(float(x))`.
    // (filter, bin, value)
    const LIBROSA: &[(usize, usize, f64)] = &include!("mel_reference.in");

    #[test]
    fn shape_and_sign() {
        let f = mel_filters(80);
        assert_eq!(f.len(), 80 * 201);
        assert!(f.iter().all(|w| w.is_finite() && *w >= 0.0));
        for (i, row) in f.chunks_exact(N_FFT_BINS).enumerate() {
            assert!(row.iter().any(|w| *w > 0.0), "filter {i} is empty");
        }
        // The last bin is exactly 8 kHz, where the top filter reaches zero.
        assert!(f.chunks_exact(N_FFT_BINS).all(|row| row[N_FFT_BINS - 1] == 0.0));
        assert_eq!(mel_filters(128).len(), 128 * 201);
    }

    #[test]
    fn scale_is_continuous_and_invertible() {
        assert!((hz_to_mel(1000.0) - 15.0).abs() < 1e-12);
        assert!((hz_to_mel(999.999_999) - 15.0).abs() < 1e-6);
        for hz in [0.0, 133.3, 999.0, 1000.0, 2500.0, 8000.0] {
            assert!((mel_to_hz(hz_to_mel(hz)) - hz).abs() < 1e-9, "{hz}");
        }
        // The logarithmic part: 6.4 times the frequency is 27 mels more.
        assert!((hz_to_mel(6400.0) - 42.0).abs() < 1e-12);
    }

    #[test]
    fn each_filter_peaks_at_its_centre_frequency() {
        let f = mel_filters(80);
        let top = hz_to_mel(8000.0);
        for (i, row) in f.chunks_exact(N_FFT_BINS).enumerate() {
            let centre = mel_to_hz(top * (i + 1) as f64 / 81.0);
            let peak = row
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(k, _)| k as f64 * 40.0)
                .unwrap_or(f64::NAN);
            // The peak is the bin nearest the centre, or a neighbour when two bins tie in height.
            assert!(
                (peak - centre).abs() <= 40.0,
                "filter {i}: peak {peak} Hz, centre {centre} Hz"
            );
        }
    }

    #[test]
    fn matches_librosa() {
        let f = mel_filters(80);
        assert!(LIBROSA.len() >= 20);
        // Sum of all 80 × 201 weights in librosa's matrix.
        let sum: f64 = f.iter().map(|&w| f64::from(w)).sum();
        assert!((sum - 1.999_024_152_755_737_3).abs() < 1e-6, "sum {sum}");
        for &(row, bin, want) in LIBROSA {
            // librosa's values are float32 printed exactly, so they compare exactly.
            let got = f64::from(f[row * N_FFT_BINS + bin]);
            assert!(got == want, "[{row}][{bin}]: {got} vs librosa {want}");
        }
    }
}
