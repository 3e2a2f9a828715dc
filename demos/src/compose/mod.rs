//! Demos of the book's part on compose (see the crate docs). Each demo lives in its own file.

use crate::Demo;

/// This part's demos, in the book's order.
pub fn demos() -> Vec<Demo> {
    vec![]
}
