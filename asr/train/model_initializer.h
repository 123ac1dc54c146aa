// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The starting weights of a training run from a trained model directory
// (`verbatim train --init MODEL_DIR`): fine-tuning on one's own data, or a
// warm start. Every parameter and buffer of the selected parts is copied by
// name; the network's sizes and the features must be the model's (a copied
// tensor of another shape, or other features, is an error that names the
// model directory and the tensor). Under another tokenizer the vocabulary
// layers (AsrModelImpl::IsVocabularyTensor: CTC projection, decoder
// embedding and output) keep their random initialization: their rows would
// mean other tokens.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "asr/model/asr_model.h"
#include "asr/text/tokenizer.h"
#include "asr/train/model_init_options.h"
#include "frontend/fbank.h"

namespace verbatim {

struct ModelInitReport {
  int64_t copied = 0;            // tensors copied from the model directory
  int64_t not_copied = 0;        // tensors outside `parts`, or vocabulary tensors below
  bool other_tokenizer = false;  // the vocabulary layers were left at their initialization
  std::string Summary() const;   // one line for the log
};

// Copies the weights of opts.model_dir into `model`, whose inputs are
// `features` and whose vocabulary is `tokenizer`'s. Everything is checked
// before `model` changes: on an error it is as it was.
ModelInitReport InitializeModel(AsrModel& model, const FbankOptions& features,
                                const Tokenizer& tokenizer, const ModelInitOptions& opts);

// Whether two tokenizers give every id the same piece.
bool SameVocabulary(const Tokenizer& a, const Tokenizer& b);

}  // namespace verbatim
