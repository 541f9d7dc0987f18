@ The guest entry point (docs/abi.md, Entry).
@
@ The host starts the main thread here with r0 = argc, r1 = argv,
@ r2 = envp and sp (8-byte aligned) pointing at argc, and lr at the
@ thread-return backstop. We never return through it: main's result goes
@ to exit(), which runs atexit handlers and flushes stdio before _exit.
@
@ Calling __ob_sdk_init also pulls the SDK's libc lock functions into the
@ link ahead of newlib's no-op ones (see sdk/src/init.c).

	.syntax unified
	.arm

	.section .text.ob_start,"ax",%progbits
	.global _start
	.type _start, %function
	.p2align 2
_start:
	mov	fp, #0			@ end of the frame chain for debuggers
	mov	r4, r0			@ argc, argv, envp survive the calls below
	mov	r5, r1
	mov	r6, r2
	ldr	r0, =environ		@ newlib's getenv reads environ
	str	r6, [r0]
	bl	__ob_sdk_init		@ per-thread libc state, libc locks
	ldr	r0, =__libc_fini_array	@ destructors run at exit
	bl	atexit
	bl	__libc_init_array	@ constructors
	mov	r0, r4
	mov	r1, r5
	mov	r2, r6
	bl	main
	bl	exit
	.size _start, . - _start
	.ltorg

@ __libc_init_array and __libc_fini_array call _init and _fini, which
@ crti.o/crtn.o would provide; the SDK links without those start files and
@ needs nothing there (constructors live in .init_array).
	.section .text.ob_init_fini,"ax",%progbits
	.global _init
	.type _init, %function
	.global _fini
	.type _fini, %function
	.p2align 2
_init:
_fini:
	bx	lr
	.size _init, . - _init
	.size _fini, . - _fini
