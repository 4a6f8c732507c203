#include <catch2/catch.hpp>

#include "env/locate.hpp"
#include "util/file_system.hpp"

using pkgsizer::MemoryFileSystem;
using pkgsizer::env::layout_site_packages;
using Directories = std::vector<std::string>;

TEST_CASE("layout_site_packages: a venv's lib64 link to lib gives its site-packages once") {
  MemoryFileSystem files;
  files.add_directory("/venv/lib/python3.11/site-packages");
  files.add_link("/venv/lib64", "lib");
  CHECK(layout_site_packages("/venv", false, files) ==
        Directories{"/venv/lib/python3.11/site-packages"});
}

TEST_CASE("layout_site_packages: dist-packages only in the Debian style") {
  MemoryFileSystem files;
  files.add_directory("/usr/lib/python3/dist-packages");
  files.add_directory("/usr/lib/python3.11/site-packages");
  CHECK(layout_site_packages("/usr", false, files) ==
        Directories{"/usr/lib/python3.11/site-packages"});
  CHECK(layout_site_packages("/usr", true, files) ==
        Directories{"/usr/lib/python3/dist-packages", "/usr/lib/python3.11/site-packages"});
}

TEST_CASE("layout_site_packages: every python* directory in name order, then the Windows layout") {
  MemoryFileSystem files;
  files.add_directory("/p/lib/python3.9/site-packages");
  files.add_directory("/p/lib/python3.12/site-packages");
  files.add_directory("/p/lib/pkgconfig");
  files.add_file("/p/lib/python3.13/site-packages");  // a file is no directory
  files.add_directory("/p/Lib/site-packages");
  CHECK(layout_site_packages("/p", false, files) == Directories{"/p/lib/python3.12/site-packages",
                                                                "/p/lib/python3.9/site-packages",
                                                                "/p/Lib/site-packages"});
}

TEST_CASE("layout_site_packages: real paths, through a linked site-packages") {
  MemoryFileSystem files;
  files.add_directory("/store/numpy-env");
  files.add_link("/p/lib/python3.11/site-packages", "/store/numpy-env");
  CHECK(layout_site_packages("/p", false, files) == Directories{"/store/numpy-env"});
  CHECK(layout_site_packages("/nowhere", true, files).empty());
}
