/*
 * outboard-input-null: the input domain with no input. It serves
 * input_configure (there is nothing to start) and never sends an event:
 * a guest's ob_input_wait with a timeout ends in -ETIMEDOUT, ob_input_poll
 * finds nothing, and a guest that waits forever waits (the host does not
 * call that a deadlock while an input plugin is connected).
 */
#include "outboard/log.h"
#include "outboard/plugin.h"

#define OBIN_LOG "input-null"

static const Ob__Domain domains[] = { OB__DOMAIN__DOMAIN_INPUT };

static int handle_configure(void *ctx, ob_call *call, const ProtobufCMessage *args,
			    ProtobufCMessage *result)
{
	const Ob__InputConfigure *cfg = (const Ob__InputConfigure *)args;
	(void)ctx;
	(void)call;
	(void)result;
	OB_DEBUG(OBIN_LOG, "input_configure flags 0x%x: no events will come", cfg->flags);
	return 0;
}

static const struct ob_handler handlers[] = {
	{ OB__REQUEST__CALL_INPUT_CONFIGURE, handle_configure },
};

static const struct ob_plugin plugin = {
	.size = sizeof(struct ob_plugin),
	.name = "input-null",
	.version = "1.0",
	.summary = "the input domain with no input: no event ever comes",
	.domains = domains,
	.n_domains = 1,
	.handlers = handlers,
	.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
	/* After init, the SDK's base list is all it needs (docs/confinement.md). */
	.allow_syscalls = NULL,
};

int main(int argc, char **argv)
{
	return ob_plugin_main(&plugin, argc, argv);
}
