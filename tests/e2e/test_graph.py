"""The dependency graph on real venvs, with wheels built here and installed by pip: edges from
Requires-Dist (markers, extras, PEP 503 names), cumulative and removal sizes, roots, dependency
problems (missing, version, cycle, unparsable) and --strict, the table columns of --include-deps,
--deps-tree, --reverse, --depth, and `pkgsizer why`.

Every expected size is a sum of the `apparent_bytes` the scan reports for each distribution;
what is checked here is how the graph adds them up, not how files are attributed."""

import json
import os
import re
import unittest

from support import (EXIT_NO_ENV, EXIT_OK, EXIT_USAGE, BinaryTestCase, describe, dists_by_name,
                     normalize, escape, make_venv, make_wheel, payload, pip_install, run_pkgsizer, scan_json,
                     venv_site_packages)

EXIT_DEPENDENCY_PROBLEMS = 6  # --strict and a missing dependency, version conflict or cycle
EXIT_NOT_INSTALLED = 7        # `why` of a distribution that is not installed

DEPENDENCY_KINDS = {"missing", "version", "cycle", "requirement"}


def build_wheel(directory, name, version="1.0", requires=(), size=1000, extra_metadata=""):
    """A wheel with one package of `size` bytes: sizes differ, so that a wrong sum shows."""
    files = {f"{escape(name)}/__init__.py": payload(size, name)}
    return make_wheel(directory, name, version, files, requires=requires,
                      extra_metadata=extra_metadata)


def bytes_of(dists, names):
    return sum(dists[n]["apparent_bytes"] for n in names)


def dependency_warnings(model, kind=None):
    return [w for w in model["warnings"]
            if w.get("kind") in DEPENDENCY_KINDS and (kind is None or w["kind"] == kind)]


def requires_by_name(dist):
    """normalized_name -> the `requires` entry (asserting each dependency appears once)."""
    result = {}
    for req in dist["requires"]:
        assert req["normalized_name"] not in result, f"{req['normalized_name']} listed twice"
        result[req["normalized_name"]] = req
    return result


def table_rows(stdout):
    """The table at the top of the text output: (header cells, first cell -> {header: cell})."""
    lines = stdout.split("\n\n", 1)[0].splitlines()
    header = re.split(r"\s{2,}", lines[0].strip())
    rows = {}
    for line in lines[1:]:
        cells = re.split(r"\s{2,}", line.strip())
        rows[cells[0]] = dict(zip(header, cells))
    return header, rows


def tree_lines(stdout):
    """The tree before the "Dependency problems:" section, as (depth, text) pairs; a depth is
    the number of 4-character tree prefixes ("├── ", "│   ", "└── ", "    ") before the text."""
    body = stdout.split("\nDependency problems:", 1)[0]
    result = []
    for line in body.splitlines():
        if not line.strip():
            continue
        m = re.match(r"^((?:├── |└── |│   |    )*)(.*)$", line)
        result.append((len(m.group(1)) // 4, m.group(2)))
    return result


def problems_section(stdout):
    """The lines of the "Dependency problems:" section (empty when there is none)."""
    if "Dependency problems:" not in stdout:
        return []
    section = stdout.split("Dependency problems:", 1)[1]
    return [line.strip() for line in section.splitlines() if line.strip()]


class DependencyGraphTest(BinaryTestCase):
    """A consistent environment:

        app (requested) -> left -> base
                        -> right -> base                    (a diamond)
                        -> extras-lib[fast] -> speedups[turbo] -> turbodep
                        -> never-there; python_version < "3.0"   (false marker)
                        -> winonly; sys_platform == "win32"      (false marker)
        extras-lib: docsdep; extra == "docs"  (docsdep installed, requested, but no edge)
        namer (requested) -> typing-ext-pkg  (installed as Typing_Ext.Pkg)
                          -> markok; python_version >= "3"       (true marker)
                          -> selfx[all]; selfx[all] -> selfx[a] -> adep  (an extra naming
                             other extras of its own distribution, a common pattern)
    """

    APP_CLOSURE = ["app", "left", "right", "base", "extras-lib", "speedups", "turbodep"]

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wheels = os.path.join(cls.tmp, "wheels")
        build_wheel(wheels, "app", requires=[
            "left", "right", "extras-lib[fast]", 'never-there; python_version < "3.0"',
            'winonly; sys_platform == "win32"'], size=5000)
        build_wheel(wheels, "left", requires=["base"], size=3000)
        build_wheel(wheels, "right", requires=["base>=1.0"], size=4000)
        build_wheel(wheels, "base", size=7000)
        # pip follows an extra only when Provides-Extra declares it.
        build_wheel(wheels, "extras-lib", requires=[
            'speedups[turbo]; extra == "fast"', 'docsdep; extra == "docs"'], size=2000,
            extra_metadata="Provides-Extra: fast\nProvides-Extra: docs")
        build_wheel(wheels, "speedups", requires=['turbodep; extra == "turbo"'], size=1500,
                    extra_metadata="Provides-Extra: turbo")
        build_wheel(wheels, "turbodep", size=1300)
        build_wheel(wheels, "docsdep", size=1200)
        build_wheel(wheels, "namer", requires=[
            "typing-ext-pkg", 'markok; python_version >= "3"', "selfx[all]"], size=800)
        build_wheel(wheels, "Typing_Ext.Pkg", size=900)
        build_wheel(wheels, "markok", size=700)
        build_wheel(wheels, "selfx", requires=['selfx[a]; extra == "all"', 'adep; extra == "a"'],
                    size=600, extra_metadata="Provides-Extra: all\nProvides-Extra: a")
        build_wheel(wheels, "adep", size=500)
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        pip_install(cls.venv, wheels, "app", "namer", "docsdep")
        cls.model, _ = scan_json(None, ["--venv", cls.venv, "-q"])
        cls.dists = dists_by_name(cls.model)

    def run_ok(self, args):
        proc = run_pkgsizer(args + ["--venv", self.venv, "--color", "never"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        return proc

    def why_json(self, name, *extra):
        proc = run_pkgsizer(["why", name, "--venv", self.venv, "--json", "-"] + list(extra))
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        return json.loads(proc.stdout)

    # --- the model ---------------------------------------------------------------------------

    def test_installed_as_built(self):
        # The preconditions of every other test: pip installed the graph we meant.
        expected = set(self.APP_CLOSURE) | {"docsdep", "namer", "typing-ext-pkg", "markok",
                                            "selfx", "adep"}
        self.assertTrue(expected <= set(self.dists), sorted(self.dists))
        self.assertNotIn("never-there", self.dists)
        self.assertNotIn("winonly", self.dists)
        for name in ("app", "namer", "docsdep"):
            self.assertTrue(self.dists[name]["requested"], name)
        for name in ("left", "right", "base", "speedups", "typing-ext-pkg"):
            self.assertFalse(self.dists[name]["requested"], name)

    def test_diamond_sizes(self):
        d = self.dists
        closure = bytes_of(d, self.APP_CLOSURE)
        self.assertEqual(d["app"]["cumulative_bytes"], closure, "app + every dependency, once")
        self.assertEqual(d["app"]["removal_bytes"], closure, "nothing else keeps them installed")
        self.assertEqual(d["left"]["cumulative_bytes"], bytes_of(d, ["left", "base"]))
        self.assertEqual(d["right"]["cumulative_bytes"], bytes_of(d, ["right", "base"]))
        self.assertTrue(d["app"]["removable"])
        # Uninstalling a distribution that others require breaks them: there is no size to
        # free, and the JSON says so rather than give one.
        for name in ("left", "right", "base", "extras-lib"):
            self.assertFalse(d[name]["removable"], name)
            self.assertIsNone(d[name]["removal_bytes"], name)
        self.assertEqual(d["base"]["cumulative_bytes"], d["base"]["apparent_bytes"])

    def test_required_by_and_roots(self):
        d = self.dists
        self.assertEqual(d["base"]["required_by"], ["left", "right"])
        self.assertEqual(d["left"]["required_by"], ["app"])
        self.assertEqual(d["app"]["required_by"], [])
        self.assertEqual(d["typing-ext-pkg"]["required_by"], ["namer"])
        for name in ("app", "namer", "docsdep", "pip"):
            self.assertTrue(d[name]["root"], name)
        for name in ("left", "right", "base", "extras-lib", "speedups", "turbodep", "markok"):
            self.assertFalse(d[name]["root"], name)

    def test_requires_entries(self):
        reqs = requires_by_name(self.dists["app"])
        self.assertEqual(sorted(reqs), ["extras-lib", "left", "right"])
        self.assertEqual(reqs["extras-lib"], {
            "requirement": "extras-lib[fast]", "normalized_name": "extras-lib",
            "extras": ["fast"], "specifier": "", "installed": True, "installed_version": "1.0",
            "satisfied": True})
        base = requires_by_name(self.dists["right"])["base"]
        self.assertEqual(base["specifier"], ">=1.0")
        self.assertTrue(base["installed"])
        self.assertTrue(base["satisfied"])
        self.assertEqual(self.dists["base"]["requires"], [])

    def test_extras_followed(self):
        # app requires extras-lib[fast]: its "fast" edge exists, its "docs" edge does not,
        # although docsdep is installed; speedups[turbo] is followed one level further.
        lib = requires_by_name(self.dists["extras-lib"])
        self.assertEqual(sorted(lib), ["speedups"])
        self.assertEqual(lib["speedups"]["extras"], ["turbo"])
        self.assertEqual(sorted(requires_by_name(self.dists["speedups"])), ["turbodep"])
        self.assertEqual(self.dists["docsdep"]["required_by"], [])
        self.assertEqual(self.dists["speedups"]["required_by"], ["extras-lib"])
        self.assertEqual(self.dists["turbodep"]["required_by"], ["speedups"])

    def test_false_markers_are_no_edges(self):
        raw = self.dists["app"]["requires_dist"]
        self.assertTrue(any(r.startswith("never-there") for r in raw), raw)
        self.assertTrue(any(r.startswith("winonly") for r in raw), raw)
        for dist in self.model["distributions"]:
            for req in dist["requires"]:
                self.assertNotIn(req["normalized_name"], ("never-there", "winonly"),
                                 dist["normalized_name"])
        messages = " ".join(w["message"] for w in self.model["warnings"])
        self.assertNotIn("never-there", messages)
        self.assertNotIn("winonly", messages)
        # The control: a marker that holds makes an edge.
        self.assertIn("markok", requires_by_name(self.dists["namer"]))
        self.assertEqual(self.dists["markok"]["required_by"], ["namer"])

    def test_names_normalized(self):
        req = requires_by_name(self.dists["namer"])["typing-ext-pkg"]
        self.assertTrue(req["installed"], req)
        self.assertEqual(req["installed_version"], "1.0")
        self.assertEqual(self.dists["typing-ext-pkg"]["name"], "Typing_Ext.Pkg")
        self.assertEqual(self.dists["namer"]["cumulative_bytes"],
                         bytes_of(self.dists, ["namer", "typing-ext-pkg", "markok", "selfx",
                                               "adep"]))

    def test_extras_through_own_extras(self):
        # selfx[all] requires selfx[a], which requires adep: adep is a dependency of selfx,
        # and a distribution naming itself is no cycle.
        d = self.dists
        self.assertIn("adep", requires_by_name(d["selfx"]))
        self.assertEqual(d["adep"]["required_by"], ["selfx"])
        self.assertEqual(d["selfx"]["required_by"], ["namer"])
        self.assertEqual(d["selfx"]["cumulative_bytes"], bytes_of(d, ["selfx", "adep"]))
        self.assertIsNone(d["selfx"]["removal_bytes"], "namer requires selfx")
        self.assertEqual(dependency_warnings(self.model, "cycle"), [])

    def test_deps_tree_own_extras_no_cycle(self):
        # The tree must agree with the warnings: no cycle is reported, so none is drawn.
        proc = self.run_ok(["scan-env", "-p", "namer", "--deps-tree"])
        names = [text.split()[0] for _, text in tree_lines(proc.stdout)]
        self.assertIn("adep", names, describe(proc))
        self.assertNotIn("(cycle)", proc.stdout, describe(proc))

    def test_no_dependency_problems(self):
        self.assertEqual(dependency_warnings(self.model), [])
        for w in self.model["warnings"]:
            self.assertIn("kind", w)
        proc = self.run_ok(["scan-env", "--strict"])
        self.assertNotIn("Dependency problems:", proc.stdout, describe(proc))

    # --- views -------------------------------------------------------------------------------

    def test_include_deps_columns(self):
        proc = self.run_ok(["scan-env", "--include-deps"])
        header, rows = table_rows(proc.stdout)
        self.assertEqual(header[-2:], ["With deps", "Frees"], describe(proc))
        app, left, base = rows["app"], rows["left"], rows["base"]
        self.assertNotEqual(app["With deps"], app["Size"], describe(proc))
        self.assertEqual(app["Frees"], app["With deps"], describe(proc))
        self.assertNotEqual(left["With deps"], left["Size"], describe(proc))
        self.assertEqual(left["Frees"], "—", "app requires left" + describe(proc))
        self.assertEqual(base["Frees"], "—", "left and right require base" + describe(proc))
        self.assertIn("Frees —: other distributions require it", proc.stdout, describe(proc))
        self.assertEqual(base["With deps"], base["Size"], describe(proc))
        plain, _ = table_rows(self.run_ok(["scan-env"]).stdout)
        self.assertNotIn("With deps", plain)
        self.assertNotIn("Frees", plain)

    def test_deps_tree_from_roots(self):
        proc = self.run_ok(["scan-env", "--deps-tree"])
        lines = tree_lines(proc.stdout)
        tops = [text.split()[0] for depth, text in lines if depth == 0]
        for root in ("app", "namer", "docsdep", "pip"):
            self.assertIn(root, tops, describe(proc))
        for inner in ("left", "right", "base", "speedups"):
            self.assertNotIn(inner, tops, describe(proc))
        bases = [(depth, text) for depth, text in lines if text.split()[0] == "base"]
        self.assertEqual(len(bases), 2, describe(proc))
        self.assertEqual(sum("(see above)" in text for _, text in bases), 1, describe(proc))
        self.assertEqual({depth for depth, _ in bases}, {2}, describe(proc))
        # The same cumulative size as the table's column.
        _, rows = table_rows(self.run_ok(["scan-env", "--include-deps"]).stdout)
        app_line = next(text for depth, text in lines if depth == 0 and text.startswith("app "))
        self.assertIn(f"(with deps {rows['app']['With deps']})", app_line, describe(proc))
        self.assertNotIn("never-there", proc.stdout)
        self.assertNotIn("(missing)", proc.stdout)

    def test_deps_tree_of_package_with_depth(self):
        proc = self.run_ok(["scan-env", "-p", "app", "--deps-tree"])
        names = [text.split()[0] for _, text in tree_lines(proc.stdout)]
        self.assertEqual(names[0], "app", describe(proc))
        self.assertTrue({"left", "right", "base", "extras-lib", "speedups", "turbodep"}
                        <= set(names), describe(proc))
        self.assertNotIn("namer", names, describe(proc))
        proc = self.run_ok(["scan-env", "-p", "app", "--deps-tree", "--depth", "1"])
        lines = tree_lines(proc.stdout)
        self.assertEqual(sorted(text.split()[0] for _, text in lines),
                         ["app", "extras-lib", "left", "right"], describe(proc))
        self.assertEqual(max(depth for depth, _ in lines), 1, describe(proc))

    def test_depth_selects_dependencies(self):
        model, _ = scan_json(self, ["--venv", self.venv, "-q", "--depth", "1", "-p", "app"])
        names = sorted(d["normalized_name"] for d in model["distributions"])
        self.assertEqual(names, ["app", "extras-lib", "left", "right"])
        self.assertEqual(model["totals"]["distributions"], 4)
        model, _ = scan_json(self, ["--venv", self.venv, "-q", "--depth", "2", "-p", "app"])
        names = sorted(d["normalized_name"] for d in model["distributions"])
        self.assertEqual(names, ["app", "base", "extras-lib", "left", "right", "speedups"])
        proc = self.run_ok(["scan-env", "--depth", "1", "-p", "app"])
        _, rows = table_rows(proc.stdout)
        self.assertEqual(sorted(rows), ["app", "extras-lib", "left", "right"], describe(proc))

    def test_reverse_tree(self):
        proc = self.run_ok(["scan-env", "--reverse", "-p", "base"])
        lines = tree_lines(proc.stdout)
        self.assertEqual(lines[0][0], 0, describe(proc))
        self.assertEqual(lines[0][1].split()[0], "base", describe(proc))
        depth_of = {}
        for depth, text in lines:
            depth_of.setdefault(text.split()[0], depth)
        self.assertEqual(depth_of.get("left"), 1, describe(proc))
        self.assertEqual(depth_of.get("right"), 1, describe(proc))
        self.assertEqual(depth_of.get("app"), 2, describe(proc))
        self.assertNotIn("namer", depth_of, describe(proc))

    def test_reverse_needs_package(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv, "--reverse"])
        self.assertEqual(proc.returncode, EXIT_USAGE, describe(proc))
        self.assertTrue(proc.stderr.startswith("pkgsizer: error:"), describe(proc))

    # --- why ---------------------------------------------------------------------------------

    def test_why_base_text(self):
        proc = self.run_ok(["why", "base"])
        path_lines = [line for line in proc.stdout.splitlines() if "→" in line]
        routes = sorted(re.findall(r"([\w.-]+) \(", line) for line in path_lines)
        self.assertEqual(routes, [["app", "left", "base"], ["app", "right", "base"]],
                         describe(proc))
        self.assertIn("Not without breaking what requires it: left, right.", proc.stdout,
                      describe(proc))

    def test_why_base_json(self):
        d = self.dists
        answer = self.why_json("base")
        self.assertEqual(answer["name"], "base")
        self.assertEqual(answer["normalized_name"], "base")
        self.assertEqual(answer["version"], "1.0")
        for key in ("apparent_bytes", "cumulative_bytes", "removal_bytes", "requested",
                    "required_by"):
            self.assertEqual(answer[key], d["base"][key], key)
        routes = sorted([step["name"] for step in path] for path in answer["paths"])
        self.assertEqual(routes, [["app", "left", "base"], ["app", "right", "base"]])
        for path in answer["paths"]:
            for step in path:
                self.assertEqual(step["apparent_bytes"], d[step["name"]]["apparent_bytes"], step)
                self.assertEqual(step["version"], "1.0", step)
        self.assertEqual(answer["paths_total"], 2)
        self.assertFalse(answer["paths_total_is_lower_bound"])
        self.assertFalse(answer["removable"])
        self.assertEqual(answer["freed"], [])
        self.assertIsNone(answer["freed_bytes"])
        self.assertIsNone(answer["removal_bytes"])

    def test_table_why_and_json_agree_on_what_removal_frees(self):
        _, rows = table_rows(self.run_ok(["scan-env", "--include-deps"]).stdout)
        for name, dist in self.dists.items():
            with self.subTest(name=name):
                row = next(r for cell, r in rows.items() if normalize(cell.split()[0]) == name)
                answer = self.why_json(name)
                text = self.run_ok(["why", name]).stdout
                self.assertEqual(answer["removable"], dist["removable"])
                self.assertEqual(answer["removal_bytes"], dist["removal_bytes"])
                if dist["removable"]:
                    self.assertEqual(answer["freed_bytes"], dist["removal_bytes"])
                    self.assertIn(f"Uninstalling it frees {row['Frees']}", text)
                else:
                    self.assertEqual(row["Frees"], "—")
                    self.assertIsNone(answer["freed_bytes"])
                    self.assertIn("Not without breaking what requires it: "
                                  + ", ".join(dist["required_by"]), text)

    def test_why_app(self):
        answer = self.why_json("app")
        self.assertTrue(answer["removable"])
        self.assertTrue(answer["requested"])
        self.assertEqual(answer["freed_bytes"], self.dists["app"]["removal_bytes"])
        self.assertEqual(sorted(answer["freed"]), sorted(self.APP_CLOSURE))
        self.assertEqual(answer["freed_bytes"], bytes_of(self.dists, answer["freed"]))
        proc = self.run_ok(["why", "app"])
        self.assertIn("Can I remove it? Yes. Uninstalling it frees", proc.stdout, describe(proc))
        # The freed size is written as the table writes app's "Frees" column.
        _, rows = table_rows(self.run_ok(["scan-env", "--include-deps"]).stdout)
        self.assertIn(f"frees {rows['app']['Frees']}", proc.stdout, describe(proc))

    def test_why_max_paths(self):
        proc = self.run_ok(["why", "base", "--max-paths", "1"])
        self.assertEqual(sum("→" in line for line in proc.stdout.splitlines()), 1, describe(proc))
        self.assertIn("and 1 more", proc.stdout, describe(proc))
        answer = self.why_json("base", "--max-paths", "1")
        self.assertEqual(len(answer["paths"]), 1)
        self.assertEqual(answer["paths_total"], 2)
        proc = self.run_ok(["why", "base", "--max-paths", "2"])
        self.assertNotIn("more", proc.stdout, describe(proc))

    def test_why_any_spelling(self):
        answer = self.why_json("TYPING.ext_Pkg")
        self.assertEqual(answer["normalized_name"], "typing-ext-pkg")
        self.assertEqual(answer["name"], "Typing_Ext.Pkg")
        self.assertEqual(answer["paths_total"], 1)
        self.assertEqual(answer["required_by"], ["namer"])

    def test_why_path_steps_use_metadata_names(self):
        # `name` is the METADATA Name at the top of the answer and in the text paths
        # ("namer (…) → Typing_Ext.Pkg (…)"); the steps of `paths` must say the same.
        answer = self.why_json("typing-ext-pkg")
        self.assertEqual([[step["name"] for step in path] for path in answer["paths"]],
                         [["namer", "Typing_Ext.Pkg"]])
        proc = self.run_ok(["why", "typing-ext-pkg"])
        self.assertIn("→ Typing_Ext.Pkg (", proc.stdout, describe(proc))

    def test_why_not_installed_exit_7(self):
        proc = run_pkgsizer(["why", "nothing-here", "--venv", self.venv])
        self.assertEqual(proc.returncode, EXIT_NOT_INSTALLED, describe(proc))
        self.assertTrue(proc.stderr.startswith("pkgsizer: error:"), describe(proc))
        self.assertIn("nothing-here", proc.stderr, describe(proc))
        self.assertEqual(proc.stdout, "", describe(proc))

    def test_why_no_environment_exit_3(self):
        proc = run_pkgsizer(["why", "base", "--venv", os.path.join(self.tmp, "no-such-venv")])
        self.assertEqual(proc.returncode, EXIT_NO_ENV, describe(proc))
        self.assertTrue(proc.stderr.startswith("pkgsizer: error:"), describe(proc))


class DependencyProblemsTest(BinaryTestCase):
    """An environment with every kind of dependency problem, each installed with --no-deps:

        left -> base 1.0 (installed as left's dependency)
        lonely -> ghost>=1.0                  (missing)
        oldbase-user -> base<0.5              (version)
        cyc-a <-> cyc-b, neither REQUESTED    (cycle, nothing outside requires it)
        holder -> loop-x <-> loop-y           (cycle, held from outside)
        badreq: an unparsable Requires-Dist   (requirement)
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        wheels = os.path.join(cls.tmp, "wheels")
        build_wheel(wheels, "left", requires=["base"], size=3000)
        build_wheel(wheels, "base", size=7000)
        build_wheel(wheels, "lonely", requires=["ghost>=1.0"], size=600)
        build_wheel(wheels, "oldbase-user", requires=["base<0.5"], size=700)
        build_wheel(wheels, "cyc-a", requires=["cyc-b"], size=500)
        build_wheel(wheels, "cyc-b", requires=["cyc-a"], size=400)
        build_wheel(wheels, "holder", requires=["loop-x"], size=300)
        build_wheel(wheels, "loop-x", requires=["loop-y"], size=250)
        build_wheel(wheels, "loop-y", requires=["loop-x"], size=200)
        build_wheel(wheels, "badreq", requires=["this is ((( not valid"], size=100)
        cls.venv = make_venv(os.path.join(cls.tmp, "venv"))
        pip_install(cls.venv, wheels, "left", "holder")
        pip_install(cls.venv, wheels, "lonely", "oldbase-user", "cyc-a", "cyc-b", "badreq",
                    extra=["--no-deps"])
        # pip marks what it was asked for; the cycle must be a root by the cycle rule alone.
        site = venv_site_packages(cls.venv)
        for name in ("cyc_a", "cyc_b"):
            os.remove(os.path.join(site, f"{name}-1.0.dist-info", "REQUESTED"))
        cls.model, _ = scan_json(None, ["--venv", cls.venv, "-q"])
        cls.dists = dists_by_name(cls.model)

    def one_warning(self, kind, dist_info):
        found = [w for w in dependency_warnings(self.model, kind)
                 if w["path"].endswith(os.sep + dist_info)]
        self.assertEqual(len(found), 1, self.model["warnings"])
        self.assertEqual(found[0]["severity"], "warning")
        return found[0]

    def test_installed_as_built(self):
        expected = {"left", "base", "lonely", "oldbase-user", "cyc-a", "cyc-b", "holder",
                    "loop-x", "loop-y", "badreq"}
        self.assertTrue(expected <= set(self.dists), sorted(self.dists))
        self.assertFalse(self.dists["cyc-a"]["requested"])
        self.assertFalse(self.dists["cyc-b"]["requested"])

    def test_missing(self):
        w = self.one_warning("missing", "lonely-1.0.dist-info")
        self.assertIn("ghost", w["message"])
        req = requires_by_name(self.dists["lonely"])["ghost"]
        self.assertFalse(req["installed"], req)
        self.assertFalse(req["satisfied"], req)
        self.assertEqual(req["specifier"], ">=1.0")
        self.assertEqual(len(dependency_warnings(self.model, "missing")), 1, self.model["warnings"])

    def test_version_conflict(self):
        w = self.one_warning("version", "oldbase_user-1.0.dist-info")
        self.assertIn("base", w["message"])
        req = requires_by_name(self.dists["oldbase-user"])["base"]
        self.assertTrue(req["installed"], req)
        self.assertEqual(req["installed_version"], "1.0")
        self.assertEqual(req["specifier"], "<0.5")
        self.assertFalse(req["satisfied"], req)
        self.assertTrue(requires_by_name(self.dists["left"])["base"]["satisfied"])
        self.assertEqual(self.dists["base"]["required_by"], ["left", "oldbase-user"])
        self.assertEqual(len(dependency_warnings(self.model, "version")), 1, self.model["warnings"])

    def test_cycle_nothing_outside_requires(self):
        cycles = [w for w in dependency_warnings(self.model, "cycle")
                  if "cyc-a" in w["message"]]
        self.assertEqual(len(cycles), 1, self.model["warnings"])
        self.assertIn("cyc-b", cycles[0]["message"])
        d = self.dists
        for name, other in (("cyc-a", "cyc-b"), ("cyc-b", "cyc-a")):
            self.assertTrue(d[name]["root"], name)
            self.assertEqual(d[name]["required_by"], [other])
            self.assertEqual(d[name]["cumulative_bytes"], bytes_of(d, ["cyc-a", "cyc-b"]), name)
            # Each requires the other: neither goes without breaking the other.
            self.assertIsNone(d[name]["removal_bytes"], name)

    def test_cycle_held_from_outside(self):
        cycles = [w for w in dependency_warnings(self.model, "cycle")
                  if "loop-x" in w["message"]]
        self.assertEqual(len(cycles), 1, self.model["warnings"])
        d = self.dists
        self.assertFalse(d["loop-x"]["root"])
        self.assertFalse(d["loop-y"]["root"])
        self.assertTrue(d["holder"]["root"])
        self.assertEqual(d["loop-x"]["required_by"], ["holder", "loop-y"])
        everything = bytes_of(d, ["holder", "loop-x", "loop-y"])
        self.assertEqual(d["holder"]["cumulative_bytes"], everything)
        self.assertEqual(d["holder"]["removal_bytes"], everything)
        self.assertIsNone(d["loop-x"]["removal_bytes"], "holder requires loop-x")
        self.assertIsNone(d["loop-y"]["removal_bytes"], "loop-x requires loop-y")

    def test_unparsable_requirement(self):
        w = self.one_warning("requirement", "badreq-1.0.dist-info")
        self.assertIn("this is ((( not valid", w["message"])
        self.assertEqual(self.dists["badreq"]["requires"], [])

    def test_unparsable_requirement_names_its_distribution(self):
        # The table's "Dependency problems:" section shows messages without paths: each must
        # say which distribution it is about, as the missing/version/cycle messages do.
        w = self.one_warning("requirement", "badreq-1.0.dist-info")
        self.assertIn("badreq", w["message"])

    def test_problems_are_warnings_not_errors(self):
        for w in dependency_warnings(self.model):
            self.assertEqual(w["severity"], "warning", w)
        self.assertEqual({w["kind"] for w in dependency_warnings(self.model)}, DEPENDENCY_KINDS)
        for w in self.model["warnings"]:
            self.assertIn(w.get("kind"), DEPENDENCY_KINDS | {"scan"}, w)

    def test_table_lists_problems_exit_0(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv, "--color", "never"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        self.assertTrue(proc.stdout.startswith("Distribution"), describe(proc))
        section = problems_section(proc.stdout)
        self.assertEqual(len(section), 5, describe(proc))
        text = "\n".join(section)
        for needle in ("ghost>=1.0", "base<0.5", "cyc-a", "loop-x", "this is ((( not valid"):
            self.assertIn(needle, text, describe(proc))

    def test_strict_exit_6(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv, "--strict", "--color", "never"])
        self.assertEqual(proc.returncode, EXIT_DEPENDENCY_PROBLEMS, describe(proc))
        self.assertIn("Dependency problems:", proc.stdout, describe(proc))
        _, rows = table_rows(proc.stdout)
        self.assertIn("lonely", rows, describe(proc))
        model, _ = scan_json(self, ["--venv", self.venv, "-q", "--strict"],
                             expect_rc=EXIT_DEPENDENCY_PROBLEMS)
        self.assertEqual(len(dependency_warnings(model)), 5, model["warnings"])

    def test_deps_tree_cycle(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv, "-p", "cyc-a", "--deps-tree",
                             "--color", "never"], timeout=20)
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        lines = tree_lines(proc.stdout)
        self.assertEqual([(depth, text.split()[0]) for depth, text in lines],
                         [(0, "cyc-a"), (1, "cyc-b"), (2, "cyc-a")], describe(proc))
        self.assertTrue(lines[-1][1].endswith("(cycle)"), describe(proc))

    def test_deps_tree_missing(self):
        proc = run_pkgsizer(["scan-env", "--venv", self.venv, "-p", "lonely", "--deps-tree",
                             "--color", "never"])
        self.assertEqual(proc.returncode, EXIT_OK, describe(proc))
        lines = tree_lines(proc.stdout)
        self.assertEqual(len(lines), 2, describe(proc))
        self.assertEqual(lines[1][0], 1, describe(proc))
        self.assertIn("ghost", lines[1][1], describe(proc))
        self.assertIn("(missing)", lines[1][1], describe(proc))


if __name__ == "__main__":
    unittest.main()
