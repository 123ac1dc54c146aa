// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/util/checksum.h"

#include <cstdio>

namespace verbatim {

void Fnv1a64::Update(const void* data, size_t size) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  uint64_t hash = hash_;
  for (size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ULL;
  hash_ = hash;
}

std::string Fnv1a64::ToString() const {
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016llx", static_cast<unsigned long long>(hash_));
  return std::string("fnv1a64:") + hex;
}

}  // namespace verbatim
