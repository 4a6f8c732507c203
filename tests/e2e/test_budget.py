"""`pkgsizer check-budget`: budgets from pkgsizer.toml and pyproject.toml checked against a real
venv, every output format, exit codes 0/1/2/3, baselines, and the integrations at the root of
the repository (.pre-commit-hooks.yaml with the real `pre-commit`, action.yml, the GitLab
template) run the way their hosts run them."""

import json
import os
import re
import shutil
import subprocess
import unittest
import xml.etree.ElementTree as ET

from support import (BIN, REPO_ROOT, base_env, describe, dists_by_name, make_tempdir, make_venv,
                     make_wheel, payload, pip_install, remove_tree, require_binary, run_pkgsizer,
                     scan_json, SiteTree, write_file)

EXIT_OK, EXIT_EXCEEDED, EXIT_CONFIG, EXIT_NO_ENV, EXIT_NOT_FOUND = 0, 1, 2, 3, 9

WHEELS = [
    # name in METADATA, version, files
    ("alpha", "1.0", {"alpha/__init__.py": "", "alpha/data.bin": payload(300_000, "alpha")}),
    ("beta", "2.0", {"beta/__init__.py": "", "beta/data.bin": payload(60_000, "beta")}),
    ("Gamma.Pkg", "0.1", {"gamma_pkg/__init__.py": "x = 1\n"}),
]


def toml_budget(**keys):
    """A [budget] table; `packages` (a dict) becomes [budget.packages]. Values are TOML text."""
    packages = keys.pop("packages", None)
    text = "[budget]\n" + "".join(f"{key} = {value}\n" for key, value in keys.items())
    if packages:
        text += "\n[budget.packages]\n" + "".join(f'"{n}" = {v}\n' for n, v in packages.items())
    return text


def bytes_(n):
    """A size as TOML: an integer number of bytes."""
    return str(int(n))


class BudgetTestBase(unittest.TestCase):
    """A venv with three small distributions (besides pip and setuptools), built once."""

    @classmethod
    def setUpClass(cls):
        require_binary()
        cls.root = make_tempdir("pkgsizer-budget-")
        cls.addClassCleanup(remove_tree, cls.root)
        wheels = os.path.join(cls.root, "wheels")
        for name, version, files in WHEELS:
            make_wheel(wheels, name, version, files)
        cls.venv = make_venv(os.path.join(cls.root, "venv"))
        pip_install(cls.venv, wheels, "alpha", "beta", "Gamma.Pkg")
        # Every store a run may touch lives under the class's directory.
        cls.home = os.path.join(cls.root, "home")
        os.makedirs(cls.home)
        cls.history = os.path.join(cls.root, "history.sqlite3")
        cls.run_env = {"HOME": cls.home,
                       "XDG_CACHE_HOME": os.path.join(cls.root, "xdg-cache"),
                       "XDG_DATA_HOME": os.path.join(cls.root, "xdg-data"),
                       "PKGSIZER_CACHE_DIR": os.path.join(cls.root, "cache"),
                       "PKGSIZER_HISTORY": cls.history,
                       "GITHUB_STEP_SUMMARY": None}
        # The integrations call `pkgsizer` by name: a directory for PATH where it has that name.
        cls.bin_dir = os.path.join(cls.root, "bin")
        os.makedirs(cls.bin_dir)
        os.symlink(os.path.realpath(BIN), os.path.join(cls.bin_dir, "pkgsizer"))
        model, _ = scan_json(None, ["--venv", cls.venv], env=cls.run_env)
        cls.scan = model
        cls.total = model["totals"]["selected"]["apparent_bytes"]
        cls.sizes = {name: d["apparent_bytes"] for name, d in dists_by_name(model).items()}
        assert {"alpha", "beta", "gamma-pkg"} <= set(cls.sizes), cls.sizes

    def setUp(self):
        self.project = make_tempdir("pkgsizer-budget-project-")
        self.addCleanup(remove_tree, self.project)

    def write_config(self, text, name="pkgsizer.toml", directory=None):
        return write_file(os.path.join(directory or self.project, name), text)

    def check(self, *args, cwd=None, env=None, venv=True):
        overrides = dict(self.run_env)
        overrides.update(env or {})
        return run_pkgsizer(["check-budget"] + (["--venv", self.venv] if venv else []) + list(args),
                            env=overrides, cwd=cwd or self.project)

    def check_json(self, *args, expect_rc=EXIT_OK, **kwargs):
        proc = self.check("--format", "json", *args, **kwargs)
        self.assertEqual(proc.returncode, expect_rc, describe(proc))
        return json.loads(proc.stdout)

    def assert_config_error(self, proc, prefix):
        """Exit 2 and exactly one line on stderr: 'pkgsizer: error: PREFIX...'."""
        self.assertEqual(proc.returncode, EXIT_CONFIG, describe(proc))
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        self.assertEqual(len(lines), 1, describe(proc))
        self.assertTrue(lines[0].startswith("pkgsizer: error: " + prefix), describe(proc))
        self.assertEqual(proc.stdout, "", describe(proc))
        return lines[0]


class CheckBudgetTest(BudgetTestBase):

    # -- verdicts and exit codes ---------------------------------------------------------------

    def test_within_budget_exits_0(self):
        self.write_config(toml_budget(total=bytes_(self.total * 2)))
        proc = self.check()
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("✅", proc.stdout)
        self.assertIn("Within budget", proc.stdout)
        self.assertNotIn("❌", proc.stdout)
        self.assertIn("Budget pkgsizer.toml for " + self.venv, proc.stdout)
        proc = self.check("--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))

    def test_over_budget_exits_1_only_with_fail_on_exceed(self):
        self.write_config(toml_budget(total=bytes_(self.total // 2)))
        proc = self.check()
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("❌", proc.stdout)
        self.assertIn("Over budget: 1 failed.", proc.stdout)
        proc = self.check("--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertIn("❌", proc.stdout)

    def test_near_the_limit_warns_and_passes(self):
        self.write_config(toml_budget(total=bytes_(self.total / 0.95), warn_at='"90%"'))
        proc = self.check("--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("⚠️", proc.stdout)
        self.assertIn("near the limit", proc.stdout)
        # warn_at above the share used: no warning.
        self.write_config(toml_budget(total=bytes_(self.total / 0.95), warn_at='"99%"'))
        self.assertIn("✅ Within budget", self.check().stdout)

    def test_json_rules_worst_first_with_normalized_names_and_units(self):
        alpha, beta, gamma = self.sizes["alpha"], self.sizes["beta"], self.sizes["gamma-pkg"]
        self.write_config(toml_budget(
            total=bytes_(self.total * 10),
            per_package='"100MiB"',
            packages={"ALPHA": bytes_(alpha - 1),                     # over by one byte: fail
                      "Beta": f'"{beta / 1024 / 0.95:.3f}KiB"',       # 95%: warn
                      "gamma_pkg": '"1MB"',                           # far below: ok
                      "not-installed-here": '"1kB"'}))
        report = self.check_json()
        self.assertEqual(report["schema_version"], 1)
        self.assertEqual(report["status"], "fail")
        self.assertEqual(report["config"], "pkgsizer.toml")
        self.assertEqual(report["total_bytes"], self.total)
        rules = report["rules"]
        by_subject = {(r["rule"], r["subject"]): r for r in rules}
        self.assertEqual(by_subject[("package", "alpha")]["status"], "fail")
        self.assertEqual(by_subject[("package", "alpha")]["used_bytes"], alpha)
        self.assertEqual(by_subject[("package", "alpha")]["limit_bytes"], alpha - 1)
        self.assertEqual(by_subject[("package", "beta")]["status"], "warn")
        gamma_rule = by_subject[("package", "Gamma.Pkg")]
        self.assertEqual(gamma_rule["status"], "ok")
        self.assertEqual(gamma_rule["used_bytes"], gamma)
        self.assertEqual(gamma_rule["limit_bytes"], 1_000_000)
        missing = by_subject[("package", "not-installed-here")]
        self.assertEqual((missing["installed"], missing["status"], missing["used_bytes"]), (False, "ok", 0))
        # per_package covers pip and setuptools, within 100 MiB: one summary line.
        summary = [r for r in rules if r["rule"] == "per_package"]
        self.assertEqual(len(summary), 1, rules)
        self.assertEqual(summary[0]["limit_bytes"], 100 * 1024 * 1024)
        self.assertEqual(summary[0]["distributions"], len(self.sizes) - 3)
        # Worst first: fail, warn, ok; within a status by percentage.
        rank = {"fail": 0, "warn": 1, "ok": 2}
        keys = [(rank[r["status"]], -(r["percent"] or 0)) for r in rules]
        self.assertEqual(keys, sorted(keys), rules)
        self.assertEqual(report["counts"], {"fail": 1, "warn": 1, "ok": len(rules) - 2})

    def test_per_package_lists_each_distribution_over_it(self):
        self.write_config(toml_budget(per_package=bytes_(self.sizes["alpha"] - 1)))
        report = self.check_json()
        failed = {r["subject"] for r in report["rules"] if r["status"] == "fail"}
        self.assertIn("alpha", failed)
        self.assertNotIn("beta", failed)
        for rule in report["rules"]:
            self.assertEqual(rule["rule"], "per_package")

    # -- output formats ------------------------------------------------------------------------

    def over_and_near_budget(self):
        self.write_config(toml_budget(total=bytes_(self.total / 0.95),
                                      packages={"alpha": bytes_(self.sizes["alpha"] // 2)}))

    def test_junit_parses_with_one_testcase_per_rule(self):
        self.over_and_near_budget()
        proc = self.check("--format", "junit")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        root = ET.fromstring(proc.stdout)
        suites = root.findall("testsuite") if root.tag == "testsuites" else [root]
        self.assertEqual([s.get("name") for s in suites], ["pkgsizer budget"])
        cases = suites[0].findall("testcase")
        self.assertEqual(len(cases), 2)
        self.assertEqual(suites[0].get("tests"), "2")
        self.assertEqual(suites[0].get("failures"), "1")
        failing = [c for c in cases if c.find("failure") is not None]
        self.assertEqual([c.get("name") for c in failing], ["package: alpha"])
        self.assertIn("over its budget", failing[0].find("failure").get("message"))
        warning = [c for c in cases if c.get("name") == "total"][0]
        self.assertIsNone(warning.find("failure"))
        self.assertTrue(warning.find("system-out").text.startswith("warning: "))

    def test_github_annotations_and_step_summary(self):
        self.over_and_near_budget()
        summary = write_file(os.path.join(self.project, "summary.md"), "earlier step\n")
        proc = self.check("--format", "github", "--fail-on-exceed", env={"GITHUB_STEP_SUMMARY": summary})
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        errors = [l for l in proc.stdout.splitlines() if l.startswith("::error ")]
        warnings = [l for l in proc.stdout.splitlines() if l.startswith("::warning ")]
        self.assertEqual(len(errors), 1, describe(proc))
        self.assertEqual(len(warnings), 1, describe(proc))
        # The budget file is in the current directory: the annotation points at its line.
        self.assertRegex(errors[0], r"^::error file=pkgsizer\.toml,line=\d+,title=Over budget%3A alpha::alpha 1\.0 uses ")
        self.assertIn("title=Near budget%3A total::", warnings[0])
        with open(summary, encoding="utf-8") as f:
            text = f.read()
        self.assertTrue(text.startswith("earlier step\n"), text)
        self.assertIn("### ❌ pkgsizer budget: over budget", text)
        self.assertIn("| ❌ | package | `alpha` |", text)

    def test_github_without_step_summary(self):
        self.over_and_near_budget()
        proc = self.check("--format", "github")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("::error ", proc.stdout)

    def test_markdown(self):
        self.over_and_near_budget()
        proc = self.check("--format", "markdown")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertTrue(proc.stdout.startswith("### ❌ pkgsizer budget: over budget\n"), proc.stdout)
        self.assertIn("| | Rule | Subject | Used | Limit | Use | Note |", proc.stdout)
        self.assertIn("| ⚠️ | total |", proc.stdout)

    def test_output_file(self):
        self.over_and_near_budget()
        out = os.path.join(self.project, "reports", "budget.xml")
        os.makedirs(os.path.dirname(out))
        proc = self.check("--format", "junit", "--output", out, "--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertEqual(proc.stdout, "")
        ET.parse(out)
        proc = self.check("--output", os.path.join(self.project, "no", "such", "dir", "x.txt"))
        self.assertEqual(proc.returncode, 5, describe(proc))

    def test_units_iec(self):
        self.write_config(toml_budget(total='"1TiB"'))
        proc = self.check("--units", "iec")
        self.assertIn("1.00 TiB", proc.stdout)

    # -- finding the configuration -------------------------------------------------------------

    def test_config_found_by_walking_up(self):
        self.write_config(toml_budget(total=bytes_(self.total // 2)))
        deep = os.path.join(self.project, "src", "pkg", "deep")
        os.makedirs(deep)
        proc = self.check("--fail-on-exceed", cwd=deep)
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertIn(f"Budget {os.path.join(self.project, 'pkgsizer.toml')} for", proc.stdout)

    def test_pyproject_tool_pkgsizer_budget(self):
        self.write_config('[project]\nname = "demo"\nversion = "1"\n\n[tool.black]\nline-length = 99\n\n'
                          f'[tool.pkgsizer.budget]\ntotal = {self.total // 2}\n', name="pyproject.toml")
        proc = self.check("--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertIn("Budget pyproject.toml for", proc.stdout)

    def test_pyproject_without_tool_pkgsizer_is_passed_over(self):
        self.write_config(toml_budget(total=bytes_(self.total // 2)))
        sub = os.path.join(self.project, "sub")
        self.write_config('[project]\nname = "sub"\n', name="pyproject.toml", directory=sub)
        proc = self.check("--fail-on-exceed", cwd=sub)
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertIn(os.path.join(self.project, "pkgsizer.toml"), proc.stdout)
        # A nearer pyproject.toml with [tool.pkgsizer] wins over the parent's pkgsizer.toml.
        self.write_config(f'[tool.pkgsizer.budget]\ntotal = {self.total * 2}\n', name="pyproject.toml", directory=sub)
        proc = self.check("--fail-on-exceed", cwd=sub)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("Budget pyproject.toml for", proc.stdout)

    def test_pkgsizer_toml_wins_over_pyproject_in_one_directory(self):
        self.write_config(f'[tool.pkgsizer.budget]\ntotal = {self.total // 2}\n', name="pyproject.toml")
        self.write_config(toml_budget(total=bytes_(self.total * 2)))
        self.assertEqual(self.check("--fail-on-exceed").returncode, EXIT_OK)

    def test_config_option(self):
        path = self.write_config(toml_budget(total=bytes_(self.total // 2)), name="budget-ci.toml",
                                 directory=os.path.join(self.project, "ci"))
        proc = self.check("--config", path, "--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertIn(f"Budget {path} for", proc.stdout)

    # -- configuration errors: exit 2, one line naming FILE:LINE:COLUMN ----------------------------

    def test_unknown_key(self):
        self.write_config('[budget]\ntotal = "500MB"\ntotl = "1GB"\n')
        line = self.assert_config_error(self.check(), "pkgsizer.toml:3:1: ")
        self.assertIn("unknown key 'totl'", line)
        self.assertIn("did you mean 'total'?", line)

    def test_unknown_key_in_pyproject(self):
        self.write_config('[tool.pkgsizer.budget]\n\nper_pakage = "5MB"\n', name="pyproject.toml")
        self.assert_config_error(self.check(), "pyproject.toml:3:1: unknown key 'per_pakage'")

    def test_malformed_values(self):
        self.write_config('[budget]\ntotal = "500 parsecs"\n')
        self.assert_config_error(self.check(), "pkgsizer.toml:2:9: total: '500 parsecs' is not a size")
        self.write_config('[budget]\ntotal = "1GB"\nwarn_at = "0.9"\n')
        self.assert_config_error(self.check(), "pkgsizer.toml:3:11: warn_at:")
        self.write_config('[budget.packages]\ntorch = true\n')
        self.assert_config_error(self.check(), "pkgsizer.toml:2:9: packages.torch: expected a size")

    def test_toml_syntax_error(self):
        self.write_config('[budget]\ntotal = "1GB\n')
        self.assert_config_error(self.check(), "pkgsizer.toml:2:")

    def test_config_error_before_scanning(self):
        # A bad budget is reported as such even when the environment does not exist either.
        self.write_config('[budget]\ntotl = 1\n')
        proc = self.check("--venv", os.path.join(self.project, "no-such-venv"), venv=False)
        self.assert_config_error(proc, "pkgsizer.toml:2:1: ")

    def test_no_config_found(self):
        empty = os.path.join(self.project, "empty")
        os.makedirs(empty)
        line = self.assert_config_error(self.check(cwd=empty), "no budget:")
        self.assertIn("--config", line)

    def test_missing_config_file(self):
        self.assert_config_error(self.check("--config", os.path.join(self.project, "nope.toml")),
                                 os.path.join(self.project, "nope.toml") + ": cannot read")

    def test_bad_format_is_a_usage_error(self):
        self.write_config(toml_budget(total=bytes_(self.total)))
        self.assertEqual(self.check("--format", "yaml").returncode, EXIT_CONFIG)

    # -- the environment -----------------------------------------------------------------------

    def test_environment_not_found_exits_3(self):
        self.write_config(toml_budget(total=bytes_(self.total)))
        proc = self.check("--venv", os.path.join(self.project, "no-such-venv"), venv=False)
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))

    def test_virtual_env_variable(self):
        self.write_config(toml_budget(total=bytes_(self.total // 2)))
        proc = self.check("--fail-on-exceed", venv=False, env={"VIRTUAL_ENV": self.venv})
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))

    def test_saved_report_instead_of_a_scan(self):
        saved = write_file(os.path.join(self.project, "scan.json"), json.dumps(self.scan))
        self.write_config(toml_budget(total=bytes_(self.total - 1)))
        proc = self.check("--report", saved, "--fail-on-exceed", venv=False)
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.write_config(toml_budget(total=bytes_(self.total)))
        report = self.check_json("--report", saved, venv=False)
        self.assertEqual(report["total_bytes"], self.total)
        proc = self.check("--report", os.path.join(self.project, "missing.json"), venv=False)
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))

    def test_partial_scan_is_an_incomplete_check(self):
        # A METADATA without Name: the scan is partial, so "within budget" cannot be said.
        tree = SiteTree(os.path.join(self.project, "partial"), layout=False)
        tree.dist_info("noname", "1.0", {"noname/__init__.py": "x = 1\n"},
                       metadata="Metadata-Version: 2.1\nVersion: 1.0\n")
        self.write_config(toml_budget(total=bytes_(10**9)))
        for extra, expect_rc in (((), 4), (("--fail-on-exceed",), EXIT_EXCEEDED),
                                 (("--allow-unknown",), EXIT_OK)):
            proc = self.check("--site-packages", tree.site, "--format", "json", *extra, venv=False)
            self.assertEqual(proc.returncode, expect_rc, describe(proc))
            report = json.loads(proc.stdout)
            self.assertEqual(report["status"], "ok" if expect_rc == EXIT_OK else "incomplete")
            self.assertTrue(report["unknown"], report)
        proc = self.check("--site-packages", tree.site, venv=False)
        self.assertIn("Incomplete", proc.stdout)
        self.assertNotIn("Within budget", proc.stdout)

    # -- max_increase against a baseline -------------------------------------------------------

    def baseline_file(self, total):
        model = json.loads(json.dumps(self.scan))
        model["totals"]["selected"]["apparent_bytes"] = int(total)
        return write_file(os.path.join(self.project, f"baseline-{int(total)}.json"), json.dumps(model))

    def increase_rule(self, report):
        rules = [r for r in report["rules"] if r["rule"] == "increase"]
        self.assertEqual(len(rules), 1, report)
        return rules[0]

    def test_max_increase_percent(self):
        self.write_config(toml_budget(max_increase='"10%"'))
        same = self.check_json("--baseline", self.baseline_file(self.total), "--fail-on-exceed")
        rule = self.increase_rule(same)
        self.assertEqual((rule["status"], rule["used_bytes"], rule["change_bytes"]), ("ok", 0, 0))
        self.assertEqual(rule["limit_percent"], 10)
        # The baseline was 80% of today's size: +25% is over +10%.
        smaller = self.baseline_file(self.total * 0.8)
        grown = self.check_json("--baseline", smaller, "--fail-on-exceed", expect_rc=EXIT_EXCEEDED)
        rule = self.increase_rule(grown)
        self.assertEqual(rule["status"], "fail")
        self.assertEqual(rule["baseline_bytes"], int(self.total * 0.8))
        self.assertEqual(rule["used_bytes"], self.total - int(self.total * 0.8))
        self.assertEqual(rule["limit_bytes"], round(int(self.total * 0.8) * 0.1))
        proc = self.check("--baseline", smaller)
        self.assertIn("since baseline", proc.stdout)

    def test_max_increase_bytes(self):
        self.write_config(toml_budget(max_increase='"1kB"'))
        self.check_json("--baseline", self.baseline_file(self.total - 500), "--fail-on-exceed")
        report = self.check_json("--baseline", self.baseline_file(self.total - 10_000), "--fail-on-exceed",
                                 expect_rc=EXIT_EXCEEDED)
        rule = self.increase_rule(report)
        self.assertEqual((rule["used_bytes"], rule["limit_bytes"]), (10_000, 1000))
        self.assertNotIn("limit_percent", rule)

    def test_max_increase_without_baseline_is_a_note(self):
        self.write_config(toml_budget(total=bytes_(self.total * 2), max_increase='"10%"'))
        proc = self.check("--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("note: max_increase not checked", proc.stdout)

    def test_baseline_snapshot(self):
        history = os.path.join(self.project, "history.sqlite3")
        env = {"PKGSIZER_HISTORY": history}
        snap = run_pkgsizer(["track", "snapshot", "base", "--venv", self.venv],
                            env={**self.run_env, **env}, cwd=self.project)
        self.assertEqual(snap.returncode, EXIT_OK, describe(snap))
        self.write_config(toml_budget(max_increase='"10%"'))
        report = self.check_json("--baseline", "@base", "--fail-on-exceed", env=env)
        self.assertEqual(self.increase_rule(report)["baseline_bytes"], self.total)
        report = self.check_json("--baseline", "@latest", "--history", history, env={"PKGSIZER_HISTORY": None})
        self.assertEqual(self.increase_rule(report)["status"], "ok")
        proc = self.check("--baseline", "@no-such-label", env=env)
        self.assertEqual(proc.returncode, EXIT_NOT_FOUND, describe(proc))

    def test_bad_baseline_file(self):
        self.write_config(toml_budget(max_increase='"10%"'))
        self.assert_config_error(self.check("--baseline", os.path.join(self.project, "none.json")), "--baseline ")
        bad = write_file(os.path.join(self.project, "bad.json"), "{not json")
        self.assert_config_error(self.check("--baseline", bad), "--baseline ")


class ScanEnvBudgetTest(BudgetTestBase):
    """`scan-env --budget FILE [--fail-on-exceed]`: the same check in the same run."""

    def scan_env(self, *args):
        return run_pkgsizer(["scan-env", "--venv", self.venv] + list(args), env=self.run_env, cwd=self.project)

    def test_table_then_budget(self):
        path = self.write_config(toml_budget(total=bytes_(self.total // 2)))
        proc = self.scan_env("--budget", path, "--top", "1")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertLess(proc.stdout.index("Distribution"), proc.stdout.index("Budget "))
        self.assertIn("❌ Over budget", proc.stdout)
        proc = self.scan_env("--budget", path, "--fail-on-exceed", "--top", "1")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.write_config(toml_budget(total=bytes_(self.total * 2)))
        self.assertEqual(self.scan_env("--budget", path, "--fail-on-exceed").returncode, EXIT_OK)

    def test_top_does_not_hide_distributions_from_the_budget(self):
        path = self.write_config(toml_budget(per_package=bytes_(self.sizes["beta"] - 1)))
        proc = self.scan_env("--budget", path, "--top", "1", "--by", "name")
        self.assertIn("per_package  alpha", proc.stdout)
        self.assertIn("per_package  beta", proc.stdout)

    def test_json_on_stdout_puts_the_budget_on_stderr(self):
        path = self.write_config(toml_budget(total=bytes_(self.total // 2)))
        proc = self.scan_env("--budget", path, "--fail-on-exceed", "--json", "-")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertEqual(json.loads(proc.stdout)["totals"]["selected"]["apparent_bytes"], self.total)
        self.assertIn("❌ Over budget", proc.stderr)

    def test_bad_budget_exits_2(self):
        path = self.write_config('[budget]\ntotal = "lots"\n')
        proc = self.scan_env("--budget", path)
        self.assertEqual(proc.returncode, EXIT_CONFIG, describe(proc))
        self.assertIn(f"pkgsizer: error: {path}:2:9: total:", proc.stderr)


class IntegrationTest(BudgetTestBase):
    """The files that hosts read: run as the host would run them."""

    def host_env(self, extra=None):
        env = base_env(self.run_env)
        env["PATH"] = self.bin_dir + os.pathsep + env.get("PATH", "")
        env.update(extra or {})
        return env

    def git(self, repo, *args):
        subprocess.run(["git", "-c", "user.name=pkgsizer tests", "-c", "user.email=tests@pkgsizer.invalid",
                        "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"] + list(args),
                       cwd=repo, check=True, capture_output=True, env=self.host_env())

    # -- pre-commit ----------------------------------------------------------------------------

    def test_pre_commit_try_repo(self):
        pre_commit = shutil.which("pre-commit")
        if not pre_commit:
            self.skipTest("pre-commit is not installed (Debian: apt-get install pre-commit)")
        if not shutil.which("git"):
            self.skipTest("git is not installed")
        hooks = os.path.join(self.project, "hooks")
        os.makedirs(hooks)
        shutil.copy(os.path.join(REPO_ROOT, ".pre-commit-hooks.yaml"), hooks)
        self.git(hooks, "init", "-q")
        self.git(hooks, "add", ".pre-commit-hooks.yaml")
        self.git(hooks, "commit", "-q", "-m", "hooks")

        work = os.path.join(self.project, "work")
        os.makedirs(work)
        self.git(work, "init", "-q")
        write_file(os.path.join(work, "requirements.txt"), "alpha\nbeta\n")
        self.write_config(toml_budget(total=bytes_(self.total * 2)), directory=work)
        self.git(work, "add", "requirements.txt", "pkgsizer.toml")
        env = self.host_env({"VIRTUAL_ENV": self.venv,
                             "PRE_COMMIT_HOME": os.path.join(self.project, "pre-commit-home"),
                             "PRE_COMMIT_COLOR": "never"})

        def try_repo(hook):
            return subprocess.run([pre_commit, "try-repo", hooks, hook, "--all-files", "--verbose"],
                                  cwd=work, env=env, capture_output=True, text=True, timeout=300,
                                  stdin=subprocess.DEVNULL)

        proc = try_repo("pkgsizer-budget")
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertIn("Within budget", proc.stdout)

        self.write_config(toml_budget(total=bytes_(self.total // 2)), directory=work)
        self.git(work, "add", "pkgsizer.toml")
        for hook in ("pkgsizer-budget", "pkgsizer-budget-always"):
            proc = try_repo(hook)
            self.assertNotEqual(proc.returncode, 0, describe(proc))
            self.assertIn("Over budget", proc.stdout, describe(proc))
            self.assertIn("❌", proc.stdout)

    # -- the GitHub composite action -----------------------------------------------------------

    def parse_action(self):
        """From action.yml: input defaults, the step's env (inputs by name) and its script.
        A reader for this one file's layout, not for YAML in general."""
        with open(os.path.join(REPO_ROOT, "action.yml"), encoding="utf-8") as f:
            lines = f.read().splitlines()
        defaults, env, script = {}, {}, []
        section, name, in_run, in_env = None, None, False, False
        for line in lines:
            if in_run:
                if line.strip() and not line.startswith(" " * 8):
                    in_run = False
                else:
                    script.append(line[8:])
                    continue
            if re.match(r"^\S", line):
                section = line.split(":")[0]
                continue
            if section == "inputs":
                m = re.match(r"^  ([a-z-]+):\s*$", line)
                if m:
                    name = m.group(1)
                    continue
                m = re.match(r"^    default:\s*(.*)$", line)
                if m:
                    defaults[name] = m.group(1).strip().strip('"')
            elif section == "runs":
                if re.match(r"^      env:\s*$", line):
                    in_env = True
                    continue
                m = re.match(r"^        ([A-Z_]+): \$\{\{ inputs\.([a-z-]+) \}\}\s*$", line)
                if in_env and m:
                    env[m.group(1)] = m.group(2)
                    continue
                in_env = False
                if re.match(r"^      run: \|\s*$", line):
                    in_run = True
        self.assertTrue(script and env and defaults, "action.yml not understood")
        return defaults, env, "\n".join(script) + "\n"

    def run_action(self, **inputs):
        defaults, env_map, script = self.parse_action()
        values = dict(defaults)
        values.update({k.replace("_", "-"): v for k, v in inputs.items()})
        unknown = set(values) - set(defaults)
        self.assertFalse(unknown, f"no such inputs in action.yml: {unknown}")
        summary = os.path.join(self.project, "step-summary.md")
        # As GitHub sets it for a composite action: the action's own checkout.
        env = self.host_env({"GITHUB_STEP_SUMMARY": summary, "GITHUB_ACTION_PATH": REPO_ROOT})
        env.update({var: values[name] for var, name in env_map.items()})
        cwd = os.path.join(self.project, values["working-directory"])
        # As GitHub runs `shell: bash`.
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script], cwd=cwd,
                              env=env, capture_output=True, text=True, timeout=300, stdin=subprocess.DEVNULL)
        text = ""
        if os.path.exists(summary):
            with open(summary, encoding="utf-8") as f:
                text = f.read()
        return proc, text

    def test_github_action(self):
        self.write_config(toml_budget(total=bytes_(self.total // 2)), name="budget.toml")
        proc, summary = self.run_action(venv=self.venv, budget_file="budget.toml")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertRegex(proc.stdout, r"(?m)^::error file=budget\.toml,line=2,title=Over budget%3A total::")
        self.assertIn("### ❌ pkgsizer budget: over budget", summary)

        proc, _ = self.run_action(venv=self.venv, budget_file="budget.toml", fail_on_exceed="false")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))

        self.write_config(toml_budget(total=bytes_(self.total * 2)), name="budget.toml")
        out = os.path.join(self.project, "budget.json")
        proc, _ = self.run_action(venv=self.venv, budget_file="budget.toml", format="json", output=out)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        with open(out, encoding="utf-8") as f:
            self.assertEqual(json.load(f)["status"], "ok")

    def test_github_action_without_pkgsizer(self):
        self.write_config(toml_budget(total=bytes_(self.total)))
        proc, _ = self.run_action(venv=self.venv, pkgsizer="no-such-pkgsizer-binary")
        self.assertEqual(proc.returncode, 127, describe(proc))
        self.assertIn("::error title=pkgsizer not found::", proc.stdout)

    # -- the GitLab CI template ----------------------------------------------------------------

    def parse_gitlab_template(self):
        """The hidden job's variables and script, from this one template's layout."""
        path = os.path.join(REPO_ROOT, "ci", "gitlab", "pkgsizer-budget.gitlab-ci.yml")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        self.assertRegex(text, r"(?m)^      junit: pkgsizer-budget\.xml$")
        variables, script, where = {}, [], None
        for line in text.splitlines():
            if re.match(r"^\S", line):
                where = "job" if line.startswith(".pkgsizer-budget:") else None
                continue
            if where is None:
                continue
            if re.match(r"^  variables:\s*$", line):
                where = "variables"
            elif re.match(r"^  script:\s*$", line):
                where = "script"
            elif re.match(r"^  \S", line):
                where = "job"
            elif where == "variables":
                m = re.match(r'^    ([A-Z_]+):\s*("[^"]*"|\S+)', line)
                if m:
                    variables[m.group(1)] = m.group(2).strip('"')
            elif where == "script" and not re.match(r"^    - \|\s*$", line):
                script.append(line[6:])
        self.assertTrue(variables and script, "template not understood")
        return variables, "\n".join(script) + "\n"

    def run_gitlab_job(self, **variables):
        defaults, script = self.parse_gitlab_template()
        env = self.host_env(defaults)
        env.update(variables)
        # GitLab runs the script with the image's shell; plain sh keeps it POSIX.
        return subprocess.run(["sh", "-e", "-c", script], cwd=self.project, env=env, capture_output=True,
                              text=True, timeout=300, stdin=subprocess.DEVNULL)

    def test_gitlab_template(self):
        report = os.path.join(self.project, "pkgsizer-budget.xml")
        self.write_config(toml_budget(total=bytes_(self.total // 2)))
        proc = self.run_gitlab_job(PKGSIZER_VENV=self.venv)
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertIn("Over budget", proc.stdout)  # the table, in the job log
        suite = ET.parse(report).getroot().find("testsuite")
        self.assertEqual(suite.get("name"), "pkgsizer budget")
        self.assertEqual(suite.get("failures"), "1")

        proc = self.run_gitlab_job(PKGSIZER_VENV=self.venv, PKGSIZER_FAIL_ON_EXCEED="false")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))

        os.remove(report)
        self.write_config(toml_budget(total=bytes_(self.total * 2)))
        proc = self.run_gitlab_job(PKGSIZER_VENV=self.venv)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(ET.parse(report).getroot().find("testsuite").get("failures"), "0")

        self.write_config('[budget]\ntotl = 1\n')
        proc = self.run_gitlab_job(PKGSIZER_VENV=self.venv)
        self.assertEqual(proc.returncode, EXIT_CONFIG, describe(proc))


if __name__ == "__main__":
    unittest.main()
