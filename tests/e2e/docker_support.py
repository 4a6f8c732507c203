"""A real dockerd for the docker tests, and the truth about an image computed with tarfile
alone (independently of pkgsizer): per-layer bytes, whiteouts, distributions, waste."""

import gzip
import hashlib
import io
import json
import os
import shutil
import signal
import subprocess
import tarfile
import time

from support import base_env

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
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        # Containers leave overlay mounts behind a killed daemon: unmount before removal.
        subprocess.run(["sh", "-c", f"grep -o ' {self.root}[^ ]*' /proc/mounts | xargs -r -n1 umount -l"],
                       capture_output=True)


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
