// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/conv2d_subsampling.h"

#include "asr/model/bf16_conv2d.h"
#include "asr/model/cpu_autocast.h"
#include "base/error.h"

namespace verbatim {

Conv2dSubsamplingImpl::Conv2dSubsamplingImpl(const ModelOptions& opts) : factor_(opts.subsampling) {
  switch (opts.subsampling) {
    case 4:
      kernels_strides_ = {{3, 2}, {3, 2}};
      break;
    case 6:
      kernels_strides_ = {{3, 2}, {5, 3}};
      break;
    case 8:
      kernels_strides_ = {{3, 2}, {3, 2}, {3, 2}};
      break;
    default:
      throw Error("subsampling must be 4, 6 or 8, got " + std::to_string(opts.subsampling));
  }
  const int channels = opts.subsampling_channels > 0 ? opts.subsampling_channels : opts.d_model;
  conv_ = torch::nn::Sequential();
  int in = 1;
  int64_t freq = opts.input_dim;
  for (const auto& ks : kernels_strides_) {
    conv_->push_back(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(in, channels, ks.first).stride(ks.second)));
    // In place: a convolution's backward needs its input, not its output, so
    // the ReLU may overwrite it, sparing an activation of up to 127 MB per
    // batch of 16 x 4 s at 256 channels.
    conv_->push_back(torch::nn::ReLU(torch::nn::ReLUOptions().inplace(true)));
    in = channels;
    freq = (freq - ks.first) / ks.second + 1;
  }
  Check(freq >= 1, "input_dim " + std::to_string(opts.input_dim) + " too small for subsampling");
  conv_ = register_module("conv", conv_);
  out_ = register_module("out", Dense(channels * freq, opts.d_model));
}

torch::Tensor Conv2dSubsamplingImpl::forward(const torch::Tensor& x) {
  torch::Tensor y = x.unsqueeze(1);  // (N, 1, T, F) -> (N, C, T', F')
  if (x.device().is_cpu() && CpuBf16AutocastOn()) {
    // oneDNN 2.6's multi-threaded AMX convolution gives wrong values for
    // some shapes: see bf16_conv2d.h.
    for (size_t i = 0; i < kernels_strides_.size(); ++i) {
      const auto* conv = conv_[2 * i]->as<torch::nn::Conv2dImpl>();
      y = Bf16Conv2d(y, conv->weight, conv->bias, kernels_strides_[i].second).relu_();
    }
  } else {
    y = conv_->forward(y);
  }
  const auto n = y.size(0), c = y.size(1), t = y.size(2), f = y.size(3);
  return out_->forward(y.transpose(1, 2).reshape({n, t, c * f}));
}

int64_t Conv2dSubsamplingImpl::OutputLength(int64_t length) const {
  for (const auto& ks : kernels_strides_) length = (length - ks.first) / ks.second + 1;
  return std::max<int64_t>(length, 0);
}

torch::Tensor Conv2dSubsamplingImpl::OutputLengths(const torch::Tensor& lengths) const {
  auto l = lengths;
  for (const auto& ks : kernels_strides_) l = torch::div(l - ks.first, ks.second, "floor") + 1;
  return l.clamp_min(0);
}

}  // namespace verbatim
