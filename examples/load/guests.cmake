# The load benchmark's guest (bench/load, docs/performance.md "Load"): many
# threads calling the fs, display, sound and kernel at once, every result
# checked.
outboard_add_executable(load ${CMAKE_CURRENT_LIST_DIR}/load.c ${CMAKE_CURRENT_LIST_DIR}/steps.c)
