//===- ImageFolder.cpp - A dataset of photos in class folders -------------===//

#include "ImageFolder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <sys/stat.h>
#include <system_error>
#include <utility>

namespace fs = std::filesystem;

namespace {

/// ImageFolder's extensions, compared without case.
bool isPhoto(const fs::path &path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return char(std::tolower(c)); });
  for (const char *known : {".jpg", ".jpeg", ".png", ".ppm", ".bmp", ".pgm",
                            ".tif", ".tiff", ".webp"})
    if (extension == known)
      return true;
  return false;
}

} // namespace

intr::Expected<ImageFolder>
listImageFolder(const std::string &dir, const std::vector<std::string> &labels,
                int64_t classes) {
  std::error_code error;
  std::vector<std::string> folders;
  for (fs::directory_iterator it(dir, error), end; !error && it != end;
       it.increment(error))
    if (it->is_directory(error))
      folders.push_back(it->path().filename().string());
  if (error)
    return intr::Error(dir + ": cannot list the dataset (" + error.message() +
                       ")");
  if (folders.empty())
    return intr::Error(dir + ": no class folders (a dataset is DIR/<class>/"
                             "<photo>, as torchvision's ImageFolder reads it)");
  std::sort(folders.begin(), folders.end());

  ImageFolder dataset;
  std::map<std::string, int64_t> byLabel;
  for (size_t c = 0; c < labels.size(); ++c)
    byLabel.emplace(labels[c], int64_t(c));
  std::vector<std::string> unnamed;
  for (const std::string &folder : folders)
    if (!byLabel.count(folder))
      unnamed.push_back(folder);
  const bool named = unnamed.empty();
  if (named) {
    dataset.numbering = "folders named after the model's labels";
  } else {
    if (int64_t(folders.size()) > classes)
      return intr::Error(dir + ": " + std::to_string(folders.size()) +
                         " class folders, but the model has " +
                         std::to_string(classes) + " classes");
    dataset.numbering = "the i-th folder in sorted order is class i";
    // A stray folder among labelled ones renumbers them all, as it does
    // in ImageFolder: say which.
    if (unnamed.size() < folders.size())
      dataset.numbering += "; " + std::to_string(unnamed.size()) + " of " +
                           std::to_string(folders.size()) +
                           " folders are not among the model's labels, '" +
                           unnamed.front() + "' first";
  }
  for (size_t f = 0; f < folders.size(); ++f) {
    const int64_t label = named ? byLabel[folders[f]] : int64_t(f);
    // In os.walk's order, which ImageFolder follows: a folder's own photos
    // (by name) before those of its sub-folders.
    std::vector<std::pair<std::string, std::string>> photos;
    const fs::path folder = fs::path(dir) / folders[f];
    for (fs::recursive_directory_iterator
             it(folder, fs::directory_options::follow_directory_symlink, error),
         end;
         !error && it != end; it.increment(error))
      if (!it->is_directory(error) && isPhoto(it->path()))
        photos.emplace_back(it->path().parent_path().string(),
                            it->path().filename().string());
    if (error)
      return intr::Error(folder.string() + ": cannot list its photos (" +
                         error.message() + ")");
    std::sort(photos.begin(), photos.end());
    for (const auto &[parent, name] : photos) {
      dataset.photos.push_back((fs::path(parent) / name).string());
      dataset.classes.push_back(label);
    }
  }
  if (dataset.photos.empty())
    return intr::Error(dir + ": no photos in its class folders");
  // The same file twice: a link back to a folder above it (listed until
  // the system stops resolving the path, as os.walk lists it) or beside it.
  std::set<std::pair<dev_t, ino_t>> files;
  for (const std::string &photo : dataset.photos) {
    struct stat info;
    if (::stat(photo.c_str(), &info) == 0)
      dataset.repeated += !files.emplace(info.st_dev, info.st_ino).second;
  }
  return dataset;
}
