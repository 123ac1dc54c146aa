// Copyright Verbatim developers. SPDX-License-Identifier: Apache-2.0
//
// Data-parallel training over processes and machines: a process group of
// LibTorch's c10d (Gloo over TCP; NCCL for CUDA tensors when the build has
// it, VERBATIM_USE_NCCL), joined through a TCPStore that rank 0 hosts at
// master_addr:master_port (torchrun's env:// rendezvous). The same variables
// as torchrun can be given in the environment (WORLD_SIZE, RANK, MASTER_ADDR,
// MASTER_PORT), so ESPnet/WeNet launch scripts work unchanged.
//
// A group of world size 1 is a no-op: every collective returns its input, no
// socket is opened.
#pragma once

#include <torch/torch.h>

#include <memory>
#include <string>
#include <vector>

namespace verbatim {

struct DistributedOptions {
  int world_size = 1;                     // processes in the job (all machines)
  int rank = 0;                           // this process, 0 .. world_size - 1
  std::string master_addr = "127.0.0.1";  // host (name or IP) of rank 0, which hosts the store
  int master_port = 29500;                // TCP port of the store on master_addr
  double rendezvous_timeout_s = 300.0;    // seconds to wait for every rank to join
  double collective_timeout_s = 1800.0;   // seconds a collective may wait for a slow rank

  // Overrides world_size, rank, master_addr and master_port with WORLD_SIZE,
  // RANK, MASTER_ADDR and MASTER_PORT when they are set (torchrun's names);
  // throws Error for a value that is not a number.
  void ReadEnvironment();
  void Validate() const;  // throws Error for an impossible rank, size or port
};

class DistributedGroup {
 public:
  // Joins the group: blocks until all world_size ranks have connected, or
  // throws Error after rendezvous_timeout_s naming the address and the ranks.
  // `device` is where the tensors given to the collectives live.
  DistributedGroup(const DistributedOptions& opts, torch::Device device);
  ~DistributedGroup();
  DistributedGroup(const DistributedGroup&) = delete;
  DistributedGroup& operator=(const DistributedGroup&) = delete;

  int rank() const { return opts_.rank; }
  int world_size() const { return opts_.world_size; }
  bool is_main() const { return opts_.rank == 0; }
  const char* backend() const;  // "none" (world size 1), "gloo" or "nccl"

  // Element-wise sum (or max) over the ranks, in place; any device and
  // floating or integer type.
  void AllReduceSum(torch::Tensor* tensor);
  void AllReduceMax(torch::Tensor* tensor);
  std::vector<double> SumDoubles(const std::vector<double>& values);
  // Copies rank 0's values into `tensors` on every rank.
  void Broadcast(const std::vector<torch::Tensor>& tensors);
  void Barrier();

  // The data-parallel gradient: sets each parameter's gradient to
  // sum_r(grad_r) / sum_r(weight_r) and returns sum_r(weight_r). Each rank's
  // gradients must already be weighted (e.g. a loss summed over its
  // utterances, weight = its utterance count), so the result is the mean over
  // all utterances of all ranks. Missing gradients count as zero.
  double AverageGradients(const std::vector<torch::Tensor>& parameters, double local_weight);

 private:
  void AllReduce(torch::Tensor* tensor, bool max);

  struct Impl;
  DistributedOptions opts_;
  torch::Device device_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace verbatim
