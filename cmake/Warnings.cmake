# Warnings as errors: -DPKGSIZER_WERROR=ON (scripts/test.sh sets it, so `.ci/run` fails on a
# warning). Off by default so that a newer compiler's new warning does not break a user's build.
# The warnings themselves (-Wall -Wextra) are set in the top-level CMakeLists.txt.
option(PKGSIZER_WERROR "Treat compiler warnings as errors" OFF)
if(PKGSIZER_WERROR)
  add_compile_options(-Werror)
endif()
