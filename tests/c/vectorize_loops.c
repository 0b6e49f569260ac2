/* kc_vectorize with several loops: which loop runs for which input dtypes (NumPy's rule: the
 * first declared loop every input casts to safely), the casts in and out, and what is refused.
 * Prints lines the Rust test (tests/e2e.rs) compares with NumPy and CPython. */
#include <kcache.h>
#include <stdint.h>
#include <stdio.h>

static const char *SOURCE =
    "import math\n"
    "\n"
    "def sinc(x):\n"
    "    if x == 0:\n"
    "        return 1.0\n"
    "    return math.sin(x * math.pi) / (x * math.pi)\n"
    "\n"
    "def ident(x):\n"
    "    return x\n"
    "\n"
    "def add(a, b):\n"
    "    return a + b\n";

static const char *NAMES[] = {"bool", "int8", "int16", "int32", "int64", "uint8",
                              "uint16", "uint32", "uint64", "float32", "float64"};

/* The loop lists whose choices the test checks, for every input dtype. */
static const char *ORDERS[] = {
    "float64(float64); float32(float32)",
    "float32(float32); float64(float64)",
    "int64(int64); float32(float32); int16(int16); float64(float64)",
    "uint8(uint8), int8(int8), uint32(uint32), float32(float32), int64(int64), uint64(uint64), float64(float64)",
    "bool(bool)\nuint16(uint16)\nint32(int32)\nfloat64(float64)\nint8(int8)\nfloat32(float32)",
    "int8(int8); int32(int32)",
};

static int fail(const char *what) {
    fprintf(stderr, "%s: %s\n", what, kc_last_error());
    return 1;
}

/* 0 when the kernel resolves one input of dtype `in` to the output dtype `want`. */
static int expect_resolve(const kc_kernel *u, kc_dtype in, kc_dtype want, const char *what) {
    kc_dtype got;
    if (kc_vectorize_resolve(u, &in, 1, &got) != KC_OK) return fail(what);
    if (got != want) {
        fprintf(stderr, "%s: %s input chose the %s loop, not %s\n", what, NAMES[in], NAMES[got], NAMES[want]);
        return 1;
    }
    return 0;
}

int main(void) {
    kc_client *client;
    if (kc_connect(NULL, &client) != KC_OK) return fail("connect");

    /* 1. The loop each input dtype selects, per loop list: "order dtype -> output" or "none". */
    for (size_t k = 0; k < sizeof ORDERS / sizeof *ORDERS; k++) {
        kc_kernel *u;
        if (kc_vectorize(client, SOURCE, "ident", ORDERS[k], NULL, &u) != KC_OK) return fail("vectorize ident");
        printf("order %zu ", k);
        for (const char *p = ORDERS[k]; *p; p++) putchar(*p == '\n' ? ';' : *p);
        putchar('\n');
        for (int d = KC_BOOL; d <= KC_FLOAT64; d++) {
            kc_dtype in = (kc_dtype)d, out;
            kc_status s = kc_vectorize_resolve(u, &in, 1, &out);
            if (s == KC_OK) printf("resolve %zu %s %s\n", k, NAMES[d], NAMES[out]);
            else if (s == KC_ERR_INVALID) printf("resolve %zu %s none\n", k, NAMES[d]);
            else return fail("resolve");
        }
        kc_kernel_free(u);
    }

    /* 2. The example: float32 input, loops f8 then f4: the float64 loop runs. */
    kc_kernel *f8_first, *f4_first;
    if (kc_vectorize(client, SOURCE, "sinc", "f8(f8); f4(f4)", NULL, &f8_first) != KC_OK) return fail("vectorize sinc");
    if (kc_vectorize(client, SOURCE, "sinc", "f4(f4); f8(f8)", NULL, &f4_first) != KC_OK) return fail("vectorize sinc");
    float x[5] = {-3.0f, -1.5f, 0.0f, 1.5f, 3.0f};
    int64_t n = 5;
    kc_array xa = kc_array_wrap(x, KC_FLOAT32, 1, &n, NULL);
    const kc_array *ins[1] = {&xa};
    kc_dtype got;
    if (expect_resolve(f8_first, KC_FLOAT32, KC_FLOAT64, "sinc f8(f8); f4(f4)")) return 1;
    double y64[5];
    kc_array ya = kc_array_wrap(y64, KC_FLOAT64, 1, &n, NULL);
    if (kc_vectorize_call(f8_first, ins, 1, &ya) != KC_OK) return fail("call sinc f8");
    for (int i = 0; i < 5; i++) printf("sinc64 %.17g\n", y64[i]);
    if (expect_resolve(f4_first, KC_FLOAT32, KC_FLOAT32, "sinc f4(f4); f8(f8)")) return 1;
    float y32[5];
    kc_array yb = kc_array_wrap(y32, KC_FLOAT32, 1, &n, NULL);
    if (kc_vectorize_call(f4_first, ins, 1, &yb) != KC_OK) return fail("call sinc f4");
    for (int i = 0; i < 5; i++) printf("sinc32 %.9g\n", (double)y32[i]);
    /* The float64 loop's result into a float32 output: a same_kind cast. */
    if (kc_vectorize_call(f8_first, ins, 1, &yb) != KC_OK) return fail("call sinc f8 -> f32");
    for (int i = 0; i < 5; i++) printf("sinc64to32 %.9g\n", (double)y32[i]);
    /* ... but not into an integer output: refused, nothing written. */
    int32_t yi[5] = {7, 7, 7, 7, 7};
    kc_array yc = kc_array_wrap(yi, KC_INT32, 1, &n, NULL);
    if (kc_vectorize_call(f8_first, ins, 1, &yc) != KC_ERR_INVALID || yi[0] != 7) return 10;

    /* 3. Inputs cast to the chosen loop, strided and broadcast: an int16 (3, 2) transposed view
     * plus a uint8 row of 2, loops "int8; float32; int64": int8 takes neither input, float32
     * takes both by a safe cast, so the float32 loop runs (into a float64 output). */
    kc_kernel *adder;
    if (kc_vectorize(client, SOURCE, "add", "int8(int8, int8); float32(float32, float32); int64(int64, int64)", NULL,
                     &adder) != KC_OK)
        return fail("vectorize add");
    int16_t m[2][3] = {{1, 2, 3}, {-4, -5, -6}};   /* viewed as its (3, 2) transpose */
    uint8_t row[2] = {200, 250};
    kc_dtype pair[2] = {KC_INT16, KC_UINT8};
    if (kc_vectorize_resolve(adder, pair, 2, &got) != KC_OK) return fail("resolve add");
    printf("add resolves %s\n", NAMES[got]);
    int64_t t_shape[2] = {3, 2}, t_strides[2] = {sizeof(int16_t), 3 * sizeof(int16_t)}, r_shape[1] = {2};
    kc_array ta = kc_array_wrap(m, KC_INT16, 2, t_shape, t_strides);
    kc_array ra = kc_array_wrap(row, KC_UINT8, 1, r_shape, NULL);
    double sums[3][2];   /* float32 loop, float64 output: a safe cast out */
    kc_array sa = kc_array_wrap(sums, KC_FLOAT64, 2, t_shape, NULL);
    const kc_array *two[2] = {&ta, &ra};
    if (kc_vectorize_call(adder, two, 2, &sa) != KC_OK) return fail("call add");
    for (int i = 0; i < 3; i++) printf("add %g %g\n", sums[i][0], sums[i][1]);
    /* int64 inputs: int8 and float32 do not take them, the int64 loop does. */
    kc_dtype wide[2] = {KC_INT64, KC_INT8};
    if (kc_vectorize_resolve(adder, wide, 2, &got) != KC_OK) return fail("resolve add wide");
    printf("add wide resolves %s\n", NAMES[got]);
    /* float64 inputs: no loop; refused by resolve and by call. */
    kc_dtype dbl[2] = {KC_FLOAT64, KC_INT8};
    if (kc_vectorize_resolve(adder, dbl, 2, &got) != KC_ERR_INVALID) return 11;
    double d3[3] = {1, 2, 3};
    int64_t three = 3;
    kc_array da = kc_array_wrap(d3, KC_FLOAT64, 1, &three, NULL);
    kc_array db = kc_array_wrap(d3, KC_FLOAT64, 1, &three, NULL);
    kc_array dout = kc_array_wrap(d3, KC_FLOAT64, 1, &three, NULL);
    const kc_array *dd[2] = {&da, &db};
    if (kc_vectorize_call(adder, dd, 2, &dout) != KC_ERR_INVALID || d3[0] != 1) return 12;
    /* A wrong input count. */
    if (kc_vectorize_resolve(adder, dbl, 1, &got) != KC_ERR_INVALID) return 13;

    kc_kernel_free(adder);
    kc_kernel_free(f8_first);
    kc_kernel_free(f4_first);
    kc_client_free(client);
    return 0;
}
