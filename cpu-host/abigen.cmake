# ob-abigen: the guest side of the ABI, derived from the call table.
# Included from cpu-host/CMakeLists.txt.
#
# The generator links the table alone: built with OBH_KCALLS_WEAK, the kernel
# handlers it names are weak (src/kernel/kcalls.h). Its outputs go to ${CMAKE_BINARY_DIR}/sdk-gen/:
#   include/outboard_calls.h   numbers, structs and prototypes
#   stubs/ob_<name>.S          one stub per call
# and are rewritten (only when their content changes) whenever the table or
# the generator changes. The guest build (cmake/Guests.cmake) depends on the
# target ob_sdk_gen.

add_executable(ob-abigen
  ${CMAKE_CURRENT_LIST_DIR}/src/abigen.c
  ${CMAKE_CURRENT_LIST_DIR}/src/calls_table.c
  ${CMAKE_CURRENT_LIST_DIR}/src/layout.c)
target_include_directories(ob-abigen PRIVATE ${CMAKE_CURRENT_LIST_DIR}/src)
target_link_libraries(ob-abigen PRIVATE ob_proto)
target_compile_definitions(ob-abigen PRIVATE OBH_KCALLS_WEAK)
target_include_directories(ob-abigen PRIVATE ${CMAKE_SOURCE_DIR}/ipc/include)

set(OB_SDK_GEN_DIR ${CMAKE_BINARY_DIR}/sdk-gen CACHE INTERNAL "generated guest SDK files")
set(ob_sdk_gen_stamp ${OB_SDK_GEN_DIR}/generated.stamp)
add_custom_command(
  OUTPUT ${ob_sdk_gen_stamp}
  BYPRODUCTS ${OB_SDK_GEN_DIR}/include/outboard_calls.h
  COMMAND ${CMAKE_COMMAND} -E make_directory ${OB_SDK_GEN_DIR}/include
  COMMAND ob-abigen --header ${OB_SDK_GEN_DIR}/include/outboard_calls.h
                    --stubs ${OB_SDK_GEN_DIR}/stubs
  COMMAND ${CMAKE_COMMAND} -E touch ${ob_sdk_gen_stamp}
  DEPENDS ob-abigen ${CMAKE_CURRENT_LIST_DIR}/src/calls_table.c
          ${CMAKE_CURRENT_LIST_DIR}/src/layout.c
  COMMENT "ob-abigen: guest SDK header and call stubs"
  VERBATIM)
add_custom_target(ob_sdk_gen ALL DEPENDS ${ob_sdk_gen_stamp})

# docs/abi.md's call list must match the table.
add_test(NAME abi_doc_current
  COMMAND ob-abigen --check-doc ${CMAKE_SOURCE_DIR}/docs/abi.md)
set_tests_properties(abi_doc_current PROPERTIES LABELS "unit" TIMEOUT 30)

# The call table alone, for the launcher: it checks --trace names with the
# CPU host's own parser (src/trace_filter.c) before it starts anything.
add_library(obh_call_names STATIC
  ${CMAKE_CURRENT_LIST_DIR}/src/calls_table.c
  ${CMAKE_CURRENT_LIST_DIR}/src/layout.c
  ${CMAKE_CURRENT_LIST_DIR}/src/trace_filter.c)
target_include_directories(obh_call_names PUBLIC ${CMAKE_CURRENT_LIST_DIR}/src
  PRIVATE ${CMAKE_SOURCE_DIR}/ipc/include)
target_link_libraries(obh_call_names PUBLIC ob_proto)
target_compile_definitions(obh_call_names PRIVATE OBH_KCALLS_WEAK)
