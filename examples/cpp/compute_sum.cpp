// compute_sum through include/kcache.hpp: RAII handles, exceptions, std::span -> kc_array.
//
//   cmake -S examples -B build/examples -DCMAKE_PREFIX_PATH=$PREFIX && cmake --build build/examples
//   ./build/examples/compute_sum_cpp       (kcached must be running)
#include <kcache.hpp>

#include <cstdio>
#include <numeric>
#include <span>
#include <vector>

static const char *SOURCE = "def compute_sum(arr):\n"
                            "    sum_val = 0.0\n"
                            "    for i in range(len(arr)):\n"
                            "        sum_val += arr[i]\n"
                            "    return sum_val\n";

int main() {
    try {
        kcache::Client client;
        kcache::Kernel kernel = client.compile(SOURCE, "compute_sum", "float64(float64[:])");
        std::vector<double> data(1000);
        std::iota(data.begin(), data.end(), 0.0);
        kc_array arr = kcache::array(std::span<double>(data));
        double checked = kernel.call<double>(arr);
        double typed = kernel.fn<double (*)(const kc_array *)>()(&arr);
        std::printf("sum = %.17g\nchecked = %.17g\n%s %s\n", typed, checked, kernel.cache_hit() ? "hit" : "miss",
                    kernel.signature().c_str());
        try {
            client.compile("def f(x):\n    return x +\n", "f", "float64(float64)");
            return 6;
        } catch (const kcache::Error &e) {
            std::printf("error %d: %s\n", static_cast<int>(e.status()), e.what());
            if (e.status() != KC_ERR_SOURCE) return 7;
        }
        return typed == checked && typed == 499500.0 ? 0 : 5;
    } catch (const kcache::Error &e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
}
