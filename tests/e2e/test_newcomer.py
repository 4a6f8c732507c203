"""A newcomer's first minutes: typos answered with the closest name, errors that say why, the
environment measured named, read-only commands that create nothing, a C locale."""

import os
import shutil
import unittest

import support

from support import (EXIT_NO_ENV, EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, BinaryTestCase, describe,
                     run_pkgsizer, SiteTree, unprivileged_kwargs, write_file)

EXIT_NOT_INSTALLED = 7


class TyposTest(BinaryTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = SiteTree(os.path.join(cls.tmp, "site"), layout=False)
        cls.site = cls.tree.site
        cls.tree.dist_info("Pygments", "2.19.1", {"pygments/__init__.py": 3000})
        cls.tree.dist_info("requests", "2.32.3", {"requests/__init__.py": 2000})

    def usage_error(self, args):
        proc = run_pkgsizer(args)
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        self.assertEqual(proc.stdout, "", describe(proc))
        self.assertTrue(proc.stderr.startswith("pkgsizer: error: "), describe(proc))
        return proc.stderr

    def test_unknown_command_suggests_the_closest(self):
        err = self.usage_error(["scan-en"])
        self.assertIn("unknown command 'scan-en' (did you mean scan-env?)", err)
        self.assertIn("pkgsizer --help", err)
        err = self.usage_error(["track", "histroy"])
        self.assertIn("unknown command 'histroy' (did you mean history?)", err)

    def test_missing_command_lists_the_commands(self):
        err = self.usage_error(["track"])
        self.assertIn("track needs a command: init, snapshot, history", err)

    def test_unknown_option_names_the_closest(self):
        err = self.usage_error(["scan-env", "--site-packages", self.site, "--jsno"])
        self.assertIn("scan-env: unknown option --jsno (did you mean --json?)", err)
        err = self.usage_error(["why", "requests", "--max-path", "3"])
        self.assertIn("unknown option --max-path (did you mean --max-paths?)", err)
        err = self.usage_error(["scan-env", "--frobnicate"])
        self.assertIn("unknown option --frobnicate", err)
        self.assertNotIn("did you mean", err)

    def test_bad_enum_value_lists_the_allowed_words(self):
        err = self.usage_error(["scan-env", "--by", "sise"])
        self.assertIn("--by: 'sise' is not one of size, files, name (did you mean size?)", err)
        self.assertNotIn("FAILED", err)
        self.assertNotIn("->", err)
        err = self.usage_error(["scan-env", "--color", "blue"])
        self.assertIn("'blue' is not one of auto, always, never", err)
        err = self.usage_error(["check-budget", "--format", "gihub"])
        self.assertIn("is not one of text, json, markdown, github, junit (did you mean github?)",
                      err)

    def test_good_enum_values_still_work(self):
        for args in (["--by", "name"], ["--color", "never"], ["--units", "iec"],
                     ["--include-editable", "exclude"]):
            with self.subTest(args=args):
                proc = run_pkgsizer(["scan-env", "--site-packages", self.site] + args)
                self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        proc = run_pkgsizer(["scan-env", "--site-packages", self.site, "--by", "name"])
        self.assertLess(proc.stdout.index("Pygments"), proc.stdout.index("requests"))

    def test_why_suggests_the_installed_spelling(self):
        proc = run_pkgsizer(["why", "pygment", "--site-packages", self.site])
        self.assertEqual(proc.returncode, EXIT_NOT_INSTALLED, describe(proc))
        self.assertIn("pygment is not installed", proc.stderr)
        self.assertIn("(did you mean Pygments?)", proc.stderr)

    def test_budget_naming_an_absent_package_warns_with_the_closest(self):
        config = os.path.join(self.tmp, "pkgsizer.toml")
        write_file(config, '[budget]\ntotal = "1GB"\n[budget.packages]\n'
                           'pygment = "10MB"\nrequests = "10MB"\n')
        proc = run_pkgsizer(["check-budget", "--site-packages", self.site, "--config", config])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertIn(f"{config}:4: the budget names pygment, which is not installed "
                      "(did you mean Pygments?)", proc.stderr)
        self.assertNotIn("names requests", proc.stderr)



class CannotReadSaysWhyTest(BinaryTestCase):

    def one_line_error(self, args, code, *fragments, **kwargs):
        proc = run_pkgsizer(args, **kwargs)
        self.assertEqual(proc.returncode, code, describe(proc))
        lines = proc.stderr.splitlines()
        self.assertEqual(len(lines), 1, describe(proc))
        for fragment in fragments:
            self.assertIn(fragment, lines[0], describe(proc))

    def test_unreadable_environment_says_permission_denied(self):
        venv = os.path.join(self.tmp, "private-venv")
        site = os.path.join(venv, "lib", "python3.11", "site-packages")
        os.makedirs(site)
        write_file(os.path.join(venv, "pyvenv.cfg"), "home = /usr/bin\n")
        kwargs = unprivileged_kwargs(self.tmp)
        os.chmod(venv, 0o700 if kwargs else 0)
        try:
            self.one_line_error(["scan-env", "--venv", venv, "--no-cache"], EXIT_NO_ENV,
                                f"{venv}: cannot read: Permission denied", **kwargs)
            self.one_line_error(["scan-env", "--site-packages", site, "--no-cache"], EXIT_NO_ENV,
                                f"{site}: cannot read: Permission denied", **kwargs)
        finally:
            os.chmod(venv, 0o755)

    def test_missing_files_say_no_such_file(self):
        missing = os.path.join(self.tmp, "no-such-requirements.txt")
        self.one_line_error(["predict", missing], EXIT_USAGE,
                            f"{missing}: cannot read: No such file or directory")
        self.one_line_error(["scan-env", "--venv", missing], EXIT_NO_ENV,
                            f"{missing}: no such directory")

    def test_unreadable_metadata_says_why(self):
        tree = SiteTree(os.path.join(self.tmp, "site-odd"), layout=False)
        os.makedirs(tree.path("odd-1.0.dist-info/METADATA"))
        write_file(tree.path("odd-1.0.dist-info/RECORD"), "")
        proc = run_pkgsizer(["scan-env", "--site-packages", tree.site, "--no-cache"])
        self.assertEqual(proc.returncode, EXIT_PARTIAL, describe(proc))
        self.assertIn("METADATA: cannot read core metadata: is a directory", proc.stderr)



class NonUtf8LocaleTest(BinaryTestCase):
    """LANG unset or C: the symbols are spelled in ASCII, not written as raw UTF-8 bytes."""

    C_LOCALES = ({"LC_ALL": None, "LC_CTYPE": None, "LANG": None},
                 {"LC_ALL": None, "LC_CTYPE": None, "LANG": "C"},
                 {"LC_ALL": "POSIX"})

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tree = SiteTree(os.path.join(cls.tmp, "site"), layout=False)
        cls.site = cls.tree.site
        cls.tree.dist_info("app", "1.0", {"app/__init__.py": 3000}, requires=["lib"])
        cls.tree.dist_info("lib", "1.0", {"lib/__init__.py": 2000})

    def run_in(self, locale, args):
        proc = run_pkgsizer(args, env=locale)
        self.assertTrue(proc.stdout.isascii(), describe(proc))
        self.assertTrue(proc.stderr.isascii(), describe(proc))
        return proc

    def test_views_spell_their_symbols_in_ascii(self):
        scan = ["scan-env", "--site-packages", self.site, "--include-deps"]
        utf8 = run_pkgsizer(scan)
        self.assertIn(" · ", utf8.stdout)
        self.assertIn("—", utf8.stdout)
        for locale in self.C_LOCALES:
            with self.subTest(locale=locale):
                out = self.run_in(locale, scan).stdout
                self.assertIn(" distributions | ", out)
                self.assertIn("Frees -: other distributions require it", out)
                why = self.run_in(locale, ["why", "lib", "--site-packages", self.site]).stdout
                self.assertRegex(why, r"app \(\S+ kB\) -> lib \(\S+ kB\)")
                tree = self.run_in(locale, ["scan-env", "--site-packages", self.site,
                                            "--deps-tree"]).stdout
                self.assertIn("`-- lib", tree)

    def test_help_and_errors_stay_readable(self):
        for locale in self.C_LOCALES:
            with self.subTest(locale=locale):
                help_text = self.run_in(locale, ["track", "--help"]).stdout
                self.assertIn("the change ^/v", help_text)
                proc = self.run_in(locale, ["scan-env", "--by", "sise"])
                self.assertEqual(proc.returncode, EXIT_USAGE)
                self.assertIn("did you mean size?", proc.stderr)



class UnprivilegedRunsTest(BinaryTestCase):
    """The suite run as root from a checkout `nobody` cannot reach (under /root, mode 700 on
    Debian): the permission tests still run their scans as `nobody`, from a copy of the binary."""

    def test_nobody_runs_a_binary_kept_where_nobody_cannot_reach(self):
        if os.geteuid() != 0:
            self.skipTest("only root runs scans as nobody")
        private = os.path.join(self.tmp, "private-checkout")
        os.makedirs(private)
        hidden = shutil.copy(support.BIN, os.path.join(private, "pkgsizer"))
        os.chmod(private, 0o700)
        saved, support.BIN = support.BIN, hidden
        try:
            kwargs = support.unprivileged_kwargs(self.tmp)
            proc = support.run_pkgsizer(["--version"], **kwargs)
        finally:
            support.BIN = saved
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertTrue(proc.stdout.startswith("pkgsizer "), describe(proc))
        self.assertNotEqual(kwargs["binary"], hidden)


if __name__ == "__main__":
    unittest.main()
