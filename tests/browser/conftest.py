"""Fixtures for the browser test suite: a built site served on loopback and headless Chromium.

The site is built from content/ (or SITEGEN_CONTENT) with the sitegen binary named by SITEGEN_BIN
(default .build/debug/sitegen), served by Python's http.server on a free 127.0.0.1 port, and
opened with Debian's chromium through /usr/bin/chromedriver (CHROMEDRIVER overrides it).
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parent / "screenshots"))


def pytest_configure(config):
    config.addinivalue_line("markers", "large: builds a generated 10,000-article corpus (slow; CI runs it)")


def sitegen_bin():
    p = Path(os.environ.get("SITEGEN_BIN", REPO / ".build" / "debug" / "sitegen"))
    if not p.is_absolute():
        p = REPO / p
    if not p.exists():
        pytest.exit(f"sitegen binary not found at {p}: build it first or set SITEGEN_BIN", returncode=2)
    return p


def build_site(content, output, templates=None):
    """Runs `sitegen build` and returns its report line; fails the test on a non-zero exit."""
    binary = sitegen_bin()
    cmd = [str(binary), "build", "--content", str(content), "--output", str(output),
           "--templates", str(templates or Path(os.environ.get("SITEGEN_TEMPLATES", REPO / "Templates")))]
    help_text = subprocess.run([str(binary), "build", "--help"], capture_output=True, text=True).stdout
    if "--no-cache" in help_text:
        cmd.append("--no-cache")
    started = time.monotonic()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    if proc.returncode != 0:
        pytest.fail(f"sitegen build failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout.strip(), elapsed


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`python3 -m http.server` on a free loopback port, stopped by its own PID."""

    def __init__(self, root):
        self.root = Path(root)
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = open(self.root.parent / f"http-{self.port}.log", "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(self.port), "--bind", "127.0.0.1", "--directory", str(self.root)],
            stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 15
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=1).read(1)
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"http.server on port {self.port} did not start")
                time.sleep(0.1)

    def url(self, path="/"):
        return self.base + path

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


def make_driver(width=1280, height=900):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                f"--window-size={width},{height}", "--lang=zh-CN", "--force-color-profile=srgb",
                "--hide-scrollbars"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=opts)
    driver.set_page_load_timeout(60)
    driver.set_script_timeout(60)
    return driver


def set_viewport(driver, width, height, mobile=False):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})


def set_color_scheme(driver, scheme):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": scheme}]})


def console_errors(driver):
    """Severe browser-log entries since the last call (console.error, uncaught exceptions, failed loads)."""
    return [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]


def wait_until(predicate, timeout=10.0, interval=0.05, message="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {message}")
        time.sleep(interval)


def wait_search(driver, previous_ms=None, timeout=30.0):
    """Waits until the explore page has loaded its index and finished a search run; returns
    (#status data-total, data-ms) as (int, float)."""
    def done():
        return driver.execute_script(
            "var r=document.querySelector('.explore'), s=document.getElementById('status');"
            "if (!r || r.getAttribute('data-ready') !== 'true' || !s.hasAttribute('data-total')) return null;"
            "return [s.getAttribute('data-total'), s.getAttribute('data-ms'), s.getAttribute('data-run') || ''];")
    value = wait_until(done, timeout, message="search results (#status data-total)")
    return int(value[0]), float(value[1])


class Site:
    """A built site, served: `root` (the output folder), `server`, `data` (data/events.json) and the
    search term the tests use with the entity it names."""

    def __init__(self, name, root, search=None):
        self.name = name
        self.root = Path(root)
        self.data = json.loads((self.root / "data" / "events.json").read_text(encoding="utf-8"))
        self.search_term, self.search_entity = search or pick_search(self.data)
        self.server = Server(self.root)

    @property
    def large(self):
        return self.name == "large"

    def url(self, path="/"):
        return self.server.url(path)


def generate_corpus(out, articles):
    """The 10,000-article corpus: scripts/gen-corpus (deterministic, seed 42), plus the real
    content's articles and entities, so that real queries (「豆包」, issue 21's search target) have
    answers at that size too."""
    script = REPO / "scripts" / "gen-corpus"
    if not script.exists():
        pytest.fail("scripts/gen-corpus is missing: it writes the large test corpus")
    subprocess.run([sys.executable, str(script), str(out), "--articles", str(articles)], check=True,
                   stdout=subprocess.DEVNULL)
    real = REPO / "content"
    for md in (real / "articles").glob("*.md"):
        shutil.copy(md, Path(out) / "articles" / md.name)
    with open(Path(out) / "entities.yml", "a", encoding="utf-8") as f:
        f.write("\n" + (real / "entities.yml").read_text(encoding="utf-8"))


def pick_search(data):
    """A company with a middling number of events: its name is the search term on the large site."""
    counts = {}
    for e in data["events"]:
        for x in e["entities"]:
            counts[x] = counts.get(x, 0) + 1
    companies = sorted((counts.get(e["id"], 0), e["id"], e["name"]) for e in data["entities"] if e["kind"] == "company")
    n, eid, name = companies[len(companies) // 2]
    return name, eid


@pytest.fixture(scope="session", params=["real", pytest.param("large", marks=pytest.mark.large)])
def site(request, tmp_path_factory):
    """The real content/ (or SITEGEN_CONTENT), and — marked `large` — a generated corpus of
    LARGE_ARTICLES (10,000) articles (LARGE_CORPUS names an existing one), each built and served.
    LARGE_SITE names an already built large site to test instead (for local runs)."""
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "large" and os.environ.get("LARGE_SITE"):
        s = Site("large", Path(os.environ["LARGE_SITE"]))
        yield s
        s.server.stop()
        return
    if request.param == "real":
        content = Path(os.environ.get("SITEGEN_CONTENT", REPO / "content"))
    elif os.environ.get("LARGE_CORPUS"):
        content = Path(os.environ["LARGE_CORPUS"])
    else:
        content = root / "content"
        generate_corpus(content, int(os.environ.get("LARGE_ARTICLES", "10000")))
    out = root / "public"
    report, seconds = build_site(content, out)
    print(f"\n[{request.param}] sitegen build in {seconds:.1f} s:\n{report}")
    s = Site(request.param, out, ("豆包", "doubao"))
    yield s
    s.server.stop()


@pytest.fixture(scope="session")
def browser():
    d = make_driver()
    yield d
    d.quit()


@pytest.fixture
def driver(browser):
    """The shared browser, reset to desktop width and light colours, its log drained."""
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    set_color_scheme(browser, "light")
    browser.get("about:blank")
    browser.get_log("browser")
    return browser


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
