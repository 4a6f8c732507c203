# Run by embed_text() (EmbedText.cmake) at build time: INPUT's text as a C++ raw string.
file(READ ${INPUT} content)
string(FIND "${content}" ")pkgsizer_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw string delimiter")
endif()
file(WRITE ${OUTPUT}.tmp
  "// Generated from ${INPUT} by cmake/EmbedTextGenerate.cmake; do not edit.\n"
  "#include <string_view>\n"
  "namespace pkgsizer::embedded {\n"
  "extern const std::string_view ${SYMBOL};\n"
  "const std::string_view ${SYMBOL} = R\"pkgsizer_embed(${content})pkgsizer_embed\";\n"
  "}  // namespace pkgsizer::embedded\n")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
