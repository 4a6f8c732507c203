// Checked arithmetic for sizes and offsets that come from outside (zip and tar headers, HTTP
// lengths, RECORD sizes): a sum that would wrap at 2^64 is an impossible size, never a small
// wrong number (bloaty's CheckedAdd, src/util.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "util/error.hpp"

namespace pkgsizer {

// a + b, or nothing when it does not fit in 64 bits.
inline std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b) {
  std::uint64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return std::nullopt;
  return sum;
}

// a × b, or nothing when it does not fit in 64 bits.
inline std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b) {
  std::uint64_t product = 0;
  if (__builtin_mul_overflow(a, b, &product)) return std::nullopt;
  return product;
}

// a − b, or nothing when b > a.
inline std::optional<std::uint64_t> checked_sub(std::uint64_t a, std::uint64_t b) {
  if (b > a) return std::nullopt;
  return a - b;
}

// a + b, or an Error of `category` saying `what` (e.g. "wheel.zip: member sizes overflow").
inline std::uint64_t add_or_throw(std::uint64_t a, std::uint64_t b, const std::string& what,
                                  ErrorCategory category = ErrorCategory::kEnvironment) {
  if (auto sum = checked_add(a, b)) return *sum;
  throw Error(category, what);
}

// Adds `value` into `total`, throwing like add_or_throw.
inline void accumulate_checked(std::uint64_t& total, std::uint64_t value, const std::string& what,
                               ErrorCategory category = ErrorCategory::kEnvironment) {
  total = add_or_throw(total, value, what, category);
}

}  // namespace pkgsizer
