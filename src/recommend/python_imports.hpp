// The imports of one Python source file, found by tokenizing it (the Python Language Reference,
// "Lexical analysis"): `import a.b`, `from a.b import c`, `importlib.import_module("a.b")`,
// `__import__("a")`, and the strings of a Django `INSTALLED_APPS = [...]`. Strings, comments
// and bracketed continuation lines are tokens, not text, so an "import x" inside a docstring is
// no import. Pure: text in, references out; never throws for bad input.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pkgsizer::recommend {

enum class ImportKind {
  kImport,         // import a.b / from a.b import c
  kDynamic,        // importlib.import_module("a.b"), __import__("a.b")
  kInstalledApps,  // a string of Django's INSTALLED_APPS
};

struct ImportReference {
  std::string module;  // dotted absolute name: "a.b"; relative imports are left out
  std::size_t line = 0;
  ImportKind kind = ImportKind::kImport;
  bool type_only = false;    // under `if TYPE_CHECKING:` (PEP 484): not needed at run time
  bool in_function = false;  // inside a def: imported when called, not when loaded
};

// Every absolute import of `source`, in the order they appear. Files larger than a few
// megabytes are the caller's to skip.
std::vector<ImportReference> find_imports(std::string_view source);

// True for a dotted name of identifiers ("a.b_c.d"), as an import names a module.
bool is_dotted_name(std::string_view text);

}  // namespace pkgsizer::recommend
