"""`pkgsizer browse` in a real terminal (terminal.py: tmux on a socket of its own, keys sent
with send-keys, the screen read with capture-pane -p), checked after each key: the rows and
their order, descending and going back, sort, apparent / disk, why, search, help, a resize to
80x24, ASCII bars without a UTF-8 locale, a name holding terminal escapes, and the exit code
after q.
"""

import os
import time
import unittest

from support import (BIN, EXIT_USAGE, BinaryTestCase, describe, run_pkgsizer, SiteTree)
from terminal import Terminal, stop_tmux_server

HOSTILE = "evil\x1b]0;pwned\x07name"

tearDownModule = stop_tmux_server


def selected_row(lines):
    return next((line for line in lines if line.startswith(">")), None)


def row_names(lines):
    """The name column of the rows (the word after the file count)."""
    names = []
    for line in lines[2:-1]:
        parts = line[1:].split()
        if len(parts) >= 4 and ("[" in line):
            names.append(line.split("] ", 1)[1].split()[1])
    return names


class BrowseTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tree = SiteTree(os.path.join(cls.tmp, "env"))
        cls.site = tree.site
        tree.dist_info("app", "1.0", {"app/__init__.py": 3000, "app/core.py": 40_000,
                                      "app/data/table.bin": 120_000}, requires=["libbig", "small"],
                       requested=True)
        tree.dist_info("libbig", "2.0", {"libbig/__init__.py": 100,
                                         "libbig/_native.cpython-311-x86_64-linux-gnu.so": 500_000,
                                         "libbig/sub/__init__.py": 10, "libbig/sub/m.py": 60_000},
                       requires=["small"])
        tree.dist_info("small", "0.1", {"small.py": 5_000})
        tree.dist_info(HOSTILE, "6.6", {"evil_pkg/__init__.py": 1_000},
                       dirname="evil_pkg-6.6.dist-info")
        cls.cache = os.path.join(cls.tmp, "cache")

    def start(self, name, locale="C.UTF-8", width=100, height=30):
        command = (f"env LC_ALL={locale} TERM=screen {BIN} browse --site-packages {self.site} "
                   f"--cache-dir {self.cache}")
        terminal = Terminal(name, command, width, height)
        self.addCleanup(terminal.close)
        return terminal

    def test_navigation_sort_disk_why_search_help_resize_quit(self):
        t = self.start("main")
        lines = t.wait_text("sort: size")
        self.assertIn("pkgsizer browse", lines[0])
        self.assertEqual(row_names(lines)[:3], ["libbig/", "app/", "small/"])
        self.assertIn("libbig/", selected_row(lines))
        self.assertIn("█", "\n".join(lines))
        self.assertTrue(os.path.exists(os.path.join(self.cache, "cache.sqlite3")),
                        "the scan is cached: the next browse opens from it")

        t.keys("Down")
        self.assertIn("app/", selected_row(t.wait_for(lambda l: "app/" in (selected_row(l) or ""), "app selected")))
        t.keys("Enter")
        lines = t.wait_text("/app  ")
        self.assertEqual(sorted(row_names(lines)), sorted(["app/", "(metadata,"]))
        t.keys("Enter")
        lines = t.wait_text("/app/app  ")
        self.assertEqual(row_names(lines), ["data/", "core", "__init__.py"])
        t.keys("Enter")  # data/ holds table.bin
        lines = t.wait_text("/app/app/data  ")
        self.assertEqual(row_names(lines), ["table.bin"])
        t.keys("Enter")  # a file: nothing to open, the screen stays
        time.sleep(0.2)
        self.assertIn("/app/app/data  ", t.screen()[1])
        for _ in range(3):
            t.keys("BSpace")
        lines = t.wait_for(lambda l: l[1].startswith("/  "), "the top")
        self.assertIn("app/", selected_row(lines), "back where it was")

        t.keys("s")
        lines = t.wait_text("sort: name")
        self.assertEqual(row_names(lines)[:3], ["app/", "evil\\x1b]0;pwned\\x07name/", "libbig/"])
        t.keys("s")
        t.wait_text("sort: files")
        t.keys("s")
        t.wait_text("sort: size")
        t.keys("d")
        lines = t.wait_text("disk usage")
        t.keys("d")
        t.wait_text("apparent size")

        t.keys("End")  # small, the smallest but the hostile one? the last row by size
        t.keys("Home", "Down", "Down")
        lines = t.wait_for(lambda l: "small/" in (selected_row(l) or ""), "small selected")
        t.keys("w")
        lines = t.wait_text("Why small 0.1 is installed")
        text = "\n".join(lines)
        self.assertIn("app → small", text)
        self.assertIn("app → libbig → small", text)
        t.keys("x")
        t.wait_text("sort: size")

        t.keys("/", "l", "i", "b")
        t.wait_text("/lib")
        t.keys("Enter")
        lines = t.wait_text("(search: lib)")
        self.assertEqual(row_names(lines), ["libbig/"])
        # One key at a time: the top level's own line also starts with "/  " until Enter is
        # handled, so waiting for it after both keys could read the screen before either.
        t.keys("Enter")
        t.wait_for(lambda l: l[1].startswith("/libbig  "), "libbig opened")
        t.keys("BSpace")
        lines = t.wait_for(lambda l: l[1].startswith("/  "), "the top again")
        self.assertNotIn("(search:", lines[1], "the search belongs to the level it was made on")

        t.keys("?")
        t.wait_text("search this level by name")
        t.keys("x")
        t.wait_text("sort: size")

        t.resize(80, 24)
        lines = t.wait_for(lambda l: len(l) >= 24 and "q quit" in l[23]
                           and any("libbig/" in line for line in l), "the 80x24 layout")
        self.assertTrue(all(len(line) <= 80 for line in lines), "\n".join(lines))
        self.assertIn("libbig/", "\n".join(lines))

        t.keys("q")
        t.wait_text("EXIT=0")

    def test_ascii_without_utf8_locale_and_escaped_names(self):
        t = self.start("ascii", locale="C")
        lines = t.wait_text("sort: size")
        text = "\n".join(lines)
        self.assertIn("#", text)
        self.assertNotIn("█", text)
        self.assertIn("Up/Dn move", lines[-1] if lines[-1] else lines[-2])
        self.assertIn("evil\\x1b]0;pwned\\x07name/", text)
        title = t.display("#{pane_title}")
        self.assertNotIn("pwned", title)
        t.keys("q")
        t.wait_text("EXIT=0")

    def test_no_terminal_is_a_usage_error(self):
        proc = run_pkgsizer(["browse", "--site-packages", self.site, "--cache-dir", self.cache])
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        self.assertIn("needs a terminal", proc.stderr)


if __name__ == "__main__":
    unittest.main()
