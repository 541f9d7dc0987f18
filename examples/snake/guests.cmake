# The demo game (docs/demo.md, scripts/demo.sh, tests/demo/): Snake on all
# four device domains and five threads. demo.script beside it plays a short
# game by itself (outboard run --input script:examples/snake/demo.script).
set(ob_snake_dir ${CMAKE_CURRENT_LIST_DIR})
outboard_add_executable(snake ${ob_snake_dir}/snake.c ${ob_snake_dir}/logic.c
  ${ob_snake_dir}/render.c ${ob_snake_dir}/hiscore.c)
target_compile_options(snake PRIVATE -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wundef -Wcast-align -Wpointer-arith -Wconversion -Wno-sign-conversion)
