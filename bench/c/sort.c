/* bench/c/sort.c — hand-written C for bench/sort.mrs: 1,000,000 u64 from an
 * LCG, sorted eight times. qsort's indirect comparisons would be the slow
 * choice; this is what a C programmer writes when the sort matters: an
 * in-place quicksort on uint64_t with a median-of-three pivot and a
 * branch-free Lomuto partition (the element always moves, the boundary
 * advances by the comparison's 0 or 1, so random data costs no branch
 * mispredictions), recursing into the smaller side and finishing ranges of
 * 16 or fewer with insertion sort. (Fine for these distinct random keys; a
 * general-purpose version would also need a guard against many equal keys.) */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

static void insertion_sort(uint64_t *a, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        uint64_t x = a[i];
        size_t j = i;
        while (j > 0 && a[j - 1] > x) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
}
static void sort_u64(uint64_t *a, size_t n)
{
    while (n > 16) {
        size_t m = n / 2;
        uint64_t p0 = a[0], p1 = a[m], p2 = a[n - 1];
        size_t pi = (p0 < p1) == (p1 < p2) ? m : (p0 < p1) == (p0 < p2) ? n - 1 : 0;
        uint64_t pivot = a[pi];
        a[pi] = a[n - 1];
        a[n - 1] = pivot;
        size_t i = 0;
        for (size_t j = 0; j < n - 1; j++) {
            uint64_t x = a[j];
            size_t lt = x < pivot;
            a[j] = a[i];
            a[i] = x;
            i += lt;
        }
        a[n - 1] = a[i];
        a[i] = pivot;
        if (i < n - 1 - i) {
            sort_u64(a, i);
            a += i + 1;
            n -= i + 1;
        } else {
            sort_u64(a + i + 1, n - i - 1);
            n = i;
        }
    }
    insertion_sort(a, n);
}
int main(void)
{
    const size_t n = 1000000;
    uint64_t checksum = 0;
    uint64_t *v = malloc(n * sizeof *v);
    if (!v)
        abort();
    for (uint64_t seed = 1; seed < 9; seed++) {
        uint64_t x = seed;
        for (size_t i = 0; i < n; i++) {
            x = x * 6364136223846793005u + 1442695040888963407u;
            v[i] = x >> 11;
        }
        sort_u64(v, n);
        bool sorted = true;
        for (size_t i = 1; i < n; i++)
            if (v[i - 1] > v[i])
                sorted = false;
        uint64_t weighted = 0;
        for (size_t i = 0; i < n; i++)
            weighted += v[i] * (i + 1);
        printf("seed %" PRIu64 ": sorted=%s min=%" PRIu64 " median=%" PRIu64 " max=%" PRIu64 "\n",
               seed, sorted ? "true" : "false", v[0], v[n / 2], v[n - 1]);
        checksum ^= weighted;
    }
    free(v);
    printf("checksum %" PRIu64 "\n", checksum);
    return 0;
}
