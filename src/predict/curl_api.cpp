#include "predict/curl_api.hpp"

#include <fmt/format.h>

#include <stdexcept>

#include "util/error.hpp"
#include "util/shared_library.hpp"

#ifndef PKGSIZER_LIBCURL_SONAME
#define PKGSIZER_LIBCURL_SONAME "libcurl.so.4"
#endif

namespace pkgsizer::predict {
namespace {

CurlApi load_curl() {
  const SharedLibrary loader(PKGSIZER_LIBCURL_SONAME, "libcurl, needed to reach a package index",
                             ErrorCategory::kEnvironment);
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
