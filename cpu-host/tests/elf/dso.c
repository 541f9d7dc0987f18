/* An ET_DYN linked -shared for test_elf: global data and a call through the
 * PLT give R_ARM_ABS32, R_ARM_GLOB_DAT and R_ARM_JUMP_SLOT against symbols
 * the image defines. */
int shared_value = 7;
int *shared_ptr = &shared_value;

int helper(int x)
{
	return x + shared_value;
}

int _start(void)
{
	return helper(*shared_ptr);
}
