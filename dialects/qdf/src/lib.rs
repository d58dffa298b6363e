//! The qdf dialect.
