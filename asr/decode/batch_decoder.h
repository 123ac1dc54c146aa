// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Decodes a batch of feature matrices with a named search (see
// search_factory.h): pads them into one tensor, runs the search on the
// model's device, and optionally returns each utterance's CTC
// log-probabilities for forced alignment, computed from the same encoder
// pass as the search where the search allows it.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

#include "asr/model/asr_model.h"
#include "asr/search/search.h"
#include "frontend/feature_matrix.h"

namespace verbatim {

struct DecodedUtterance {
  SearchResult result;
  // (T', V) float on the CPU, the utterance's real encoder frames; undefined
  // unless asked for.
  torch::Tensor ctc_log_probs;
};

class BatchDecoder {
 public:
  // `search`: a name accepted by MakeSearch. `model` must be on `device`.
  BatchDecoder(AsrModel model, const std::string& search, const SearchOptions& opts,
               const std::string& device = "cpu");

  // feats: one matrix per utterance, all of the model's input dimension and
  // at least one frame. Returns one result per utterance, in order.
  std::vector<DecodedUtterance> Decode(const std::vector<FeatureMatrix>& feats,
                                       bool want_ctc_log_probs = false);

 private:
  AsrModel model_;
  torch::Device device_;
  std::unique_ptr<Search> search_;
};

}  // namespace verbatim
