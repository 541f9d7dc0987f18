/*
 * outboard-keygen FILE: write a new random shared key for authenticated
 * (tcp://) connections, readable by its owner only (mode 0600). Copy the
 * file to the other machine by a secure means (scp) and give it to both
 * sides with --key FILE. An existing file is never overwritten.
 *
 * Exit status: 0 written; 1 the file could not be written (the reason is
 * logged); 2 bad command line.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "outboard/key.h"
#include "outboard/log.h"

static void usage(FILE *to)
{
	fprintf(to,
		"Usage: outboard-keygen FILE\n"
		"Write a new random key for authenticated outboard connections to FILE\n"
		"(mode 0600; an existing FILE is never replaced). Give the same key file to\n"
		"both sides of a tcp:// connection with --key FILE.\n");
}

int main(int argc, char **argv)
{
	uint8_t key[OB_KEY_BYTES];
	char id[OB_KEY_ID_LEN];

	ob_log_set_program("outboard-keygen");
	if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-' || argv[1][0] == '\0') {
		usage(stderr);
		return 2;
	}
	if (ob_key_generate(argv[1], key) < 0)
		return 1;
	ob_key_id(key, id);
	sodium_memzero(key, sizeof(key));
	printf("wrote %s (key id %s)\n", argv[1], id);
	return 0;
}
