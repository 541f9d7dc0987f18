# preempt_stress (tests/cpu/preempt_stress.sh): a checksummed computation
# in ARM and in Thumb code, preempted again and again.
set(ob_preempt_dir ${CMAKE_CURRENT_LIST_DIR})
outboard_add_executable(preempt_stress ${ob_preempt_dir}/preempt_stress.c
  ${ob_preempt_dir}/mix_arm.c ${ob_preempt_dir}/mix_thumb.c)
set_source_files_properties(${ob_preempt_dir}/mix_thumb.c PROPERTIES COMPILE_OPTIONS -mthumb)
set_source_files_properties(${ob_preempt_dir}/mix_arm.c PROPERTIES COMPILE_OPTIONS -marm)
