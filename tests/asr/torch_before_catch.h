// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Included before anything else in every asr test file (tests/CMakeLists.txt):
// Debian's LibTorch brings glog, whose CHECK macro replaces Catch's when
// LibTorch's headers come after catch.hpp in a translation unit, as they can
// when a unity build joins several test files into one.
#pragma once

#include <torch/torch.h>
#undef CHECK
#include <catch2/catch.hpp>
