/*
 * cm_mix: a CoreMark-like CPU benchmark guest (our own code, not CoreMark's):
 * each iteration runs the same four kinds of work as CoreMark, on small data
 * that stays in the caches, with short blocks and many loads and stores:
 *
 *   - a linked list of 96 nodes in a pool: look values up, reverse it, and
 *     merge-sort it by two different keys;
 *   - a state machine that classifies the tokens of a text (integers,
 *     floats, hex numbers, words, garbage), byte by byte through a switch;
 *   - 20x20 matrices of 16-bit values: a product, a matrix-vector product
 *     and a bit-field sum;
 *   - a bitwise CRC-16 over every result.
 *
 *   cm_mix [ITERATIONS [SEED]]       default 2000 iterations, seed 7
 *
 * Prints "cm_mix: iterations=N seed=S crc=0xXXXX list=0xXXXX state=0xXXXX
 * matrix=0xXXXX" and exits with 0. The result depends only on the
 * arguments: every emulator must print the same line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define LIST_NODES 96
#define MAT_N 20

struct node {
	struct node *next;
	int16_t key;
	uint16_t idx;
};

static struct node pool[LIST_NODES];

static uint16_t crc_byte(uint8_t b, uint16_t crc)
{
	for (int i = 0; i < 8; i++) {
		uint16_t carry = (b ^ crc) & 1;
		b >>= 1;
		crc >>= 1;
		if (carry)
			crc ^= 0xa001;
	}
	return crc;
}

static uint16_t crc16(uint16_t v, uint16_t crc)
{
	return crc_byte((uint8_t)(v >> 8), crc_byte((uint8_t)v, crc));
}

/* ---- list ---- */

static struct node *list_init(uint32_t seed)
{
	for (int i = 0; i < LIST_NODES; i++) {
		seed = seed * 1103515245u + 12345u;
		pool[i].key = (int16_t)(seed >> 16);
		pool[i].idx = (uint16_t)i;
		pool[i].next = i + 1 < LIST_NODES ? &pool[i + 1] : NULL;
	}
	return &pool[0];
}

static struct node *list_reverse(struct node *l)
{
	struct node *r = NULL;
	while (l) {
		struct node *n = l->next;
		l->next = r;
		r = l;
		l = n;
	}
	return r;
}

static int cmp_key(const struct node *a, const struct node *b)
{
	return a->key - b->key;
}

static int cmp_idx(const struct node *a, const struct node *b)
{
	return a->idx - b->idx;
}

/* Bottom-up merge sort of a singly linked list (as CoreMark's core_list_mergesort). */
static struct node *list_sort(struct node *l, int (*cmp)(const struct node *, const struct node *))
{
	for (int k = 1;; k *= 2) {
		struct node *p = l, *tail = NULL;
		int merges = 0;
		l = NULL;
		while (p) {
			merges++;
			struct node *q = p;
			int psize = 0, qsize = k;
			while (psize < k && q) {
				psize++;
				q = q->next;
			}
			while (psize > 0 || (qsize > 0 && q)) {
				struct node *e;
				if (psize == 0) {
					e = q, q = q->next, qsize--;
				} else if (qsize == 0 || !q || cmp(p, q) <= 0) {
					e = p, p = p->next, psize--;
				} else {
					e = q, q = q->next, qsize--;
				}
				if (tail)
					tail->next = e;
				else
					l = e;
				tail = e;
			}
			p = q;
		}
		tail->next = NULL;
		if (merges <= 1)
			return l;
	}
}

static uint16_t list_work(struct node **head, uint16_t crc, int16_t probe)
{
	struct node *l = *head;
	for (int i = 0; i < 4; i++) {
		int16_t want = (int16_t)(probe + i * 977);
		const struct node *n = l;
		int steps = 0;
		while (n && n->key != want && (n->key ^ want) & 0xff) {
			n = n->next;
			steps++;
		}
		crc = crc16((uint16_t)steps, crc);
	}
	l = list_reverse(l);
	l = list_sort(l, cmp_key);
	for (const struct node *n = l; n; n = n->next)
		crc = crc16((uint16_t)n->key, crc);
	/* Change the data so that the next iteration is not a replay. */
	for (struct node *n = l; n; n = n->next)
		n->key = (int16_t)(n->key * 5 + n->idx + probe);
	l = list_sort(l, cmp_idx);
	*head = l;
	return crc;
}

/* ---- state machine ---- */

enum state { S_START, S_INT, S_FLOAT, S_EXP, S_HEX0, S_HEX, S_WORD, S_BAD, S_COUNT };

static const char text_seed[] =
	"5012,1.23,-874,0x1F,abc,+17,3.5e2,0xg,12ab,-0.5,.25,7e-3,0x,word,999,,"
	"42,-3.14159,0xdeadBEEF,x1,1e,2.,--1,0X7,tail";

static char text[sizeof(text_seed)];

static enum state step(enum state s, char c, unsigned *transitions)
{
	enum state n = s;
	switch (s) {
	case S_START:
		if (c >= '0' && c <= '9')
			n = c == '0' ? S_HEX0 : S_INT;
		else if (c == '+' || c == '-')
			n = S_INT;
		else if (c == '.')
			n = S_FLOAT;
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			n = S_WORD;
		else
			n = S_BAD;
		break;
	case S_HEX0:
		n = (c | 0x20) == 'x' ? S_HEX : c == '.' ? S_FLOAT : (c >= '0' && c <= '9') ? S_INT : S_BAD;
		break;
	case S_INT:
		if (c == '.')
			n = S_FLOAT;
		else if ((c | 0x20) == 'e')
			n = S_EXP;
		else if (c < '0' || c > '9')
			n = S_BAD;
		break;
	case S_FLOAT:
		if ((c | 0x20) == 'e')
			n = S_EXP;
		else if (c < '0' || c > '9')
			n = S_BAD;
		break;
	case S_EXP:
		if (!((c >= '0' && c <= '9') || c == '-' || c == '+'))
			n = S_BAD;
		break;
	case S_HEX:
		if (!((c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')))
			n = S_BAD;
		break;
	case S_WORD:
		if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9'))
			n = S_BAD;
		break;
	default:
		break;
	}
	if (n != s)
		(*transitions)++;
	return n;
}

static uint16_t state_work(uint16_t crc, unsigned iter)
{
	unsigned counts[S_COUNT] = { 0 }, transitions = 0;
	enum state s = S_START;
	for (const char *p = text;; p++) {
		if (*p == ',' || *p == 0) {
			counts[s]++;
			s = S_START;
			if (!*p)
				break;
			continue;
		}
		s = step(s, *p, &transitions);
	}
	for (int i = 0; i < S_COUNT; i++)
		crc = crc16((uint16_t)counts[i], crc);
	crc = crc16((uint16_t)transitions, crc);
	/* Corrupt one byte and repair another, as CoreMark does between runs. */
	size_t k = (iter * 7u) % (sizeof(text) - 1);
	text[k] = text[k] == ',' ? ',' : (char)(text[k] ^ 1);
	return crc;
}

/* ---- matrix ---- */

static int16_t ma[MAT_N][MAT_N], mb[MAT_N][MAT_N];
static int32_t mc[MAT_N][MAT_N];

static uint16_t matrix_work(uint16_t crc, int16_t k)
{
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			int32_t s = 0;
			for (int x = 0; x < MAT_N; x++)
				s += (int32_t)ma[i][x] * mb[x][j];
			mc[i][j] = s;
		}
	int32_t sum = 0;
	for (int i = 0; i < MAT_N; i++) {
		int32_t v = 0;
		for (int j = 0; j < MAT_N; j++)
			v += (int32_t)ma[i][j] * k;
		sum += v ^ ((mc[i][i] >> 2) & 0x3ff);
	}
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			sum += (mc[i][j] >> 4) & 0x7f;
			ma[i][j] = (int16_t)(ma[i][j] + k);
		}
	return crc16((uint16_t)sum, crc16((uint16_t)(sum >> 16), crc));
}

int main(int argc, char **argv)
{
	unsigned iterations = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 2000;
	uint32_t seed = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 7;
	struct node *list = list_init(seed);
	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = text_seed[i];
	for (int i = 0; i < MAT_N; i++)
		for (int j = 0; j < MAT_N; j++) {
			ma[i][j] = (int16_t)((i * 31 + j * 17 + (int)seed) % 97 - 48);
			mb[i][j] = (int16_t)((i * 13 + j * 29 + (int)seed) % 89 - 44);
		}
	uint16_t crc = 0, lc = 0, sc = 0, mcrc = 0;
	for (unsigned it = 0; it < iterations; it++) {
		lc = list_work(&list, lc, (int16_t)(it * 131 + seed));
		sc = state_work(sc, it);
		mcrc = matrix_work(mcrc, (int16_t)(it & 15) - 7);
		crc = crc16(lc, crc16(sc, crc16(mcrc, crc)));
	}
	printf("cm_mix: iterations=%u seed=%u crc=0x%04x list=0x%04x state=0x%04x matrix=0x%04x\n",
	       iterations, (unsigned)seed, crc, lc, sc, mcrc);
	return 0;
}
