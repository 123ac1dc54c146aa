// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Sizes of the Transformer CTC/attention model. Defaults are a small model;
// the LibriSpeech recipe uses ESPnet's LibriSpeech Transformer (d_model 512,
// 8 heads, FFN 2048, 12 encoder and 6 decoder layers, dropout 0.1).
#pragma once

#include "base/option_registry.h"

namespace verbatim {

struct ModelOptions {
  int input_dim = 80;  // features per frame (fbank bins)
  int vocab_size = 0;  // output tokens, incl. <blank>=0, <unk>=1, <sos/eos>=2
  int d_model = 256;   // model width
  int num_heads = 4;   // attention heads (d_model must divide)
  int ffn_dim = 1024;  // feed-forward inner width
  int encoder_layers = 6;
  int decoder_layers = 3;
  double dropout = 0.1;            // residual and feed-forward dropout, probability
  double attention_dropout = 0.0;  // dropout on attention weights, probability
  int subsampling = 4;             // time reduction of the conv front end: 4, 6 or 8
  int subsampling_channels = 0;    // conv channels; 0 = d_model (ESPnet)
  int conv_kernel = 0;  // Conformer convolution block in each encoder layer: depthwise kernel
                        // in frames after subsampling, odd; 0 = none (plain Transformer)
  bool tie_output_embedding = false;  // decoder output layer shares the embedding weights
  int max_positions = 5000;           // longest sequence (after subsampling) for positional codes

  void Register(OptionRegistry* registry);  // the names above, as in model.yaml
  void Validate() const;                    // throws Error on inconsistent sizes
};

}  // namespace verbatim
