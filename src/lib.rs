//! # earshot
//!
//! Given where everyone was at an event, could two people have held a conversation?
//!
//! The folders are the layers; data flows down this list, never up.
//!
//! # The scene
//! - [`scene`]: venue, seats, phases and attendees, loaded and validated from a seating CSV
//!   and an optional `scene.toml`. Everything is in metres and dB(A).
//!
//! # Physics
//! - [`physics::geometry`]: distances, what a straight line crosses, walking distance around
//!   obstacles, reflections off the outline.
//! - [`physics::acoustics`]: speech levels, propagation in a room, noise.
//! - [`physics::sti`]: the speech transmission index of IEC 60268-16, band by band.
//!
//! # Analysis
//! - [`analysis::pair`]: the geometric facts about two people in one phase.
//! - [`analysis::plausibility`]: the explained [`analysis::plausibility::Verdict`] for a pair.
//! - [`analysis::index`]: a uniform grid for every pair within a distance.
//! - [`analysis::search`]: every pair of a phase at or above a band, through the index.
//! - [`analysis::groups`]: conversational groups (F-formations) from a snapshot, and their
//!   metric.
//!
//! # Data
//! - [`data::generate`]: realistic, deterministic scenes for benchmarks and demos.
//!
//! # Output
//! - [`output::report`]: text and JSON renderings of verdicts.
//! - [`output::render`]: the SVG seating chart and plots.
//! - [`output::atomic`]: atomic file writing.
//!
//! The library never prints and never exits: errors are typed and returned.

pub mod analysis;
pub mod data;
pub mod output;
pub mod physics;
pub mod scene;
