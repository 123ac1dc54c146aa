// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/model/model_options.h"

#include <string>

#include "base/error.h"

namespace verbatim {

void ModelOptions::Register(OptionRegistry* r) {
  r->Register("input_dim", &input_dim, "features per frame (set from the features)");
  r->Register("vocab_size", &vocab_size, "output tokens (set from the tokenizer)");
  r->Register("d_model", &d_model, "model width");
  r->Register("num_heads", &num_heads, "attention heads");
  r->Register("ffn_dim", &ffn_dim, "feed-forward inner width");
  r->Register("encoder_layers", &encoder_layers, "encoder layers");
  r->Register("decoder_layers", &decoder_layers, "decoder layers");
  r->Register("dropout", &dropout, "residual and feed-forward dropout, probability");
  r->Register("attention_dropout", &attention_dropout, "dropout on attention weights, probability");
  r->Register("subsampling", &subsampling,
              "time reduction of the convolution front end: 4, 6 or 8");
  r->Register("subsampling_channels", &subsampling_channels,
              "channels of the convolution front end (0 = d_model)");
  r->Register("conv_kernel", &conv_kernel,
              "Conformer convolution block's depthwise kernel, frames after subsampling, odd "
              "(0 = none)");
  r->Register("tie_output_embedding", &tie_output_embedding,
              "the decoder's output layer shares the embedding weights");
  r->Register("max_positions", &max_positions, "longest sequence after subsampling, frames");
}

void ModelOptions::Validate() const {
  auto positive = [](int v, const char* name) {
    Check(v > 0, std::string("model: ") + name + " must be positive, got " + std::to_string(v));
  };
  positive(input_dim, "input_dim");
  Check(vocab_size > 3,
        "model: vocab_size must be above 3 (<blank>, <unk>, <sos/eos> and "
        "at least one token), got " +
            std::to_string(vocab_size));
  positive(d_model, "d_model");
  positive(num_heads, "num_heads");
  Check(d_model % num_heads == 0, "model: d_model " + std::to_string(d_model) +
                                      " is not divisible by num_heads " +
                                      std::to_string(num_heads));
  Check(d_model % 2 == 0, "model: d_model must be even (sinusoidal positions)");
  positive(ffn_dim, "ffn_dim");
  Check(encoder_layers >= 1 && decoder_layers >= 0, "model: need at least one encoder layer");
  Check(dropout >= 0 && dropout < 1 && attention_dropout >= 0 && attention_dropout < 1,
        "model: dropout must be in [0, 1)");
  Check(subsampling == 4 || subsampling == 6 || subsampling == 8,
        "model: subsampling must be 4, 6 or 8, got " + std::to_string(subsampling));
  Check(subsampling_channels >= 0, "model: subsampling_channels must not be negative");
  Check(conv_kernel == 0 || (conv_kernel > 0 && conv_kernel % 2 == 1),
        "model: conv_kernel must be 0 (none) or odd, got " + std::to_string(conv_kernel));
  positive(max_positions, "max_positions");
}

}  // namespace verbatim
