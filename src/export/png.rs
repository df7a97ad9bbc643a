//! The static picture as a PNG: [`super::svg`]'s picture rasterised with resvg, for places where SVG is
//! not shown (some READMEs, slides, chat).
//!
//! Labels use the system's fonts; where none are installed the picture is drawn without its text rather
//! than not at all. The same story on the same machine gives the same bytes.

use std::io::Write;

use anyhow::{Context, Result};
use resvg::{tiny_skia, usvg};

use super::{svg, Writer};
use crate::story::Story;

pub struct MapPng;

impl Writer for MapPng {
    fn write(&self, story: &Story, out: &mut dyn Write) -> Result<()> {
        let picture = svg::render_svg(story)?;
        let mut options = usvg::Options::default();
        options.fontdb_mut().load_system_fonts();
        let tree =
            usvg::Tree::from_str(&picture, &options).context("cannot read back the map picture")?;
        let size = tree.size().to_int_size();
        let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height())
            .context("the map picture has no area")?;
        resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
        out.write_all(&pixmap.encode_png().context("cannot encode the PNG")?)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_the_picture_at_its_size_and_reproducibly() {
        let story = svg::tests::sample_story();
        let mut first = Vec::new();
        MapPng.write(&story, &mut first).unwrap();
        assert_eq!(&first[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR: width and height, big-endian, right after the signature and chunk header.
        let width = u32::from_be_bytes(first[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(first[20..24].try_into().unwrap());
        assert_eq!((width, height), (svg::WIDTH as u32, svg::HEIGHT as u32));
        let mut second = Vec::new();
        MapPng.write(&story, &mut second).unwrap();
        assert!(first == second, "same story, same bytes");
    }
}
