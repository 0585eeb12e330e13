/* bench/c/fib.c — hand-written C for bench/fib.mrs: the same doubly recursive
 * Fibonacci on int64_t, the same output. */
#include <inttypes.h>
#include <stdio.h>

static int64_t fib(int64_t n)
{
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(void)
{
    int64_t checksum = 0;
    for (int64_t n = 20; n < 36; n++)
        checksum = checksum * 31 % 1000000007 + fib(n);
    int64_t top = fib(38);
    printf("fib(38) = %" PRId64 "\n", top);
    printf("checksum %" PRId64 "\n", checksum + top);
    return 0;
}
