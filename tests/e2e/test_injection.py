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


# What a terminal or a GitHub runner would act on: ESC/BEL/CSI (ECMA-48), CR, and a line that
# starts with "::" (a workflow command).
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]")
HOSTILE_NAME = "evil\x1b]0;owned\x07\x1b[2J<script>alert(1)</script>\r::error::name"
HOSTILE_VERSION = "1.0\r::warning::X"
HOSTILE_LABEL = "lab\x1b]0;owned\x07\x1b[2J\u202e"


class HostileMetadataTest(support.BinaryTestCase):
    """A METADATA whose Name and Version carry terminal escapes, workflow commands and HTML."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tree = support.SiteTree(os.path.join(cls.tmp, "env"))
        tree.dist_info(HOSTILE_NAME, HOSTILE_VERSION, {"evil/__init__.py": b"x" * 5000},
                       dirname="evil-1.0.dist-info")
        tree.dist_info("fine", "2.0", {"fine/__init__.py": b"y" * 100})
        cls.site = tree.site
        cls.project = os.path.join(cls.tmp, "project")
        support.write_file(os.path.join(cls.project, "pkgsizer.toml"),
                           b'[budget]\nper_package = "1kB"\n')
        cls.env = {"PKGSIZER_HISTORY": os.path.join(cls.tmp, "history.sqlite3"),
                   "PKGSIZER_CACHE_DIR": os.path.join(cls.tmp, "cache"),
                   "GITHUB_STEP_SUMMARY": None}

    def run_ok(self, args, expect_rc=support.EXIT_OK):
        proc = support.run_pkgsizer(args, env=self.env, cwd=self.project)
        self.assertEqual(proc.returncode, expect_rc, support.describe(proc))
        return proc

    def assert_inert_text(self, text):
        self.assertIsNone(CONTROL.search(text), repr(text))
        self.assertNotIn("\u202e", text)
        for line in text.splitlines():
            self.assertFalse(line.lstrip().startswith("::"), repr(line))

    def assert_inert_markup(self, text):
        self.assert_inert_text(text)
        self.assertNotIn("<script", text)
        self.assertNotIn("</script", text)

    def test_the_scan_env_table_shows_escapes_visibly(self):
        for color in ("never", "always"):
            with self.subTest(color=color):
                out = self.run_ok(["scan-env", "--site-packages", self.site, "--color", color]).stdout
                if color == "always":  # our own colours are the only escapes left
                    out = re.sub(r"\x1b\[[0-9;]*m", "", out)
                self.assert_inert_text(out)
                self.assertIn("evil\\x1b]0;owned\\x07\\x1b[2J", out)
                self.assertIn("1.0\\r::warning::X", out)

    def test_the_scan_env_tree_and_deps_tree_show_escapes_visibly(self):
        for extra in (["--tree"], ["--deps-tree"]):
            with self.subTest(extra=extra):
                out = self.run_ok(["scan-env", "--site-packages", self.site, "--color", "never"]
                                  + extra).stdout
                self.assert_inert_text(out)

    def test_markdown_escapes_markup(self):
        out = self.run_ok(["scan-env", "--site-packages", self.site, "--markdown", "-"]).stdout
        self.assert_inert_markup(out)
        self.assertIn("&lt;script&gt;", out)
        self.assertEqual(len([l for l in out.splitlines() if l.startswith("| ")]), 3, out)

    def test_check_budget_text_markdown_and_github(self):
        base = ["check-budget", "--site-packages", self.site]
        text = self.run_ok(base + ["--color", "never"]).stdout
        self.assert_inert_text(text)
        markdown = self.run_ok(base + ["--format", "markdown"]).stdout
        self.assert_inert_markup(markdown)
        github = self.run_ok(base + ["--format", "github"]).stdout
        self.assertIsNone(CONTROL.search(github), repr(github))
        commands = [line for line in github.splitlines() if line.lstrip().startswith("::")]
        # Only pkgsizer's own annotations: one error for the package over its budget.
        self.assertEqual(len(commands), 1, github)
        self.assertTrue(commands[0].startswith("::error "), commands[0])

    def test_track_history_and_show_print_labels_visibly(self):
        self.run_ok(["track", "snapshot", HOSTILE_LABEL, "--site-packages", self.site, "-q"])
        for args in (["history"], ["show", "1"], ["delete", "1"]):
            with self.subTest(args=args):
                out = self.run_ok(["track"] + args + ["--color", "never"]
                                  if args[0] != "delete" else ["track"] + args).stdout
                self.assert_inert_text(out)
                self.assertIn("lab\\x1b]0;owned\\x07\\x1b[2J\\u202e", out)


if __name__ == "__main__":
    unittest.main()
