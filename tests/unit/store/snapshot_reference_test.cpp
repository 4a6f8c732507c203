#include "store/snapshot_reference.hpp"

#include <catch2/catch.hpp>

using pkgsizer::store::parse_snapshot_reference;
using Kind = pkgsizer::store::SnapshotReference::Kind;

TEST_CASE("parse_snapshot_reference: latest, ids and labels, with or without '@'") {
  CHECK(parse_snapshot_reference("@latest").kind == Kind::kLatest);
  CHECK(parse_snapshot_reference("latest").kind == Kind::kLatest);
  CHECK(parse_snapshot_reference("@42").kind == Kind::kId);
  CHECK(parse_snapshot_reference("@42").id == 42);
  CHECK(parse_snapshot_reference("7").id == 7);
  CHECK(parse_snapshot_reference("@v1.2").kind == Kind::kLabel);
  CHECK(parse_snapshot_reference("@v1.2").label == "v1.2");
  CHECK(parse_snapshot_reference("@-1").label == "-1");
  CHECK(parse_snapshot_reference("@Latest").label == "Latest");
  CHECK(parse_snapshot_reference("@").kind == Kind::kLabel);
}

TEST_CASE("parse_snapshot_reference: an id beyond 64 bits names no snapshot") {
  CHECK(parse_snapshot_reference("@9223372036854775807").kind == Kind::kId);
  CHECK(parse_snapshot_reference("@9223372036854775808").kind == Kind::kNone);
  CHECK(parse_snapshot_reference("@99999999999999999999999").kind == Kind::kNone);
}
