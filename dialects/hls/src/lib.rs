//! The hls dialect.
