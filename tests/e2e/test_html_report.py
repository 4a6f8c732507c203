"""The self-contained HTML report (`scan-env --html`, `compare --html`), checked in a real
browser: Debian's chromium, headless, driven over the DevTools pipe (browser.py). One browser
for the whole module: every check loads a file into the same page.

What holds: every distribution is in the page, the totals are the JSON scan's, the treemap's
tiles have areas proportional to their bytes, names from the environment are text (a name that
is markup stays text and fetches nothing), no console error and no network request, phone width
without horizontal scrolling, dark mode, a print layout (and a PDF from it), and the
2000-distribution synthetic tree's report stays under 1.5 MB and lays out in under a second.

PKGSIZER_SCREENSHOT_DIR=DIR keeps screenshots of the pages there, to look at.
"""

import json
import os
import subprocess
import sys
import unittest

from browser import Browser
from support import (EXIT_OK, REPO_ROOT, BinaryTestCase, describe, run_pkgsizer, scan_json,
                     SiteTree)

HOSTILE = 'evil</script><img src="http://127.0.0.1:9/x" onerror="document.title=1">&amp;'

_browser = None


def setUpModule():
    global _browser
    _browser = Browser()


def tearDownModule():
    if _browser:
        _browser.close()


def screenshot(name):
    directory = os.environ.get("PKGSIZER_SCREENSHOT_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        print("screenshot:", _browser.screenshot(os.path.join(directory, name)), file=sys.stderr)


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
  };
})()"""


class ScanReportTest(BinaryTestCase):

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
        tree.dist_info(HOSTILE, "6.6", {"evil_pkg/__init__.py": 20_000},
                       dirname="evil_pkg-6.6.dist-info")
        cls.html = os.path.join(cls.tmp, "report.html")
        cls.cache = os.path.join(cls.tmp, "cache")
        cls.model, cls.proc = scan_json(None, ["--site-packages", cls.site, "--cache-dir", cls.cache,
                                               "--html", cls.html])

    def load(self, **kwargs):
        ready, seconds = _browser.load(self.html, **kwargs)
        self.assertEqual(ready, "1", "the page's script did not finish")
        return seconds

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
        facts = _browser.evaluate(PAGE_FACTS)
        expected = sorted(d["name"] for d in self.model["distributions"])
        self.assertEqual(sorted(facts["names"]), expected)
        self.assertEqual(sorted(facts["data_names"]), expected)
        totals = self.model["totals"]
        self.assertEqual(facts["selected"], totals["selected"]["apparent_bytes"])
        self.assertEqual(facts["all"], totals["all"]["apparent_bytes"])
        self.assertEqual(facts["all_disk"], totals["all"]["disk_bytes"])
        self.assertIn("du -sb", facts["reconcile"])
        self.assertEqual(_browser.problems(), [])
        screenshot("scan-1280x800.png")

    def test_the_hostile_name_is_text(self):
        self.load()
        facts = _browser.evaluate(PAGE_FACTS)
        self.assertIn(HOSTILE, facts["names"])
        self.assertEqual(facts["images"], 0)
        self.assertEqual(facts["scripts"], 2)
        self.assertNotEqual(facts["title"], "1")
        self.assertEqual(_browser.problems(), [], "no request, no error")

    def test_treemap_areas_are_proportional_to_bytes(self):
        self.load()
        facts = _browser.evaluate(PAGE_FACTS)
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

    def test_disk_toggle_zoom_why_sort_filter(self):
        self.load()
        facts = _browser.evaluate(r"""(() => {
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
        self.assertEqual(_browser.problems(), [])

    def test_phone_width_dark_and_print(self):
        self.load(width=390, height=800, mobile=True)
        self.assertLessEqual(_browser.evaluate(PAGE_FACTS)["scroll_width"], 390)
        screenshot("scan-phone.png")
        self.load(dark=True)
        background = _browser.evaluate("getComputedStyle(document.body).backgroundColor")
        self.assertEqual(background, "rgb(17, 24, 39)")
        screenshot("scan-dark.png")
        self.load(media="print")
        hidden = _browser.evaluate("getComputedStyle(document.getElementById('filter')).display")
        self.assertEqual(hidden, "none")
        self.assertTrue(_browser.pdf().startswith(b"%PDF-"))
        self.assertEqual(_browser.problems(), [])


class LargeReportTest(BinaryTestCase):
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
        ready, wall_seconds = _browser.load(html)
        self.assertEqual(ready, "1")
        seconds = _browser.ready_seconds()
        self.assertLess(seconds, 1.0, "from the start of navigation to laid out")
        facts = _browser.evaluate(PAGE_FACTS)
        self.assertEqual(len(facts["names"]), 2000)
        self.assertEqual(_browser.problems(), [])
        screenshot("synthetic-2000.png")
        print(f"2000 distributions: {size} bytes, laid out in {seconds:.2f} s "
              f"({wall_seconds:.2f} s through DevTools)", file=sys.stderr)


class CompareReportTest(BinaryTestCase):

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
        ready, _ = _browser.load(html)
        self.assertEqual(ready, "1")
        rows = _browser.evaluate(r"""Array.from(document.querySelectorAll("#changes tbody tr"))
            .map(tr => Array.from(tr.children).map(td => td.textContent))""")
        by_name = {row[1]: row for row in rows}
        self.assertEqual(sorted(by_name), sorted(["kept", "gone", HOSTILE]))
        self.assertEqual(by_name["gone"][0], "removed")
        self.assertEqual(by_name["kept"][2], "1.0 → 1.1")
        self.assertEqual(_browser.evaluate("document.querySelectorAll('img').length"), 0)
        self.assertEqual(_browser.problems(), [])
        screenshot("compare.png")

    def test_unwritable_html_is_exit_5(self):
        proc = run_pkgsizer(["scan-env", "--site-packages", self.tmp, "--no-cache",
                             "--html", os.path.join(self.tmp, "no", "such", "dir", "r.html")])
        self.assertEqual(proc.returncode, 5, describe(proc))


if __name__ == "__main__":
    unittest.main()
