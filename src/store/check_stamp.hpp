// What a store file looked like when SQLite last found it sound, so that opening it again runs
// the integrity check (PRAGMA quick_check, which reads every page) only when the file changed
// since: a history of 1000 snapshots is checked once after each change, not on every command
// (docs/design.md "The history" has the measured costs).
//
// The stamp is kept in a sidecar, PATH-checked, beside the file's -wal and -shm. It holds the
// file's size, mtime, ctime and inode, and its -wal file's size and mtime when one is not
// empty: any truncation, rewrite or copy over the file changes one of them.
#pragma once

#include <optional>
#include <string>

#include "util/file_system.hpp"

namespace pkgsizer::store {

// The stamp of `path` as one line of text; empty when the file cannot be stat'ed.
std::optional<std::string> store_file_stamp(const std::string& path,
                                            const FileSystem& files = disk_file_system());

// True when the sidecar says the file was found sound with exactly this stamp.
bool checked_with_stamp(const std::string& path, const std::string& stamp,
                        const FileSystem& files = disk_file_system());

// Remembers that the file was found sound with this stamp. Best effort: a sidecar that cannot
// be written (a read-only directory) only means the next open checks again.
void remember_checked(const std::string& path, const std::string& stamp,
                      FileSystem& files = disk_file_system());

// The sidecar's name for a store file.
std::string check_sidecar_path(const std::string& path);

}  // namespace pkgsizer::store
