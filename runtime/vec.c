/* vec.c — memory for Vec<T> and String, slice bounds panics, and the radix sorts of integers
 * and of integer keys (the other sorts: mrs_sort.h).
 *
 * The generated C declares each Vec<T> as `struct { T *ptr; size_t len; size_t cap; }`
 * and calls mrs_vec_grow when it needs room; capacities grow the way Rust's RawVec grows
 * them, so Vec::capacity() prints the same numbers as under rustc. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <stdio.h>
#include <stdlib.h>


_Noreturn void mrs_alloc_failed(size_t size)
{
    mrs_flush_stdout();
    fprintf(stderr, "memory allocation of %zu bytes failed\n", size);
    abort();
}

void *mrs_alloc(size_t size)
{
    void *p = malloc(size == 0 ? 1 : size);
    if (p == NULL)
        mrs_alloc_failed(size);
    return p;
}

void *mrs_realloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size == 0 ? 1 : size);
    if (p == NULL)
        mrs_alloc_failed(size);
    return p;
}

void *mrs_vec_alloc(size_t n, size_t elem_size)
{
    size_t bytes;
    if (__builtin_mul_overflow(n, elem_size, &bytes) || bytes > (size_t)INTPTR_MAX)
        mrs_panic_cstr(MRS_LOC_RAW_VEC, "capacity overflow");
    return bytes == 0 ? NULL : mrs_alloc(bytes);
}

void mrs_vec_free(void *ptr)
{
    free(ptr);
}

void *mrs_vec_grow(void *ptr, size_t *cap, size_t elem_size, size_t needed)
{
    if (needed <= *cap)
        return ptr;
    /* RawVec::grow_amortized: double, but at least what is needed and at least the
     * minimum non-zero capacity for this element size */
    size_t min_cap = elem_size == 1 ? 8 : elem_size <= 1024 ? 4 : 1;
    size_t new_cap = *cap > SIZE_MAX / 2 ? SIZE_MAX : *cap * 2;
    if (new_cap < needed)
        new_cap = needed;
    if (new_cap < min_cap)
        new_cap = min_cap;
    size_t bytes;
    if (__builtin_mul_overflow(new_cap, elem_size, &bytes) || bytes > (size_t)INTPTR_MAX)
        mrs_panic_cstr(MRS_LOC_RAW_VEC, "capacity overflow");
    *cap = new_cap;
    return mrs_realloc(ptr, bytes);
}

/* Vec::reserve (amortized: as a push that needs room grows) and reserve_exact: room for
 * `additional` more elements after len. */
void *mrs_vec_reserve(void *ptr, size_t len, size_t *cap, size_t elem_size, size_t additional, bool exact)
{
    if (*cap - len >= additional)
        return ptr;
    size_t needed, bytes;
    if (__builtin_add_overflow(len, additional, &needed))
        mrs_panic_cstr(MRS_LOC_RAW_VEC, "capacity overflow");
    if (!exact)
        return mrs_vec_grow(ptr, cap, elem_size, needed);
    if (__builtin_mul_overflow(needed, elem_size, &bytes) || bytes > (size_t)INTPTR_MAX)
        mrs_panic_cstr(MRS_LOC_RAW_VEC, "capacity overflow");
    *cap = needed;
    return mrs_realloc(ptr, bytes);
}

/* Vec::shrink_to(min) (shrink_to_fit: min 0): a capacity above min shrinks to the
 * larger of len and min. */
void *mrs_vec_shrink_to(void *ptr, size_t len, size_t *cap, size_t elem_size, size_t min)
{
    if (*cap <= min)
        return ptr;
    size_t new_cap = len > min ? len : min;
    if (new_cap == *cap)
        return ptr;
    *cap = new_cap;
    if (new_cap == 0) {
        free(ptr);
        return NULL;
    }
    return mrs_realloc(ptr, new_cap * elem_size);
}

/* ---- panics: each builds its message, then panics */

static _Noreturn void panic_fmt2(MrsLoc loc, const char *fmt, size_t a, size_t b)
{
    char buf[160];
    snprintf(buf, sizeof buf, fmt, a, b);
    mrs_panic_cstr(loc, buf);
}

_Noreturn void mrs_panic_bounds(MrsLoc loc, size_t index, size_t len)
{
    panic_fmt2(loc, "index out of bounds: the len is %zu but the index is %zu", len, index);
}

_Noreturn void mrs_panic_slice_end(MrsLoc loc, size_t end, size_t len)
{
    panic_fmt2(loc, "range end index %zu out of range for slice of length %zu", end, len);
}

_Noreturn void mrs_panic_slice_start(MrsLoc loc, size_t start, size_t len)
{
    panic_fmt2(loc, "range start index %zu out of range for slice of length %zu", start, len);
}

_Noreturn void mrs_panic_slice_order(MrsLoc loc, size_t start, size_t end)
{
    panic_fmt2(loc, "slice index starts at %zu but ends at %zu", start, end);
}

/* Vec::drain's range, checked as core::slice::range checks it (not #[track_caller]: the
 * panic is reported in core, at the check that failed, with the message of the first
 * bound that is out of place). */
void mrs_range_check_core(size_t start, size_t end, size_t len)
{
    if (end <= len && start <= end)
        return;
    MrsLoc loc = end > len ? MRS_LOC(MRS_RUSTC_SRC "core/src/slice/index.rs", 1020, 51)
                           : MRS_LOC(MRS_RUSTC_SRC "core/src/slice/index.rs", 1031, 55);
    if (start > len)
        mrs_panic_slice_start(loc, start, len);
    if (end > len)
        mrs_panic_slice_end(loc, end, len);
    mrs_panic_slice_order(loc, start, end);
}

void mrs_slice_check(MrsLoc loc, size_t start, size_t end, size_t len)
{
    if (start > len)
        mrs_panic_slice_start(loc, start, len);
    if (end > len)
        mrs_panic_slice_end(loc, end, len);
    if (start > end)
        mrs_panic_slice_order(loc, start, end);
}

void mrs_slice_check_inclusive(MrsLoc loc, size_t start, size_t end, size_t len)
{
    if (end == SIZE_MAX)
        mrs_panic_cstr(loc, "attempted to index slice up to maximum usize");
    if (start > len)
        mrs_panic_slice_start(loc, start, len);
    if (end >= len)
        mrs_panic_slice_end(loc, end, len); /* reported as written, not end + 1 */
    if (start > end + 1)
        mrs_panic_slice_order(loc, start, end + 1);
}

_Noreturn void mrs_panic_vec_remove(MrsLoc loc, size_t index, size_t len)
{
    panic_fmt2(loc, "removal index (is %zu) should be < len (is %zu)", index, len);
}

_Noreturn void mrs_panic_vec_insert(MrsLoc loc, size_t index, size_t len)
{
    panic_fmt2(loc, "insertion index (is %zu) should be <= len (is %zu)", index, len);
}

_Noreturn void mrs_panic_vec_swap_remove(size_t index, size_t len)
{
    panic_fmt2(MRS_LOC(MRS_RUSTC_SRC "alloc/src/vec/mod.rs", 2202, 13),
               "swap_remove index (is %zu) should be < len (is %zu)", index, len);
}

/* ---- VecDeque */

#define MRS_LOC_VEC_DEQUE(line) MRS_LOC(MRS_RUSTC_SRC "alloc/src/collections/vec_deque/mod.rs", line, 9)

void *mrs_deque_shift(void *ptr, size_t *cap, size_t *head, size_t len, size_t elem)
{
    if (*head == 0)
        return ptr;
    unsigned char *base = (unsigned char *)ptr - *head * elem;
    if (len)
        memmove(base, ptr, len * elem);
    *cap += *head;
    *head = 0;
    return base;
}

void *mrs_deque_grow_back(void *ptr, size_t *cap, size_t *head, size_t len, size_t elem)
{
    /* the room a queue's pops left at the front is used when it is at least as much as
     * what is kept (so each element is moved O(1) times); else the buffer doubles */
    bool roomy = *head > 0 && *head >= len;
    size_t cap_before = *cap + *head;
    ptr = mrs_deque_shift(ptr, cap, head, len, elem);
    if (roomy)
        return ptr;
    return mrs_vec_grow(ptr, cap, elem, cap_before + 1);
}

void *mrs_deque_grow_front(void *ptr, size_t *cap, size_t *head, size_t len, size_t elem)
{
    size_t room = len < 4 ? 4 : len; /* as much room in front as there are elements */
    size_t total;
    if (__builtin_add_overflow(room, *cap, &total))
        mrs_panic_cstr(MRS_LOC_RAW_VEC, "capacity overflow");
    unsigned char *base = mrs_vec_alloc(total, elem);
    if (len)
        memcpy(base + room * elem, ptr, len * elem);
    mrs_vec_free((unsigned char *)ptr - *head * elem);
    *head = room;
    return elem ? base + room * elem : NULL;
}

void mrs_rotate_left(void *ptr, size_t len, size_t n, size_t elem)
{
    if (n == 0 || n == len)
        return;
    unsigned char *p = ptr, *tmp = mrs_alloc(n * elem);
    memcpy(tmp, p, n * elem);
    memmove(p, p + n * elem, (len - n) * elem);
    memcpy(p + (len - n) * elem, tmp, n * elem);
    free(tmp);
}

_Noreturn void mrs_panic_deque_index(MrsLoc loc)
{
    mrs_panic_cstr(loc, "Out of bounds access");
}

_Noreturn void mrs_panic_deque_swap(bool first)
{
    mrs_panic_cstr(MRS_LOC_VEC_DEQUE(first ? 971 : 972), first ? "assertion failed: i < self.len()"
                                                               : "assertion failed: j < self.len()");
}

_Noreturn void mrs_panic_deque_insert(void)
{
    mrs_panic_cstr(MRS_LOC_VEC_DEQUE(2431), "index out of bounds");
}

_Noreturn void mrs_panic_deque_rotate(bool left)
{
    mrs_panic_cstr(MRS_LOC_VEC_DEQUE(left ? 2986 : 3029), "assertion failed: n <= self.len()");
}

/* ---- sorting integers: LSD radix sort */

/* Equal integers cannot be told apart, so any correct sort gives std's result, stable or
 * not. Short slices go by insertion; longer ones by a least-significant-digit radix sort:
 * per byte a histogram and a scatter into a buffer, skipping the bytes in which all keys
 * agree (small values, a shared high part). Signed keys flip their sign bit to sort as
 * unsigned ones. */
#define MRS_RADIX_SORT(N, T, U, BITS, FLIP)                                                        \
    void mrs_sort_##N(T *v, size_t n)                                                            \
    {                                                                                            \
        if (n < 2)                                                                               \
            return;                                                                              \
        if (n <= 32) {                                                                           \
            for (size_t i = 1; i < n; i++) {                                                     \
                T x = v[i];                                                                      \
                size_t j = i;                                                                    \
                for (; j > 0 && v[j - 1] > x; j--)                                               \
                    v[j] = v[j - 1];                                                             \
                v[j] = x;                                                                        \
            }                                                                                    \
            return;                                                                              \
        }                                                                                        \
        enum { PASSES = (BITS) / 8 };                                                            \
        size_t (*count)[256] = calloc(PASSES, sizeof *count);                                    \
        U *a = (U *)(void *)v, *b = mrs_alloc(n * sizeof(U));                                    \
        if (!count)                                                                              \
            mrs_alloc_failed(PASSES * sizeof *count);                                            \
        for (size_t i = 0; i < n; i++) {                                                         \
            U k = a[i] ^ (FLIP);                                                                 \
            for (int p = 0; p < PASSES; p++)                                                     \
                count[p][(k >> (8 * p)) & 0xff]++;                                               \
        }                                                                                        \
        U *src = a, *dst = b;                                                                    \
        for (int p = 0; p < PASSES; p++) {                                                       \
            if (count[p][((src[0] ^ (FLIP)) >> (8 * p)) & 0xff] == n)                            \
                continue; /* every key has this byte: nothing moves */                          \
            size_t at = 0;                                                                       \
            for (int d = 0; d < 256; d++) {                                                      \
                size_t c = count[p][d];                                                          \
                count[p][d] = at;                                                                \
                at += c;                                                                         \
            }                                                                                    \
            for (size_t i = 0; i < n; i++)                                                       \
                dst[count[p][((src[i] ^ (FLIP)) >> (8 * p)) & 0xff]++] = src[i];                 \
            U *t = src;                                                                          \
            src = dst;                                                                           \
            dst = t;                                                                             \
        }                                                                                        \
        if (src != a)                                                                            \
            memcpy(a, src, n * sizeof(U));                                                       \
        free(b);                                                                                 \
        free(count);                                                                             \
    }
MRS_RADIX_SORT(u8, uint8_t, uint8_t, 8, 0)
MRS_RADIX_SORT(i8, int8_t, uint8_t, 8, 0x80u)
MRS_RADIX_SORT(u16, uint16_t, uint16_t, 16, 0)
MRS_RADIX_SORT(i16, int16_t, uint16_t, 16, 0x8000u)
MRS_RADIX_SORT(u32, uint32_t, uint32_t, 32, 0)
MRS_RADIX_SORT(i32, int32_t, uint32_t, 32, 0x80000000u)
MRS_RADIX_SORT(u64, uint64_t, uint64_t, 64, 0)
MRS_RADIX_SORT(i64, int64_t, uint64_t, 64, UINT64_C(0x8000000000000000))

/* sort_by_key with an integer key: the keys (as unsigned: a signed key has its sign bit
 * flipped) computed once each, then the element numbers sorted by key with a stable LSD
 * radix sort (equal keys keep their order, as std's stable sort keeps them), then the
 * elements moved into that order. */
/* Moves base's elements into the order idx gives (out[i] = base[idx[i]]), through a copy.
 * Each element size that is a small power of two gets a loop of its own, so that the copy
 * of one element is one move, not a call. */
#define GATHER_AS(S) \
    for (size_t i = 0; i < n; i++) \
        memcpy(tmp + i * (S), b + (size_t)idx[i] * (S), (S))
#define DEFINE_GATHER(NAME, IDX) \
    static void NAME(unsigned char *b, size_t n, size_t elem, const IDX *idx) \
    { \
        unsigned char *tmp = mrs_alloc(n * elem); \
        switch (elem) { \
        case 1: GATHER_AS(1); break; \
        case 2: GATHER_AS(2); break; \
        case 4: GATHER_AS(4); break; \
        case 8: GATHER_AS(8); break; \
        case 16: GATHER_AS(16); break; \
        default: GATHER_AS(elem); break; \
        } \
        memcpy(b, tmp, n * elem); \
        free(tmp); \
    }

/* The LSD radix sort of mrs_sort_keyed on indices of type IDX (32 bits when n allows:
 * half the memory), one pass per key byte that differs between keys. */
#define DEFINE_KEYED(NAME, IDX, GATHER) \
    DEFINE_GATHER(GATHER, IDX) \
    static void NAME(void *base, size_t n, size_t elem, uint64_t *keys) \
    { \
        IDX *idx = mrs_alloc(n * sizeof *idx), *idx2 = mrs_alloc(n * sizeof *idx2); \
        uint64_t *own = mrs_alloc(n * sizeof *own), *k2 = own; /* (keys is the caller's, emptied here) */ \
        uint64_t all_or = 0, all_and = ~(uint64_t)0; \
        for (size_t i = 0; i < n; i++) { \
            idx[i] = (IDX)i; \
            all_or |= keys[i]; \
            all_and &= keys[i]; \
        } \
        size_t count[256]; \
        for (int p = 0; p < 8; p++) { \
            if ((((all_or ^ all_and) >> (8 * p)) & 0xff) == 0) \
                continue; /* every key has this byte: nothing moves */ \
            memset(count, 0, sizeof count); \
            for (size_t i = 0; i < n; i++) \
                count[(keys[i] >> (8 * p)) & 0xff]++; \
            size_t at = 0; \
            for (int d = 0; d < 256; d++) { \
                size_t c = count[d]; \
                count[d] = at; \
                at += c; \
            } \
            for (size_t i = 0; i < n; i++) { \
                size_t to = count[(keys[i] >> (8 * p)) & 0xff]++; \
                k2[to] = keys[i]; \
                idx2[to] = idx[i]; \
            } \
            uint64_t *tk = keys; \
            keys = k2; \
            k2 = tk; \
            IDX *ti = idx; \
            idx = idx2; \
            idx2 = ti; \
        } \
        free(idx2); /* (before the copy's buffer: less memory at once) */ \
        free(own); \
        GATHER(base, n, elem, idx); \
        free(idx); \
    }

DEFINE_KEYED(keyed_u32, uint32_t, gather_u32)
DEFINE_KEYED(keyed_size, size_t, gather_size)

_Noreturn void mrs_sort_order_violation(void)
{
    mrs_panic_cstr(MRS_LOC(MRS_RUSTC_SRC "core/src/slice/sort/shared/smallsort.rs", 860, 5),
                   "user-provided comparison function does not correctly implement a total order");
}

void mrs_sort_keyed(void *base, size_t n, size_t elem, uint64_t *keys)
{
    if (n < 2 || elem == 0)
        return;
    if (n <= UINT32_MAX)
        keyed_u32(base, n, elem, keys);
    else
        keyed_size(base, n, elem, keys);
}

