// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// DistributedGroup: torchrun's environment variables, option checks, a clear
// error when the rendezvous times out, and real collectives between two ranks
// (two threads of this process over loopback TCP, Gloo).
#include <torch/torch.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <future>
#include <thread>

#include "asr/train/distributed_group.h"
#include "base/error.h"
#include "tests/test_util.h"

namespace verbatim {
namespace {

struct EnvGuard {
  ~EnvGuard() {
    for (const char* name : {"WORLD_SIZE", "RANK", "MASTER_ADDR", "MASTER_PORT"}) unsetenv(name);
  }
};

TEST_CASE("distributed options come from torchrun's environment variables", "[distributed]") {
  EnvGuard guard;
  DistributedOptions o;
  o.ReadEnvironment();  // nothing set: defaults stay
  CHECK(o.world_size == 1);
  CHECK(o.rank == 0);
  setenv("WORLD_SIZE", "4", 1);
  setenv("RANK", "3", 1);
  setenv("MASTER_ADDR", "node17", 1);
  setenv("MASTER_PORT", "29611", 1);
  o.ReadEnvironment();
  CHECK(o.world_size == 4);
  CHECK(o.rank == 3);
  CHECK(o.master_addr == "node17");
  CHECK(o.master_port == 29611);
  CHECK_NOTHROW(o.Validate());
  setenv("RANK", "x1", 1);
  CHECK_THROWS_WITH(o.ReadEnvironment(), Catch::Contains("RANK='x1'"));
}

TEST_CASE("impossible ranks, sizes and ports are errors", "[distributed]") {
  DistributedOptions o;
  o.world_size = 2;
  o.rank = 2;
  CHECK_THROWS_WITH(o.Validate(), Catch::Contains("rank 2 is not in 0..1"));
  o.rank = 0;
  o.master_port = 70000;
  CHECK_THROWS_WITH(o.Validate(), Catch::Contains("port 70000"));
  o.master_port = 1234;
  o.world_size = 0;
  CHECK_THROWS(o.Validate());
}

TEST_CASE("a group of one process leaves tensors alone and divides gradients", "[distributed]") {
  DistributedGroup group(DistributedOptions(), torch::kCPU);
  CHECK(std::string(group.backend()) == "none");
  torch::Tensor t = torch::tensor({1.5, -2.0});
  group.AllReduceSum(&t);
  CHECK(torch::equal(t, torch::tensor({1.5, -2.0})));
  CHECK(group.SumDoubles({3.0, 4.0}) == std::vector<double>{3.0, 4.0});
  torch::Tensor p = torch::zeros({3}, torch::requires_grad());
  p.mutable_grad() = torch::tensor({2.0f, 4.0f, 6.0f});
  CHECK(group.AverageGradients({p}, 2.0) == 2.0);
  CHECK(torch::equal(p.grad(), torch::tensor({1.0f, 2.0f, 3.0f})));
}

TEST_CASE("a rendezvous nobody joins times out with a clear error", "[distributed]") {
  DistributedOptions o;
  o.world_size = 2;
  o.rank = 1;  // a client: rank 0 (the store) never starts
  o.master_port = test::FreePort();
  o.rendezvous_timeout_s = 1.0;
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(DistributedGroup(o, torch::kCPU),
                    Catch::Contains("rank 1 of 2: no rendezvous at 127.0.0.1:" +
                                    std::to_string(o.master_port) + " within 1 s"));
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 20.0);
}

TEST_CASE("two ranks reduce, broadcast and average weighted gradients", "[distributed]") {
  const int port = test::FreePort();
  auto run = [port](int rank) {
    DistributedOptions o;
    o.world_size = 2;
    o.rank = rank;
    o.master_port = port;
    o.rendezvous_timeout_s = 60;
    o.collective_timeout_s = 60;
    DistributedGroup group(o, torch::kCPU);
    std::vector<double> out;
    // Sum and max.
    torch::Tensor t = torch::tensor({1.0 + rank, 10.0 * rank});
    group.AllReduceSum(&t);
    out.push_back(t[0].item<double>());
    out.push_back(t[1].item<double>());
    torch::Tensor m = torch::tensor({static_cast<double>(rank), -static_cast<double>(rank)});
    group.AllReduceMax(&m);
    out.push_back(m[0].item<double>());
    out.push_back(m[1].item<double>());
    // Broadcast from rank 0.
    torch::Tensor b = torch::full({2, 2}, 7.0f + rank);
    group.Broadcast({b});
    out.push_back(b.sum().item<double>());
    // Gradients weighted by utterances: rank 0 holds the sum over 2
    // utterances, rank 1 over 3 (and no gradient for the second tensor).
    torch::Tensor p = torch::zeros({2}, torch::requires_grad());
    torch::Tensor q = torch::zeros({1}, torch::requires_grad());
    p.mutable_grad() = rank == 0 ? torch::tensor({2.0f, 4.0f}) : torch::tensor({3.0f, -9.0f});
    if (rank == 0) q.mutable_grad() = torch::tensor({5.0f});
    out.push_back(group.AverageGradients({p, q}, rank == 0 ? 2.0 : 3.0));
    out.push_back(p.grad()[0].item<double>());
    out.push_back(p.grad()[1].item<double>());
    out.push_back(q.grad()[0].item<double>());
    group.Barrier();
    return out;
  };
  auto r1 = std::async(std::launch::async, run, 1);
  const std::vector<double> a = run(0);
  const std::vector<double> b = r1.get();
  CHECK(a == b);
  REQUIRE(a.size() == 9);
  CHECK(a[0] == 3.0);
  CHECK(a[1] == 10.0);
  CHECK(a[2] == 1.0);
  CHECK(a[3] == 0.0);
  CHECK(a[4] == 28.0);
  CHECK(a[5] == 5.0);
  CHECK(a[6] == Approx(1.0));   // (2 + 3) / 5
  CHECK(a[7] == Approx(-1.0));  // (4 - 9) / 5
  CHECK(a[8] == Approx(1.0));   // (5 + 0) / 5
}

}  // namespace
}  // namespace verbatim
