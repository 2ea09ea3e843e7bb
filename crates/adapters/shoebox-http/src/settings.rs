//! `[http]`, `SHOEBOX_HTTP__*`: what the HTTP adapter needs to know.

use std::net::SocketAddr;

use url::Url;

#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct HttpSettings {
    /// Listen address, `host:port`.
    pub bind: String,
    /// The external base URL: links in emails and invitations, the `Secure`
    /// cookie flag and HSTS (when https), and the allowed `Origin`.
    pub public_url: String,
    /// Largest JSON request body accepted.
    pub json_body_limit_bytes: usize,
    /// Seconds a client may take to send its request headers.
    pub client_request_timeout_seconds: u64,
    /// Seconds to finish in-flight requests on shutdown.
    pub shutdown_timeout_seconds: u64,
    /// Worker threads (0: one per CPU).
    pub workers: usize,
    /// Trust the first address of `X-Forwarded-For` as the client's (only behind
    /// a proxy that sets it, e.g. the Kubernetes ingress).
    pub trust_forwarded_for: bool,
    /// MiB of album pages kept as sent, answered while their album is
    /// unchanged (0: none).
    pub listing_cache_mib: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            bind: "127.0.0.1:8080".into(),
            public_url: "http://localhost:8080".into(),
            json_body_limit_bytes: 64 * 1024,
            client_request_timeout_seconds: 10,
            shutdown_timeout_seconds: 30,
            workers: 0,
            trust_forwarded_for: false,
            listing_cache_mib: 16,
        }
    }
}

impl HttpSettings {
    /// Refuses settings that parse but cannot work, naming the key.
    pub fn validate(&self) -> Result<(), String> {
        self.bind_address()?;
        self.public_url()?;
        if self.json_body_limit_bytes < 1024 {
            return Err("http.json_body_limit_bytes must be at least 1024".into());
        }
        Ok(())
    }

    pub fn bind_address(&self) -> Result<SocketAddr, String> {
        self.bind.parse().map_err(|_| {
            format!(
                "http.bind {:?} is not a host:port address such as 127.0.0.1:8080",
                self.bind
            )
        })
    }

    pub fn public_url(&self) -> Result<Url, String> {
        let url = Url::parse(&self.public_url).map_err(|error| {
            format!(
                "http.public_url {:?} is not a URL: {error}",
                self.public_url
            )
        })?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(format!(
                "http.public_url {:?} must be an http(s) URL with a host",
                self.public_url
            ));
        }
        Ok(url)
    }

    /// Cookies are `Secure` and HSTS is sent when the public URL is https.
    pub fn is_tls(&self) -> bool {
        self.public_url().is_ok_and(|url| url.scheme() == "https")
    }

    /// `scheme://host[:port]` of the public URL, compared with `Origin` headers.
    pub fn public_origin(&self) -> String {
        self.public_url()
            .map(|url| url.origin().ascii_serialization())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_local() {
        let settings = HttpSettings::default();
        assert_eq!(settings.validate(), Ok(()));
        assert!(!settings.is_tls());
        assert_eq!(settings.public_origin(), "http://localhost:8080");
    }

    #[test]
    fn bad_values_name_their_key() {
        let bad_bind = HttpSettings {
            bind: "localhost".into(),
            ..HttpSettings::default()
        };
        assert!(bad_bind.validate().unwrap_err().starts_with("http.bind"));
        let bad_url = HttpSettings {
            public_url: "ftp://x".into(),
            ..HttpSettings::default()
        };
        assert!(
            bad_url
                .validate()
                .unwrap_err()
                .starts_with("http.public_url")
        );
    }

    #[test]
    fn https_public_urls_turn_on_tls_behaviour() {
        let settings = HttpSettings {
            public_url: "https://photos.example.org/".into(),
            ..HttpSettings::default()
        };
        assert!(settings.is_tls());
        assert_eq!(settings.public_origin(), "https://photos.example.org");
    }
}
