// kcache.hpp — a header-only C++ wrapper of kcache.h (C++17; std::span with C++20).
//
//   kcache::Client client;                                   // $KCACHE_ENDPOINT or the default socket
//   kcache::Kernel sum = client.compile(source, "compute_sum", "float64(float64[:])");
//   std::vector<double> v(1000, 1.0);
//   double total = sum.call<double>(kcache::array(v));        // checked call (kc_call)
//   auto fn = sum.fn<double (*)(const kc_array *)>();        // or the typed entry, unchecked
//
// Ownership: Client and Kernel own their handles (move-only; freed in the destructor). A
// Kernel stays valid after its Client is gone, as in C. Errors throw kcache::Error, which
// carries the kc_status and kc_last_error()'s message. Thread safety is C's: a Client may
// compile from several threads, a Kernel may be called from several threads.
#ifndef KCACHE_HPP
#define KCACHE_HPP

#include <kcache.h>

#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>
#if __cplusplus >= 202002L
#include <span>
#endif

namespace kcache {

class Error : public std::runtime_error {
  public:
    Error(kc_status status, const std::string &what) : std::runtime_error(what), status_(status) {}
    kc_status status() const noexcept { return status_; }

  private:
    kc_status status_;
};

namespace detail {
inline void check(kc_status status, const char *what) {
    if (status != KC_OK) {
        const char *message = kc_last_error();
        throw Error(status, std::string(what) + ": " + (message ? message : "unknown error"));
    }
}
inline const char *c_str_or_null(const std::string &s) { return s.empty() ? nullptr : s.c_str(); }

template <typename T> struct dtype_of;
template <> struct dtype_of<double> { static constexpr kc_dtype value = KC_FLOAT64; };
template <> struct dtype_of<float> { static constexpr kc_dtype value = KC_FLOAT32; };
template <> struct dtype_of<std::int64_t> { static constexpr kc_dtype value = KC_INT64; };
template <> struct dtype_of<std::int32_t> { static constexpr kc_dtype value = KC_INT32; };
template <> struct dtype_of<std::int16_t> { static constexpr kc_dtype value = KC_INT16; };
template <> struct dtype_of<std::int8_t> { static constexpr kc_dtype value = KC_INT8; };
template <> struct dtype_of<std::uint64_t> { static constexpr kc_dtype value = KC_UINT64; };
template <> struct dtype_of<std::uint32_t> { static constexpr kc_dtype value = KC_UINT32; };
template <> struct dtype_of<std::uint16_t> { static constexpr kc_dtype value = KC_UINT16; };
template <> struct dtype_of<std::uint8_t> { static constexpr kc_dtype value = KC_UINT8; };
template <> struct dtype_of<bool> { static constexpr kc_dtype value = KC_BOOL; };
} // namespace detail

// A 1-D contiguous kc_array over caller-owned memory (the memory must outlive the call).
template <typename T> kc_array array(T *data, std::int64_t n) {
    return kc_array_wrap(const_cast<std::remove_const_t<T> *>(data), detail::dtype_of<std::remove_const_t<T>>::value, 1,
                         &n, nullptr);
}
template <typename T> kc_array array(std::vector<T> &v) { return array(v.data(), static_cast<std::int64_t>(v.size())); }
#if __cplusplus >= 202002L
template <typename T, std::size_t N> kc_array array(std::span<T, N> s) {
    return array(s.data(), static_cast<std::int64_t>(s.size()));
}
#endif

class Kernel {
  public:
    explicit Kernel(kc_kernel *handle) noexcept : handle_(handle) {}
    Kernel(Kernel &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Kernel &operator=(Kernel &&other) noexcept {
        if (this != &other) {
            kc_kernel_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Kernel(const Kernel &) = delete;
    Kernel &operator=(const Kernel &) = delete;
    ~Kernel() { kc_kernel_free(handle_); }

    kc_kernel *get() const noexcept { return handle_; }
    std::string digest() const { return kc_kernel_digest(handle_); }
    std::string signature() const { return kc_kernel_signature(handle_); }
    bool cache_hit() const noexcept { return kc_kernel_cache_hit(handle_) != 0; }

    // The typed native entry, cast to the function pointer type F: no checks at all.
    template <typename F> F fn() const noexcept { return reinterpret_cast<F>(kc_kernel_fn(handle_)); }

    // The checked call: arguments (scalars by value, arrays as kc_array) validated against the
    // signature; a kernel exception throws Error with KC_ERR_RUNTIME.
    template <typename R, typename... Args> R call(const Args &...args) const {
        const void *argv[] = {static_cast<const void *>(&args)..., nullptr};
        // kc_call writes 8 bytes for any scalar result: room for that even when R is smaller.
        alignas(16) unsigned char storage[sizeof(R) < 8 ? 8 : sizeof(R)] = {};
        detail::check(kc_call(handle_, argv, storage), "kc_call");
        R result;
        std::memcpy(&result, storage, sizeof(R));
        return result;
    }
    template <typename... Args> void call_void(const Args &...args) const {
        const void *argv[] = {static_cast<const void *>(&args)..., nullptr};
        detail::check(kc_call(handle_, argv, nullptr), "kc_call");
    }

  private:
    kc_kernel *handle_;
};

class Client {
  public:
    // Connects to `endpoint` ("unix:/path", "tcp://host:port"); empty: $KCACHE_ENDPOINT, else
    // the default socket.
    explicit Client(const std::string &endpoint = "") {
        detail::check(kc_connect(detail::c_str_or_null(endpoint), &handle_), "kc_connect");
    }
    Client(Client &&other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
    Client &operator=(Client &&other) noexcept {
        if (this != &other) {
            kc_client_free(handle_);
            handle_ = std::exchange(other.handle_, nullptr);
        }
        return *this;
    }
    Client(const Client &) = delete;
    Client &operator=(const Client &) = delete;
    ~Client() { kc_client_free(handle_); }

    kc_client *get() const noexcept { return handle_; }

    // Compiles (or fetches from the store) and loads `entry`. Empty signature: the decorator's.
    // options: "parallel=true,fastmath=true,...". Syntax and type errors throw Error with
    // KC_ERR_SOURCE and "line:column:" in the message.
    Kernel compile(const std::string &source, const std::string &entry, const std::string &signature = "",
                   const std::string &options = "") const {
        kc_kernel *kernel = nullptr;
        detail::check(kc_compile(handle_, source.c_str(), entry.c_str(), detail::c_str_or_null(signature),
                                 detail::c_str_or_null(options), &kernel),
                      "kc_compile");
        return Kernel(kernel);
    }

  private:
    kc_client *handle_ = nullptr;
};

} // namespace kcache

#endif // KCACHE_HPP
