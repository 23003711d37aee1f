//! `scan watch DIR`: the scanner's hot folder (being written: see core::scans::watch).

use super::Ctx;
use super::scans::WatchArgs;

pub fn run(_ctx: &Ctx, _a: WatchArgs) -> anyhow::Result<()> {
    Err(crate::model::error::Error::failed("scan-watch-unavailable").into())
}
