"""A small Language Server Protocol client (LSP 3.17 base protocol: Content-Length framing,
JSON-RPC 2.0) driving `pkgsizer lsp` over its stdin and stdout, for tests/e2e/test_lsp.py and
benchmarks/lsp_hover.py. Every byte the server writes to stdout must be part of a frame: a
reader thread parses them and fails loudly on anything else."""

import json
import os
import queue
import subprocess
import threading
import time


class ProtocolViolation(AssertionError):
    pass


class LspClient:
    def __init__(self, argv, env=None, cwd=None, preexec_fn=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env, cwd=cwd,
                                     preexec_fn=preexec_fn)
        self.messages = queue.Queue()
        self.violations = []
        self.stderr_chunks = []
        self.next_id = 1
        self.pending = []  # messages read while waiting for another
        self.server_requests = []  # requests the server sent us (refreshes)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.err_reader = threading.Thread(target=self._read_stderr, daemon=True)
        self.err_reader.start()

    # -- the wire

    def _read_stderr(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.stderr_chunks.append(chunk)

    def _read(self):
        out = self.proc.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = out.read(1)
                if not byte:
                    if header:
                        self.violations.append(f"stdout ended inside a header: {header!r}")
                    self.messages.put(None)
                    return
                header += byte
                if len(header) > 8192:
                    self.violations.append(f"not a header on stdout: {header[:200]!r}")
                    self.messages.put(None)
                    return
            length = None
            for field in header.decode("ascii", "replace").split("\r\n"):
                if field.lower().startswith("content-length:"):
                    length = int(field.split(":", 1)[1])
            if length is None:
                self.violations.append(f"a header without Content-Length: {header!r}")
                self.messages.put(None)
                return
            body = out.read(length)
            try:
                self.messages.put(json.loads(body))
            except ValueError:
                self.violations.append(f"a body that is not JSON: {body[:200]!r}")

    def send_raw(self, data):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message):
        body = json.dumps(message).encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, method, params=None, wait=True, timeout=30):
        ident = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": ident, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        return self.response(ident, timeout) if wait else ident

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)

    def _next(self, timeout):
        try:
            message = self.messages.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no message from the server in {timeout} s; stderr:\n"
                                 + self.stderr())
        if message is None:
            self.messages.put(None)
            raise AssertionError("the server closed stdout; stderr:\n" + self.stderr())
        if "method" in message and "id" in message:  # a request of the server's: answer it
            self.server_requests.append(message)
            self.send({"jsonrpc": "2.0", "id": message["id"], "result": None})
        return message

    def wait_for(self, predicate, timeout=30):
        """The first message (kept ones first) for which predicate holds."""
        for i, message in enumerate(self.pending):
            if predicate(message):
                return self.pending.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError("timed out waiting for a message; stderr:\n" + self.stderr())
            message = self._next(left)
            if predicate(message):
                return message
            self.pending.append(message)

    def response(self, ident, timeout=30):
        message = self.wait_for(lambda m: m.get("id") == ident and "method" not in m, timeout)
        return message

    def result(self, method, params=None, timeout=30):
        message = self.request(method, params, timeout=timeout)
        if "error" in message:
            raise AssertionError(f"{method}: {message['error']}")
        return message["result"]

    def wait_refresh(self, method="workspace/inlayHint/refresh", timeout=60):
        """Waits until the server has sent a refresh request since the last call."""
        deadline = time.monotonic() + timeout
        while True:
            for i, request in enumerate(self.server_requests):
                if request["method"] == method:
                    del self.server_requests[i]
                    return request
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {method} in {timeout} s; stderr:\n" + self.stderr())
            try:
                self.pending.append(self._next(min(left, 1.0)))
            except AssertionError:
                if self.proc.poll() is not None:
                    raise

    def diagnostics(self, uri, predicate=lambda d: True, timeout=60):
        """The next publishDiagnostics for `uri` whose list satisfies predicate."""
        message = self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == uri and predicate(m["params"]["diagnostics"]), timeout)
        return message["params"]["diagnostics"]

    def stderr(self):
        return b"".join(self.stderr_chunks).decode("utf-8", "replace")

    # -- the session

    def initialize(self, root_uri, refresh=True):
        capabilities = {"workspace": {"inlayHint": {"refreshSupport": refresh},
                                      "codeLens": {"refreshSupport": refresh}},
                        "general": {"positionEncodings": ["utf-16"]}}
        result = self.result("initialize", {"processId": os.getpid(), "rootUri": root_uri,
                                            "capabilities": capabilities})
        self.notify("initialized", {})
        return result

    def open(self, uri, text, language="plaintext"):
        self.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": language, "version": 1, "text": text}})

    def change(self, uri, text, version=2):
        self.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version},
                                               "contentChanges": [{"text": text}]})

    def stop(self, timeout=30):
        """shutdown, exit; the exit code."""
        self.result("shutdown")
        self.notify("exit")
        return self.wait(timeout)

    def wait(self, timeout=30):
        code = self.proc.wait(timeout)
        self.reader.join(5)
        self.err_reader.join(5)
        self._close()
        return code

    def _close(self):
        for stream in (self.proc.stdin, self.proc.stdout, self.proc.stderr):
            try:
                stream.close()
            except OSError:
                pass

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
            self.reader.join(5)
            self.err_reader.join(5)
        self._close()


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))
