/* The computation of preempt_stress as Thumb code (mix_kernel.h; built with
 * -mthumb). */
#define MIX(name) mix_thumb_##name
#include "mix.h"
#include "mix_kernel.h"
