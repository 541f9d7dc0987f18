/*
 * The cryptography of authenticated connections, all of it libsodium's:
 *
 *   proof key   = crypto_kdf(K, id 1, "obauth01")
 *   session root= crypto_kdf(K, id 2, "obauth01")
 *   proof(role) = crypto_auth (HMAC-SHA-512-256) under the proof key of
 *                 "outboard-auth-v1 " role(1 byte: 'c' or 's') Nc Ns
 *   session     = crypto_generichash (BLAKE2b-256) of Nc Ns keyed with the
 *                 session root
 *   key c->s    = crypto_kdf(session, id 1, "obsess01")
 *   key s->c    = crypto_kdf(session, id 2, "obsess01")
 *   frame       = "OBAD" counter(u64 LE) XChaCha20-Poly1305(plain), with
 *                 the nonce = counter (LE) padded with zeros and the
 *                 12-byte header as additional data
 *
 * Nc and Ns are 32 random bytes from each side, fresh per handshake, so
 * every session has its own keys, and a counter never repeats under one
 * key: each direction has its own key and its own counter from 1. The
 * receiver accepts only counters above the last one it opened.
 */
#include <errno.h>
#include <string.h>

#include <sodium.h>

#include "ipc_impl.h"

static const char kdf_auth_ctx[crypto_kdf_CONTEXTBYTES + 1] = "obauth01";
static const char kdf_session_ctx[crypto_kdf_CONTEXTBYTES + 1] = "obsess01";
static const char proof_label[] = "outboard-auth-v1 ";

enum { OBI_SUBKEY_PROOF = 1, OBI_SUBKEY_SESSION = 2 };
enum { OBI_SUBKEY_C2S = 1, OBI_SUBKEY_S2C = 2 };

_Static_assert(crypto_kdf_KEYBYTES == OB_KEY_BYTES, "shared key is a KDF key");
_Static_assert(crypto_auth_KEYBYTES == 32 && crypto_auth_BYTES == OBI_MAC_LEN,
	       "proof sizes");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == 32, "session key size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == OBI_SEAL_OVERHEAD - OBI_SEAL_HEADER,
	       "AEAD tag size");

void obi_keys_derive(struct obi_keys *k, const uint8_t key[OB_KEY_BYTES])
{
	crypto_kdf_derive_from_key(k->proof, sizeof(k->proof), OBI_SUBKEY_PROOF, kdf_auth_ctx,
				   key);
	crypto_kdf_derive_from_key(k->session_root, sizeof(k->session_root),
				   OBI_SUBKEY_SESSION, kdf_auth_ctx, key);
}

/* The message a proof covers: label, role, both nonces. */
static void proof_input(crypto_auth_hmacsha512256_state *st, enum obi_role prover,
			const uint8_t cn[OBI_NONCE_LEN], const uint8_t sn[OBI_NONCE_LEN])
{
	const uint8_t role = prover == OBI_ROLE_DIALER ? 'c' : 's';

	crypto_auth_hmacsha512256_update(st, (const unsigned char *)proof_label,
					 sizeof(proof_label) - 1);
	crypto_auth_hmacsha512256_update(st, &role, 1);
	crypto_auth_hmacsha512256_update(st, cn, OBI_NONCE_LEN);
	crypto_auth_hmacsha512256_update(st, sn, OBI_NONCE_LEN);
}

void obi_proof(const struct obi_keys *k, enum obi_role prover,
	       const uint8_t client_nonce[OBI_NONCE_LEN],
	       const uint8_t server_nonce[OBI_NONCE_LEN], uint8_t mac[OBI_MAC_LEN])
{
	crypto_auth_hmacsha512256_state st;

	crypto_auth_hmacsha512256_init(&st, k->proof, sizeof(k->proof));
	proof_input(&st, prover, client_nonce, server_nonce);
	crypto_auth_hmacsha512256_final(&st, mac);
	sodium_memzero(&st, sizeof(st));
}

bool obi_proof_ok(const struct obi_keys *k, enum obi_role prover,
		  const uint8_t client_nonce[OBI_NONCE_LEN],
		  const uint8_t server_nonce[OBI_NONCE_LEN], const uint8_t mac[OBI_MAC_LEN])
{
	uint8_t expected[OBI_MAC_LEN];
	bool ok;

	obi_proof(k, prover, client_nonce, server_nonce, expected);
	ok = sodium_memcmp(expected, mac, OBI_MAC_LEN) == 0;
	sodium_memzero(expected, sizeof(expected));
	return ok;
}

void obi_session_derive(struct obi_session *s, const struct obi_keys *k, enum obi_role self,
			const uint8_t client_nonce[OBI_NONCE_LEN],
			const uint8_t server_nonce[OBI_NONCE_LEN])
{
	uint8_t nonces[2 * OBI_NONCE_LEN], root[crypto_kdf_KEYBYTES];
	bool dialer = self == OBI_ROLE_DIALER;

	memcpy(nonces, client_nonce, OBI_NONCE_LEN);
	memcpy(nonces + OBI_NONCE_LEN, server_nonce, OBI_NONCE_LEN);
	crypto_generichash(root, sizeof(root), nonces, sizeof(nonces), k->session_root,
			   sizeof(k->session_root));
	crypto_kdf_derive_from_key(s->tx_key, sizeof(s->tx_key),
				   dialer ? OBI_SUBKEY_C2S : OBI_SUBKEY_S2C, kdf_session_ctx, root);
	crypto_kdf_derive_from_key(s->rx_key, sizeof(s->rx_key),
				   dialer ? OBI_SUBKEY_S2C : OBI_SUBKEY_C2S, kdf_session_ctx, root);
	s->tx_counter = 0;
	s->rx_counter = 0;
	sodium_memzero(root, sizeof(root));
}

static void put_u64le(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_u64le(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void counter_nonce(uint8_t npub[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES],
			  const uint8_t counter_le[8])
{
	memset(npub, 0, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
	memcpy(npub, counter_le, 8);
}

int obi_seal(struct obi_session *s, const void *plain, size_t len, uint8_t *out)
{
	uint8_t npub[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];

	if (s->tx_counter == UINT64_MAX)
		return -EOVERFLOW;
	s->tx_counter++;
	memcpy(out, "OBA", 3);
	out[3] = OBI_TAG_SEALED;
	put_u64le(out + OBI_TAG_LEN, s->tx_counter);
	counter_nonce(npub, out + OBI_TAG_LEN);
	crypto_aead_xchacha20poly1305_ietf_encrypt(out + OBI_SEAL_HEADER, NULL, plain, len, out,
						   OBI_SEAL_HEADER, NULL, npub, s->tx_key);
	return 0;
}

int obi_open(struct obi_session *s, const uint8_t *sealed, size_t len, uint8_t *out)
{
	uint8_t npub[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES];
	uint64_t counter = get_u64le(sealed + OBI_TAG_LEN);

	/* The counter is checked first, but only trusted (and remembered)
	 * once the frame authenticates: it is part of the nonce and of the
	 * additional data. */
	if (counter <= s->rx_counter)
		return -ESTALE;
	counter_nonce(npub, sealed + OBI_TAG_LEN);
	if (crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, sealed + OBI_SEAL_HEADER,
						       len - OBI_SEAL_HEADER, sealed,
						       OBI_SEAL_HEADER, npub, s->rx_key) != 0)
		return -EBADMSG;
	s->rx_counter = counter;
	return 0;
}
