#include "util/shared_library.hpp"

#include <dlfcn.h>

#include <utility>

namespace pkgsizer {

SharedLibrary::SharedLibrary(const char* soname, std::string name, ErrorCategory category)
    : soname_(soname), name_(std::move(name)), category_(category) {
  handle_ = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
  if (!handle_)
    throw Error(category_, fmt::format("cannot load {} ({}): {}", soname_, name_, ::dlerror()));
}

void* SharedLibrary::address_of(const char* symbol) const {
  void* address = ::dlsym(handle_, symbol);
  if (!address) {
    const std::string library = name_.substr(0, name_.find(','));
    throw Error(category_,
                fmt::format("{} has no {}: this {} is too old", soname_, symbol, library));
  }
  return address;
}

}  // namespace pkgsizer
