// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// A SentencePiece model records the paths it was trained from (its
// TrainerSpec's `input` and `model_prefix`). Verbatim trains in a fresh
// temporary folder, so these paths would make every model file different;
// rewriting them to fixed names makes training reproducible to the byte.
// Works on the protobuf wire format directly (only standard types cross the
// SentencePiece backend, see sentencepiece_backend.h).
#pragma once

#include <string>

namespace verbatim {

// `model` with every TrainerSpec.input set to `input` and TrainerSpec.model_prefix
// set to `model_prefix`; everything else byte for byte. Throws Error for bytes
// that are not a well-formed protobuf message.
std::string ReplaceTrainingPaths(const std::string& model, const std::string& input,
                                 const std::string& model_prefix);

}  // namespace verbatim
