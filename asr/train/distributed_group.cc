// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
#include "asr/train/distributed_group.h"

// Debian's (and the official) LibTorch is built with Gloo; its header is
// guarded by the macro of that build option.
#ifndef USE_C10D_GLOO
#define USE_C10D_GLOO
#endif
#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>
// NCCL only in builds against a CUDA LibTorch that asked for it (the headers
// exist everywhere, the symbols only in CUDA builds).
#if defined(VERBATIM_USE_NCCL)
#ifndef USE_C10D_NCCL
#define USE_C10D_NCCL
#endif
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

#include <chrono>
#include <cstdlib>
#include <regex>

#include "base/error.h"

namespace verbatim {
namespace {

std::chrono::milliseconds Milliseconds(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000.0));
}

void ReadIntVariable(const char* name, int* value) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return;
  char* end = nullptr;
  const long v = std::strtol(text, &end, 10);
  Check(*end == '\0',
        std::string("environment variable ") + name + "='" + text + "' is not an integer");
  *value = static_cast<int>(v);
}

bool IsLoopback(const std::string& host) {
  return host == "localhost" || std::regex_match(host, std::regex("127(\\.[0-9]+){3}"));
}

std::shared_ptr<::gloo::transport::Device> GlooDevice(const std::string& master_addr) {
  // GLOO_SOCKET_IFNAME picks the network interface as in PyTorch; a job on
  // one machine (loopback master) stays on loopback; otherwise the address
  // this host's name resolves to.
  if (const char* ifname = std::getenv("GLOO_SOCKET_IFNAME"); ifname != nullptr && *ifname)
    return c10d::ProcessGroupGloo::createDeviceForInterface(ifname);
  if (IsLoopback(master_addr)) return c10d::ProcessGroupGloo::createDeviceForHostname("127.0.0.1");
  return c10d::ProcessGroupGloo::createDefaultDevice();
}

}  // namespace

void DistributedOptions::ReadEnvironment() {
  ReadIntVariable("WORLD_SIZE", &world_size);
  ReadIntVariable("RANK", &rank);
  ReadIntVariable("MASTER_PORT", &master_port);
  if (const char* addr = std::getenv("MASTER_ADDR"); addr != nullptr && *addr) master_addr = addr;
}

void DistributedOptions::Validate() const {
  Check(world_size >= 1,
        "distributed: world size must be at least 1, got " + std::to_string(world_size));
  Check(rank >= 0 && rank < world_size, "distributed: rank " + std::to_string(rank) +
                                            " is not in 0.." + std::to_string(world_size - 1));
  Check(master_port > 0 && master_port < 65536,
        "distributed: master port " + std::to_string(master_port) + " is not in 1..65535");
  Check(rendezvous_timeout_s > 0 && collective_timeout_s > 0,
        "distributed: timeouts must be positive (seconds)");
}

struct DistributedGroup::Impl {
  c10::intrusive_ptr<c10d::Store> store;
  c10::intrusive_ptr<c10d::ProcessGroup> group;
  bool nccl = false;
};

DistributedGroup::DistributedGroup(const DistributedOptions& opts, torch::Device device)
    : opts_(opts), device_(device) {
  opts_.Validate();
  if (opts_.world_size == 1) return;
  impl_ = std::make_unique<Impl>();
  const std::string where = opts_.master_addr + ":" + std::to_string(opts_.master_port);
  const std::string who =
      "rank " + std::to_string(opts_.rank) + " of " + std::to_string(opts_.world_size);
  try {
    c10d::TCPStoreOptions store_opts;
    store_opts.port = static_cast<uint16_t>(opts_.master_port);
    store_opts.isServer = opts_.rank == 0;
    store_opts.numWorkers = opts_.world_size;
    store_opts.waitWorkers = true;
    store_opts.timeout = Milliseconds(opts_.rendezvous_timeout_s);
    auto tcp = c10::make_intrusive<c10d::TCPStore>(opts_.master_addr, store_opts);
    impl_->store = c10::make_intrusive<c10d::PrefixStore>("verbatim", tcp);
  } catch (const std::exception& e) {
    throw Error("distributed: " + who + ": no rendezvous at " + where + " within " +
                std::to_string(static_cast<int>(opts_.rendezvous_timeout_s)) +
                " s (are all ranks started, with the same world size, master address and "
                "port, and is the port free on rank 0?): " +
                c10::GetExceptionString(e).substr(0, 300));
  }
  try {
#if defined(VERBATIM_USE_NCCL)
    if (device_.is_cuda()) {
      auto nccl_opts = c10d::ProcessGroupNCCL::Options::create();
      nccl_opts->timeout = Milliseconds(opts_.collective_timeout_s);
      impl_->group = c10::make_intrusive<c10d::ProcessGroupNCCL>(impl_->store, opts_.rank,
                                                                 opts_.world_size, nccl_opts);
      impl_->nccl = true;
      return;
    }
#endif
    auto gloo_opts = c10d::ProcessGroupGloo::Options::create(
        Milliseconds(std::max(opts_.rendezvous_timeout_s, opts_.collective_timeout_s)));
    gloo_opts->devices.push_back(GlooDevice(opts_.master_addr));
    impl_->group = c10::make_intrusive<c10d::ProcessGroupGloo>(impl_->store, opts_.rank,
                                                               opts_.world_size, gloo_opts);
  } catch (const std::exception& e) {
    throw Error("distributed: " + who + ": joining the process group at " + where +
                " failed: " + c10::GetExceptionString(e).substr(0, 300));
  }
}

DistributedGroup::~DistributedGroup() = default;

const char* DistributedGroup::backend() const {
  if (!impl_) return "none";
  return impl_->nccl ? "nccl" : "gloo";
}

void DistributedGroup::AllReduce(torch::Tensor* tensor, bool max) {
  if (!impl_) return;
  // Gloo here reduces CPU tensors only: other devices go through the host.
  const bool via_host = !impl_->nccl && !tensor->device().is_cpu();
  std::vector<torch::Tensor> tensors{via_host ? tensor->cpu() : tensor->contiguous()};
  c10d::AllreduceOptions reduce_opts;
  reduce_opts.reduceOp = max ? c10d::ReduceOp::MAX : c10d::ReduceOp::SUM;
  try {
    impl_->group->allreduce(tensors, reduce_opts)->wait();
  } catch (const std::exception& e) {
    throw Error("distributed: rank " + std::to_string(opts_.rank) +
                ": all-reduce failed (did another rank stop?): " +
                c10::GetExceptionString(e).substr(0, 300));
  }
  if (via_host || !tensor->is_same(tensors[0])) tensor->copy_(tensors[0]);
}

void DistributedGroup::AllReduceSum(torch::Tensor* tensor) { AllReduce(tensor, false); }
void DistributedGroup::AllReduceMax(torch::Tensor* tensor) { AllReduce(tensor, true); }

std::vector<double> DistributedGroup::SumDoubles(const std::vector<double>& values) {
  if (!impl_ || values.empty()) return values;
  torch::Tensor t = torch::tensor(values, torch::kFloat64);
  AllReduceSum(&t);
  return std::vector<double>(t.data_ptr<double>(), t.data_ptr<double>() + t.numel());
}

void DistributedGroup::Broadcast(const std::vector<torch::Tensor>& tensors) {
  if (!impl_) return;
  torch::NoGradGuard no_grad;
  for (const torch::Tensor& target : tensors) {
    const bool via_host = !impl_->nccl && !target.device().is_cpu();
    std::vector<torch::Tensor> buffer{via_host ? target.cpu() : target.contiguous()};
    try {
      impl_->group->broadcast(buffer)->wait();
    } catch (const std::exception& e) {
      throw Error("distributed: rank " + std::to_string(opts_.rank) +
                  ": broadcast failed: " + c10::GetExceptionString(e).substr(0, 300));
    }
    if (via_host || !target.is_same(buffer[0])) target.copy_(buffer[0]);
  }
}

void DistributedGroup::Barrier() {
  if (!impl_) return;
  try {
    impl_->group->barrier()->wait();
  } catch (const std::exception& e) {
    throw Error("distributed: rank " + std::to_string(opts_.rank) +
                ": barrier failed: " + c10::GetExceptionString(e).substr(0, 300));
  }
}

double DistributedGroup::AverageGradients(const std::vector<torch::Tensor>& parameters,
                                          double local_weight) {
  torch::NoGradGuard no_grad;
  if (!impl_) {
    if (local_weight > 0)
      for (const torch::Tensor& p : parameters)
        if (p.grad().defined()) p.mutable_grad().div_(local_weight);
    return local_weight;
  }
  // One flat buffer (one collective per step instead of one per tensor),
  // with the weight appended so it is summed in the same call.
  std::vector<torch::Tensor> pieces;
  pieces.reserve(parameters.size() + 1);
  for (const torch::Tensor& p : parameters) {
    pieces.push_back(p.grad().defined()
                         ? p.grad().reshape(-1).to(torch::kFloat32)
                         : torch::zeros({p.numel()}, p.options().dtype(torch::kFloat32)));
  }
  pieces.push_back(
      torch::full({1}, local_weight,
                  pieces.empty() ? torch::TensorOptions(device_) : pieces.front().options()));
  torch::Tensor flat = torch::cat(pieces);
  AllReduceSum(&flat);
  const double total = flat[-1].item<double>();
  if (total <= 0) return total;
  flat.div_(total);
  int64_t offset = 0;
  for (const torch::Tensor& p : parameters) {
    const torch::Tensor reduced = flat.narrow(0, offset, p.numel()).view(p.sizes());
    if (p.grad().defined())
      p.mutable_grad().copy_(reduced);
    else
      p.mutable_grad() = reduced.to(p.dtype()).clone();
    offset += p.numel();
  }
  return total;
}

}  // namespace verbatim
