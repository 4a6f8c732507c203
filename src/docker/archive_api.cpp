#include "docker/archive_api.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/shared_library.hpp"

#ifndef PKGSIZER_LIBARCHIVE_SONAME
#define PKGSIZER_LIBARCHIVE_SONAME "libarchive.so.13"
#endif

namespace pkgsizer::docker {
namespace {

ArchiveApi load_libarchive() {
  const SharedLibrary loader(PKGSIZER_LIBARCHIVE_SONAME, "libarchive, needed to read image layers",
                             ErrorCategory::kEnvironment);
  ArchiveApi api{};
  loader.load(api.read_new, "archive_read_new");
  loader.load(api.read_free, "archive_read_free");
  loader.load(api.read_support_filter_all, "archive_read_support_filter_all");
  loader.load(api.read_support_format_tar, "archive_read_support_format_tar");
  loader.load(api.read_support_format_empty, "archive_read_support_format_empty");
  loader.load(api.read_open, "archive_read_open");
  loader.load(api.read_next_header, "archive_read_next_header");
  loader.load(api.read_data_block, "archive_read_data_block");
  loader.load(api.filter_bytes, "archive_filter_bytes");
  loader.load(api.filter_count, "archive_filter_count");
  loader.load(api.filter_name, "archive_filter_name");
  loader.load(api.error_string, "archive_error_string");
  loader.load(api.set_error, "archive_set_error");
  loader.load(api.entry_filetype, "archive_entry_filetype");
  loader.load(api.entry_hardlink, "archive_entry_hardlink");
  loader.load(api.entry_pathname, "archive_entry_pathname");
  loader.load(api.entry_size, "archive_entry_size");
  loader.load(api.entry_size_is_set, "archive_entry_size_is_set");
  loader.load(api.entry_symlink, "archive_entry_symlink");
  return api;
}

}  // namespace

const ArchiveApi& libarchive() {
  static const ArchiveApi api = load_libarchive();  // a failed load throws, and is tried again
  return api;
}

}  // namespace pkgsizer::docker
