/* The two builds of preempt_stress's computation (mix_kernel.h): one round
 * over buf (MIX_WORDS words), from hash h; returns the new hash. */
#ifndef PREEMPT_MIX_H
#define PREEMPT_MIX_H

#include <stdint.h>

#define MIX_WORDS 256 /* a power of two */

uint32_t mix_arm_round(uint32_t *buf, uint32_t h);
uint32_t mix_thumb_round(uint32_t *buf, uint32_t h);

#endif
