# What a user installs: the binary (install(TARGETS pkgsizer ... COMPONENT runtime) in the
# top-level CMakeLists.txt), its man page and its shell completions — the `runtime` component,
# which `cpack -G DEB` packages and the wheel (pep517/pkgsizer_backend.py) carries. The static
# libraries, headers and CMake files of find_package(pkgsizer) stay out of both.
set(PKGSIZER_SHARE_DIR ${CMAKE_BINARY_DIR}/share)
set(PKGSIZER_SHELL_FILES
  ${PKGSIZER_SHARE_DIR}/man/man1/pkgsizer.1
  ${PKGSIZER_SHARE_DIR}/bash-completion/completions/pkgsizer
  ${PKGSIZER_SHARE_DIR}/zsh/vendor-completions/_pkgsizer
  ${PKGSIZER_SHARE_DIR}/fish/vendor_completions.d/pkgsizer.fish)
add_custom_command(OUTPUT ${PKGSIZER_SHELL_FILES}
  # A sanitizer build runs here too; a leak report must not fail the build.
  COMMAND ${CMAKE_COMMAND} -E env ASAN_OPTIONS=detect_leaks=0
    ${CMAKE_COMMAND} -DPKGSIZER=$<TARGET_FILE:pkgsizer> -DOUT=${PKGSIZER_SHARE_DIR}
    -P ${CMAKE_SOURCE_DIR}/cmake/ShellFiles.cmake
  DEPENDS pkgsizer ${CMAKE_SOURCE_DIR}/cmake/ShellFiles.cmake
  COMMENT "Generating pkgsizer.1 and the bash, zsh and fish completions")
add_custom_target(pkgsizer_shell_files ALL DEPENDS ${PKGSIZER_SHELL_FILES})
install(FILES ${PKGSIZER_SHARE_DIR}/man/man1/pkgsizer.1
  DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
install(FILES ${PKGSIZER_SHARE_DIR}/bash-completion/completions/pkgsizer
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions COMPONENT runtime)
install(FILES ${PKGSIZER_SHARE_DIR}/zsh/vendor-completions/_pkgsizer
  DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions COMPONENT runtime)
install(FILES ${PKGSIZER_SHARE_DIR}/fish/vendor_completions.d/pkgsizer.fish
  DESTINATION ${CMAKE_INSTALL_DATADIR}/fish/vendor_completions.d COMPONENT runtime)

# cpack -G DEB (run in the build tree): pkgsizer_VERSION_ARCH.deb of the runtime component,
# installed under /usr, its Depends: from dpkg-shlibdeps over the shared libraries the binary
# really links (docs/install.md).
set(CPACK_PACKAGE_NAME pkgsizer)
set(CPACK_PACKAGE_VENDOR pkgsizer)
set(CPACK_PACKAGE_CONTACT "pkgsizer maintainers <pkgsizer@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "where the bytes of your Python environments go")
set(CPACK_PACKAGE_DESCRIPTION
  "pkgsizer measures the installed size of every distribution of a Python environment, explains why each is installed, compares environments, checks size budgets and tracks their history.")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_CMAKE_PROJECTS "${CMAKE_BINARY_DIR};pkgsizer;runtime;/")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Loaded with dlopen() only by the commands that need them (util/shared_library), so
# dpkg-shlibdeps cannot see them: libcurl (predict, docker registries), libpq (a PostgreSQL
# history), libarchive (docker).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libcurl4, libpq5, libarchive13")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "python3")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR DEB)
include(CPack)
