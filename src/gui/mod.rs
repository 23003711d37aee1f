//! The iced desktop app: one module per screen, no SQL, every action through `core`.
//! Planned: arrives with the GUI issue. Nothing here yet.
