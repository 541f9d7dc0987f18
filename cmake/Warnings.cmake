# Warnings and sanitizers for all host code. The build must stay warning-free.
set(OB_WARNINGS
  -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wvla -Wpointer-arith -Wcast-qual -Wwrite-strings
  -Wundef -Wnull-dereference -Wdouble-promotion -Wimplicit-fallthrough)

add_compile_options(${OB_WARNINGS})
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  add_compile_options(-Wlogical-op -Wduplicated-cond)
endif()

if(OUTBOARD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
