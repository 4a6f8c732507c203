#!/usr/bin/env python3
"""The installed core works from outside: `cmake --install` into a temporary prefix, a tiny
CMake project that does find_package(pkgsizer) and links pkgsizer::core, built and run on a
one-distribution site-packages tree. What it prints is the scan as JSON.

Usage: install_test.py CMAKE GENERATOR BUILD_DIR CXX_COMPILER [COMPILER_LAUNCHER]
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

CMAKE, GENERATOR, BUILD_DIR, CXX = sys.argv[1:5]
LAUNCHER = sys.argv[5] if len(sys.argv) > 5 else ""
del sys.argv[1:]

CONSUMER_CMAKE = """cmake_minimum_required(VERSION 3.22)
project(pkgsizer_consumer LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(pkgsizer 0.2 REQUIRED)
add_executable(consumer main.cpp)
target_link_libraries(consumer PRIVATE pkgsizer::core)
"""

CONSUMER_MAIN = """#include <pkgsizer/json.hpp>
#include <pkgsizer/scan.hpp>
#include <pkgsizer/version.hpp>

#include <iostream>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  pkgsizer::env::EnvironmentRequest request;
  request.site_packages = {argv[1]};
  const pkgsizer::Environment environment = pkgsizer::env::locate_environment(request);
  const pkgsizer::Scan scan = pkgsizer::graph::scan_environment(environment, {});
  std::cout << pkgsizer::model::scan_to_json(scan).dump(2) << std::endl;
  return scan.tool_version == pkgsizer::kVersion ? 0 : 1;
}
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


def sanitize_option(build_dir):
    """The PKGSIZER_SANITIZE value the core was built with, from its CMake cache."""
    with open(os.path.join(build_dir, "CMakeCache.txt"), encoding="utf-8") as cache:
        for line in cache:
            if line.startswith("PKGSIZER_SANITIZE:"):
                return line.split("=", 1)[1].strip()
    return ""


def run(argv, **kwargs):
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=600, **kwargs)
    if proc.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


class InstalledPackageTest(unittest.TestCase):
    def test_find_package_builds_a_program_that_scans(self):
        with tempfile.TemporaryDirectory(prefix="pkgsizer-install-") as tmp:
            prefix = os.path.join(tmp, "prefix")
            run([CMAKE, "--install", BUILD_DIR, "--prefix", prefix])
            self.assertTrue(os.path.exists(os.path.join(prefix, "include", "pkgsizer", "scan.hpp")))
            # The command's man page and completions (cmake/Packaging.cmake).
            for path in ("bin/pkgsizer", "share/man/man1/pkgsizer.1",
                         "share/bash-completion/completions/pkgsizer",
                         "share/zsh/vendor-completions/_pkgsizer",
                         "share/fish/vendor_completions.d/pkgsizer.fish"):
                self.assertTrue(os.path.isfile(os.path.join(prefix, path)), path)

            project = os.path.join(tmp, "consumer")
            write(os.path.join(project, "CMakeLists.txt"), CONSUMER_CMAKE)
            write(os.path.join(project, "main.cpp"), CONSUMER_MAIN)
            build = os.path.join(tmp, "consumer-build")
            configure = [CMAKE, "-S", project, "-B", build, "-G", GENERATOR,
                         "-DCMAKE_BUILD_TYPE=Release", f"-DCMAKE_PREFIX_PATH={prefix}",
                         f"-DCMAKE_CXX_COMPILER={CXX}"]
            if LAUNCHER:
                configure.append(f"-DCMAKE_CXX_COMPILER_LAUNCHER={LAUNCHER}")
            run(configure)
            # A sanitized core (PKGSIZER_SANITIZE, as scripts/test.sh builds it) links only
            # into a program built with the same sanitizers.
            sanitizers = sanitize_option(BUILD_DIR)
            if sanitizers:
                configure += [f"-DCMAKE_CXX_FLAGS=-fsanitize={sanitizers}",
                              f"-DCMAKE_EXE_LINKER_FLAGS=-fsanitize={sanitizers}"]
                run(configure)
            run([CMAKE, "--build", build, "-j2"])

            site = os.path.join(tmp, "site-packages")
            write(os.path.join(site, "demo", "__init__.py"), "VALUE = 1\n" * 100)
            dist_info = os.path.join(site, "demo-1.0.dist-info")
            write(os.path.join(dist_info, "METADATA"),
                  "Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n")
            write(os.path.join(dist_info, "RECORD"),
                  "demo/__init__.py,,1000\ndemo-1.0.dist-info/METADATA,,\n"
                  "demo-1.0.dist-info/RECORD,,\n")
            proc = run([os.path.join(build, "consumer"), site])
            scan = json.loads(proc.stdout)
            [demo] = scan["distributions"]
            self.assertEqual((demo["name"], demo["version"]), ("demo", "1.0"))
            on_disk = sum(os.path.getsize(os.path.join(root, name))
                          for root, _, files in os.walk(site) for name in files)
            self.assertEqual(demo["apparent_bytes"], on_disk)


if __name__ == "__main__":
    unittest.main(verbosity=2)
