/* A tiny static ET_EXEC for test_elf: text, read-only data, data and bss. */
int data_word = 0x12345678;
int bss_words[1024];
const char ro_text[] = "outboard";

int _start(void)
{
	bss_words[3] = data_word;
	return ro_text[0];
}
