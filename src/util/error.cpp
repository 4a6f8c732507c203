#include "util/error.hpp"

namespace pkgsizer {

int exit_code_for(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::kUsage:
      return 2;
    case ErrorCategory::kEnvironment:
      return 3;
    case ErrorCategory::kPartial:
      return 4;
    case ErrorCategory::kOutput:
      return 5;
    case ErrorCategory::kDependencies:
      return 6;
    case ErrorCategory::kNotInstalled:
      return 7;
    case ErrorCategory::kStore:
      return 8;
    case ErrorCategory::kNotFound:
      return 9;
    case ErrorCategory::kInternal:
      return 10;
  }
  return 10;
}

std::string_view to_string(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::kUsage:
      return "usage";
    case ErrorCategory::kEnvironment:
      return "environment";
    case ErrorCategory::kPartial:
      return "partial";
    case ErrorCategory::kOutput:
      return "output";
    case ErrorCategory::kDependencies:
      return "dependencies";
    case ErrorCategory::kNotInstalled:
      return "not-installed";
    case ErrorCategory::kStore:
      return "store";
    case ErrorCategory::kNotFound:
      return "not-found";
    case ErrorCategory::kInternal:
      return "internal";
  }
  return "internal";
}

}  // namespace pkgsizer
