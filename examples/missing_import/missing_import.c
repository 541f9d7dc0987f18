/*
 * missing_import: imports the HLE function "no_such_hle_call", which no
 * module provides (missing_import_stub.S). The load must fail before the
 * program runs: `outboard run` exits with 125 and its error names
 * no_such_hle_call. Nothing is printed by the program itself.
 */
#include <stdio.h>

int ob_no_such_hle_call(void);

int main(void)
{
	printf("missing_import: this line must never appear\n");
	return ob_no_such_hle_call();
}
