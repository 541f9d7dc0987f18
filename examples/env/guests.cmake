# The guest environment (tests/guests/env.sh).
outboard_add_executable(env_print ${CMAKE_CURRENT_LIST_DIR}/env_print.c)
