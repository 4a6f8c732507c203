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
        self.budget(config, "--no-notify")
        self.assertEqual(len(self.server.received("/ok/toml/")), 1)
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
