/* A PIE for test_elf: data pointers that need R_ARM_RELATIVE, and two
 * imports declared in pie_imports.S. */
extern int (*ob_test_alpha_slot)(int);
int counter = 5;
int *counter_ptr = &counter;
static const char message[] = "hello";
const char *message_ptr = message;

int _start(void)
{
	return *counter_ptr + message_ptr[0] + ob_test_alpha_slot(1);
}
