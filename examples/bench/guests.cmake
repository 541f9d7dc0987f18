# Guest programs of the benchmarks (bench/run, docs/performance.md).
outboard_add_executable(fs_rtt ${CMAKE_CURRENT_LIST_DIR}/fs_rtt.c)
outboard_add_executable(cpu_threads ${CMAKE_CURRENT_LIST_DIR}/cpu_threads.c)
outboard_add_executable(latency ${CMAKE_CURRENT_LIST_DIR}/latency.c)
outboard_add_executable(display_fps ${CMAKE_CURRENT_LIST_DIR}/display_fps.c)
outboard_add_executable(sound_bps ${CMAKE_CURRENT_LIST_DIR}/sound_bps.c)
