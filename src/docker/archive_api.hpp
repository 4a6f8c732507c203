// libarchive, loaded on first use, as predict loads libcurl (predict/curl_api.hpp): linked, it
// and what it needs (libxml2, ICU, lzma, zstd, lz4, bz2, acl: eleven libraries) would be loaded
// and initialised by every command, ~0.3 ms each (docs/design.md), for the one that reads images.
#pragma once

#include <archive.h>
#include <archive_entry.h>

namespace pkgsizer::docker {

// The libarchive functions pkgsizer calls, with their own signatures (from archive.h).
struct ArchiveApi {
  decltype(&::archive_read_new) read_new;
  decltype(&::archive_read_free) read_free;
  decltype(&::archive_read_support_filter_all) read_support_filter_all;
  decltype(&::archive_read_support_format_tar) read_support_format_tar;
  decltype(&::archive_read_support_format_empty) read_support_format_empty;
  decltype(&::archive_read_open) read_open;
  decltype(&::archive_read_next_header) read_next_header;
  decltype(&::archive_read_data_block) read_data_block;
  decltype(&::archive_filter_bytes) filter_bytes;
  decltype(&::archive_filter_count) filter_count;
  decltype(&::archive_filter_name) filter_name;
  decltype(&::archive_error_string) error_string;
  decltype(&::archive_set_error) set_error;
  decltype(&::archive_entry_filetype) entry_filetype;
  decltype(&::archive_entry_hardlink) entry_hardlink;
  decltype(&::archive_entry_pathname) entry_pathname;
  decltype(&::archive_entry_size) entry_size;
  decltype(&::archive_entry_size_is_set) entry_size_is_set;
  decltype(&::archive_entry_symlink) entry_symlink;
};

// Loads libarchive once (thread-safe) and returns its functions. Throws pkgsizer::Error
// (kEnvironment), naming the library, when it is missing or lacks a function.
const ArchiveApi& libarchive();

}  // namespace pkgsizer::docker
