/* The computation of preempt_stress as ARM code (mix_kernel.h). */
#define MIX(name) mix_arm_##name
#include "mix.h"
#include "mix_kernel.h"
