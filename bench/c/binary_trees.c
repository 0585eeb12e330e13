/* bench/c/binary_trees.c — hand-written C for bench/binary_trees.mrs: the
 * same trees as malloc'ed nodes with NULL for None, freed recursively. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct Node {
    int64_t item;
    struct Node *left, *right;
} Node;

static Node *build(int64_t item, unsigned depth)
{
    Node *n = malloc(sizeof *n);
    if (!n)
        abort();
    n->item = item;
    if (depth == 0) {
        n->left = n->right = NULL;
    } else {
        n->left = build(2 * item - 1, depth - 1);
        n->right = build(2 * item, depth - 1);
    }
    return n;
}

static void destroy(Node *n)
{
    if (n) {
        destroy(n->left);
        destroy(n->right);
        free(n);
    }
}

static int64_t check(const Node *n)
{
    return n ? n->item + check(n->left) - check(n->right) : 0;
}

static int64_t count(const Node *n)
{
    return n ? 1 + count(n->left) + count(n->right) : 0;
}

static void prune(Node *n, unsigned level, unsigned every)
{
    if (n) {
        if (level % every == every - 1) {
            destroy(n->left);
            n->left = NULL;
        }
        prune(n->left, level + 1, every);
        prune(n->right, level + 1, every);
    }
}

int main(void)
{
    const unsigned min_depth = 4, max_depth = 16;
    int64_t checksum = 0;

    Node *stretch = build(0, max_depth + 1);
    printf("stretch depth %u: nodes %" PRId64 " check %" PRId64 "\n", max_depth + 1,
           count(stretch), check(stretch));
    checksum += count(stretch);
    destroy(stretch);

    Node *long_lived = build(0, max_depth);
    for (unsigned depth = min_depth; depth <= max_depth; depth += 2) {
        int64_t iterations = (int64_t)1 << (max_depth - depth + min_depth - 2);
        int64_t chk = 0, nodes = 0;
        for (int64_t i = 1; i < iterations + 1; i++) {
            Node *a = build(i, depth);
            Node *b = build(-i, depth);
            chk += check(a) + check(b);
            prune(a, 0, 3);
            nodes += count(a);
            destroy(a);
            destroy(b);
        }
        printf("%" PRId64 " trees of depth %u: check %" PRId64 " nodes after pruning %" PRId64 "\n",
               2 * iterations, depth, chk, nodes);
        checksum = (int64_t)((uint64_t)checksum * 31 + (uint64_t)chk + (uint64_t)nodes);
    }
    prune(long_lived, 0, 4);
    int64_t c = count(long_lived);
    printf("long lived depth %u: nodes %" PRId64 " check %" PRId64 "\n", max_depth, c,
           check(long_lived));
    destroy(long_lived);
    printf("checksum %" PRId64 "\n", checksum ^ c);
    return 0;
}
