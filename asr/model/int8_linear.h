// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A Linear layer with dynamically quantized INT8 compute, for CPU inference:
// the weight is quantized once (int8, symmetric, one step per output row)
// and prepacked by LibTorch's quantized engine; each call quantizes its input
// to uint8 with a step from the input's own range, multiplies in integers
// and returns float32. Faster than float32 on one core for large enough
// products, at the cost of rounding both operands; each call has a fixed
// cost (tens of microseconds), so small products (decoder steps of a small
// model) stay in float32: see Int8Options.
#pragma once

#include <ATen/native/quantized/PackedParams.h>
#include <torch/torch.h>

#include <string>

namespace verbatim {

// Which calls run in INT8. Defaults measured with oneDNN on one core
// (AVX-512 VNNI): a fixed cost of about 30 us per call, twice that for one
// row; INT8 then faster from about 2M multiply-adds (512x512 with 8 rows,
// 512x2048 with 2), slower below.
struct Int8Options {
  int64_t min_macs = 1 << 21;  // multiply-adds of a call (rows x in x out); fewer: float32
  int64_t min_rows = 2;        // rows of a call; fewer: float32
};

class Int8Linear {
 public:
  Int8Linear() = default;
  // weight (out, in) float on the CPU, bias (out) float or undefined. The
  // INT8 weight is made now; calls below opts.min_macs use `weight` and
  // `bias` themselves (shared, not copied).
  Int8Linear(const torch::Tensor& weight, const torch::Tensor& bias, const Int8Options& opts = {});

  bool defined() const { return packed_.defined(); }
  int64_t in_features() const { return in_features_; }
  int64_t out_features() const { return out_features_; }
  // x (..., in) any floating type on the CPU -> (..., out) float32. No
  // autograd: inference only. Small calls (see Int8Options) in float32.
  torch::Tensor forward(const torch::Tensor& x) const;

  // The weight's quantization step per output row, (out) float64.
  const torch::Tensor& weight_steps() const { return steps_; }
  // Steps the input's quantization range is divided into: 255, or 127 on
  // engines that drop a bit to avoid overflow. The range is [-R, R], with
  // -R replaced by 0 when x >= 0 and R by 0 when x <= 0, R the power of two
  // at or above max |x| (see forward in the .cc: fewer distinct scales).
  int activation_steps() const { return reduce_range_ ? 127 : 255; }

 private:
  c10::intrusive_ptr<LinearPackedParamsBase> packed_;
  torch::Tensor weight_, bias_;  // float32, for small calls
  torch::Tensor steps_;
  int64_t in_features_ = 0, out_features_ = 0;
  Int8Options opts_;
  bool reduce_range_ = false;
};

// Selects the best quantized engine of this LibTorch (x86, fbgemm, onednn,
// qnnpack, in that order) on the first call and returns its name; throws
// Error when there is none. Int8Linear calls it.
std::string SelectInt8Engine();

}  // namespace verbatim
