//===- Export.h - Symbol visibility of the runtime API ----------*- C++ -*-===//

#ifndef INTR_RUNTIME_EXPORT_H
#define INTR_RUNTIME_EXPORT_H

#if defined(_WIN32)
#define INTR_API
#else
#define INTR_API __attribute__((visibility("default")))
#endif

#endif // INTR_RUNTIME_EXPORT_H
