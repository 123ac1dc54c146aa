// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/model_initializer.h"

#include <torch/torch.h>

#include <catch2/catch.hpp>
#include <map>

#include "asr/model/model_dir.h"
#include "asr/text/tokenizer_trainer.h"
#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

// A char tokenizer of the letters of `words`, in `dir`.
Tokenizer InitTestTokenizer(const std::string& words, const std::string& dir) {
  TokenizerTrainOptions opts;
  opts.model_type = TokenizerModelType::kChar;
  opts.normalizer = NormalizerPreset("librispeech");
  TrainTokenizer(std::vector<std::string>(20, words), opts, dir);
  return Tokenizer::Load(dir);
}

ModelConfig InitTestConfig(int vocab_size, int d_model = 32) {
  ModelConfig c;
  c.fbank.mel.num_bins = 20;
  c.model.input_dim = c.fbank.Dim();
  c.model.vocab_size = vocab_size;
  c.model.d_model = d_model;
  c.model.num_heads = 2;
  c.model.ffn_dim = 64;
  c.model.encoder_layers = 1;
  c.model.decoder_layers = 1;
  c.model.subsampling_channels = 8;
  return c;
}

std::map<std::string, torch::Tensor> WeightsOf(AsrModel& model) {
  std::map<std::string, torch::Tensor> s;
  for (const auto& p : model->named_parameters()) s.emplace(p.key(), p.value().detach().clone());
  for (const auto& b : model->named_buffers()) s.emplace(b.key(), b.value().detach().clone());
  return s;
}

// A trained model's directory (random weights of seed 1) and its tokenizer.
struct InitSource {
  test::TempDir tmp;
  Tokenizer tokenizer = InitTestTokenizer("the cat sat on a mat", tmp.File("tok"));
  ModelConfig config = InitTestConfig(tokenizer.vocab_size());
  std::string dir = tmp.File("model");
  std::map<std::string, torch::Tensor> weights;
  InitSource() {
    torch::manual_seed(1);
    AsrModel model(config.model);
    weights = WeightsOf(model);
    ExportModelDir(dir, config, model, tmp.File("tok"), "");
  }
};

TEST_CASE("model init copies every tensor of the model directory", "[model_init]") {
  InitSource source;
  torch::manual_seed(2);
  AsrModel model(source.config.model);
  ModelInitOptions opts;
  opts.model_dir = source.dir;
  const ModelInitReport report =
      InitializeModel(model, source.config.fbank, source.tokenizer, opts);
  CHECK(report.copied == static_cast<int64_t>(source.weights.size()));
  CHECK(report.not_copied == 0);
  CHECK_FALSE(report.other_tokenizer);
  for (const auto& [name, tensor] : WeightsOf(model)) {
    INFO(name);
    CHECK(torch::equal(tensor, source.weights.at(name)));
  }
}

TEST_CASE("model init copies only the named parts", "[model_init]") {
  InitSource source;
  torch::manual_seed(2);
  AsrModel model(source.config.model);
  const auto before = WeightsOf(model);
  ModelInitOptions opts;
  opts.model_dir = source.dir;
  opts.parts = {"encoder"};
  const ModelInitReport report =
      InitializeModel(model, source.config.fbank, source.tokenizer, opts);
  CHECK(report.copied > 0);
  CHECK(report.not_copied > 0);
  int64_t changed = 0;
  for (const auto& [name, tensor] : WeightsOf(model)) {
    INFO(name);
    if (name.rfind("encoder.", 0) == 0) {
      CHECK(torch::equal(tensor, source.weights.at(name)));
      ++changed;
    } else {
      CHECK(torch::equal(tensor, before.at(name)));
    }
  }
  CHECK(changed == report.copied);
}

TEST_CASE("model init under another tokenizer keeps the vocabulary layers random", "[model_init]") {
  InitSource source;
  test::TempDir tmp;
  const Tokenizer other = InitTestTokenizer("dogs run up hills quickly", tmp.File("tok"));
  REQUIRE_FALSE(SameVocabulary(other, source.tokenizer));
  CHECK(SameVocabulary(source.tokenizer, Tokenizer::Load(source.dir + "/tokenizer")));
  const ModelConfig config = InitTestConfig(other.vocab_size());
  torch::manual_seed(2);
  AsrModel model(config.model);
  const auto before = WeightsOf(model);
  ModelInitOptions opts;
  opts.model_dir = source.dir;
  const ModelInitReport report = InitializeModel(model, config.fbank, other, opts);
  CHECK(report.other_tokenizer);
  CHECK(report.not_copied > 0);
  CHECK(report.Summary().find("another tokenizer") != std::string::npos);
  for (const auto& [name, tensor] : WeightsOf(model)) {
    INFO(name);
    if (AsrModelImpl::IsVocabularyTensor(name))
      CHECK(torch::equal(tensor, before.at(name)));
    else
      CHECK(torch::equal(tensor, source.weights.at(name)));
  }
  // The vocabulary tensors are the CTC projection and decoder embedding/output.
  CHECK(AsrModelImpl::IsVocabularyTensor("ctc.weight"));
  CHECK(AsrModelImpl::IsVocabularyTensor("decoder.embed.weight"));
  CHECK(AsrModelImpl::IsVocabularyTensor("decoder.output.bias"));
  CHECK_FALSE(AsrModelImpl::IsVocabularyTensor("decoder.layers.0.ff.w1.weight"));
  CHECK_FALSE(AsrModelImpl::IsVocabularyTensor("encoder.final_norm.weight"));
}

TEST_CASE("model init refuses another network, other features or an unknown part, unchanged",
          "[model_init]") {
  InitSource source;
  ModelInitOptions opts;
  opts.model_dir = source.dir;
  const auto fails = [&](AsrModel& model, const FbankOptions& features, const ModelInitOptions& o,
                         const std::string& message) {
    const auto before = WeightsOf(model);
    try {
      InitializeModel(model, features, source.tokenizer, o);
      FAIL("no error");
    } catch (const Error& e) {
      INFO(e.what());
      CHECK(std::string(e.what()).find(message) != std::string::npos);
    }
    for (const auto& [name, tensor] : WeightsOf(model))
      CHECK(torch::equal(tensor, before.at(name)));
  };
  SECTION("a wider model") {
    const ModelConfig wide = InitTestConfig(source.tokenizer.vocab_size(), 48);
    AsrModel model(wide.model);
    fails(model, wide.fbank, opts, source.dir + ": ");
  }
  SECTION("other features") {
    ModelConfig config = source.config;
    config.fbank.frame.frame_shift_ms = 20.0;
    AsrModel model(config.model);
    fails(model, config.fbank, opts, "other features");
  }
  SECTION("an unknown part") {
    AsrModel model(source.config.model);
    ModelInitOptions o = opts;
    o.parts = {"encoderx"};
    fails(model, source.config.fbank, o, "no tensor named encoderx");
  }
  SECTION("no model directory") {
    AsrModel model(source.config.model);
    ModelInitOptions o = opts;
    o.model_dir = source.tmp.File("absent");
    fails(model, source.config.fbank, o, "absent");
  }
}

}  // namespace
}  // namespace verbatim
