// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// The fixed token ids of every Verbatim tokenizer and model (ESPnet's
// convention): 0 = <blank> (CTC blank, also padding), 1 = <unk>,
// 2 = <sos/eos> (one symbol starts and ends every sentence).
#pragma once

namespace verbatim {

constexpr int kBlankId = 0;
constexpr int kUnkId = 1;
constexpr int kSosEosId = 2;
constexpr int kNumSpecialTokens = 3;

}  // namespace verbatim
