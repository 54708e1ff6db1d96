//! Physics: geometry of the floor plan, and how speech travels and is understood in a room.

pub mod acoustics;
pub mod geometry;
pub mod homography;
pub mod sti;
