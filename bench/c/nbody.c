/* bench/c/nbody.c — hand-written C for bench/nbody.mrs: the same softened
 * N-body simulation on an array of structs, the same floating-point
 * operations in the same order (so the same output bit for bit). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
    double x, y, z, vx, vy, vz, mass;
} Body;

static uint64_t rng_state;

static double next_f64(void)
{
    rng_state = rng_state * 6364136223846793005u + 1442695040888963407u;
    return (double)(rng_state >> 11) / 9007199254740992.0;
}

static double range(double lo, double hi)
{
    return lo + (hi - lo) * next_f64();
}

#define SOFTENING 0.01

static void make_bodies(Body *v, size_t n, uint64_t seed)
{
    rng_state = seed;
    for (size_t i = 0; i < n; i++) {
        int heavy = i == 0;
        Body *b = &v[i];
        b->x = heavy ? 0.0 : range(-10.0, 10.0);
        b->y = heavy ? 0.0 : range(-10.0, 10.0);
        b->z = heavy ? 0.0 : range(-1.0, 1.0);
        b->vx = range(-0.5, 0.5);
        b->vy = range(-0.5, 0.5);
        b->vz = range(-0.05, 0.05);
        b->mass = heavy ? 40.0 : range(0.01, 0.2);
    }
    double px = 0.0, py = 0.0, pz = 0.0, m = 0.0;
    for (size_t i = 0; i < n; i++) {
        px += v[i].vx * v[i].mass;
        py += v[i].vy * v[i].mass;
        pz += v[i].vz * v[i].mass;
        m += v[i].mass;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].vx -= px / m;
        v[i].vy -= py / m;
        v[i].vz -= pz / m;
    }
}

static double energy(const Body *b, size_t n)
{
    double e = 0.0;
    for (size_t i = 0; i < n; i++) {
        e += 0.5 * b[i].mass * (b[i].vx * b[i].vx + b[i].vy * b[i].vy + b[i].vz * b[i].vz);
        for (size_t j = i + 1; j < n; j++) {
            double dx = b[i].x - b[j].x;
            double dy = b[i].y - b[j].y;
            double dz = b[i].z - b[j].z;
            e -= b[i].mass * b[j].mass / sqrt(dx * dx + dy * dy + dz * dz + SOFTENING);
        }
    }
    return e;
}

static void advance(Body *b, size_t n, double dt)
{
    for (size_t i = 0; i < n; i++) {
        Body *bi = &b[i];
        for (size_t j = i + 1; j < n; j++) {
            Body *bj = &b[j];
            double dx = bi->x - bj->x;
            double dy = bi->y - bj->y;
            double dz = bi->z - bj->z;
            double d2 = dx * dx + dy * dy + dz * dz + SOFTENING;
            double mag = dt / (d2 * sqrt(d2));
            double mi = bi->mass * mag;
            double mj = bj->mass * mag;
            bi->vx -= dx * mj;
            bi->vy -= dy * mj;
            bi->vz -= dz * mj;
            bj->vx += dx * mi;
            bj->vy += dy * mi;
            bj->vz += dz * mi;
        }
    }
    for (size_t i = 0; i < n; i++) {
        b[i].x += dt * b[i].vx;
        b[i].y += dt * b[i].vy;
        b[i].z += dt * b[i].vz;
    }
}

int main(void)
{
    enum { N = 48 };
    Body bodies[N];
    make_bodies(bodies, N, 2024);
    const double dt = 0.001;
    printf("bodies %d energy %.9f\n", N, energy(bodies, N));
    uint64_t checksum = 0;
    for (int block = 0; block < 5; block++) {
        for (int s = 0; s < 40000 / 5; s++)
            advance(bodies, N, dt);
        double e = energy(bodies, N);
        printf("after %d steps: energy %.9f x0 %.9f\n", (block + 1) * 8000, e, bodies[0].x);
        checksum = checksum * 1000003 + (uint64_t)(fabs(e) * 1e6);
    }
    double far = 0.0;
    for (int i = 0; i < N; i++) {
        double r = sqrt(bodies[i].x * bodies[i].x + bodies[i].y * bodies[i].y +
                        bodies[i].z * bodies[i].z);
        if (r > far)
            far = r;
    }
    printf("farthest body at %.6f\n", far);
    printf("checksum %" PRIu64 "\n", checksum ^ (uint64_t)(far * 1e6));
    return 0;
}
