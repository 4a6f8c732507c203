"""A package index on 127.0.0.1 for the `predict` tests: the Simple API, wheels, Range requests,
and the ways real servers misbehave. Standard library only; nothing here touches the internet.

It serves every distribution file in one directory (wheels made with support.make_wheel, or any
*.whl / *.tar.gz / *.zip), found anew on each request so that a test may add files while it runs:

    GET /simple/                   PEP 691 project list (JSON), or PEP 503 HTML
    GET /simple/NAME/              project page: PEP 691 JSON (api-version 1.1: PEP 700 "size",
                                   "upload-time", "versions"; PEP 658/714 core metadata) when the
                                   Accept header asks for application/vnd.pypi.simple.v1+json (or
                                   .latest+json), PEP 503 HTML otherwise. A name that is not
                                   normalized, or no trailing slash, redirects (301) to the
                                   normalized URL, as PyPI does.
    GET /files/FILENAME            the file, with Range support (see range_mode)
    GET /files/FILENAME.metadata   the wheel's .dist-info/METADATA (PEP 658)
    HEAD on all of them            the same headers, no body

Project pages carry an ETag (a hash of the body) and a Last-Modified (newest file's mtime) and
answer If-None-Match / If-Modified-Since with 304; files carry both too. File URLs in pages are
relative ("../../files/x.whl") unless absolute_urls=True.

Usage:

    from index_server import IndexServer
    with IndexServer(wheel_dir, range_mode="no-suffix-416") as server:
        server.index_url          # "http://127.0.0.1:PORT/simple" (pass as --index-url)
        server.url                # "http://127.0.0.1:PORT"
        server.file_url("demo-1.0-py3-none-any.whl")
        server.url_with_auth("user", "pw")  # index_url with credentials in it (see `auth`)
        ... run pkgsizer ...
        server.requests           # [RequestRecord(method, path, status, range, sent_bytes,
                                  #                headers (lower-case names), aborted)]
                                  # a request is logged once its answer was written
        server.bytes_sent(".whl")  # body bytes written for requests whose path contains ".whl"
        server.requests_for(".whl")
        server.clear_log()
        server.configure(delay=2.0)  # change any option while running

Options (keyword arguments of IndexServer, or configure()):

    range_mode     "full"              suffix ("bytes=-N") and absolute ("bytes=A-B", "bytes=A-")
                                       ranges answered with 206 (416 when unsatisfiable)
                   "no-suffix-416"     suffix ranges get 416 (with "Content-Range: bytes */SIZE");
                                       absolute ranges work
                   "no-suffix-ignore"  suffix ranges are ignored: 200 and the whole file
                   "no-suffix-501"     suffix ranges get 501 Not Implemented
                   "none"              every Range header is ignored: 200 and the whole file, and
                                       no Accept-Ranges header
    head_status    None, or a status that HEAD requests get instead (405: no HEAD)
    content_length True; False sends files chunked, without Content-Length (HEAD gives no size)
    delay          seconds to sleep before answering each request (0)
    throttle       None, or bytes per second for file bodies: a slow download, and a way to see
                   that a client stopped reading (sent_bytes counts what reached the kernel,
                   which on loopback absorbs a few MB at once)
    delay_paths    None (all paths) or substrings: only matching paths are delayed
    fail_first     the first K requests of each path (any method) get fail_status (0)
    fail_status    500
    fail_paths     None (all paths) or substrings: only matching paths fail
    retry_after    None, or a value for a Retry-After header on those failures
    max_age        None (no Cache-Control), or seconds for "Cache-Control: max-age=N" on pages
    etag           True: ETag and If-None-Match on pages and files
    last_modified  True: Last-Modified and If-Modified-Since on pages and files
    json           True; False: an old PEP 503-only index (HTML whatever Accept says)
    gzip_pages     True: pages are gzip-encoded when the client accepts it (as PyPI does)
    metadata       True: serve FILE.metadata for wheels and announce it in pages
    metadata_key   "core-metadata" (PEP 714), "dist-info-metadata" (PEP 658's original key),
                   or "both"
    sizes          True: PEP 700 "size" per file (and "versions"); False: api-version 1.0
    absolute_urls  False: relative file URLs; True: absolute ones
    file_urls      {filename: url} a page gives instead of the file's own (a hostile index:
                   "file:///etc/passwd")
    yanked         {filename: True or "reason"}
    requires_python {filename: "specifier"} overriding the wheel's Requires-Python
    auth           None, or (user, password): HTTP Basic required on every path (401 otherwise)
    missing        set of project names to answer 404 for (a project this index lacks)

Run it by hand: `python3 index_server.py DIR [--port N] [--range-mode MODE] [--delay S]
[--fail-first K] [--max-age S] [--absolute-urls]` prints the index URL and serves until Ctrl-C.
"""

import argparse
import base64
import datetime
import email.parser
import email.utils
import gzip
import hashlib
import html
import json
import os
import re
import sys
import threading
import time
import urllib.parse
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

JSON_TYPE = "application/vnd.pypi.simple.v1+json"
RANGE_MODES = ("full", "no-suffix-416", "no-suffix-ignore", "no-suffix-501", "none")
DIST_SUFFIXES = (".whl", ".tar.gz", ".zip")
CHUNK = 64 * 1024

DEFAULT_OPTIONS = {
    "range_mode": "full",
    "head_status": None,
    "content_length": True,
    "delay": 0.0,
    "delay_paths": None,
    "throttle": None,
    "fail_first": 0,
    "fail_status": 500,
    "fail_paths": None,
    "retry_after": None,
    "max_age": None,
    "etag": True,
    "last_modified": True,
    "json": True,
    "gzip_pages": True,
    "metadata": True,
    "metadata_key": "core-metadata",
    "sizes": True,
    "absolute_urls": False,
    "file_urls": None,
    "yanked": None,
    "requires_python": None,
    "auth": None,
    "missing": None,
}


def normalize(name):
    """PEP 503."""
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass
class RequestRecord:
    method: str
    path: str
    status: int = 0
    range: str = None
    # Body bytes handed to the kernel: fewer than the body when the client hung up, but on
    # loopback a few MB are absorbed by socket buffers first (use `throttle` to see an early
    # hang-up; the client's own count of received bytes is the exact one).
    sent_bytes: int = 0
    headers: dict = field(default_factory=dict)   # request headers, lower-case names
    aborted: bool = False     # the client closed the connection before the body was sent


@dataclass
class Dist:
    filename: str
    path: str
    project: str   # normalized
    version: str
    size: int
    mtime: float
    sha256: str
    metadata: bytes = None      # wheels only
    requires_python: str = None


def parse_filename(filename):
    """(normalized project, version) of a wheel (PEP 427) or sdist file name, or None."""
    if filename.endswith(".whl"):
        parts = filename[:-4].split("-")
        if len(parts) not in (5, 6):
            return None
        return normalize(parts[0]), parts[1]
    for suffix in (".tar.gz", ".zip"):
        if filename.endswith(suffix):
            stem = filename[: -len(suffix)]
            if "-" not in stem:
                return None
            name, version = stem.rsplit("-", 1)
            return normalize(name), version
    return None


def wheel_metadata(path):
    """The bytes of NAME-VERSION.dist-info/METADATA in a wheel, or None."""
    try:
        with zipfile.ZipFile(path) as zf:
            for name in zf.namelist():
                parts = name.split("/")
                if len(parts) == 2 and parts[0].endswith(".dist-info") and parts[1] == "METADATA":
                    return zf.read(name)
    except (OSError, zipfile.BadZipFile):
        return None
    return None


def http_date(timestamp):
    return email.utils.formatdate(timestamp, usegmt=True)


def iso_time(timestamp):
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%S.%fZ")


def version_key(version):
    return [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"[.+-]", version)]


class _Catalog:
    """The distribution files of a directory, hashed once per (size, mtime)."""

    def __init__(self, directory):
        self.directory = directory
        self._cache = {}
        self._lock = threading.Lock()

    def scan(self):
        dists = []
        for filename in sorted(os.listdir(self.directory)):
            if not filename.endswith(DIST_SUFFIXES):
                continue
            parsed = parse_filename(filename)
            if parsed is None:
                continue
            path = os.path.join(self.directory, filename)
            st = os.stat(path)
            key = (filename, st.st_size, st.st_mtime_ns)
            # One thread hashes a new file while the others wait: concurrent requests would
            # otherwise all hash it at once.
            with self._lock:
                dist = self._cache.get(key)
                if dist is None:
                    dist = self._describe(filename, path, parsed, st)
                    self._cache[key] = dist
            dists.append(dist)
        return dists

    @staticmethod
    def _describe(filename, path, parsed, st):
        with open(path, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        dist = Dist(filename, path, parsed[0], parsed[1], st.st_size, st.st_mtime, digest)
        if filename.endswith(".whl"):
            dist.metadata = wheel_metadata(path)
            if dist.metadata is not None:
                msg = email.parser.BytesParser().parsebytes(dist.metadata, headersonly=True)
                dist.requires_python = msg.get("Requires-Python")
        return dist

    def project(self, name):
        return [d for d in self.scan() if d.project == name]

    def file(self, filename):
        for d in self.scan():
            if d.filename == filename:
                return d
        return None


class IndexServer:
    """See the module docstring."""

    def __init__(self, directory, port=0, **options):
        unknown = set(options) - set(DEFAULT_OPTIONS)
        if unknown:
            raise TypeError(f"unknown IndexServer options: {sorted(unknown)}")
        self.directory = directory
        self.options = dict(DEFAULT_OPTIONS)
        self.configure(**options)
        self.catalog = _Catalog(directory)
        self._log = []
        self._counts = {}
        self._lock = threading.Lock()
        self._requested_port = port
        self._httpd = None
        self._thread = None

    # ----- life cycle

    def start(self):
        self.catalog.scan()   # hash the files now, not while the first requests wait
        handler = type("Handler", (_Handler,), {"index": self})
        self._httpd = _Server(("127.0.0.1", self._requested_port), handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="index-server",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._thread.join(timeout=10)
            self._httpd = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # ----- addresses

    @property
    def port(self):
        return self._httpd.server_address[1]

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def index_url(self):
        return self.url + "/simple"

    def url_with_auth(self, user, password):
        """index_url with credentials in it: http://user:password@127.0.0.1:PORT/simple."""
        return (f"http://{urllib.parse.quote(user, safe='')}:{urllib.parse.quote(password, safe='')}"
                f"@127.0.0.1:{self.port}/simple")

    def file_url(self, filename):
        return f"{self.url}/files/{urllib.parse.quote(filename)}"

    # ----- options and the log

    def configure(self, **options):
        unknown = set(options) - set(DEFAULT_OPTIONS)
        if unknown:
            raise TypeError(f"unknown IndexServer options: {sorted(unknown)}")
        if options.get("range_mode", "full") not in RANGE_MODES:
            raise ValueError(f"range_mode must be one of {RANGE_MODES}")
        self.options.update(options)

    @property
    def requests(self):
        with self._lock:
            return list(self._log)

    def requests_for(self, substring="", method=None):
        return [r for r in self.requests
                if substring in r.path and (method is None or r.method == method)]

    def bytes_sent(self, substring=""):
        return sum(r.sent_bytes for r in self.requests_for(substring))

    def clear_log(self):
        with self._lock:
            self._log.clear()
            self._counts.clear()

    def _record(self, record):
        with self._lock:
            self._log.append(record)

    def _count(self, path):
        """How many requests this path had before this one."""
        with self._lock:
            n = self._counts.get(path, 0)
            self._counts[path] = n + 1
            return n


class _Server(ThreadingHTTPServer):
    request_queue_size = 128   # the default listen backlog (5) drops bursts of connections
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up (as pkgsizer does when a server ignores Range) is no error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


def _matches(path, substrings):
    return substrings is None or any(s in path for s in substrings)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"   # keep-alive: clients reuse connections
    server_version = "pkgsizer-test-index/1.0"
    index = None                    # set by IndexServer.start

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):
        self._serve(head=False)

    def do_HEAD(self):
        self._serve(head=True)

    # ----- dispatch

    def _serve(self, head):
        opts = dict(self.index.options)
        path = urllib.parse.urlsplit(self.path).path
        self.record = RequestRecord(self.command, path, range=self.headers.get("Range"),
                                    headers={k.lower(): v for k, v in self.headers.items()})
        try:
            if opts["delay"] and _matches(path, opts["delay_paths"]):
                time.sleep(opts["delay"])
            if not self._authorized(opts):
                self._send_simple(401, "authentication required\n", head,
                                  {"WWW-Authenticate": 'Basic realm="test index"'})
                return
            if opts["fail_first"] and _matches(path, opts["fail_paths"]):
                if self.index._count(path) < opts["fail_first"]:
                    extra = {}
                    if opts["retry_after"] is not None:
                        extra["Retry-After"] = str(opts["retry_after"])
                    self._send_simple(opts["fail_status"], "injected failure\n", head, extra)
                    return
            if head and opts["head_status"] is not None:
                self._send_simple(opts["head_status"], "", head)
                return
            self._route(path, head, opts)
        except (BrokenPipeError, ConnectionResetError):
            self.record.aborted = True
            self.close_connection = True
        finally:
            self.index._record(self.record)

    def _authorized(self, opts):
        if opts["auth"] is None:
            return True
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return False
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return False
        return (user, password) == tuple(opts["auth"])

    def _route(self, path, head, opts):
        if path in ("/simple", "/simple/"):
            if path == "/simple":
                return self._redirect("/simple/", head)
            return self._root_page(head, opts)
        m = re.fullmatch(r"/simple/([^/]+)(/?)", path)
        if m:
            name = urllib.parse.unquote(m.group(1))
            if normalize(name) != name or not m.group(2):
                return self._redirect(f"/simple/{normalize(name)}/", head)
            return self._project_page(name, head, opts)
        m = re.fullmatch(r"/files/([^/]+)", path)
        if m:
            filename = urllib.parse.unquote(m.group(1))
            if filename.endswith(".metadata") and opts["metadata"]:
                dist = self.index.catalog.file(filename[: -len(".metadata")])
                if dist is not None and dist.metadata is not None:
                    return self._send_validated(dist.metadata, "text/plain; charset=utf-8", head,
                                                opts, dist.mtime, compress=False)
            dist = self.index.catalog.file(filename)
            if dist is not None:
                return self._send_file(dist, head, opts)
        self._send_simple(404, "not found\n", head)

    # ----- pages

    def _wants_json(self, opts):
        if not opts["json"]:
            return False
        accept = self.headers.get("Accept", "")
        return JSON_TYPE in accept or "application/vnd.pypi.simple.latest+json" in accept

    def _file_href(self, dist, opts):
        if opts["file_urls"] and dist.filename in opts["file_urls"]:
            return opts["file_urls"][dist.filename]
        quoted = urllib.parse.quote(dist.filename)
        return f"{self.index.url}/files/{quoted}" if opts["absolute_urls"] else f"../../files/{quoted}"

    def _root_page(self, head, opts):
        dists = self.index.catalog.scan()
        names = sorted({d.project for d in dists} - set(opts["missing"] or ()))
        if self._wants_json(opts):
            body = json.dumps({"meta": {"api-version": "1.1" if opts["sizes"] else "1.0"},
                               "projects": [{"name": n} for n in names]}).encode()
            ctype = JSON_TYPE
        else:
            links = "".join(f'<a href="{n}/">{n}</a>\n' for n in names)
            body = f"<!DOCTYPE html>\n<html><body>\n{links}</body></html>\n".encode()
            ctype = "text/html; charset=utf-8"
        newest = max((d.mtime for d in dists), default=0)
        self._send_validated(body, ctype, head, opts, newest, compress=True)

    def _project_page(self, name, head, opts):
        dists = self.index.catalog.project(name)
        if not dists or name in (opts["missing"] or ()):
            return self._send_simple(404, f"no project {name}\n", head)
        yanked = opts["yanked"] or {}
        overrides = opts["requires_python"] or {}
        if self._wants_json(opts):
            files = []
            for d in dists:
                entry = {"filename": d.filename, "url": self._file_href(d, opts),
                         "hashes": {"sha256": d.sha256}}
                rp = overrides.get(d.filename, d.requires_python)
                if rp:
                    entry["requires-python"] = rp
                if opts["metadata"] and d.metadata is not None:
                    value = {"sha256": hashlib.sha256(d.metadata).hexdigest()}
                    if opts["metadata_key"] in ("core-metadata", "both"):
                        entry["core-metadata"] = value
                    if opts["metadata_key"] in ("dist-info-metadata", "both"):
                        entry["dist-info-metadata"] = value
                entry["yanked"] = yanked.get(d.filename, False)
                if opts["sizes"]:
                    entry["size"] = d.size
                    entry["upload-time"] = iso_time(d.mtime)
                files.append(entry)
            page = {"meta": {"api-version": "1.1" if opts["sizes"] else "1.0"}, "name": name,
                    "files": files}
            if opts["sizes"]:
                page["versions"] = sorted({d.version for d in dists}, key=version_key)
            body = json.dumps(page, indent=1).encode()
            ctype = JSON_TYPE
        else:
            links = []
            for d in dists:
                attrs = ""
                rp = overrides.get(d.filename, d.requires_python)
                if rp:
                    attrs += f' data-requires-python="{html.escape(rp)}"'
                if opts["metadata"] and d.metadata is not None:
                    attrs += f' data-core-metadata="sha256={hashlib.sha256(d.metadata).hexdigest()}"'
                reason = yanked.get(d.filename)
                if reason:
                    attrs += f' data-yanked="{html.escape(reason if isinstance(reason, str) else "")}"'
                href = f"{self._file_href(d, opts)}#sha256={d.sha256}"
                links.append(f'<a href="{html.escape(href)}"{attrs}>{html.escape(d.filename)}</a>')
            body = ("<!DOCTYPE html>\n<html><body>\n" + "<br/>\n".join(links)
                    + "\n</body></html>\n").encode()
            ctype = "text/html; charset=utf-8"
        self._send_validated(body, ctype, head, opts, max(d.mtime for d in dists), compress=True)

    # ----- responses

    def _redirect(self, location, head):
        self._send_simple(301, f"moved to {location}\n", head, {"Location": location})

    def _send_simple(self, status, text, head, extra_headers=None):
        body = text.encode()
        self.record.status = status
        self.send_response(status)
        for k, v in (extra_headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self._write(body)

    def _not_modified(self, etag, mtime, opts):
        inm = self.headers.get("If-None-Match")
        if inm is not None and opts["etag"]:
            tags = [t.strip() for t in inm.split(",")]
            return "*" in tags or etag in tags or ("W/" + etag) in tags
        ims = self.headers.get("If-Modified-Since")
        if ims is not None and opts["last_modified"]:
            try:
                since = email.utils.parsedate_to_datetime(ims).timestamp()
            except (TypeError, ValueError):
                return False
            return int(mtime) <= since
        return False

    def _validators(self, etag, mtime, opts):
        headers = {}
        if opts["etag"]:
            headers["ETag"] = etag
        if opts["last_modified"]:
            headers["Last-Modified"] = http_date(mtime)
        return headers

    def _send_validated(self, body, ctype, head, opts, mtime, compress):
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = self._validators(etag, mtime, opts)
        if opts["max_age"] is not None and compress:
            headers["Cache-Control"] = f"max-age={opts['max_age']}"
        if self._not_modified(etag, mtime, opts):
            self.record.status = 304
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        if compress and opts["gzip_pages"] and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["Vary"] = "Accept, Accept-Encoding"
        self.record.status = 200
        self.send_response(200)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self._write(body)

    def _parse_range(self, value, size, mode):
        """(start, end) inclusive, "416", or None (serve the whole file)."""
        if value is None or mode == "none":
            return None
        m = re.fullmatch(r"\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*", value)
        if not m or (m.group(1) == "" and m.group(2) == ""):
            return None   # several ranges, or not bytes: RFC 9110 lets a server ignore it
        if m.group(1) == "":
            if mode == "no-suffix-416":
                return "416"
            if mode == "no-suffix-501":
                return "501"
            if mode == "no-suffix-ignore":
                return None
            n = int(m.group(2))
            if n == 0 or size == 0:
                return "416"
            return max(0, size - n), size - 1
        start = int(m.group(1))
        end = int(m.group(2)) if m.group(2) else size - 1
        if start >= size:
            return "416"
        if end < start:
            return None
        return start, min(end, size - 1)

    def _send_file(self, dist, head, opts):
        etag = '"' + dist.sha256[:32] + '"'
        headers = self._validators(etag, dist.mtime, opts)
        if opts["range_mode"] != "none":
            headers["Accept-Ranges"] = "bytes"
        if self._not_modified(etag, dist.mtime, opts):
            self.record.status = 304
            self.send_response(304)
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            return
        rng = self._parse_range(self.headers.get("Range"), dist.size, opts["range_mode"])
        if rng == "501":
            return self._send_simple(501, "suffix ranges are not implemented\n", head)
        if rng == "416":
            return self._send_simple(416, "range not satisfiable\n", head,
                                     {"Content-Range": f"bytes */{dist.size}"})
        if rng is None:
            start, end, status = 0, dist.size - 1, 200
        else:
            (start, end), status = rng, 206
            headers["Content-Range"] = f"bytes {start}-{end}/{dist.size}"
        length = end - start + 1 if dist.size else 0
        self.record.status = status
        self.send_response(status)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Type", "application/octet-stream")
        chunked = not opts["content_length"]
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if head:
            return
        throttle = opts["throttle"]
        chunk = min(CHUNK, max(1024, int(throttle) // 20)) if throttle else CHUNK
        with open(dist.path, "rb") as f:
            f.seek(start)
            remaining = length
            while remaining > 0:
                if throttle:
                    time.sleep(chunk / throttle)
                data = f.read(min(chunk, remaining))
                if not data:
                    break
                remaining -= len(data)
                if chunked:
                    self.wfile.write(f"{len(data):x}\r\n".encode())
                    self._write(data)
                    self.wfile.write(b"\r\n")
                else:
                    self._write(data)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _write(self, data):
        for i in range(0, len(data), CHUNK):
            piece = data[i:i + CHUNK]
            self.wfile.write(piece)
            self.record.sent_bytes += len(piece)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Serve a directory of wheels as a PEP 691 index.")
    parser.add_argument("directory")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--range-mode", choices=RANGE_MODES, default="full")
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--fail-first", type=int, default=0)
    parser.add_argument("--fail-status", type=int, default=500)
    parser.add_argument("--max-age", type=int, default=None)
    parser.add_argument("--absolute-urls", action="store_true")
    parser.add_argument("--no-content-length", action="store_true")
    parser.add_argument("--head-status", type=int, default=None)
    parser.add_argument("--auth", default=None, help="USER:PASSWORD")
    args = parser.parse_args(argv)
    server = IndexServer(args.directory, port=args.port, range_mode=args.range_mode,
                         delay=args.delay, fail_first=args.fail_first,
                         fail_status=args.fail_status, max_age=args.max_age,
                         absolute_urls=args.absolute_urls,
                         content_length=not args.no_content_length,
                         head_status=args.head_status,
                         auth=tuple(args.auth.split(":", 1)) if args.auth else None)
    server.start()
    print(server.index_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
