// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// SentencePiece behind a wall. Debian's libsentencepiece carries its own copy
// of protobuf 3.14 and exports its symbols; LibTorch loads the system
// libprotobuf 3.21. Linked into one program the two interpose and the process
// dies before main. So SentencePiece lives in a small shared object of its
// own (libverbatim_sentencepiece.so, built from sentencepiece_shim.cc), which
// this interface loads with dlopen(RTLD_LOCAL | RTLD_DEEPBIND): its protobuf
// symbols stay private, and LibTorch's stay LibTorch's.
//
// Only this header is shared between the shim and the rest of Verbatim, and
// only standard-library types cross the wall (same libstdc++ on both sides).
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace verbatim {

class SentencePieceBackend {
 public:
  virtual ~SentencePieceBackend() = default;
  // SentencePieceTrainer::Train with a flag string ("--input=... --vocab_size=...").
  // Returns "" on success, else the error text.
  virtual std::string Train(const std::string& flags) = 0;
  // Loads a .model file. Returns "" on success, else the error text.
  virtual std::string Load(const std::string& model_path) = 0;
  // Loads a model from its serialized bytes. Returns "" or the error text.
  virtual std::string LoadFromBytes(const std::string& bytes) = 0;
  virtual std::vector<int> EncodeAsIds(const std::string& text) const = 0;
  virtual std::vector<std::string> EncodeAsPieces(const std::string& text) const = 0;
  virtual std::string DecodeIds(const std::vector<int>& ids) const = 0;
  virtual int PieceSize() const = 0;
  virtual int PieceToId(const std::string& piece) const = 0;
  virtual std::string IdToPiece(int id) const = 0;
  virtual bool IsUnknown(int id) const = 0;
  virtual bool IsControl(int id) const = 0;
  virtual int unk_id() const = 0;
  virtual int pad_id() const = 0;
  virtual int bos_id() const = 0;
  virtual int eos_id() const = 0;
};

// Loads the shim (once per process) and makes a new backend. Throws Error if
// the shim cannot be found or loaded. The shim is looked up in
// $VERBATIM_SENTENCEPIECE_SHIM, next to the executable, in ../lib relative to
// it, and at the path where the build put it.
std::unique_ptr<SentencePieceBackend> MakeSentencePieceBackend();

}  // namespace verbatim

// The shim's one exported entry point.
extern "C" verbatim::SentencePieceBackend* VerbatimCreateSentencePieceBackend();
