//! Real headless Chromium through chromedriver: started per test, always torn down (the
//! driver and every browser it started, by process group), with helpers that wait for the
//! page a form post leads to rather than for time to pass.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::json;
use tempfile::TempDir;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "chromedriver";

/// A running chromedriver. Dropping it stops the driver and its browsers.
pub struct Driver {
    process: Child,
    port: u16,
    profiles: TempDir,
}

impl Driver {
    /// Starts chromedriver on a free loopback port.
    ///
    /// # Panics
    /// When Chromium or chromedriver is missing (naming the packages to install), or the
    /// driver does not come up.
    pub async fn start() -> Self {
        let driver_found =
            Command::new(CHROMEDRIVER).arg("--version").stdout(Stdio::null()).status().is_ok_and(|s| s.success());
        assert!(
            driver_found && std::path::Path::new(CHROMIUM).exists(),
            "the browser tests need Chromium ({CHROMIUM}) and chromedriver on PATH: \
             apt-get install -y chromium chromium-driver (.ci/run installs them)"
        );
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free port");
        let mut command = Command::new(CHROMEDRIVER);
        command
            .args([format!("--port={port}"), "--allowed-ips=127.0.0.1".into()])
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let process = command.spawn().expect("chromedriver starts");
        let driver = Self { process, port, profiles: tempfile::tempdir().expect("a folder for browser profiles") };
        for _ in 0..200 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return driver;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("chromedriver did not listen on port {port} within 10 s");
    }

    /// A new browser with a fresh profile (no cookies), 1280×900.
    ///
    /// # Panics
    /// When the browser cannot be started.
    pub async fn browser(&self) -> Client {
        let profile = tempfile::tempdir_in(self.profiles.path()).expect("a profile folder").keep();
        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1280,900",
        ];
        let mut args: Vec<String> = args.iter().map(|a| (*a).to_owned()).collect();
        args.push(format!("--user-data-dir={}", profile.display()));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert("goog:chromeOptions".into(), json!({"binary": CHROMIUM, "args": args}));
        // Keep the console, so every page can be checked for CSP violations and script errors.
        capabilities.insert("goog:loggingPrefs".into(), json!({"browser": "ALL"}));
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .expect("a browser session starts")
    }
}

impl Drop for Driver {
    fn drop(&mut self) {
        // The driver and the browsers it started share its process group.
        let group = format!("-{}", self.process.id());
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// Where screenshots are kept (under `target/`).
pub fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    dir
}

/// chromedriver's console log of the browser since the last call (its `se/log` extension).
#[derive(Debug)]
struct ConsoleLog;

impl fantoccini::wd::WebDriverCompatibleCommand for ConsoleLog {
    fn endpoint(&self, base: &url::Url, session: Option<&str>) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (http::Method::POST, Some(json!({"type": "browser"}).to_string()))
    }
}

/// Fails the test on anything the pages visited since the last check put in the console at
/// warning level or above, and on ids used twice or labels for nothing on the current page — a Content-Security-Policy violation (an inline style or script
/// the policy drops), a script error, a missing asset. The one exception: the status of a
/// page the test opened on purpose (a 404 page is a 404).
///
/// # Panics
/// On such a message, quoting it.
pub async fn assert_clean_console(browser: &Client) {
    let entries = browser.issue_cmd(ConsoleLog).await.expect("the browser's console log");
    let page = browser.current_url().await.map(|u| u.to_string()).unwrap_or_default();
    let problems: Vec<String> = entries
        .as_array()
        .into_iter()
        .flatten()
        .filter(|entry| matches!(entry["level"].as_str(), Some("SEVERE" | "WARNING")))
        .filter_map(|entry| entry["message"].as_str().map(str::to_owned))
        .filter(|message| !(message.starts_with(&page) && message.contains("the server responded with a status of 4")))
        .collect();
    assert!(problems.is_empty(), "the console of {page} reports:\n{}", problems.join("\n"));
    assert_sound_markup(browser, &page).await;
}

/// Fails the test when an id is used twice on the page (a label would focus someone else's
/// field, an error would describe the wrong one), or a label points at no element.
async fn assert_sound_markup(browser: &Client, page: &str) {
    let script = "const ids = [...document.querySelectorAll('[id]')].map(e => e.id); \
        const twice = ids.filter((id, i) => ids.indexOf(id) !== i); \
        const orphans = [...document.querySelectorAll('label[for]')].map(l => l.htmlFor) \
            .filter(id => !document.getElementById(id)); \
        return {twice: [...new Set(twice)], orphans};";
    let found = browser.execute(script, vec![]).await.expect("the page's ids");
    assert_eq!(found["twice"], serde_json::json!([]), "ids used more than once on {page}");
    assert_eq!(found["orphans"], serde_json::json!([]), "labels for no element on {page}");
}

/// Saves a screenshot of the current page as `name.png`, after checking its console.
pub async fn screenshot(browser: &Client, name: &str) {
    assert_clean_console(browser).await;
    let png = browser.screenshot().await.expect("a screenshot");
    std::fs::write(screenshot_dir().join(format!("{name}.png")), png).expect("written");
}

/// Screenshots of the current page at a desktop's width (`name.png`) and a phone's
/// (`name-390.png`), each after running `scroll` (a script that brings the part worth
/// seeing into view) when given; the window is a desktop's again afterwards.
pub async fn screenshots(browser: &Client, name: &str, scroll: Option<&str>) {
    for (width, height, file) in [(1280, 900, name.to_owned()), (390, 844, format!("{name}-390"))] {
        browser.set_window_size(width, height).await.expect("a window of that size");
        if let Some(scroll) = scroll {
            browser.execute(scroll, vec![]).await.expect("scrolled");
        }
        screenshot(browser, &file).await;
        assert_fits_the_width(browser, &file).await;
    }
    browser.set_window_size(1280, 900).await.expect("back to a desktop window");
}

/// Checks that the page does not scroll sideways (wide tables scroll inside their own frame
/// instead); when it does, names the elements that reach past the window's edge.
pub async fn assert_fits_the_width(browser: &Client, page: &str) {
    let script = "const root = document.documentElement; \
        if (root.scrollWidth <= root.clientWidth) return []; \
        return [...document.querySelectorAll('body *')] \
            .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1) \
            .map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + e.className : '')) \
            .concat([`scrolls to ${root.scrollWidth} in ${root.clientWidth}`]) \
            .slice(-9);";
    let wide = browser.execute(script, vec![]).await.expect("the page's widths");
    assert_eq!(wide, serde_json::json!([]), "elements wider than the window on {page}");
}

/// Types `value` into the (first) field named `name`, after clearing it.
pub async fn fill(browser: &Client, name: &str, value: &str) {
    fill_css(browser, &format!("[name='{name}']"), value).await;
}

/// Types `value` into the field `css`, after clearing it.
pub async fn fill_css(browser: &Client, css: &str, value: &str) {
    let field = browser.find(Locator::Css(css)).await.unwrap_or_else(|_| panic!("a field {css}"));
    field.clear().await.expect("cleared");
    field.send_keys(value).await.expect("typed");
}

/// Clicks the element `css`.
pub async fn click(browser: &Client, css: &str) {
    browser
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("an element {css}"))
        .click()
        .await
        .expect("clicked");
}

/// Waits until the page shows `text` somewhere (a flash, a heading): the sign that the
/// page a form led to has arrived.
pub async fn wait_for_text(browser: &Client, text: &str) {
    let xpath = format!("//*[contains(normalize-space(.), {})]", xpath_literal(text));
    browser
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::XPath(&xpath))
        .await
        .unwrap_or_else(|_| panic!("the page never showed {text:?}"));
    assert_clean_console(browser).await;
}

/// Text as an `XPath` string literal, whatever quotes it holds.
fn xpath_literal(text: &str) -> String {
    if !text.contains('\'') {
        return format!("'{text}'");
    }
    let parts: Vec<String> = text.split('\'').map(|part| format!("'{part}'")).collect();
    format!("concat({})", parts.join(", \"'\", "))
}

/// The visible text of the page's main content.
pub async fn main_text(browser: &Client) -> String {
    browser.find(Locator::Css("main")).await.expect("a main element").text().await.expect("its text")
}

/// A mail reader's policy for a message's HTML: no script, nothing fetched from anywhere
/// (images, fonts, style sheets), styles only written on the elements.
const MAIL_READER_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// Serves `html` at `/` on a loopback port under [`MAIL_READER_POLICY`], as a strict webmail
/// shows a message's HTML part, and answers anything else with no content (so a browser's
/// favicon request logs nothing). Returns the page's address; the task ends with the test.
///
/// # Panics
/// When no loopback port is free.
pub async fn serve_as_mail(html: String) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a loopback port");
    let address = format!("http://{}/", listener.local_addr().expect("its address"));
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut request = vec![0; 4096];
            let read = stream.read(&mut request).await.unwrap_or_default();
            let asks_for_the_mail = request[..read].starts_with(b"GET / ");
            let response = if asks_for_the_mail {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-security-policy: \
                     {MAIL_READER_POLICY}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{html}",
                    html.len()
                )
            } else {
                "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n".to_owned()
            };
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    address
}
