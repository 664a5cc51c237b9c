//===- HostDevice.h - Code the CPU and CUDA kernels share -------*- C++ -*-===//
//
// INTR_HOST_DEVICE marks the functions that the CPU kernels call and that
// nvcc also compiles for the device, so that both backends compute alike.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_LIB_RUNTIME_CPU_HOSTDEVICE_H
#define INTR_LIB_RUNTIME_CPU_HOSTDEVICE_H

#ifdef __CUDACC__
#define INTR_HOST_DEVICE __host__ __device__
#else
#define INTR_HOST_DEVICE
#endif

#endif // INTR_LIB_RUNTIME_CPU_HOSTDEVICE_H
