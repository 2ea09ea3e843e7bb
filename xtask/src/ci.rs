//! `cargo xtask ci`: what CI runs — `lint`, then `test` if lint passed.

use anyhow::Result;

use crate::{lint, test};

pub(crate) fn run(flags: &test::Flags) -> Result<()> {
    lint::run()?;
    test::run(flags)
}
