//! Who is calling: the session cookie or a Bearer token, CSRF on unsafe
//! cookie-authenticated requests, and the client facts we record.

use std::net::IpAddr;

use actix_web::{
    FromRequest, HttpRequest,
    cookie::{Cookie, SameSite, time},
    dev::Payload,
    http::{Method, header},
    web,
};
use futures_util::future::LocalBoxFuture;
use shoebox_domain::auth::{
    Actor, AuthenticationError, ClientInfo, Credential, SecretToken, constant_time_eq,
};

use crate::{HttpState, problem::Problem};

pub const SESSION_COOKIE: &str = "shoebox_session";
pub const CSRF_HEADER: &str = "x-csrf-token";
/// The browser's device id: a random value that outlives sessions, so that a
/// sign-in from a browser the member never used can be told apart.
pub const DEVICE_COOKIE: &str = "shoebox_device";
/// Browsers cap cookie lifetimes at 400 days.
const DEVICE_COOKIE_DAYS: i64 = 400;

/// The authenticated caller. Extracting it fails with 401 when there is no
/// valid credential, and with 403 when an unsafe request authenticated by the
/// session cookie lacks the session's CSRF token.
#[derive(Debug, Clone)]
pub struct Authenticated(pub Actor);

fn bearer_token(req: &HttpRequest) -> Option<&str> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

impl FromRequest for Authenticated {
    type Error = Problem;
    type Future = LocalBoxFuture<'static, Result<Self, Problem>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<HttpState>>().cloned();
        let bearer = bearer_token(req).map(str::to_owned);
        let cookie = req.cookie(SESSION_COOKIE).map(|c| c.value().to_owned());
        let needs_csrf = !is_safe(req.method());
        let csrf = req
            .headers()
            .get(CSRF_HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        Box::pin(async move {
            let state =
                state.ok_or_else(|| Problem::internal(anyhow::anyhow!("HttpState missing")))?;
            let authentication = &state.use_cases.authentication;
            let result = match (bearer, cookie) {
                (Some(token), _) => {
                    let secret =
                        SecretToken::parse(&token).map_err(|_| Problem::unauthenticated())?;
                    authentication.authenticate_api_token(secret).await
                }
                (None, Some(cookie)) => {
                    let secret =
                        SecretToken::parse(&cookie).map_err(|_| Problem::unauthenticated())?;
                    authentication.authenticate_session(secret).await
                }
                (None, None) => Err(AuthenticationError::Unauthenticated),
            };
            let actor = result.map_err(|error| match error {
                AuthenticationError::Unauthenticated => Problem::unauthenticated(),
                AuthenticationError::Unexpected(cause) => Problem::internal(cause),
            })?;
            if let Credential::Session { csrf_token, .. } = &actor.credential
                && needs_csrf
                && !csrf
                    .as_deref()
                    .is_some_and(|sent| constant_time_eq(sent, csrf_token))
            {
                return Err(Problem::new(
                    actix_web::http::StatusCode::FORBIDDEN,
                    "csrf-token-invalid",
                    "CSRF token missing or wrong",
                )
                .with_detail("send the csrf_token from sign-in in the X-CSRF-Token header"));
            }
            Ok(Authenticated(actor))
        })
    }
}

/// User agent and client address of the request. Behind a proxy, the address
/// comes from `X-Forwarded-For` only when `http.trust_forwarded_for` is on.
pub fn client_info(req: &HttpRequest, state: &HttpState) -> ClientInfo {
    let forwarded = state
        .settings
        .trust_forwarded_for
        .then(|| {
            req.headers()
                .get("x-forwarded-for")?
                .to_str()
                .ok()?
                .split(',')
                .next()?
                .trim()
                .parse::<IpAddr>()
                .ok()
        })
        .flatten();
    let ip = forwarded.or_else(|| req.peer_addr().map(|addr| addr.ip()));
    let user_agent = req
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok());
    ClientInfo::new(user_agent, ip)
}

/// Unauthenticated unsafe requests (sign-up, login) from a browser must come
/// from our own origin: this blocks login CSRF. Non-browser clients send no
/// `Origin` and are not affected.
pub fn require_same_origin(req: &HttpRequest, state: &HttpState) -> Result<(), Problem> {
    match req
        .headers()
        .get(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or(""))
    {
        None => Ok(()),
        Some(origin) if origin == state.settings.public_origin() => Ok(()),
        Some(_) => Err(Problem::forbidden(
            "cross-origin requests are not accepted; use the web app at the public URL",
        )),
    }
}

pub fn session_cookie(secret: &SecretToken, state: &HttpState) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, secret.expose().to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.is_tls())
        .max_age(time::Duration::seconds(
            i64::try_from(state.session_cookie_max_age.as_secs()).unwrap_or(i64::MAX),
        ))
        .finish()
}

/// The device id the browser sent, if it is well formed.
pub fn device_of(req: &HttpRequest) -> Option<SecretToken> {
    req.cookie(DEVICE_COOKIE)
        .and_then(|cookie| SecretToken::parse(cookie.value()).ok())
}

pub fn device_cookie(device: &SecretToken, state: &HttpState) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, device.expose().to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.is_tls())
        .max_age(time::Duration::days(DEVICE_COOKIE_DAYS))
        .finish()
}

pub fn removal_cookie(state: &HttpState) -> Cookie<'static> {
    let mut cookie = Cookie::build(SESSION_COOKIE, "")
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.is_tls())
        .finish();
    cookie.make_removal();
    cookie
}
