//! Reformat tests: parsing, geometry of each resize mode, weights, identity.
