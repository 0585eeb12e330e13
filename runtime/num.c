/* num.c — float methods and float-to-integer `as` casts.
 *
 * Casts saturate and map NaN to 0 (Rust since 1.45). The float methods are libm's,
 * except powi, which rustc lowers to LLVM's powi: repeated squaring, written out here so
 * that results agree to the last bit. */
#include "mrs_rt.h" /* first: it sets the POSIX level the others see */
#include <math.h>


_Static_assert(sizeof(size_t) == 8 && sizeof(intptr_t) == 8, "mrsc targets 64-bit platforms");

/* lo and hi_excl are powers of two, exact in a double: -2^(n-1) and 2^(n-1) (signed) or
 * -1 and 2^n (unsigned); NaN fails every comparison and falls to 0. */
#define FLOAT_TO_INT(N, T, LO_OK, HI_EXCL, MIN, MAX)                                     \
    T mrs_f64_to_##N(double v)                                                           \
    {                                                                                    \
        if (v != v)                                                                      \
            return 0;                                                                    \
        if (v >= (HI_EXCL))                                                              \
            return (MAX);                                                                \
        if (!(v > (LO_OK)))                                                              \
            return (MIN);                                                                \
        return (T)v;                                                                     \
    }

FLOAT_TO_INT(i8, int8_t, -129.0, 128.0, INT8_MIN, INT8_MAX)
FLOAT_TO_INT(i16, int16_t, -32769.0, 32768.0, INT16_MIN, INT16_MAX)
FLOAT_TO_INT(i32, int32_t, -2147483649.0, 2147483648.0, INT32_MIN, INT32_MAX)
FLOAT_TO_INT(i64, int64_t, -9223372036854775808.0, 9223372036854775808.0, INT64_MIN, INT64_MAX)
FLOAT_TO_INT(isize, intptr_t, -9223372036854775808.0, 9223372036854775808.0, INTPTR_MIN, INTPTR_MAX)
FLOAT_TO_INT(u8, uint8_t, -1.0, 256.0, 0, UINT8_MAX)
FLOAT_TO_INT(u16, uint16_t, -1.0, 65536.0, 0, UINT16_MAX)
FLOAT_TO_INT(u32, uint32_t, -1.0, 4294967296.0, 0, UINT32_MAX)
FLOAT_TO_INT(u64, uint64_t, -1.0, 18446744073709551616.0, 0, UINT64_MAX)
FLOAT_TO_INT(usize, size_t, -1.0, 18446744073709551616.0, 0, SIZE_MAX)
FLOAT_TO_INT(i128, __int128, -0x1p127, 0x1p127, MRS_I128_MIN, MRS_I128_MAX)
FLOAT_TO_INT(u128, unsigned __int128, -1.0, 0x1p128, 0, MRS_U128_MAX)

double mrs_f64_powi(double x, int32_t n)
{
    bool recip = n < 0;
    double r = 1.0;
    for (;;) {
        if (n & 1)
            r *= x;
        n /= 2;
        if (n == 0)
            break;
        x *= x;
    }
    return recip ? 1.0 / r : r;
}

float mrs_f32_powi(float x, int32_t n)
{
    bool recip = n < 0;
    float r = 1.0f;
    for (;;) {
        if (n & 1)
            r *= x;
        n /= 2;
        if (n == 0)
            break;
        x *= x;
    }
    return recip ? 1.0f / r : r;
}

double mrs_f64_powf(double x, double y) { return pow(x, y); }
double mrs_f64_signum(double x) { return isnan(x) ? x : copysign(1.0, x); }
double mrs_f64_rem_euclid(double a, double b)
{
    double r = fmod(a, b);
    return r < 0.0 ? r + fabs(b) : r;
}
double mrs_f64_div_euclid(double a, double b)
{
    double q = trunc(a / b);
    return fmod(a, b) < 0.0 ? (b > 0.0 ? q - 1.0 : q + 1.0) : q;
}
float mrs_f32_rem_euclid(float a, float b)
{
    float r = fmodf(a, b);
    return r < 0.0f ? r + fabsf(b) : r;
}
float mrs_f32_div_euclid(float a, float b)
{
    float q = truncf(a / b);
    return fmodf(a, b) < 0.0f ? (b > 0.0f ? q - 1.0f : q + 1.0f) : q;
}

float mrs_f32_powf(float x, float y) { return powf(x, y); }
float mrs_f32_signum(float x) { return isnan(x) ? x : copysignf(1.0f, x); }
