//! Pieces shared by several pages.

pub mod charts;
pub mod choices;
pub mod layout;
pub mod text_area;
