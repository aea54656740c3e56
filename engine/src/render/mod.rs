//! Streaming render jobs: read -> grade -> write with bounded queues and
//! atomic output writes.
