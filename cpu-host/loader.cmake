# Guest address space, initial stack and ELF loader of the CPU host.
# Included from cpu-host/CMakeLists.txt; paths are relative to this file so
# that it does not depend on the including directory.
set(OBH_LOADER_DIR ${CMAKE_CURRENT_LIST_DIR})

add_library(obh_mem_loader STATIC
  ${OBH_LOADER_DIR}/src/mem.c
  ${OBH_LOADER_DIR}/src/stack.c
  ${OBH_LOADER_DIR}/src/loader/elf.c
  ${OBH_LOADER_DIR}/src/loader/elf_reloc.c
  ${OBH_LOADER_DIR}/src/loader/elf_imports.c
  ${OBH_LOADER_DIR}/src/loader/elf_syms.c)
target_include_directories(obh_mem_loader PUBLIC ${OBH_LOADER_DIR}/src)
target_link_libraries(obh_mem_loader PUBLIC ob_unicorn)
if(OUTBOARD_FUZZ AND CMAKE_C_COMPILER_ID MATCHES "Clang")
  # Coverage for libFuzzer in the code under test.
  target_compile_options(obh_mem_loader PRIVATE -fsanitize=fuzzer-no-link)
endif()

ob_unit_test(NAME obh_test_mem
  SOURCES ${OBH_LOADER_DIR}/tests/test_mem.c
  LIBS obh_mem_loader)
ob_unit_test(NAME obh_test_stack
  SOURCES ${OBH_LOADER_DIR}/tests/test_stack.c
  LIBS obh_mem_loader)
ob_unit_test(NAME obh_test_elf
  SOURCES ${OBH_LOADER_DIR}/tests/test_elf.c
  LIBS obh_mem_loader)
ob_unit_test(NAME obh_test_syms
  SOURCES ${OBH_LOADER_DIR}/tests/test_syms.c
  LIBS obh_mem_loader)

# Real ARM executables for obh_test_elf, built with the guest toolchain at
# test-build time. Without the toolchain those test cases are skipped.
find_program(OBH_ARM_GCC arm-none-eabi-gcc)
if(OBH_ARM_GCC)
  set(obh_elf_src ${OBH_LOADER_DIR}/tests/elf)
  set(obh_elf_out ${CMAKE_CURRENT_BINARY_DIR}/test-elf)
  set(obh_arm_flags -mcpu=arm926ej-s -mfloat-abi=soft -O1 -nostdlib -ffreestanding -fno-inline)
  set(obh_elf_outputs)
  function(obh_test_image out)
    cmake_parse_arguments(I "" "" "FLAGS;SOURCES" ${ARGN})
    list(TRANSFORM I_SOURCES PREPEND ${obh_elf_src}/)
    add_custom_command(
      OUTPUT ${obh_elf_out}/${out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${obh_elf_out}
      COMMAND ${OBH_ARM_GCC} ${obh_arm_flags} ${I_FLAGS} ${I_SOURCES} -o ${obh_elf_out}/${out}
      DEPENDS ${I_SOURCES}
      COMMENT "arm-none-eabi-gcc: test image ${out}"
      VERBATIM)
    set(obh_elf_outputs ${obh_elf_outputs} ${obh_elf_out}/${out} PARENT_SCOPE)
  endfunction()
  obh_test_image(exec.elf FLAGS -static -Wl,-Ttext-segment=0x10000 SOURCES exec.c)
  obh_test_image(thumb.elf FLAGS -mthumb -static -Wl,-Ttext-segment=0x10000 SOURCES exec.c)
  obh_test_image(pie.elf FLAGS -fPIE -pie SOURCES pie.c pie_imports.S)
  obh_test_image(dso.elf FLAGS -fPIC -shared -Wl,-e,_start SOURCES dso.c)
  obh_test_image(undef.elf FLAGS -fPIC -shared -Wl,-e,_start SOURCES undef.c)
  add_custom_target(obh_test_elf_images DEPENDS ${obh_elf_outputs})
  add_dependencies(obh_test_elf obh_test_elf_images)
  target_compile_definitions(obh_test_elf PRIVATE OBH_TEST_ELF_DIR="${obh_elf_out}")
  add_dependencies(obh_test_syms obh_test_elf_images)
  target_compile_definitions(obh_test_syms PRIVATE OBH_TEST_ELF_DIR="${obh_elf_out}")
else()
  message(WARNING "arm-none-eabi-gcc not found: obh_test_elf skips its real-image cases")
endif()

if(OUTBOARD_FUZZ)
  if(CMAKE_C_COMPILER_ID MATCHES "Clang")
    add_executable(fuzz_elf ${OBH_LOADER_DIR}/fuzz/fuzz_elf.c)
    target_compile_options(fuzz_elf PRIVATE -fsanitize=fuzzer)
    target_link_options(fuzz_elf PRIVATE -fsanitize=fuzzer)
    target_link_libraries(fuzz_elf PRIVATE obh_mem_loader)
    # Its test (label "fuzz") is registered in fuzz/CMakeLists.txt.
  else()
    message(WARNING "OUTBOARD_FUZZ needs clang (CC=clang): fuzz_elf not built")
  endif()
endif()
