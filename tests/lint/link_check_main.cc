// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// An empty program for the link checks of tests/CMakeLists.txt: what matters
// is that the libraries linked into it resolve every symbol they use.
int main() { return 0; }
