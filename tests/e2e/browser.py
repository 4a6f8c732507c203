"""A tiny Chrome DevTools Protocol client for the HTML report's tests: Debian's chromium,
headless, driven over --remote-debugging-pipe (fd 3 in, fd 4 out, one JSON message per NUL), so
no WebSocket library and no TCP port are needed. One browser per test class.

It records what a page must not do: console errors, uncaught exceptions, log errors, and every
network request to anything but file: and data: URLs.

The fixture every browser test uses: PageTestCase (one browser per test process, started by the
first class that needs it; a module ends it with `tearDownModule = close_shared_browser`), its
load_page / assert_clean / screenshot. PKGSIZER_SCREENSHOT_DIR=DIR keeps the screenshots there,
to look at.
"""

import atexit
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

from support import BinaryTestCase

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def find_chromium():
    for name in CHROMIUM_CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    # CI installs chromium (scripts/install-deps.sh): a missing browser is a failure, not a skip.
    raise AssertionError("chromium not found: install Debian's chromium (scripts/install-deps.sh)")


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="pkgsizer-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # The child reads commands on fd 3 and writes replies on fd 4.
        def child_fds():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)
        self.process = subprocess.Popen(
            [find_chromium(), "--headless=new", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--remote-debugging-pipe", f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # pass_fds names the numbers the child keeps after child_fds has put the pipes there.
            preexec_fn=child_fds, pass_fds=(3, 4))
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events = []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"],
                                 flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=True)

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)

    # ---- protocol ----
    def _read_message(self, deadline):
        while b"\0" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError("chromium did not answer in time")
            ready, _, _ = select.select([self._from_browser], [], [], remaining)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise AssertionError("chromium closed its DevTools pipe")
                self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=False, timeout=30, **params):
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise AssertionError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method, timeout=30):
        deadline = time.monotonic() + timeout
        for i, event in enumerate(self.events):
            if event["method"] == method:
                return self.events.pop(i)
        while True:
            event = self._read_message(deadline)
            if "method" in event and event["method"] == method:
                return event
            if "method" in event:
                self.events.append(event)

    # ---- page ----
    def load(self, path, width=1280, height=800, mobile=False, media="", dark=False):
        """Open a local file and wait until its script has laid it out (body[data-ready])."""
        self.events.clear()
        self.call("Emulation.setDeviceMetricsOverride", session=True, width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)
        self.call("Emulation.setEmulatedMedia", session=True, media=media,
                  features=[{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}])
        started = time.monotonic()
        self.call("Page.navigate", session=True, url="file://" + os.path.abspath(path))
        self.wait_event("Page.loadEventFired")
        ready = self.evaluate("document.body && document.body.getAttribute('data-ready')")
        return ready, time.monotonic() - started

    def navigate(self, url):
        """Open `url` (an http:// page of a test's own server) and wait for its load event."""
        self.call("Page.navigate", session=True, url=url)
        self.wait_event("Page.loadEventFired")

    def ready_seconds(self):
        """What the page measured: from the start of navigation to laid out."""
        return int(self.evaluate("document.body.getAttribute('data-ready-ms')")) / 1000

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", session=True, expression=expression,
                           returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"{expression[:80]}...: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", session=True, format="png",
                         captureBeyondViewport=False)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def pdf(self):
        return base64.b64decode(self.call("Page.printToPDF", session=True, timeout=60)["data"])

    def problems(self, allowed=("file:", "data:")):
        """Console errors, exceptions, error log entries and requests to anything but `allowed`
        URL prefixes seen so far."""
        # Drain what has arrived without waiting.
        while True:
            ready, _, _ = select.select([self._from_browser], [], [], 0.05)
            if not ready and b"\0" not in self._buffer:
                break
            event = self._read_message(time.monotonic() + 5)
            if "method" in event:
                self.events.append(event)
        found = []
        for event in self.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.exceptionThrown":
                found.append(f"exception: {params['exceptionDetails']}")
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
                found.append(f"console.{params['type']}: {params.get('args')}")
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                found.append(f"log: {params['entry'].get('text')} {params['entry'].get('url', '')}")
            elif method == "Network.requestWillBeSent":
                url = params["request"]["url"]
                if not url.startswith(tuple(allowed)):
                    found.append(f"network request: {url}")
        return found


# ---- the shared fixture ---------------------------------------------------------------------
_shared = None


def shared_browser():
    """One browser for the test process: each test loads its pages into the same page."""
    global _shared
    if _shared is None:
        _shared = Browser()
        atexit.register(close_shared_browser)  # if a module forgot its tearDownModule
    return _shared


def close_shared_browser():
    global _shared
    if _shared is not None:
        browser, _shared = _shared, None
        browser.close()


class PageTestCase(BinaryTestCase):
    """Tests that open pages in chromium (self.browser)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.browser = shared_browser()

    def load_page(self, path, **kwargs):
        """Loads a file (Browser.load's options) and asserts that its script finished; returns
        the seconds the load took through DevTools."""
        ready, seconds = self.browser.load(path, **kwargs)
        self.assertEqual(ready, "1", f"the page's script did not finish: {self.browser.problems()}")
        return seconds

    def assert_clean(self):
        """No console error, no exception, no error log entry, no network request so far."""
        self.assertEqual(self.browser.problems(), [])

    def screenshot(self, name):
        directory = os.environ.get("PKGSIZER_SCREENSHOT_DIR")
        if directory:
            os.makedirs(directory, exist_ok=True)
            print("screenshot:", self.browser.screenshot(os.path.join(directory, name)),
                  file=sys.stderr)
