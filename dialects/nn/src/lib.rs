//! The nn dialect.
