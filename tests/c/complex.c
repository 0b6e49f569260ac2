/* Complex numbers across the C ABI: complex128 and complex64 scalars by value through the
 * typed entry (C's `double _Complex` and `float _Complex`), complex128 arrays through
 * kc_array, and complex results through the checked kc_call. Prints repr-style parts that
 * the test compares with CPython running the same source. */
#include <complex.h>
#include <kcache.h>
#include <stdio.h>

static const char *SOURCE =
    "import cmath\n"
    "def rotate(z, a):\n"
    "    s = 0j\n"
    "    for i in range(a.shape[0]):\n"
    "        s += a[i] * cmath.exp(1j * z.real * i)\n"
    "    return s * z\n"
    "def scale(z, f):\n"
    "    return z * f + 1j\n";

static int check(kc_status st, const char *what) {
    if (st != KC_OK) {
        fprintf(stderr, "%s: %s\n", what, kc_last_error());
        return 1;
    }
    return 0;
}

int main(void) {
    kc_client *client;
    if (check(kc_connect(NULL, &client), "connect")) return 2;
    kc_kernel *rotate, *scale;
    if (check(kc_compile(client, SOURCE, "rotate", "complex128(complex128, complex128[:])", NULL, &rotate),
              "compile rotate"))
        return 3;
    if (check(kc_compile(client, SOURCE, "scale", "complex64(complex64, float32)", NULL, &scale), "compile scale"))
        return 3;

    double _Complex data[5];
    for (int i = 0; i < 5; i++) data[i] = (i + 1) * 0.5 - I * (i * 0.25);
    int64_t n = 5;
    kc_array arr = kc_array_wrap(data, KC_COMPLEX128, 1, &n, NULL);

    double _Complex (*rotate_fn)(double _Complex, const kc_array *) =
        (double _Complex (*)(double _Complex, const kc_array *))kc_kernel_fn(rotate);
    double _Complex r = rotate_fn(0.75 + 2.0 * I, &arr);
    printf("%.17g %.17g\n", creal(r), cimag(r));

    double _Complex z = 0.75 + 2.0 * I, checked = 0;
    const void *args[] = {&z, &arr};
    if (check(kc_call(rotate, args, &checked), "kc_call rotate")) return 4;
    printf("%.17g %.17g\n", creal(checked), cimag(checked));

    float _Complex (*scale_fn)(float _Complex, float) = (float _Complex (*)(float _Complex, float))kc_kernel_fn(scale);
    float _Complex s = scale_fn(1.5f - 0.5f * I, 2.0f);
    printf("%.9g %.9g\n", (double)crealf(s), (double)cimagf(s));

    kc_kernel_free(rotate);
    kc_kernel_free(scale);
    kc_client_free(client);
    return 0;
}
