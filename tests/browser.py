"""Headless Chromium for the tests that need a real browser (the web map, the OGC pages).

Debian's chromium (scripts/install-system-deps installs it), driven over the DevTools protocol on
a pipe: no extra package, no browser download. ``open`` makes every page record the
Content-Security-Policy violations, the dialogs (alert, confirm, prompt) and the script errors it
meets, in ``window.__watch``; ``watched()`` reads them. Only this machine's names resolve.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from typing import Any

CHROMIUM = shutil.which("chromium")

# Runs before any script of every page: a dialog is an alert box (an XSS proof), a CSP violation
# is something the page needed and the policy refused, an error a script that broke.
WATCH = """
window.__watch = { violations: [], dialogs: [], errors: [] };
window.addEventListener("error", (event) => {
  window.__watch.errors.push(`${event.message} (${event.filename}:${event.lineno})`);
});
document.addEventListener("securitypolicyviolation", (event) => {
  const where = `${event.sourceFile}:${event.lineNumber}`;
  window.__watch.violations.push(
    `${event.effectiveDirective} refused ${event.blockedURI || "inline"} (${where})`);
});
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (message) => { window.__watch.dialogs.push(`${name}: ${message}`); };
}
"""


class HeadlessChromium:
    """Chromium driven over the DevTools protocol on a pipe (fds 3 and 4): no extra package.

    Chromium's --screenshot flag cannot be used here: it takes the picture on virtual time,
    before MapLibre's web workers have decoded the tiles.
    """

    def __init__(self, executable: str, width: int = 1280, height: int = 800) -> None:
        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        # Above the range the child uses, so that the dup2 to 3 and 4 cannot clobber them.
        child_in = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 20)
        child_out = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 20)
        for fd in (to_child_r, from_child_w):
            os.close(fd)

        def _wire() -> None:
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.profile = tempfile.mkdtemp(prefix="gisserver-chromium-")
        self.proc = subprocess.Popen(
            [
                executable,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--use-gl=swiftshader",
                "--enable-unsafe-swiftshader",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                # No name resolves but this machine's: nothing a page links (a basemap's tile
                # server) is ever fetched from outside.
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "--remote-debugging-pipe",
                "about:blank",
            ],
            # The fds are wired after the fork; close_fds would then close them again. Python's
            # own fds are not inheritable, so nothing else leaks into chromium.
            preexec_fn=_wire,
            close_fds=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(child_in)
        os.close(child_out)
        self._send_fd, self._recv_fd = to_child_w, from_child_r
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None
        self.width, self.height = width, height

    def call(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._send_fd, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self._next_id:
                    if "error" in reply:
                        raise RuntimeError(f"{method}: {reply['error']}")
                    result: dict[str, Any] = reply.get("result", {})
                    return result
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([self._recv_fd], [], [], remaining)[0]:
                raise TimeoutError(f"chromium did not answer {method} in {timeout} s")
            chunk = os.read(self._recv_fd, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self._buffer += chunk

    def open(self, url: str) -> None:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)[
            "sessionId"
        ]
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=self.width,
            height=self.height,
            deviceScaleFactor=1,
            mobile=False,
        )
        self.call("Page.enable")
        self.call("Page.addScriptToEvaluateOnNewDocument", source=WATCH)
        self.call("Page.navigate", url=url)

    def watched(self) -> dict[str, list[str]]:
        """The CSP violations, dialogs and script errors of the page so far."""
        watch: dict[str, list[str]] = self.evaluate("window.__watch")
        return watch

    def evaluate(self, expression: str) -> Any:
        result = self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(expression):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{expression} still false after {timeout} s")
            time.sleep(0.25)

    def click(self, x: float, y: float) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def screenshot(self) -> bytes:
        return base64.b64decode(self.call("Page.captureScreenshot", format="png")["data"])

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, TimeoutError, OSError):
            self.call("Browser.close", timeout=5)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._send_fd)
        os.close(self._recv_fd)
        shutil.rmtree(self.profile, ignore_errors=True)
