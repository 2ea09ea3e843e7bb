//! Backup archives encrypted at rest in the age format
//! (<https://age-encryption.org/v1>), so that `age -d -i key.txt` opens them
//! too, without Shoebox.
//!
//! age's streaming API is synchronous (`Read`/`Write`), so each archive is
//! encrypted or decrypted on a blocking thread that pulls the input stream
//! chunk by chunk and pushes output chunks into a small bounded channel:
//! memory stays at a few chunks whatever the archive's size, and a slow
//! consumer (the object store's multipart upload) slows the thread down.

use std::{
    fmt,
    io::{self, Read, Write},
    path::Path,
    str::FromStr,
    sync::Arc,
};

use age::x25519;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use shoebox_ports::outbound::{ArchiveDecryptor, ArchiveEncryptor, BlobError, ByteStream};
use tokio::{runtime::Handle, sync::mpsc};

/// Output chunk size (the object store's parts are larger; this bounds the
/// copies in flight).
const CHUNK: usize = 256 * 1024;
/// Output chunks waiting for the consumer.
const IN_FLIGHT: usize = 4;

/// Encrypts to one or more age X25519 recipients (`age1…` public keys).
#[derive(Clone)]
pub struct AgeEncryptor {
    recipients: Arc<Vec<x25519::Recipient>>,
}

impl fmt::Debug for AgeEncryptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgeEncryptor")
            .field("recipients", &self.recipients.len())
            .finish()
    }
}

impl AgeEncryptor {
    /// Parses the recipients' public keys; refuses an empty list and names
    /// the first key it cannot read.
    pub fn new<S: AsRef<str>>(recipients: &[S]) -> anyhow::Result<Self> {
        if recipients.is_empty() {
            anyhow::bail!("no age recipient given");
        }
        let recipients = recipients
            .iter()
            .map(|key| {
                let key = key.as_ref().trim();
                x25519::Recipient::from_str(key).map_err(|error| {
                    anyhow::anyhow!("{key:?} is not an age public key (age1…): {error}")
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        Ok(Self {
            recipients: Arc::new(recipients),
        })
    }
}

impl ArchiveEncryptor for AgeEncryptor {
    fn scheme(&self) -> &'static str {
        "age"
    }

    fn encrypt(&self, body: ByteStream) -> ByteStream {
        let recipients = Arc::clone(&self.recipients);
        transform(body, "cannot encrypt the backup", move |input, output| {
            let encryptor = age::Encryptor::with_recipients(
                recipients
                    .iter()
                    .map(|recipient| recipient as &dyn age::Recipient),
            )
            .map_err(io::Error::other)?;
            let mut writer = encryptor.wrap_output(output)?;
            io::copy(input, &mut writer)?;
            writer.finish()?.flush()
        })
    }
}

/// Decrypts with the X25519 identities of an age identity file
/// (`AGE-SECRET-KEY-1…` lines, `#` comments).
#[derive(Clone)]
pub struct AgeDecryptor {
    identities: Arc<Vec<x25519::Identity>>,
}

impl fmt::Debug for AgeDecryptor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AgeDecryptor")
            .field("identities", &self.identities.len())
            .finish()
    }
}

impl AgeDecryptor {
    /// Reads an identity file as `age-keygen` writes it.
    pub fn from_file(path: &Path) -> anyhow::Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|error| {
            anyhow::anyhow!("cannot read the identity file {}: {error}", path.display())
        })?;
        Self::parse(&text)
            .map_err(|error| anyhow::anyhow!("identity file {}: {error}", path.display()))
    }

    /// Parses identities from text; the error never repeats a key.
    pub fn parse(text: &str) -> anyhow::Result<Self> {
        let mut identities = Vec::new();
        for (index, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let identity = x25519::Identity::from_str(line).map_err(|_| {
                anyhow::anyhow!(
                    "line {} is not an age identity (AGE-SECRET-KEY-1…)",
                    index + 1
                )
            })?;
            identities.push(identity);
        }
        if identities.is_empty() {
            anyhow::bail!("no age identity found");
        }
        Ok(Self {
            identities: Arc::new(identities),
        })
    }
}

impl ArchiveDecryptor for AgeDecryptor {
    fn decrypt(&self, body: ByteStream) -> ByteStream {
        let identities = Arc::clone(&self.identities);
        transform(body, "cannot decrypt the backup", move |input, output| {
            let decryptor = age::Decryptor::new(input).map_err(io::Error::other)?;
            let mut reader = decryptor
                .decrypt(
                    identities
                        .iter()
                        .map(|identity| identity as &dyn age::Identity),
                )
                .map_err(io::Error::other)?;
            let mut output = output;
            io::copy(&mut reader, &mut output)?;
            output.flush()
        })
    }
}

/// Runs `work` on a blocking thread, reading `body` through a `Read` and
/// writing through a `Write` whose chunks become the returned stream. A
/// failure of `work` (or of `body`) ends the stream with an error prefixed by
/// `context`.
fn transform<F>(body: ByteStream, context: &'static str, work: F) -> ByteStream
where
    F: FnOnce(&mut StreamRead, ChannelWrite) -> io::Result<()> + Send + 'static,
{
    let (sender, mut receiver) = mpsc::channel::<Result<Bytes, BlobError>>(IN_FLIGHT);
    match Handle::try_current() {
        Ok(handle) => {
            let errors = sender.clone();
            handle.clone().spawn_blocking(move || {
                let mut input = StreamRead {
                    body,
                    handle,
                    pending: Bytes::new(),
                };
                let output = ChannelWrite {
                    sender,
                    buffer: BytesMut::with_capacity(CHUNK),
                };
                if let Err(error) = work(&mut input, output) {
                    // Nobody listening any more is fine: the consumer gave up.
                    let _ = errors.blocking_send(Err(BlobError::Unexpected(anyhow::anyhow!(
                        "{context}: {error}"
                    ))));
                }
            });
        }
        Err(_) => {
            let _ = sender.try_send(Err(BlobError::Unexpected(anyhow::anyhow!(
                "{context}: no async runtime"
            ))));
        }
    }
    Box::pin(futures_util::stream::poll_fn(move |context| {
        receiver.poll_recv(context)
    }))
}

/// The input stream as a `Read`, for the blocking thread.
struct StreamRead {
    body: ByteStream,
    handle: Handle,
    pending: Bytes,
}

impl Read for StreamRead {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pending.is_empty() {
            match self.handle.block_on(self.body.next()) {
                Some(Ok(chunk)) => self.pending = chunk,
                Some(Err(error)) => return Err(io::Error::other(error.to_string())),
                None => return Ok(0),
            }
        }
        let count = buf.len().min(self.pending.len());
        buf[..count].copy_from_slice(&self.pending.split_to(count));
        Ok(count)
    }
}

/// A `Write` that sends full chunks into the output channel, waiting while
/// it is full.
struct ChannelWrite {
    sender: mpsc::Sender<Result<Bytes, BlobError>>,
    buffer: BytesMut,
}

impl ChannelWrite {
    fn send_buffer(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = self.buffer.split().freeze();
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the reader went away"))
    }
}

impl Write for ChannelWrite {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let room = CHUNK - self.buffer.len();
        let count = buf.len().min(room);
        self.buffer.extend_from_slice(&buf[..count]);
        if self.buffer.len() >= CHUNK {
            self.send_buffer()?;
        }
        Ok(count)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send_buffer()
    }
}

#[cfg(test)]
mod tests {
    use age::secrecy::ExposeSecret;
    use futures_util::stream;

    use super::*;

    fn body(chunks: Vec<Result<Bytes, BlobError>>) -> ByteStream {
        Box::pin(stream::iter(chunks))
    }

    async fn collect(stream: ByteStream) -> Result<Vec<u8>, String> {
        let mut stream = stream;
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            bytes.extend_from_slice(&chunk.map_err(|error| error.to_string())?);
        }
        Ok(bytes)
    }

    fn keys() -> (AgeEncryptor, AgeDecryptor) {
        let identity = x25519::Identity::generate();
        let encryptor = AgeEncryptor::new(&[identity.to_public().to_string()]).unwrap();
        let file = format!(
            "# created: for a test\n# public key: {}\n{}\n",
            identity.to_public(),
            identity.to_string().expose_secret()
        );
        (encryptor, AgeDecryptor::parse(&file).unwrap())
    }

    /// 3 MiB of varied bytes in uneven chunks.
    fn plain() -> (Vec<u8>, Vec<Result<Bytes, BlobError>>) {
        let data: Vec<u8> = (0..3 * 1024 * 1024u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        let chunks = data
            .chunks(77_777)
            .map(|chunk| Ok(Bytes::copy_from_slice(chunk)))
            .collect();
        (data, chunks)
    }

    #[tokio::test]
    async fn what_is_encrypted_decrypts_to_the_same_bytes() {
        let (encryptor, decryptor) = keys();
        let (data, chunks) = plain();
        let sealed = collect(encryptor.encrypt(body(chunks))).await.unwrap();
        assert!(sealed.starts_with(b"age-encryption.org/v1\n"));
        assert!(
            !sealed.windows(64).any(|window| window == &data[1000..1064]),
            "the plain bytes must not appear in the archive"
        );
        let opened = collect(decryptor.decrypt(body(vec![Ok(Bytes::from(sealed))])))
            .await
            .unwrap();
        assert_eq!(opened.len(), data.len());
        assert!(opened == data);
    }

    #[tokio::test]
    async fn another_identity_cannot_open_it() {
        let (encryptor, _) = keys();
        let (_, stranger) = keys();
        let sealed = collect(encryptor.encrypt(body(vec![Ok(Bytes::from_static(b"secret"))])))
            .await
            .unwrap();
        let error = collect(stranger.decrypt(body(vec![Ok(Bytes::from(sealed))])))
            .await
            .unwrap_err();
        assert!(error.contains("cannot decrypt the backup"), "{error}");
    }

    #[tokio::test]
    async fn a_flipped_byte_or_a_cut_archive_is_an_error_not_wrong_data() {
        let (encryptor, decryptor) = keys();
        let (_, chunks) = plain();
        let sealed = collect(encryptor.encrypt(body(chunks))).await.unwrap();
        let mut flipped = sealed.clone();
        let middle = flipped.len() / 2;
        flipped[middle] ^= 0x01;
        assert!(
            collect(decryptor.decrypt(body(vec![Ok(Bytes::from(flipped))])))
                .await
                .is_err()
        );
        let cut = Bytes::copy_from_slice(&sealed[..sealed.len() - 100]);
        assert!(
            collect(decryptor.decrypt(body(vec![Ok(cut)])))
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn an_error_of_the_input_ends_the_output_with_an_error() {
        let (encryptor, _) = keys();
        let failing = body(vec![
            Ok(Bytes::from_static(b"some bytes")),
            Err(BlobError::Unexpected(anyhow::anyhow!("pg_dump failed"))),
        ]);
        let error = collect(encryptor.encrypt(failing)).await.unwrap_err();
        assert!(error.contains("pg_dump failed"), "{error}");
    }

    #[test]
    fn keys_that_do_not_parse_are_refused_without_echoing_secrets() {
        let empty: [&str; 0] = [];
        assert!(AgeEncryptor::new(&empty).is_err());
        let error = AgeEncryptor::new(&["age1nope"]).unwrap_err().to_string();
        assert!(error.contains("age1nope"), "{error}");
        let error = AgeDecryptor::parse("AGE-SECRET-KEY-1SECRETBUTBROKEN\n")
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 1"), "{error}");
        assert!(!error.contains("SECRETBUTBROKEN"), "{error}");
        assert!(AgeDecryptor::parse("# only a comment\n").is_err());
    }
}
