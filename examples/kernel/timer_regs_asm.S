/*
 * The two halves of timer_regs (see timer_regs.c), in ARM state so that
 * every register is under control.
 *
 * spin_check loads distinct values into r0-r12 and lr (each an ARM
 * immediate, so it can be compared without a scratch register) and sets
 * the flags, crosses a few block boundaries (where a time slice can end
 * and the timer's upcall run), checks the flags with conditional branches
 * and every register with cmp, then does it again with the opposite flags.
 * Only after all checks pass does it use registers as scratch, to check
 * sp, count the iteration and see whether the handler ran enough.
 *
 * Result codes: 0 all fine; 1-13 r0-r12 corrupted; 14 lr; 20, 21 flags;
 * 22 sp; 99 the iteration bound ran out before the handler ran enough.
 */
	.syntax unified
	.arm
	.text

	.global spin_check
	.type spin_check, %function
/* uint32_t spin_check(uint32_t max_iterations, uint32_t until_runs) */
spin_check:
	push	{r4-r11, lr}
	ldr	r2, =spin_state
	str	r0, [r2, #0]		@ iterations left
	str	r1, [r2, #4]		@ handler_runs to wait for
	str	sp, [r2, #8]		@ sp, which must never change
	mov	r3, #0
	ldr	r2, =spin_iterations
	str	r3, [r2]
.Lloop:
	mov	r0, #0x81
	mov	r1, #0x8200
	mov	r2, #0x830000
	mov	r3, #0x84000000
	mov	r4, #0x85
	mov	r5, #0x8600
	mov	r6, #0x870000
	mov	r7, #0x88000000
	mov	r8, #0x89
	mov	r9, #0x8a00
	mov	r10, #0x8b0000
	mov	r11, #0x8c000000
	mov	r12, #0x8d
	mov	lr, #0x8e00
	msr	CPSR_f, #0xa0000000	@ N and C set, Z and V clear
	b	1f
1:	nop
	nop
	b	2f
2:	nop
	nop
	bpl	.Lbad_flags_nc		@ N must be set
	beq	.Lbad_flags_nc		@ Z clear
	bcc	.Lbad_flags_nc		@ C set
	bvs	.Lbad_flags_nc		@ V clear
	cmp	lr, #0x8e00		@ lr before bl replaces it
	bne	.Lbad_lr
	bl	check_registers
	msr	CPSR_f, #0x50000000	@ Z and V set, N and C clear
	b	3f
3:	nop
	b	4f
4:	bmi	.Lbad_flags_zv
	bne	.Lbad_flags_zv
	bcs	.Lbad_flags_zv
	bvc	.Lbad_flags_zv
	/* From here on registers are scratch. */
	ldr	r0, =spin_state
	ldr	r1, [r0, #8]
	cmp	r1, sp
	bne	.Lbad_sp
	ldr	r2, =spin_iterations
	ldr	r1, [r2]
	add	r1, r1, #1
	str	r1, [r2]
	ldr	r2, =handler_runs
	ldr	r2, [r2]
	ldr	r3, [r0, #4]
	cmp	r2, r3
	bhs	.Ldone
	ldr	r1, [r0, #0]
	subs	r1, r1, #1
	str	r1, [r0, #0]
	bne	.Lloop
	mov	r0, #99
	b	.Lout
.Ldone:
	mov	r0, #0
.Lout:
	pop	{r4-r11, pc}
.Lbad_flags_nc:
	mov	r0, #20
	b	.Lout
.Lbad_flags_zv:
	mov	r0, #21
	b	.Lout
.Lbad_sp:
	mov	r0, #22
	b	.Lout
.Lbad_lr:
	mov	r0, #14
	b	.Lout
	.size spin_check, .-spin_check

/* Compares r0-r12 with spin_check's values; returns to the loop (so an
 * upcall in here must also give lr back), or leaves spin_check with the
 * failing register's code (sp is still spin_check's). */
	.type check_registers, %function
check_registers:
	cmp	r0, #0x81
	movne	r0, #1
	bne	.Lfail
	cmp	r1, #0x8200
	movne	r0, #2
	bne	.Lfail
	cmp	r2, #0x830000
	movne	r0, #3
	bne	.Lfail
	cmp	r3, #0x84000000
	movne	r0, #4
	bne	.Lfail
	cmp	r4, #0x85
	movne	r0, #5
	bne	.Lfail
	cmp	r5, #0x8600
	movne	r0, #6
	bne	.Lfail
	cmp	r6, #0x870000
	movne	r0, #7
	bne	.Lfail
	cmp	r7, #0x88000000
	movne	r0, #8
	bne	.Lfail
	cmp	r8, #0x89
	movne	r0, #9
	bne	.Lfail
	b	5f			@ one more block boundary mid-check
5:	cmp	r9, #0x8a00
	movne	r0, #10
	bne	.Lfail
	cmp	r10, #0x8b0000
	movne	r0, #11
	bne	.Lfail
	cmp	r11, #0x8c000000
	movne	r0, #12
	bne	.Lfail
	cmp	r12, #0x8d
	movne	r0, #13
	bne	.Lfail
	bx	lr
.Lfail:
	b	.Lout
	.size check_registers, .-check_registers

/* The timer handler: counts its runs, then clobbers every register but
 * sp and the flags, lr included (it returns through r12). */
	.global clobber_handler
	.type clobber_handler, %function
clobber_handler:
	ldr	r0, =handler_runs
	ldr	r1, [r0]
	add	r1, r1, #1
	str	r1, [r0]
	mov	r12, lr
	mvn	r0, #0
	mov	r1, #0x11
	mov	r2, #0x22
	mov	r3, #0x33
	mov	r4, #0x44
	mov	r5, #0x55
	mov	r6, #0x66
	mov	r7, #0x77
	mov	r8, #0x99
	mov	r9, #0xaa
	mov	r10, #0xbb
	mov	r11, #0xcc
	mov	lr, #0xdd
	msr	CPSR_f, #0xf0000000	@ N Z C V all set
	bx	r12
	.size clobber_handler, .-clobber_handler

	.bss
	.align 2
spin_state:
	.space 12
