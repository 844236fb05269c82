# SPDX-License-Identifier: MIT
"""A small W3C WebDriver client for Debian's chromium + chromium-driver, standard library only.

    with Browser(chromium, chromedriver, width=1280, height=900) as b:
        b.open("file:///tmp/report.html")
        heading = b.script("return document.querySelector('table#images th')")
        b.click(heading)
        rows = b.script("return document.querySelectorAll('tr').length")

Every HTTP call has a timeout; the browser runs headless without network (every host name
resolves to nothing), with a fresh profile in a temporary directory. Leaving the `with` block,
even through an exception, ends the session, stops chromedriver and Chromium (the whole process
group, killed if it does not stop in time) and removes the temporary directory.
"""

import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT_KEY = "element-6066-11e4-a52e-4f735466cecf"  # how WebDriver marks an element reference

# As root on this machine Chromium needs --no-sandbox; without the background-networking flags it
# keeps trying to reach Google's hosts. The resolver rule makes any network access fail at once.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-default-apps", "--disable-extensions", "--hide-scrollbars",
    "--host-resolver-rules=MAP * ~NOTFOUND",
]


class WebDriverError(RuntimeError):
    """An error answered by chromedriver, or no answer in time."""


def find_browser():
    """(chromium, chromedriver) paths: $ECRLP_CHROMIUM and $ECRLP_CHROMEDRIVER, else from PATH.
    Either is None when it is not installed."""
    chromium = os.environ.get("ECRLP_CHROMIUM") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver = os.environ.get("ECRLP_CHROMEDRIVER") or shutil.which("chromedriver")
    return chromium, driver


class Browser:
    def __init__(self, chromium, chromedriver, width=1280, height=900, timeout=20.0):
        self.chromium, self.chromedriver = chromium, chromedriver
        self.width, self.height, self.timeout = width, height, timeout
        self.tmp = self.driver = self.url = self.session = None

    # ---- start and stop ----------------------------------------------------------------------
    def __enter__(self):
        try:
            self._start()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc):
        self.close()
        return False

    def _start(self):
        self.tmp = tempfile.mkdtemp(prefix="ecrlp-browser-")
        # A process group of its own, so that close() can end Chromium's processes too.
        self.driver = subprocess.Popen(
            [self.chromedriver, "--port=0", "--log-path=" + os.path.join(self.tmp, "driver.log")],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            start_new_session=True)
        port = self._read_port()
        self.url = "http://127.0.0.1:%d" % port
        args = CHROMIUM_FLAGS + ["--user-data-dir=" + os.path.join(self.tmp, "profile"),
                                 "--window-size=%d,%d" % (self.width, self.height)]
        caps = {"browserName": "chrome",
                "goog:chromeOptions": {"binary": self.chromium, "args": args},
                "goog:loggingPrefs": {"browser": "ALL"},
                "timeouts": {"implicit": 0, "pageLoad": 15000, "script": 10000}}
        answer = self._call("POST", "/session", {"capabilities": {"alwaysMatch": caps}})
        self.session = answer["sessionId"]

    def _read_port(self):
        """The port chromedriver chose (--port=0), from its first lines of output."""
        deadline = time.monotonic() + self.timeout
        seen = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([self.driver.stdout], [], [], 0.2)
            if ready:
                chunk = os.read(self.driver.stdout.fileno(), 4096)
                if not chunk:
                    break
                seen += chunk
                marker = b"started successfully on port "
                at = seen.find(marker)
                end = seen.find(b".", at + len(marker)) if at >= 0 else -1
                if end > 0:
                    return int(seen[at + len(marker):end])
        raise WebDriverError("chromedriver did not start: %s" % seen.decode(errors="replace"))

    def close(self):
        if self.session is not None:
            try:
                self._call("DELETE", "/session/" + self.session, timeout=10)
            except Exception:  # stopping chromedriver below ends Chromium anyway
                pass
            self.session = None
        if self.driver is not None:
            for sig, wait in ((signal.SIGTERM, 5), (signal.SIGKILL, 5)):
                try:
                    os.killpg(self.driver.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    self.driver.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
            # Chromium's own processes may outlive chromedriver for a moment; end the group.
            try:
                os.killpg(self.driver.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.driver.stdout.close()
            self.driver = None
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            self.tmp = None

    # ---- the protocol -------------------------------------------------------------------------
    def _call(self, method, path, body=None, timeout=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout or self.timeout) as response:
                answer = json.load(response)
        except urllib.error.HTTPError as e:
            try:
                value = json.load(e)["value"]
                message = "%s: %s" % (value.get("error"), value.get("message", "").split("\n")[0])
            except Exception:
                message = str(e)
            raise WebDriverError("%s %s: %s" % (method, path, message)) from None
        except OSError as e:  # refused, reset, timed out
            raise WebDriverError("%s %s: %s" % (method, path, e)) from None
        return answer["value"]

    def _session_call(self, method, path, body=None):
        return self._call(method, "/session/%s%s" % (self.session, path), body)

    # ---- what the tests use -------------------------------------------------------------------
    def open(self, url):
        self._session_call("POST", "/url", {"url": url})

    def script(self, source, *args):
        """Runs `source` as a function body in the page, with `args` as `arguments`; returns its
        value (elements come back as references usable with click() and displayed())."""
        return self._session_call("POST", "/execute/sync", {"script": source, "args": list(args)})

    def click(self, element):
        """A real click, as a person makes it: the mouse pressed and released at the element's
        centre (scrolled to the middle of the window first if that point is out of it). Whatever
        is drawn on top at that point gets the click, so a covered element is not clicked.
        (WebDriver's own element click waits about 250 ms after each click; pointer actions take
        a few ms.)"""
        mouse = [{"type": "pointerMove", "origin": element, "x": 0, "y": 0},
                 {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]
        actions = {"actions": [{"type": "pointer", "id": "mouse",
                                "parameters": {"pointerType": "mouse"}, "actions": mouse}]}
        try:
            self._session_call("POST", "/actions", actions)
        except WebDriverError as e:
            if "move target out of bounds" not in str(e):
                raise
            self.script("arguments[0].scrollIntoView({block: 'center', inline: 'center'})", element)
            self._session_call("POST", "/actions", actions)

    def displayed(self, element):
        return self._session_call("GET", "/element/%s/displayed" % element[ELEMENT_KEY])

    def element_text(self, element):
        """The text of `element` as rendered (what is hidden is left out)."""
        return self._session_call("GET", "/element/%s/text" % element[ELEMENT_KEY])

    def console(self):
        """The browser console's messages since the last call: [{level, message}, ...]."""
        return self._session_call("POST", "/se/log", {"type": "browser"})

    def screenshot(self, path):
        import base64
        with open(path, "wb") as f:
            f.write(base64.b64decode(self._session_call("GET", "/screenshot")))
