"""pkgsizer docker on a real image built by a real dockerd (FROM scratch: busybox-static, a
slice of this machine's python3 stdlib, a layer of pip-installed wheels, an upgrade, an
uninstall with deletions, a replaced directory), read through the daemon's socket, as a docker
save tarball, as OCI layouts (gzip and zstd, by skopeo) and as an OCI layout in a tar; each way
gives the same answer, and that answer is the truth computed here with tarfile alone."""

import json
import os
import shutil
import subprocess
import sys
import tarfile
import unittest

import docker_support as ds
from support import (BinaryTestCase, EXIT_NO_ENV, EXIT_OK, describe, make_wheel, run_pkgsizer,
                     scan_json, write_file)

EXIT_NOT_FOUND = 9
SITE = ds.SITE


def analyse(testcase, image, *extra, env=None, expect_rc=EXIT_OK):
    proc = run_pkgsizer(["docker", image, "--json", "-"] + list(extra), env=env, timeout=300)
    testcase.assertEqual(proc.returncode, expect_rc, describe(proc))
    return json.loads(proc.stdout)


def essentials(document):
    """The parts of an answer that do not depend on how the image was stored."""
    image = document["image"]
    layers = [{k: layer[k] for k in ("created_by", "files_added", "files_changed", "files_deleted",
                                     "bytes", "final_bytes", "wasted_bytes", "hidden_bytes",
                                     "distributions", "other_files")}
              for layer in image["layers"]]
    dists = sorted((d["name"], d["version"], d["apparent_bytes"])
                   for d in document["distributions"])
    return {"layers": layers, "dists": dists, "total": image["total_bytes"],
            "final": image["final_bytes"], "wasted": image["wasted_bytes"]}


class DockerImageTest(BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ds.require_tools("dockerd", "docker", "skopeo")
        cls.daemon = ds.Dockerd(os.path.join(cls.tmp, "dockerd"))
        cls.addClassCleanup(cls.daemon.stop)
        cls.build_image()
        cls.save = os.path.join(cls.tmp, "app.tar")
        cls.daemon.docker(["save", "-o", cls.save, "pkgsizer-e2e/app:v1"])
        cls.truth = ds.truth_from_layers(ds.layers_of_docker_save(cls.save))
        cls.answer = analyse(unittest.TestCase(), cls.save)

    @classmethod
    def build_image(cls):
        context = os.path.join(cls.tmp, "context")
        rootfs = os.path.join(context, "rootfs")
        os.makedirs(os.path.join(rootfs, "bin"))
        shutil.copy("/bin/busybox", os.path.join(rootfs, "bin", "busybox"))
        stdlib = os.path.dirname(os.__file__)
        for module in ("json", "email"):
            shutil.copytree(os.path.join(stdlib, module), os.path.join(rootfs, "usr/lib/python3.11", module),
                            ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(os.path.join(stdlib, "os.py"), os.path.join(rootfs, "usr/lib/python3.11/os.py"))
        write_file(os.path.join(rootfs, "root/.cache/pip/http/ab/cached"), b"c" * 30000)
        write_file(os.path.join(rootfs, "opt/data/old.txt"), b"o" * 5000)
        wheels = os.path.join(cls.tmp, "wheels")
        make_wheel(wheels, "alpha", "1.0", {"alpha/__init__.py": "A = 1\n" * 500})
        make_wheel(wheels, "beta", "1.0", {"beta/__init__.py": "B = 2\n" * 800,
                                           "beta/data.bin": b"\0" * 20000})
        make_wheel(wheels, "gamma", "1.0", {"gamma.py": "G = 3\n" * 100})
        make_wheel(wheels, "alpha", "2.0", {"alpha/__init__.py": "A = 2\n" * 900})
        for target, names in (("site1", ["alpha==1.0", "beta", "gamma"]), ("stage", ["alpha==2.0"])):
            proc = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--no-index",
                 "--no-cache-dir", "--no-compile", "--find-links", wheels, "--target",
                 os.path.join(context, target)] + names, capture_output=True, text=True, timeout=300)
            assert proc.returncode == 0, proc.stderr
        site = "/" + SITE
        with open(os.path.join(context, "Dockerfile"), "w") as f:
            f.write(f"""FROM scratch
COPY rootfs/ /
COPY site1/ {site}/
COPY stage/ /stage/
RUN ["/bin/busybox", "sh", "-c", "cd {site} && /bin/busybox rm -rf alpha alpha-1.0.dist-info && /bin/busybox cp -a /stage/. . && /bin/busybox rm -rf /stage"]
RUN ["/bin/busybox", "sh", "-c", "cd {site} && /bin/busybox rm -rf beta beta-1.0.dist-info && /bin/busybox rm /usr/lib/python3.11/os.py"]
RUN ["/bin/busybox", "sh", "-c", "/bin/busybox rm -rf /opt/data && /bin/busybox mkdir /opt/data && /bin/busybox echo new > /opt/data/new.txt"]
""")
        cls.daemon.docker(["build", "--network", "none", "-q", "-t", "pkgsizer-e2e/app:v1", context])

    def test_layers_match_tarfile_truth(self):
        image = self.answer["image"]
        self.assertEqual(len(image["layers"]), len(self.truth["layers"]))
        self.assertEqual(image["total_bytes"], self.truth["total"])
        self.assertEqual(image["final_bytes"], self.truth["final"])
        self.assertEqual(image["wasted_bytes"], self.truth["wasted"])
        self.assertGreater(image["wasted_bytes"], 0)
        self.assertAlmostEqual(image["efficiency"], 1 - self.truth["wasted"] / self.truth["total"])
        for got, want in zip(image["layers"], self.truth["layers"]):
            self.assertEqual(got["bytes"], want["bytes"])
            self.assertEqual(got["final_bytes"], want["final"])
            self.assertEqual(got["hidden_bytes"], want["hidden"])
            self.assertEqual((got["files_added"], got["files_changed"], got["files_deleted"]),
                             (want["added"], want["changed"], want["deleted"]))

    def test_distributions_per_layer(self):
        layers = self.answer["image"]["layers"]
        kinds = [sorted((c["kind"], c["name"], c["version"] or c["previous_version"])
                        for c in layer["distributions"]) for layer in layers]
        self.assertEqual(kinds[1], [("added", "alpha", "1.0"), ("added", "beta", "1.0"),
                                    ("added", "gamma", "1.0")])
        self.assertEqual(kinds[3], [("upgraded", "alpha", "2.0")])
        self.assertEqual(kinds[4], [("removed", "beta", "1.0")])
        for index, layer in enumerate(self.truth["layers"]):
            before, after = layer["dists_before"], layer["dists_after"]
            changed = {n for n in set(before) | set(after) if before.get(n) != after.get(n)}
            self.assertEqual({c["name"] for c in layers[index]["distributions"]}, changed)
        removed = [c for c in layers[4]["distributions"] if c["kind"] == "removed"][0]
        self.assertGreater(removed["hidden_bytes"], 20000)  # beta's data.bin, still shipped
        wasted = {w["name"]: w["bytes"] for w in self.answer["image"]["waste_by_distribution"]}
        self.assertEqual(set(wasted), {"alpha", "beta"})
        self.assertEqual(wasted["beta"], removed["hidden_bytes"])
        placement = {d["name"]: d["layer"] for d in self.answer["image"]["distribution_layers"]}
        self.assertEqual(placement, {"alpha": 3, "gamma": 1})

    def test_opaque_directory_and_pip_cache(self):
        layers = self.answer["image"]["layers"]
        self.assertEqual(layers[5]["files_deleted"], 1)  # /opt/data/old.txt, hidden by the opaque dir
        groups = {g["directory"]: g["bytes"] for g in self.answer["image"]["other_files"]}
        self.assertEqual(groups["/root/.cache/pip"], 30000)

    def test_final_distributions_equal_scan_env_of_the_same_files(self):
        site = os.path.join(self.tmp, "extracted-site")
        for path, (layer, is_dir, size, content) in self.truth["fs"].items():
            if path.startswith(SITE + "/") and not is_dir:
                write_file(os.path.join(site, path[len(SITE) + 1:]), content)
        model, _ = scan_json(self, ["--site-packages", site])
        want = sorted((d["name"], d["version"], d["apparent_bytes"], d["file_count"])
                      for d in model["distributions"])
        got = sorted((d["name"], d["version"], d["apparent_bytes"], d["file_count"])
                     for d in self.answer["distributions"])
        self.assertEqual(got, want)

    def test_every_way_of_reading_gives_the_same_answer(self):
        want = essentials(self.answer)
        daemon = analyse(self, "pkgsizer-e2e/app:v1", env=self.daemon.env)
        self.assertEqual(daemon["image"]["source"], "daemon")
        self.assertEqual(essentials(daemon), want)
        for compression in ("gzip", "zstd"):
            layout = os.path.join(self.tmp, f"oci-{compression}")
            proc = subprocess.run(["skopeo", "copy", "--dest-compress-format", compression,
                                   "docker-archive:" + self.save, f"oci:{layout}:v1"],
                                  capture_output=True, text=True, timeout=300)
            self.assertEqual(proc.returncode, 0, proc.stderr)
            got = analyse(self, f"oci:{layout}:v1")
            self.assertEqual({l["compression"] for l in got["image"]["layers"]}, {compression})
            self.assertEqual(essentials(got), want)
        # The layout Docker 25 saves: index.json and blobs/ in a tar.
        oci_tar = os.path.join(self.tmp, "oci.tar")
        with tarfile.open(oci_tar, "w") as tar:
            tar.add(os.path.join(self.tmp, "oci-gzip"), arcname=".")
        got = analyse(self, oci_tar)
        self.assertEqual(got["image"]["source"], "docker-save-oci")
        self.assertEqual(essentials(got), want)

    def test_podman_socket_gives_the_same_answer(self):
        # Podman serves the Engine API too; its image loaded from the docker save tarball.
        podman = ds.Podman(os.path.join(self.tmp, "podman"))
        self.addCleanup(podman.stop)
        podman.podman(["load", "-q", "-i", self.save])
        got = analyse(self, "pkgsizer-e2e/app:v1", env=podman.env)
        self.assertEqual(got["image"]["source"], "daemon")
        self.assertEqual(essentials(got), essentials(self.answer))

    def test_registry_with_basic_auth(self):
        registry = ds.DockerRegistry(os.path.join(self.tmp, "registry"), "ci", "s3cret")
        self.addCleanup(registry.stop)
        proc = subprocess.run(["skopeo", "copy", "--dest-creds", "ci:s3cret", "--dest-tls-verify=false",
                               "docker-archive:" + self.save, f"docker://{registry.host}/app:v1"],
                              capture_output=True, text=True, timeout=300)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        config = ds.docker_config(os.path.join(self.tmp, "docker-config"), registry.host, "ci", "s3cret")
        got = analyse(self, f"registry://{registry.host}/app:v1", env={"DOCKER_CONFIG": config})
        self.assertEqual(got["image"]["source"], "registry")
        self.assertEqual(essentials(got), essentials(self.answer))
        same = analyse(self, f"docker://{registry.host}/app:v1", env={"DOCKER_CONFIG": config})
        self.assertEqual(essentials(same), essentials(self.answer))
        # Without credentials: 401, a clear error, exit 3.
        empty = os.path.join(self.tmp, "no-config")
        os.makedirs(empty, exist_ok=True)
        proc = run_pkgsizer(["docker", f"registry://{registry.host}/app:v1"], env={"DOCKER_CONFIG": empty})
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertIn("HTTP 401", proc.stderr)
        proc = run_pkgsizer(["docker", f"registry://{registry.host}/nothing:v1"], env={"DOCKER_CONFIG": config})
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))

    def test_dockerfile_names_the_layers(self):
        dockerfile = os.path.join(self.tmp, "context", "Dockerfile")
        got = analyse(self, self.save, "--dockerfile", dockerfile)
        named = [layer["dockerfile"] for layer in got["image"]["layers"]]
        self.assertEqual(named[0], f"{dockerfile}:2: COPY rootfs/ /")
        self.assertTrue(named[5].startswith(f"{dockerfile}:7: RUN"), named[5])
        proc = run_pkgsizer(["docker", self.save, "--dockerfile", dockerfile])
        self.assertIn(":4: COPY stage/ /stage/", proc.stdout)

    def test_table_markdown_and_ci_rules(self):
        proc = run_pkgsizer(["docker", self.save])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("+alpha 1.0", proc.stdout)
        self.assertIn("-beta 1.0", proc.stdout)
        proc = run_pkgsizer(["docker", self.save, "--markdown"])
        self.assertIn("| # | Size |", proc.stdout)
        proc = run_pkgsizer(["docker", self.save, "--fail-on-waste", "1kB"])
        self.assertEqual(proc.returncode, 1, describe(proc))
        proc = run_pkgsizer(["docker", self.save, "--fail-on-waste", "99%"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        proc = run_pkgsizer(["docker", self.save, "--lowest-efficiency", "0.9999"])
        self.assertEqual(proc.returncode, 1, describe(proc))

    def test_compare_and_check_budget_read_the_json(self):
        out = os.path.join(self.tmp, "image.json")
        proc = run_pkgsizer(["docker", self.save, "--json", out])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        proc = run_pkgsizer(["compare", out, self.save, "--json", "-"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(json.loads(proc.stdout)["changed"], [], proc.stdout)
        proc = run_pkgsizer(["compare", "docker-daemon:pkgsizer-e2e/app:v1", self.save, "--json", "-"],
                            env=self.daemon.env)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(json.loads(proc.stdout)["changed"], [], proc.stdout)
        budget = os.path.join(self.tmp, "budget.toml")
        with open(budget, "w") as f:
            f.write('[budget]\ntotal = "1kB"\n')
        for args in (["--report", out], ["--image", self.save]):
            proc = run_pkgsizer(["check-budget", "--config", budget, "--fail-on-exceed"] + args)
            self.assertEqual(proc.returncode, 1, describe(proc))

    def test_no_such_image_in_the_daemon(self):
        proc = run_pkgsizer(["docker", "no-such/image:v9"], env=self.daemon.env)
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))
        self.assertIn("no such image", proc.stderr)

    def test_truncated_tarball(self):
        broken = os.path.join(self.tmp, "truncated.tar")
        with open(self.save, "rb") as f:
            data = f.read()
        with open(broken, "wb") as f:
            f.write(data[: len(data) // 2])
        json_out = os.path.join(self.tmp, "never.json")
        proc = run_pkgsizer(["docker", broken, "--json", json_out])
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertFalse(os.path.exists(json_out))


class HandMadeImageTest(BinaryTestCase):
    """Layouts no tool writes on purpose: hostile or unusual, built byte by byte."""

    def layout(self, name, layers, **kwargs):
        directory = os.path.join(self.tmp, name)
        ds.write_oci_layout(directory, layers, **kwargs)
        return directory

    def test_opaque_marker_before_its_directory(self):
        base = ds.layer_bytes([("d", None), ("d/a", b"a" * 100), ("d/b", b"b" * 50)])
        top = ds.layer_bytes([("d/.wh..wh..opq", b""), ("d", None), ("d/c", b"c" * 7)])
        got = analyse(self, "oci:" + self.layout("opaque", [base, top]) + ":v1")
        layers = got["image"]["layers"]
        self.assertEqual(layers[1]["files_deleted"], 2)
        self.assertEqual(got["image"]["final_bytes"], 7)
        self.assertEqual(got["image"]["wasted_bytes"], 150)

    def test_a_downgrade_is_named_so(self):
        def install(version, body):
            dist = f"{SITE}/alpha-{version}.dist-info"
            record = f"alpha.py,,{len(body)}\n{dist[len(SITE) + 1:]}/METADATA,,\n"
            return [(f"{SITE}/alpha.py", body),
                    (f"{dist}/METADATA", f"Metadata-Version: 2.1\nName: alpha\nVersion: {version}\n".encode()),
                    (f"{dist}/RECORD", record.encode())]
        new = ds.layer_bytes(install("1.10", b"a" * 300))
        # pip uninstalls 1.10 (whiteouts) and installs 1.9: lower by PEP 440, higher as text.
        old = ds.layer_bytes([(f"{SITE}/.wh.alpha-1.10.dist-info", b"")] + install("1.9", b"b" * 200))
        got = analyse(self, "oci:" + self.layout("downgrade", [new, old]))
        changes = [(c["kind"], c["version"], c["previous_version"])
                   for c in got["image"]["layers"][1]["distributions"]]
        self.assertEqual(changes, [("downgraded", "1.9", "1.10")])

    def test_platform_of_a_nested_index(self):
        layer = ds.layer_bytes([("f", b"x" * 10)], compress=True)
        directory = self.layout("multi", [layer], platforms=["linux/amd64", "linux/arm64"],
                                media_type="application/vnd.oci.image.layer.v1.tar+gzip")
        got = analyse(self, "oci:" + directory, "--platform", "linux/arm64")
        self.assertEqual(got["image"]["platform"], "linux/arm64")
        self.assertEqual(got["image"]["layers"][0]["created_by"], "step 0 linux/arm64")
        proc = run_pkgsizer(["docker", "oci:" + directory, "--platform", "linux/s390x"])
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))
        self.assertIn("linux/arm64", proc.stderr)

    def expect_refused(self, image, message, *extra, env=None):
        json_out = os.path.join(self.tmp, "refused.json")
        proc = run_pkgsizer(["docker", image, "--json", json_out] + list(extra), env=env)
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertIn(message, proc.stderr)
        self.assertFalse(os.path.exists(json_out))

    def test_path_traversal_and_absolute_names(self):
        for name, member in (("dotdot", "../../etc/passwd"), ("absolute", "/etc/passwd")):
            layer = ds.layer_bytes([(member, b"root::0:0::/:/bin/sh\n")])
            self.expect_refused("oci:" + self.layout(name, [layer]), "outside the image's root")

    def test_digest_mismatch(self):
        layer = ds.layer_bytes([("f", b"x" * 1000)])
        directory = self.layout("tampered", [layer])
        blob = os.path.join(directory, "blobs", "sha256", ds.sha256(layer)[7:])
        with open(blob, "rb") as f:
            data = bytearray(f.read())
        data[600] ^= 1  # inside f's content: still a valid tar
        with open(blob, "wb") as f:
            f.write(data)
        self.expect_refused("oci:" + directory, "does not match its digest")

    def test_altered_layer_in_a_docker_save(self):
        # A file's layers are hashed from the file beside the parse (FileRangeHasher); a stream's
        # (the daemon's /get) as it is read. Both must refuse a layer that is not its diff_id.
        layer = ds.layer_bytes([("f", b"x" * 1000)])
        saved = bytearray(ds.docker_save_bytes([layer], history=[]))
        at = bytes(saved).find(b"x" * 1000)
        self.assertGreater(at, 0)
        saved[at + 500] ^= 1  # inside f's content: every tar stays valid
        path = os.path.join(self.tmp, "altered.tar")
        with open(path, "wb") as f:
            f.write(saved)
        self.expect_refused(path, "does not match its digest")
        socket_path = os.path.join(self.tmp, "altered.sock")
        daemon = ds.FakeDaemon(socket_path, "hand:made", bytes(saved), history=[])
        self.addCleanup(daemon.stop)
        self.expect_refused("hand:made", "does not match its digest",
                            env={"DOCKER_HOST": "unix://" + socket_path})

    def test_manifest_layer_path_outside_the_archive(self):
        import io
        layer = ds.layer_bytes([("f", b"x")])
        config = json.dumps({"rootfs": {"diff_ids": [ds.sha256(layer)]}, "history": []}).encode()
        config_name = ds.sha256(config)[7:] + ".json"
        manifest = json.dumps([{"Config": config_name, "Layers": ["../abc/layer.tar"]}]).encode()
        path = os.path.join(self.tmp, "manifest-escape.tar")
        with tarfile.open(path, "w") as tar:
            for name, data in ((config_name, config), ("abc/layer.tar", layer),
                               ("manifest.json", manifest)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        self.expect_refused(path, "points outside the archive")

    def test_unknown_media_type(self):
        layer = ds.layer_bytes([("f", b"x")])
        self.expect_refused("oci:" + self.layout("foreign", [layer], media_type="application/x-foo"),
                            "unknown media type")

    def test_decompression_limit(self):
        layer = ds.layer_bytes([("zeros", b"\0" * (8 << 20))], compress=True)
        self.expect_refused("oci:" + self.layout("bomb", [layer],
                                                 media_type="application/vnd.oci.image.layer.v1.tar+gzip"),
                            "expands past", "--max-layer-size", "1MB")

    def test_symlinked_layer_pointing_outside(self):
        saved = os.path.join(self.tmp, "escape.tar")
        layer = ds.layer_bytes([("f", b"x")])
        config = json.dumps({"rootfs": {"diff_ids": [ds.sha256(layer)]}, "history": []}).encode()
        config_name = ds.sha256(config)[7:] + ".json"
        manifest = json.dumps([{"Config": config_name, "Layers": ["abc/layer.tar"]}]).encode()
        import io
        with tarfile.open(saved, "w") as tar:
            for name, data in ((config_name, config), ("manifest.json", manifest)):
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            link = tarfile.TarInfo("abc/layer.tar")
            link.type = tarfile.SYMTYPE
            link.linkname = "../../../etc/passwd"
            tar.addfile(link)
        self.expect_refused(saved, "points outside the archive")


class DaemonHistoryTest(BinaryTestCase):
    """GET /images/{name}/history fills the commands a config's history lacks (imported or
    hand-made images); asked with the version the daemon named (GET /version)."""

    def test_history_endpoint_names_the_layers(self):
        layers = [ds.layer_bytes([("bin", None), ("bin/sh", b"s" * 300)]),
                  ds.layer_bytes([("app", None), ("app/x.py", b"x" * 70)])]
        saved = ds.docker_save_bytes(layers, history=[])  # no history in the config at all
        history = [  # newest first, as the daemon answers; ENV made no layer (Size 0)
            {"Id": "<missing>", "CreatedBy": "COPY app /app", "Size": 70},
            {"Id": "<missing>", "CreatedBy": "ENV A=1", "Size": 0},
            {"Id": "<missing>", "CreatedBy": "ADD rootfs.tar /", "Size": 300}]
        socket_path = os.path.join(self.tmp, "fake.sock")
        daemon = ds.FakeDaemon(socket_path, "hand:made", saved, history)
        self.addCleanup(daemon.stop)
        got = analyse(self, "hand:made", env={"DOCKER_HOST": "unix://" + socket_path})
        self.assertEqual([l["created_by"] for l in got["image"]["layers"]],
                         ["ADD rootfs.tar /", "COPY app /app"])
        self.assertIn("/v1.43/images/hand:made/history", daemon.paths)
        self.assertEqual(got["image"]["final_bytes"], 370)


class FakeRegistryTest(BinaryTestCase):
    """The bearer-token challenge flow, and registries that fail: a Python registry of our own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        layout = os.path.join(cls.tmp, "layout")
        layer = ds.layer_bytes([("usr", None), ("usr/f", b"f" * 4000)], compress=True)
        ds.write_oci_layout(layout, [layer], media_type="application/vnd.oci.image.layer.v1.tar+gzip",
                            platforms=["linux/amd64", "linux/arm64"])
        cls.registry = ds.FakeRegistry(layout)
        cls.addClassCleanup(cls.registry.stop)
        cls.config = os.path.join(cls.tmp, "empty-config")
        os.makedirs(cls.config)

    def run_registry(self, *extra):
        return run_pkgsizer(["docker", f"registry://{self.registry.host}/app:v1", "--json", "-"] +
                            list(extra), env={"DOCKER_CONFIG": self.config})

    def test_bearer_challenge_and_index(self):
        self.registry.mode = "ok"
        proc = self.run_registry("--platform", "linux/arm64")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        got = json.loads(proc.stdout)
        self.assertEqual(got["image"]["final_bytes"], 4000)
        self.assertEqual(got["image"]["platform"], "linux/arm64")
        self.assertIn("scope=repository%3Aapp%3Apull", self.registry.token_requests[-1])

    def test_failing_registries(self):
        for mode, code, message in (("500", EXIT_NO_ENV, "HTTP 500"), ("404", EXIT_NOT_FOUND, "HTTP 404"),
                                    ("hang", EXIT_NO_ENV, "imeout")):
            self.registry.mode = mode
            proc = self.run_registry("--timeout", "1")
            self.registry.mode = "ok"
            self.assertEqual(proc.returncode, code, describe(proc))
            self.assertIn(message, proc.stderr)
            self.assertEqual(proc.stdout, "")


if __name__ == "__main__":
    unittest.main()
