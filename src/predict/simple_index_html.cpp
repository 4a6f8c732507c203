// The HTML form of the Simple API (PEP 503, with PEP 592, 629, 658 and 714 attributes), parsed
// with gumbo, an HTML5 parser: attribute values and anchor texts arrive with their character
// references decoded, whatever markup the index writes around them.
#include <fmt/format.h>
#include <gumbo.h>

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "predict/http_client.hpp"
#include "predict/simple_index.hpp"
#include "util/text.hpp"

namespace pkgsizer::predict {
namespace {

const char* attribute(const GumboElement& element, const char* name) {
  const GumboAttribute* found = gumbo_get_attribute(&element.attributes, name);
  return found ? found->value : nullptr;
}

// HTML elements that have no end tag (HTML Living Standard 13.1.2, "void elements").
bool is_void_element(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area",  "base",   "br",    "col",  "embed",
                                               "hr",    "img",    "input", "link", "meta",
                                               "param", "source", "track", "wbr",  "keygen"};
  return std::find(std::begin(kVoid), std::end(kVoid), name) != std::end(kVoid);
}

// How deep the page's elements nest, estimated from its tags before gumbo sees it: gumbo
// searches its stack of open elements for every tag, so 200,000 nested <div>s took over a
// minute, and its tree is freed recursively. A Simple API page nests a few levels; one that
// nests more than kMaxHtmlNesting is refused. Start tags push their name, end tags pop down to
// the same name when it is open (and are ignored otherwise, as a parser ignores them); comments
// are skipped. An over-estimate where a parser closes elements implicitly (<p>, <li>).
constexpr std::size_t kMaxHtmlNesting = 256;

std::optional<std::size_t> html_too_deep_at(std::string_view html) {
  std::vector<std::string> open;
  std::size_t at = 0;
  while ((at = html.find('<', at)) != std::string_view::npos) {
    const std::size_t tag = at;
    if (html.substr(at, 4) == "<!--") {
      const std::size_t end = html.find("-->", at + 4);
      if (end == std::string_view::npos) break;
      at = end + 3;
      continue;
    }
    ++at;
    const bool closing = at < html.size() && html[at] == '/';
    if (closing) ++at;
    std::size_t end = at;
    while (end < html.size() && std::isalnum(static_cast<unsigned char>(html[end]))) ++end;
    if (end == at || !std::isalpha(static_cast<unsigned char>(html[at]))) continue;
    const std::string name = lowercase(html.substr(at, end - at));
    at = end;
    if (closing) {
      const auto match = std::find(open.rbegin(), open.rend(), name);
      if (match != open.rend()) open.erase(std::next(match).base(), open.end());
    } else if (!is_void_element(name)) {
      open.push_back(name);
      if (open.size() > kMaxHtmlNesting) return tag;
    }
  }
  return std::nullopt;
}

// The text under `node`, walked with an explicit stack (the tree may be deep).
std::string text_of(const GumboNode& root) {
  std::string text;
  std::vector<const GumboNode*> pending{&root};
  while (!pending.empty()) {
    const GumboNode& node = *pending.back();
    pending.pop_back();
    if (node.type == GUMBO_NODE_TEXT || node.type == GUMBO_NODE_WHITESPACE) {
      text += node.v.text.text;
    } else if (node.type == GUMBO_NODE_ELEMENT) {
      const GumboVector& children = node.v.element.children;
      for (unsigned i = children.length; i > 0; --i)
        pending.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
    }
  }
  return text;
}

// "sha256=abc…" (a URL fragment, or a data-core-metadata value): algorithm -> digest. PEP 503
// names the hashlib algorithms every Python has; anything else ("#egg=name") is no hash.
std::map<std::string, std::string> hash_of(std::string_view text) {
  static constexpr std::string_view kAlgorithms[] = {"md5",    "sha1",   "sha224",
                                                     "sha256", "sha384", "sha512"};
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos || equals + 1 == text.size()) return {};
  const std::string algorithm = lowercase(std::string(text.substr(0, equals)));
  if (std::find(std::begin(kAlgorithms), std::end(kAlgorithms), algorithm) == std::end(kAlgorithms))
    return {};
  return {{algorithm, lowercase(std::string(text.substr(equals + 1)))}};
}

// Every element node, depth first, in document order, with an explicit stack.
template <typename Visit>
void each_element(const GumboNode& root, const Visit& visit) {
  std::vector<const GumboNode*> pending{&root};
  while (!pending.empty()) {
    const GumboNode& node = *pending.back();
    pending.pop_back();
    if (node.type != GUMBO_NODE_ELEMENT) continue;
    visit(node);
    const GumboVector& children = node.v.element.children;
    for (unsigned i = children.length; i > 0; --i)
      pending.push_back(static_cast<const GumboNode*>(children.data[i - 1]));
  }
}

}  // namespace

ProjectPage parse_html_project_page(std::string_view html, const std::string& page_url) {
  const std::string where = redact_url(page_url);
  if (const std::optional<std::size_t> at = html_too_deep_at(html))
    throw IndexError(
        fmt::format("{}: HTML elements nested more than {} deep (at byte {}): not "
                    "a Simple API page",
                    where, kMaxHtmlNesting, *at + 1));
  using Output = std::unique_ptr<GumboOutput, void (*)(GumboOutput*)>;
  const Output output(
      gumbo_parse_with_options(&kGumboDefaultOptions, html.data(), html.size()),
      [](GumboOutput* parsed) { gumbo_destroy_output(&kGumboDefaultOptions, parsed); });
  ProjectPage page;
  page.url = page_url;
  std::string base = page_url;  // a <base href> moves what relative links resolve against
  std::vector<const GumboNode*> anchors;
  each_element(*output->root, [&](const GumboNode& node) {
    const GumboElement& element = node.v.element;
    if (element.tag == GUMBO_TAG_A) {
      anchors.push_back(&node);
    } else if (element.tag == GUMBO_TAG_BASE) {
      if (const char* href = attribute(element, "href"); href && *href)
        base = resolve_url(page_url, href);
    } else if (element.tag == GUMBO_TAG_META) {
      const char* name = attribute(element, "name");
      const char* content = attribute(element, "content");
      if (name && content && lowercase(name) == "pypi:repository-version")  // PEP 629
        page.api_version = std::string(trim(content));
    }
  });
  if (!page.api_version.empty() && page.api_version.substr(0, page.api_version.find('.')) != "1")
    throw IndexError(fmt::format("{}: Simple API version {} is not supported (pkgsizer reads 1.x)",
                                 where, page.api_version));
  for (const GumboNode* node : anchors) {
    const GumboElement& anchor = node->v.element;
    const char* href = attribute(anchor, "href");
    if (!href || !*href) continue;  // PEP 503 pages may hold other markup
    DistributionFile file;
    const std::string url = resolve_url(base, href);
    const std::size_t fragment = url.find('#');
    if (fragment != std::string::npos)
      file.hashes = hash_of(std::string_view(url).substr(fragment + 1));
    file.url = url;
    // PEP 503: the anchor's text is the file name (and the last component of the URL's path).
    file.filename = std::string(trim(text_of(*node)));
    if (file.filename.empty() || file.filename.find('/') != std::string::npos) {
      const std::string path = url.substr(0, std::min(url.find('#'), url.find('?')));
      file.filename = path.substr(path.rfind('/') + 1);
    }
    if (file.filename.empty())
      throw IndexError(fmt::format("{}: a link ({}) names no file", where, redact_url(url)));
    if (const char* requires_python = attribute(anchor, "data-requires-python");
        requires_python && *requires_python)
      file.requires_python = std::string(trim(requires_python));
    if (const char* yanked = attribute(anchor, "data-yanked")) {  // PEP 592: present = yanked
      file.yanked = true;
      file.yanked_reason = std::string(trim(yanked));
    }
    // PEP 714's data-core-metadata, else PEP 658's data-dist-info-metadata: "true" or a hash.
    const char* metadata = attribute(anchor, "data-core-metadata");
    if (!metadata) metadata = attribute(anchor, "data-dist-info-metadata");
    if (metadata && lowercase(trim(metadata)) != "false") {
      file.has_core_metadata = true;
      file.core_metadata_hashes = hash_of(trim(metadata));
    }
    page.files.push_back(std::move(file));
  }
  return page;
}

}  // namespace pkgsizer::predict
