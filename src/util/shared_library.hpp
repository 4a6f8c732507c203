#pragma once
// A shared library loaded on first use with dlopen(), and its functions looked up by name: what
// predict (libcurl), store (libpq) and docker (libarchive) do so that every command does not load
// their dependencies at start-up (docs/design.md).

#include <fmt/format.h>

#include <string>

#include "util/error.hpp"

namespace pkgsizer {

class SharedLibrary {
 public:
  // `name` says what the library is and what it is needed for, for the error
  // ("libpq, needed for a PostgreSQL history"); failures are Error(category).
  SharedLibrary(const char* soname, std::string name, ErrorCategory category);

  template <typename Function>
  void load(Function& function, const char* symbol) const {
    function = reinterpret_cast<Function>(address_of(symbol));
  }

 private:
  void* address_of(const char* symbol) const;

  const char* soname_;
  std::string name_;
  ErrorCategory category_;
  void* handle_;  // never closed: the library stays loaded for the life of the process
};

}  // namespace pkgsizer
