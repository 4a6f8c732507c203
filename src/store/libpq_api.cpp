#include "store/libpq_api.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include "util/error.hpp"

#ifndef PKGSIZER_LIBPQ_SONAME
#define PKGSIZER_LIBPQ_SONAME "libpq.so.5"
#endif

namespace pkgsizer::store {
namespace {

class Loader {
 public:
  explicit Loader(const char* library) : library_(library) {
    handle_ = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle_)
      throw Error(ErrorCategory::kStore,
                  fmt::format("cannot load {} (libpq, needed for a PostgreSQL history): {}",
                              library, ::dlerror()));
  }

  template <typename Function>
  void load(Function& function, const char* symbol) {
    void* address = ::dlsym(handle_, symbol);
    if (!address)
      throw Error(ErrorCategory::kStore,
                  fmt::format("{} has no {}: this libpq is too old", library_, symbol));
    function = reinterpret_cast<Function>(address);
  }

 private:
  const char* library_;
  void* handle_;  // never closed: libpq stays loaded for the life of the process
};

LibpqApi load_libpq() {
  Loader loader(PKGSIZER_LIBPQ_SONAME);
  LibpqApi api{};
  loader.load(api.connectdb_params, "PQconnectdbParams");
  loader.load(api.status, "PQstatus");
  loader.load(api.error_message, "PQerrorMessage");
  loader.load(api.finish, "PQfinish");
  loader.load(api.exec_params, "PQexecParams");
  loader.load(api.result_status, "PQresultStatus");
  loader.load(api.result_error_message, "PQresultErrorMessage");
  loader.load(api.result_error_field, "PQresultErrorField");
  loader.load(api.ntuples, "PQntuples");
  loader.load(api.getvalue, "PQgetvalue");
  loader.load(api.getlength, "PQgetlength");
  loader.load(api.getisnull, "PQgetisnull");
  loader.load(api.cmd_tuples, "PQcmdTuples");
  loader.load(api.clear, "PQclear");
  loader.load(api.set_notice_processor, "PQsetNoticeProcessor");
  return api;
}

}  // namespace

const LibpqApi& libpq() {
  static const LibpqApi api = load_libpq();  // a failed load throws, and is tried again next time
  return api;
}

}  // namespace pkgsizer::store
