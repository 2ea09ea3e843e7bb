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

/// Whether every byte is zero. Padding after an image can be most of an
/// upload; a byte-at-a-time check that stops at the first non-zero byte
/// does not vectorise and showed as a fifth of an upload's CPU, while
/// OR-ing fixed 64-byte blocks does.
pub(crate) fn all_zero(bytes: &[u8]) -> bool {
    let blocks = bytes.chunks_exact(64);
    let tail = blocks.remainder();
    blocks
        .into_iter()
        .all(|block| block.iter().fold(0u8, |seen, &byte| seen | byte) == 0)
        && tail.iter().all(|&byte| byte == 0)
}

#[cfg(test)]
mod zero_tests {
    use super::all_zero;

    #[test]
    fn any_non_zero_byte_anywhere_is_found() {
        assert!(all_zero(&[]));
        for len in [1, 63, 64, 65, 200] {
            let zeros = vec![0u8; len];
            assert!(all_zero(&zeros), "{len}");
            for at in [0, len / 2, len - 1] {
                let mut one = zeros.clone();
                one[at] = 0x80;
                assert!(!all_zero(&one), "{len} at {at}");
            }
        }
    }
}
