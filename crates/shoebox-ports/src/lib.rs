//! # shoebox-ports
//!
//! The seams of the hexagon, as traits only.
//!
//! * [`inbound`]: what the application offers its drivers (HTTP, the CLI): one
//!   trait per business capability, implemented by `shoebox-application`.
//! * [`outbound`]: what the application needs from the world (persistence,
//!   password hashing, object storage, the clock), implemented by adapters.
//!
//! With the `mock` feature every trait gets a mockall mock, so each layer can
//! be tested with the layer below it replaced.
//!
//! Architecture Invariant: this crate depends only on `shoebox-domain`; it knows
//! nothing of actix, diesel, object_store or tokio. Callers hold ports as
//! `Arc<dyn Trait>`, so nothing above an adapter is generic over it.

pub mod inbound;
pub mod outbound;
