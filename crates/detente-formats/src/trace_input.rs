//! Reading traces back: detente's JSON traces and hand-written records of real talks
//! (being written).
