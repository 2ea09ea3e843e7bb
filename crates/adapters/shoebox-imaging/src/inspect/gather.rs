//! Small helpers for parsers fed arbitrary chunk boundaries.

/// Collects a fixed number of bytes that may arrive split across chunks.
#[derive(Debug, Default)]
pub(crate) struct Gather {
    buffer: Vec<u8>,
    complete: bool,
}

impl Gather {
    /// Moves bytes from the front of `input` until `wanted` bytes are held;
    /// returns them once complete (they are dropped on the next call).
    pub(crate) fn take(&mut self, input: &mut &[u8], wanted: usize) -> Option<&[u8]> {
        if self.complete {
            self.buffer.clear();
            self.complete = false;
        }
        let missing = wanted.saturating_sub(self.buffer.len());
        let (now, rest) = input.split_at(missing.min(input.len()));
        self.buffer.extend_from_slice(now);
        *input = rest;
        if self.buffer.len() == wanted {
            self.complete = true;
            Some(&self.buffer)
        } else {
            None
        }
    }
}

/// Consumes up to `*remaining` bytes from the front of `input`, returning
/// them; `*remaining` counts down to zero.
pub(crate) fn advance<'a>(input: &mut &'a [u8], remaining: &mut u64) -> &'a [u8] {
    let count = usize::try_from(*remaining).map_or(input.len(), |left| left.min(input.len()));
    let (now, rest) = input.split_at(count);
    *input = rest;
    *remaining -= now.len() as u64;
    now
}

/// Appends `bytes` to `kept` without letting it grow past `limit`.
pub(crate) fn keep_bounded(kept: &mut Vec<u8>, bytes: &[u8], limit: usize) {
    let room = limit.saturating_sub(kept.len());
    kept.extend_from_slice(&bytes[..room.min(bytes.len())]);
}

pub(crate) fn be_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([bytes[at], bytes[at + 1]])
}

pub(crate) fn be_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

pub(crate) fn le_u16(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

pub(crate) fn le_u24(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], 0])
}

pub(crate) fn le_u32(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}
