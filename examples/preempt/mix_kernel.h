/*
 * The checksummed computation of preempt_stress, included twice: once
 * compiled as ARM code (mix_arm.c) and once as Thumb code (mix_thumb.c),
 * with MIX(name) giving each copy its own names.
 *
 * One round walks a buffer with loads and stores in the middle of short
 * blocks, multiplies, data-dependent branches and calls that push and pop:
 * the kind of code where a stop at the wrong point (after a store, with PC
 * at the start of the block) would run instructions twice and change the
 * result.
 */
#include <stdint.h>

__attribute__((noinline)) static uint32_t MIX(fold)(uint32_t h, uint32_t x)
{
	h ^= x + 0x9e3779b9u + (h << 6) + (h >> 2);
	return h;
}

uint32_t MIX(round)(uint32_t *buf, uint32_t h)
{
	for (unsigned i = 0; i < MIX_WORDS; i++) {
		uint32_t x = buf[i];
		h = (h ^ x) * 16777619u;
		x = x * 1103515245u + 12345u + h;
		buf[i] = x ^ (x >> 13);
		if (x & 1)
			buf[(i * 7u) & (MIX_WORDS - 1)] += h;
		else
			buf[(i + 3u) & (MIX_WORDS - 1)] ^= x >> 3;
		if ((i & 15) == 0)
			h = MIX(fold)(h, buf[(i + 1u) & (MIX_WORDS - 1)]);
	}
	return h;
}
