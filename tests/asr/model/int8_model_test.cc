// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// AsrModelImpl::QuantizeInt8: the parameters and what the model saves are
// unchanged; encoder, CTC and decoder outputs stay close to float32; the
// searches give the float32 results where the float32 margins are clear.
#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "asr/model/asr_model.h"
#include "asr/model/model_weights.h"
#include "asr/search/attention_beam_search.h"
#include "asr/search/ctc_greedy_search.h"
#include "asr/train/checkpoint.h"
#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

ModelOptions SmallOptions(bool tied) {
  ModelOptions o;
  o.input_dim = 20;
  o.vocab_size = 30;
  o.d_model = 64;
  o.num_heads = 4;
  o.ffn_dim = 256;
  o.encoder_layers = 2;
  o.decoder_layers = 2;
  o.tie_output_embedding = tied;
  return o;
}

std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

double RelativeError(const torch::Tensor& got, const torch::Tensor& want) {
  return ((got - want).norm() / want.norm()).item<double>();
}

// Relative error allowed after `layers` linear layers in INT8. One layer
// rounds each weight to 1/254 of its row's largest magnitude, and its input
// to 1/255 of a range of at most twice the input's (int8_linear.h), with
// uniform rounding errors of standard deviation step / sqrt(12); for
// Gaussian-like operands (inputs spanning about 8 standard deviations, the
// largest weight about 4) that is a relative error of at most about
// (2 * 8/255 + 4/254) / sqrt(12) = 2.3% per layer, and the errors of
// successive layers at most add up (LayerNorm and the residual paths do not
// amplify them in a random model).
double RelativeBound(int layers) { return layers * (2 * 8.0 / 255 + 4.0 / 254) / std::sqrt(12.0); }

TEST_CASE("an INT8 model keeps its parameters and stays close to float32", "[int8]") {
  for (const bool tied : {false, true}) {
    INFO("tied output layer " << tied);
    torch::manual_seed(4);
    AsrModel model(SmallOptions(tied));
    model->eval();
    torch::NoGradGuard no_grad;
    test::TempDir tmp;
    SaveModelWeights(tmp.File("before.pt"), *model);
    std::vector<std::string> names_before;
    for (const auto& p : model->named_parameters()) names_before.push_back(p.key());

    const auto feats = torch::randn({3, 80, 20});
    const auto lengths = torch::tensor({80, 61, 37});
    const auto enc = model->Encode(feats, lengths);
    const auto ctc = model->CtcLogProbs(enc.out);
    auto cache = model->decoder()->InitCache(enc.out, enc.mask);
    const auto step = model->decoder()->Step(torch::tensor({5, 6, 7}), &cache);

    Int8Options all;  // every call in INT8, however small
    all.min_macs = 0;
    all.min_rows = 0;
    model->QuantizeInt8(all);
    CHECK(model->int8());
    std::vector<std::string> names_after;
    for (const auto& p : model->named_parameters()) names_after.push_back(p.key());
    CHECK(names_after == names_before);
    SaveModelWeights(tmp.File("after.pt"), *model);
    CHECK(ReadBytes(tmp.File("after.pt")) == ReadBytes(tmp.File("before.pt")));

    // Linear layers on the way: subsampling, 6 per encoder layer (q, k, v,
    // out, 2 feed-forward), the CTC head; 10 per decoder layer (self q, k,
    // v, out; cross q, k, v, out; 2 feed-forward) and the output layer.
    const int encoder = 1 + 6 * 2, decoder = 10 * 2 + 1;
    const auto enc8 = model->Encode(feats, lengths);
    CHECK(torch::equal(enc8.lengths, enc.lengths));
    const double enc_error = RelativeError(enc8.out, enc.out);
    CHECK(enc_error < RelativeBound(encoder));
    CHECK(enc_error > 1e-5);  // really INT8
    const auto ctc8 = model->CtcLogProbs(enc8.out);
    CHECK(RelativeError(ctc8, ctc) < RelativeBound(encoder + 1));
    auto cache8 = model->decoder()->InitCache(enc8.out, enc8.mask);
    const auto step8 = model->decoder()->Step(torch::tensor({5, 6, 7}), &cache8);
    CHECK(RelativeError(step8, step) < RelativeBound(encoder + decoder));

    // Greedy CTC: every frame whose float32 best token leads the second by
    // more than twice the largest log-probability change keeps it, which
    // holds when most frames do (else the margins are not clear).
    const auto change = (ctc8 - ctc).abs().amax(-1);  // (N, T')
    const auto top2 = ctc.topk(2, -1);
    const auto margin = std::get<0>(top2).select(-1, 0) - std::get<0>(top2).select(-1, 1);
    const auto clear = margin > 2 * change;
    CHECK(clear.to(torch::kFloat).mean().item<double>() > 0.5);
    const auto same = ctc8.argmax(-1) == ctc.argmax(-1);
    CHECK(same.logical_or(clear.logical_not()).all().item<bool>());

    model->train();
    CHECK_THROWS_AS(model->Encode(feats, lengths), Error);
  }
}

// A model whose CTC head is sharpened (x8) so that decisions are clear:
// the same greedy and joint-search best hypotheses in INT8.
TEST_CASE("INT8 searches agree with float32 where the model is confident", "[int8]") {
  torch::manual_seed(8);
  AsrModel model(SmallOptions(false));
  model->eval();
  torch::NoGradGuard no_grad;
  for (auto& p : model->named_parameters())
    if (p.key().rfind("ctc.", 0) == 0) p.value().mul_(8.0);
  const auto feats = torch::randn({2, 60, 20});
  const auto lengths = torch::tensor({60, 45});
  SearchOptions opts;
  opts.beam = 4;
  opts.ctc_weight = 0.9;
  const auto greedy = CtcGreedySearch(opts).Decode(model, feats, lengths);
  const auto joint = AttentionBeamSearch(opts).Decode(model, feats, lengths);
  Int8Options all;
  all.min_macs = 0;
  all.min_rows = 0;
  model->QuantizeInt8(all);
  const auto greedy8 = CtcGreedySearch(opts).Decode(model, feats, lengths);
  const auto joint8 = AttentionBeamSearch(opts).Decode(model, feats, lengths);
  for (int n = 0; n < 2; ++n) {
    INFO("utterance " << n);
    CHECK(!greedy[n].nbest[0].tokens.empty());
    CHECK(greedy8[n].nbest[0].tokens == greedy[n].nbest[0].tokens);
    CHECK(joint8[n].nbest[0].tokens == joint[n].nbest[0].tokens);
    CHECK(joint8[n].nbest[0].score ==
          Approx(joint[n].nbest[0].score).epsilon(RelativeBound(1 + 6 * 2 + 10 * 2 + 1)));
  }
}

}  // namespace
}  // namespace verbatim
