// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// CPU bf16 autocast (LibTorch's thread-local switch): the trainer's bf16
// precision turns it on around a forward pass, and the model's products
// check it to steer clear of oneDNN 2.6's AMX bugs (amx_safe_products.h,
// bf16_conv2d.h).
#pragma once

#include <ATen/autocast_mode.h>

namespace verbatim {

// True while CPU autocast is on with bf16 as its type.
inline bool CpuBf16AutocastOn() {
  return at::autocast::is_cpu_enabled() && at::autocast::get_autocast_cpu_dtype() == at::kBFloat16;
}

// Turns CPU bf16 autocast on for its lifetime (when `enabled`); the cast
// weights are dropped when the outermost guard ends.
class CpuBf16Autocast {
 public:
  explicit CpuBf16Autocast(bool enabled = true) : enabled_(enabled) {
    if (!enabled_) return;
    at::autocast::set_cpu_enabled(true);
    at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
    at::autocast::increment_nesting();
  }
  ~CpuBf16Autocast() {
    if (!enabled_) return;
    if (at::autocast::decrement_nesting() == 0) at::autocast::clear_cache();
    at::autocast::set_cpu_enabled(false);
  }
  CpuBf16Autocast(const CpuBf16Autocast&) = delete;
  CpuBf16Autocast& operator=(const CpuBf16Autocast&) = delete;

 private:
  bool enabled_;
};

}  // namespace verbatim
