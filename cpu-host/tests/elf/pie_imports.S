/* The import table of pie.elf, as the guest SDK lays it out (docs/abi.md
 * "HLE imports"): {name, slot} pairs of guest addresses in .ob_imports. */
	.section .rodata.ob_names, "a"
name_alpha:
	.asciz "ob_test_alpha"
name_beta:
	.asciz "ob_test_beta"

	.data
	.balign 4
	.global ob_test_alpha_slot
ob_test_alpha_slot:
	.word 0
	.global ob_test_beta_slot
ob_test_beta_slot:
	.word 0

	.section .ob_imports, "aw"
	.balign 4
	.word name_alpha, ob_test_alpha_slot
	.word name_beta, ob_test_beta_slot
