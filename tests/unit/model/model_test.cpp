#include "model/model.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer;

TEST_CASE("a severity reads back as itself from its name; other names are none") {
  for (Severity severity : {Severity::kError, Severity::kWarning})
    CHECK(severity_from_string(to_string(severity)) == severity);
  CHECK(to_string(Severity::kError) == "error");
  CHECK(to_string(Severity::kWarning) == "warning");
  CHECK_FALSE(severity_from_string("").has_value());
  CHECK_FALSE(severity_from_string("Error").has_value());
}

TEST_CASE("a problem kind reads back as itself from its name; other names are none") {
  for (ProblemKind kind : {ProblemKind::kScan, ProblemKind::kCycle, ProblemKind::kMissing,
                           ProblemKind::kRequirement, ProblemKind::kVersion})
    CHECK(problem_kind_from_string(to_string(kind)) == kind);
  CHECK(to_string(ProblemKind::kScan) == "scan");
  CHECK_FALSE(problem_kind_from_string("").has_value());
}

TEST_CASE("problem kinds sort as their names did: scan problems first, then by name") {
  CHECK(ProblemKind::kScan < ProblemKind::kCycle);
  CHECK(to_string(ProblemKind::kCycle) < to_string(ProblemKind::kMissing));
  CHECK(ProblemKind::kCycle < ProblemKind::kMissing);
  CHECK(to_string(ProblemKind::kMissing) < to_string(ProblemKind::kRequirement));
  CHECK(ProblemKind::kMissing < ProblemKind::kRequirement);
  CHECK(to_string(ProblemKind::kRequirement) < to_string(ProblemKind::kVersion));
  CHECK(ProblemKind::kRequirement < ProblemKind::kVersion);
  CHECK(Severity::kError < Severity::kWarning);  // "error" < "warning"
}

TEST_CASE("only problems of a dependency kind are dependency problems") {
  CHECK_FALSE(Problem{Severity::kError, "p", "m"}.is_dependency_problem());
  CHECK(Problem{Severity::kWarning, "p", "m", ProblemKind::kCycle}.is_dependency_problem());
}

TEST_CASE("metadata kinds and files sources read back as themselves; \"\" is unknown") {
  for (MetadataKind kind :
       {MetadataKind::kUnknown, MetadataKind::kDistInfo, MetadataKind::kEggInfo,
        MetadataKind::kEggInfoFile, MetadataKind::kEggLink, MetadataKind::kPrediction})
    CHECK(metadata_kind_from_string(to_string(kind)) == kind);
  for (FilesSource source :
       {FilesSource::kUnknown, FilesSource::kRecord, FilesSource::kInstalledFiles,
        FilesSource::kTopLevel, FilesSource::kName, FilesSource::kEggLink, FilesSource::kWheel,
        FilesSource::kSdist})
    CHECK(files_source_from_string(to_string(source)) == source);
  CHECK(to_string(MetadataKind::kUnknown).empty());
  CHECK(to_string(FilesSource::kRecord) == "RECORD");
  CHECK_FALSE(metadata_kind_from_string("wheel").has_value());
  CHECK_FALSE(files_source_from_string("record").has_value());  // names are case-sensitive
}

TEST_CASE("a module kind and an environment kind read back as themselves from their names") {
  for (ModuleKind kind : {ModuleKind::kUnknown, ModuleKind::kPackage, ModuleKind::kNamespace,
                          ModuleKind::kModule, ModuleKind::kExtension, ModuleKind::kData})
    CHECK(module_kind_from_string(to_string(kind)) == kind);
  for (EnvironmentKind kind :
       {EnvironmentKind::kUnknown, EnvironmentKind::kVenv, EnvironmentKind::kConda,
        EnvironmentKind::kSystem, EnvironmentKind::kPrefix, EnvironmentKind::kSitePackages,
        EnvironmentKind::kPrediction})
    CHECK(environment_kind_from_string(to_string(kind)) == kind);
  CHECK(to_string(ModuleKind::kUnknown).empty());
  CHECK(to_string(ModuleKind::kExtension) == "extension");
  CHECK(to_string(EnvironmentKind::kSitePackages) == "site-packages");
  CHECK_FALSE(module_kind_from_string("Package").has_value());
  CHECK_FALSE(environment_kind_from_string("virtualenv").has_value());
}
