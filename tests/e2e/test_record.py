"""RECORD parsing and attribution on hand-written site-packages trees, and the error cases
that make a scan partial (exit 4)."""

import hashlib
import os
import unittest

from support import (EXIT_FAIL_OVER, EXIT_OK, EXIT_PARTIAL, assert_reconciles, assert_size,
                     BinaryTestCase, describe, dirs_under, dists_by_name, error_warnings, lsize,
                     make_tempdir, record_hash, remove_tree, require_binary, run_pkgsizer,
                     scan_json, SiteTree, Size, unowned_by_path, unprivileged_kwargs)


def crlf_record(rows):
    """RECORD text written by hand: rows are already CSV-formatted lines."""
    return ("\r\n".join(rows) + "\r\n").encode()


class RecordParsingTest(BinaryTestCase):
    """One tree with a RECORD that uses every corner of the format, scanned once."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        t = cls.tree = SiteTree(cls.tmp)
        site = t.site
        info = "weird-1.0.dist-info"
        files = {
            "weird/__init__.py": b"# weird\n" * 50,
            "weird/a,b.py": b"x = 1\n" * 77,
            'weird/say "hi".txt': b"hi\n" * 31,
            "weird/nohash.dat": b"\0" * 1234,
            "weird/hexhash.bin": b"\1" * 2345,
            "weird/space name.txt": b"s" * 99,
            "weird/liar.txt": b"ten bytes!",
            "weird/abs_inside.txt": b"a" * 555,
        }
        for rel, data in files.items():
            t.write(rel, data)
        tool = t.write("../../../bin/tool", b"#!/bin/sh\necho tool\n" * 20)
        notice = os.path.join(t.prefix, "share", "doc", "weird", "NOTICE")
        t.write(os.path.relpath(notice, site), b"N" * 3210)
        t.write(f"{info}/METADATA", "Metadata-Version: 2.1\nName: Weird\nVersion: 1.0\n"
                "Requires-Dist: plain>=2.0\nRequires-Dist: extra-thing; extra == \"x\"\n")
        t.write(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        t.write(f"{info}/INSTALLER", "pip\n")
        t.write(f"{info}/REQUESTED", "")

        def h(rel):
            with open(t.path(rel), "rb") as f:
                return record_hash(f.read())

        def n(rel):
            return str(lsize(t.path(rel)))

        hexdigest = hashlib.sha256(files["weird/hexhash.bin"]).hexdigest()
        rows = [
            f"weird/__init__.py,{h('weird/__init__.py')},{n('weird/__init__.py')}",
            f'"weird/a,b.py",{h("weird/a,b.py")},{n("weird/a,b.py")}',
            f'"weird/say ""hi"".txt",,',
            "weird/nohash.dat,,",
            f"weird/hexhash.bin,sha256={hexdigest},{n('weird/hexhash.bin')}",
            f"weird/space name.txt,{h('weird/space name.txt')},",
            "weird/liar.txt,,999999",  # the size column lies: sizes come from lstat
            f"{t.path('weird/abs_inside.txt')},,",  # absolute, inside site-packages
            "weird/abs_inside.txt,,",  # ... and the same file again, relative
            f"{notice},,",  # absolute, outside site-packages
            f"../../../bin/tool,{h('../../../bin/tool')},{n('../../../bin/tool')}",
            f"weird/__init__.py,{h('weird/__init__.py')},{n('weird/__init__.py')}",  # duplicate
            f"../../../bin/tool,{h('../../../bin/tool')},{n('../../../bin/tool')}",  # duplicate
            "weird/gone.py,,",  # listed, not on disk
            f"{info}/METADATA,,",
            f"{info}/WHEEL,,",
            f"{info}/INSTALLER,,",
            f"{info}/REQUESTED,,",
            f"{info}/RECORD,,",
        ]
        t.write(f"{info}/RECORD", crlf_record(rows))
        cls.weird_files = [t.path(r) for r in files] + [tool, notice] + [
            t.path(f"{info}/{f}") for f in ("METADATA", "WHEEL", "INSTALLER", "REQUESTED", "RECORD")]
        cls.outside = Size([tool, notice])

        cls.plain_files = t.dist_info("plain", "2.0", {"plain/__init__.py": 4000,
                                                       "plain/util.py": 700}, installer="uv")
        cls.stray = t.write("stray.py", 1111)
        cls.orphan = t.write("orphan_dir/data.bin", 3000)
        cls.model, cls.proc = scan_json(None, ["--site-packages", site])

    def test_exit_and_no_errors(self):
        self.assertEqual(self.proc.returncode, EXIT_OK)
        self.assertEqual(error_warnings(self.model), [])

    def test_weird_distribution_exact(self):
        d = dists_by_name(self.model)["weird"]
        self.assertEqual(d["name"], "Weird")
        self.assertEqual(d["version"], "1.0")
        self.assertEqual(d["files_source"], "RECORD")
        self.assertEqual(d["installer"], "pip")
        self.assertTrue(d["requested"])
        self.assertFalse(d["editable"])
        assert_size(self, d, Size(self.weird_files), "weird")
        self.assertEqual(d["outside_bytes"], self.outside.apparent_bytes)
        self.assertEqual(d["missing_files"], 1)
        self.assertEqual(d["shared_bytes"], 0)
        self.assertEqual(d["shared_files"], 0)
        self.assertEqual(d["requires_dist"], ["plain>=2.0", 'extra-thing; extra == "x"'])
        self.assertTrue(d["metadata_path"].endswith("weird-1.0.dist-info"), d["metadata_path"])

    def test_plain_distribution_exact(self):
        d = dists_by_name(self.model)["plain"]
        assert_size(self, d, Size(self.plain_files), "plain")
        self.assertEqual(d["installer"], "uv")
        self.assertFalse(d["requested"])
        self.assertEqual(d["outside_bytes"], 0)
        self.assertEqual(d["missing_files"], 0)
        self.assertEqual(d["requires_dist"], [])

    def test_unowned(self):
        unowned = unowned_by_path(self.model)
        self.assertEqual(set(unowned), {"stray.py", "orphan_dir"}, self.model["unowned"])
        assert_size(self, unowned["stray.py"], Size([self.stray]), "stray.py")
        assert_size(self, unowned["orphan_dir"], Size([self.orphan]), "orphan_dir")
        sizes = [e["apparent_bytes"] for e in self.model["unowned"]]
        self.assertEqual(sizes, sorted(sizes, reverse=True), "unowned not largest first")
        assert_size(self, self.model["totals"]["unowned"], Size([self.stray, self.orphan]),
                    "totals.unowned")

    def test_totals(self):
        t = self.model["totals"]
        self.assertEqual(t["distributions"], 2)
        assert_size(self, t["owned"], Size(self.weird_files + self.plain_files), "totals.owned")
        assert_size(self, t["outside"], self.outside, "totals.outside")
        assert_size(self, t["directories"], Size(dirs_under(self.tree.site)), "totals.directories")
        self.assertEqual(t["shared"]["apparent_bytes"], 0)
        self.assertEqual(t["selected"], t["owned"], "no filter: what is shown is all owned")

    def test_reconciles_with_du(self):
        assert_reconciles(self, self.model, self.tree.site)

    def test_same_result_with_any_number_of_threads(self):
        def essentials(model):
            return (model["totals"], model["distributions"], model["unowned"])
        for jobs in ("1", "3", "16"):
            with self.subTest(jobs=jobs):
                model, _ = scan_json(self, ["--site-packages", self.tree.site, "-j", jobs])
                self.assertEqual(essentials(model), essentials(self.model))


class PartialScanTest(unittest.TestCase):
    """Error-severity problems: the scan goes on, reports them, and exits 4."""

    def setUp(self):
        require_binary()
        self.tmp = make_tempdir()
        self.tree = SiteTree(self.tmp)
        self.good_files = self.tree.dist_info("good", "1.0", {"good/__init__.py": 2500})

    def tearDown(self):
        remove_tree(self.tmp)

    def scan_partial(self, culprit, **kwargs):
        model, proc = scan_json(self, ["--site-packages", self.tree.site], expect_rc=EXIT_PARTIAL,
                                **kwargs)
        errors = error_warnings(model)
        self.assertTrue(any(culprit in w["path"] for w in errors),
                        f"no error warning about {culprit}: {model['warnings']}")
        for w in errors:
            self.assertTrue(w["message"], w)
        self.assertIn(culprit, proc.stderr, "the problem must also be reported on stderr")
        # The rest of the scan is whole.
        good = dists_by_name(model)["good"]
        assert_size(self, good, Size(self.good_files), "good")
        assert_reconciles(self, model, self.tree.site)
        return model

    def test_binary_junk_record(self):
        self.tree.write("junk/__init__.py", 300)
        self.tree.dist_info("junk", "1.0", record=False)
        self.tree.write("junk-1.0.dist-info/RECORD",
                        bytes(range(256)) * 3 + b"\0\0\xff\xfe garbage \x00\n\x00\x01")
        self.scan_partial("junk-1.0.dist-info")

    def test_record_with_wrong_column_count(self):
        self.tree.write("cols/__init__.py", 300)
        self.tree.dist_info("cols", "1.0", record=False)
        self.tree.write("cols-1.0.dist-info/RECORD",
                        "cols/__init__.py,,,extra,columns\ncols-1.0.dist-info/METADATA\n")
        self.scan_partial("cols-1.0.dist-info")

    def test_record_that_is_a_directory(self):
        self.tree.write("dirrec/__init__.py", 300)
        self.tree.dist_info("dirrec", "1.0", record=False)
        os.makedirs(self.tree.path("dirrec-1.0.dist-info/RECORD"))
        self.scan_partial("dirrec-1.0.dist-info")

    def test_unreadable_record(self):
        self.tree.dist_info("locked", "1.0", {"locked/__init__.py": 300})
        record = self.tree.path("locked-1.0.dist-info/RECORD")
        kwargs = unprivileged_kwargs(self.tmp)
        os.chmod(record, 0)
        self.scan_partial("locked-1.0.dist-info", **kwargs)

    def test_metadata_without_name(self):
        self.tree.dist_info("noname", "1.0", {"noname/__init__.py": 300},
                            metadata="Metadata-Version: 2.1\nVersion: 1.0\nSummary: no name\n")
        model = self.scan_partial("noname-1.0.dist-info")
        self.assertIn("good", dists_by_name(model))

    def test_quiet_silences_stderr_not_the_exit_code(self):
        self.tree.write("junk/__init__.py", 300)
        self.tree.dist_info("junk", "1.0", record=False)
        self.tree.write("junk-1.0.dist-info/RECORD", b"\0\1\2\xff\n\xfe")
        model, proc = scan_json(self, ["--site-packages", self.tree.site, "-q"],
                                expect_rc=EXIT_PARTIAL)
        self.assertEqual(proc.stderr, "", "-q: no warnings on stderr")
        self.assertTrue(error_warnings(model), "the JSON still carries the problem")

    def test_fail_over_wins_over_partial(self):
        self.tree.dist_info("noname", "1.0", {"noname/__init__.py": 300},
                            metadata="Metadata-Version: 2.1\nVersion: 1.0\n")
        proc = run_pkgsizer(["scan-env", "--site-packages", self.tree.site, "--fail-over", "1"])
        self.assertEqual(proc.returncode, EXIT_FAIL_OVER, describe(proc))

    def test_unreadable_directory(self):
        self.tree.write("private_cache/blob.bin", 5000)
        kwargs = unprivileged_kwargs(self.tmp)
        os.chmod(self.tree.path("private_cache"), 0)
        model, proc = scan_json(self, ["--site-packages", self.tree.site], expect_rc=EXIT_PARTIAL,
                                **kwargs)
        self.assertTrue(any("private_cache" in w["path"] for w in error_warnings(model)),
                        model["warnings"])
        self.assertIn("private_cache", proc.stderr)
        assert_size(self, dists_by_name(model)["good"], Size(self.good_files), "good")


if __name__ == "__main__":
    unittest.main()
