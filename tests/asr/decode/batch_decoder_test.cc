// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// BatchDecoder: the same hypotheses as the searches' own Decode, and the CTC
// log-probabilities of each utterance as if it were encoded alone.
#include "asr/decode/batch_decoder.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "asr/decode/search_factory.h"
#include "base/error.h"
#include "tests/asr/search/search_test_fixtures.h"

namespace verbatim {
namespace {

FeatureMatrix RandomFeatures(int64_t frames, int dim) {
  FeatureMatrix m;
  m.num_frames = frames;
  m.dim = dim;
  const auto t = torch::randn({frames, dim});
  m.data.assign(t.data_ptr<float>(), t.data_ptr<float>() + frames * dim);
  return m;
}

torch::Tensor ToTensor(const FeatureMatrix& m) {
  return torch::from_blob(const_cast<float*>(m.data.data()), {1, m.num_frames, m.dim}).clone();
}

TEST_CASE("batch decoder matches the searches and per-utterance CTC", "[batch_decoder]") {
  torch::manual_seed(3);
  AsrModel model(test::TinySearchModel(9));
  model->eval();
  const std::vector<FeatureMatrix> feats = {RandomFeatures(40, 8), RandomFeatures(23, 8),
                                            RandomFeatures(31, 8)};
  torch::Tensor x = torch::zeros({3, 40, 8}), lengths = torch::tensor({40, 23, 31});
  for (int i = 0; i < 3; ++i) x[i].narrow(0, 0, feats[i].num_frames).copy_(ToTensor(feats[i])[0]);
  SearchOptions opts;
  opts.beam = 3;
  opts.nbest = 2;
  for (const std::string name : {"attention", "rescoring", "ctc_prefix_beam", "ctc_greedy"}) {
    INFO(name);
    const auto want = MakeSearch(name, opts)->Decode(model, x, lengths);
    BatchDecoder decoder(model, name, opts);
    for (bool with_ctc : {false, true}) {
      const auto got = decoder.Decode(feats, with_ctc);
      REQUIRE(got.size() == 3);
      for (int i = 0; i < 3; ++i) {
        REQUIRE(got[i].result.nbest.size() == want[i].nbest.size());
        for (size_t k = 0; k < want[i].nbest.size(); ++k) {
          CHECK(got[i].result.nbest[k].tokens == want[i].nbest[k].tokens);
          CHECK(got[i].result.nbest[k].score == Approx(want[i].nbest[k].score).margin(1e-4));
        }
        CHECK(got[i].ctc_log_probs.defined() == with_ctc);
        if (!with_ctc) continue;
        torch::NoGradGuard no_grad;
        const auto one = ToTensor(feats[i]);
        const auto enc = model->Encode(one, torch::tensor({feats[i].num_frames}));
        const auto alone = model->CtcLogProbs(enc.out)[0];
        REQUIRE(got[i].ctc_log_probs.sizes() == alone.sizes());
        CHECK(torch::allclose(got[i].ctc_log_probs, alone, 1e-4, 1e-4));
      }
    }
  }
  CHECK_THROWS_AS(BatchDecoder(model, "viterbi", opts), Error);
  CHECK(BatchDecoder(model, "attention", opts).Decode({}).empty());
}

}  // namespace
}  // namespace verbatim
