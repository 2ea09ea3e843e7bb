//! `shoebox serve`.

use std::net::TcpListener;

use anyhow::Context;

use super::require_current_schema;
use crate::{build_info, settings::Settings, wiring::Application};

pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    require_current_schema(&settings).await?;
    let application = Application::build(&settings)?;
    let address = settings.http.bind_address().map_err(anyhow::Error::msg)?;
    let listener =
        TcpListener::bind(address).with_context(|| format!("could not listen on {address}"))?;
    tracing::info!(%address, version = build_info::VERSION, signup = %settings.auth.signup, "serving");
    shoebox_http::serve(listener, application.http_state(&settings))?.await?;
    tracing::info!("stopped");
    Ok(())
}
