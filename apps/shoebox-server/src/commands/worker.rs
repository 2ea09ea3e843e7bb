//! `shoebox worker`: background jobs and the scheduler, until SIGTERM/SIGINT.

use super::require_current_schema;
use crate::{
    background::{Background, stop_on_signal},
    settings::Settings,
    wiring::Application,
};

pub async fn worker(settings: Settings) -> anyhow::Result<()> {
    require_current_schema(&settings).await?;
    let application = Application::build(&settings)?;
    let background = Background::build(&application, &settings).await?;
    background.run(stop_on_signal().subscribe()).await;
    tracing::info!("stopped");
    Ok(())
}
