/* An ET_DYN whose data refers to a symbol nothing defines: the loader must
 * refuse it and name the symbol. */
extern int missing_symbol;
int *missing_ptr = &missing_symbol;

int _start(void)
{
	return *missing_ptr;
}
