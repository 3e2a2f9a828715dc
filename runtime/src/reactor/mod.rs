//! The reactor: asking the OS which file descriptors are ready. (Being written; see issue 6.)
