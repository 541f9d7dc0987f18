# Guest programs: the SDK and examples/, built with arm-none-eabi-gcc as a
# separate CMake project (examples/CMakeLists.txt) during the normal build.
# Guest ELF files land in ${CMAKE_BINARY_DIR}/examples/ (hello.elf, ...).
#
# Also installs the SDK (component "sdk") into share/outboard/sdk, for guest
# authors building outside this tree (docs/sdk.md).

include(ExternalProject)

find_program(OB_ARM_GCC arm-none-eabi-gcc)
if(NOT OB_ARM_GCC)
  message(FATAL_ERROR "arm-none-eabi-gcc not found: run 'make deps' (scripts/deps.sh), "
    "or configure with -DOUTBOARD_GUESTS=OFF to build without guest programs")
endif()
if(NOT TARGET ob_sdk_gen)
  message(FATAL_ERROR "Guests.cmake needs the target ob_sdk_gen (cpu-host/abigen.cmake)")
endif()

set(OB_GUEST_BUILD_DIR ${CMAKE_BINARY_DIR}/guests)
set(OB_EXAMPLES_DIR ${CMAKE_BINARY_DIR}/examples)

# BUILD_ALWAYS: the guest project's own build decides what is out of date
# (sources, SDK, regenerated stubs); a no-op run takes a fraction of a second.
ExternalProject_Add(guests
  SOURCE_DIR ${CMAKE_SOURCE_DIR}/examples
  BINARY_DIR ${OB_GUEST_BUILD_DIR}
  CMAKE_ARGS
    -DCMAKE_TOOLCHAIN_FILE=${CMAKE_SOURCE_DIR}/sdk/cmake/arm-none-eabi.cmake
    -DOB_SDK_GEN_DIR=${OB_SDK_GEN_DIR}
    -DOB_EXAMPLES_OUTPUT_DIR=${OB_EXAMPLES_DIR}
    -DCMAKE_BUILD_TYPE=RelWithDebInfo
  INSTALL_COMMAND ""
  BUILD_ALWAYS ON
  DEPENDS ob_sdk_gen)

# The installed SDK: <prefix>/share/outboard/sdk/{include,lib,cmake}.
set(ob_sdk_dest share/outboard/sdk)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/sdk/include/ DESTINATION ${ob_sdk_dest}/include
  COMPONENT sdk)
install(FILES ${OB_SDK_GEN_DIR}/include/outboard_calls.h DESTINATION ${ob_sdk_dest}/include
  COMPONENT sdk)
install(FILES ${OB_GUEST_BUILD_DIR}/sdk/libob.a ${OB_GUEST_BUILD_DIR}/sdk/crt0.o
  ${CMAKE_SOURCE_DIR}/sdk/outboard.ld
  DESTINATION ${ob_sdk_dest}/lib COMPONENT sdk)
install(FILES ${CMAKE_SOURCE_DIR}/sdk/cmake/arm-none-eabi.cmake
  ${CMAKE_SOURCE_DIR}/sdk/cmake/OutboardSDKConfig.cmake
  ${CMAKE_SOURCE_DIR}/sdk/cmake/OutboardSDKFunctions.cmake
  DESTINATION ${ob_sdk_dest}/cmake COMPONENT sdk)
