# Sanitizer runtime options for every test: Unicorn 2.1.1 leaks one block per
# engine in uc_close (tests/lsan.supp); everything else stays checked.
set(OB_TEST_SANITIZER_ENV
  "LSAN_OPTIONS=suppressions=${CMAKE_SOURCE_DIR}/tests/lsan.supp:print_suppressions=0"
  "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")

# ob_unit_test(NAME <name> SOURCES <src...> [LIBS <lib...>] [TIMEOUT <s>]
#              [LABELS <label...>])
#
# A cmocka test beside its module. Every unit test carries the labels
# "unit" and "sanitize" (the label CI runs under ASan+UBSan) unless
# NO_SANITIZE is given.
function(ob_unit_test)
  cmake_parse_arguments(T "NO_SANITIZE" "NAME;TIMEOUT" "SOURCES;LIBS;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 60)
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_LIBS} PkgConfig::CMOCKA)
  set_target_properties(${T_NAME} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${T_NAME} COMMAND ${T_NAME})
  set(labels unit ${T_LABELS})
  if(NOT T_NO_SANITIZE)
    list(APPEND labels sanitize)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${labels}"
    ENVIRONMENT "${OB_TEST_SANITIZER_ENV}")
endfunction()

# ob_integration_test(NAME <name> COMMAND <cmd...> [TIMEOUT <s>]
#                     [LABELS <label...>] [NO_SANITIZE])
#
# A test that starts real processes. It runs with the build's bin/ and
# examples/ directories in its environment (OB_BIN, OB_EXAMPLES, OB_SRC).
function(ob_integration_test)
  cmake_parse_arguments(T "NO_SANITIZE" "NAME;TIMEOUT" "COMMAND;LABELS" ${ARGN})
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  add_test(NAME ${T_NAME} COMMAND ${T_COMMAND})
  set(labels integration ${T_LABELS})
  if(NOT T_NO_SANITIZE)
    list(APPEND labels sanitize)
  endif()
  set_tests_properties(${T_NAME} PROPERTIES TIMEOUT ${T_TIMEOUT} LABELS "${labels}"
    ENVIRONMENT "${OB_TEST_SANITIZER_ENV};OB_BIN=${CMAKE_BINARY_DIR}/bin;OB_EXAMPLES=${CMAKE_BINARY_DIR}/examples;OB_SRC=${CMAKE_SOURCE_DIR};OB_BUILD=${CMAKE_BINARY_DIR}")
endfunction()
