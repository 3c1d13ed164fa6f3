//! Agreement between raters who sort items into nominal categories: percent agreement, Cohen's
//! kappa for two raters and Fleiss' kappa for several. Pure arithmetic on ratings; a kappa
//! comes with the number of items behind it, and is withheld when there are too few items or
//! when it is undefined (everyone used one category, so chance agreement is already 1).

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// The fewest items a kappa is computed from. With fewer, one item moves kappa by more than
/// 0.2, which is the width of a whole band of the usual reading (0.41–0.60 "moderate").
pub const MIN_ITEMS: usize = 5;

/// Whether a kappa could be computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum KappaStatus {
    #[serde(rename = "ok")]
    Ok,
    /// Fewer than [`MIN_ITEMS`] items.
    #[serde(rename = "too few items")]
    TooFewItems,
    /// Every rating in one category: chance agreement is 1 and kappa divides by zero.
    #[serde(rename = "undefined")]
    Undefined,
}

impl KappaStatus {
    /// What to print instead of a number.
    pub fn label(self) -> &'static str {
        match self {
            KappaStatus::Ok => "ok",
            KappaStatus::TooFewItems => "too few items",
            KappaStatus::Undefined => "undefined",
        }
    }
}

/// A kappa with the number of items behind it; `value` only when `status` is `Ok`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Kappa {
    pub value: Option<f64>,
    pub items: usize,
    pub status: KappaStatus,
}

impl Kappa {
    fn from_agreement(observed: f64, chance: f64, items: usize) -> Kappa {
        if items < MIN_ITEMS {
            return Kappa { value: None, items, status: KappaStatus::TooFewItems };
        }
        // Chance agreement of 1 (up to rounding) means everyone used one category.
        if chance > 1.0 - 1e-9 {
            return Kappa { value: None, items, status: KappaStatus::Undefined };
        }
        Kappa { value: Some((observed - chance) / (1.0 - chance)), items, status: KappaStatus::Ok }
    }

    /// The figure as text: the kappa to two decimals, or why there is none.
    pub fn shown(&self) -> String {
        match self.value {
            Some(k) => format!("{k:.2}"),
            None => self.status.label().to_string(),
        }
    }
}

/// Cohen's kappa of two raters, from one (first rater, second rater) pair per item.
///
/// κ = (pₒ − pₑ) / (1 − pₑ), where pₒ is the share of items they put in the same category
/// and pₑ = Σₖ (share of items the first put in k) × (share the second put in k).
pub fn cohen<C: Eq + Hash + Copy>(pairs: &[(C, C)]) -> Kappa {
    let n = pairs.len();
    if n == 0 {
        return Kappa { value: None, items: 0, status: KappaStatus::TooFewItems };
    }
    let agreed = pairs.iter().filter(|(a, b)| a == b).count();
    let mut first: HashMap<C, usize> = HashMap::new();
    let mut second: HashMap<C, usize> = HashMap::new();
    for &(a, b) in pairs {
        *first.entry(a).or_default() += 1;
        *second.entry(b).or_default() += 1;
    }
    let total = n as f64;
    let chance: f64 = first
        .iter()
        .map(|(category, &a)| {
            let b = second.get(category).copied().unwrap_or(0);
            (a as f64 / total) * (b as f64 / total)
        })
        .sum();
    Kappa::from_agreement(agreed as f64 / total, chance, n)
}

/// Fleiss' kappa, from a table with one row per item and one column per category, each cell
/// the number of raters who put the item in that category. Every row must have the same
/// number of raters, at least two; a table that does not is `Undefined`.
///
/// With N items, n raters per item and nᵢⱼ the cell of item i and category j:
/// pⱼ = Σᵢ nᵢⱼ / (N n), Pᵢ = (Σⱼ nᵢⱼ² − n) / (n (n − 1)), P̄ = mean of Pᵢ, P̄ₑ = Σⱼ pⱼ²,
/// κ = (P̄ − P̄ₑ) / (1 − P̄ₑ).
pub fn fleiss(table: &[Vec<usize>]) -> Kappa {
    let items = table.len();
    let raters: usize = table.first().map_or(0, |row| row.iter().sum());
    if items == 0 {
        return Kappa { value: None, items, status: KappaStatus::TooFewItems };
    }
    if raters < 2 || table.iter().any(|row| row.iter().sum::<usize>() != raters) {
        return Kappa { value: None, items, status: KappaStatus::Undefined };
    }
    let categories = table.iter().map(Vec::len).max().unwrap_or(0);
    let all = (items * raters) as f64;
    let chance: f64 = (0..categories)
        .map(|j| {
            let p = table.iter().map(|row| row.get(j).copied().unwrap_or(0)).sum::<usize>() as f64
                / all;
            p * p
        })
        .sum();
    let observed = table.iter().map(|row| item_agreement(row)).sum::<f64>() / items as f64;
    Kappa::from_agreement(observed, chance, items)
}

/// The share of rater pairs of one item who agree, from the item's counts per category:
/// (Σⱼ nⱼ² − n) / (n (n − 1)); 0 with fewer than two raters.
fn item_agreement(counts: &[usize]) -> f64 {
    let n: usize = counts.iter().sum();
    if n < 2 {
        return 0.0;
    }
    let same: usize = counts.iter().map(|c| c * c).sum::<usize>() - n;
    same as f64 / (n * (n - 1)) as f64
}

/// Percent agreement over items each rated by two or more raters (any number per item): the
/// share of rater pairs of an item who chose the same category, averaged over the items, as a
/// percent. For two raters this is the share of items they agree on. `None` without items.
pub fn percent_agreement<C: Eq + Hash + Copy>(items: &[Vec<C>]) -> Option<f64> {
    let rated: Vec<&Vec<C>> = items.iter().filter(|ratings| ratings.len() >= 2).collect();
    if rated.is_empty() {
        return None;
    }
    let sum: f64 = rated
        .iter()
        .map(|ratings| {
            let mut counts: HashMap<C, usize> = HashMap::new();
            for &r in ratings.iter() {
                *counts.entry(r).or_default() += 1;
            }
            item_agreement(&counts.into_values().collect::<Vec<_>>())
        })
        .sum();
    Some(100.0 * sum / rated.len() as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: Option<f64>, expected: f64) {
        let actual = actual.expect("a kappa");
        assert!((actual - expected).abs() < 5e-4, "{actual} is not {expected}");
    }

    /// Two raters, yes/no, 50 items (the textbook 2×2 table):
    ///
    /// ```text
    ///              B yes   B no
    ///     A yes      20      5     (A: 25 yes)
    ///     A no       10     15     (A: 25 no)
    ///   (B: 30 yes, 20 no)
    /// ```
    ///
    /// pₒ = (20 + 15) / 50 = 0.70; pₑ = 0.5 × 0.6 + 0.5 × 0.4 = 0.50;
    /// κ = (0.70 − 0.50) / (1 − 0.50) = 0.40.
    #[test]
    fn cohen_of_the_two_by_two_textbook_table_is_0_40() {
        let mut pairs = Vec::new();
        pairs.extend(std::iter::repeat_n(("yes", "yes"), 20));
        pairs.extend(std::iter::repeat_n(("yes", "no"), 5));
        pairs.extend(std::iter::repeat_n(("no", "yes"), 10));
        pairs.extend(std::iter::repeat_n(("no", "no"), 15));
        let kappa = cohen(&pairs);
        assert_eq!((kappa.items, kappa.status), (50, KappaStatus::Ok));
        close(kappa.value, 0.40);
    }

    /// Three categories, 10 items, chosen so every figure is exact:
    ///
    /// ```text
    ///               B pass  B fail  B na
    ///     A pass       4       1      0     (A: 5)
    ///     A fail       1       2      0     (A: 3)
    ///     A na         0       0      2     (A: 2)
    ///   (B: 5, 3, 2)
    /// ```
    ///
    /// pₒ = 8/10 = 0.80; pₑ = 0.5² + 0.3² + 0.2² = 0.38; κ = 0.42 / 0.62 = 0.6774.
    #[test]
    fn cohen_with_three_categories() {
        let pairs = [
            ("pass", "pass"),
            ("pass", "pass"),
            ("pass", "pass"),
            ("pass", "pass"),
            ("pass", "fail"),
            ("fail", "pass"),
            ("fail", "fail"),
            ("fail", "fail"),
            ("na", "na"),
            ("na", "na"),
        ];
        close(cohen(&pairs).value, 0.42 / 0.62);
        assert_eq!(percent_agreement(&pairs.map(|(a, b)| vec![a, b])), Some(80.0));
    }

    /// Fleiss' own example (Fleiss 1971, as every textbook repeats it): 10 items, 14 raters, 5
    /// categories.
    ///
    /// Column totals 20, 28, 39, 21, 32 of 140 ratings: pⱼ = 0.143, 0.200, 0.279, 0.150,
    /// 0.229, so P̄ₑ = (20² + 28² + 39² + 21² + 32²) / 140² = 4170 / 19600 = 0.21276.
    /// Σⱼ nᵢⱼ² per item: 196, 60, 70, 94, 74, 98, 58, 46, 66, 66 (sum 828), so with
    /// Pᵢ = (Σⱼ nᵢⱼ² − 14) / (14 × 13): 1.000, 0.253, 0.308, 0.440, 0.330, 0.462, 0.242,
    /// 0.176, 0.286, 0.286, and P̄ = (828 − 140) / 1820 = 0.37802.
    /// κ = (0.37802 − 0.21276) / (1 − 0.21276) = 0.16527 / 0.78724 = 0.2099 ≈ 0.210.
    #[test]
    fn fleiss_of_the_classic_example_is_0_210() {
        let table = vec![
            vec![0, 0, 0, 0, 14],
            vec![0, 2, 6, 4, 2],
            vec![0, 0, 3, 5, 6],
            vec![0, 3, 9, 2, 0],
            vec![2, 2, 8, 1, 1],
            vec![7, 7, 0, 0, 0],
            vec![3, 2, 6, 3, 0],
            vec![2, 5, 3, 2, 2],
            vec![6, 5, 2, 1, 0],
            vec![0, 2, 2, 3, 7],
        ];
        let kappa = fleiss(&table);
        assert_eq!((kappa.items, kappa.status), (10, KappaStatus::Ok));
        close(kappa.value, 0.2099);
        assert_eq!(kappa.shown(), "0.21");
    }

    /// With two raters per item Fleiss' kappa is Scott's pi, which differs from Cohen's kappa
    /// only in pooling both raters' shares for chance: the textbook table above has pooled
    /// shares yes = 55/100, no = 45/100, so P̄ₑ = 0.55² + 0.45² = 0.505, P̄ = 0.70 and
    /// κ = 0.195 / 0.495 = 0.3939.
    #[test]
    fn fleiss_with_two_raters_is_scotts_pi() {
        let mut table = Vec::new();
        table.extend(std::iter::repeat_n(vec![2, 0], 20));
        table.extend(std::iter::repeat_n(vec![1, 1], 15));
        table.extend(std::iter::repeat_n(vec![0, 2], 15));
        close(fleiss(&table).value, 0.195 / 0.495);
    }

    #[test]
    fn too_few_items_and_a_single_category_give_no_kappa() {
        let four = [("pass", "fail"); 4];
        assert_eq!(cohen(&four).status, KappaStatus::TooFewItems);
        assert_eq!(cohen(&four).shown(), "too few items");
        let same = [("pass", "pass"); 8];
        assert_eq!(cohen(&same).status, KappaStatus::Undefined);
        assert_eq!(cohen(&same).items, 8);
        assert_eq!(fleiss(&vec![vec![3, 0]; 6]).status, KappaStatus::Undefined);
        assert_eq!(fleiss(&vec![vec![3, 0]; 4]).status, KappaStatus::TooFewItems);
        // Rows with different numbers of raters are not a Fleiss table.
        assert_eq!(fleiss(&[vec![3, 0], vec![1, 1]]).status, KappaStatus::Undefined);
        assert_eq!(cohen::<&str>(&[]).status, KappaStatus::TooFewItems);
    }

    /// Three raters on one item, two agree: of the 3 pairs 1 agrees, 33.3 %; two raters who
    /// agree: 100 %; the mean is 66.7 %. Items with one rating do not count.
    #[test]
    fn percent_agreement_averages_agreeing_pairs_over_items() {
        let items = vec![vec!["pass", "pass", "fail"], vec!["fail", "fail"], vec!["na"]];
        let percent = percent_agreement(&items).expect("two items");
        assert!((percent - 200.0 / 3.0).abs() < 1e-9, "{percent}");
        assert_eq!(percent_agreement(&[vec!["pass"]]), None);
    }
}
