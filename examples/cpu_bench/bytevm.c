/*
 * bytevm: an interpreter-like CPU benchmark guest: a small stack-based
 * bytecode virtual machine (a switch in a loop, an operand stack, a call
 * stack and a memory of 32-bit cells, like the inner loop of a scripting
 * language), running three bytecode programs:
 *
 *   - fib(n) by plain recursion through CALL and RET;
 *   - a sieve of Eratosthenes over the VM's memory, counting primes;
 *   - an FNV-1a-style hash loop over the sieve, with arithmetic and
 *     comparisons in every step.
 *
 *   bytevm [N]          default 20: fib(N), and the sieve up to 2000 * N
 *
 * Prints "bytevm: n=N fib=F primes=P hash=0xXXXXXXXX steps=S" and exits
 * with 0 (1 when the VM meets a bad instruction or overflows a stack). The
 * result depends only on N: every emulator must print the same line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

enum op {
	PUSH,   /* imm: push imm */
	DUP,    /* a -> a a */
	DROP,   /* a -> */
	SWAP,   /* a b -> b a */
	ADD, SUB, MUL, XOR, SHR, AND,
	LT,     /* a b -> (a < b) */
	JMP,    /* imm: pc = imm */
	JZ,     /* imm: a -> ; if a == 0, pc = imm */
	CALL,   /* imm: push the return address, pc = imm */
	RET,
	LOAD,   /* addr -> mem[addr] */
	STORE,  /* value addr -> ; mem[addr] = value */
	GET,    /* imm: push variable imm */
	SET,    /* imm: a -> ; variable imm = a */
	HALT,   /* the result is the top of the stack */
	OP_COUNT
};

#define STACK 512
#define RSTACK 256
#define MEM 65536
#define VARS 8
#define CODE 256

static uint32_t mem[MEM];

struct vm {
	uint32_t st[STACK];
	uint32_t rs[RSTACK];
	uint32_t var[VARS];
	uint64_t steps;
};

/* How many operands each op takes from the stack. */
static const uint8_t pops[OP_COUNT] = {
	[DUP] = 1, [DROP] = 1, [SWAP] = 2, [ADD] = 2, [SUB] = 2, [MUL] = 2, [XOR] = 2,
	[SHR] = 2, [AND] = 2, [LT] = 2, [JZ] = 1, [LOAD] = 1, [STORE] = 2, [SET] = 1,
	[HALT] = 1,
};

/* Run code from 0 with arg on the stack until HALT; the result is the top
 * of the stack. *bad is set on a bad instruction or a stack overflow. */
static uint32_t run(struct vm *vm, const int32_t *code, uint32_t arg, int *bad)
{
	uint32_t *st = vm->st;
	unsigned sp = 0, rsp = 0, pc = 0;
	uint64_t steps = 0;
	st[sp++] = arg;
	for (;;) {
		int32_t op = code[pc++];
		uint32_t a, b;
		steps++;
		if ((unsigned)op >= OP_COUNT || sp < pops[op] || sp > STACK - 2 ||
		    rsp > RSTACK - 2) {
			*bad = 1;
			return 0;
		}
		switch (op) {
		case PUSH: st[sp++] = (uint32_t)code[pc++]; break;
		case DUP: st[sp] = st[sp - 1]; sp++; break;
		case DROP: sp--; break;
		case SWAP: a = st[sp - 1]; st[sp - 1] = st[sp - 2]; st[sp - 2] = a; break;
		case ADD: b = st[--sp]; st[sp - 1] += b; break;
		case SUB: b = st[--sp]; st[sp - 1] -= b; break;
		case MUL: b = st[--sp]; st[sp - 1] *= b; break;
		case XOR: b = st[--sp]; st[sp - 1] ^= b; break;
		case SHR: b = st[--sp]; st[sp - 1] >>= (b & 31); break;
		case AND: b = st[--sp]; st[sp - 1] &= b; break;
		case LT: b = st[--sp]; st[sp - 1] = st[sp - 1] < b; break;
		case JMP: pc = (unsigned)code[pc] % CODE; break;
		case JZ: a = st[--sp]; pc = a ? pc + 1 : (unsigned)code[pc] % CODE; break;
		case CALL: vm->rs[rsp++] = pc + 1; pc = (unsigned)code[pc] % CODE; break;
		case RET:
			if (rsp == 0) {
				*bad = 1;
				return 0;
			}
			pc = vm->rs[--rsp];
			break;
		case LOAD: st[sp - 1] = mem[st[sp - 1] % MEM]; break;
		case STORE: a = st[--sp]; b = st[--sp]; mem[a % MEM] = b; break;
		case GET: st[sp++] = vm->var[(unsigned)code[pc++] % VARS]; break;
		case SET: vm->var[(unsigned)code[pc++] % VARS] = st[--sp]; break;
		case HALT: vm->steps += steps; return st[sp - 1];
		default: *bad = 1; return 0;
		}
	}
}

/* ---- a tiny assembler: labels and forward references ---- */

struct asm_ {
	int32_t code[CODE];
	unsigned n;
	int label[16];
	unsigned fix_at[32], fix_label[32], nfix;
};

static void op(struct asm_ *a, int32_t o) { a->code[a->n++] = o; }
static void op1(struct asm_ *a, int32_t o, int32_t imm) { op(a, o); op(a, imm); }
static void here(struct asm_ *a, unsigned l) { a->label[l] = (int)a->n; }
static void to(struct asm_ *a, int32_t o, unsigned l)
{
	op(a, o);
	a->fix_at[a->nfix] = a->n;
	a->fix_label[a->nfix++] = l;
	op(a, 0);
}
static void link_(struct asm_ *a)
{
	for (unsigned i = 0; i < a->nfix; i++)
		a->code[a->fix_at[i]] = a->label[a->fix_label[i]];
}

/* fib: ( n -- fib(n) ), recursive through CALL and RET. */
static void build_fib(struct asm_ *a)
{
	enum { FIB, BIG, END };
	to(a, CALL, FIB);
	op(a, HALT);
	here(a, FIB);
	op(a, DUP); op1(a, PUSH, 2); op(a, LT); to(a, JZ, BIG); op(a, RET);
	here(a, BIG);
	op(a, DUP); op1(a, PUSH, 1); op(a, SUB); to(a, CALL, FIB);     /* n fib(n-1) */
	op(a, SWAP); op1(a, PUSH, 2); op(a, SUB); to(a, CALL, FIB);    /* fib(n-1) fib(n-2) */
	op(a, ADD); op(a, RET);
	link_(a);
}

/* sieve: ( limit -- primes below it ); v0 limit, v1 i, v2 count, v3 j;
 * mem[k] = 1 marks k composite. */
static void build_sieve(struct asm_ *a)
{
	enum { CLEAR, CLEARED, OUTER, PRIME, INNER, NEXT, DONE };
	op1(a, SET, 0); op1(a, PUSH, 0); op1(a, SET, 1);
	here(a, CLEAR);
	op1(a, GET, 1); op1(a, GET, 0); op(a, LT); to(a, JZ, CLEARED);
	op1(a, PUSH, 0); op1(a, GET, 1); op(a, STORE);
	op1(a, GET, 1); op1(a, PUSH, 1); op(a, ADD); op1(a, SET, 1); to(a, JMP, CLEAR);
	here(a, CLEARED);
	op1(a, PUSH, 2); op1(a, SET, 1); op1(a, PUSH, 0); op1(a, SET, 2);
	here(a, OUTER);
	op1(a, GET, 1); op1(a, GET, 0); op(a, LT); to(a, JZ, DONE);
	op1(a, GET, 1); op(a, LOAD); to(a, JZ, PRIME); to(a, JMP, NEXT);
	here(a, PRIME);
	op1(a, GET, 2); op1(a, PUSH, 1); op(a, ADD); op1(a, SET, 2);
	op1(a, GET, 1); op1(a, GET, 1); op(a, MUL); op1(a, SET, 3);
	here(a, INNER);
	op1(a, GET, 3); op1(a, GET, 0); op(a, LT); to(a, JZ, NEXT);
	op1(a, PUSH, 1); op1(a, GET, 3); op(a, STORE);
	op1(a, GET, 3); op1(a, GET, 1); op(a, ADD); op1(a, SET, 3); to(a, JMP, INNER);
	here(a, NEXT);
	op1(a, GET, 1); op1(a, PUSH, 1); op(a, ADD); op1(a, SET, 1); to(a, JMP, OUTER);
	here(a, DONE);
	op1(a, GET, 2); op(a, HALT);
	link_(a);
}

/* hash: ( limit -- h ) over mem[0..limit); v0 limit, v1 i, v2 h. */
static void build_hash(struct asm_ *a)
{
	enum { LOOP, END };
	op1(a, SET, 0); op1(a, PUSH, (int32_t)2166136261u); op1(a, SET, 2);
	op1(a, PUSH, 0); op1(a, SET, 1);
	here(a, LOOP);
	op1(a, GET, 1); op1(a, GET, 0); op(a, LT); to(a, JZ, END);
	op1(a, GET, 2); op1(a, GET, 1); op(a, LOAD); op1(a, GET, 1); op1(a, PUSH, 7); op(a, SHR);
	op(a, ADD); op(a, XOR); op1(a, PUSH, 16777619); op(a, MUL); op1(a, SET, 2);
	op1(a, GET, 1); op1(a, PUSH, 1); op(a, ADD); op1(a, SET, 1); to(a, JMP, LOOP);
	here(a, END);
	op1(a, GET, 2); op(a, HALT);
	link_(a);
}

int main(int argc, char **argv)
{
	unsigned n = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 20;
	unsigned limit = 2000 * n;
	if (n < 2 || n > 30) {
		printf("bytevm: N must be between 2 and 30\n");
		return 1;
	}
	static struct asm_ fib_a, sieve_a, hash_a;
	static struct vm vm;
	build_fib(&fib_a);
	build_sieve(&sieve_a);
	build_hash(&hash_a);
	int bad = 0;
	uint32_t fib = run(&vm, fib_a.code, n, &bad);
	uint32_t primes = bad ? 0 : run(&vm, sieve_a.code, limit, &bad);
	uint32_t h = 0;
	for (unsigned round = 0; round < 8 && !bad; round++) {
		h ^= run(&vm, hash_a.code, limit, &bad) + round;
		mem[round * 97u % limit] ^= h;
	}
	if (bad) {
		printf("bytevm: bad bytecode or stack overflow\n");
		return 1;
	}
	printf("bytevm: n=%u fib=%u primes=%u hash=0x%08x steps=%llu\n", n, (unsigned)fib,
	       (unsigned)primes, (unsigned)h, (unsigned long long)vm.steps);
	return 0;
}
