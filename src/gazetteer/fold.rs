//! *Folding*: the one normal form in which names are compared, so that "São Paulo" matches "Sao Paulo",
//! "Sovetskaya Gavan'" matches "Sovetskaya Gavan", and "ST. PETERSBURG" matches "St Petersburg".
//!
//! This file is also compiled into `build.rs`, which folds the shipped names when it builds the index.

use unicode_normalization::char::decompose_compatible;

/// Lower-case, strip diacritics, drop apostrophes, turn other punctuation into spaces, collapse spaces.
pub fn fold(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    if name.is_ascii() {
        // Most lookups are plain ASCII; skipping Unicode decomposition makes them several times faster.
        fold_ascii(name, &mut out);
    } else {
        fold_unicode(name, &mut out);
    }
    out
}

fn fold_ascii(name: &str, out: &mut String) {
    let mut pending_space = false;
    for b in name.bytes() {
        if b == b'\'' || b == b'`' {
            continue;
        }
        if b.is_ascii_alphanumeric() {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(b.to_ascii_lowercase() as char);
        } else {
            pending_space = true;
        }
    }
}

fn fold_unicode(name: &str, out: &mut String) {
    let mut pending_space = false;
    for original in name.chars() {
        // Marks are dropped, so decomposing one character at a time gives what decomposing the whole name
        // (NFKD) would, without its buffering: NFKD only adds the reordering of marks.
        decompose_compatible(original, |c| push_folded(c, out, &mut pending_space));
    }
}

fn push_folded(c: char, out: &mut String, pending_space: &mut bool) {
    if unicode_normalization::char::is_combining_mark(c) {
        return;
    }
    if matches!(c, '\'' | '’' | '‘' | 'ʼ' | 'ʻ' | '`' | '´') {
        return;
    }
    if !c.is_alphanumeric() {
        *pending_space = true;
        return;
    }
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    match c {
        'ß' => out.push_str("ss"),
        'æ' | 'Æ' => out.push_str("ae"),
        'œ' | 'Œ' => out.push_str("oe"),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' => out.push('d'),
        'ł' | 'Ł' => out.push('l'),
        'ı' => out.push('i'),
        'þ' | 'Þ' => out.push_str("th"),
        _ => out.extend(c.to_lowercase()),
    }
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn folds_case_diacritics_and_punctuation() {
        assert_eq!(fold("São Paulo"), "sao paulo");
        assert_eq!(fold("Sovetskaya Gavan'"), "sovetskaya gavan");
        assert_eq!(fold("Sovetskaya Gavan’"), "sovetskaya gavan");
        assert_eq!(fold("ST. PETERSBURG"), "st petersburg");
        assert_eq!(fold("Bab-el-Mandeb"), "bab el mandeb");
        assert_eq!(fold("Øresund"), "oresund");
        assert_eq!(fold("  Sea   of Japan "), "sea of japan");
        assert_eq!(fold("Xi’an"), "xian");
        assert_eq!(fold("Xi'an"), "xian");
        assert_eq!(fold("Hawaiʻi"), "hawaii");
        assert_eq!(fold("青岛"), "青岛");
    }

    #[test]
    fn ascii_fast_path_agrees_with_unicode_path() {
        for name in [
            "Sea of  Japan",
            "ST. PETERSBURG",
            "Xi'an",
            "Bab-el-Mandeb",
            "A1 (b)",
        ] {
            let mut slow = String::new();
            super::fold_unicode(name, &mut slow);
            assert_eq!(fold(name), slow, "{name}");
        }
    }

    #[test]
    fn compatibility_forms_and_hangul_decompose() {
        assert_eq!(fold("ﬁnland"), "finland"); // ligature
        assert_eq!(fold("Ｔｏｋｙｏ"), "tokyo"); // full-width
        assert_eq!(fold("Hà Nội"), "ha noi");
        assert_eq!(fold("부산").chars().count(), 5); // Hangul syllables split into jamo, as NFKD does
    }
}
