# What `cmake --install build --prefix P` puts in P (docs/plugins.md):
#   bin/                    the launcher, the CPU host, every backend and
#                           outboard-keygen: the launcher looks for backends
#                           beside itself first, then in PATH (launcher/src/exe.c)
#   include/, lib/          the plugin SDK: headers and static libraries
#   lib/cmake/outboard/     find_package(outboard): outboard::plugin,
#                           outboard::display, outboard::ipc, outboard::proto
#   lib/pkgconfig/          outboard-plugin.pc, outboard-display.pc
#   share/outboard/sdk/     the guest SDK (cmake/Guests.cmake)
#   share/outboard/examples/display-count/   a third-party backend
# Test-only backends (outboard-test-*) are never installed. The test
# install_tree (tests/install/) checks that every other outboard-* of the
# build is, so a backend left out of this list fails it.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(ob_installed_programs outboard-keygen
  outboard-fs-hostdir outboard-fs-mem
  outboard-display-png outboard-display-sdl outboard-display-null
  outboard-sound-wav outboard-sound-sdl outboard-sound-null
  outboard-input-script outboard-input-null)
foreach(t ${ob_installed_programs})
  if(TARGET ${t})
    install(TARGETS ${t} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

# The plugin SDK. The exported names drop the ob_ prefix: outboard::plugin.
set_target_properties(ob_proto PROPERTIES EXPORT_NAME proto)
set_target_properties(ob_ipc PROPERTIES EXPORT_NAME ipc)
set_target_properties(ob_plugin_sdk PROPERTIES EXPORT_NAME plugin)
set_target_properties(ob_plugin_outdir PROPERTIES EXPORT_NAME plugin_outdir)
set_target_properties(ob_display_common PROPERTIES EXPORT_NAME display)
install(TARGETS ob_proto ob_ipc ob_plugin_sdk ob_plugin_outdir ob_display_common EXPORT outboardTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/ipc/include/outboard
  ${CMAKE_SOURCE_DIR}/device-plugins/plugin-sdk/include/outboard
  ${CMAKE_SOURCE_DIR}/device-plugins/display-common/include/obd
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
# The generated wire format, included by bare name ("outboard.pb-c.h").
get_target_property(ob_proto_srcs ob_proto SOURCES)
list(TRANSFORM ob_proto_srcs REPLACE "\\.c$" ".h")
install(FILES ${ob_proto_srcs} DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/outboard/proto)

set(ob_cmake_dest ${CMAKE_INSTALL_LIBDIR}/cmake/outboard)
install(EXPORT outboardTargets NAMESPACE outboard:: DESTINATION ${ob_cmake_dest})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/install/outboardConfig.cmake.in
  ${CMAKE_BINARY_DIR}/install/outboardConfig.cmake INSTALL_DESTINATION ${ob_cmake_dest})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/install/outboardConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/install/outboardConfig.cmake
  ${CMAKE_BINARY_DIR}/install/outboardConfigVersion.cmake DESTINATION ${ob_cmake_dest})

# The .pc files find the prefix relative to themselves ("../.."), so an
# install with --prefix P is right wherever P is.
file(RELATIVE_PATH OB_PC_TO_PREFIX /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
string(REGEX REPLACE "/$" "" OB_PC_TO_PREFIX "${OB_PC_TO_PREFIX}")
foreach(pc outboard-plugin outboard-display)
  configure_file(${CMAKE_SOURCE_DIR}/cmake/install/${pc}.pc.in
    ${CMAKE_BINARY_DIR}/install/${pc}.pc @ONLY)
  install(FILES ${CMAKE_BINARY_DIR}/install/${pc}.pc
    DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()

install(DIRECTORY ${CMAKE_SOURCE_DIR}/device-plugins/examples/display-count
  DESTINATION ${CMAKE_INSTALL_DATADIR}/outboard/examples)
