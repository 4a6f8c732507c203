"""Hostile input (issue 19, "Output and injection" in docs/security.md): a package index that
links to local files, and names and versions that carry terminal escapes, GitHub workflow
commands or markup. Everything hostile is built here; the index runs on 127.0.0.1."""

import os
import re
import unittest

import support
from index_server import IndexServer


class HostileIndexTest(support.BinaryTestCase):
    """A remote index must not make `predict` open local files."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.wheels = os.path.join(cls.tmp, "wheels")
        wheel = support.make_wheel(cls.wheels, "evil", "1.0", {"evil/__init__.py": b"x" * 100})
        cls.filename = os.path.basename(wheel)
        cls.requirements = os.path.join(cls.tmp, "requirements.txt")
        support.write_file(cls.requirements, b"evil==1.0\n")

    def predict(self, server):
        return support.run_pkgsizer(["predict", self.requirements, "-i", server.index_url,
                                     "--no-cache", "--no-compile"])

    def test_a_file_url_in_a_remote_page_is_refused_not_read(self):
        for target in ("file:///etc/passwd", "file:///dev/zero", "FILE:///proc/self/environ",
                       "gopher://127.0.0.1/x"):
            for json_pages in (True, False):  # PEP 691 and PEP 503
                with self.subTest(target=target, json=json_pages):
                    with IndexServer(self.wheels, file_urls={self.filename: target},
                                     json=json_pages) as server:
                        proc = self.predict(server)
                    self.assertEqual(proc.returncode, support.EXIT_NO_ENV, support.describe(proc))
                    self.assertIn("refusing the link", proc.stderr)
                    # Nothing was read: no size, no "not a zip file" about the local file.
                    self.assertNotIn("bytes", proc.stderr)
                    self.assertNotIn("zip", proc.stderr)
                    self.assertEqual(proc.stderr.count("\n"), 1, support.describe(proc))

    def test_a_local_find_links_directory_still_works(self):
        proc = support.run_pkgsizer(["predict", self.requirements, "--no-index", "-f",
                                     self.wheels, "--no-compile"])
        self.assertEqual(proc.returncode, support.EXIT_OK, support.describe(proc))


if __name__ == "__main__":
    unittest.main()
