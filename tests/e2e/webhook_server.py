"""A webhook receiver on 127.0.0.1 for the notification tests, in a thread of the test process.

Paths choose the behaviour: /ok/... answers 204; /flaky/N/KEY fails with 503 the first N times
a KEY is seen, then answers 200; /hang/... never answers (until the server stops); anything
else 404. Every POST is recorded with its path, headers and JSON body."""

import http.server
import json
import threading


class WebhookServer:

    def __init__(self):
        self.requests = []  # (path, headers dict, parsed JSON body or None)
        self.lock = threading.Lock()
        self.failures = {}
        self.stopping = threading.Event()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                with server.lock:
                    server.requests.append((self.path, dict(self.headers), parsed))
                parts = self.path.strip("/").split("/")
                if parts[0] == "hang":
                    server.stopping.wait(60)
                    return
                if parts[0] == "flaky":
                    with server.lock:
                        seen = server.failures.get(parts[2], 0)
                        server.failures[parts[2]] = seen + 1
                    if seen < int(parts[1]):
                        self.answer(503, b"try again")
                        return
                    self.answer(200, b"ok")
                    return
                self.answer(204 if parts[0] == "ok" else 404, b"")

            def answer(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def received(self, prefix):
        with self.lock:
            return [r for r in self.requests if r[0].startswith(prefix)]

    def stop(self):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)
