// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/dropout.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Dispatch.h>
#include <ATen/Parallel.h>

#include <cstdint>
#include <mutex>
#include <string>

#include "base/error.h"

namespace verbatim {
namespace {

constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

// The SplitMix64 output for state `x` (Steele, Lea and Flood 2014): the
// i-th number of the stream seeded with s is Mix(s + (i + 1) * kGolden).
inline uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

uint64_t DrawSeed() {
  auto generator = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(generator.mutex());
  return at::check_generator<at::CPUGeneratorImpl>(generator)->random64();
}

// Fills out[0, n) with `scale` or 0: element i is kept when the i-th 32-bit
// half of the stream is below `threshold` (= keep x 2^32).
template <typename T>
void FillMask(T* out, int64_t n, uint64_t seed, uint64_t threshold, T scale) {
  const int64_t words = (n + 1) / 2;  // two elements per 64-bit number
  at::parallel_for(0, words, 1 << 14, [&](int64_t begin, int64_t end) {
    const T zero(0);
    for (int64_t w = begin; w < end; ++w) {
      const uint64_t r = Mix(seed + uint64_t(w + 1) * kGolden);
      const int64_t i = 2 * w;
      out[i] = (r & 0xFFFFFFFFULL) < threshold ? scale : zero;
      if (i + 1 < n) out[i + 1] = (r >> 32) < threshold ? scale : zero;
    }
  });
}

}  // namespace

torch::Tensor DropoutMask(const torch::Tensor& like, double keep) {
  Check(keep > 0.0 && keep <= 1.0,
        "dropout keep probability " + std::to_string(keep) + " is not in (0, 1]");
  Check(like.device().is_cpu(), "DropoutMask: the tensor is not on the CPU");
  auto mask =
      torch::empty(like.sizes(), like.options().memory_format(at::MemoryFormat::Contiguous));
  const uint64_t seed = DrawSeed();
  // keep x 2^32 rounded; keep = 1 gives 2^32, above every 32-bit number.
  const auto threshold = static_cast<uint64_t>(keep * 4294967296.0 + 0.5);
  AT_DISPATCH_FLOATING_TYPES_AND2(at::kBFloat16, at::kHalf, mask.scalar_type(), "DropoutMask", [&] {
    FillMask<scalar_t>(mask.data_ptr<scalar_t>(), mask.numel(), seed, threshold,
                       static_cast<scalar_t>(1.0 / keep));
  });
  return mask;
}

DropoutImpl::DropoutImpl(double p) : p_(p) {
  Check(p >= 0.0 && p < 1.0, "dropout " + std::to_string(p) + " is not in [0, 1)");
}

torch::Tensor DropoutImpl::forward(const torch::Tensor& x) {
  if (!is_training() || p_ == 0.0) return x;
  if (!x.device().is_cpu() || !x.is_floating_point()) return torch::dropout(x, p_, true);
  return x * DropoutMask(x, 1.0 - p_);
}

}  // namespace verbatim
