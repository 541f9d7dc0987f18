# Functions for building outboard guest programs. Shared by the installed
# SDK (OutboardSDKConfig.cmake) and the in-tree guest build
# (sdk/CMakeLists.txt); both define the target outboard::sdk first.

# outboard_add_executable(<name> <source>...)
#
# A guest program <name>.elf: the sources compiled for the ARM926EJ-S and
# linked with the SDK's start code, linker script, newlib glue and calls.
# Add -mthumb with target_compile_options for Thumb code.
function(outboard_add_executable name)
  if(NOT ARGN)
    message(FATAL_ERROR "outboard_add_executable(${name}): no sources")
  endif()
  add_executable(${name} ${ARGN})
  target_link_libraries(${name} PRIVATE outboard::sdk)
  set_target_properties(${name} PROPERTIES SUFFIX ".elf")
  get_target_property(deps outboard::sdk OUTBOARD_LINK_DEPENDS)
  if(deps)
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS ${deps})
  endif()
endfunction()

# outboard_sdk_link_interface(<target> <include-dirs> <linker-script> <crt0> <libob>)
#
# Sets the usage requirements of the interface target <target>: the SDK's
# headers (ahead of newlib's, for <dirent.h> and <sys/statvfs.h>), no
# toolchain start files (the SDK's crt0 replaces them), the linker script,
# and the libraries searched as a group (newlib calls back into libob).
function(outboard_sdk_link_interface target includes script crt0 libob)
  set_property(TARGET ${target} PROPERTY INTERFACE_INCLUDE_DIRECTORIES ${includes})
  set_property(TARGET ${target} PROPERTY INTERFACE_LINK_OPTIONS
    -nostartfiles "-T${script}")
  set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES
    "${crt0}" "-Wl,--start-group" "${libob}" "-lc" "-lgcc" "-Wl,--end-group")
  set_property(TARGET ${target} PROPERTY OUTBOARD_LINK_DEPENDS "${script};${crt0}")
endfunction()
