# Writes the man page and the shell completions by running the built binary (cmake -P):
#   cmake -DPKGSIZER=path/to/pkgsizer -DOUT=dir -P ShellFiles.cmake
# They come from the option definitions the command line parses (`pkgsizer man`,
# `pkgsizer completion SHELL`), so they cannot drift from it.
foreach(spec "man;man/man1/pkgsizer.1" "completion;bash;bash-completion/completions/pkgsizer"
             "completion;zsh;zsh/vendor-completions/_pkgsizer"
             "completion;fish;fish/vendor_completions.d/pkgsizer.fish")
  list(POP_BACK spec file)
  get_filename_component(dir ${OUT}/${file} DIRECTORY)
  file(MAKE_DIRECTORY ${dir})
  execute_process(COMMAND ${PKGSIZER} ${spec} OUTPUT_FILE ${OUT}/${file} RESULT_VARIABLE result)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "${PKGSIZER} ${spec} failed: ${result}")
  endif()
endforeach()
