// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/decode/batch_decoder.h"

#include <algorithm>
#include <cstring>

#include "asr/decode/search_factory.h"
#include "base/error.h"

namespace verbatim {
namespace {

// Pads features into x (N, T, C) float and lengths (N) int64, on the CPU.
void PadFeatures(const std::vector<FeatureMatrix>& feats, torch::Tensor* x,
                 torch::Tensor* lengths) {
  int64_t max_t = 0;
  for (const auto& f : feats) max_t = std::max<int64_t>(max_t, f.num_frames);
  const int64_t n = static_cast<int64_t>(feats.size()), dim = feats[0].dim;
  *x = torch::zeros({n, max_t, dim});
  *lengths = torch::empty({n}, torch::kInt64);
  for (int64_t i = 0; i < n; ++i) {
    Check(feats[i].dim == dim, "batch decoder: utterances of different feature dimensions");
    std::memcpy(x->data_ptr<float>() + i * max_t * dim, feats[i].data.data(),
                sizeof(float) * feats[i].data.size());
    (*lengths)[i] = feats[i].num_frames;
  }
}

}  // namespace

BatchDecoder::BatchDecoder(AsrModel model, const std::string& search, const SearchOptions& opts,
                           const std::string& device)
    : model_(std::move(model)), device_(device), search_(MakeSearch(search, opts)) {}

std::vector<DecodedUtterance> BatchDecoder::Decode(const std::vector<FeatureMatrix>& feats,
                                                   bool want_ctc_log_probs) {
  if (feats.empty()) return {};
  model_->eval();
  torch::NoGradGuard no_grad;
  torch::Tensor x, lengths;
  PadFeatures(feats, &x, &lengths);
  // The encoder runs once, for the search and the alignment.
  const EncoderOutput enc = model_->EncodeForInference(x.to(device_), lengths.to(device_));
  const torch::Tensor frames = enc.lengths.to(torch::kCPU);  // (N) after subsampling
  torch::Tensor log_probs;  // (N, T', V), when the alignment needs them
  if (want_ctc_log_probs) log_probs = model_->CtcLogProbs(enc.out);
  std::vector<SearchResult> results = search_->DecodeEncoded(model_, enc, log_probs);
  std::vector<DecodedUtterance> out(results.size());
  const auto cpu_log_probs =
      want_ctc_log_probs ? log_probs.to(torch::kCPU, torch::kFloat) : torch::Tensor();
  for (size_t i = 0; i < results.size(); ++i) {
    out[i].result = std::move(results[i]);
    if (want_ctc_log_probs)
      out[i].ctc_log_probs = cpu_log_probs[i].narrow(0, 0, frames[i].item<int64_t>()).clone();
  }
  return out;
}

}  // namespace verbatim
