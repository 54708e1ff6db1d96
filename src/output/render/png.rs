//! Rasterising an SVG to PNG with resvg (the `png` feature).

/// Renders SVG text to PNG bytes at `scale` (1.0 = the SVG's own pixel size). Text uses the
/// system's fonts; without any, labels are left out of the PNG (the SVG keeps them).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, String> {
    let mut opt = resvg::usvg::Options::default();
    opt.fontdb_mut().load_system_fonts();
    let tree =
        resvg::usvg::Tree::from_str(svg, &opt).map_err(|e| format!("cannot read the SVG: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(scale)
        .ok_or("the picture is empty")?;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .ok_or("the picture is too large")?;
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("cannot encode the PNG: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_a_png() {
        let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#0072B2"/></svg>"##;
        let png = svg_to_png(svg, 2.0).unwrap_or_default();
        assert_eq!(&png[1..4], b"PNG");
        // width 40 in the IHDR chunk
        assert_eq!(u32::from_be_bytes([png[16], png[17], png[18], png[19]]), 40);
    }
}
