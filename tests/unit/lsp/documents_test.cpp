#include "lsp/documents.hpp"

#include <catch2/catch.hpp>
#include <tuple>

using namespace pkgsizer::lsp;

namespace {

using Place = std::tuple<std::string, std::size_t, std::size_t, std::size_t>;

std::vector<Place> places(DocumentKind kind, std::string_view text, const std::string& name) {
  std::vector<Place> out;
  for (const RequirementSpan& span : find_requirements(kind, text, name).requirements)
    out.emplace_back(span.normalized_name, span.line, span.start, span.end);
  return out;
}

}  // namespace

TEST_CASE("document kinds from the file name", "[lsp]") {
  CHECK(document_kind("/p/requirements.txt") == DocumentKind::kRequirements);
  CHECK(document_kind("/p/requirements-dev.txt") == DocumentKind::kRequirements);
  CHECK(document_kind("/p/requirements.in") == DocumentKind::kRequirements);
  CHECK(document_kind("/p/pyproject.toml") == DocumentKind::kPyproject);
  CHECK(document_kind("/p/uv.lock") == DocumentKind::kUvLock);
  CHECK(document_kind("/p/pylock.toml") == DocumentKind::kPylock);
  CHECK(document_kind("/p/pylock.dev.toml") == DocumentKind::kPylock);
  CHECK(document_kind("/p/setup.py") == DocumentKind::kOther);
}

TEST_CASE("requirements.txt: names past comments, options and continuations", "[lsp]") {
  const std::string text =
      "# numpy is not a requirement here\n"
      "--index-url https://example.org/simple\n"
      "  Requests[socks] >= 2.0 ; python_version > '3' # requests\n"
      "torch \\\n"
      "  ==2.1 \\\n"
      "  --hash=sha256:00\n"
      "\\\n"
      "scipy\n"
      "-e ./local\n"
      "é-pkg==1  # not a name: PEP 508 names are ASCII\n"
      "numpy\r\n";
  const DocumentRequirements found =
      find_requirements(DocumentKind::kRequirements, text, "requirements.txt");
  // The line that does not parse is reported and the others still count.
  REQUIRE(found.problems.size() == 1);
  CHECK(found.problems[0].line == 9);
  CHECK(places(DocumentKind::kRequirements, text, "requirements.txt") ==
        std::vector<Place>{
            {"requests", 2, 2, 10}, {"torch", 3, 0, 5}, {"scipy", 7, 0, 5}, {"numpy", 10, 0, 5}});
  CHECK(found.requirements[0].requirement == "Requests>=2.0");
}

TEST_CASE("requirements.txt: a line being typed does not hide the others", "[lsp]") {
  CHECK(places(DocumentKind::kRequirements, "numpy\nrequests>=\nflask\n", "requirements.txt") ==
        std::vector<Place>{{"numpy", 0, 0, 5}, {"flask", 2, 0, 5}});
}

TEST_CASE("pyproject.toml: every table that declares dependencies", "[lsp]") {
  const std::string text =
      "[project]\n"
      "dependencies = [\"numpy>=1\", 'scipy',\n"
      "  \"pandas ; python_version > '3.9'\",  # é comment\n"
      "]\n"
      "[project.optional-dependencies]\n"
      "cv = [\"opencv-python\"]\n"
      "[dependency-groups]\n"
      "dev = [\"pytest\", {include-group = \"cv\"}]\n"
      "[tool.uv]\n"
      "dev-dependencies = [\"ruff\"]\n"
      "[tool.poetry.dependencies]\n"
      "python = \"^3.11\"\n"
      "Django = \"^5\"\n"
      "[tool.poetry.group.test.dependencies]\n"
      "\"hypothesis\" = { version = \"^6\" }\n";
  CHECK(places(DocumentKind::kPyproject, text, "pyproject.toml") ==
        std::vector<Place>{{"numpy", 1, 17, 22},
                           {"scipy", 1, 29, 34},
                           {"pandas", 2, 3, 9},
                           {"opencv-python", 5, 7, 20},
                           {"pytest", 7, 8, 14},
                           {"ruff", 9, 21, 25},
                           {"django", 12, 0, 6},
                           {"hypothesis", 14, 1, 11}});
}

TEST_CASE("pyproject.toml: positions count UTF-16 units", "[lsp]") {
  // "€" is three bytes and one unit: the name after it starts at unit 22, byte 24.
  CHECK(places(DocumentKind::kPyproject, "[project]\ndependencies = [\"€\", \"six\"]\n",
               "pyproject.toml")
            .back() == Place{"six", 1, 22, 25});
}

TEST_CASE("pyproject.toml that does not parse: one problem at its line", "[lsp]") {
  const DocumentRequirements found = find_requirements(
      DocumentKind::kPyproject, "[project]\ndependencies = [\n", "pyproject.toml");
  CHECK(found.requirements.empty());
  REQUIRE(found.problems.size() == 1);
}

TEST_CASE("uv.lock: each package at its name line, with the size the lock records", "[lsp]") {
  const std::string text =
      "version = 1\n"
      "[[package]]\n"
      "name = \"six\"\n"
      "version = \"1.16.0\"\n"
      "source = { registry = \"https://pypi.org/simple\" }\n"
      "wheels = [{ url = \"https://x/six-1.16.0-py2.py3-none-any.whl\", hash = \"sha256:00\", "
      "size = 11053 }]\n"
      "[[package]]\n"
      "name = \"numpy\"\n"
      "version = \"2.0\"\n"
      "source = { registry = \"https://pypi.org/simple\" }\n";
  const DocumentRequirements found = find_requirements(DocumentKind::kUvLock, text, "uv.lock");
  CHECK(places(DocumentKind::kUvLock, text, "uv.lock") ==
        std::vector<Place>{{"six", 2, 8, 11}, {"numpy", 7, 8, 13}});
  CHECK(found.requirements[0].locked_download_bytes == 11053u);
  CHECK(found.requirements[0].requirement == "six==1.16.0");
  CHECK_FALSE(found.requirements[1].locked_download_bytes);
}
