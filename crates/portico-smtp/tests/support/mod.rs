//! A real SMTP server on loopback for the tests: aiosmtpd (Debian's `python3-aiosmtpd`)
//! started as a process, storing what it accepts in a maildir; plus a server that accepts
//! connections and never answers.

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tempfile::TempDir;

/// How the server answers.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Behaviour {
    /// Accepts everything.
    Accept,
    /// Answers 451 to the first `n` messages, then accepts.
    FailFirst(u32),
    /// Refuses every recipient with 550.
    Refuse,
}

/// An aiosmtpd process; killed when dropped.
pub(crate) struct SmtpServer {
    pub(crate) port: u16,
    maildir: TempDir,
    child: Child,
}

/// A free loopback port (bound once, then released for the server to take).
pub(crate) fn free_port() -> u16 {
    StdListener::bind("127.0.0.1:0").expect("a free port").local_addr().expect("an address").port()
}

impl SmtpServer {
    /// Starts a server on `port` and waits until it accepts connections.
    pub(crate) async fn start(port: u16, behaviour: Behaviour) -> Self {
        let maildir = tempfile::tempdir().expect("a maildir");
        // aiosmtpd creates the maildir (with its tmp/new/cur) only where nothing exists yet.
        let dir = maildir.path().join("mail").display().to_string();
        let (handler, args): (&str, Vec<String>) = match behaviour {
            Behaviour::Accept => ("aiosmtpd.handlers.Mailbox", vec![dir]),
            Behaviour::FailFirst(n) => ("smtp_handlers.FlakyMailbox", vec![dir, n.to_string()]),
            Behaviour::Refuse => ("smtp_handlers.Refusing", vec![]),
        };
        let python = Path::new("/usr/bin/python3");
        assert!(
            python.exists(),
            "the SMTP tests need /usr/bin/python3 with aiosmtpd (apt-get install python3-aiosmtpd)"
        );
        let child = Command::new(python)
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", handler])
            .args(args)
            .env("PYTHONPATH", Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/support"))
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("aiosmtpd starts (apt-get install python3-aiosmtpd)");
        let server = Self { port, maildir, child };
        wait_until_listening(port).await;
        server
    }

    /// The raw messages the server has stored.
    pub(crate) fn messages(&self) -> Vec<String> {
        let new: PathBuf = self.maildir.path().join("mail").join("new");
        let Ok(entries) = std::fs::read_dir(new) else { return Vec::new() };
        entries.flatten().map(|e| std::fs::read_to_string(e.path()).expect("a stored message")).collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits for a server by connecting to it (never by sleeping a fixed time).
async fn wait_until_listening(port: u16) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        assert!(tokio::time::Instant::now() < deadline, "the SMTP server did not start on port {port}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// A server that accepts connections and never says a word.
pub(crate) async fn silent_server() -> (u16, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port");
    let port = listener.local_addr().expect("an address").port();
    let task = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    (port, task)
}

/// A header's value in a raw message.
pub(crate) fn header<'m>(message: &'m str, name: &str) -> Option<&'m str> {
    let prefix = format!("{name}: ");
    message.lines().find_map(|line| line.strip_prefix(prefix.as_str()))
}

/// The plain-text part of a raw message, decoded (lettre writes quoted-printable or base64).
pub(crate) fn plain_text(message: &str) -> String {
    part(message, "text/plain")
}

/// The HTML part of a raw message, decoded.
pub(crate) fn html(message: &str) -> String {
    part(message, "text/html")
}

fn part(message: &str, content_type: &str) -> String {
    let start = message.find(&format!("Content-Type: {content_type}")).expect("such a part");
    let part = &message[start..];
    let (headers, rest) = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n")).expect("a body");
    let body = rest.split("\n--").next().unwrap_or_default();
    if headers.contains("quoted-printable") {
        decode_quoted_printable(body)
    } else if headers.contains("base64") {
        decode_base64(&body.split_whitespace().collect::<String>())
    } else {
        body.to_owned()
    }
}

fn decode_quoted_printable(body: &str) -> String {
    let joined = body.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(byte) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).replace("\r\n", "\n")
}

/// The part of a raw message sent as an attachment: its headers and decoded bytes.
pub(crate) fn attachment(message: &str) -> Option<(String, Vec<u8>)> {
    let at = message.find("Content-Disposition: attachment")?;
    let part_start = message[..at].rfind("\n--").map_or(0, |i| i + 1);
    let part = &message[part_start..];
    let (headers, rest) = part.split_once("\r\n\r\n").or_else(|| part.split_once("\n\n"))?;
    let body = rest.split("\n--").next().unwrap_or_default();
    Some((headers.to_owned(), decode_base64_bytes(&body.split_whitespace().collect::<String>())))
}

fn decode_base64(text: &str) -> String {
    String::from_utf8_lossy(&decode_base64_bytes(text)).replace("\r\n", "\n")
}

fn decode_base64_bytes(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::new();
    for c in text.bytes().filter(|c| *c != b'=') {
        let Some(value) = ALPHABET.iter().position(|a| *a == c) else { continue };
        bits = (bits << 6) | u32::try_from(value).unwrap_or(0);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push(u8::try_from((bits >> count) & 0xff).unwrap_or(0));
        }
    }
    out
}
