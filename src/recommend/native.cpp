// Kind "native": shared libraries with debug sections, the same library bundled by several
// wheels (auditwheel's *.libs/ directories), and GPU libraries on a machine without a GPU.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>

#include "recommend/context.hpp"
#include "recommend/elf_info.hpp"

namespace pkgsizer::recommend {
namespace {

bool is_shared_library(std::string_view path) {
  const std::string_view file = path.substr(path.rfind('/') + 1);
  return (file.size() > 3 && file.substr(file.size() - 3) == ".so") ||
         file.find(".so.") != std::string_view::npos;
}

// In a *.libs/ directory beside the packages: where auditwheel puts the libraries it bundles.
bool is_bundled(std::string_view path) {
  const std::string_view top = path.substr(0, path.find('/'));
  return top.size() > 5 && top.substr(top.size() - 5) == ".libs" && top.size() < path.size();
}

// auditwheel renames a bundled library with the first 8 hex digits of its hash:
// libgomp-a34b3233.so.1.0.0 -> libgomp.so.1.0.0.
std::string without_auditwheel_hash(const std::string& name) {
  static const std::regex kHash("-[0-9a-f]{8}(\\.so)");
  return std::regex_replace(name, kHash, "$1");
}

bool is_gpu_library(std::string_view path) {
  const std::string file(path.substr(path.rfind('/') + 1));
  static const std::regex kGpu(
      "^lib(cudart|cublas|cublasLt|cudnn[a-z_]*|cufft|curand|cusolver|cusparse|cusparseLt|nccl|"
      "nvrtc|nvJitLink|nvToolsExt|cupti|amdhip64|rocblas|rocfft|rocsolver|rocsparse|hipblas|"
      "hipsparse|MIOpen|rccl|hsa-runtime64|torch_cuda|c10_cuda)[-.].*so");
  return std::regex_search(file, kGpu);
}

bool same_contents(const std::string& a, const std::string& b) {
  std::ifstream first(a, std::ios::binary);
  std::ifstream second(b, std::ios::binary);
  if (!first || !second) return false;
  std::array<char, 65536> x{};
  std::array<char, 65536> y{};
  while (first && second) {
    first.read(x.data(), x.size());
    second.read(y.data(), y.size());
    if (first.gcount() != second.gcount() ||
        !std::equal(x.begin(), x.begin() + first.gcount(), y.begin()))
      return false;
  }
  return !first && !second;
}

struct Library {
  std::size_t distribution;
  std::string path;  // absolute
  Size size;
};

// What stripping debug sections saves on disk: the blocks of the file before and after.
std::uint64_t disk_saving(const Size& size, std::uint64_t removed) {
  constexpr std::uint64_t kBlock = 4096;
  const std::uint64_t after = size.apparent_bytes - std::min(removed, size.apparent_bytes);
  const std::uint64_t blocks_after = (after + kBlock - 1) / kBlock * kBlock;
  return size.disk_bytes > blocks_after ? size.disk_bytes - blocks_after : 0;
}

class NativeFinder {
 public:
  NativeFinder(Context& context, Recommendations& out) : context_(context), out_(out) {}

  void run() {
    const Scan& scan = context_.scan;
    for (std::size_t i = 0; i < scan.distributions.size(); ++i) {
      const Distribution& dist = scan.distributions[i];
      if (dist.inherited || context_.removed.count(i) > 0) continue;
      Size debug;
      std::vector<std::string> debug_files;
      Size gpu;
      std::vector<std::string> gpu_files;
      for (const std::string& path : context_.files[i].paths) {
        if (!is_shared_library(path)) continue;
        const std::string absolute = dist.location + "/" + path;
        if (!seen_.insert(absolute).second) continue;  // claimed by two installs of one name
        const std::optional<ElfInfo> elf = read_elf_info(absolute);
        if (!elf) continue;
        const Size size = file_size(absolute);
        if (elf->debug_bytes > 0) {
          debug += Size{elf->debug_bytes, disk_saving(size, elf->debug_bytes), 1};
          debug_files.push_back(path);
        }
        if (is_bundled(path)) {
          const std::string name =
              elf->soname.empty() ? path.substr(path.rfind('/') + 1) : elf->soname;
          bundled_[without_auditwheel_hash(name)].push_back({i, absolute, size});
        }
        if (is_gpu_library(path)) {
          gpu += size;
          gpu_files.push_back(path);
        }
      }
      if (!debug_files.empty()) add_unstripped(dist, debug, debug_files);
      if (!gpu_files.empty() && !context_.options.gpu_present) add_gpu(dist, gpu, gpu_files);
    }
    for (auto& [name, copies] : bundled_) add_duplicates(name, copies);
  }

 private:
  void add_unstripped(const Distribution& dist, const Size& debug,
                      const std::vector<std::string>& files) {
    Finding finding;
    finding.kind = FindingKind::kNative;
    finding.certainty = Certainty::kCertain;
    finding.distributions = {dist.name};
    finding.bytes = debug;
    finding.title =
        fmt::format("{}: debug sections in {} shared libraries", dist.name, files.size());
    for (const std::string& file : files)
      finding.evidence.push_back(fmt::format("{} has .debug_* sections", file));
    std::vector<std::string> quoted;
    quoted.reserve(files.size());
    for (const std::string& file : files) quoted.push_back(shell_quote(dist.location + "/" + file));
    finding.action = fmt::format("strip --strip-debug {}", fmt::join(quoted, " "));
    out_.findings.push_back(std::move(finding));
  }

  void add_gpu(const Distribution& dist, const Size& size, const std::vector<std::string>& files) {
    Finding finding;
    finding.kind = FindingKind::kNative;
    finding.certainty = Certainty::kCheck;
    finding.distributions = {dist.name};
    finding.bytes = size;
    finding.title = fmt::format("{}: GPU libraries on a machine without a GPU", dist.name);
    finding.evidence.push_back(
        "no /dev/nvidiactl, /proc/driver/nvidia or /dev/kfd on this machine");
    for (const std::string& file : files) finding.evidence.push_back(file);
    finding.action =
        "if the program never runs on a GPU, install the CPU build (for torch: pip install "
        "torch --index-url https://download.pytorch.org/whl/cpu)";
    out_.findings.push_back(std::move(finding));
  }

  void add_duplicates(const std::string& name, std::vector<Library>& copies) {
    std::set<std::size_t> owners;
    for (const Library& copy : copies) owners.insert(copy.distribution);
    if (owners.size() < 2) return;
    std::sort(copies.begin(), copies.end(),
              [](const Library& a, const Library& b) { return a.path < b.path; });
    const Library& kept = copies.front();
    bool identical = true;
    Size saved;
    Finding finding;
    finding.kind = FindingKind::kNative;
    const Scan& scan = context_.scan;
    for (const Library& copy : copies)
      finding.distributions.push_back(scan.distributions[copy.distribution].name);
    finding.evidence.push_back(fmt::format("kept: {}", kept.path));
    std::vector<std::string> links;
    for (std::size_t k = 1; k < copies.size(); ++k) {
      const Library& copy = copies[k];
      saved += copy.size;
      const bool same = copy.size.apparent_bytes == kept.size.apparent_bytes &&
                        same_contents(copy.path, kept.path);
      identical = identical && same;
      finding.evidence.push_back(
          fmt::format("{} copy: {}", same ? "identical" : "same SONAME, different", copy.path));
      links.push_back(fmt::format("ln -sf {} {}", shell_quote(kept.path), shell_quote(copy.path)));
    }
    finding.certainty = identical ? Certainty::kLikely : Certainty::kCheck;
    finding.bytes = saved;
    finding.title = fmt::format("{} bundled {} times", name, copies.size());
    finding.action = fmt::format(
        "keep one copy and link the others to it (each wheel loads its own by RPATH): {}",
        fmt::join(links, "; "));
    out_.findings.push_back(std::move(finding));
  }

  Context& context_;
  Recommendations& out_;
  std::map<std::string, std::vector<Library>> bundled_;
  std::set<std::string> seen_;
};

}  // namespace

void find_native(Context& context, Recommendations& out) { NativeFinder(context, out).run(); }

}  // namespace pkgsizer::recommend
