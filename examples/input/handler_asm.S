/*
 * The assembly halves of input_handler (see handler.c), in ARM state so
 * that every register is under control.
 *
 * spin_check loads known values into r4-r12 and lr once, before its loop,
 * and never writes them again, so a single upcall that fails to give one
 * back is seen on the next check and stays seen. Each iteration:
 *   - counts its steps in r3: every block of the loop (a block starts at a
 *     branch target, after a conditional branch or after a write to the
 *     CPSR; a time slice, and so an upcall, can only interrupt the thread
 *     at the start of one) begins with `step`, r3 += 1. The count must be
 *     exactly STEPS at the top of the next iteration: a thread resumed
 *     anywhere but where it was (a block skipped, started late or run
 *     twice) gets it wrong. The loop is aligned so that it does not cross
 *     a page, which would split a block;
 *   - checks that the loop counter in r2 equals the copy in memory, then
 *     advances both by one, in two blocks;
 *   - sets the flags to N+C, crosses block boundaries and checks them with
 *     conditional branches; the same later with Z+V;
 *   - compares r4-r12, lr, r0 (the state's address) and sp with what they
 *     must hold;
 *   - stops when spin_state.done is set (by the C side of the upcalls), or
 *     after spin_state.max_iterations.
 * Result codes: 0 done; 1 r0; 2 the counter; 3 the step count; 4-12
 * r4-r12; 14 lr; 20 the flags N C; 21 the flags Z V; 22 sp; 99 out of
 * iterations.
 *
 * event_handler and timer_handler are the upcalls: each calls its C half
 * (record_event, record_timer), then overwrites every register but sp,
 * flags included, and returns through r12. A host that does not restore
 * the interrupted context in full fails spin_check.
 */
	.syntax unified
	.arm
	.text

/* struct spin_state (handler.c) */
	.equ ST_ITERATIONS, 0
	.equ ST_MAX, 4
	.equ ST_SP, 8
	.equ ST_DONE, 12

/* The steps of one iteration; checked against the macros' count below. */
	.equ STEPS, 32
	.set steps_counted, 0

	/* The first instruction of every block. Leaves the flags alone. */
	.macro step
	add	r3, r3, #1
	.set steps_counted, steps_counted + 1
	.endm

	/* A conditional branch to a failure; the fall-through is a block. */
	.macro bfail cond, label
	b\cond	\label
	step
	.endm

	.macro check_reg reg, value, code
	cmp	\reg, #\value
	movne	r1, #\code
	bfail	ne, .Lbad_reg
	.endm

	.global spin_check
	.type spin_check, %function
/* uint32_t spin_check(void) */
spin_check:
	push	{r4-r11, lr}
	ldr	r0, =spin_state
	str	sp, [r0, #ST_SP]
	mov	r2, #0
	str	r2, [r0, #ST_ITERATIONS]
	mov	r3, #STEPS
	mov	r4, #0xa4
	mov	r5, #0xa500
	mov	r6, #0xa60000
	mov	r7, #0xa7000000
	mov	r8, #0xa8
	mov	r9, #0xa900
	mov	r10, #0xaa0000
	mov	r11, #0xab000000
	mov	r12, #0xac
	mov	lr, #0xad00
	b	.Lloop
	.balign	512		@ the loop (under 512 bytes) within one page
.Lloop:
	/* Skipping this cmp leaves the flags of the bound's check: "lower",
	 * so not equal, and the bne still fails. */
	cmp	r3, #STEPS
	bne	.Lbad_steps
	mov	r3, #0
	step
	ldr	r1, [r0, #ST_ITERATIONS]
	cmp	r1, r2
	bfail	ne, .Lbad_counter
	add	r2, r2, #1
	b	1f
1:	step
	str	r2, [r0, #ST_ITERATIONS]
	msr	CPSR_f, #0xa0000000	@ N and C set, Z and V clear
	step				@ (a write to the CPSR ends a block)
	b	2f
2:	step
	b	3f
3:	step
	bfail	pl, .Lbad_flags_nc
	bfail	eq, .Lbad_flags_nc
	bfail	cc, .Lbad_flags_nc
	bfail	vs, .Lbad_flags_nc
	check_reg r4, 0xa4, 4
	check_reg r5, 0xa500, 5
	check_reg r6, 0xa60000, 6
	check_reg r7, 0xa7000000, 7
	b	4f
4:	step
	check_reg r8, 0xa8, 8
	check_reg r9, 0xa900, 9
	check_reg r10, 0xaa0000, 10
	check_reg r11, 0xab000000, 11
	check_reg r12, 0xac, 12
	check_reg lr, 0xad00, 14
	ldr	r1, =spin_state
	cmp	r0, r1
	movne	r1, #1
	bfail	ne, .Lbad_reg
	ldr	r1, [r0, #ST_SP]
	cmp	r1, sp
	movne	r1, #22
	bfail	ne, .Lbad_reg
	msr	CPSR_f, #0x50000000	@ Z and V set, N and C clear
	step
	b	5f
5:	step
	b	6f
6:	step
	bfail	mi, .Lbad_flags_zv
	bfail	ne, .Lbad_flags_zv
	bfail	cs, .Lbad_flags_zv
	bfail	vc, .Lbad_flags_zv
	ldr	r1, [r0, #ST_DONE]
	cmp	r1, #0
	bfail	ne, .Ldone
	ldr	r1, [r0, #ST_MAX]
	cmp	r2, r1
	bfail	hs, .Ltoo_long
	b	.Lloop
	.if steps_counted != STEPS
	.error "STEPS does not match the steps in the loop"
	.endif
.Ldone:
	mov	r0, #0
	b	.Lout
.Ltoo_long:
	mov	r0, #99
	b	.Lout
.Lbad_counter:
	mov	r0, #2
	b	.Lout
.Lbad_steps:
	mov	r0, #3
	b	.Lout
.Lbad_flags_nc:
	mov	r0, #20
	b	.Lout
.Lbad_flags_zv:
	mov	r0, #21
	b	.Lout
.Lbad_reg:
	mov	r0, r1
.Lout:
	pop	{r4-r11, pc}
	.ltorg
	.size spin_check, .-spin_check

/* Every register but sp gets a value the loop does not use; lr (already
 * saved in r12) too; the flags all set. */
	.macro clobber_and_return
	mov	r12, lr
	mvn	r0, #0
	mov	r1, #0x11
	mov	r2, #0x22
	mov	r3, #0x33
	mov	r4, #0x44
	mov	r5, #0x55
	mov	r6, #0x66
	mov	r7, #0x77
	mov	r8, #0x88
	mov	r9, #0x99
	mov	r10, #0xbb
	mov	r11, #0xcc
	mov	lr, #0xdd
	msr	CPSR_f, #0xf0000000
	bx	r12
	.endm

	.global event_handler
	.type event_handler, %function
/* void event_handler(const struct ob_input_event *ev, void *arg) */
event_handler:
	push	{r4, lr}
	bl	record_event
	pop	{r4, lr}
	clobber_and_return
	.size event_handler, .-event_handler

	.global timer_handler
	.type timer_handler, %function
/* void timer_handler(void *arg) */
timer_handler:
	push	{r4, lr}
	bl	record_timer
	pop	{r4, lr}
	clobber_and_return
	.size timer_handler, .-timer_handler
