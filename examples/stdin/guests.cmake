# Programs that read stdin (tests/guests/stdin*.sh): the same source on the
# SDK and on semihosting (rdimon), and a two-thread SDK program.
outboard_add_executable(stdin_echo ${CMAKE_CURRENT_LIST_DIR}/stdin_echo.c)
outboard_add_rdimon_executable(stdin_echo_rdimon ${CMAKE_CURRENT_LIST_DIR}/stdin_echo.c)
target_compile_definitions(stdin_echo_rdimon PRIVATE STDIN_ECHO_SEMIHOSTING=1)
outboard_add_executable(stdin_threads ${CMAKE_CURRENT_LIST_DIR}/stdin_threads.c)
