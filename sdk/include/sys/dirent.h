/*
 * newlib's <sys/dirent.h> is an #error for arm-none-eabi; the SDK's
 * <dirent.h> holds the real definitions.
 */
#include <dirent.h>
