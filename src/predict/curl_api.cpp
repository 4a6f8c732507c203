#include "predict/curl_api.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

#include <stdexcept>

#include "util/error.hpp"

#ifndef PKGSIZER_LIBCURL_SONAME
#define PKGSIZER_LIBCURL_SONAME "libcurl.so.4"
#endif

namespace pkgsizer::predict {
namespace {

class Loader {
 public:
  explicit Loader(const char* library) : library_(library) {
    handle_ = ::dlopen(library, RTLD_NOW | RTLD_LOCAL);
    if (!handle_)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("cannot load {} (libcurl, needed to reach a package index): {}",
                              library, ::dlerror()));
  }

  template <typename Function>
  void load(Function& function, const char* symbol) {
    void* address = ::dlsym(handle_, symbol);
    if (!address)
      throw Error(ErrorCategory::kEnvironment,
                  fmt::format("{} has no {}: this libcurl is too old", library_, symbol));
    function = reinterpret_cast<Function>(address);
  }

 private:
  const char* library_;
  void* handle_;  // never closed: libcurl stays loaded for the life of the process
};

CurlApi load_curl() {
  Loader loader(PKGSIZER_LIBCURL_SONAME);
  CurlApi api{};
  loader.load(api.global_init, "curl_global_init");
  loader.load(api.getdate, "curl_getdate");
  loader.load(api.free, "curl_free");
  loader.load(api.slist_append, "curl_slist_append");
  loader.load(api.slist_free_all, "curl_slist_free_all");
  loader.load(api.easy_init, "curl_easy_init");
  loader.load(api.easy_cleanup, "curl_easy_cleanup");
  loader.load(api.easy_setopt, "curl_easy_setopt");
  loader.load(api.easy_perform, "curl_easy_perform");
  loader.load(api.easy_getinfo, "curl_easy_getinfo");
  loader.load(api.easy_strerror, "curl_easy_strerror");
  loader.load(api.multi_init, "curl_multi_init");
  loader.load(api.multi_cleanup, "curl_multi_cleanup");
  loader.load(api.multi_setopt, "curl_multi_setopt");
  loader.load(api.multi_add_handle, "curl_multi_add_handle");
  loader.load(api.multi_remove_handle, "curl_multi_remove_handle");
  loader.load(api.multi_perform, "curl_multi_perform");
  loader.load(api.multi_poll, "curl_multi_poll");
  loader.load(api.multi_info_read, "curl_multi_info_read");
  loader.load(api.multi_strerror, "curl_multi_strerror");
  loader.load(api.url, "curl_url");
  loader.load(api.url_cleanup, "curl_url_cleanup");
  loader.load(api.url_set, "curl_url_set");
  loader.load(api.url_get, "curl_url_get");
  return api;
}

}  // namespace

const CurlApi& curl() {
  static const CurlApi api = load_curl();  // a failed load throws, and is tried again next time
  return api;
}

}  // namespace pkgsizer::predict
