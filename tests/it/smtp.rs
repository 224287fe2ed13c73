//! A real SMTP server on loopback for the mail tests: the `mailin` crate speaks the protocol
//! (greeting, EHLO, MAIL, RCPT, DATA with dot-unstuffing, QUIT); this file only moves lines
//! between a TCP socket and its session and keeps what arrived.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};

use mailin::{Action, Handler, Response, SessionBuilder, response};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a parsable message")
    }
}

/// How the server answers RCPT TO.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mode {
    Accept,
    /// 451: try again later.
    Transient,
    /// 550: mailbox unavailable.
    Permanent,
}

#[derive(Clone)]
pub struct SmtpServer {
    pub addr: SocketAddr,
    pub received: Arc<Mutex<Vec<Received>>>,
    mode: Arc<Mutex<Mode>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let server = SmtpServer {
            addr: listener.local_addr().expect("addr"),
            received: Arc::default(),
            mode: Arc::new(Mutex::new(Mode::Accept)),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((stream, peer)) = listener.accept().await {
                tokio::spawn(shared.clone().session(stream, peer.ip()));
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn set_mode(&self, mode: Mode) {
        *self.mode.lock().expect("lock") = mode;
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().expect("lock").clone()
    }

    async fn session(self, stream: tokio::net::TcpStream, ip: IpAddr) {
        let (read, mut write) = stream.into_split();
        let mut lines = BufReader::new(read);
        let handler = Collector {
            server: self,
            current: None,
        };
        let builder = SessionBuilder::new("smtp.test");
        let mut session = builder.build(ip, handler);
        let mut out = Vec::new();
        if session.greeting().write_to(&mut out).is_err() || write.write_all(&out).await.is_err() {
            return;
        }
        let mut line = Vec::new();
        loop {
            line.clear();
            match lines.read_until(b'\n', &mut line).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let reply = session.process(&line);
            if reply.action == Action::NoReply {
                continue;
            }
            out.clear();
            if reply.write_to(&mut out).is_err() || write.write_all(&out).await.is_err() {
                return;
            }
            if reply.action == Action::Close {
                return;
            }
        }
    }
}

struct Collector {
    server: SmtpServer,
    current: Option<Received>,
}

impl Handler for Collector {
    // Refusals come at RCPT: after a refused DATA, mailin 0.6 stays in its data state.
    fn rcpt(&mut self, _to: &str) -> Response {
        match *self.server.mode.lock().expect("lock") {
            Mode::Accept => response::OK,
            Mode::Transient => response::INTERNAL_ERROR,
            Mode::Permanent => response::NO_MAILBOX,
        }
    }

    fn data_start(&mut self, _domain: &str, from: &str, _is8bit: bool, to: &[String]) -> Response {
        self.current = Some(Received {
            from: from.to_string(),
            to: to.to_vec(),
            data: Vec::new(),
        });
        response::START_DATA
    }

    fn data(&mut self, buf: &[u8]) -> std::io::Result<()> {
        if let Some(current) = &mut self.current {
            current.data.extend_from_slice(buf);
        }
        Ok(())
    }

    fn data_end(&mut self) -> Response {
        if let Some(message) = self.current.take() {
            self.server.received.lock().expect("lock").push(message);
        }
        response::OK
    }
}
