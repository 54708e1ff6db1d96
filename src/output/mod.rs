//! Output: text, JSON and CSV reports, the SVG chart and plots, and atomic file writing.

pub mod atomic;
pub mod geojson;
pub mod html;
pub mod render;
pub mod report;
