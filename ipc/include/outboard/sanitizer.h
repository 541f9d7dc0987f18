/*
 * Whether this translation unit is built with a sanitizer runtime, as the
 * compilers say it (GCC's __SANITIZE_*__, clang's __has_feature), so that
 * the few places that must behave differently under one agree on it:
 *
 *   OB_SANITIZER  1 under ASan, TSan, MSan or LSan: a runtime that makes
 *                 system calls and keeps state of its own (the plugins'
 *                 seccomp filter widens; the launcher forks instead of
 *                 vforking);
 *   OB_ASAN       1 under AddressSanitizer: memory a program manages itself
 *                 can be poisoned (<sanitizer/asan_interface.h>).
 *
 * Both are 0 otherwise.
 */
#ifndef OUTBOARD_SANITIZER_H
#define OUTBOARD_SANITIZER_H

#if defined(__SANITIZE_ADDRESS__)
#define OB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OB_ASAN 1
#endif
#endif
#ifndef OB_ASAN
#define OB_ASAN 0
#endif

#if OB_ASAN || defined(__SANITIZE_THREAD__)
#define OB_SANITIZER 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer) || \
	__has_feature(leak_sanitizer)
#define OB_SANITIZER 1
#endif
#endif
#ifndef OB_SANITIZER
#define OB_SANITIZER 0
#endif

#endif /* OUTBOARD_SANITIZER_H */
