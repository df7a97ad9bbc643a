//! *Clause tense*: whether the clause around a temporal expression speaks of the past, the present or
//! the future, so that a bare "Sunday" can be read as the last one or the next one.
//!
//! The clause is cut at hard boundaries (";", brackets, quotes, dashes, and words such as "that",
//! "which", "when", "but") and split into segments at soft ones ("," "and" "or"). The expression's own
//! segment is searched first, then the ones next to it, so that "left on Sunday and will sail on" keeps
//! Sunday in the past while "On Sunday, the ministry said" still finds its verb. Within a segment the
//! nearest cue wins, auxiliaries ("will", "had", "is sailing") before bare "-ed" words, and words before
//! the expression before words after it, since English verbs mostly precede their time adverbials.

use std::ops::Range;

use super::lexicon::{self, Cue};
use super::scan::{Kind, Token};
use crate::story::Tense;

/// How far, in tokens, a clause is searched on each side.
const REACH: usize = 40;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// Auxiliaries, modals, irregular past forms, "ago", "upcoming".
    Strong,
    /// A word ending in "-ed", which may be an adjective ("heightened tensions").
    Medium,
    /// "until", "soon", present-tense schedule verbs ("the talks begin").
    Weak,
}

impl Strength {
    fn penalty(self) -> usize {
        match self {
            Strength::Strong => 0,
            Strength::Medium => 2,
            Strength::Weak => 6,
        }
    }
}

/// The tense of the clause around an expression, given the tokens of its sentence and, as an index
/// range into them, its own; None when no word in reach shows one.
pub fn clause_tense(text: &str, sentence: &[Token], expression: Range<usize>) -> Option<Tense> {
    let (first, last) = (expression.start, expression.end);
    let words = Words {
        text,
        tokens: sentence,
    };
    // the expression's own preposition ("before Sunday") is not a clause boundary
    let own_prep = first
        .checked_sub(1)
        .filter(|&i| words.is_own_preposition(i));
    let mut best: Best = None;
    let left_end = own_prep.unwrap_or(first);
    let mut segment = 0;
    for i in (left_end.saturating_sub(REACH)..left_end).rev() {
        if beaten(&best, segment, first - i) {
            break;
        }
        match words.step(i) {
            Step::Hard => break,
            Step::Soft => segment += 1,
            Step::Word(Some(found)) => consider(&mut best, segment, first - i, false, found),
            Step::Word(None) => {}
        }
    }
    let mut segment = 0;
    for i in last..sentence.len().min(last + REACH) {
        if beaten(&best, segment, i + 1 - last + 2) {
            break;
        }
        match words.step(i) {
            Step::Hard => break,
            Step::Soft => segment += 1,
            Step::Word(Some(found)) => consider(&mut best, segment, i + 1 - last, true, found),
            Step::Word(None) => {}
        }
    }
    best.map(|(_, tense)| tense)
}

/// The best evidence so far: (segment, score, strength), lowest first, and the tense it shows.
type Best = Option<((usize, usize, Strength), Tense)>;

/// Keep `found` if it beats `best`: nearer segments first, then nearer and surer words.
fn consider(
    best: &mut Best,
    segment: usize,
    distance: usize,
    right: bool,
    found: (Tense, Strength),
) {
    let (tense, strength) = found;
    let score = distance + strength.penalty() + if right { 2 } else { 0 };
    let key = (segment, score, strength);
    if best.is_none_or(|(k, _)| key < k) {
        *best = Some((key, tense));
    }
}

/// Whether every word from here on along one side must lose to `best`: a word in `segment` scores
/// at least `least`, and segment and score only grow along a side.
fn beaten(best: &Best, segment: usize, least: usize) -> bool {
    best.is_some_and(|((s, score, _), _)| (segment, least) > (s, score))
}

/// What a token is to the clause search: a boundary, or a token inside the clause with the tense
/// it shows, if any.
enum Step {
    Hard,
    Soft,
    Word(Option<(Tense, Strength)>),
}

struct Words<'a> {
    text: &'a str,
    tokens: &'a [Token],
}

impl Words<'_> {
    /// The lower-cased word at token `i`, or None for numbers, symbols and long words.
    fn lower<'b>(&self, i: usize, buf: &'b mut [u8; 12]) -> Option<&'b [u8]> {
        let t = self.tokens.get(i)?;
        if t.kind != Kind::Word {
            return None;
        }
        lexicon::lowercase(&self.text[t.start..t.end], buf)
    }

    fn is(&self, i: usize, words: &[&[u8]]) -> bool {
        let mut buf = [0u8; 12];
        self.lower(i, &mut buf).is_some_and(|w| words.contains(&w))
    }

    fn is_own_preposition(&self, i: usize) -> bool {
        let mut buf = [0u8; 12];
        matches!(
            self.lower(i, &mut buf),
            Some(
                b"on"
                    | b"in"
                    | b"at"
                    | b"since"
                    | b"until"
                    | b"till"
                    | b"by"
                    | b"from"
                    | b"before"
                    | b"after"
                    | b"during"
                    | b"over"
                    | b"through"
                    | b"between"
                    | b"for"
                    | b"of"
            )
        )
    }

    /// What the token at `i` is to the clause search; words are looked up only when a search
    /// reaches them.
    fn step(&self, i: usize) -> Step {
        let t = self.tokens[i];
        match t.kind {
            Kind::Word => {
                let w = &self.text.as_bytes()[t.start..t.end];
                match lexicon::cue(&self.text[t.start..t.end]) {
                    Cue::SoftBoundary => Step::Soft,
                    Cue::HardBoundary => Step::Hard,
                    // most words: only a past form ending in "-ed" tells anything
                    Cue::Plain => {
                        let past_form =
                            w.len() >= 5 && w.ends_with(b"ed") && w[0].is_ascii_lowercase();
                        Step::Word(
                            (past_form && !self.governed(i))
                                .then_some((Tense::Past, Strength::Medium)),
                        )
                    }
                    cue => Step::Word(self.evidence(i, cue)),
                }
            }
            Kind::Symbol(',') => Step::Soft,
            Kind::Symbol(
                ';' | ':' | '(' | ')' | '[' | ']' | '"' | '“' | '”' | '‘' | '«' | '»' | '—' | '–',
            ) => Step::Hard,
            // a hyphen between spaces is a dash; inside "mid-July" it joins
            Kind::Symbol('-') if self.text.as_bytes().get(t.end) == Some(&b' ') => Step::Hard,
            _ => Step::Word(None),
        }
    }

    /// Whether the word at `i` is followed by "to" (skipping nothing): "set to", "due to", "plans to".
    fn followed_by(&self, i: usize, words: &[&[u8]]) -> bool {
        self.is(i + 1, words)
    }

    /// Whether a past form at `i` is a participle or infinitive governed by an auxiliary or a linking
    /// verb before it ("will be held", "is expected", "to be held", "remains closed"), or an adjective
    /// after a determiner ("the treated water"), and so says nothing of the past by itself.
    fn governed(&self, i: usize) -> bool {
        let mut j = i;
        for _ in 0..3 {
            let Some(prev) = j.checked_sub(1) else {
                return false;
            };
            j = prev;
            let mut buf = [0u8; 12];
            match self.lower(j, &mut buf) {
                Some(b"not" | b"also" | b"still" | b"now" | b"currently" | b"already") => {}
                Some(
                    b"will" | b"would" | b"shall" | b"ll" | b"be" | b"been" | b"being" | b"is"
                    | b"are" | b"am" | b"re" | b"to" | b"can" | b"could" | b"may" | b"might"
                    | b"must" | b"should" | b"remain" | b"remains" | b"stay" | b"stays" | b"seem"
                    | b"seems" | b"appear" | b"appears" | b"become" | b"becomes" | b"the" | b"a"
                    | b"an" | b"its" | b"their" | b"his" | b"her" | b"our" | b"these" | b"those",
                ) => return true,
                _ => return false,
            }
        }
        false
    }

    /// The tense a word with a tense cue shows, and how surely.
    fn evidence(&self, i: usize, cue: Cue) -> Option<(Tense, Strength)> {
        use Strength::{Medium, Strong, Weak};
        let to = || self.followed_by(i, &[b"to"]);
        let found = match cue {
            Cue::Future => (Tense::Future, Strong),
            Cue::Won if self.is_apostrophe(i + 1) => (Tense::Future, Strong),
            Cue::FutureBeforeTo if to() => (Tense::Future, Strong),
            // "is expected back by Friday", "expected to sail"; but "as expected", "than expected"
            Cue::Expected if to() || self.governed(i) => (Tense::Future, Strong),
            Cue::Expected
                if i.checked_sub(1)
                    .is_some_and(|j| self.is(j, &[b"as", b"than"])) =>
            {
                return None
            }
            Cue::Expected => (Tense::Past, Medium),
            Cue::Expect => (Tense::Future, Weak),
            Cue::Set if to() => (Tense::Future, Strong),
            Cue::Set if self.followed_by(i, &[b"out", b"off", b"sail"]) => (Tense::Past, Medium),
            Cue::Due if self.followed_by(i, &[b"to", b"on", b"in"]) => (Tense::Future, Strong),
            Cue::Plan | Cue::Planned if self.followed_by(i, &[b"to", b"for"]) => {
                (Tense::Future, Strong)
            }
            Cue::Planned => (Tense::Future, Weak),
            Cue::Soon => (Tense::Future, Weak),
            Cue::BeNow => return self.present(i),
            Cue::BePast if to() => (Tense::Future, Weak),
            Cue::BePast | Cue::Past => (Tense::Past, Strong),
            Cue::Have if !to() => (Tense::Past, Strong),
            Cue::Earlier => (Tense::Past, Weak),
            Cue::Schedule if !self.governed(i) => (Tense::Present, Weak),
            Cue::IrregularPast | Cue::Won if !self.governed(i) => (Tense::Past, Strong),
            _ => return None,
        };
        Some(found)
    }

    /// After "is"/"are": "is sailing" is the present, "is to begin" the future; "is set to" and the
    /// like are left to the next word.
    fn present(&self, i: usize) -> Option<(Tense, Strength)> {
        let mut j = i + 1;
        while self.is(j, &[b"not", b"also", b"still", b"now", b"currently"]) {
            j += 1;
        }
        let mut buf = [0u8; 12];
        match self.lower(j, &mut buf) {
            Some(b"to") => Some((Tense::Future, Strength::Strong)),
            Some(
                b"set" | b"due" | b"expected" | b"scheduled" | b"slated" | b"poised" | b"going"
                | b"planned" | b"planning",
            ) => None,
            Some(b"being" | b"underway") => Some((Tense::Present, Strength::Strong)),
            Some(w) if w.len() >= 5 && w.ends_with(b"ing") && !is_ing_exception(w) => {
                Some((Tense::Present, Strength::Strong))
            }
            _ => Some((Tense::Present, Strength::Weak)),
        }
    }

    fn is_apostrophe(&self, i: usize) -> bool {
        matches!(
            self.tokens.get(i).map(|t| t.kind),
            Some(Kind::Symbol('\'' | '’'))
        )
    }
}

fn is_ing_exception(w: &[u8]) -> bool {
    matches!(
        w,
        b"during"
            | b"according"
            | b"including"
            | b"morning"
            | b"evening"
            | b"nothing"
            | b"something"
            | b"anything"
            | b"thing"
            | b"spring"
            | b"string"
            | b"building"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::scan::SentenceTokens;

    fn tense_of(sentence: &str, expression: &str) -> Option<Tense> {
        let mut found = Vec::new();
        crate::time::scan::scan(sentence, &mut found);
        let mut tokens = Vec::new();
        SentenceTokens::new(sentence, &found).read(0..sentence.len(), &mut tokens);
        let start = sentence.find(expression).unwrap();
        let end = start + expression.len();
        let index = |at: usize| tokens.partition_point(|t| t.start < at);
        clause_tense(sentence, &tokens, index(start)..index(end))
    }

    #[test]
    fn the_clause_not_the_sentence_decides() {
        let s =
            "The flotilla left Qingdao on Sunday and will sail on to the Sea of Japan by Friday.";
        assert_eq!(tense_of(s, "Sunday"), Some(Tense::Past));
        assert_eq!(tense_of(s, "Friday"), Some(Tense::Future));
    }

    #[test]
    fn relative_clauses_and_fronted_adverbials() {
        let s = "The drills, which began on Monday, will last until Sunday.";
        assert_eq!(tense_of(s, "Monday"), Some(Tense::Past));
        assert_eq!(tense_of(s, "Sunday"), Some(Tense::Future));
        let s = "On Saturday, the ministry said the ships will take part.";
        assert_eq!(tense_of(s, "Saturday"), Some(Tense::Past));
        let s = "The ministry said on Friday that the frigates would dock on Monday.";
        assert_eq!(tense_of(s, "Friday"), Some(Tense::Past));
        assert_eq!(tense_of(s, "Monday"), Some(Tense::Future));
    }

    #[test]
    fn participles_after_auxiliaries_are_not_past() {
        assert_eq!(
            tense_of("The talks will be held on Tuesday.", "Tuesday"),
            Some(Tense::Future)
        );
        assert_eq!(
            tense_of("The summit is expected to open on Monday.", "Monday"),
            Some(Tense::Future)
        );
        assert_eq!(
            tense_of("The convoy is sailing north on Friday.", "Friday"),
            Some(Tense::Present)
        );
        assert_eq!(
            tense_of("The corvette sailed on Friday.", "Friday"),
            Some(Tense::Past)
        );
        assert_eq!(tense_of("Talks on Friday.", "Friday"), None);
    }

    #[test]
    fn a_sure_word_beyond_a_weak_one_wins() {
        // "ahead" hints at the future, but the past form two words further is surer
        assert_eq!(
            tense_of("Talks were held ahead of Monday.", "Monday"),
            Some(Tense::Past)
        );
        assert_eq!(
            tense_of("Talks are planned ahead of Monday.", "Monday"),
            Some(Tense::Future)
        );
    }
}
