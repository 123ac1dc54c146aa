// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/positional_encoding.h"

#include <cmath>

#include "base/error.h"

namespace verbatim {

PositionalEncodingImpl::PositionalEncodingImpl(int d_model, int max_positions, double dropout)
    : scale_(std::sqrt(static_cast<double>(d_model))) {
  auto position = torch::arange(max_positions, torch::kFloat32).unsqueeze(1);
  auto div =
      torch::exp(torch::arange(0, d_model, 2, torch::kFloat32) * (-std::log(10000.0) / d_model));
  auto pe = torch::zeros({max_positions, d_model});
  pe.index_put_({torch::indexing::Slice(), torch::indexing::Slice(0, torch::indexing::None, 2)},
                torch::sin(position * div));
  pe.index_put_({torch::indexing::Slice(), torch::indexing::Slice(1, torch::indexing::None, 2)},
                torch::cos(position * div).narrow(1, 0, d_model / 2));
  pe_ = register_buffer("pe", pe);
  dropout_ = register_module("dropout", Dropout(dropout));
}

torch::Tensor PositionalEncodingImpl::forward(const torch::Tensor& x, int64_t offset) {
  const int64_t t = x.size(1);
  Check(offset + t <= pe_.size(0), "sequence of " + std::to_string(offset + t) +
                                       " positions exceeds max_positions " +
                                       std::to_string(pe_.size(0)));
  return dropout_->forward(x * scale_ + pe_.narrow(0, offset, t).to(x.dtype()).unsqueeze(0));
}

}  // namespace verbatim
