# CPU benchmark guests (bench/run, docs/performance.md): each is built with
# newlib's semihosting (<name>_rdimon.elf, for qemu-arm, outboard-cpu and
# `outboard run`) and with the SDK as a two-thread variant (<name>_2t.elf:
# the same main() as bench_main, beside a second thread that sleeps).
set(ob_cpu_bench_dir ${CMAKE_CURRENT_LIST_DIR})
foreach(prog cm_mix bytevm)
  outboard_add_rdimon_executable(${prog}_rdimon ${ob_cpu_bench_dir}/${prog}.c)
endforeach()
foreach(pair cm_mix:cpu_bench/cm_mix.c bytevm:cpu_bench/bytevm.c cpu_bound:cpu_bound/cpu_bound.c)
  string(REPLACE ":" ";" pair "${pair}")
  list(GET pair 0 prog)
  list(GET pair 1 src)
  # The benchmark's source with its main renamed (a source property would
  # reach the rdimon build of the same file too).
  set(wrapped ${CMAKE_CURRENT_BINARY_DIR}/${prog}_2t_bench.c)
  file(CONFIGURE OUTPUT ${wrapped} CONTENT
    "#define main bench_main\n#include \"${ob_cpu_bench_dir}/../${src}\"\n")
  outboard_add_executable(${prog}_2t ${ob_cpu_bench_dir}/two_threads.c ${wrapped})
endforeach()
