# embed_text(TARGET FILE SYMBOL): compiles the text of FILE into TARGET as
# `extern const std::string_view pkgsizer::embedded::SYMBOL`, regenerated when FILE changes, so
# that the binary needs no data file at run time (data/alternatives.toml for `recommend`).
function(embed_text target file symbol)
  set(output ${CMAKE_BINARY_DIR}/generated/embedded_${symbol}.cpp)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DINPUT=${file} -DOUTPUT=${output} -DSYMBOL=${symbol}
            -P ${CMAKE_SOURCE_DIR}/cmake/EmbedTextGenerate.cmake
    DEPENDS ${file} ${CMAKE_SOURCE_DIR}/cmake/EmbedTextGenerate.cmake
    COMMENT "Embedding ${file}")
  target_sources(${target} PRIVATE ${output})
endfunction()
