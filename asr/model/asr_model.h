// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The joint CTC/attention model: Transformer encoder with a CTC head, and a
// Transformer decoder. Token ids: 0 = <blank> (CTC), 1 = <unk>, 2 = <sos/eos>.
#pragma once

#include <torch/torch.h>

#include <string>
#include <vector>

#include "asr/model/dense.h"
#include "asr/model/model_options.h"
#include "asr/model/transformer_decoder.h"
#include "asr/model/transformer_encoder.h"
#include "asr/text/special_tokens.h"

namespace verbatim {

constexpr int64_t kIgnoreId = -1;  // padding of target token tensors

struct ModelOutput {
  EncoderOutput encoder;
  torch::Tensor ctc_log_probs;                 // (N, T', V), log-softmax of the CTC head
  torch::Tensor decoder_logits;                // (N, L + 1, V): predictions of y1..yL, <eos>
  torch::Tensor decoder_targets;               // (N, L + 1) int64: y1..yL, <eos>, then kIgnoreId
  std::vector<torch::Tensor> cross_attention;  // per decoder layer (N, H, L + 1, T')
};

// Teacher-forcing decoder input and target from padded tokens (N, L) with
// kIgnoreId padding: input = <sos> y1..yL (padding: <sos/eos>), target =
// y1..yL <eos> (padding: kIgnoreId). Lengths become L + 1.
struct DecoderIo {
  torch::Tensor input, target, lengths;
};
DecoderIo MakeDecoderIo(const torch::Tensor& tokens, const torch::Tensor& token_lengths);

class AsrModelImpl : public torch::nn::Module {
 public:
  explicit AsrModelImpl(const ModelOptions& opts);

  const ModelOptions& options() const { return opts_; }

  // feats (N, T, C), feat_lengths (N); tokens (N, L) padded with kIgnoreId,
  // token_lengths (N). `want_attention` fills cross_attention.
  ModelOutput forward(const torch::Tensor& feats, const torch::Tensor& feat_lengths,
                      const torch::Tensor& tokens, const torch::Tensor& token_lengths,
                      bool want_attention = false);

  EncoderOutput Encode(const torch::Tensor& feats, const torch::Tensor& feat_lengths);
  // Encode for inference (no autograd): on the CPU each utterance of a batch
  // is encoded alone, without its padding, and the outputs are padded with
  // zeros; elsewhere the same as Encode. Equal to Encode on every real frame
  // up to float rounding, and faster on CPUs: a padded batch's convolution
  // activations (about 40 MB per 10 s of audio and utterance at 512
  // channels) overflow the caches (measured with bench/decode_bench).
  EncoderOutput EncodeForInference(const torch::Tensor& feats, const torch::Tensor& feat_lengths);
  torch::Tensor CtcLogProbs(const torch::Tensor& encoder_out);  // (N, T', V)
  TransformerDecoder& decoder() { return decoder_; }
  TransformerEncoder& encoder() { return encoder_; }

  // Whether the parameter or buffer `name` (as named_parameters() names it)
  // is sized by the vocabulary: the CTC projection and the decoder's
  // embedding and output layer (or tied output bias), which mean nothing
  // under another tokenizer.
  static bool IsVocabularyTensor(const std::string& name);

  // Switches every linear layer (encoder, CTC head, decoder and its output
  // layer) to dynamically quantized INT8 compute for CPU inference. The
  // model must be on the CPU; it stays usable only in evaluation mode, and
  // its parameters (and so what it saves) stay float32 and unchanged.
  void QuantizeInt8(const Int8Options& opts = {});
  bool int8() const { return int8_; }

 private:
  ModelOptions opts_;
  TransformerEncoder encoder_{nullptr};
  Dense ctc_{nullptr};
  TransformerDecoder decoder_{nullptr};
  bool int8_ = false;
};
TORCH_MODULE(AsrModel);

}  // namespace verbatim
