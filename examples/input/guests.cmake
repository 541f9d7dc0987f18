# Input domain guests (tests/input/ runs them): events printed as they come,
# upcalls (input handler, timer) that must leave a spinning thread intact,
# the queue overflowing, waits that no input ends, and the display's expose
# stamped with the program's clock.
set(ob_input_dir ${CMAKE_CURRENT_LIST_DIR})
outboard_add_executable(input_echo ${ob_input_dir}/echo.c)
outboard_add_executable(input_handler ${ob_input_dir}/handler.c ${ob_input_dir}/handler_asm.S)
outboard_add_executable(input_overflow ${ob_input_dir}/overflow.c)
outboard_add_executable(input_wait ${ob_input_dir}/wait.c)
outboard_add_executable(input_expose ${ob_input_dir}/expose.c)
