#include "workload/uniform_generator.h"

#include <cassert>

namespace tikvbench::workload {

UniformGenerator::UniformGenerator(int64_t lb, int64_t ub) : lb_(lb), ub_(ub) { assert(lb <= ub); }

// YCSB: (lb + (long) ub) / 2.0; summed in double here so it cannot overflow.
double UniformGenerator::mean() const { return (static_cast<double>(lb_) + static_cast<double>(ub_)) / 2.0; }

}  // namespace tikvbench::workload
