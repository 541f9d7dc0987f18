@ An import of an HLE function that no module provides, written by hand in
@ exactly the form ob-abigen generates for imports (docs/abi.md, HLE
@ imports): a stub that jumps through a slot, and an .ob_imports entry
@ {name, slot} that asks the loader to fill the slot.

	.syntax unified
	.arm

	.section .text.ob_no_such_hle_call,"ax",%progbits
	.global ob_no_such_hle_call
	.type ob_no_such_hle_call, %function
	.p2align 2
ob_no_such_hle_call:
	ldr	pc, .Lob_slot_no_such_hle_call	@ the thunk; returns to our caller's lr
.Lob_slot_no_such_hle_call:
	.word	0		@ filled by the loader
	.size ob_no_such_hle_call, . - ob_no_such_hle_call

	.section .rodata.ob_import_name.no_such_hle_call,"a",%progbits
.Lob_name_no_such_hle_call:
	.asciz	"no_such_hle_call"

	.section .ob_imports,"aw",%progbits
	.p2align 2
	.word	.Lob_name_no_such_hle_call, .Lob_slot_no_such_hle_call
