// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The only translation unit that includes SentencePiece's headers. Built into
// libverbatim_sentencepiece.so and loaded privately (see
// asr/text/sentencepiece_backend.h for why).
#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

#include "asr/text/sentencepiece_backend.h"

namespace verbatim {
namespace {

class Shim : public SentencePieceBackend {
 public:
  std::string Train(const std::string& flags) override {
    return Error(sentencepiece::SentencePieceTrainer::Train(flags));
  }
  std::string Load(const std::string& model_path) override {
    return Error(processor_.Load(model_path));
  }
  std::string LoadFromBytes(const std::string& bytes) override {
    return Error(processor_.LoadFromSerializedProto(bytes));
  }
  std::vector<int> EncodeAsIds(const std::string& text) const override {
    return processor_.EncodeAsIds(text);
  }
  std::vector<std::string> EncodeAsPieces(const std::string& text) const override {
    return processor_.EncodeAsPieces(text);
  }
  std::string DecodeIds(const std::vector<int>& ids) const override {
    return processor_.DecodeIds(ids);
  }
  int PieceSize() const override { return processor_.GetPieceSize(); }
  int PieceToId(const std::string& piece) const override { return processor_.PieceToId(piece); }
  std::string IdToPiece(int id) const override { return processor_.IdToPiece(id); }
  bool IsUnknown(int id) const override { return processor_.IsUnknown(id); }
  bool IsControl(int id) const override { return processor_.IsControl(id); }
  int unk_id() const override { return processor_.unk_id(); }
  int pad_id() const override { return processor_.pad_id(); }
  int bos_id() const override { return processor_.bos_id(); }
  int eos_id() const override { return processor_.eos_id(); }

 private:
  static std::string Error(const sentencepiece::util::Status& status) {
    return status.ok() ? std::string() : status.ToString();
  }
  sentencepiece::SentencePieceProcessor processor_;
};

}  // namespace
}  // namespace verbatim

extern "C" __attribute__((visibility("default"))) verbatim::SentencePieceBackend*
VerbatimCreateSentencePieceBackend() {
  return new verbatim::Shim();
}
