/* Host errno <-> guest ABI (newlib) errno, both ways. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "outboard/errno.h"

/* Every OB_ABI_ constant in errno.h, with its host name. */
static const struct {
	int host, abi;
} named[] = {
	{EPERM, OB_ABI_EPERM}, {ENOENT, OB_ABI_ENOENT}, {EINTR, OB_ABI_EINTR},
	{EIO, OB_ABI_EIO}, {EBADF, OB_ABI_EBADF}, {EAGAIN, OB_ABI_EAGAIN},
	{ENOMEM, OB_ABI_ENOMEM}, {EACCES, OB_ABI_EACCES}, {EFAULT, OB_ABI_EFAULT},
	{EBUSY, OB_ABI_EBUSY}, {EEXIST, OB_ABI_EEXIST}, {EXDEV, OB_ABI_EXDEV},
	{ENODEV, OB_ABI_ENODEV}, {ENOTDIR, OB_ABI_ENOTDIR}, {EISDIR, OB_ABI_EISDIR},
	{EINVAL, OB_ABI_EINVAL}, {ENFILE, OB_ABI_ENFILE}, {EMFILE, OB_ABI_EMFILE},
	{ENOTTY, OB_ABI_ENOTTY}, {EFBIG, OB_ABI_EFBIG}, {ENOSPC, OB_ABI_ENOSPC},
	{ESPIPE, OB_ABI_ESPIPE}, {EROFS, OB_ABI_EROFS}, {EMLINK, OB_ABI_EMLINK},
	{EPIPE, OB_ABI_EPIPE}, {ERANGE, OB_ABI_ERANGE}, {EDEADLK, OB_ABI_EDEADLK},
	{ENOSYS, OB_ABI_ENOSYS}, {ENOTEMPTY, OB_ABI_ENOTEMPTY},
	{ENAMETOOLONG, OB_ABI_ENAMETOOLONG}, {ELOOP, OB_ABI_ELOOP},
	{EOPNOTSUPP, OB_ABI_EOPNOTSUPP}, {ECONNRESET, OB_ABI_ECONNRESET},
	{ENOBUFS, OB_ABI_ENOBUFS}, {ENOTCONN, OB_ABI_ENOTCONN},
	{ETIMEDOUT, OB_ABI_ETIMEDOUT}, {ECANCELED, OB_ABI_ECANCELED},
	{EOVERFLOW, OB_ABI_EOVERFLOW}, {EPROTO, OB_ABI_EPROTO},
	{EMSGSIZE, OB_ABI_EMSGSIZE},
};

static void test_named_values_both_ways(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
		assert_int_equal(ob_errno_to_abi(named[i].host), named[i].abi);
		assert_int_equal(ob_errno_from_abi(named[i].abi), named[i].host);
	}
}

static void test_known_differences(void **state)
{
	(void)state;
	/* Codes whose numbers differ between Linux and newlib. */
	assert_int_equal(ob_errno_to_abi(38), 88);   /* ENOSYS */
	assert_int_equal(ob_errno_to_abi(39), 90);   /* ENOTEMPTY */
	assert_int_equal(ob_errno_to_abi(36), 91);   /* ENAMETOOLONG */
	assert_int_equal(ob_errno_to_abi(110), 116); /* ETIMEDOUT */
	assert_int_equal(ob_errno_to_abi(EADDRINUSE), 112);
	assert_int_equal(ob_errno_to_abi(ECONNREFUSED), 111);
	assert_int_equal(ob_errno_to_abi(EDQUOT), 132);
	assert_int_equal(ob_errno_from_abi(88), ENOSYS);
	assert_int_equal(ob_errno_from_abi(116), ETIMEDOUT);
	assert_int_equal(ob_errno_from_abi(112), EADDRINUSE);
	/* newlib aliases with values of their own. */
	assert_int_equal(ob_errno_from_abi(134), ENOTSUP);  /* ENOTSUP */
	assert_int_equal(ob_errno_from_abi(56), EDEADLK);   /* EDEADLOCK */
	assert_int_equal(ob_errno_from_abi(11), EWOULDBLOCK);
	/* Linux codes newlib cannot name go to the nearest one. */
	assert_int_equal(ob_errno_to_abi(EMEDIUMTYPE), 135); /* ENOMEDIUM */
	assert_int_equal(ob_errno_to_abi(EKEYREJECTED), OB_ABI_EACCES);
	assert_int_equal(ob_errno_to_abi(EUCLEAN), OB_ABI_EIO);
}

static void test_zero_and_unknown(void **state)
{
	(void)state;
	assert_int_equal(ob_errno_to_abi(0), 0);
	assert_int_equal(ob_errno_from_abi(0), 0);
	assert_int_equal(ob_errno_to_abi(4000), OB_ABI_EIO);
	assert_int_equal(ob_errno_to_abi(-5), OB_ABI_EIO);
	assert_int_equal(ob_errno_from_abi(4000), EIO);
	assert_int_equal(ob_errno_from_abi(-1), EIO);
	assert_int_equal(ob_errno_from_abi(48), EIO); /* a hole in newlib's numbering */
}

/* Every Linux errno with a newlib name survives the round trip; the ones
 * without go somewhere sensible, never to 0. */
static void test_round_trip_all_linux(void **state)
{
	int mapped = 0;

	(void)state;
	for (int e = 1; e <= 133; e++) {
		int abi = ob_errno_to_abi(e);

		assert_true(abi > 0);
		if (ob_errno_from_abi(abi) == e)
			mapped++;
	}
	/* 133 codes minus the 13 Linux-only ones (ERESTART, EUCLEAN, ENOTNAM,
	 * ENAVAIL, EISNAM, EREMOTEIO, EMEDIUMTYPE, ENOKEY, EKEYEXPIRED,
	 * EKEYREVOKED, EKEYREJECTED, ERFKILL, EHWPOISON) and errno 41 and 58,
	 * which Linux leaves unused. */
	assert_int_equal(mapped, 133 - 13 - 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_named_values_both_ways),
		cmocka_unit_test(test_known_differences),
		cmocka_unit_test(test_zero_and_unknown),
		cmocka_unit_test(test_round_trip_all_linux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
