# Kernel test programs: the guest kernel's objects, threads, upcalls and the
# CPU host's behaviour around plugins (tests/cpu/ runs them).
set(ob_kernel_dir ${CMAKE_CURRENT_LIST_DIR})
set(ob_kobjs_sources ${ob_kernel_dir}/kobjs.c ${ob_kernel_dir}/kobjs_sync.c
  ${ob_kernel_dir}/kobjs_flags_queue.c ${ob_kernel_dir}/kobjs_threads.c
  ${ob_kernel_dir}/kcheck.c)

outboard_add_executable(kobjs ${ob_kobjs_sources})
# The same checks in Thumb state: Thumb threads, svc and upcall returns.
outboard_add_executable(kobjs_thumb ${ob_kobjs_sources})
target_compile_options(kobjs_thumb PRIVATE -mthumb)

outboard_add_executable(deadlock ${ob_kernel_dir}/deadlock.c)
outboard_add_executable(trace_demo ${ob_kernel_dir}/trace_demo.c)
outboard_add_executable(write_loop ${ob_kernel_dir}/write_loop.c ${ob_kernel_dir}/kcheck.c)
outboard_add_executable(escape ${ob_kernel_dir}/escape.c ${ob_kernel_dir}/kcheck.c)
outboard_add_executable(timer_regs ${ob_kernel_dir}/timer_regs.c ${ob_kernel_dir}/timer_regs_asm.S)
