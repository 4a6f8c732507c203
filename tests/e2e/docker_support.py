"""A real dockerd for the docker tests, and the truth about an image computed with tarfile
alone (independently of pkgsizer): per-layer bytes, whiteouts, distributions, waste."""

import gzip
import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import time

from support import base_env, stop_process

SITE = "usr/local/lib/python3.11/site-packages"


def require_tools(*names):
    for name in names:
        if shutil.which(name) is None:
            raise AssertionError(f"{name} is not installed (scripts/install-deps.sh installs it)")


class Dockerd:
    """dockerd on its own socket and data root, stopped by PID."""

    def __init__(self, root):
        require_tools("dockerd", "docker")
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.socket = os.path.join(root, "d.sock")
        self.pidfile = os.path.join(root, "d.pid")
        self.log = open(os.path.join(root, "dockerd.log"), "w")
        self.proc = subprocess.Popen(
            ["dockerd", "--data-root", os.path.join(root, "data"), "--exec-root",
             os.path.join(root, "exec"), "--host", "unix://" + self.socket, "--pidfile",
             self.pidfile, "--iptables=false", "--ip-masq=false", "--bridge=none"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.env = {"DOCKER_HOST": "unix://" + self.socket}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.docker(["version"], check=False).returncode == 0:
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise AssertionError("dockerd did not start: see " + self.log.name)

    def docker(self, args, check=True, **kwargs):
        proc = subprocess.run(["docker"] + args, env=base_env(self.env), capture_output=True,
                              text=True, timeout=300, **kwargs)
        if check and proc.returncode != 0:
            raise AssertionError(f"docker {' '.join(args)} failed: {proc.stderr}")
        return proc

    def stop(self):
        stop_process(self.proc)
        self.log.close()
        # Containers leave overlay mounts behind a killed daemon: unmount before removal.
        subprocess.run(["sh", "-c", f"grep -o ' {self.root}[^ ]*' /proc/mounts | xargs -r -n1 umount -l"],
                       capture_output=True)


class Podman:
    """`podman system service` on its own socket, storage (vfs) and run directories, so that it
    touches nothing of the machine's; stopped by PID."""

    def __init__(self, root):
        require_tools("podman")
        self.root = root
        os.makedirs(root, exist_ok=True)
        self.socket = os.path.join(root, "p.sock")
        self.flags = ["--root", os.path.join(root, "storage"), "--runroot", os.path.join(root, "run"),
                      "--tmpdir", os.path.join(root, "tmp"), "--storage-driver", "vfs",
                      "--cgroup-manager", "cgroupfs", "--events-backend", "file"]
        self.log = open(os.path.join(root, "podman.log"), "w")
        self.proc = subprocess.Popen(["podman"] + self.flags +
                                     ["system", "service", "--time=0", "unix://" + self.socket],
                                     stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.env = {"DOCKER_HOST": "unix://" + self.socket}
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if os.path.exists(self.socket):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        raise AssertionError("podman system service did not start: see " + self.log.name)

    def podman(self, args):
        proc = subprocess.run(["podman"] + self.flags + args, env=base_env({}), capture_output=True,
                              text=True, timeout=300)
        if proc.returncode != 0:
            raise AssertionError(f"podman {' '.join(args)} failed: {proc.stderr}")
        return proc

    def stop(self):
        stop_process(self.proc)
        self.log.close()


def sha256(data):
    return "sha256:" + hashlib.sha256(data).hexdigest()


def read_layer_tar(data):
    """(entries, whiteouts, opaque dirs) of a layer's bytes, plain or gzip."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    entries, whiteouts, opaque = {}, [], []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:") as tar:
        for member in tar.getmembers():
            path = os.path.normpath(member.name).lstrip("/")
            if path == ".":
                continue
            parent, name = os.path.split(path)
            if name == ".wh..wh..opq":
                opaque.append(parent)
            elif name.startswith(".wh."):
                whiteouts.append(os.path.join(parent, name[4:]))
            else:
                content = tar.extractfile(member).read() if member.isfile() else None
                entries[path] = (member.isdir(), member.size if member.isfile() else 0, content)
    return entries, whiteouts, opaque


def truth_from_layers(layers):
    """What pkgsizer must say, from [(created_by, layer bytes)] with tarfile only."""
    fs = {}  # path -> (layer, is_dir, size, content)
    result = {"layers": [], "total": 0}
    for index, data in enumerate(layers):
        entries, whiteouts, opaque = read_layer_tar(data)
        info = {"bytes": 0, "added": 0, "changed": 0, "deleted": 0, "hidden": 0}
        before = {p: v for p, v in fs.items()}

        def remove(path, keep_self):
            for p in [p for p in fs if p.startswith(path + "/") or (p == path and not keep_self)]:
                layer, is_dir, size, _ = fs.pop(p)
                if not is_dir:
                    info["deleted"] += 1
                    info["hidden"] += size
        for d in opaque:
            remove(d, True)
        for w in whiteouts:
            remove(w, False)
        for path, (is_dir, size, content) in entries.items():
            if not is_dir:
                info["bytes"] += size
            old = fs.get(path)
            if old is None:
                if not is_dir:
                    info["added"] += 1
            elif not old[1]:
                info["changed"] += 1
                info["hidden"] += old[2]
            elif not is_dir:
                info["added"] += 1
            fs[path] = (index, is_dir, size, content)
        info["dists_before"] = dists_in(before)
        info["dists_after"] = dists_in(fs)
        result["layers"].append(info)
        result["total"] += info["bytes"]
    final = [0] * len(layers)
    for path, (layer, is_dir, size, _) in fs.items():
        if not is_dir:
            final[layer] += size
    for index, info in enumerate(result["layers"]):
        info["final"] = final[index]
    result["final"] = sum(final)
    result["wasted"] = result["total"] - result["final"]
    result["fs"] = fs
    return result


def dists_in(fs):
    found = {}
    for path, (_, is_dir, _, content) in fs.items():
        site = os.path.dirname(os.path.dirname(path))
        if path.endswith(".dist-info/METADATA") and os.path.basename(site) == "site-packages":
            headers = dict(line.split(": ", 1) for line in content.decode().splitlines()
                           if ": " in line)
            found[headers["Name"].lower()] = headers["Version"]
    return found


def layers_of_docker_save(path):
    """[(created_by, bytes)] of a legacy docker save tarball, read with tarfile."""
    with tarfile.open(path) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))[0]
        layers = [tar.extractfile(tar.getmember(name)).read() if not tar.getmember(name).issym()
                  else tar.extractfile(os.path.normpath(os.path.join(os.path.dirname(name), tar.getmember(name).linkname))).read()
                  for name in manifest["Layers"]]
    return layers


# ---- hand-made OCI layouts, for the cases no tool writes on purpose -----------------------

def layer_bytes(members, compress=False):
    """members: [(name, bytes|None for a directory|("link", target))] -> a tar layer."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name, content in members:
            info = tarfile.TarInfo(name)
            if content is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif isinstance(content, tuple):
                info.type = tarfile.SYMTYPE
                info.linkname = content[1]
                tar.addfile(info)
            else:
                info.size = len(content)
                tar.addfile(info, io.BytesIO(content))
    data = buffer.getvalue()
    return gzip.compress(data, mtime=0) if compress else data


def write_blob(directory, data):
    digest = sha256(data)
    path = os.path.join(directory, "blobs", "sha256", digest[7:])
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)
    return {"digest": digest, "size": len(data)}


def write_oci_layout(directory, layers, media_type="application/vnd.oci.image.layer.v1.tar",
                     platforms=None, tag="v1"):
    """An OCI layout of one image (or, with platforms, an index of one image per platform)."""
    os.makedirs(directory, exist_ok=True)
    with open(os.path.join(directory, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)

    def image(platform):
        descriptors = []
        diff_ids = []
        for data in layers:
            descriptor = write_blob(directory, data)
            descriptor["mediaType"] = media_type
            descriptors.append(descriptor)
            diff_ids.append(sha256(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data))
        os_name, arch = platform.split("/")
        config = {"os": os_name, "architecture": arch, "rootfs": {"type": "layers", "diff_ids": diff_ids},
                  "history": [{"created_by": f"step {i} {platform}"} for i in range(len(layers))]}
        config_descriptor = write_blob(directory, json.dumps(config).encode())
        config_descriptor["mediaType"] = "application/vnd.oci.image.config.v1+json"
        manifest = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "config": config_descriptor, "layers": descriptors}
        descriptor = write_blob(directory, json.dumps(manifest).encode())
        descriptor["mediaType"] = "application/vnd.oci.image.manifest.v1+json"
        descriptor["platform"] = {"os": os_name, "architecture": arch}
        return descriptor

    if platforms:
        nested = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                  "manifests": [image(p) for p in platforms]}
        top = write_blob(directory, json.dumps(nested).encode())
        top["mediaType"] = "application/vnd.oci.image.index.v1+json"
    else:
        top = image("linux/amd64")
    top["annotations"] = {"org.opencontainers.image.ref.name": tag}
    with open(os.path.join(directory, "index.json"), "w") as f:
        json.dump({"schemaVersion": 2, "manifests": [top]}, f)


# ---- registries -----------------------------------------------------------------------------

def free_port():
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DockerRegistry:
    """docker-registry (distribution 2.8) on 127.0.0.1 with basic auth (htpasswd, bcrypt)."""

    def __init__(self, root, user, password):
        require_tools("docker-registry")
        import warnings
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import crypt
            hashed = crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16))
        if not hashed or not hashed.startswith("$2"):
            raise AssertionError("this libcrypt makes no bcrypt hashes (htpasswd needs them)")
        os.makedirs(root, exist_ok=True)
        with open(os.path.join(root, "htpasswd"), "w") as f:
            f.write(f"{user}:{hashed}\n")
        self.port = free_port()
        self.host = f"127.0.0.1:{self.port}"
        config = os.path.join(root, "config.yml")
        with open(config, "w") as f:
            f.write(f"""version: 0.1
log:
  level: error
storage:
  filesystem:
    rootdirectory: {root}/data
http:
  addr: {self.host}
auth:
  htpasswd:
    realm: pkgsizer
    path: {root}/htpasswd
""")
        self.log = open(os.path.join(root, "registry.log"), "w")
        self.proc = subprocess.Popen(["docker-registry", "serve", config], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        import socket
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise AssertionError("docker-registry did not start")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)
        self.log.close()


def docker_config(directory, host, user, password):
    import base64
    os.makedirs(directory, exist_ok=True)
    auth = base64.b64encode(f"{user}:{password}".encode()).decode()
    with open(os.path.join(directory, "config.json"), "w") as f:
        json.dump({"auths": {host: {"auth": auth}}}, f)
    return directory


class FakeRegistry:
    """The distribution API over an OCI layout directory, in a thread, with a bearer-token
    challenge and switchable failures: mode "ok", "500", "404", "hang"."""

    def __init__(self, layout, repository="app", token="tok-123"):
        import http.server
        import threading
        registry = self
        self.mode = "ok"
        self.token_requests = []
        self.release = threading.Event()

        with open(os.path.join(layout, "index.json")) as f:
            index = json.load(f)

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send(self, status, body=b"", headers=()):
                self.send_response(status)
                for key, value in headers:
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path.startswith("/token"):
                    registry.token_requests.append(self.path)
                    return self.send(200, json.dumps({"token": token}).encode())
                if registry.mode == "hang":
                    registry.release.wait(30)
                    return
                if registry.mode in ("500", "404"):
                    return self.send(int(registry.mode), b"{}")
                if self.headers.get("Authorization") != f"Bearer {token}":
                    challenge = (f'Bearer realm="http://127.0.0.1:{registry.port}/token",'
                                 f'service="fake",scope="repository:{repository}:pull"')
                    return self.send(401, b"{}", [("WWW-Authenticate", challenge)])
                prefix = f"/v2/{repository}/"
                if not self.path.startswith(prefix):
                    return self.send(404)
                kind, _, ref = self.path[len(prefix):].partition("/")
                if kind == "manifests" and not ref.startswith("sha256:"):
                    ref = index["manifests"][0]["digest"]
                path = os.path.join(layout, "blobs", "sha256", ref.split(":")[-1])
                if not os.path.isfile(path):
                    return self.send(404)
                with open(path, "rb") as f:
                    body = f.read()
                media = json.loads(body).get("mediaType", "") if kind == "manifests" else "application/octet-stream"
                self.send(200, body, [("Content-Type", media)])

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.host = f"127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def docker_save_bytes(layers, history):
    """A legacy `docker save` tarball of `layers` (plain tar bytes) whose config has `history`."""
    config = json.dumps({"architecture": "amd64", "os": "linux", "history": history,
                         "rootfs": {"type": "layers", "diff_ids": [sha256(l) for l in layers]}}).encode()
    config_name = sha256(config)[7:] + ".json"
    members = [(config_name, config)]
    paths = []
    for layer in layers:
        paths.append(sha256(layer)[7:] + "/layer.tar")
        members.append((paths[-1], layer))
    members.append(("manifest.json", json.dumps(
        [{"Config": config_name, "RepoTags": ["hand:made"], "Layers": paths}]).encode()))
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


class FakeDaemon:
    """The Engine API's few image endpoints on a unix socket, in a thread: one image, `saved`
    (docker save bytes) with `history` as GET /images/{name}/history answers it. Records the
    paths asked; answers 400 to any API version but `api`, as a new daemon does to old ones."""

    def __init__(self, socket_path, name, saved, history, api="1.43"):
        import http.server
        import socketserver
        import threading
        daemon = self
        self.paths = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def address_string(self):
                return "unix"

            def send(self, status, body):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                daemon.paths.append(self.path)
                if self.path == "/version":
                    return self.send(200, json.dumps({"ApiVersion": api}).encode())
                prefix = f"/v{api}/images/{name}/"
                if not self.path.startswith(prefix):
                    return self.send(400, b'{"message": "client version not supported"}')
                answers = {"json": json.dumps({"Id": "sha256:" + "0" * 64}).encode(),
                           "history": json.dumps(history).encode(), "get": saved}
                body = answers.get(self.path[len(prefix):])
                self.send(200, body) if body is not None else self.send(404, b"{}")

        class Server(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
            daemon_threads = True

        self.server = Server(socket_path, Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
