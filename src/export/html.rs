//! `map.html`: the *map page*, one self-contained file that a reader opens offline in any browser. Its
//! script and style (`html/map.js`, `html/map.css`, written for mentionmap), the story and the basemap
//! are all inside it, and it loads nothing from anywhere.
//!
//! Articles are untrusted input and the page shows their sentences, so three defences keep an article
//! from putting markup or script into it. The story travels as JSON in a script element that browsers do
//! not run, with every character that could close that element escaped. The page's script shows article
//! text only as text (`textContent`, canvas text), never as markup. And a Content-Security-Policy lets
//! only the page's own script and style run, named by their SHA-256 hashes, so that a slip in the first
//! two defences still runs nothing (and the browser reports the attempt as an error).

use std::io::Write;

use anyhow::{Context, Result};
use serde::Serialize;

use super::{map_style, Writer};
use crate::story::{
    Actor, Demonym, Document, Event, Generator, Mention, Place, Story, TimeExpr, Track,
};

pub struct MapPage;

const TEMPLATE: &str = include_str!("html/page.html");
const SCRIPT: &str = include_str!("html/map.js");
const STYLE: &str = include_str!("html/map.css");

impl Writer for MapPage {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let title = format!(
            "Map of {} document{} — mentionmap",
            story.documents.len(),
            if story.documents.len() == 1 { "" } else { "s" }
        );
        let text =
            |value: String| -> Slot { Box::new(move |out| Ok(out.write_all(value.as_bytes())?)) };
        let slots: [(&str, Slot); 8] = [
            ("CSP", text(content_security_policy())),
            ("TITLE", text(title)),
            ("VERSION", text(env!("CARGO_PKG_VERSION").to_string())),
            ("STYLE", text(STYLE.to_string())),
            // streamed: a large story is never held whole as text
            (
                "STORY",
                Box::new(|out| {
                    serde_json::to_writer(&mut ScriptSafe { out }, &PageStory::of(story))
                        .context("cannot serialise the story")
                }),
            ),
            ("BASEMAP", text(escape_json_for_script(map_style::BASEMAP))),
            (
                "MAP_STYLE",
                text(escape_json_for_script(&map_style::style_json().to_string())),
            ),
            ("SCRIPT", text(SCRIPT.to_string())),
        ];
        fill_template(TEMPLATE, &slots, out)
    }
}

/// The story as the page reads it: every member but `readings`, which only `merge` needs.
#[derive(Serialize)]
struct PageStory<'a> {
    generator: &'a Generator,
    documents: &'a [Document],
    places: &'a [Place],
    mentions: &'a [Mention],
    demonyms: &'a [Demonym],
    times: &'a [TimeExpr],
    events: &'a [Event],
    tracks: &'a [Track],
    actors: &'a [Actor],
}

impl PageStory<'_> {
    fn of(story: &Story) -> PageStory<'_> {
        PageStory {
            generator: &story.generator,
            documents: &story.documents,
            places: &story.places,
            mentions: &story.mentions,
            demonyms: &story.demonyms,
            times: &story.times,
            events: &story.events,
            tracks: &story.tracks,
            actors: &story.actors,
        }
    }
}

/// JSON made safe to stand inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
/// and so on, so no `</script>` or `<!--` can appear; U+2028 and U+2029 too, for older parsers. These
/// characters only occur inside JSON strings, where the escapes mean the same characters.
pub(crate) fn escape_json_for_script(json: &str) -> String {
    let mut out = Vec::with_capacity(json.len() + json.len() / 64);
    ScriptSafe { out: &mut out }
        .write_all(json.as_bytes())
        .expect("writing to memory");
    String::from_utf8(out).expect("escapes keep UTF-8")
}

/// [`escape_json_for_script`] as JSON streams through. Each write must be whole characters, as serde's
/// are (it splits strings only at the ASCII characters it escapes); a split character is an error.
struct ScriptSafe<'a> {
    out: &'a mut dyn Write,
}

impl Write for ScriptSafe<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = std::str::from_utf8(buf)
            .map_err(|_| std::io::Error::other("JSON written in pieces that split a character"))?;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            let escaped = match c {
                '<' => "\\u003c",
                '>' => "\\u003e",
                '&' => "\\u0026",
                '\u{2028}' => "\\u2028",
                '\u{2029}' => "\\u2029",
                _ => continue,
            };
            self.out.write_all(&buf[start..i])?;
            self.out.write_all(escaped.as_bytes())?;
            start = i + c.len_utf8();
        }
        self.out.write_all(&buf[start..])?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// What a template slot writes.
type Slot<'a> = Box<dyn Fn(&mut dyn Write) -> Result<()> + 'a>;

/// Only the page's own script and style may run; nothing may be fetched.
fn content_security_policy() -> String {
    format!(
        "default-src 'none'; script-src 'sha256-{}'; style-src 'sha256-{}'; \
         base-uri 'none'; form-action 'none'",
        base64(&sha256(SCRIPT.as_bytes())),
        base64(&sha256(STYLE.as_bytes()))
    )
}

/// Write `template` with each `{{NAME}}` replaced by what its slot writes. Values are written as they are
/// and never scanned again, so a story containing `{{SCRIPT}}` stays text.
fn fill_template(template: &str, slots: &[(&str, Slot)], out: &mut dyn Write) -> Result<()> {
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        let close = open
            + rest[open..]
                .find("}}")
                .context("map page template: unclosed {{")?;
        let name = &rest[open + 2..close];
        let value = slots
            .iter()
            .find(|(slot, _)| *slot == name)
            .map(|(_, value)| value)
            .with_context(|| format!("map page template: no value for {{{{{name}}}}}"))?;
        out.write_all(&rest.as_bytes()[..open])?;
        value(out)?;
        rest = &rest[close + 2..];
    }
    out.write_all(rest.as_bytes())?;
    Ok(())
}

/// SHA-256 (FIPS 180-4), for the policy's script and style hashes: a page needs two hashes, not a
/// cryptography dependency.
fn sha256(data: &[u8]) -> [u8; 32] {
    // The first 32 bits of the fractional parts of the cube roots of the first 64 primes.
    const K: [u32; 64] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
        0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
        0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
        0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
        0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
        0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
        0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
        0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
        0xc67178f2,
    ];
    // The first 32 bits of the fractional parts of the square roots of the first 8 primes.
    let mut state: [u32; 8] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab,
        0x5be0cd19,
    ];
    let mut message = data.to_vec();
    message.push(0x80);
    while message.len() % 64 != 56 {
        message.push(0);
    }
    message.extend_from_slice(&((data.len() as u64) * 8).to_be_bytes());
    for block in message.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (i, word) in block.chunks_exact(4).enumerate() {
            w[i] = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for i in 16..64 {
            let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
            let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
            w[i] = w[i - 16]
                .wrapping_add(s0)
                .wrapping_add(w[i - 7])
                .wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = state;
        for i in 0..64 {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let choice = (e & f) ^ (!e & g);
            let t1 = h
                .wrapping_add(s1)
                .wrapping_add(choice)
                .wrapping_add(K[i])
                .wrapping_add(w[i]);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let majority = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(majority);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (word, add) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *word = word.wrapping_add(add);
        }
    }
    let mut digest = [0u8; 32];
    for (i, word) in state.iter().enumerate() {
        digest[4 * i..4 * i + 4].copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// Standard base64 with padding, as Content-Security-Policy hashes are written.
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{Document, Mention, Place, PlaceKind};

    const SCRIPT_INJECTION: &str = "</script><script>alert(1)</script>";
    const ATTRIBUTE_INJECTION: &str = "\"><img src=x onerror=alert(1)>";

    fn hostile_story() -> Story {
        let sentence = format!("Ships left Qingdao {SCRIPT_INJECTION} and {ATTRIBUTE_INJECTION}.");
        Story {
            documents: vec![Document {
                id: "d1".into(),
                path: "hostile.txt".into(),
                title: Some(format!("{ATTRIBUTE_INJECTION} \u{2028} {{{{SCRIPT}}}}")),
                url: None,
                source: Some(SCRIPT_INJECTION.into()),
                published: Some("2023-07-16".into()),
                date_source: Default::default(),
                chars: sentence.chars().count(),
            }],
            places: vec![Place {
                id: "gn:1797929".into(),
                name: format!("Qingdao{SCRIPT_INJECTION}"),
                kind: PlaceKind::City,
                lat: 36.06,
                lon: 120.38,
                country: Some("CN".into()),
                bbox: None,
                gazetteer: "geonames".into(),
                gazetteer_id: "1797929".into(),
                mentions: 1,
            }],
            mentions: vec![Mention {
                doc: "d1".into(),
                start: 11,
                end: 18,
                text: "Qingdao".into(),
                place: Some("gn:1797929".into()),
                lat: Some(36.06),
                lon: Some(120.38),
                confidence: 0.9,
                role: None,
                sentence: sentence.into(),
                candidates: vec![],
            }],
            ..Story::default()
        }
    }

    fn page(story: &Story) -> String {
        let mut bytes = Vec::new();
        MapPage.write(story, &mut bytes).unwrap();
        String::from_utf8(bytes).unwrap()
    }

    /// The text of `<script type="application/json" id="ID">`.
    fn json_block<'a>(page: &'a str, id: &str) -> &'a str {
        let open = format!("<script type=\"application/json\" id=\"{id}\">");
        let start = page.find(&open).unwrap() + open.len();
        let end = start + page[start..].find("</script>").unwrap();
        &page[start..end]
    }

    #[test]
    fn escaped_json_has_no_markup_characters_and_means_the_same() {
        let mut json = Vec::new();
        crate::export::writer_for(crate::export::Format::Story)
            .write(&hostile_story(), &mut json)
            .unwrap();
        let escaped = escape_json_for_script(std::str::from_utf8(&json).unwrap());
        assert!(!escaped.contains(['<', '>', '&', '\u{2028}', '\u{2029}']));
        assert!(escaped.contains("\\u003c/script\\u003e"));
        let back: Story = serde_json::from_str(&escaped).unwrap();
        assert_eq!(back, hostile_story());
    }

    #[test]
    fn article_text_cannot_open_markup_in_the_page() {
        let story = hostile_story();
        let html = page(&story);
        // Our four script elements and nothing else: the article's `<script>` and `<img` stay escaped.
        assert_eq!(html.matches("<script").count(), 4, "{html}");
        assert!(!html.contains("<img"));
        assert!(!html.contains("alert(1)</script>"));
        let back: Story = serde_json::from_str(json_block(&html, "story")).unwrap();
        assert_eq!(back, story);
        // `{{SCRIPT}}` in an article is text, not a template slot.
        assert_eq!(html.matches("{{SCRIPT}}").count(), 1);
    }

    #[test]
    fn page_embeds_basemap_and_style_and_is_reproducible() {
        let html = page(&hostile_story());
        let basemap: serde_json::Value =
            serde_json::from_str(json_block(&html, "basemap")).unwrap();
        assert!(basemap["features"].as_array().unwrap().len() > 100);
        let style: serde_json::Value =
            serde_json::from_str(json_block(&html, "map-style")).unwrap();
        assert_eq!(
            style["groups"].as_array().unwrap().len(),
            map_style::KIND_GROUPS.len()
        );
        assert_eq!(html, page(&hostile_story()));
    }

    #[test]
    fn policy_names_the_script_that_is_in_the_page() {
        let html = page(&Story::default());
        let script = format!("<script>{SCRIPT}</script>");
        assert!(html.contains(&script));
        assert!(html.contains(&format!("'sha256-{}'", base64(&sha256(SCRIPT.as_bytes())))));
        assert!(html.contains(&format!("<style>{STYLE}</style>")));
    }

    #[test]
    fn assets_cannot_close_their_elements_or_parse_markup() {
        for asset in [SCRIPT, STYLE] {
            let lower = asset.to_lowercase();
            assert!(!lower.contains("</script") && !lower.contains("</style"));
        }
        for sink in [
            "innerHTML",
            "outerHTML",
            "insertAdjacentHTML",
            "document.write",
            "eval(",
        ] {
            assert!(!SCRIPT.contains(sink), "map.js uses {sink}");
        }
    }

    #[test]
    fn sha256_and_base64_match_known_values() {
        assert_eq!(
            base64(&sha256(b"abc")),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0="
        );
        // Two blocks of padding: a 56-byte message.
        let two_blocks = b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
        assert_eq!(
            sha256(two_blocks)[..4],
            [0x24, 0x8d, 0x6a, 0x61],
            "FIPS 180-4 example"
        );
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b"a"), "YQ==");
    }
}
