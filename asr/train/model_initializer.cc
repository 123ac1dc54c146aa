// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/model_initializer.h"

#include <map>
#include <sstream>
#include <utility>

#include "asr/config/yaml_file.h"
#include "asr/model/model_dir.h"
#include "base/error.h"

namespace verbatim {
namespace {

std::string ShapeText(const torch::Tensor& t) {
  std::ostringstream out;
  out << t.sizes();
  return out.str();
}

// The features as their YAML text: every option compared, whatever is added.
std::string FeaturesText(const FbankOptions& features) {
  YamlFileWriter file;
  file.Write("features", features);
  return file.ToString();
}

bool Selected(const std::string& name, const std::vector<std::string>& parts) {
  if (parts.empty()) return true;
  for (const std::string& part : parts)
    if (name == part || name.rfind(part + ".", 0) == 0) return true;
  return false;
}

std::map<std::string, torch::Tensor> TensorsByName(torch::nn::Module& module) {
  std::map<std::string, torch::Tensor> tensors;
  for (const auto& p : module.named_parameters()) tensors.emplace(p.key(), p.value());
  for (const auto& b : module.named_buffers()) tensors.emplace(b.key(), b.value());
  return tensors;
}

}  // namespace

std::string ModelInitReport::Summary() const {
  std::string s = std::to_string(copied) + " tensors copied, " + std::to_string(not_copied) +
                  " initialized at random";
  if (other_tokenizer)
    s += " (another tokenizer: the CTC projection and the decoder's embedding and output "
         "layer start at random)";
  return s;
}

bool SameVocabulary(const Tokenizer& a, const Tokenizer& b) {
  if (a.vocab_size() != b.vocab_size()) return false;
  for (int id = 0; id < a.vocab_size(); ++id)
    if (a.IdToPiece(id) != b.IdToPiece(id)) return false;
  return true;
}

ModelInitReport InitializeModel(AsrModel& model, const FbankOptions& features,
                                const Tokenizer& tokenizer, const ModelInitOptions& opts) {
  const std::string& dir = opts.model_dir;
  Check(!dir.empty(), "init: no model directory given");
  LoadedModel source = LoadModelDir(dir);
  Check(FeaturesText(source.config.fbank) == FeaturesText(features),
        dir +
            ": the model was trained on other features than the configuration's (its "
            "model.yaml features section); fine-tuning needs the same features");
  ModelInitReport report;
  report.other_tokenizer = !SameVocabulary(source.tokenizer, tokenizer);
  std::map<std::string, torch::Tensor> from = TensorsByName(*source.model);
  std::map<std::string, torch::Tensor> to = TensorsByName(*model);
  for (const std::string& part : opts.parts) {
    bool any = false;
    for (const auto& [name, tensor] : to) any = any || Selected(name, {part});
    Check(any, "init: the model has no tensor named " + part + " or " + part + ".*");
  }
  // Checked in full before anything is copied.
  std::vector<std::pair<torch::Tensor, torch::Tensor>> copies;  // (destination, source)
  for (const auto& [name, tensor] : to) {
    if (!Selected(name, opts.parts) ||
        (report.other_tokenizer && AsrModelImpl::IsVocabularyTensor(name))) {
      ++report.not_copied;
      continue;
    }
    const auto it = from.find(name);
    Check(it != from.end(), dir + ": the model has no tensor " + name +
                                " (the configuration's model section must match the model's)");
    Check(it->second.sizes() == tensor.sizes(),
          dir + ": " + name + " has shape " + ShapeText(it->second) + " there, " +
              ShapeText(tensor) +
              " in the configured model (the configuration's model section "
              "must match the model's)");
    copies.emplace_back(tensor, it->second);
  }
  torch::NoGradGuard no_grad;
  for (auto& [destination, source_tensor] : copies)
    destination.copy_(source_tensor.to(destination.device(), destination.scalar_type()));
  report.copied = static_cast<int64_t>(copies.size());
  return report;
}

}  // namespace verbatim
