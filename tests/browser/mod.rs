//! A *browser* for tests: headless Chromium driven over the Chrome DevTools Protocol, so that a test can
//! open a page, run script in it, click where a user would click, and collect every console error,
//! uncaught exception and JavaScript dialog the page produced.
//!
//! Chromium is started with a throw-away profile and no network features, on port 0; the port it chose is
//! read from the profile's `DevToolsActivePort` file. One page target is created and driven through a
//! flat session over a single WebSocket.

use std::io::ErrorKind;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

const TIMEOUT: Duration = Duration::from_secs(60);

/// Chromium's path: `MENTIONMAP_CHROMIUM`, else the usual names on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MENTIONMAP_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let dirs: Vec<PathBuf> = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect())
        .unwrap_or_default();
    [
        "chromium",
        "chromium-browser",
        "google-chrome",
        "google-chrome-stable",
    ]
    .iter()
    .flat_map(|name| dirs.iter().map(move |d| d.join(name)))
    .find(|path| path.is_file())
}

pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    /// Every protocol event received so far, in order.
    events: Vec<Value>,
    /// Removed when the browser is dropped, after Chromium has been stopped.
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Start Chromium with a 1280×800 page.
    pub fn launch(chromium: &Path) -> Browser {
        let profile = tempfile::tempdir().expect("temporary profile folder");
        let log = std::fs::File::create(profile.path().join("chromium.log")).unwrap();
        let child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--mute-audio",
                "--hide-scrollbars",
                "--window-size=1280,800",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
        let mut browser_child = child;
        let active_port = profile.path().join("DevToolsActivePort");
        let deadline = Instant::now() + TIMEOUT;
        let (port, path) = loop {
            if let Ok(text) = std::fs::read_to_string(&active_port) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    break (port.trim().to_string(), path.trim().to_string());
                }
            }
            if let Ok(Some(status)) = browser_child.try_wait() {
                let log = std::fs::read_to_string(profile.path().join("chromium.log"));
                panic!("chromium exited ({status}) before it listened: {log:?}");
            }
            assert!(
                Instant::now() < deadline,
                "chromium did not open its DevTools port"
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        let stream = TcpStream::connect(format!("127.0.0.1:{port}")).expect("connect to DevTools");
        let (socket, _) = tungstenite::client(format!("ws://127.0.0.1:{port}{path}"), stream)
            .unwrap_or_else(|e| panic!("DevTools handshake failed: {e}"));
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(200)))
            .unwrap();
        let mut browser = Browser {
            child: browser_child,
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            _profile: profile,
        };
        let target = browser.call("Target.createTarget", json!({ "url": "about:blank" }));
        let attached = browser.call(
            "Target.attachToTarget",
            json!({ "targetId": target["targetId"], "flatten": true }),
        );
        browser.session = attached["sessionId"].as_str().unwrap().to_string();
        for domain in ["Page.enable", "Runtime.enable", "Log.enable"] {
            browser.call(domain, json!({}));
        }
        browser.call(
            "Emulation.setDeviceMetricsOverride",
            json!({ "width": 1280, "height": 800, "deviceScaleFactor": 1, "mobile": false }),
        );
        browser
    }

    fn send(&mut self, method: &str, params: Value) -> u64 {
        self.next_id += 1;
        let mut message = json!({ "id": self.next_id, "method": method, "params": params });
        if !self.session.is_empty() {
            message["sessionId"] = json!(self.session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send to DevTools");
        self.next_id
    }

    /// The next message from Chromium, or None when none came within the socket's read timeout. Events
    /// are recorded; a JavaScript dialog is recorded and dismissed so the page does not hang.
    fn receive(&mut self) -> Option<Value> {
        let message = match self.socket.read() {
            Ok(Message::Text(text)) => serde_json::from_str::<Value>(text.as_str()).unwrap(),
            Ok(_) => return None,
            Err(tungstenite::Error::Io(e))
                if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                return None
            }
            Err(e) => panic!("DevTools connection failed: {e}"),
        };
        if message.get("method").is_some() {
            if message["method"] == "Page.javascriptDialogOpening" {
                self.send("Page.handleJavaScriptDialog", json!({ "accept": true }));
            }
            self.events.push(message.clone());
        }
        Some(message)
    }

    /// Run a protocol command and return its result; a protocol error fails the test.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let id = self.send(method, params);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            assert!(Instant::now() < deadline, "no answer to {method}");
            if let Some(message) = self.receive() {
                if message["id"] == id {
                    if let Some(error) = message.get("error") {
                        panic!("{method} failed: {error}");
                    }
                    return message["result"].clone();
                }
            }
        }
    }

    /// Wait until an event named `method` has arrived after the first `since` events.
    fn wait_for_event(&mut self, method: &str, since: usize) {
        let deadline = Instant::now() + TIMEOUT;
        while !self.events[since..].iter().any(|e| e["method"] == method) {
            assert!(Instant::now() < deadline, "no {method} event");
            self.receive();
        }
    }

    /// Open a file and wait until it has loaded and painted.
    pub fn open(&mut self, path: &Path) {
        let since = self.events.len();
        let url = format!("file://{}", path.display()).replace(' ', "%20");
        let navigated = self.call("Page.navigate", json!({ "url": url }));
        assert!(
            navigated.get("errorText").is_none(),
            "cannot open {url}: {navigated}"
        );
        self.wait_for_event("Page.loadEventFired", since);
        self.eval("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
    }

    /// Evaluate an expression in the page (awaiting a promise) and return its value as JSON.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "returnByValue": true, "awaitPromise": true }),
        );
        if let Some(details) = result.get("exceptionDetails") {
            panic!("{expression} threw: {details}");
        }
        result["result"]["value"].clone()
    }

    /// A left click as a user makes it, at page coordinates.
    pub fn click(&mut self, x: f64, y: f64) {
        for (kind, buttons) in [("mouseMoved", 0), ("mousePressed", 1), ("mouseReleased", 0)] {
            let mut params = json!({ "type": kind, "x": x, "y": y, "buttons": buttons });
            if kind != "mouseMoved" {
                params["button"] = json!("left");
                params["clickCount"] = json!(1);
            }
            self.call("Input.dispatchMouseEvent", params);
        }
    }

    /// Save what the page shows as a PNG.
    pub fn screenshot(&mut self, path: &Path) {
        let shot = self.call("Page.captureScreenshot", json!({ "format": "png" }));
        let bytes = decode_base64(shot["data"].as_str().unwrap());
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }

    /// Console errors, failed assertions, uncaught exceptions and error log entries (which include
    /// Content-Security-Policy violations and failed loads), as text.
    pub fn errors(&mut self) -> Vec<String> {
        while self.receive().is_some() {}
        self.events
            .iter()
            .filter_map(|e| {
                let p = &e["params"];
                match e["method"].as_str()? {
                    "Runtime.exceptionThrown" => Some(p["exceptionDetails"].to_string()),
                    "Runtime.consoleAPICalled"
                        if matches!(p["type"].as_str(), Some("error" | "assert")) =>
                    {
                        Some(p["args"].to_string())
                    }
                    "Log.entryAdded" if p["entry"]["level"] == "error" => {
                        Some(p["entry"].to_string())
                    }
                    _ => None,
                }
            })
            .collect()
    }

    /// The messages of every JavaScript dialog (alert, confirm, prompt) the page opened.
    pub fn dialogs(&mut self) -> Vec<String> {
        while self.receive().is_some() {}
        self.events
            .iter()
            .filter(|e| e["method"] == "Page.javascriptDialogOpening")
            .map(|e| e["params"]["message"].to_string())
            .collect()
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn decode_base64(text: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("not base64: {c}"),
        }
    };
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    for chunk in text.as_bytes().chunks(4) {
        let digits: Vec<u8> = chunk.iter().copied().filter(|c| *c != b'=').collect();
        let n = digits
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, c)| n | (value(*c) << (18 - 6 * i)));
        out.extend_from_slice(&n.to_be_bytes()[1..digits.len()]);
    }
    out
}
