# The fs namespace's guests (tests/fs/): one command interpreter over the
# C library, built twice: on the SDK (svc calls, plus mkdir and directory
# listings) and on newlib's semihosting (rdimon), so both paths into the
# fs domain go through the same mounts.
outboard_add_executable(mounts ${CMAKE_CURRENT_LIST_DIR}/mounts.c)
target_compile_definitions(mounts PRIVATE MOUNTS_SDK=1)
outboard_add_rdimon_executable(mounts_rdimon ${CMAKE_CURRENT_LIST_DIR}/mounts.c)
