"""Where users already are: notifications to Slack, Discord and JSON webhooks (a receiver on
127.0.0.1 that checks each payload, fails on purpose, or never answers), git-style plugins with
the example plugin of examples/, and the note that a system interpreter is being scanned."""

import json
import os
import shutil
import stat
import sys
import time
import unittest

import support
from support import (BIN, REPO_ROOT, BinaryTestCase, describe, run_pkgsizer, SiteTree,
                     write_file)
from webhook_server import WebhookServer

EXIT_OK, EXIT_EXCEEDED, EXIT_USAGE, EXIT_OUTPUT = 0, 1, 2, 5

# Stand-ins for the secret parts of webhook URLs: none may ever be printed.
SECRETS = ("SLACKSECRET42", "DISCORDTOKEN42", "QUERYTOKEN42", "USERPASS42", "HANGSECRET42",
           "FLAKYSECRET42", "TOMLSECRET42")


class NotificationTest(BinaryTestCase):
    """check-budget, track snapshot and compare telling webhooks."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.server = WebhookServer()
        cls.addClassCleanup(cls.server.stop)
        cls.tree = SiteTree(os.path.join(cls.tmp, "env"))
        cls.tree.dist_info("alpha", "1.0", {"alpha/__init__.py": support.payload(20_000, "a")})
        cls.tree.dist_info("beta", "2.0", {"beta/__init__.py": support.payload(5_000, "b")})
        cls.over = write_file(os.path.join(cls.tmp, "over", "pkgsizer.toml"),
                              b"[budget]\ntotal = 1000\n")
        cls.within = write_file(os.path.join(cls.tmp, "within", "pkgsizer.toml"),
                                b"[budget]\ntotal = \"1GB\"\n")
        cls.env = {"HOME": os.path.join(cls.tmp, "home"),
                   "XDG_CACHE_HOME": os.path.join(cls.tmp, "cache"),
                   "PKGSIZER_HISTORY": os.path.join(cls.tmp, "history.sqlite3")}

    def run_checked(self, args, cwd=None):
        start = time.monotonic()
        proc = run_pkgsizer(args, env=support.base_env(self.env), cwd=cwd)
        proc.seconds = time.monotonic() - start
        for secret in SECRETS:
            self.assertNotIn(secret, proc.stdout + proc.stderr, describe(proc))
        return proc

    def budget(self, config, *extra):
        return self.run_checked(["check-budget", "--site-packages", self.tree.site, "--config",
                                 config, "--no-cache", *extra])

    def test_slack_discord_and_webhook_payloads(self):
        slack = self.server.url("/ok/services/T0/B0/SLACKSECRET42")
        discord = self.server.url("/ok/api/webhooks/123/DISCORDTOKEN42")
        generic = self.server.url("/ok/generic?token=QUERYTOKEN42")
        plain = self.budget(self.over)
        proc = self.budget(self.over, "--notify", "slack:" + slack, "--notify",
                           "discord:" + discord, "--notify", generic)
        self.assertEqual(proc.returncode, plain.returncode, describe(proc))
        self.assertEqual(proc.stdout, plain.stdout)
        self.assertNotIn("warning", proc.stderr)

        (path, headers, body), = self.server.received("/ok/services/")
        self.assertEqual(headers["Content-Type"], "application/json")
        self.assertEqual(set(body), {"text"})
        self.assertIn("budget exceeded", body["text"])
        self.assertIn("```", body["text"])  # the report, preformatted
        self.assertIn("total", body["text"])

        (_, _, body), = self.server.received("/ok/api/webhooks/")
        self.assertEqual(body["username"], "pkgsizer")
        self.assertIn("budget exceeded", body["content"])
        self.assertLessEqual(len(body["content"]), 2000)
        self.assertEqual(body["allowed_mentions"], {"parse": []})
        embed, = body["embeds"]
        self.assertLessEqual(len(embed["description"]), 4096)
        self.assertEqual(embed["title"], "check-budget")

        (_, _, body), = self.server.received("/ok/generic")
        self.assertEqual(body["schema"], "pkgsizer-notification")
        self.assertEqual(body["version"], 1)
        self.assertEqual(body["event"], "budget_exceeded")
        self.assertEqual(body["command"], "check-budget")
        self.assertTrue(body["alert"])
        self.assertEqual(body["details"]["total_bytes"], 25_000 + body["details"]["total_bytes"]
                         - 25_000)  # present and numeric
        rule, = body["details"]["failed_rules"]
        self.assertEqual((rule["rule"], rule["limit_bytes"]), ("total", 1000))
        self.assertGreater(rule["used_bytes"], 25_000)

    def test_within_budget_sends_nothing(self):
        url = self.server.url("/ok/within/SLACKSECRET42")
        proc = self.budget(self.within, "--notify", url)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(self.server.received("/ok/within/"), [])

    def test_retries_until_delivered(self):
        url = self.server.url("/flaky/2/retry-ok-FLAKYSECRET42")
        proc = self.budget(self.over, "--notify", url, "--fail-on-exceed")
        self.assertEqual(proc.returncode, EXIT_EXCEEDED, describe(proc))
        self.assertNotIn("warning", proc.stderr)
        self.assertEqual(len(self.server.received("/flaky/2/retry-ok")), 3)

    def test_failed_delivery_warns_and_keeps_the_exit_code(self):
        url = self.server.url("/flaky/99/gives-up-FLAKYSECRET42")
        proc = self.budget(self.over, "--notify", url, "--notify-retries", "1")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("pkgsizer: warning: notification to http://127.0.0.1:", proc.stderr)
        self.assertIn("HTTP 503", proc.stderr)
        self.assertIn("after 2 attempts", proc.stderr)
        self.assertEqual(len(self.server.received("/flaky/99/gives-up")), 2)
        strict = self.budget(self.over, "--notify", url, "--notify-retries", "0",
                             "--notify-strict")
        self.assertEqual(strict.returncode, EXIT_OUTPUT, describe(strict))
        # The check's own failure is the bigger news: it keeps its exit code.
        failing = self.budget(self.over, "--notify", url, "--notify-retries", "0",
                              "--notify-strict", "--fail-on-exceed")
        self.assertEqual(failing.returncode, EXIT_EXCEEDED, describe(failing))

    def test_a_server_that_never_answers_times_out(self):
        url = self.server.url("/hang/HANGSECRET42")
        proc = self.budget(self.over, "--notify", url, "--notify-timeout", "0.5",
                           "--notify-retries", "1")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("not delivered", proc.stderr)
        self.assertIn("after 2 attempts", proc.stderr)
        self.assertLess(proc.seconds, 10)

    def test_userinfo_and_unreachable_hosts_stay_secret(self):
        # A port nobody listens on: the error names the host, never the credentials.
        proc = self.budget(self.over, "--notify",
                           "webhook:http://user:USERPASS42@127.0.0.1:1/x/QUERYTOKEN42",
                           "--notify-retries", "0")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("http://127.0.0.1:1/…", proc.stderr)
        bad = self.budget(self.over, "--notify", "ftp://USERPASS42@host/SLACKSECRET42")
        self.assertEqual(bad.returncode, EXIT_USAGE, describe(bad))
        self.assertIn("not an http(s) URL", bad.stderr)

    def test_notify_table_of_pkgsizer_toml(self):
        url = self.server.url("/ok/toml/TOMLSECRET42")
        config = write_file(os.path.join(self.tmp, "toml", "pkgsizer.toml"),
                            f'[budget]\ntotal = 1000\n\n[notify]\nurls = ["{url}"]\n'.encode())
        proc = self.budget(config)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertEqual(len(self.server.received("/ok/toml/")), 1)
        self.budget(config, "--notify", url)  # the same URL twice: told once
        self.assertEqual(len(self.server.received("/ok/toml/")), 2)
        self.budget(config, "--no-notify")
        self.assertEqual(len(self.server.received("/ok/toml/")), 2)
        typo = write_file(os.path.join(self.tmp, "typo", "pkgsizer.toml"),
                          b'[budget]\ntotal = 1000\n\n[notify]\nurl = ["x"]\n')
        proc = self.budget(typo)
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        self.assertIn("pkgsizer.toml:5:1: unknown key 'url' in [notify] (did you mean 'urls'?)",
                      proc.stderr)

    def test_track_snapshot_notifies_when_the_growth_exceeds_the_limit(self):
        tree = SiteTree(os.path.join(self.tmp, "tracked"))
        tree.dist_info("gamma", "1.0", {"gamma/__init__.py": support.payload(10_000, "g")})
        project = os.path.join(self.tmp, "project")
        write_file(os.path.join(project, "pkgsizer.toml"),
                   b'[budget]\ntotal = "1GB"\n\n[notify]\nnotify_on_increase = "50%"\n')
        url = self.server.url("/ok/track/SLACKSECRET42")
        snapshot = ["track", "snapshot", "--site-packages", tree.site, "--name", "tracked",
                    "--no-cache", "-q", "--notify", url]
        first = self.run_checked(snapshot, cwd=project)
        self.assertEqual(first.returncode, EXIT_OK, describe(first))
        tree.dist_info("small", "1.0", {"small/__init__.py": support.payload(1_000, "s")})
        small = self.run_checked(snapshot, cwd=project)  # +~15%: under 50%
        self.assertEqual(small.returncode, EXIT_OK, describe(small))
        self.assertEqual(self.server.received("/ok/track/"), [])
        tree.dist_info("big", "1.0", {"big/__init__.py": support.payload(30_000, "B")})
        big = self.run_checked(snapshot, cwd=project)
        self.assertEqual(big.returncode, EXIT_OK, describe(big))
        (_, _, body), = self.server.received("/ok/track/")
        self.assertEqual(body["event"], "size_increase")
        self.assertEqual(body["details"]["environment"], "tracked")
        self.assertEqual(body["details"]["increase_bytes"],
                         body["details"]["total_bytes"] - body["details"]["previous_bytes"])
        self.assertGreater(body["details"]["increase_bytes"], 30_000)
        # The command line's limit wins over the file's.
        tree.dist_info("tiny", "1.0", {"tiny/__init__.py": support.payload(100, "t")})
        tiny = self.run_checked(snapshot + ["--notify-on-increase", "10B"], cwd=project)
        self.assertEqual(tiny.returncode, EXIT_OK, describe(tiny))
        self.assertEqual(len(self.server.received("/ok/track/")), 2)

    def test_compare_notifies_the_net_change(self):
        before = os.path.join(self.tmp, "before.json")
        proc = self.run_checked(["scan-env", "--site-packages", self.tree.site, "--no-cache",
                                 "--json", before, "-q"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        url = self.server.url("/ok/compare/DISCORDTOKEN42")
        proc = self.run_checked(["compare", before, before, "--notify", "webhook:" + url])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        (_, _, body), = self.server.received("/ok/compare/")
        self.assertEqual(body["event"], "compare")
        self.assertEqual(body["details"]["change_bytes"], 0)
        self.assertFalse(body["alert"])


SHELL_PLUGIN = """#!/bin/sh
for variable in PKGSIZER_PLUGIN_API PKGSIZER_VERSION PKGSIZER_PLUGIN_NAME PKGSIZER_BIN \\
    PKGSIZER_ENV_KIND PKGSIZER_SITE_PACKAGES PKGSIZER_SCAN_ON_STDIN; do
  echo "$variable=$(printenv "$variable")"
done
for argument in "$@"; do echo "arg=$argument"; done
exit ${PLUGIN_EXIT:-0}
"""


def install_executable(path, text):
    write_file(path, text.encode())
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


class PluginTest(BinaryTestCase):
    """pkgsizer-NAME on PATH or in the plugin directory, run as `pkgsizer NAME`."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bin = os.path.join(cls.tmp, "bin")
        cls.data = os.path.join(cls.tmp, "data")
        cls.plugin_dir = os.path.join(cls.data, "pkgsizer", "plugins")
        os.makedirs(cls.bin)
        shutil.copy(os.path.join(REPO_ROOT, "examples", "pkgsizer-largest"), cls.bin)
        install_executable(os.path.join(cls.plugin_dir, "pkgsizer-env"), SHELL_PLUGIN)
        # Shadowed by the one on PATH; and a built-in name, which a plugin never replaces.
        install_executable(os.path.join(cls.plugin_dir, "pkgsizer-largest"), "#!/bin/sh\nexit 9\n")
        install_executable(os.path.join(cls.bin, "pkgsizer-scan-env"), "#!/bin/sh\nexit 9\n")
        write_file(os.path.join(cls.bin, "pkgsizer-notexec"), b"#!/bin/sh\n")
        cls.tree = SiteTree(os.path.join(cls.tmp, "env"))
        cls.tree.dist_info("alpha", "1.0", {"alpha/__init__.py": support.payload(20_000, "a")})
        cls.tree.dist_info("beta", "2.0", {"beta/__init__.py": support.payload(5_000, "b")})

    def run_plugin(self, args, extra_env=None):
        env = {"PATH": self.bin + os.pathsep + os.environ.get("PATH", ""),
               "XDG_DATA_HOME": self.data, "HOME": os.path.join(self.tmp, "home"),
               "XDG_CACHE_HOME": os.path.join(self.tmp, "cache")}
        env.update(extra_env or {})
        return run_pkgsizer(args, env=support.base_env(env))

    def variables(self, proc):
        return dict(line.split("=", 1) for line in proc.stdout.splitlines())

    def test_example_plugin_reads_the_scan(self):
        proc = self.run_plugin(["--with-scan", "--site-packages", self.tree.site, "largest",
                                "--top", "1"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        lines = proc.stdout.splitlines()
        self.assertEqual(len(lines), 2, describe(proc))
        self.assertIn(f"(pkgsizer {support.read_cmake_version()})", lines[0])
        self.assertRegex(lines[1], r"^\s+\d+  alpha 1\.0$")
        scan, _ = support.scan_json(self, ["--site-packages", self.tree.site, "--no-cache"])
        alpha = support.dists_by_name(scan)["alpha"]
        self.assertEqual(int(lines[1].split()[0]), alpha["apparent_bytes"])
        # Its exit code is pkgsizer's.
        over = self.run_plugin(["--with-scan", "--site-packages", self.tree.site, "largest",
                                "--max", "100"])
        self.assertEqual(over.returncode, 1, describe(over))
        self.assertIn("alpha is larger than 100 bytes", over.stderr)

    def test_arguments_variables_and_exit_code(self):
        proc = self.run_plugin(["env", "--help", "two words", "-q"],
                               {"PLUGIN_EXIT": "42", "PKGSIZER_ENV_KIND": "leaked"})
        self.assertEqual(proc.returncode, 42, describe(proc))
        variables = self.variables(proc)
        self.assertEqual(variables["PKGSIZER_PLUGIN_API"], "1")
        self.assertEqual(variables["PKGSIZER_VERSION"], support.read_cmake_version())
        self.assertEqual(variables["PKGSIZER_PLUGIN_NAME"], "env")
        self.assertEqual(os.path.realpath(variables["PKGSIZER_BIN"]), os.path.realpath(BIN))
        self.assertEqual(variables["PKGSIZER_ENV_KIND"], "")  # no environment asked for
        self.assertEqual(variables["PKGSIZER_SCAN_ON_STDIN"], "")
        self.assertEqual([v for k, v in (l.split("=", 1) for l in proc.stdout.splitlines())
                          if k == "arg"], ["--help", "two words", "-q"])

    def test_environment_options_are_resolved(self):
        proc = self.run_plugin(["--site-packages", self.tree.site, "env"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        variables = self.variables(proc)
        self.assertEqual(variables["PKGSIZER_ENV_KIND"], "site-packages")
        self.assertEqual(variables["PKGSIZER_SITE_PACKAGES"], os.path.realpath(self.tree.site))
        missing = self.run_plugin(["--venv", os.path.join(self.tmp, "nowhere"), "env"])
        self.assertEqual(missing.returncode, 3, describe(missing))

    def test_plugins_lists_what_is_found(self):
        proc = self.run_plugin(["plugins", "--json"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        listing = json.loads(proc.stdout)
        self.assertEqual(listing["plugin_api"], 1)
        self.assertEqual(listing["plugin_directory"], self.plugin_dir)
        found = [(p["name"], p["path"], p["shadowed"]) for p in listing["plugins"]
                 if p["path"].startswith(self.tmp)]
        self.assertEqual(found, [
            ("largest", os.path.join(self.bin, "pkgsizer-largest"), False),
            ("scan-env", os.path.join(self.bin, "pkgsizer-scan-env"), False),
            ("env", os.path.join(self.plugin_dir, "pkgsizer-env"), False),
            ("largest", os.path.join(self.plugin_dir, "pkgsizer-largest"), True),
        ])
        text = self.run_plugin(["plugins"])
        self.assertIn("env", text.stdout)
        self.assertIn("shadowed", text.stdout)

    def test_built_in_commands_and_typos_are_not_plugins(self):
        proc = self.run_plugin(["scan-env", "--site-packages", self.tree.site, "--no-cache", "-q"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn("alpha", proc.stdout)
        typo = self.run_plugin(["scan-en"])
        self.assertEqual(typo.returncode, EXIT_USAGE, describe(typo))
        self.assertIn("did you mean scan-env?", typo.stderr)
        notexec = self.run_plugin(["notexec"])
        self.assertEqual(notexec.returncode, EXIT_USAGE, describe(notexec))
        self.assertIn("unknown command 'notexec'", notexec.stderr)
        absent = self.run_plugin(["--with-scan", "absent"])
        self.assertEqual(absent.returncode, EXIT_USAGE, describe(absent))
        self.assertIn("no plugin pkgsizer-absent on PATH or in " + self.plugin_dir, absent.stderr)


class SystemPythonTest(BinaryTestCase):
    """Scanning a system interpreter's packages is said once on stderr, not under -q."""

    SYSTEM_PYTHON = "/usr/bin/python3"

    def test_system_python_is_named(self):
        self.assertTrue(os.path.exists(self.SYSTEM_PYTHON),
                        "the tests need Debian's python3 at /usr/bin/python3")
        args = ["scan-env", "--python", self.SYSTEM_PYTHON, "--no-cache", "--top", "1"]
        proc = run_pkgsizer(args)
        self.assertIn(proc.returncode, (EXIT_OK, 4, 6), describe(proc))
        note = ("pkgsizer: scanning the system Python at /usr; use --venv for a project "
                "environment\n")
        self.assertEqual(proc.stderr.count(note), 1, describe(proc))
        quiet = run_pkgsizer(args + ["-q"])
        self.assertNotIn("system Python", quiet.stderr)
        site = SiteTree(os.path.join(self.tmp, "env"))
        site.dist_info("alpha", "1.0", {"alpha/__init__.py": "x"})
        venvish = run_pkgsizer(["scan-env", "--venv", site.prefix, "--no-cache"])
        self.assertNotIn("system Python", venvish.stderr)


class OutdatedTest(BinaryTestCase):
    """`pkgsizer outdated` against the loopback index: newer releases and their size change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from index_server import IndexServer
        cls.wheels = os.path.join(cls.tmp, "wheels")
        make = support.make_wheel
        files = lambda pkg, n, seed: {f"{pkg}/__init__.py": support.payload(n, seed)}
        for name, version, n in (("alpha", "1.0", 1000), ("alpha", "2.0", 50_000),
                                 ("beta", "1.0", 2000),
                                 ("gamma", "1.0", 30_000), ("gamma", "1.5", 3000),
                                 ("delta", "1.0", 500), ("delta", "3.0rc1", 90_000)):
            make(cls.wheels, name, version, files(name, n, name + version))
        cls.server = IndexServer(cls.wheels)
        cls.server.__enter__()
        cls.addClassCleanup(cls.server.__exit__, None, None, None)
        cls.tree = SiteTree(os.path.join(cls.tmp, "env"))
        cls.owned = {}
        for name, n in (("alpha", 1000), ("beta", 2000), ("gamma", 30_000), ("delta", 500)):
            cls.owned[name] = cls.tree.dist_info(
                name, "1.0", {f"{name}/__init__.py": support.payload(n, name + "1.0")})
        cls.tree.dist_info("local-only", "0.1", {"local_only.py": "x = 1\n"})
        cls.env = support.base_env({"HOME": os.path.join(cls.tmp, "home"),
                                    "XDG_CACHE_HOME": os.path.join(cls.tmp, "cache")})

    def outdated(self, *extra):
        return run_pkgsizer(["outdated", "--site-packages", self.tree.site, "--index-url",
                             self.server.index_url, "--no-cache", "--no-compile", *extra],
                            env=self.env)

    def test_newer_releases_sorted_by_size_change(self):
        proc = self.outdated("--json", "-")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        report = json.loads(proc.stdout)
        self.assertEqual(report["schema_version"], 1)
        self.assertEqual(report["checked"], 5)
        rows = [(u["name"], u["installed_version"], u["latest_version"])
                for u in report["outdated"]]
        # alpha grows, gamma shrinks; beta is current, delta's newer one is a pre-release, and
        # local-only is on no index.
        self.assertEqual(rows, [("alpha", "1.0", "2.0"), ("gamma", "1.0", "1.5")])
        for upgrade in report["outdated"]:
            name = upgrade["name"]
            installed = sum(support.lsize(p) for p in self.owned[name])
            self.assertEqual(upgrade["installed_bytes"], installed, name)
            wheel = os.path.join(self.wheels, upgrade["chosen_file"])
            import zipfile
            with zipfile.ZipFile(wheel) as zf:
                members = sum(i.file_size for i in zf.infolist())
            self.assertEqual(upgrade["upgraded_bytes"], members, name)
            self.assertEqual(upgrade["size_change_bytes"], members - installed, name)
            self.assertEqual(upgrade["download_bytes"], os.path.getsize(wheel), name)
        self.assertGreater(report["outdated"][0]["size_change_bytes"], 0)
        self.assertLess(report["outdated"][1]["size_change_bytes"], 0)
        self.assertEqual(report["total_change_bytes"],
                         sum(u["size_change_bytes"] for u in report["outdated"]))
        # Up-to-date projects cost an index page, never a wheel.
        self.assertEqual([r for r in self.server.requests_for("beta-") if ".whl" in r.path], [])

    def test_pre_releases_text_and_markdown(self):
        proc = self.outdated("--pre")
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        lines = proc.stdout.splitlines()
        self.assertTrue(lines[0].startswith("Package"), proc.stdout)
        self.assertTrue(lines[1].startswith("delta"), proc.stdout)  # +89.5 kB: the largest
        self.assertIn("3.0rc1", lines[1])
        self.assertIn("3 of 5 distributions have a newer version", proc.stdout)
        markdown = self.outdated("--markdown", "-")
        self.assertEqual(markdown.returncode, EXIT_OK, describe(markdown))
        self.assertIn("| Package | Installed | Latest | Size now | After upgrade | Change |",
                      markdown.stdout)
        self.assertIn("| alpha | 1.0 | 2.0 |", markdown.stdout)

    def test_unreachable_index_is_exit_3(self):
        proc = run_pkgsizer(["outdated", "--site-packages", self.tree.site, "--index-url",
                             "http://127.0.0.1:1/simple", "--no-cache", "-q"], env=self.env)
        self.assertEqual(proc.returncode, 3, describe(proc))
        offline = self.outdated("--offline")
        self.assertEqual(offline.returncode, EXIT_USAGE, describe(offline))
        self.assertIn("cannot run with --offline", offline.stderr)
