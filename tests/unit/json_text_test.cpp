#include "util/json_text.hpp"

#include <catch2/catch.hpp>

using namespace pkgsizer;

TEST_CASE("dump_json writes bytes that are not UTF-8 as \\udcNN, as Python's surrogateescape") {
  const nlohmann::json value = {{"name", "caf\xe9"}, {"ok", "é"}, {"list", {"\xff\xfe", 1}}};
  const std::string text = dump_json(value);
  CHECK(text == "{\"list\":[\"\\udcff\\udcfe\",1],\"name\":\"caf\\udce9\",\"ok\":\"é\"}");
  CHECK(dump_json(nlohmann::json{{"a", "plain"}}, 2) == nlohmann::json{{"a", "plain"}}.dump(2));
}

TEST_CASE("parse_json reads \\udcNN back as the byte, losslessly") {
  const nlohmann::json value = {{"p\x80th", "caf\xe9/\xff"}, {"ok", "é\\udc80"}};
  CHECK(parse_json(dump_json(value)) == value);
  // Python's json.dumps("caf\udce9") and a real surrogate pair stay as they are.
  CHECK(parse_json("[\"caf\\udce9\"]")[0] == "caf\xe9");
  CHECK(parse_json("[\"\\ud83d\\ude00\"]")[0] == "\xf0\x9f\x98\x80");
  CHECK(parse_json("[\"\\\\udce9\"]")[0] == "\\udce9");  // an escaped backslash, not an escape
  CHECK_THROWS_AS(parse_json("[\"\\udc00\"]"), nlohmann::json::parse_error);
}
