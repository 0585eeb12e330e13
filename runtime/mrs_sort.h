/* mrs_sort.h — std's slice sorts, typed for one element type (a template).
 *
 * Rust's `sort*` (driftsort: runs found or made, merged in the order powersort
 * picks, quicksort for what has no runs) and `sort_unstable*` (ipnsort:
 * quicksort with a branch-free cyclic Lomuto partition, sorting networks and
 * small merges at the bottom, heapsort after too many bad pivots), step for
 * step as rustc 1.95's core::slice::sort does them: the same comparisons in
 * the same order, so a comparator that prints, counts or does not describe a
 * total order sees and gives what it would under rustc, ties between equal
 * elements end where they would, and an inconsistency std notices panics with
 * std's message. (The design is std's; this is mrsc's own C of it.)
 *
 * A generated C file includes this once per element type and comparison,
 * after defining:
 *   MRS_SORT_NAME    the prefix of the functions it defines
 *   MRS_SORT_T       the element's C type
 *   MRS_SORT_CTX     the type of the comparison's context (a closure's state)
 *   MRS_SORT_LESS    a function bool (const T *a, const T *b, CTX f): a before b
 *   MRS_SORT_SIZE    Rust's size_of::<T>() (std chooses among its small sorts by it)
 *   MRS_SORT_FREEZE  1 when T has no interior mutability (no Cell in it): Rust's Freeze
 *   MRS_SORT_COPY    1 when T is Copy
 * and gets NAME_stable(v, n, f) and NAME_unstable(v, n, f).
 *
 * While the comparison runs, every element of v is in v once: what a step has
 * taken out is put back by an unwind guard if the comparison panics (as std's
 * drop guards do), so the unwinding drops each element once. */

#ifndef MRS_SORT_ALWAYS_INLINE /* (a loop with a constant test: one copy of it for each value) */
#if defined(__GNUC__) || defined(__clang__)
#define MRS_SORT_ALWAYS_INLINE inline __attribute__((always_inline, unused))
#else
#define MRS_SORT_ALWAYS_INLINE inline
#endif
#endif
#define MRS_SORT_CAT2(a, b) a##_##b
#define MRS_SORT_CAT(a, b) MRS_SORT_CAT2(a, b)
#define MRS_SORT_FN(x) MRS_SORT_CAT(MRS_SORT_NAME, x)
#define MRS_SORT_LT(a, b) MRS_SORT_LESS((a), (b), f)
/* the element type by one name (T may be a pointer type: `const T *a, *b` must hold) */
#define MRS_SORT_E MRS_SORT_FN(elem)
typedef MRS_SORT_T MRS_SORT_E;

/* c ? x : y without a branch: c comes from a comparison no predictor can guess (std's
 * select_unpredictable). The mask is hidden from the compiler, which would otherwise
 * see the select and may well make it a branch again. */
static inline MRS_UNUSED uintptr_t MRS_SORT_FN(mask)(bool c)
{
    uintptr_t m = -(uintptr_t)c;
#if defined(__GNUC__) || defined(__clang__)
    __asm__("" : "+r"(m));
#endif
    return m;
}

static inline MRS_UNUSED const MRS_SORT_E *MRS_SORT_FN(pick)(bool c, const MRS_SORT_E *x, const MRS_SORT_E *y)
{
    return (const MRS_SORT_E *)((uintptr_t)y + (((uintptr_t)x - (uintptr_t)y) & MRS_SORT_FN(mask)(c)));
}
#define MRS_SORT_PICK_AT(c, x, y) ((y) + (ptrdiff_t)((uintptr_t)((x) - (y)) & MRS_SORT_FN(mask)(c))) /* (indices) */

/* std's small-sort choices for T (shared/smallsort.rs): the general one (sort4/sort8
 * into scratch, insertion, a merge from both ends) for types without interior
 * mutability, sorting networks for small Copy ones in the unstable sort, else insertion */
#define MRS_SORT_STABLE_SMALL (MRS_SORT_FREEZE ? 32 : 16)
#define MRS_SORT_NETWORK (MRS_SORT_FREEZE && MRS_SORT_COPY && MRS_SORT_SIZE <= 8)
#define MRS_SORT_GENERAL (MRS_SORT_FREEZE && MRS_SORT_SIZE * 48 <= 4096)
#define MRS_SORT_UNSTABLE_SMALL (MRS_SORT_NETWORK || MRS_SORT_GENERAL ? 32 : 16)

/* ---- shared pieces ---- */

/* A value held out of v while a step moves the others: if a comparison panics, it is
 * put back at the gap the step has left (std's drop guards, on mrsc's unwind chain). */
typedef struct {
    MrsUnwindGuard g;
    MRS_SORT_E *gap;
    MRS_SORT_E value;
} MRS_SORT_FN(hold);

static MRS_UNUSED void MRS_SORT_FN(hold_back)(void *obj)
{
    MRS_SORT_FN(hold) *h = obj;
    *h->gap = h->value;
}

static inline MRS_UNUSED void MRS_SORT_FN(hold_out)(MRS_SORT_FN(hold) *h, MRS_SORT_E *at)
{
    h->value = *at;
    h->gap = at;
    h->g = (MrsUnwindGuard){mrs_unwind_top, h, MRS_SORT_FN(hold_back), NULL};
    mrs_unwind_top = &h->g;
}

/* v[tail] moved down to its place in v[0..tail], which is in order: held out, and the
 * larger ones before it shifted up one by one as they are compared */
static inline MRS_UNUSED void MRS_SORT_FN(insert_tail)(MRS_SORT_E *v, size_t tail, MRS_SORT_CTX f)
{
    if (!MRS_SORT_LT(&v[tail], &v[tail - 1]))
        return;
    MRS_SORT_FN(hold) h;
    MRS_SORT_FN(hold_out)(&h, &v[tail]);
    do {
        *h.gap = h.gap[-1];
        h.gap--;
    } while (h.gap != v && MRS_SORT_LT(&h.value, &h.gap[-1]));
    mrs_unwind_top = h.g.prev;
    *h.gap = h.value;
}

/* insertion sort of v[0..n], v[0..done] in order already */
static MRS_UNUSED void MRS_SORT_FN(insertion)(MRS_SORT_E *v, size_t n, size_t done, MRS_SORT_CTX f)
{
    for (size_t i = done; i < n; i++)
        MRS_SORT_FN(insert_tail)(v, i, f);
}

/* The length of the run at the start of v, and whether it is strictly descending. */
static MRS_UNUSED size_t MRS_SORT_FN(run)(const MRS_SORT_E *v, size_t n, bool *descending, MRS_SORT_CTX f)
{
    *descending = false;
    if (n < 2)
        return n;
    size_t k = 2;
    *descending = MRS_SORT_LT(&v[1], &v[0]);
    if (*descending)
        while (k < n && MRS_SORT_LT(&v[k], &v[k - 1]))
            k++;
    else
        while (k < n && !MRS_SORT_LT(&v[k], &v[k - 1]))
            k++;
    return k;
}

static MRS_UNUSED void MRS_SORT_FN(reverse)(MRS_SORT_E *v, size_t n)
{
    for (size_t i = 0, j = n; i + 1 < j; i++, j--) {
        MRS_SORT_E t = v[i];
        v[i] = v[j - 1];
        v[j - 1] = t;
    }
}

static inline MRS_UNUSED size_t MRS_SORT_FN(median3)(const MRS_SORT_E *v, size_t a, size_t b, size_t c, MRS_SORT_CTX f)
{
    bool x = MRS_SORT_LT(&v[a], &v[b]), y = MRS_SORT_LT(&v[a], &v[c]);
    if (x != y) /* a is between them */
        return a;
    bool z = MRS_SORT_LT(&v[b], &v[c]);
    return z != x ? c : b; /* the larger of b, c when a is above both, else the smaller */
}

/* a median of three, each a median of three of its own eighths when the span is 64 or more */
static MRS_UNUSED size_t MRS_SORT_FN(median3_rec)(const MRS_SORT_E *v, size_t a, size_t b, size_t c, size_t n, MRS_SORT_CTX f)
{
    if (n * 8 >= 64) {
        size_t n8 = n / 8;
        a = MRS_SORT_FN(median3_rec)(v, a, a + n8 * 4, a + n8 * 7, n8, f);
        b = MRS_SORT_FN(median3_rec)(v, b, b + n8 * 4, b + n8 * 7, n8, f);
        c = MRS_SORT_FN(median3_rec)(v, c, c + n8 * 4, c + n8 * 7, n8, f);
    }
    return MRS_SORT_FN(median3)(v, a, b, c, f);
}

/* std's pivot (n >= 8): from the first, fifth and eighth eighths */
static MRS_UNUSED size_t MRS_SORT_FN(pivot)(const MRS_SORT_E *v, size_t n, MRS_SORT_CTX f)
{
    size_t e = n / 8;
    if (n < 64)
        return MRS_SORT_FN(median3)(v, 0, e * 4, e * 7, f);
    return MRS_SORT_FN(median3_rec)(v, 0, e * 4, e * 7, e, f);
}

/* v[0..4] in order into dst[0..4], stably, with five comparisons */
static inline MRS_UNUSED void MRS_SORT_FN(sort4)(const MRS_SORT_E *v, MRS_SORT_E *dst, MRS_SORT_CTX f)
{
    bool c1 = MRS_SORT_LT(&v[1], &v[0]), c2 = MRS_SORT_LT(&v[3], &v[2]);
    const MRS_SORT_E *a = &v[c1], *b = &v[!c1], *c = &v[2 + c2], *d = &v[2 + !c2];
    bool c3 = MRS_SORT_LT(c, a), c4 = MRS_SORT_LT(d, b);
    const MRS_SORT_E *min = MRS_SORT_FN(pick)(c3, c, a), *max = MRS_SORT_FN(pick)(c4, b, d);
    const MRS_SORT_E *left = MRS_SORT_FN(pick)(c3, a, MRS_SORT_FN(pick)(c4, c, b));
    const MRS_SORT_E *right = MRS_SORT_FN(pick)(c4, d, MRS_SORT_FN(pick)(c3, b, c));
    bool c5 = MRS_SORT_LT(right, left);
    dst[0] = *min;
    dst[1] = *MRS_SORT_FN(pick)(c5, right, left);
    dst[2] = *MRS_SORT_FN(pick)(c5, left, right);
    dst[3] = *max;
}

/* src[0..n/2] and src[n/2..n] (each in order) merged into dst, from both ends at once.
 * Both ends meet in the middle only if the comparison is a total order; std panics
 * when they do not (dst is not v then, or v is put back by the caller's guard). */
static MRS_UNUSED void MRS_SORT_FN(merge_both)(const MRS_SORT_E *src, size_t n, MRS_SORT_E *dst, MRS_SORT_CTX f)
{
    size_t half = n / 2;
    ptrdiff_t l = 0, r = (ptrdiff_t)half, lr = (ptrdiff_t)half - 1, rr = (ptrdiff_t)n - 1;
    ptrdiff_t d = 0, dr = (ptrdiff_t)n - 1;
    for (size_t i = 0; i < half; i++) {
        bool take_l = !MRS_SORT_LT(&src[r], &src[l]); /* the front: the smaller, left on ties */
        dst[d++] = src[MRS_SORT_PICK_AT(take_l, l, r)];
        l += take_l;
        r += !take_l;
        bool take_r = !MRS_SORT_LT(&src[rr], &src[lr]); /* the back: the larger, right on ties */
        dst[dr--] = src[MRS_SORT_PICK_AT(take_r, rr, lr)];
        rr -= take_r;
        lr -= !take_r;
    }
    if (n % 2) {
        bool left_has = l < lr + 1;
        dst[d] = src[left_has ? l : r];
        l += left_has;
        r += !left_has;
    }
    if (l != lr + 1 || r != rr + 1)
        mrs_sort_order_violation();
}

/* v[0..8] in order into dst, through scratch[0..8] */
static inline MRS_UNUSED void MRS_SORT_FN(sort8)(const MRS_SORT_E *v, MRS_SORT_E *dst, MRS_SORT_E *scratch, MRS_SORT_CTX f)
{
    MRS_SORT_FN(sort4)(v, scratch, f);
    MRS_SORT_FN(sort4)(v + 4, scratch + 4, f);
    MRS_SORT_FN(merge_both)(scratch, 8, dst, f);
}

/* An unwind guard that copies n elements from src to dst: what a step keeps outside
 * of v goes back if the comparison panics. */
typedef struct {
    MrsUnwindGuard g;
    const MRS_SORT_E *src;
    MRS_SORT_E *dst;
    size_t n;
} MRS_SORT_FN(restore);

static MRS_UNUSED void MRS_SORT_FN(restore_now)(void *obj)
{
    MRS_SORT_FN(restore) *r = obj;
    memcpy(r->dst, r->src, r->n * sizeof *r->dst);
}

static inline MRS_UNUSED void MRS_SORT_FN(guard)(MRS_SORT_FN(restore) *r, const MRS_SORT_E *src, MRS_SORT_E *dst, size_t n)
{
    r->src = src;
    r->dst = dst;
    r->n = n;
    r->g = (MrsUnwindGuard){mrs_unwind_top, r, MRS_SORT_FN(restore_now), NULL};
    mrs_unwind_top = &r->g;
}

static inline MRS_UNUSED void MRS_SORT_FN(unguard)(MRS_SORT_FN(restore) *r) { mrs_unwind_top = r->g.prev; }

/* std's general small sort (2 <= n, scratch of n + 16): each half started by sort8
 * (small types, n >= 16) or sort4 (n >= 8) into scratch, finished there by insertion,
 * then both merged back into v */
static MRS_UNUSED void MRS_SORT_FN(small_general)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, MRS_SORT_CTX f)
{
    if (n < 2)
        return;
    size_t half = n / 2, done;
    if (MRS_SORT_SIZE <= 16 && n >= 16) {
        MRS_SORT_FN(sort8)(v, scratch, scratch + n, f);
        MRS_SORT_FN(sort8)(v + half, scratch + half, scratch + n + 8, f);
        done = 8;
    } else if (n >= 8) {
        MRS_SORT_FN(sort4)(v, scratch, f);
        MRS_SORT_FN(sort4)(v + half, scratch + half, f);
        done = 4;
    } else {
        scratch[0] = v[0];
        scratch[half] = v[half];
        done = 1;
    }
    for (size_t i = done; i < half; i++) {
        scratch[i] = v[i];
        MRS_SORT_FN(insert_tail)(scratch, i, f);
    }
    for (size_t i = done; i < n - half; i++) {
        scratch[half + i] = v[half + i];
        MRS_SORT_FN(insert_tail)(scratch + half, i, f);
    }
    MRS_SORT_FN(restore) r; /* (a panic in the merge leaves scratch's permutation in v) */
    MRS_SORT_FN(guard)(&r, scratch, v, n);
    MRS_SORT_FN(merge_both)(scratch, n, v, f);
    MRS_SORT_FN(unguard)(&r);
}

/* ---- sort_unstable: ipnsort (unstable/mod.rs, quicksort.rs, heapsort.rs) ---- */

static inline MRS_UNUSED void MRS_SORT_FN(swap_if_less)(MRS_SORT_E *v, size_t a, size_t b, MRS_SORT_CTX f)
{
    bool s = MRS_SORT_LT(&v[b], &v[a]);
    MRS_SORT_E t = v[MRS_SORT_PICK_AT(s, (ptrdiff_t)a, (ptrdiff_t)b)];
    v[a] = v[MRS_SORT_PICK_AT(s, (ptrdiff_t)b, (ptrdiff_t)a)];
    v[b] = t;
}

/* The optimal networks for 9 and 13 elements std uses (pairs compared, the smaller first). */
static MRS_UNUSED const unsigned char MRS_SORT_FN(net9)[][2] = {
    {0, 3}, {1, 7}, {2, 5}, {4, 8}, {0, 7}, {2, 4}, {3, 8}, {5, 6}, {0, 2}, {1, 3}, {4, 5}, {7, 8}, {1, 4},
    {3, 6}, {5, 7}, {0, 1}, {2, 4}, {3, 5}, {6, 8}, {2, 3}, {4, 5}, {6, 7}, {1, 2}, {3, 4}, {5, 6}};
static MRS_UNUSED const unsigned char MRS_SORT_FN(net13)[][2] = {
    {0, 12}, {1, 10}, {2, 9},  {3, 7},  {5, 11}, {6, 8},  {1, 6},  {2, 3},  {4, 11}, {7, 9},  {8, 10}, {0, 4},
    {1, 2},  {3, 6},  {7, 8},  {9, 10}, {11, 12}, {4, 6}, {5, 9},  {8, 11}, {10, 12}, {0, 5}, {3, 8},  {4, 7},
    {6, 11}, {9, 10}, {0, 1},  {2, 5},  {6, 9},  {7, 8},  {10, 11}, {1, 3}, {2, 4},  {5, 6},  {9, 10}, {1, 2},
    {3, 4},  {5, 7},  {6, 8},  {2, 3},  {4, 5},  {6, 7},  {8, 9},  {3, 4},  {5, 6}};

/* std's small sort for small Copy types (2 <= n <= 32): a network on the first 13 or 9
 * of each half (of all of v below 18), insertion for the rest, then the halves merged */
static MRS_UNUSED void MRS_SORT_FN(small_network)(MRS_SORT_E *v, size_t n, MRS_SORT_CTX f)
{
    if (n < 2)
        return;
    size_t half = n / 2;
    bool whole = n < 18;
    for (int part = 0; part < (whole ? 1 : 2); part++) {
        MRS_SORT_E *r = part ? v + half : v;
        size_t rn = whole ? n : part ? n - half : half, done = 1;
        if (rn >= 13) {
            for (size_t i = 0; i < sizeof MRS_SORT_FN(net13) / 2; i++)
                MRS_SORT_FN(swap_if_less)(r, MRS_SORT_FN(net13)[i][0], MRS_SORT_FN(net13)[i][1], f);
            done = 13;
        } else if (rn >= 9) {
            for (size_t i = 0; i < sizeof MRS_SORT_FN(net9) / 2; i++)
                MRS_SORT_FN(swap_if_less)(r, MRS_SORT_FN(net9)[i][0], MRS_SORT_FN(net9)[i][1], f);
            done = 9;
        }
        MRS_SORT_FN(insertion)(r, rn, done, f);
    }
    if (whole)
        return;
    MRS_SORT_E merged[32];
    MRS_SORT_FN(merge_both)(v, n, merged, f);
    memcpy(v, merged, n * sizeof *v);
}

static MRS_UNUSED void MRS_SORT_FN(small_unstable)(MRS_SORT_E *v, size_t n, MRS_SORT_CTX f)
{
    if (MRS_SORT_NETWORK) {
        MRS_SORT_FN(small_network)(v, n, f);
    } else if (MRS_SORT_GENERAL) {
        MRS_SORT_E scratch[MRS_SORT_GENERAL ? 48 : 1];
        MRS_SORT_FN(small_general)(v, n, scratch, f);
    } else if (n >= 2) {
        MRS_SORT_FN(insertion)(v, n, 1, f);
    }
}

static MRS_UNUSED void MRS_SORT_FN(heapsort)(MRS_SORT_E *v, size_t n, MRS_SORT_CTX f)
{
    for (size_t i = n + n / 2; i-- > 0;) {
        size_t node = 0, len = i < n ? i : n;
        if (i >= n) {
            node = i - n;
        } else {
            MRS_SORT_E t = v[0];
            v[0] = v[i];
            v[i] = t;
        }
        for (;;) { /* sift down: the greater child up while it is greater */
            size_t child = 2 * node + 1;
            if (child >= len)
                break;
            if (child + 1 < len)
                child += MRS_SORT_LT(&v[child], &v[child + 1]);
            if (!MRS_SORT_LT(&v[node], &v[child]))
                break;
            MRS_SORT_E t = v[node];
            v[node] = v[child];
            v[child] = t;
            node = child;
        }
    }
}

/* The partitions of v[0..n] around *p (not in v): the elements that go left (before
 * p: le ? not after it) to the front, in some order; returns how many. */

#define MRS_SORT_GOES_LEFT(x) (le ? !MRS_SORT_LT(p, (x)) : MRS_SORT_LT((x), p))

/* std's cyclic Lomuto partition, for types up to 96 bytes: the first element is held
 * out, and each one scanned fills the gap its predecessor left, after it went left or
 * not; the one held out is scanned last */
static MRS_SORT_ALWAYS_INLINE size_t MRS_SORT_FN(lomuto_by)(MRS_SORT_E *v, size_t n, const MRS_SORT_E *restrict p, bool le,
                                                      MRS_SORT_CTX f)
{
    if (n == 0)
        return 0;
    MRS_SORT_FN(hold) h;
    MRS_SORT_FN(hold_out)(&h, v);
    size_t lt = 0;
    for (size_t i = 1; i < n; i++) {
        bool goes_left = MRS_SORT_GOES_LEFT(&v[i]);
        v[i - 1] = v[lt]; /* (the gap: where the previous one was) */
        v[lt] = v[i];
        h.gap = &v[i];
        lt += goes_left;
    }
    bool goes_left = MRS_SORT_GOES_LEFT(&h.value);
    *h.gap = v[lt];
    v[lt] = h.value;
    mrs_unwind_top = h.g.prev;
    return lt + goes_left;
}

static MRS_UNUSED size_t MRS_SORT_FN(lomuto)(MRS_SORT_E *v, size_t n, const MRS_SORT_E *p, bool le, MRS_SORT_CTX f)
{
    return le ? MRS_SORT_FN(lomuto_by)(v, n, p, true, f) : MRS_SORT_FN(lomuto_by)(v, n, p, false, f);
}

/* std's Hoare partition with a cyclic permutation, for larger types */
static MRS_UNUSED size_t MRS_SORT_FN(hoare)(MRS_SORT_E *v, size_t n, const MRS_SORT_E *p, bool le, MRS_SORT_CTX f)
{
    if (n == 0)
        return 0;
    size_t l = 0, r = n;
    MRS_SORT_FN(hold) h;
    bool held = false;
    for (;;) {
        while (l < r && MRS_SORT_GOES_LEFT(&v[l]))
            l++;
        do
            r--;
        while (l < r && !MRS_SORT_GOES_LEFT(&v[r]));
        if (l >= r)
            break;
        if (!held) { /* the first misplaced pair: the left one is held out */
            MRS_SORT_FN(hold_out)(&h, &v[l]);
            held = true;
        } else {
            *h.gap = v[l];
        }
        h.gap = &v[r];
        v[l] = v[r];
        l++;
    }
    if (held) {
        *h.gap = h.value;
        mrs_unwind_top = h.g.prev;
    }
    return l;
}

#undef MRS_SORT_GOES_LEFT

/* v[at] to the front, the rest partitioned around it, then it between the parts */
static MRS_UNUSED size_t MRS_SORT_FN(partition)(MRS_SORT_E *v, size_t n, size_t at, bool le, MRS_SORT_CTX f)
{
    MRS_SORT_E t = v[0];
    v[0] = v[at];
    v[at] = t;
    /* compared with a copy of the pivot when nothing can change it (no Cell in it): a
     * compiler then knows the stores into v leave it alone */
    const MRS_SORT_E pivot = v[0], *p = MRS_SORT_FREEZE ? &pivot : &v[0];
    size_t lt = MRS_SORT_SIZE <= 96 ? MRS_SORT_FN(lomuto)(v + 1, n - 1, p, le, f)
                                    : MRS_SORT_FN(hoare)(v + 1, n - 1, p, le, f);
    t = v[0];
    v[0] = v[lt];
    v[lt] = t;
    return lt;
}

static MRS_UNUSED void MRS_SORT_FN(quick_unstable)(MRS_SORT_E *v, size_t n, const MRS_SORT_E *ancestor, unsigned limit,
                                        MRS_SORT_CTX f)
{
    for (;;) {
        if (n <= MRS_SORT_UNSTABLE_SMALL) {
            MRS_SORT_FN(small_unstable)(v, n, f);
            return;
        }
        if (limit == 0) { /* too many bad pivots */
            MRS_SORT_FN(heapsort)(v, n, f);
            return;
        }
        limit--;
        size_t at = MRS_SORT_FN(pivot)(v, n, f);
        if (ancestor && !MRS_SORT_LT(ancestor, &v[at])) {
            /* equal to the pivot before: the smallest here, so its equals go left and are done */
            size_t k = MRS_SORT_FN(partition)(v, n, at, true, f) + 1;
            v += k;
            n -= k;
            ancestor = NULL;
            continue;
        }
        size_t k = MRS_SORT_FN(partition)(v, n, at, false, f);
        MRS_SORT_FN(quick_unstable)(v, k, ancestor, limit, f);
        ancestor = &v[k];
        v += k + 1;
        n -= k + 1;
    }
}

static inline MRS_UNUSED unsigned MRS_SORT_FN(log2)(size_t n)
{
    unsigned k = 0;
    while (n >>= 1)
        k++;
    return k;
}

static MRS_UNUSED void MRS_SORT_FN(unstable)(MRS_SORT_E *v, size_t n, MRS_SORT_CTX f)
{
    if (MRS_SORT_SIZE == 0 || n < 2) /* (all of a zero-sized type are equal) */
        return;
    if (n <= 20) {
        MRS_SORT_FN(insertion)(v, n, 1, f);
        return;
    }
    bool down;
    size_t run = MRS_SORT_FN(run)(v, n, &down, f);
    if (run == n) {
        if (down)
            MRS_SORT_FN(reverse)(v, n);
        return;
    }
    MRS_SORT_FN(quick_unstable)(v, n, NULL, 2 * MRS_SORT_FN(log2)(n | 1), f);
}

/* ---- sort: driftsort (stable/mod.rs, drift.rs, merge.rs, quicksort.rs) ---- */

static MRS_UNUSED void MRS_SORT_FN(small_stable)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, MRS_SORT_CTX f)
{
    if (MRS_SORT_FREEZE)
        MRS_SORT_FN(small_general)(v, n, scratch, f);
    else if (n >= 2)
        MRS_SORT_FN(insertion)(v, n, 1, f);
}

/* v split stably around v[at] through scratch: the elements that go left (before the
 * pivot; le: not after it) first, then the rest; returns how many went left. Each is
 * stored at the front of scratch or, counting down, at its back, the pivot itself not
 * compared; v is read only, until all are placed. */
static MRS_SORT_ALWAYS_INLINE void MRS_SORT_FN(part_scan)(const MRS_SORT_E *v, size_t from, size_t to, const MRS_SORT_E *restrict p,
                                                 bool le, MRS_SORT_E *scratch, size_t n, size_t *left, MRS_SORT_CTX f)
{
    size_t l = *left;
    MRS_SORT_E *back = scratch + n - 1 - from; /* (scratch + n - 1 - i, counting down) */
    if (le) {
        for (size_t i = from; i < to; i++, back--) {
            bool goes_left = !MRS_SORT_LT(p, &v[i]);
            MRS_SORT_E *dst = (MRS_SORT_E *)MRS_SORT_FN(pick)(goes_left, scratch, back) + l;
            *dst = v[i];
            l += goes_left;
        }
    } else {
        for (size_t i = from; i < to; i++, back--) {
            bool goes_left = MRS_SORT_LT(&v[i], p);
            MRS_SORT_E *dst = (MRS_SORT_E *)MRS_SORT_FN(pick)(goes_left, scratch, back) + l;
            *dst = v[i];
            l += goes_left;
        }
    }
    *left = l;
}

static MRS_UNUSED size_t MRS_SORT_FN(stable_partition)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, size_t at, bool le,
                                                       MRS_SORT_CTX f)
{
    const MRS_SORT_E pivot = v[at], *p = MRS_SORT_FREEZE ? &pivot : &v[at]; /* (as in partition) */
    size_t left = 0;
    MRS_SORT_FN(part_scan)(v, 0, at, p, le, scratch, n, &left, f);
    MRS_SORT_E *pivot_at = (le ? scratch : scratch + n - 1 - at) + left; /* the pivot: not compared */
    *pivot_at = v[at];
    left += le;
    MRS_SORT_FN(part_scan)(v, at + 1, n, p, le, scratch, n, &left, f);
    *pivot_at = v[at]; /* (as std: a comparison may have changed the pivot through a Cell) */
    memcpy(v, scratch, left * sizeof *v);
    for (size_t i = 0; i < n - left; i++) /* the back part, stored last first */
        v[left + i] = scratch[n - 1 - i];
    return left;
}

static MRS_UNUSED void MRS_SORT_FN(drift)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, size_t scratch_n, bool eager,
                               MRS_SORT_CTX f);

static MRS_UNUSED void MRS_SORT_FN(quick_stable)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, size_t scratch_n, unsigned limit,
                                      const MRS_SORT_E *ancestor, MRS_SORT_CTX f)
{
    for (;;) {
        if (n <= MRS_SORT_STABLE_SMALL) {
            MRS_SORT_FN(small_stable)(v, n, scratch, f);
            return;
        }
        if (limit == 0) { /* too many bad pivots: driftsort in eager mode */
            MRS_SORT_FN(drift)(v, n, scratch, scratch_n, true, f);
            return;
        }
        limit--;
        size_t at = MRS_SORT_FN(pivot)(v, n, f);
        MRS_SORT_E pivot = v[at]; /* the ancestor of the right part */
        bool equal = ancestor && !MRS_SORT_LT(ancestor, &v[at]);
        size_t k = 0;
        if (!equal) {
            k = MRS_SORT_FN(stable_partition)(v, n, scratch, at, false, f);
            equal = k == 0;
        }
        if (equal) { /* the pivot's equals split off: they are in place */
            k = MRS_SORT_FN(stable_partition)(v, n, scratch, at, true, f);
            v += k;
            n -= k;
            ancestor = NULL;
            continue;
        }
        MRS_SORT_FN(quick_stable)(v + k, n - k, scratch, scratch_n, limit, MRS_SORT_FREEZE ? &pivot : NULL, f);
        n = k;
    }
}

static MRS_UNUSED void MRS_SORT_FN(quick_stable_top)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, size_t scratch_n,
                                          MRS_SORT_CTX f)
{
    MRS_SORT_FN(quick_stable)(v, n, scratch, scratch_n, 2 * MRS_SORT_FN(log2)(n | 1), NULL, f);
}

/* The state of a merge: scratch[lo..hi) is what is left of the run copied out, gap where
 * it goes if the merge stops (the other run ended, or a comparison panicked). */
typedef struct {
    MrsUnwindGuard g;
    MRS_SORT_E *lo, *hi, *gap;
} MRS_SORT_FN(merging);

static MRS_UNUSED void MRS_SORT_FN(merge_stop)(void *obj)
{
    MRS_SORT_FN(merging) *m = obj;
    memcpy(m->gap, m->lo, (size_t)(m->hi - m->lo) * sizeof *m->lo);
}

/* v[0..mid] and v[mid..n], each in order, merged in place: the shorter copied to
 * scratch, then merged back from the end it starts at */
static MRS_UNUSED void MRS_SORT_FN(merge)(MRS_SORT_E *v, size_t n, size_t mid, MRS_SORT_E *scratch, size_t scratch_n,
                               MRS_SORT_CTX f)
{
    if (mid == 0 || mid >= n || scratch_n < (mid < n - mid ? mid : n - mid))
        return;
    bool left_shorter = mid <= n - mid;
    MRS_SORT_E *saved = left_shorter ? v : v + mid;
    size_t saved_n = left_shorter ? mid : n - mid;
    memcpy(scratch, saved, saved_n * sizeof *v);
    MRS_SORT_FN(merging) m = {{mrs_unwind_top, &m, MRS_SORT_FN(merge_stop), NULL}, scratch, scratch + saved_n, saved};
    mrs_unwind_top = &m.g;
    if (left_shorter) { /* from the front: scratch's run against v[mid..n] */
        MRS_SORT_E *right = v + mid, *end = v + n;
        while (m.lo != m.hi && right != end) {
            bool take_l = !MRS_SORT_LT(right, m.lo);
            *m.gap = *MRS_SORT_FN(pick)(take_l, m.lo, right);
            m.lo += take_l;
            right += !take_l;
            m.gap++;
        }
    } else { /* from the back: v[0..mid] (ending at gap) against scratch's run */
        MRS_SORT_E *out = v + n;
        for (;;) {
            MRS_SORT_E *left = m.gap - 1, *right = m.hi - 1;
            out--;
            bool take_l = MRS_SORT_LT(right, left);
            *out = *MRS_SORT_FN(pick)(take_l, left, right);
            m.gap = left + !take_l;
            m.hi = right + take_l;
            if (m.gap == v || m.hi == scratch)
                break;
        }
    }
    mrs_unwind_top = m.g.prev;
    MRS_SORT_FN(merge_stop)(&m);
}

/* A run of driftsort: its length, and whether it is in order yet. */
typedef struct {
    size_t len;
    bool sorted;
} MRS_SORT_FN(span);

/* Two adjacent runs as one: merged when either is in order (the other sorted first) or
 * when together they no longer fit in scratch; else left for one quicksort later. */
static MRS_UNUSED MRS_SORT_FN(span) MRS_SORT_FN(join)(MRS_SORT_E *v, MRS_SORT_E *scratch, size_t scratch_n, MRS_SORT_FN(span) l,
                                          MRS_SORT_FN(span) r, MRS_SORT_CTX f)
{
    size_t n = l.len + r.len;
    if (n <= scratch_n && !l.sorted && !r.sorted)
        return (MRS_SORT_FN(span)){n, false};
    if (!l.sorted)
        MRS_SORT_FN(quick_stable_top)(v, l.len, scratch, scratch_n, f);
    if (!r.sorted)
        MRS_SORT_FN(quick_stable_top)(v + l.len, r.len, scratch, scratch_n, f);
    MRS_SORT_FN(merge)(v, n, l.len, scratch, scratch_n, f);
    return (MRS_SORT_FN(span)){n, true};
}

/* The next run at v: one found in the input when it is long enough, else (eager) a
 * small-sorted piece, or (lazy) an unsorted piece of min_good. */
static MRS_UNUSED MRS_SORT_FN(span) MRS_SORT_FN(next_run)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, size_t scratch_n,
                                              size_t min_good, bool eager, MRS_SORT_CTX f)
{
    if (n >= min_good) {
        bool down;
        size_t k = MRS_SORT_FN(run)(v, n, &down, f);
        if (k >= min_good) {
            if (down)
                MRS_SORT_FN(reverse)(v, k);
            return (MRS_SORT_FN(span)){k, true};
        }
    }
    if (eager) {
        size_t k = n < MRS_SORT_STABLE_SMALL ? n : MRS_SORT_STABLE_SMALL;
        MRS_SORT_FN(quick_stable)(v, k, scratch, scratch_n, 0, NULL, f);
        return (MRS_SORT_FN(span)){k, true};
    }
    return (MRS_SORT_FN(span)){n < min_good ? n : min_good, false};
}

/* powersort's desired depth of the merge between [a, b) and [b, c), with the number
 * line scaled to 2^62 */
static inline MRS_UNUSED unsigned char MRS_SORT_FN(depth)(size_t a, size_t b, size_t c, uint64_t scale)
{
    uint64_t d = (((uint64_t)a + b) * scale) ^ (((uint64_t)b + c) * scale);
    unsigned char zeros = 0; /* leading zero bits of d */
    for (; zeros < 64 && !(d >> 63); d <<= 1)
        zeros++;
    return zeros;
}

static MRS_UNUSED void MRS_SORT_FN(drift)(MRS_SORT_E *v, size_t n, MRS_SORT_E *scratch, size_t scratch_n, bool eager,
                               MRS_SORT_CTX f)
{
    if (n < 2)
        return;
    uint64_t scale = ((uint64_t)1 << 62) / n + (((uint64_t)1 << 62) % n != 0);
    size_t min_good;
    if (n <= 64 * 64) {
        min_good = n - n / 2 < 64 ? n - n / 2 : 64;
    } else { /* about sqrt(n) */
        unsigned shift = (MRS_SORT_FN(log2)(n | 1) + 1) / 2;
        min_good = (((size_t)1 << shift) + (n >> shift)) / 2;
    }
    /* the stack of runs waiting to be merged; depths[i]: of the merge of runs[i] and the next */
    MRS_SORT_FN(span) runs[66];
    unsigned char depths[66];
    size_t top = 0, at = 0;
    MRS_SORT_FN(span) prev = {0, true};
    for (;;) {
        MRS_SORT_FN(span) next = {0, true};
        unsigned char depth = 0;
        if (at < n) {
            next = MRS_SORT_FN(next_run)(v + at, n - at, scratch, scratch_n, min_good, eager, f);
            depth = MRS_SORT_FN(depth)(at - prev.len, at, at + next.len, scale);
        }
        while (top > 1 && depths[top - 1] >= depth) { /* merges that want to be deeper: now */
            MRS_SORT_FN(span) left = runs[top - 1];
            size_t start = at - left.len - prev.len;
            prev = MRS_SORT_FN(join)(v + start, scratch, scratch_n, left, prev, f);
            top--;
        }
        runs[top] = prev;
        depths[top] = depth;
        top++;
        if (at >= n)
            break;
        at += next.len;
        prev = next;
    }
    if (!prev.sorted)
        MRS_SORT_FN(quick_stable_top)(v, n, scratch, scratch_n, f);
}

static MRS_UNUSED void MRS_SORT_FN(stable)(MRS_SORT_E *v, size_t n, MRS_SORT_CTX f)
{
    if (MRS_SORT_SIZE == 0 || n < 2)
        return;
    if (n <= 20) {
        MRS_SORT_FN(insertion)(v, n, 1, f);
        return;
    }
    /* scratch: a 4096-byte stack buffer when it holds what std allocates, else the heap */
    size_t size = MRS_SORT_SIZE > 0 ? MRS_SORT_SIZE : 1;
    size_t full = 8000000 / size, want = n - n / 2;
    if (want < (n < full ? n : full))
        want = n < full ? n : full;
    if (want < 48)
        want = 48;
    size_t stack_n = 4096 / size;
    MRS_SORT_E stack[4096 / (MRS_SORT_SIZE > 0 ? MRS_SORT_SIZE : 1) + 1];
    MRS_SORT_E *scratch = stack_n >= want ? stack : mrs_vec_alloc(want, sizeof *v);
    size_t scratch_n = stack_n >= want ? stack_n : want;
    MRS_SORT_FN(drift)(v, n, scratch, scratch_n, n <= 2 * MRS_SORT_STABLE_SMALL, f);
    if (scratch != stack)
        mrs_vec_free(scratch);
}

#undef MRS_SORT_STABLE_SMALL
#undef MRS_SORT_NETWORK
#undef MRS_SORT_GENERAL
#undef MRS_SORT_UNSTABLE_SMALL
#undef MRS_SORT_LT
#undef MRS_SORT_PICK_AT
#undef MRS_SORT_FN
#undef MRS_SORT_CAT
#undef MRS_SORT_CAT2
#undef MRS_SORT_NAME
#undef MRS_SORT_T
#undef MRS_SORT_E
#undef MRS_SORT_CTX
#undef MRS_SORT_LESS
#undef MRS_SORT_SIZE
#undef MRS_SORT_FREEZE
#undef MRS_SORT_COPY
