// libcurl, loaded on first use. Only `predict` talks to the network, yet an executable linked
// with libcurl makes every command load it and the ~30 libraries it needs (TLS, Kerberos, LDAP,
// IDN...) at start-up, and run their initialisers: about 8 ms, which is most of a cached scan.
// So the executable does not link libcurl: the first call to curl() dlopen()s it.
#pragma once

#include <curl/curl.h>

namespace pkgsizer::predict {

// The libcurl functions pkgsizer calls, with their own signatures (from curl/curl.h).
struct CurlApi {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_getdate) getdate;
  decltype(&::curl_free) free;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_easy_perform) easy_perform;  // pkgsizer docker (the Engine API)
  decltype(&::curl_multi_init) multi_init;
  decltype(&::curl_multi_cleanup) multi_cleanup;
  decltype(&::curl_multi_setopt) multi_setopt;
  decltype(&::curl_multi_add_handle) multi_add_handle;
  decltype(&::curl_multi_remove_handle) multi_remove_handle;
  decltype(&::curl_multi_perform) multi_perform;
  decltype(&::curl_multi_poll) multi_poll;
  decltype(&::curl_multi_info_read) multi_info_read;
  decltype(&::curl_multi_strerror) multi_strerror;
  decltype(&::curl_url) url;
  decltype(&::curl_url_cleanup) url_cleanup;
  decltype(&::curl_url_set) url_set;
  decltype(&::curl_url_get) url_get;
};

// Loads libcurl once (thread-safe) and returns its functions. Throws pkgsizer::Error, naming
// the library, when it is missing or lacks a function.
const CurlApi& curl();

}  // namespace pkgsizer::predict
