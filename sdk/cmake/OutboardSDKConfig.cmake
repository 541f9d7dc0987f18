# Package configuration of the installed outboard guest SDK.
#
#   find_package(OutboardSDK REQUIRED)
#   outboard_add_executable(myprog main.c)
#
# Configure with the SDK's toolchain file (cmake/arm-none-eabi.cmake beside
# this file), which also tells find_package where this file is. Provides the
# imported target outboard::sdk and the function outboard_add_executable.
# Layout: <sdk>/include, <sdk>/lib/{libob.a,crt0.o,outboard.ld}, <sdk>/cmake.

get_filename_component(OutboardSDK_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)

if(NOT CMAKE_C_COMPILER MATCHES "arm-none-eabi")
  message(WARNING "OutboardSDK: the C compiler is '${CMAKE_C_COMPILER}'; configure with "
    "-DCMAKE_TOOLCHAIN_FILE=${CMAKE_CURRENT_LIST_DIR}/arm-none-eabi.cmake")
endif()

foreach(f include/outboard.h include/outboard_calls.h lib/libob.a lib/crt0.o lib/outboard.ld)
  if(NOT EXISTS "${OutboardSDK_ROOT}/${f}")
    set(OutboardSDK_FOUND FALSE)
    set(OutboardSDK_NOT_FOUND_MESSAGE "the SDK at ${OutboardSDK_ROOT} lacks ${f}")
    return()
  endif()
endforeach()

if(NOT TARGET outboard::sdk)
  add_library(outboard::sdk INTERFACE IMPORTED)
  include("${CMAKE_CURRENT_LIST_DIR}/OutboardSDKFunctions.cmake")
  outboard_sdk_link_interface(outboard::sdk
    "${OutboardSDK_ROOT}/include"
    "${OutboardSDK_ROOT}/lib/outboard.ld"
    "${OutboardSDK_ROOT}/lib/crt0.o"
    "${OutboardSDK_ROOT}/lib/libob.a")
endif()
include("${CMAKE_CURRENT_LIST_DIR}/OutboardSDKFunctions.cmake")
set(OutboardSDK_FOUND TRUE)
