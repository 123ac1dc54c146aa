// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/dense.h"

#include <cmath>

#include "asr/model/amx_safe_products.h"
#include "base/error.h"

namespace verbatim {

DenseImpl::DenseImpl(int64_t in_features, int64_t out_features) {
  weight = register_parameter("weight", torch::empty({out_features, in_features}));
  bias = register_parameter("bias", torch::empty({out_features}));
  // torch::nn::Linear's initialization, in the same order (the same random
  // numbers for the same seed): Kaiming-uniform weight with a = sqrt(5),
  // bias uniform in +-1/sqrt(in).
  torch::NoGradGuard no_grad;
  torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
  const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
  torch::nn::init::uniform_(bias, -bound, bound);
}

torch::Tensor DenseImpl::forward(const torch::Tensor& x) {
  if (!int8()) return AmxSafeLinear(x, weight, bias);
  Check(!is_training(), "INT8 layers are for inference: the model is in training mode");
  return int8_.forward(x);
}

void DenseImpl::QuantizeInt8(const Int8Options& opts) { int8_ = Int8Linear(weight, bias, opts); }

}  // namespace verbatim
