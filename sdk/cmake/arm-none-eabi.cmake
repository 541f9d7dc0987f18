# CMake toolchain file for outboard guest programs: arm-none-eabi-gcc with
# newlib, for the ARM926EJ-S (ARMv5TE, no FPU), ARM state by default.
#
#   cmake -S . -B build -DCMAKE_TOOLCHAIN_FILE=<sdk>/cmake/arm-none-eabi.cmake
#
# In an installed SDK (<prefix>/share/outboard/sdk/cmake/) this file also
# points find_package(OutboardSDK) at the SDK beside it. Add -mthumb to a
# target's compile options for Thumb code; it interworks with the SDK.

set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)

# Test programs CMake compiles while configuring cannot link without the
# SDK's start files, so it builds libraries instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(OB_GUEST_CPU_FLAGS "-mcpu=arm926ej-s -mfloat-abi=soft")
set(CMAKE_C_FLAGS_INIT "${OB_GUEST_CPU_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${OB_GUEST_CPU_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "${OB_GUEST_CPU_FLAGS}")

# Host programs (code generators and the like) still come from the host.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)

if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/OutboardSDKConfig.cmake")
  set(OutboardSDK_DIR "${CMAKE_CURRENT_LIST_DIR}" CACHE PATH
      "The outboard guest SDK's package configuration")
endif()
