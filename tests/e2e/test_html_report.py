"""The self-contained HTML report (`scan-env --html`, `compare --html`), checked in a real
browser: Debian's chromium, headless, driven over the DevTools pipe (browser.py). One browser
for the whole module: every check loads a file into the same page.

What holds: every distribution is in the page, the totals are the JSON scan's, the treemap's
tiles have areas proportional to their bytes, coloured by kind the bytecode's areas add up to the
.pyc bytes, names from the environment are text (a name that
is markup stays text and fetches nothing), no console error and no network request, phone width
without horizontal scrolling, dark mode, a print layout (and a PDF from it), and the
2000-distribution synthetic tree's report stays under 1.5 MB and lays out in under a second.

PKGSIZER_SCREENSHOT_DIR=DIR keeps screenshots of the pages there, to look at (browser.py).
"""

import json
import os
import subprocess
import sys
import unittest

from browser import PageTestCase, close_shared_browser
from support import EXIT_OK, REPO_ROOT, describe, run_pkgsizer, scan_json, SiteTree

HOSTILE = 'evil</script><img src="http://127.0.0.1:9/x" onerror="document.title=1">&amp;'

tearDownModule = close_shared_browser


# What the page shows, read from its DOM in one evaluation.
PAGE_FACTS = r"""(() => {
  const data = JSON.parse(document.getElementById("pkgsizer-data").textContent).data;
  const svg = document.getElementById("treemap");
  const box = svg.viewBox.baseVal;
  const tiles = Array.from(svg.querySelectorAll('rect[data-level="0"]')).map(r => ({
    name: r.dataset.name, bytes: Number(r.dataset.bytes),
    area: r.width.baseVal.value * r.height.baseVal.value}));
  const summary = document.getElementById("summary").dataset;
  return {
    names: Array.from(document.querySelectorAll("#distributions tbody td.name")).map(td => td.textContent),
    data_names: data.distributions.map(d => d.name),
    selected: Number(summary.selectedBytes), all: Number(summary.allBytes),
    all_disk: Number(summary.allDiskBytes),
    tiles: tiles, plot_area: box.width * box.height,
    images: document.querySelectorAll("img").length,
    scripts: document.querySelectorAll("script").length,
    title: document.title,
    scroll_width: document.documentElement.scrollWidth,
    reconcile: document.getElementById("reconcile").textContent,
    meta: document.querySelector("p.meta").textContent,
  };
})()"""


class ScanReportTest(PageTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        tree = SiteTree(os.path.join(cls.tmp, "env"))
        cls.site = tree.site
        tree.dist_info("app", "1.0", {"app/__init__.py": 3000, "app/core.py": 40_000,
                                      "app/__pycache__/__init__.cpython-311.pyc": 2_000,
                                      "app/__pycache__/core.cpython-311.pyc": 30_000,
                                      "app/data/table.bin": 120_000}, requires=["libbig", "small"],
                       requested=True)
        tree.dist_info("libbig", "2.0", {"libbig/__init__.py": 100,
                                         "libbig/_native.cpython-311-x86_64-linux-gnu.so": 500_000,
                                         "libbig/sub/__init__.py": 10, "libbig/sub/m.py": 60_000,
                                         "libbig/sub/__pycache__/m.cpython-311.pyc": 45_000,
                                         "libbig/sub/__pycache__/m.cpython-311.opt-1.pyc": 44_000},
                       requires=["small"])
        tree.dist_info("small", "0.1", {"small.py": 5_000,
                                        "__pycache__/small.cpython-311.pyc": 4_000})
        tree.dist_info(HOSTILE, "6.6", {"evil_pkg/__init__.py": 20_000},
                       dirname="evil_pkg-6.6.dist-info")
        cls.html = os.path.join(cls.tmp, "report.html")
        cls.cache = os.path.join(cls.tmp, "cache")
        cls.model, cls.proc = scan_json(None, ["--site-packages", cls.site, "--cache-dir", cls.cache,
                                               "--html", cls.html])

    def load(self, **kwargs):
        return self.load_page(self.html, **kwargs)

    def test_written_and_named(self):
        self.assertIn(f"wrote {self.html}", self.proc.stderr, describe(self.proc))
        with open(self.html, encoding="utf-8") as f:
            text = f.read()
        # One file: the page itself (all but its data) names nothing to load: no src=, no href=,
        # no @import, no url(), no address but the SVG namespace's.
        data_start = text.index('<script type="application/json"')
        data_end = text.index("</script>", data_start)
        page = (text[:data_start] + text[data_end:]).replace("http://www.w3.org/2000/svg", "")
        for needle in ("src=", "href=", "@import", "url(", "http://", "https://"):
            self.assertNotIn(needle, page, needle)
        # The hostile name cannot close the data element.
        self.assertEqual(text.count("</script>"), 2)
        self.assertNotIn("<img", text)

    def test_every_distribution_and_the_totals(self):
        self.load()
        facts = self.browser.evaluate(PAGE_FACTS)
        expected = sorted(d["name"] for d in self.model["distributions"])
        self.assertEqual(sorted(facts["names"]), expected)
        self.assertEqual(sorted(facts["data_names"]), expected)
        totals = self.model["totals"]
        self.assertEqual(facts["selected"], totals["selected"]["apparent_bytes"])
        self.assertEqual(facts["all"], totals["all"]["apparent_bytes"])
        self.assertEqual(facts["all_disk"], totals["all"]["disk_bytes"])
        self.assertIn("du -sb", facts["reconcile"])
        self.assertIn(" · site-packages · Python 3.11", facts["meta"])  # the kind by its name
        self.assert_clean()
        self.screenshot("scan-1280x800.png")

    def test_the_hostile_name_is_text(self):
        self.load()
        facts = self.browser.evaluate(PAGE_FACTS)
        self.assertIn(HOSTILE, facts["names"])
        self.assertEqual(facts["images"], 0)
        self.assertEqual(facts["scripts"], 2)
        self.assertNotEqual(facts["title"], "1")
        self.assert_clean()  # no request, no error

    def test_treemap_areas_are_proportional_to_bytes(self):
        self.load()
        facts = self.browser.evaluate(PAGE_FACTS)
        tiles = facts["tiles"]
        self.assertEqual(len(tiles), len(self.model["distributions"]))
        total = sum(t["bytes"] for t in tiles)
        self.assertEqual(total, self.model["totals"]["selected"]["apparent_bytes"])
        for tile in tiles:
            expected = facts["plot_area"] * tile["bytes"] / total
            self.assertAlmostEqual(tile["area"] / expected, 1.0, delta=0.01, msg=tile["name"])
        by_name = {t["name"]: t["bytes"] for t in tiles}
        for dist in self.model["distributions"]:
            self.assertEqual(by_name[dist["name"]], dist["apparent_bytes"], dist["name"])

    def test_bytecode_is_its_own_kind(self):
        """Coloured by kind, every tile is split into its kinds: the bytecode rectangles' areas
        add up to the .pyc files' bytes (found here by walking the tree), in both size modes."""
        pyc = [0, 0]
        for directory, _, names in os.walk(self.site):
            for name in names:
                if name.endswith(".pyc"):
                    info = os.lstat(os.path.join(directory, name))
                    pyc[0] += info.st_size
                    pyc[1] += info.st_blocks * 512
        self.assertGreater(pyc[0], 100_000)
        self.load()
        facts = self.browser.evaluate(r"""(() => {
          const out = {};
          const color = document.getElementById("color");
          color.value = "kind"; color.dispatchEvent(new Event("change"));
          out.legend = Array.from(document.querySelectorAll("#legend span")).map(s => s.textContent);
          const areas = () => {
            const box = document.getElementById("treemap").viewBox.baseVal;
            const area = r => r.width.baseVal.value * r.height.baseVal.value;
            const sum = (selector) => Array.from(document.querySelectorAll(selector)).reduce((t, r) => t + area(r), 0);
            return {plot: box.width * box.height, bytecode: sum('#treemap rect[data-kind="b"]'),
                    kinds: sum("#treemap rect[data-kind]"),
                    count: document.querySelectorAll('#treemap rect[data-kind="b"]').length};
          };
          out.apparent = areas();
          const mode = document.getElementById("mode");
          mode.value = "1"; mode.dispatchEvent(new Event("change"));
          out.disk = areas();
          mode.value = "0"; mode.dispatchEvent(new Event("change"));
          // Zoomed into app: its tiles (app, metadata) split too; app's bytecode is 32 kB of it.
          Array.from(document.querySelectorAll('#treemap rect[data-level="0"]'))
            .find(r => r.dataset.name === "app").dispatchEvent(new MouseEvent("click"));
          out.zoomed = Array.from(document.querySelectorAll('#treemap rect[data-kind="b"]'))
            .map(r => Number(r.dataset.bytes)).reduce((t, b) => t + b, 0);
          return out;
        })()""")
        self.screenshot("scan-kinds.png")
        self.assertIn("bytecode", facts["legend"])
        totals = self.model["totals"]["selected"]
        for mode, whole, expected in (("apparent", totals["apparent_bytes"], pyc[0]),
                                      ("disk", totals["disk_bytes"], pyc[1])):
            areas = facts[mode]
            self.assertGreaterEqual(areas["count"], 3, mode)  # app, libbig and small have some
            self.assertAlmostEqual(areas["bytecode"] / (areas["plot"] * expected / whole), 1.0,
                                   delta=0.01, msg=mode)
            # The kinds fill the plot: every byte is of one kind.
            self.assertAlmostEqual(areas["kinds"] / areas["plot"], 1.0, delta=0.01, msg=mode)
        self.assertEqual(facts["zoomed"], 32_000)
        self.assert_clean()

    def test_disk_toggle_zoom_why_sort_filter(self):
        self.load()
        facts = self.browser.evaluate(r"""(() => {
          const out = {};
          const mode = document.getElementById("mode");
          mode.value = "1"; mode.dispatchEvent(new Event("change"));
          out.disk = Array.from(document.querySelectorAll('#treemap rect[data-level="0"]'))
            .map(r => [r.dataset.name, Number(r.dataset.bytes)]);
          mode.value = "0"; mode.dispatchEvent(new Event("change"));
          const tile = Array.from(document.querySelectorAll('#treemap rect[data-level="0"]'))
            .find(r => r.dataset.name === "libbig");
          tile.dispatchEvent(new MouseEvent("click"));
          out.crumbs = document.getElementById("crumbs").textContent;
          out.zoomed = Array.from(document.querySelectorAll('#treemap rect[data-level="0"]')).map(r => r.dataset.name);
          out.why = document.getElementById("why").textContent;
          const color = document.getElementById("color");
          color.value = "kind"; color.dispatchEvent(new Event("change"));
          out.legend = document.getElementById("legend").textContent;
          document.querySelector('th[data-key="name"]').dispatchEvent(new MouseEvent("click"));
          out.sorted = Array.from(document.querySelectorAll("#distributions tbody td.name")).map(td => td.textContent);
          const filter = document.getElementById("filter");
          filter.value = "SMA"; filter.dispatchEvent(new Event("input"));
          out.visible = Array.from(document.querySelectorAll("#distributions tbody tr"))
            .filter(tr => tr.style.display !== "none").map(tr => tr.querySelector("td.name").textContent);
          return out;
        })()""")
        disk = dict(facts["disk"])
        for dist in self.model["distributions"]:
            self.assertEqual(disk[dist["name"]], dist["disk_bytes"], dist["name"])
        self.assertIn("libbig", facts["crumbs"])
        self.assertIn("libbig", facts["zoomed"])  # its package, beside "(metadata, scripts)"
        self.assertIn("(metadata, scripts)", facts["zoomed"])
        self.assertIn("app → libbig", facts["why"])
        self.assertIn("native libraries", facts["legend"])
        self.assertEqual(facts["sorted"], sorted(facts["sorted"], key=str.lower))
        self.assertEqual(facts["visible"], ["small"])
        self.assert_clean()

    def test_phone_width_dark_and_print(self):
        self.load(width=390, height=800, mobile=True)
        self.assertLessEqual(self.browser.evaluate(PAGE_FACTS)["scroll_width"], 390)
        self.screenshot("scan-phone.png")
        self.load(dark=True)
        background = self.browser.evaluate("getComputedStyle(document.body).backgroundColor")
        self.assertEqual(background, "rgb(17, 24, 39)")
        self.screenshot("scan-dark.png")
        self.load(media="print")
        hidden = self.browser.evaluate("getComputedStyle(document.getElementById('filter')).display")
        self.assertEqual(hidden, "none")
        self.assertTrue(self.browser.pdf().startswith(b"%PDF-"))
        self.assert_clean()


class LargeReportTest(PageTestCase):
    """The synthetic generator's 2000 distributions (fewer files each than the benchmark's 200:
    the page's size depends on the distributions and their module trees, not on file counts)."""

    def test_2000_distributions_small_and_fast(self):
        tree = os.path.join(self.tmp, "synthetic")
        subprocess.run([sys.executable, os.path.join(REPO_ROOT, "benchmarks", "gen_site_packages.py"),
                        tree, "--distributions", "2000", "--files-per-dist", "5", "--jobs", "2"],
                       check=True, capture_output=True, timeout=300)
        html = os.path.join(self.tmp, "synthetic.html")
        proc = run_pkgsizer(["scan-env", "--site-packages", tree, "--no-cache", "-q", "--html", html],
                            timeout=300)
        self.assertIn(proc.returncode, (EXIT_OK, 6), describe(proc))
        size = os.path.getsize(html)
        self.assertLessEqual(size, 1_500_000)
        wall_seconds = self.load_page(html)
        seconds = self.browser.ready_seconds()
        self.assertLess(seconds, 1.0, "from the start of navigation to laid out")
        facts = self.browser.evaluate(PAGE_FACTS)
        self.assertEqual(len(facts["names"]), 2000)
        self.assert_clean()
        self.screenshot("synthetic-2000.png")
        print(f"2000 distributions: {size} bytes, laid out in {seconds:.2f} s "
              f"({wall_seconds:.2f} s through DevTools)", file=sys.stderr)


class CompareReportTest(PageTestCase):

    def test_compare_html(self):
        before = SiteTree(os.path.join(self.tmp, "before"))
        before.dist_info("kept", "1.0", {"kept/__init__.py": 1000})
        before.dist_info("gone", "1.0", {"gone/__init__.py": 2000})
        after = SiteTree(os.path.join(self.tmp, "after"))
        after.dist_info("kept", "1.1", {"kept/__init__.py": 5000})
        after.dist_info(HOSTILE, "1.0", {"evil_pkg/__init__.py": 300}, dirname="evil_pkg-1.0.dist-info")
        html = os.path.join(self.tmp, "diff.html")
        proc = run_pkgsizer(["compare", before.site, after.site, "--no-cache", "--html", html])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn(f"wrote {html}", proc.stderr)
        self.load_page(html)
        rows = self.browser.evaluate(r"""Array.from(document.querySelectorAll("#changes tbody tr"))
            .map(tr => Array.from(tr.children).map(td => td.textContent))""")
        by_name = {row[1]: row for row in rows}
        self.assertEqual(sorted(by_name), sorted(["kept", "gone", HOSTILE]))
        self.assertEqual(by_name["gone"][0], "removed")
        self.assertEqual(by_name["kept"][2], "1.0 → 1.1")
        self.assertEqual(self.browser.evaluate("document.querySelectorAll('img').length"), 0)
        self.assert_clean()
        self.screenshot("compare.png")

    def test_unwritable_html_is_exit_5(self):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.tmp, "--no-cache",
                             "--html", os.path.join(self.tmp, "no", "such", "dir", "r.html")])
        self.assertEqual(proc.returncode, 5, describe(proc))


if __name__ == "__main__":
    unittest.main()
