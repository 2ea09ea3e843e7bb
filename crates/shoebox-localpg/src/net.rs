//! Loopback ports: finding a free one and telling whether one is in use.

use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use crate::LocalPgError;

/// A TCP port on 127.0.0.1 that was free a moment ago.
///
/// The port is released before this returns, so another process may take it
/// before the caller binds it; callers that can retry on that (rare) race do.
pub fn free_port() -> Result<u16, LocalPgError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .map_err(|error| LocalPgError::io("could not bind a free port on 127.0.0.1", error))?;
    let address = listener
        .local_addr()
        .map_err(|error| LocalPgError::io("could not read the bound port", error))?;
    Ok(address.port())
}

/// Whether something accepts TCP connections on 127.0.0.1:`port`.
pub fn port_is_open(port: u16) -> bool {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    TcpStream::connect_timeout(&address, Duration::from_millis(500)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_free_port_is_closed_and_a_bound_one_is_open() {
        let port = free_port().unwrap();
        assert_ne!(port, 0);
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let bound = listener.local_addr().unwrap().port();
        assert!(port_is_open(bound));
        drop(listener);
        assert!(!port_is_open(bound));
    }
}
