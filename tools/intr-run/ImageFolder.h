//===- ImageFolder.h - A dataset of photos in class folders -----*- C++ -*-===//
//
// The layout torchvision's ImageFolder reads, which INTR trains and
// evaluates on: DIR/<class>/.../<photo>, one folder per class.
//
//===----------------------------------------------------------------------===//

#ifndef INTR_TOOLS_INTR_RUN_IMAGEFOLDER_H
#define INTR_TOOLS_INTR_RUN_IMAGEFOLDER_H

#include "intr/runtime/Error.h"

#include <cstdint>
#include <string>
#include <vector>

/// The photos of a dataset and the class each one's folder names.
struct ImageFolder {
  std::vector<std::string> photos;
  std::vector<int64_t> classes;
  /// How folders became classes, in words (for the summary).
  std::string numbering;
  /// Photos that are files listed before under another path, through a
  /// link to a file or a directory (ImageFolder follows both, and lists
  /// such a file again).
  int64_t repeated = 0;
};

/// Lists `dir`'s photos as ImageFolder does: its sub-folders in sorted
/// order, each one's files with an image extension at any depth, in
/// os.walk's sorted order. A folder is the class of the same name when every
/// folder names one of `labels` (the model's); else the i-th folder is class i,
/// as ImageFolder numbers them, which needs no more folders than `classes`.
intr::Expected<ImageFolder>
listImageFolder(const std::string &dir, const std::vector<std::string> &labels,
                int64_t classes);

#endif // INTR_TOOLS_INTR_RUN_IMAGEFOLDER_H
