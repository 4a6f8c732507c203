#include "recommend/elf_info.hpp"

#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <unistd.h>

#include <set>
#include <string_view>

namespace pkgsizer::recommend {
namespace {

// Closes the descriptor and ends the ELF descriptor on every path out.
class OpenElf {
 public:
  explicit OpenElf(const std::string& path) : fd_(::open(path.c_str(), O_RDONLY | O_CLOEXEC)) {
    if (fd_ >= 0) elf_ = elf_begin(fd_, ELF_C_READ, nullptr);
  }
  ~OpenElf() {
    if (elf_) elf_end(elf_);
    if (fd_ >= 0) ::close(fd_);
  }
  OpenElf(const OpenElf&) = delete;
  OpenElf& operator=(const OpenElf&) = delete;
  Elf* get() const { return elf_; }

 private:
  int fd_;
  Elf* elf_ = nullptr;
};

bool is_debug_section(std::string_view name) {
  return name.rfind(".debug_", 0) == 0 || name.rfind(".zdebug_", 0) == 0;
}

std::string soname_of(Elf* elf, Elf_Scn* dynamic, const GElf_Shdr& header) {
  Elf_Data* data = elf_getdata(dynamic, nullptr);
  if (!data || header.sh_entsize == 0) return "";
  const std::size_t count = header.sh_size / header.sh_entsize;
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Dyn entry;
    if (!gelf_getdyn(data, static_cast<int>(i), &entry)) break;
    if (entry.d_tag == DT_NULL) break;
    if (entry.d_tag == DT_SONAME) {
      const char* name = elf_strptr(elf, header.sh_link, entry.d_un.d_val);
      return name ? name : "";
    }
  }
  return "";
}

// strip --strip-debug also drops the STT_FILE symbols (source file names, debugging symbols to
// binutils) from .symtab, and their names from .strtab: the symbol table alone is read.
std::uint64_t file_symbol_bytes(Elf* elf, Elf_Scn* symtab, const GElf_Shdr& header) {
  Elf_Data* data = elf_getdata(symtab, nullptr);
  if (!data || header.sh_entsize == 0) return 0;
  const std::size_t count = header.sh_size / header.sh_entsize;
  std::uint64_t bytes = 0;
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < count; ++i) {
    GElf_Sym symbol;
    if (!gelf_getsym(data, static_cast<int>(i), &symbol)) break;
    if (GELF_ST_TYPE(symbol.st_info) != STT_FILE) continue;
    bytes += header.sh_entsize;
    const char* name = elf_strptr(elf, header.sh_link, symbol.st_name);
    if (name && *name && names.insert(name).second) bytes += std::string_view(name).size() + 1;
  }
  return bytes;
}

}  // namespace

std::optional<ElfInfo> read_elf_info(const std::string& path) {
  static const bool initialized = elf_version(EV_CURRENT) != EV_NONE;
  if (!initialized) return std::nullopt;
  const OpenElf file(path);
  Elf* elf = file.get();
  if (!elf || elf_kind(elf) != ELF_K_ELF) return std::nullopt;
  std::size_t names_index = 0;
  if (elf_getshdrstrndx(elf, &names_index) != 0) return std::nullopt;
  const bool is_64 = gelf_getclass(elf) == ELFCLASS64;
  ElfInfo info;
  std::uint64_t file_symbols = 0;
  for (Elf_Scn* section = elf_nextscn(elf, nullptr); section; section = elf_nextscn(elf, section)) {
    GElf_Shdr header;
    if (!gelf_getshdr(section, &header)) continue;
    const char* name = elf_strptr(elf, names_index, header.sh_name);
    if (name && is_debug_section(name)) {
      ++info.debug_sections;
      // strip --strip-debug drops the section's bytes, its section header and its name in
      // .shstrtab; the alignment padding around it may move a few bytes either way.
      const std::uint64_t contents = header.sh_type == SHT_NOBITS ? 0 : header.sh_size;
      info.debug_bytes += contents + (is_64 ? sizeof(Elf64_Shdr) : sizeof(Elf32_Shdr)) +
                          std::string_view(name).size() + 1;
    }
    if (header.sh_type == SHT_DYNAMIC && info.soname.empty())
      info.soname = soname_of(elf, section, header);
    if (header.sh_type == SHT_SYMTAB) file_symbols += file_symbol_bytes(elf, section, header);
  }
  if (info.debug_sections > 0) info.debug_bytes += file_symbols;
  return info;
}

}  // namespace pkgsizer::recommend
