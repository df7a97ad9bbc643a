//! Escaping for the XML-based formats (KML, SVG, and the HTML quoted inside KML balloons): one function,
//! so that article text is made safe the same way everywhere.

/// Text made safe as XML character data: markup characters escaped, and characters XML 1.0 cannot
/// contain at all (most control characters) dropped.
pub fn xml_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}
