# Sound domain guests (tests/sound/): the end-to-end tone, a thread parked
# in a blocking sound_write while another runs, and the refused inputs.
outboard_add_executable(tone ${CMAKE_CURRENT_LIST_DIR}/tone.c)
outboard_add_executable(sound_parked ${CMAKE_CURRENT_LIST_DIR}/parked.c)
outboard_add_executable(sound_bad_inputs ${CMAKE_CURRENT_LIST_DIR}/bad_inputs.c)
outboard_add_executable(sound_beeps ${CMAKE_CURRENT_LIST_DIR}/beeps.c)
