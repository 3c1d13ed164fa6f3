//! Compiled phrase matching for one language: one Aho-Corasick automaton over every phrase of
//! the rubric, plus a fuzzy vocabulary that forgives one-letter transcription slips.

use std::collections::{HashMap, HashSet};

use rustc_hash::FxHashSet;

use aho_corasick::{AhoCorasick, MatchKind};

use crate::normalize::Normalizer;

/// Identifies a phrase set (a lexicon entry, an inline `any` list, the phrases of an `all`
/// list) across languages.
pub type SetId = u32;

/// Words shorter than this are never corrected: "hell" must not become "hello".
const FUZZY_MIN_CHARS: usize = 5;

/// A phrase set hit in one utterance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub set: SetId,
    /// Index into [`LanguagePack::phrase`]; distinct per phrase text.
    pub phrase: u32,
}

/// Everything needed to match the rubric's phrases in one language.
#[derive(Debug, Clone)]
pub struct LanguagePack {
    pub normalizer: Normalizer,
    automaton: AhoCorasick,
    /// Normalised phrase text per automaton pattern.
    phrases: Vec<String>,
    /// The sets each pattern belongs to.
    pattern_sets: Vec<Vec<SetId>>,
    /// How many distinct phrases each set has in this language.
    set_sizes: HashMap<SetId, usize>,
    vocabulary: FxHashSet<String>,
    /// Hashes of the one-deletion neighbourhood of every long vocabulary word. Keys are
    /// hashes, not strings, so a lookup allocates nothing; candidates are verified anyway.
    deletions: HashMap<u64, Vec<u32>, BuildIdentity>,
    long_words: Vec<String>,
}

/// Collects the phrase sets of one language before compiling them.
#[derive(Debug, Default)]
pub struct PackBuilder {
    sets: Vec<(SetId, Vec<String>)>,
}

impl PackBuilder {
    pub fn add(&mut self, set: SetId, phrases: &[String]) {
        self.sets.push((set, phrases.to_vec()));
    }

    /// Compiles the automaton. Fails only when a phrase normalises to nothing, which the
    /// caller reports as a problem of that phrase.
    pub fn build(self, lang: &str) -> Result<LanguagePack, String> {
        let normalizer = Normalizer::new(lang);
        let mut index: HashMap<String, u32> = HashMap::new();
        let mut phrases: Vec<String> = Vec::new();
        let mut pattern_sets: Vec<Vec<SetId>> = Vec::new();
        let mut set_sizes: HashMap<SetId, usize> = HashMap::new();
        let mut vocabulary = FxHashSet::default();
        for (set, list) in &self.sets {
            let mut seen = HashSet::new();
            for phrase in list {
                let mut words = Vec::new();
                normalizer.words(phrase, &mut words);
                if words.is_empty() {
                    return Err(format!("phrase {phrase:?} has no words to match"));
                }
                vocabulary.extend(words.iter().cloned());
                let text = words.join(" ");
                let id = *index.entry(text.clone()).or_insert_with(|| {
                    phrases.push(text);
                    pattern_sets.push(Vec::new());
                    (phrases.len() - 1) as u32
                });
                if !pattern_sets[id as usize].contains(set) {
                    pattern_sets[id as usize].push(*set);
                }
                seen.insert(id);
            }
            *set_sizes.entry(*set).or_default() += seen.len();
        }
        let patterns: Vec<String> = phrases.iter().map(|p| format!(" {p} ")).collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| format!("cannot compile phrase lists: {e}"))?;

        let long_words: Vec<String> = vocabulary
            .iter()
            .filter(|w| {
                w.chars().count() >= FUZZY_MIN_CHARS && !w.chars().any(|c| c.is_ascii_digit())
            })
            .cloned()
            .collect();
        let mut deletions: HashMap<u64, Vec<u32>, BuildIdentity> = HashMap::default();
        for (i, word) in long_words.iter().enumerate() {
            let chars: Vec<char> = word.chars().collect();
            for skip in (0..=chars.len()).map(|k| k.checked_sub(1)) {
                let ids = deletions.entry(hash_skipping(&chars, skip)).or_default();
                if !ids.contains(&(i as u32)) {
                    ids.push(i as u32);
                }
            }
        }
        Ok(LanguagePack {
            normalizer,
            automaton,
            phrases,
            pattern_sets,
            set_sizes,
            vocabulary,
            deletions,
            long_words,
        })
    }
}

impl LanguagePack {
    /// The normalised text of a phrase, for reasons.
    pub fn phrase(&self, id: u32) -> &str {
        &self.phrases[id as usize]
    }

    /// Number of distinct phrases of `set` in this language.
    pub fn set_size(&self, set: SetId) -> usize {
        self.set_sizes.get(&set).copied().unwrap_or(0)
    }

    /// Every phrase-set hit in `text`. `haystack` is scratch space, reused across calls:
    /// it receives the normalised words, slips corrected, each surrounded by spaces.
    pub fn hits(&self, text: &str, haystack: &mut String, out: &mut Vec<Hit>) {
        out.clear();
        haystack.clear();
        haystack.push(' ');
        self.normalizer.for_each_word(text, usize::MAX, |word| {
            haystack.push_str(self.correct(word).unwrap_or(word));
            haystack.push(' ');
        });
        for m in self.automaton.find_overlapping_iter(haystack.as_str()) {
            let phrase = m.pattern().as_u32();
            for &set in &self.pattern_sets[phrase as usize] {
                if !out.iter().any(|h| h.set == set && h.phrase == phrase) {
                    out.push(Hit { set, phrase });
                }
            }
        }
    }

    /// The vocabulary word `word` is one edit away from, if it is not a known word itself.
    fn correct(&self, word: &str) -> Option<&str> {
        if self.vocabulary.contains(word)
            || word.chars().count() < FUZZY_MIN_CHARS
            || word.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let mut buffer = ['\0'; 48];
        let count = word.chars().count();
        if count > buffer.len() {
            return None;
        }
        for (slot, c) in buffer.iter_mut().zip(word.chars()) {
            *slot = c;
        }
        let chars = &buffer[..count];
        (0..=count)
            .map(|k| k.checked_sub(1))
            .filter_map(|skip| self.deletions.get(&hash_skipping(chars, skip)))
            .flatten()
            .map(|&id| self.long_words[id as usize].as_str())
            .find(|target| within_one_edit(word, target))
    }
}

/// FNV-1a over `chars` with the character at `skip` left out.
fn hash_skipping(chars: &[char], skip: Option<usize>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, &c) in chars.iter().enumerate() {
        if Some(i) != skip {
            hash = (hash ^ u64::from(u32::from(c))).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The keys of [`LanguagePack::deletions`] are hashes already.
#[derive(Debug, Clone, Default)]
struct BuildIdentity;

impl std::hash::BuildHasher for BuildIdentity {
    type Hasher = IdentityHasher;
    fn build_hasher(&self) -> IdentityHasher {
        IdentityHasher(0)
    }
}

#[derive(Debug, Default)]
struct IdentityHasher(u64);

impl std::hash::Hasher for IdentityHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

/// True when `a` becomes `b` by one insertion, deletion, substitution or swap of neighbours.
fn within_one_edit(a: &str, b: &str) -> bool {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let (ra, rb) = (&a[prefix..], &b[prefix..]);
    let suffix = ra.iter().rev().zip(rb.iter().rev()).take_while(|(x, y)| x == y).count();
    let (ma, mb) = (&ra[..ra.len() - suffix], &rb[..rb.len() - suffix]);
    match (ma.len(), mb.len()) {
        (0, 0) | (1, 0) | (0, 1) | (1, 1) => true,
        (2, 2) => ma[0] == mb[1] && ma[1] == mb[0],
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(lang: &str, phrases: &[&str]) -> LanguagePack {
        let mut builder = PackBuilder::default();
        builder.add(0, &phrases.iter().map(|p| p.to_string()).collect::<Vec<_>>());
        builder.build(lang).expect("phrases compile")
    }

    fn matched(pack: &LanguagePack, text: &str) -> Vec<String> {
        let mut hits = Vec::new();
        pack.hits(text, &mut String::new(), &mut hits);
        hits.iter().map(|h| pack.phrase(h.phrase).to_string()).collect()
    }

    #[test]
    fn matches_whole_words_numbers_and_slips() {
        let p = pack("en", &["thank you for calling", "hell", "10 minutes", "receive"]);
        assert_eq!(matched(&p, "Thanks! Thank you for calling."), ["thank you for calling"]);
        assert_eq!(matched(&p, "Hello there"), Vec::<String>::new());
        assert_eq!(matched(&p, "It takes ten minutes."), ["10 minutes"]);
        assert_eq!(matched(&p, "You will recieve it"), ["receive"]);
        assert_eq!(matched(&p, "You will deceive it"), ["receive"]);
        assert_eq!(matched(&p, "You will perceive it"), Vec::<String>::new());
    }

    #[test]
    fn edit_distance_of_one() {
        assert!(within_one_edit("recieve", "receive"));
        assert!(within_one_edit("thanks", "thank"));
        assert!(!within_one_edit("sorry", "story"));
        assert!(!within_one_edit("policy", "polite"));
    }
}
