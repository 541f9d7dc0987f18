outboard_add_executable(records ${CMAKE_CURRENT_LIST_DIR}/records.c)
