//! The score trend as an inline SVG line chart: no JavaScript, no fonts or files to fetch, so a
//! sheet opens offline and prints the same everywhere. Also a one-line text form for Markdown.

use crate::format;

/// One point of the trend: a label (a date) and a score 0–100.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TrendPoint {
    pub label: String,
    pub score: f64,
    /// `score` as text, one decimal at most.
    pub shown: String,
    /// How many scorecards the point averages.
    pub count: usize,
}

/// More points than this are averaged into buckets, so the chart stays readable.
const MAX_POINTS: usize = 24;

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 180.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 26.0;

/// Scores in time order → at most [`MAX_POINTS`] points, neighbours averaged.
pub fn points(scores: &[(String, f64)]) -> Vec<TrendPoint> {
    let groups = scores.len().div_ceil(MAX_POINTS).max(1);
    scores
        .chunks(groups)
        .map(|chunk| {
            let score = chunk.iter().map(|(_, s)| s).sum::<f64>() / chunk.len() as f64;
            let first = &chunk[0].0;
            let last = &chunk[chunk.len() - 1].0;
            let label = if first == last { first.clone() } else { format!("{first} – {last}") };
            TrendPoint { label, score, shown: format::score(score), count: chunk.len() }
        })
        .collect()
}

/// The chart: a 0–100 scale with lines at the band minimums, the scores as a line with dots,
/// and the first and last labels under the axis. `title` becomes the accessible name.
pub fn svg(points: &[TrendPoint], bands: &[(f64, String)], title: &str) -> String {
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let y = |score: f64| TOP + plot_h * (1.0 - score.clamp(0.0, 100.0) / 100.0);
    let x = |i: usize| {
        if points.len() <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (points.len() - 1) as f64
        }
    };
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" \
         class=\"trend\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    out.push_str(&format!(
        "<rect x=\"{LEFT}\" y=\"{TOP}\" width=\"{plot_w}\" height=\"{plot_h}\" class=\"plot\"/>"
    ));
    let mut guides: Vec<f64> = bands.iter().map(|(min, _)| *min).filter(|m| *m > 0.0).collect();
    guides.extend([0.0, 100.0]);
    guides.sort_by(f64::total_cmp);
    guides.dedup();
    for min in guides {
        let gy = y(min);
        out.push_str(&format!(
            "<line x1=\"{LEFT}\" y1=\"{gy:.1}\" x2=\"{:.1}\" y2=\"{gy:.1}\" class=\"grid\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" class=\"axis\" text-anchor=\"end\">{min:.0}</text>",
            LEFT + plot_w,
            LEFT - 4.0,
            gy + 3.5
        ));
    }
    if points.len() > 1 {
        let line: Vec<String> = points
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{:.1},{:.1}", x(i), y(p.score)))
            .collect();
        out.push_str(&format!("<polyline points=\"{}\" class=\"line\"/>", line.join(" ")));
    }
    for (i, p) in points.iter().enumerate() {
        out.push_str(&format!(
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" class=\"dot\"><title>{}: {}</title></circle>",
            x(i),
            y(p.score),
            escape(&p.label),
            p.shown
        ));
    }
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        let base = HEIGHT - 8.0;
        out.push_str(&format!(
            "<text x=\"{LEFT}\" y=\"{base}\" class=\"axis\">{}</text>",
            escape(first.label.split(" – ").next().unwrap_or_default())
        ));
        if points.len() > 1 {
            out.push_str(&format!(
                "<text x=\"{:.1}\" y=\"{base}\" class=\"axis\" text-anchor=\"end\">{}</text>",
                LEFT + plot_w,
                escape(last.label.rsplit(" – ").next().unwrap_or_default())
            ));
        }
    }
    out.push_str("</svg>");
    out
}

/// The trend as block characters (`▂▅▇`), one per point, for the Markdown sheet.
pub fn sparkline(points: &[TrendPoint]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    points
        .iter()
        .map(|p| BLOCKS[((p.score.clamp(0.0, 100.0) / 100.0) * 7.0).round() as usize])
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_scores_are_averaged_into_at_most_the_maximum_number_of_points() {
        let scores: Vec<(String, f64)> =
            (0..50).map(|i| (format!("2026-03-{:02}", i % 28 + 1), f64::from(i))).collect();
        let trend = points(&scores);
        assert!(trend.len() <= MAX_POINTS, "{}", trend.len());
        assert_eq!(trend.iter().map(|p| p.count).sum::<usize>(), 50);
        // 50 scores in chunks of 3: the first point averages 0, 1 and 2.
        assert_eq!((trend.len(), trend[0].score), (17, 1.0));
        let chart = svg(&trend, &[(85.0, "Excellent".into())], "Trend <x>");
        assert!(chart.starts_with("<svg") && chart.ends_with("</svg>"));
        assert!(chart.contains("Trend &lt;x&gt;") && !chart.contains("<script"));
        assert_eq!(sparkline(&trend[..1]), "▁");
    }
}
