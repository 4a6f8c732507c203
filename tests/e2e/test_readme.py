"""The README's sample outputs are the real outputs of the commands they show: each example
block (```, then `$ pkgsizer ...`, then its output) is run against a fixture environment that
has the README's distributions, and its output must have the README's shape — the same lines,
once numbers, sizes, versions, dates and paths are set aside."""

import os
import re
import shutil
import subprocess
import unittest

from support import (REPO_ROOT, BinaryTestCase, describe, run_pkgsizer, SiteTree,
                     venv_site_packages)

# Name, version, size of its one module, requirements. Sizes keep the README's order by size.
DISTRIBUTIONS = [
    ("sympy", "1.14.0", 75_500, []),
    ("cfn-lint", "1.51.0", 38_400, []),
    ("moto", "5.2.1", 37_300, ["requests", "responses"]),
    ("botocore", "1.43.11", 21_200, []),
    ("networkx", "3.6.1", 16_600, []),
    ("trio", "0.31.0", 3_330, ["idna"]),
    ("docker", "7.1.0", 1_160, ["requests"]),
    ("idna", "3.13", 606, []),
    ("requests", "2.32.3", 502, ["idna"]),
    ("responses", "0.25.8", 218, ["requests"]),
]

NUMBER = r"(?<![A-Za-z_])[+-]?\d[\d,.]*(?: ?(?:B|kB|MB|GB|KiB|MiB|GiB|%))?"


def skeleton(line):
    """A line without what differs between two runs: paths, dates, numbers, sizes, versions."""
    line = re.sub(r"(?<![\w.])/[^\s():,]+", "PATH", line)
    line = re.sub(r"\((venv|conda|system|prefix|site-packages), ", "(KIND, ", line)
    line = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d", "DATE", line)
    line = re.sub(NUMBER, "N", line)
    return " ".join(line.split())


def readme_examples():
    """(command, output lines) of every README block that starts with `$ pkgsizer`."""
    with open(os.path.join(REPO_ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    examples = []
    for block in re.findall(r"^```\n(\$ pkgsizer .*?)^```$", text, re.M | re.S):
        lines = block.rstrip("\n").split("\n")
        last = max(i for i, line in enumerate(lines) if line.startswith("$ "))
        examples.append((lines[last][2:], lines[last + 1:]))
    return examples


class ReadmeExamplesTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.venv = os.path.join(cls.tmp, ".venv")
        subprocess.run(["python3", "-m", "venv", "--without-pip", cls.venv], check=True)
        cls.site = SiteTree(venv_site_packages(cls.venv), layout=False)
        for name, version, size, requires in DISTRIBUTIONS:
            module = name.replace("-", "_")
            cls.site.dist_info(name, version, {f"{module}/__init__.py": size}, requires=requires)
        cls.env = {"VIRTUAL_ENV": cls.venv, "PKGSIZER_HISTORY": os.path.join(cls.tmp, "h.sqlite3"),
                   "XDG_CACHE_HOME": os.path.join(cls.tmp, "cache")}
        # track history: a snapshot, then one after six was installed.
        cls.run_ok(["track", "snapshot", "before", "-q"])
        cls.site.dist_info("six", "1.17.0", {"six.py": 381})
        cls.run_ok(["track", "snapshot", "added six", "-q"])
        cls.make_compare_sides()

    @classmethod
    def run_ok(cls, args):
        proc = run_pkgsizer(args, env=cls.env, cwd=cls.tmp)
        assert proc.returncode == 0, describe(proc)
        return proc

    @classmethod
    def make_compare_sides(cls):
        """before.json: two distributions; after.json: requests and its four dependencies more."""
        versions = {"attrs": ("25.3.0", 210_000), "packaging": ("25.0", 420_000),
                    "requests": ("2.32.3", 502_000), "certifi": ("2025.8.3", 290_000),
                    "charset-normalizer": ("3.4.3", 860_000), "idna": ("3.10", 606_000),
                    "urllib3": ("2.5.0", 1_010_000)}
        for side, names in (("before", ["attrs", "packaging"]), ("after", list(versions))):
            tree = SiteTree(os.path.join(cls.tmp, side), layout=False)
            for name in names:
                version, size = versions[name]
                tree.dist_info(name, version, {f"{name.replace('-', '_')}/__init__.py": size})
            out = cls.run_ok(["scan-env", "--site-packages", tree.site, "--json", "-"]).stdout
            with open(os.path.join(cls.tmp, f"{side}.json"), "w") as f:
                f.write(out)

    def test_every_example_has_the_shape_of_the_real_output(self):
        examples = readme_examples()
        self.assertGreaterEqual(len(examples), 4, "the README's examples were not found")
        for command, readme_lines in examples:
            with self.subTest(command=command):
                args = command.split()[1:]
                proc = run_pkgsizer(args, env=self.env, cwd=self.tmp)
                self.assertEqual(proc.returncode, 0, describe(proc))
                real = [skeleton(line) for line in proc.stdout.rstrip("\n").split("\n")]
                shown = [skeleton(line) for line in readme_lines]
                self.assertEqual(shown, real, f"README example `{command}` is not what it "
                                              f"prints:\n{proc.stdout}")


if __name__ == "__main__":
    unittest.main()
