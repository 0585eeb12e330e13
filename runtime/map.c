/* map.c — the index of a HashMap: which entry holds which key, by hash.
 *
 * A HashMap<K, V> in the generated C is its entries in a buffer, in the order they were
 * inserted (`{ uint64_t hash; K key; V value; }`, the hash first), and this index: an
 * open-addressed table of entry numbers (1-based, 0 = empty slot) probed linearly from
 * the key's hash. The generated code compares the keys (it knows K); the index only
 * places and moves entry numbers, reading each entry's hash at the start of the entry.
 * Removing an entry moves the last one into its place (Rust's order is unspecified, so
 * any order is one Rust may show), and closes the gap in the table by shifting back the
 * entries after it, so that no slot is ever a tombstone. */
#include "mrs_rt.h"

#include <string.h>

static uint64_t entry_hash(const void *entries, size_t esize, size_t i)
{
    uint64_t h;
    memcpy(&h, (const char *)entries + i * esize, sizeof h);
    return h;
}

static void place(MrsMapIndex *ix, uint64_t hash, uint32_t number)
{
    size_t mask = ix->cap - 1;
    for (size_t s = (size_t)hash & mask;; s = (s + 1) & mask)
        if (!ix->slots[s]) {
            ix->slots[s] = number;
            return;
        }
}

void mrs_map_index_add(MrsMapIndex *ix, const void *entries, size_t esize, size_t n)
{
    if (2 * n > ix->cap) { /* (at most half full) a bigger table, every entry placed again */
        size_t cap = ix->cap ? 2 * ix->cap : 8;
        while (2 * n > cap)
            cap *= 2;
        mrs_vec_free(ix->slots);
        ix->slots = mrs_alloc(cap * sizeof *ix->slots);
        memset(ix->slots, 0, cap * sizeof *ix->slots);
        ix->cap = cap;
        for (size_t i = 0; i + 1 < n; i++)
            place(ix, entry_hash(entries, esize, i), (uint32_t)(i + 1));
    }
    place(ix, entry_hash(entries, esize, n - 1), (uint32_t)n);
}

/* The slot that holds entry number `number` (whose hash is `hash`). */
static size_t slot_of(const MrsMapIndex *ix, uint64_t hash, uint32_t number)
{
    size_t mask = ix->cap - 1;
    size_t s = (size_t)hash & mask;
    while (ix->slots[s] != number)
        s = (s + 1) & mask;
    return s;
}

void mrs_map_index_remove(MrsMapIndex *ix, const void *entries, size_t esize, size_t i, size_t n)
{
    size_t mask = ix->cap - 1;
    size_t hole = slot_of(ix, entry_hash(entries, esize, i), (uint32_t)(i + 1));
    ix->slots[hole] = 0;
    /* shift back the run after the hole: an entry moves when its home is not between
     * the hole and where it sits (cyclically) */
    for (size_t s = (hole + 1) & mask; ix->slots[s]; s = (s + 1) & mask) {
        size_t home = (size_t)entry_hash(entries, esize, ix->slots[s] - 1) & mask;
        bool stays = hole <= s ? (hole < home && home <= s) : (hole < home || home <= s);
        if (!stays) {
            ix->slots[hole] = ix->slots[s];
            ix->slots[s] = 0;
            hole = s;
        }
    }
    if (i + 1 < n) /* the last entry moves into entry i's place */
        ix->slots[slot_of(ix, entry_hash(entries, esize, n - 1), (uint32_t)n)] = (uint32_t)(i + 1);
}

void mrs_map_index_clear(MrsMapIndex *ix)
{
    if (ix->cap)
        memset(ix->slots, 0, ix->cap * sizeof *ix->slots);
}

MrsMapIndex mrs_map_index_clone(const MrsMapIndex *ix)
{
    MrsMapIndex c = {NULL, ix->cap};
    if (ix->cap) {
        c.slots = mrs_alloc(ix->cap * sizeof *ix->slots);
        memcpy(c.slots, ix->slots, ix->cap * sizeof *ix->slots);
    }
    return c;
}

void mrs_map_index_free(MrsMapIndex *ix)
{
    mrs_vec_free(ix->slots);
    ix->slots = NULL;
    ix->cap = 0;
}

/* Hashing: the same for a String and the str it holds, so a lookup by `&str` finds a
 * String key. (Rust's SipHash is keyed per run; any hash keeps Rust's semantics.) */
uint64_t mrs_hash_bytes(const void *p, size_t n)
{
    const unsigned char *b = p;
    uint64_t h = 14695981039346656037ull; /* FNV-1a, then a final mix */
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return mrs_hash_u64(h ^ n);
}

uint64_t mrs_hash_u64(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    x ^= x >> 33;
    return x;
}
