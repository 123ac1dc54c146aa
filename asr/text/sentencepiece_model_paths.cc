// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/text/sentencepiece_model_paths.h"

#include <cstdint>
#include <vector>

#include "base/error.h"

namespace verbatim {
namespace {

// sentencepiece_model.proto: ModelProto.trainer_spec = 2; TrainerSpec.input = 1,
// TrainerSpec.model_prefix = 2.
constexpr uint64_t kTrainerSpecField = 2;
constexpr uint64_t kInputField = 1;
constexpr uint64_t kModelPrefixField = 2;
constexpr int kLengthDelimited = 2;

struct Field {
  uint64_t number = 0;
  int wire_type = 0;
  std::string key;    // the encoded key, copied as is
  std::string value;  // the encoded value; for length-delimited fields only the payload
};

uint64_t ReadVarint(const std::string& bytes, size_t* pos) {
  uint64_t value = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    Check(*pos < bytes.size(), "SentencePiece model: truncated varint");
    const unsigned char byte = static_cast<unsigned char>(bytes[(*pos)++]);
    value |= static_cast<uint64_t>(byte & 0x7F) << shift;
    if ((byte & 0x80) == 0) return value;
  }
  throw Error("SentencePiece model: varint too long");
}

void WriteVarint(uint64_t value, std::string* out) {
  while (value >= 0x80) {
    out->push_back(static_cast<char>((value & 0x7F) | 0x80));
    value >>= 7;
  }
  out->push_back(static_cast<char>(value));
}

std::vector<Field> ParseMessage(const std::string& bytes) {
  std::vector<Field> fields;
  size_t pos = 0;
  while (pos < bytes.size()) {
    const size_t key_begin = pos;
    const uint64_t key = ReadVarint(bytes, &pos);
    Field field;
    field.number = key >> 3;
    field.wire_type = static_cast<int>(key & 7);
    field.key = bytes.substr(key_begin, pos - key_begin);
    size_t begin = pos;
    switch (field.wire_type) {
      case 0:
        ReadVarint(bytes, &pos);
        break;
      case 1:
        pos += 8;
        break;
      case kLengthDelimited: {
        const uint64_t length = ReadVarint(bytes, &pos);
        Check(length <= bytes.size() - pos, "SentencePiece model: truncated field");
        begin = pos;
        pos += length;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        throw Error("SentencePiece model: unsupported protobuf wire type " +
                    std::to_string(field.wire_type));
    }
    Check(pos <= bytes.size(), "SentencePiece model: truncated field");
    field.value = bytes.substr(begin, pos - begin);
    fields.push_back(std::move(field));
  }
  return fields;
}

std::string Serialize(const std::vector<Field>& fields) {
  std::string out;
  for (const Field& field : fields) {
    out += field.key;
    if (field.wire_type == kLengthDelimited) WriteVarint(field.value.size(), &out);
    out += field.value;
  }
  return out;
}

}  // namespace

std::string ReplaceTrainingPaths(const std::string& model, const std::string& input,
                                 const std::string& model_prefix) {
  std::vector<Field> fields = ParseMessage(model);
  for (Field& spec : fields) {
    if (spec.number != kTrainerSpecField || spec.wire_type != kLengthDelimited) continue;
    std::vector<Field> spec_fields = ParseMessage(spec.value);
    for (Field& field : spec_fields) {
      if (field.wire_type != kLengthDelimited) continue;
      if (field.number == kInputField) field.value = input;
      if (field.number == kModelPrefixField) field.value = model_prefix;
    }
    spec.value = Serialize(spec_fields);
  }
  return Serialize(fields);
}

}  // namespace verbatim
