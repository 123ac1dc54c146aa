// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The convolutional front end: reduces the frame rate by 4, 6 or 8 (ESPnet's
// Conv2dSubsampling{,6,8}) and projects to d_model.
#pragma once

#include <torch/torch.h>

#include "asr/model/dense.h"
#include "asr/model/model_options.h"

namespace verbatim {

class Conv2dSubsamplingImpl : public torch::nn::Module {
 public:
  explicit Conv2dSubsamplingImpl(const ModelOptions& opts);

  // x: (N, T, input_dim) -> (N, T', d_model). lengths: (N) frames -> (N) T'.
  torch::Tensor forward(const torch::Tensor& x);
  torch::Tensor OutputLengths(const torch::Tensor& lengths) const;
  int64_t OutputLength(int64_t length) const;
  int factor() const { return factor_; }

 private:
  int factor_;
  std::vector<std::pair<int, int>> kernels_strides_;
  torch::nn::Sequential conv_{nullptr};
  Dense out_{nullptr};
};
TORCH_MODULE(Conv2dSubsampling);

}  // namespace verbatim
