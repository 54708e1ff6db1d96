//! Analysis: the verdict for a pair, the pair search over a whole phase, and groups.

pub mod gcff;
pub mod groups;
pub mod index;
pub mod pair;
pub mod plausibility;
pub mod search;
pub mod uncertainty;
