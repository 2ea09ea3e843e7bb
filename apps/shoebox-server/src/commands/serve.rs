//! `shoebox serve [--with-worker]`.

use std::net::TcpListener;

use anyhow::Context;

use super::require_current_schema;
use crate::{
    background::{Background, stop_on_signal},
    build_info,
    settings::Settings,
    wiring::Application,
};

pub async fn serve(settings: Settings, with_worker: bool) -> anyhow::Result<()> {
    require_current_schema(&settings).await?;
    let application = Application::build(&settings)?;
    let address = settings.http.bind_address().map_err(anyhow::Error::msg)?;
    let listener =
        TcpListener::bind(address).with_context(|| format!("could not listen on {address}"))?;
    // Built before serving, so a broken worker set-up stops start-up.
    let background = match with_worker {
        true => Some(Background::build(&application, &settings).await?),
        false => None,
    };
    tracing::info!(%address, version = build_info::VERSION, signup = %settings.auth.signup, with_worker, "serving");
    let server = shoebox_http::serve(listener, application.http_state(&settings))?;
    match background {
        None => server.await?,
        Some(background) => {
            // actix stops the HTTP server on the same signals by itself; the
            // worker hears them too and drains alongside, not after it.
            let stop = stop_on_signal();
            let worker = tokio::spawn(background.run(stop.subscribe()));
            let served = server.await;
            // The server may also have ended without a signal (an error).
            stop.send_replace(true);
            worker.await.context("the background worker task failed")?;
            served?;
        }
    }
    tracing::info!("stopped");
    Ok(())
}
