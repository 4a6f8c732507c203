# Sanitizers and fuzzing for the whole build (docs/fuzzing.md, CONTRIBUTING.md).
#
#   -DPKGSIZER_SANITIZE=address,undefined   every target (core, CLI, tests) under ASan and UBSan;
#                                            scripts/test.sh builds the suite this way.
#   -DPKGSIZER_FUZZ=ON                       (clang only) coverage for libFuzzer in every object,
#                                            and the tests/fuzz targets as libFuzzer programs.
#
# Set before any target is defined: the options apply to everything compiled after this file.
set(PKGSIZER_SANITIZE "" CACHE STRING
  "Sanitizers to build everything with, comma-separated as -fsanitize= takes them (address,undefined)")
option(PKGSIZER_FUZZ "Build tests/fuzz as libFuzzer programs (clang) instead of corpus replays" OFF)

if(PKGSIZER_SANITIZE)
  add_compile_options(-fsanitize=${PKGSIZER_SANITIZE} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${PKGSIZER_SANITIZE})
  # GCC's flow analysis sees the sanitizers' checks as paths on which a variable is unset, and
  # warns about libstdc++'s own <regex> and <functional> (GCC bug 105562 and its kin): with
  # -Werror that would fail the build on code that is not ours. Clang has no such warning.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    add_compile_options(-Wno-maybe-uninitialized)
  endif()
  if(PKGSIZER_SANITIZE MATCHES "undefined")
    # UBSan only prints and goes on by default: a test would pass over undefined behaviour.
    add_compile_options(-fno-sanitize-recover=all)
  endif()
endif()

if(PKGSIZER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "PKGSIZER_FUZZ needs clang (libFuzzer): -DCMAKE_CXX_COMPILER=clang++-14")
  endif()
  # Coverage feedback from the parsers themselves, not only from the fuzz targets' own code.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
