#include "util/text.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

using namespace pkgsizer;

namespace {

std::vector<std::string> all_lines(std::string_view text) {
  std::vector<std::string> lines;
  LineReader reader(text);
  std::string_view line;
  while (reader.next(line)) lines.emplace_back(line);
  return lines;
}

}  // namespace

TEST_CASE("LineReader splits on LF and CRLF; the last line may lack an end") {
  CHECK(all_lines("").empty());
  CHECK(all_lines("a") == std::vector<std::string>{"a"});
  CHECK(all_lines("a\n") == std::vector<std::string>{"a"});
  CHECK(all_lines("a\r\nb\n\nc") == std::vector<std::string>{"a", "b", "", "c"});
  CHECK(all_lines("\n\n") == std::vector<std::string>{"", ""});
  CHECK(all_lines("x\ry\r\n") == std::vector<std::string>{"x\ry"});  // a lone CR is content
}

TEST_CASE("trim and lowercase work on ASCII whatever the locale") {
  CHECK(trim(" \t\r\n name \v\f") == "name");
  CHECK(trim("   ").empty());
  CHECK(lowercase("Django-REST_framework") == "django-rest_framework");
}

TEST_CASE("printable shows control characters, C1, bidi controls and non-UTF-8 bytes as escapes") {
  CHECK(printable("numpy") == "numpy");
  CHECK(printable("évité ✓") == "évité ✓");
  CHECK(printable("evil\x1b]0;owned\x07\x1b[2J") == "evil\\x1b]0;owned\\x07\\x1b[2J");
  CHECK(printable("1.0\r::warning::X\n\t") == "1.0\\r::warning::X\\n\\t");
  CHECK(printable("a\x7f"
                  "b") == "a\\x7fb");
  CHECK(printable("csi\xc2\x9b"
                  "2J") == "csi\\u009b2J");  // U+009B, C1 CSI
  CHECK(printable("abc\xe2\x80\xae"
                  "def") == "abc\\u202edef");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(printable("bad\xff\x9b"
                  "x") == "bad\\xff\\x9bx");  // not UTF-8
  CHECK(printable("cut\xe2\x80") == "cut\\xe2\\x80");
}

TEST_CASE("escape_markup_cell lets no tag, entity, link, emphasis or cell end form") {
  CHECK(escape_markup_cell("numpy") == "numpy");
  CHECK(escape_markup_cell("<script>alert(1)</script>") == "&lt;script&gt;alert(1)&lt;/script&gt;");
  CHECK(escape_markup_cell("a|b") == "a\\|b");
  CHECK(escape_markup_cell("[x](http://e) ![i](u) *b* _i_ `c` ~s~ &amp;") ==
        "\\[x\\](http://e) \\!\\[i\\](u) \\*b\\* \\_i\\_ \\`c\\` \\~s\\~ &amp;amp;");
  CHECK(escape_markup_cell("x\ny\x1b") == "x\\\\ny\\\\x1b");
}

TEST_CASE("markdown_code_span keeps its content inside the span and the table cell") {
  CHECK(markdown_code_span("torch") == "`torch`");
  CHECK(markdown_code_span("a|b") == "`a\\|b`");
  CHECK(markdown_code_span("a`b") == "``a`b``");
  CHECK(markdown_code_span("`x") == "`` `x ``");
  CHECK(markdown_code_span("x\x1b") == "`x\\x1b`");
  CHECK(markdown_code_span("<b>") == "&lt;b&gt;");
}

TEST_CASE("neutralize_workflow_commands leaves no line a GitHub runner takes for a command") {
  CHECK(neutralize_workflow_commands("a\nb\n") == "a\nb\n");
  CHECK(neutralize_workflow_commands("::error::x\n  ::warning::y\nz ::not-at-start::") ==
        "%3A%3Aerror::x\n  %3A%3Awarning::y\nz ::not-at-start::");
  CHECK(neutralize_workflow_commands("\xc2\xa0::error::x") == "\xc2\xa0%3A%3Aerror::x");
  CHECK(neutralize_workflow_commands("x ##[error]y") == "x ##%5Berror]y");
  CHECK(neutralize_workflow_commands("a\r::error::b") == "a\\r::error::b");
}

TEST_CASE("edit_distance counts inserts, deletes, substitutions and swaps, ignoring case") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("pygment", "Pygments") == 1);
  CHECK(edit_distance("scan-en", "scan-env") == 1);
  CHECK(edit_distance("scan-evn", "scan-env") == 1);  // a swap of neighbours is one edit
  CHECK(edit_distance("--jsno", "--json") == 1);
  CHECK(edit_distance("sise", "size") == 1);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("ca", "abc") == 3);  // optimal string alignment: no edit of a swapped pair
}

TEST_CASE("closest_match suggests only what is close enough to be a typo") {
  const std::vector<std::string> commands{"scan-env", "why", "compare", "check-budget", "track"};
  CHECK(closest_match("scan-en", commands) == "scan-env");
  CHECK(closest_match("wyh", commands) == "why");
  CHECK(closest_match("comapre", commands) == "compare");
  CHECK(closest_match("install", commands) == std::nullopt);
  CHECK(closest_match("x", commands) == std::nullopt);
  CHECK(closest_match("pygment", {"Pygments", "pytest"}) == "Pygments");
  CHECK(closest_match("anything", {}) == std::nullopt);
}

TEST_CASE("ascii_symbols spells the views' symbols in ASCII and leaves other bytes alone") {
  CHECK(ascii_symbols("gamma 1.0 → 2.0: +100 kB") == "gamma 1.0 -> 2.0: +100 kB");
  CHECK(ascii_symbols("94 distributions · 12 files … more") ==
        "94 distributions | 12 files ... more");
  CHECK(ascii_symbols("├── a\n│   └── b") == "|-- a\n|   `-- b");
  CHECK(ascii_symbols("✅ ok ⚠️ warn ❌ fail") == "ok ok ! warn FAIL fail");
  CHECK(ascii_symbols("▲ +1 ▼ -1 ✚ ✖ —") == "^ +1 v -1 + x -");
  CHECK(ascii_symbols("café naïve") == "café naïve");  // not a symbol: the bytes stay
  CHECK(ascii_symbols("").empty());
}

TEST_CASE("iequals compares ASCII letters without their case") {
  CHECK(iequals("Requires-Dist", "requires-dist"));
  CHECK(iequals("", ""));
  CHECK_FALSE(iequals("Name", "Names"));
  CHECK_FALSE(iequals("Name", "Nane"));
}

TEST_CASE("display_width counts code points, not bytes") {
  CHECK(display_width("") == 0);
  CHECK(display_width("numpy") == 5);
  CHECK(display_width("▲ 1.2 MB") == 8);  // ▲ is three bytes, one column
  CHECK(display_width("−") == 1);
}

TEST_CASE("is_all_digits: ASCII digits only, at least one") {
  CHECK(is_all_digits("0"));
  CHECK(is_all_digits("0042"));
  CHECK_FALSE(is_all_digits(""));
  CHECK_FALSE(is_all_digits("-1"));
  CHECK_FALSE(is_all_digits("4.2"));
  CHECK_FALSE(is_all_digits("42 "));
  CHECK_FALSE(is_all_digits("\xd9\xa4"));  // ARABIC-INDIC DIGIT FOUR
}
