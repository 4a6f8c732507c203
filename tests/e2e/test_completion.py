"""Shell completions (`pkgsizer completion bash|zsh|fish`) and the man page (`pkgsizer man`),
both generated from the CLI11 option definitions, run in the real shells: bash (the function
`complete -F` registers, called with COMP_WORDS as readline would), zsh (compinit's compdef
registration, the function called with words/CURRENT) and fish (`complete -C`, fish's own
completion engine). Distribution names come from `pkgsizer complete-names` on the environment
named on the command line.
"""

import os
import shutil
import subprocess
import unittest

from support import BIN, BinaryTestCase, base_env, describe, run_pkgsizer, write_file

DISTRIBUTIONS = ("PyYAML-6.0.1", "requests-2.31.0", "typing_extensions-4.9.0")


def require(tool):
    if shutil.which(tool) is None:
        raise AssertionError(f"{tool} is not installed (scripts/install-deps.sh installs it)")


class CompletionTest(BinaryTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for tool in ("bash", "zsh", "fish", "groff"):
            require(tool)
        cls.site = os.path.join(cls.tmp, "site")
        for dist in DISTRIBUTIONS:
            name, version = dist.split("-")
            write_file(os.path.join(cls.site, f"{dist}.dist-info", "METADATA"),
                       f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
        # The completions run `pkgsizer` as the user typed it: put the binary on PATH.
        cls.bin_dir = os.path.join(cls.tmp, "bin")
        os.makedirs(cls.bin_dir)
        os.symlink(BIN, os.path.join(cls.bin_dir, "pkgsizer"))
        cls.env = base_env({"PATH": cls.bin_dir + os.pathsep + os.environ.get("PATH", "")})
        cls.scripts = {}
        for shell in ("bash", "zsh", "fish"):
            proc = run_pkgsizer(["completion", shell])
            assert proc.returncode == 0, describe(proc)
            cls.scripts[shell] = os.path.join(cls.tmp, f"pkgsizer.{shell}")
            write_file(cls.scripts[shell], proc.stdout)

    def shell(self, argv):
        proc = subprocess.run(argv, capture_output=True, text=True, env=self.env, timeout=60,
                              cwd=self.tmp, stdin=subprocess.DEVNULL)
        self.assertEqual(proc.returncode, 0, describe(proc))
        return proc.stdout

    def bash(self, *words):
        """The candidates bash offers for the last word of `words`."""
        array = " ".join("'" + w.replace("'", "'\\''") + "'" for w in words)
        script = (f"source {self.scripts['bash']}; complete -p pkgsizer; "
                  f"COMP_WORDS=({array}); COMP_CWORD={len(words) - 1}; _pkgsizer; "
                  "printf '%s\\n' \"${COMPREPLY[@]}\"")
        lines = self.shell(["bash", "--norc", "--noprofile", "-c", script]).splitlines()
        self.assertEqual(lines[0], "complete -F _pkgsizer pkgsizer")
        return set(filter(None, lines[1:]))

    def zsh(self, *words):
        # compinit registers the function as a real completion; compadd and _files only work
        # inside the completion widget, so they print what they are given here.
        script = (f"autoload -U compinit; compinit -u -D; source {self.scripts['zsh']}; "
                  "print -r -- \"registered=$_comps[pkgsizer]\"; "
                  "compadd() { [[ $1 == -- ]] && shift; print -rl -- \"$@\"; }; "
                  "_files() { print -r -- '<files>'; }; "
                  f"words=({' '.join(repr(w) for w in words)}); CURRENT={len(words)}; _pkgsizer")
        lines = self.shell(["zsh", "-f", "-c", script]).splitlines()
        self.assertEqual(lines[0], "registered=_pkgsizer")
        current = words[-1]
        return {w for w in lines[1:] if w and (w.startswith(current) or w == "<files>")}

    def fish(self, line):
        script = f"source {self.scripts['fish']}; complete -C {fish_quote(line)}"
        return {entry.split("\t")[0] for entry in self.shell(["fish", "--no-config", "-c", script]).splitlines()}

    def test_subcommands(self):
        self.assertEqual(self.bash("pkgsizer", "sc"), {"scan-env"})
        self.assertEqual(self.zsh("pkgsizer", "sc"), {"scan-env"})
        self.assertEqual(self.fish("pkgsizer sc"), {"scan-env"})
        for hidden in ("completion", "man", "complete-names"):
            self.assertNotIn(hidden, self.bash("pkgsizer", ""))
        self.assertEqual(self.bash("pkgsizer", "track", "sn"), {"snapshot"})
        self.assertEqual(self.fish("pkgsizer track sn"), {"snapshot"})
        self.assertEqual(self.zsh("pkgsizer", "track", "sn"), {"snapshot"})

    def test_options_of_the_subcommand(self):
        self.assertEqual(self.bash("pkgsizer", "scan-env", "--u"), {"--units", "--unowned"})
        self.assertEqual(self.zsh("pkgsizer", "scan-env", "--u"), {"--units", "--unowned"})
        self.assertEqual(self.fish("pkgsizer scan-env --u"), {"--units", "--unowned"})
        self.assertIn("--max-paths", self.bash("pkgsizer", "why", "--m"))
        self.assertNotIn("--max-paths", self.bash("pkgsizer", "scan-env", "--m"))

    def test_option_values_from_the_choices(self):
        self.assertEqual(self.bash("pkgsizer", "scan-env", "--by", ""), {"size", "files", "name"})
        self.assertEqual(self.zsh("pkgsizer", "scan-env", "--by", ""), {"size", "files", "name"})
        self.assertEqual(self.fish("pkgsizer scan-env --by "), {"size", "files", "name"})
        self.assertEqual(self.bash("pkgsizer", "why", "x", "--color", "a"), {"always", "auto"})
        self.assertEqual(self.fish("pkgsizer check-budget --format j"), {"json", "junit"})

    def test_paths_after_an_option_that_takes_one(self):
        # compgen -f gives the name; bash adds the / on screen (compopt -o filenames).
        self.assertIn("site", self.bash("pkgsizer", "scan-env", "--venv", "si"))
        self.assertEqual(self.zsh("pkgsizer", "scan-env", "--venv", "si"), {"<files>"})
        self.assertIn("site/", self.fish("pkgsizer scan-env --venv si"))

    def test_installed_distribution_names_after_p_and_why(self):
        names = {"PyYAML", "requests", "typing_extensions"}
        line = ["pkgsizer", "scan-env", "--site-packages", self.site, "-p", ""]
        self.assertEqual(self.bash(*line), names)
        self.assertEqual(self.zsh(*line), names)
        self.assertEqual(self.fish(" ".join(line)), names)
        self.assertEqual(self.bash("pkgsizer", "why", "--site-packages", self.site, "re"), {"requests"})
        self.assertEqual(self.fish(f"pkgsizer why --site-packages {self.site} Py"), {"PyYAML"})
        self.assertEqual(self.zsh("pkgsizer", "why", "--site-packages", self.site, "t"),
                         {"typing_extensions"})
        self.assertEqual(self.bash("pkgsizer", "scan-env", "--site-packages", self.site, "--exclude", "t"),
                         {"typing_extensions"})

    def test_zsh_autoloads_it_from_fpath(self):
        """Installed as _pkgsizer in a directory of $fpath (as the .deb and the wheel do), the
        file is found by compinit through its #compdef line and completes on first use."""
        fpath_dir = os.path.join(self.tmp, "zsh-functions")
        os.makedirs(fpath_dir, exist_ok=True)
        shutil.copy(self.scripts["zsh"], os.path.join(fpath_dir, "_pkgsizer"))
        script = (f"fpath=({fpath_dir} $fpath); autoload -U compinit; compinit -u -D; "
                  "print -r -- \"registered=$_comps[pkgsizer]\"; "
                  "compadd() { [[ $1 == -- ]] && shift; print -rl -- \"$@\"; }; "
                  "words=(pkgsizer track sn); CURRENT=3; _pkgsizer")
        lines = self.shell(["zsh", "-f", "-c", script]).splitlines()
        self.assertEqual(lines[0], "registered=_pkgsizer")
        self.assertIn("snapshot", lines[1:])

    def test_complete_names_lists_the_environment(self):
        proc = run_pkgsizer(["complete-names", "--site-packages", self.site])
        self.assertEqual(proc.returncode, 0, describe(proc))
        self.assertEqual(proc.stdout.splitlines(), ["PyYAML", "requests", "typing_extensions"])
        proc = run_pkgsizer(["complete-names", "--venv", os.path.join(self.tmp, "nowhere")])
        self.assertEqual(proc.returncode, 3, describe(proc))

    def test_the_man_page_lists_every_command_and_option(self):
        proc = run_pkgsizer(["man"])
        self.assertEqual(proc.returncode, 0, describe(proc))
        page = os.path.join(self.tmp, "pkgsizer.1")
        write_file(page, proc.stdout)
        groff = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", page], capture_output=True,
                               text=True, timeout=60)
        self.assertEqual((groff.returncode, groff.stderr), (0, ""))
        text = subprocess.run(["groff", "-man", "-Tascii", "-P", "-c", "-P", "-b", "-P", "-u", page],
                              capture_output=True, text=True, timeout=60).stdout
        for heading in ("pkgsizer scan-env", "pkgsizer track snapshot", "pkgsizer predict",
                        "EXIT STATUS"):
            self.assertIn(heading, text)
        help_text = run_pkgsizer(["scan-env", "--help"]).stdout
        for option in ("--include-editable", "--module-depth", "--exclude-files", "--units"):
            self.assertIn(option, help_text)
            self.assertIn(option, text)
        self.assertNotIn("complete-names", text)


def fish_quote(text):
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


if __name__ == "__main__":
    unittest.main()
