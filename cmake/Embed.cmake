# opennos_embed(OUTPUT file.cc FUNCTION Name BASE dir FILES a b ...): generates file.cc, which
# defines `const std::vector<Resource>& Name()` holding the files' bytes (app/resources.h).
function(opennos_embed)
  cmake_parse_arguments(E "" "OUTPUT;FUNCTION;BASE" "FILES" ${ARGN})
  set(deps)
  foreach(f IN LISTS E_FILES)
    list(APPEND deps ${E_BASE}/${f})
  endforeach()
  string(REPLACE ";" "," files_comma "${E_FILES}")
  add_custom_command(
    OUTPUT ${E_OUTPUT}
    COMMAND ${CMAKE_COMMAND} -DOUT=${E_OUTPUT} -DBASE=${E_BASE} -DNAMESPACE=${E_FUNCTION}
            -DFILES=${files_comma} -P ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    DEPENDS ${deps} ${PROJECT_SOURCE_DIR}/cmake/embed.cmake
    COMMENT "Embedding ${E_FUNCTION}")
endfunction()
