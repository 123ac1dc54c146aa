// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// FNV-1a, 64 bits: the checksum that ties files together and finds damaged
// ones (a tokenizer.model and its tokenizer.yaml; the weights in a model.pt
// or a checkpoint). It detects accidents (a flipped bit, a file copied from
// another model), not tampering.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace verbatim {

class Fnv1a64 {
 public:
  void Update(const void* data, size_t size);
  void Update(const std::string& bytes) { Update(bytes.data(), bytes.size()); }
  uint64_t value() const { return hash_; }
  std::string ToString() const;  // "fnv1a64:" + 16 lowercase hex digits

 private:
  uint64_t hash_ = 14695981039346656037ULL;  // the offset basis
};

}  // namespace verbatim
