// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/asr_model.h"

namespace verbatim {

DecoderIo MakeDecoderIo(const torch::Tensor& tokens, const torch::Tensor& token_lengths) {
  const int64_t n = tokens.size(0);
  const auto opts = tokens.options();
  auto sos = torch::full({n, 1}, kSosEosId, opts);
  auto padded = torch::cat({tokens, torch::full({n, 1}, kIgnoreId, opts)}, 1);  // (N, L + 1)
  const auto lengths = token_lengths.to(torch::kInt64).to(tokens.device());
  // Target: y1..yL, then <eos> at position length, kIgnoreId after.
  auto positions = torch::arange(padded.size(1), opts).unsqueeze(0);
  auto target = padded.masked_fill(positions == lengths.unsqueeze(1), kSosEosId);
  // Input: <sos> y1..yL with padding replaced by a valid id (masked anyway).
  auto input = torch::cat({sos, tokens}, 1);
  input = input.masked_fill(input == kIgnoreId, kSosEosId);
  return {input, target, lengths + 1};
}

AsrModelImpl::AsrModelImpl(const ModelOptions& opts) : opts_(opts) {
  opts.Validate();
  encoder_ = register_module("encoder", TransformerEncoder(opts));
  ctc_ = register_module("ctc", Dense(opts.d_model, opts.vocab_size));
  decoder_ = register_module("decoder", TransformerDecoder(opts));
}

bool AsrModelImpl::IsVocabularyTensor(const std::string& name) {
  for (const char* prefix : {"ctc.", "decoder.embed.", "decoder.output"})
    if (name.rfind(prefix, 0) == 0) return true;
  return false;
}

void AsrModelImpl::QuantizeInt8(const Int8Options& opts) {
  for (const auto& module : modules(/*include_self=*/false))
    if (auto* dense = module->as<DenseImpl>()) dense->QuantizeInt8(opts);
  decoder_->QuantizeTiedOutputInt8(opts);
  int8_ = true;
}

EncoderOutput AsrModelImpl::Encode(const torch::Tensor& feats, const torch::Tensor& feat_lengths) {
  return encoder_->forward(feats, feat_lengths);
}

EncoderOutput AsrModelImpl::EncodeForInference(const torch::Tensor& feats,
                                               const torch::Tensor& feat_lengths) {
  const int64_t n = feats.size(0);
  if (n <= 1 || !feats.device().is_cpu()) return Encode(feats, feat_lengths);
  const auto frames = feat_lengths.to(torch::kInt64).contiguous();
  // Too short for the convolutions alone: the padded batch handles it.
  const auto& sub = encoder_->subsampling();
  if (sub->OutputLength(frames.min().item<int64_t>()) < 1) return Encode(feats, feat_lengths);
  std::vector<torch::Tensor> outs, lengths;
  for (int64_t i = 0; i < n; ++i) {
    const int64_t t = frames[i].item<int64_t>();
    const EncoderOutput one = Encode(feats[i].narrow(0, 0, t).unsqueeze(0), frames[i].view({1}));
    outs.push_back(one.out[0]);
    lengths.push_back(one.lengths);
  }
  EncoderOutput out;
  out.out = torch::nn::utils::rnn::pad_sequence(outs, /*batch_first=*/true);
  // As wide as Encode's output for the padded batch.
  const int64_t width = sub->OutputLength(feats.size(1));
  if (out.out.size(1) < width)
    out.out = torch::constant_pad_nd(out.out, {0, 0, 0, width - out.out.size(1)});
  out.lengths = torch::cat(lengths);
  out.mask = LengthMask(out.lengths, width);
  return out;
}

torch::Tensor AsrModelImpl::CtcLogProbs(const torch::Tensor& encoder_out) {
  return torch::log_softmax(ctc_->forward(encoder_out).to(torch::kFloat32), -1);
}

ModelOutput AsrModelImpl::forward(const torch::Tensor& feats, const torch::Tensor& feat_lengths,
                                  const torch::Tensor& tokens, const torch::Tensor& token_lengths,
                                  bool want_attention) {
  ModelOutput out;
  out.encoder = Encode(feats, feat_lengths);
  out.ctc_log_probs = CtcLogProbs(out.encoder.out);
  const DecoderIo io = MakeDecoderIo(tokens, token_lengths);
  out.decoder_targets = io.target;
  out.decoder_logits = decoder_->forward(io.input, io.lengths, out.encoder.out, out.encoder.mask,
                                         want_attention ? &out.cross_attention : nullptr);
  return out;
}

}  // namespace verbatim
