// What recommend needs from a shared library: its SONAME and the bytes of its debug sections.
// Read with elfutils' libelf in ELF_C_READ mode, which reads the ELF header and the section
// header table, and only the sections asked for (the section names, the dynamic section): a
// library of hundreds of megabytes costs a few small reads (docs/recommend.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace pkgsizer::recommend {

struct ElfInfo {
  std::string soname;  // DT_SONAME, empty when none
  // What `strip --strip-debug` removes: the debug sections with their headers and names, and
  // the STT_FILE symbols with their names; alignment padding may move a few bytes either way.
  std::uint64_t debug_bytes = 0;
  std::uint64_t debug_sections = 0;  // how many .debug_* / .zdebug_* sections
};

// Nothing when `path` is not an ELF file or cannot be read.
std::optional<ElfInfo> read_elf_info(const std::string& path);

}  // namespace pkgsizer::recommend
