/* bench/c/sieve.c — hand-written C for bench/sieve.mrs: a sieve of
 * Eratosthenes over a freshly allocated bool array, twenty rounds. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool *sieve(size_t limit)
{
    bool *is_prime = malloc(limit + 1);
    if (!is_prime)
        abort();
    memset(is_prime, 1, limit + 1);
    is_prime[0] = is_prime[1] = false;
    for (size_t i = 2; i * i <= limit; i++)
        if (is_prime[i])
            for (size_t j = i * i; j <= limit; j += i)
                is_prime[j] = false;
    return is_prime;
}

int main(void)
{
    uint64_t checksum = 0;
    for (size_t round = 1; round <= 20; round++) {
        size_t limit = 250000 * round;
        bool *is_prime = sieve(limit);
        uint64_t count = 0, sum = 0;
        size_t largest = 0;
        for (size_t k = 0; k <= limit; k++)
            if (is_prime[k]) {
                count++;
                sum += k;
                largest = k;
            }
        free(is_prime);
        printf("primes up to %zu: %" PRIu64 " (largest %zu)\n", limit, count, largest);
        checksum = checksum * 1000003 + sum;
    }
    printf("checksum %" PRIu64 "\n", checksum);
    return 0;
}
