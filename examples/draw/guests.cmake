# Drawing guests for the display tests (tests/display/): draw uses every
# display call over four deterministic frames, draw_bad passes bad
# arguments, draw_fuzz makes random calls.
outboard_add_executable(draw ${CMAKE_CURRENT_LIST_DIR}/draw.c)
outboard_add_executable(draw_bad ${CMAKE_CURRENT_LIST_DIR}/draw_bad.c)
outboard_add_executable(draw_fuzz ${CMAKE_CURRENT_LIST_DIR}/draw_fuzz.c)
outboard_add_executable(draw_flood ${CMAKE_CURRENT_LIST_DIR}/draw_flood.c)
