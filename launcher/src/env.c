/*
 * The guest's environment (docs/launcher.md, Environment): like qemu-user's
 * -E and -U, it starts empty, nothing of the launcher's own environment
 * leaks in, and the [env] section, --env and --unset-env change it in that
 * order. The CPU host gets the result as --env NAME=VALUE options.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "outboard/host_options.h"

int obl_env_add(struct obl_run_conf *run, const char *name, size_t name_len,
		const char *value)
{
	if (ob_env_name_check(name, name_len) < 0)
		return -EINVAL;
	struct obl_env_op *grown = realloc(run->env, (run->n_env + 1) * sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	run->env = grown;
	char *n = strndup(name, name_len);
	char *v = value ? strdup(value) : NULL;
	if (!n || (value && !v)) {
		free(n);
		free(v);
		return -ENOMEM;
	}
	run->env[run->n_env++] = (struct obl_env_op){ .name = n, .value = v };
	return 0;
}

void obl_env_ops_free(struct obl_run_conf *run)
{
	for (size_t i = 0; i < run->n_env; i++) {
		free(run->env[i].name);
		free(run->env[i].value);
	}
	free(run->env);
	run->env = NULL;
	run->n_env = 0;
}

void obl_env_merge(struct obl_run_conf *cli, struct obl_run_conf *file)
{
	if (!file->n_env)
		return;
	struct obl_env_op *all = malloc((cli->n_env + file->n_env) * sizeof(*all));
	if (!all)
		return; /* keep the command line's alone rather than lose it */
	memcpy(all, file->env, file->n_env * sizeof(*all));
	memcpy(all + file->n_env, cli->env, cli->n_env * sizeof(*all));
	free(cli->env);
	free(file->env);
	cli->env = all;
	cli->n_env += file->n_env;
	file->env = NULL;
	file->n_env = 0;
}

void obl_env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
}

int obl_env_resolve(const struct obl_run_conf *run, char ***out)
{
	/* Each name's last change decides; a name keeps the place where it was
	 * first set, as setenv would leave it. Quadratic, for a few names. */
	char **env = calloc(run->n_env + 1, sizeof(*env));
	if (!env)
		return -ENOMEM;
	size_t n = 0;
	for (size_t i = 0; i < run->n_env; i++) {
		const struct obl_env_op *op = &run->env[i];
		size_t len = strlen(op->name);
		size_t at = 0;
		while (at < n && !(strncmp(env[at], op->name, len) == 0 && env[at][len] == '='))
			at++;
		if (!op->value) {
			if (at < n) {
				free(env[at]);
				memmove(&env[at], &env[at + 1], (n - at) * sizeof(*env));
				n--;
			}
			continue;
		}
		char *kv = malloc(len + 1 + strlen(op->value) + 1);
		if (!kv) {
			obl_env_free(env);
			return -ENOMEM;
		}
		strcpy(kv, op->name);
		kv[len] = '=';
		strcpy(kv + len + 1, op->value);
		if (at < n)
			free(env[at]);
		else
			n++;
		env[at] = kv;
	}
	*out = env;
	return 0;
}
