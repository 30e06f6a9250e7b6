//! JSON traces (being written).
