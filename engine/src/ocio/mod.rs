//! OpenColorIO through a small C++ shim (feature `ocio`): a user feature and
//! the oracle the tests compare grade against.
