//! # earshot
//!
//! Given where everyone was at an event, could two people have held a conversation?
//!
//! # The scene
//! - [`scene`]: venue, seats, phases and attendees, loaded and validated from a seating CSV
//!   and an optional `scene.toml`. Everything is in metres and dB(A).
//!
//! # Physics
//! - [`geometry`]: distances, what a straight line crosses, walking distance around obstacles.
//! - [`index`]: a uniform grid for every pair within a distance.
//! - [`pair`]: the geometric facts about two people in one phase.
//! - [`acoustics`]: speech levels, propagation in a room, noise and intelligibility.
//! - [`sti`]: the speech transmission index of IEC 60268-16, band by band.
//!
//! # Analysis
//! - [`plausibility`]: the explained [`plausibility::Verdict`] for a pair.
//! - [`groups`]: conversational groups (F-formations) from a snapshot, and their metric.
//! - [`analysis`]: every pair of a phase at or above a band, through the spatial index.
//!
//! # Data
//! - [`generate`]: realistic, deterministic scenes for benchmarks and demos.
//!
//! # Output
//! - [`report`]: text and JSON renderings of verdicts.
//! - [`render`]: the SVG seating chart.
//! - [`output`]: atomic file writing.
//!
//! The library never prints and never exits: errors are typed and returned.

pub mod acoustics;
pub mod analysis;
pub mod generate;
pub mod geometry;
pub mod groups;
pub mod index;
pub mod output;
pub mod pair;
pub mod plausibility;
pub mod render;
pub mod report;
pub mod scene;
pub mod sti;
