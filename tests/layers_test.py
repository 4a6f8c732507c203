#!/usr/bin/env python3
"""The layer rule of docs/design.md, checked on the sources.

The modules and what each may use come from the `pkgsizer_module(name deps...)` lines of the
top-level CMakeLists.txt (a module may use what it links, and what those link, down to util).
Every `#include "module/..."` of a file in src/<module>/ must name the module itself or one it
may use; the declared graph itself must have no cycle. A failure names the file and the edge.

Usage: layers_test.py SOURCE_DIR
"""
import os
import re
import sys
import unittest

SOURCE_DIR = sys.argv.pop(1) if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
# Headers under "pkgsizer/": the generated version header (at the bottom, beside util) and
# the public interface of the core (include/pkgsizer/, for the front end and outside users).
GENERATED = {"pkgsizer/version.hpp": "util"}


def declared_modules(source_dir):
    """{module: [modules it links]} from the pkgsizer_module() calls, in their order."""
    with open(os.path.join(source_dir, "CMakeLists.txt"), encoding="utf-8") as cmake:
        text = cmake.read()
    modules = {}
    for match in re.finditer(r"^pkgsizer_module\(([^)]*)\)", text, re.MULTILINE):
        words = match.group(1).split()
        modules[words[0]] = [w[len("pkgsizer_"):] for w in words[1:] if w.startswith("pkgsizer_")]
    return modules


def find_cycle(graph):
    """A list of modules forming a cycle of `graph`, or None."""
    state = {}
    stack = []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for target in graph.get(node, ()):
            if state.get(target) == "open":
                return stack[stack.index(target):] + [target]
            if target not in state:
                cycle = visit(target)
                if cycle:
                    return cycle
        stack.pop()
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def reachable(graph, start):
    seen, todo = set(), [start]
    while todo:
        for target in graph.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def include_edges(source_dir, modules):
    """(file, from module, to module) for every #include of another module's header."""
    src = os.path.join(source_dir, "src")
    for module in sorted(os.listdir(src)):
        folder = os.path.join(src, module)
        if not os.path.isdir(folder):
            continue
        for root, _, files in os.walk(folder):
            for name in sorted(files):
                if not name.endswith((".cpp", ".hpp")):
                    continue
                path = os.path.join(root, name)
                with open(path, encoding="utf-8", errors="replace") as source:
                    text = source.read()
                for line in re.findall(r'^\s*#\s*include\s+"([^"]+)"', text, re.MULTILINE):
                    target = GENERATED.get(line, line.split("/")[0] if "/" in line else module)
                    if target != module:
                        yield os.path.relpath(path, source_dir), module, target, line


class LayersTest(unittest.TestCase):
    def setUp(self):
        self.modules = declared_modules(SOURCE_DIR)
        self.assertIn("util", self.modules, "no pkgsizer_module(util ...) in CMakeLists.txt")

    def test_the_declared_modules_have_no_cycle(self):
        cycle = find_cycle(self.modules)
        self.assertIsNone(cycle, "CMakeLists.txt: modules link in a cycle: " + " -> ".join(cycle or []))

    def test_util_uses_nothing_of_pkgsizer(self):
        self.assertEqual(self.modules["util"], [])

    def test_model_uses_nothing_but_util(self):
        self.assertEqual(reachable(self.modules, "model"), {"util"})

    def test_every_include_goes_down_the_layers(self):
        allowed = {m: reachable(self.modules, m) for m in self.modules}
        allowed["cli"] = set(self.modules) | {"pkgsizer"}
        bad = []
        for path, module, target, header in include_edges(SOURCE_DIR, self.modules):
            if module not in allowed:
                bad.append(f"{path}: module '{module}' is not declared with pkgsizer_module()")
            elif target not in allowed[module]:
                bad.append(f"{path}: #include \"{header}\": {module} -> {target} goes up or "
                           f"sideways (it may use: {', '.join(sorted(allowed[module])) or 'nothing'})")
        self.assertEqual(bad, [], "\n" + "\n".join(bad))

    def test_every_module_folder_is_a_declared_module(self):
        src = os.path.join(SOURCE_DIR, "src")
        folders = {f for f in os.listdir(src) if os.path.isdir(os.path.join(src, f))}
        self.assertEqual(folders - set(self.modules) - {"cli"}, set())


if __name__ == "__main__":
    unittest.main(verbosity=2)
