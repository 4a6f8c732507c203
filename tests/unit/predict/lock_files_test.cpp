#include "predict/lock_files.hpp"

#include <catch2/catch.hpp>
#include <stdexcept>
#include <string>

using namespace pkgsizer::predict;

namespace {

const LockedPackage& find(const LockFile& lock, const std::string& normalized_name) {
  for (const LockedPackage& package : lock.packages)
    if (package.normalized_name == normalized_name) return package;
  FAIL("no package " << normalized_name);
  throw std::logic_error("unreachable");
}

template <typename Parse>
std::string error_of(Parse parse, std::string_view text, const std::string& file) {
  try {
    parse(text, file);
  } catch (const LockFileError& error) {
    return error.what();
  }
  return "no error";
}

// A uv.lock as `uv lock` writes it for a project with a workspace member, an extra, a dev
// group, a platform-specific dependency, and packages from a URL, a local wheel and git.
constexpr std::string_view kUvLock = R"~(version = 1
revision = 2
requires-python = ">=3.11"
resolution-markers = [
    "sys_platform == 'win32'",
    "sys_platform != 'win32'",
]

[manifest]
members = [
    "webapp",
]

[[package]]
name = "anyio"
version = "4.4.0"
source = { registry = "https://pypi.org/simple" }
dependencies = [
    { name = "idna" },
    { name = "sniffio" },
]
sdist = { url = "https://files.pythonhosted.org/packages/e6/e3/c4c8d473d6780ef1853d630d581f70d655b4f8d7553c6997958c283039a2/anyio-4.4.0.tar.gz", hash = "sha256:5aadc6a1bbb7cdb0bede386cac5e2940f5e2ff3aa20277e991cf028e0585ce94", size = 163930, upload-time = "2024-05-26T22:27:34.591Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/7b/a2/10639a79341f6c019dedc95bd48a4928eed9f1d1197f4c04f546fc7ae0ff/anyio-4.4.0-py3-none-any.whl", hash = "sha256:c1b2d8f46a8a812513012e1107cb0e68c17159a7a594208005a57dc776e1bdc7", size = 86780, upload-time = "2024-05-26T22:27:32.567Z" },
]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/d8/53/6f443c9a4a8358a93a6792e2acffb9d9d5cb0a5cfd8802644b7b1c9a02e4/colorama-0.4.6.tar.gz", hash = "sha256:08695f5cb7ed6e0531a20572697297273c47b8cae5a63ffc6d6ed5c201be6e44", size = 27697, upload-time = "2022-10-25T02:36:22.414Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/d1/d6/3965ed04c63042e047cb6a3e6ed1a63a35087b6a609aa3a15ed8ac56c221/colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:4f1d9991f5acc0ca119f9d443620b77f9d6b33703e51011c16baf57afb285fc6", size = 25335, upload-time = "2022-10-25T02:36:20.889Z" },
]

[[package]]
name = "localwheel"
version = "0.3.0"
source = { path = "wheels/localwheel-0.3.0-py3-none-any.whl" }
wheels = [
    { filename = "localwheel-0.3.0-py3-none-any.whl", hash = "sha256:0f5e1c0d6b2e1c37f7d0c6c1a1b2ad0b7a1f6f5a8d3f1e2c4b5a6978d0e1f2a3" },
]

[[package]]
name = "numpy"
version = "2.0.0"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://files.pythonhosted.org/packages/05/35/fb1ada118002df3fe91b5c3b28bc0d90f879b881a5d8f68b1f9b79c44bfe/numpy-2.0.0.tar.gz", hash = "sha256:cf5d1c9e6837f8af9f92b6bd3e86d513cdc11f60fd62185cc49ec7d1aba34864", size = 18326228, upload-time = "2024-06-16T18:36:04.143Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/3a/cc/6e12bd3a8a4a9b6d1d3e5d1b2e9c9a0a3b0d6a6fc4c1f8ecf7dbb7ea4f3b6/numpy-2.0.0-cp311-cp311-macosx_14_0_arm64.whl", hash = "sha256:9416a5c2e92ace094e9f0082c5fd473502c91651fb896bc17690d6fc475128d6", size = 5281264, upload-time = "2024-06-16T16:03:51.018Z" },
    { url = "https://files.pythonhosted.org/packages/4e/39/2b5a8d5e3c9e1a3f4c29db6f6e4e2e1e4ad2b6c63d1f4e2ad0b3a61a1e1a2f/numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", hash = "sha256:b8a9f8a3f6b1bd2f5c0da8c1f1b5e4e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8", size = 19316583, upload-time = "2024-06-16T16:06:37.211Z" },
    { url = "https://files.pythonhosted.org/packages/cb/4e/1a0e3f4d6c1a5f5b3d8e3a5c8ad8f52d2bd3f5f7a7cb0b8e1f8b1b7c5f2a3d/numpy-2.0.0-cp311-cp311-win_amd64.whl", hash = "sha256:d1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90", size = 16515297, upload-time = "2024-06-16T16:13:27.564Z" },
]

[[package]]
name = "tool"
version = "0.5.0"
source = { git = "https://github.com/org/tool?rev=v0.5#7f0c1d2e3b4a59687f0c1d2e3b4a59687f0c1d2e" }

[[package]]
name = "vendored"
version = "1.0"
source = { url = "https://example.com/dl/vendored-1.0.tar.gz" }
sdist = { hash = "sha256:aabbccddeeff00112233445566778899aabbccddeeff00112233445566778899", size = 10240 }

[[package]]
name = "webapp"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "anyio" },
    { name = "colorama", marker = "sys_platform == 'win32'" },
    { name = "numpy" },
    { name = "uvicorn", extra = ["standard"] },
]

[package.optional-dependencies]
fast = [
    { name = "uvloop", marker = "sys_platform != 'win32'" },
]

[package.dev-dependencies]
dev = [
    { name = "pytest" },
]

[package.metadata]
requires-dist = [
    { name = "anyio", specifier = ">=4" },
    { name = "numpy", specifier = ">=2" },
]
)~";

}  // namespace

TEST_CASE("uv.lock: packages, files with sizes and hashes, sources") {
  const LockFile lock = parse_uv_lock(kUvLock, "uv.lock");
  CHECK(lock.kind == InputKind::uv_lock);
  REQUIRE(lock.packages.size() == 7);
  CHECK(lock.packages[0].name == "anyio");  // in the order of the file

  const LockedPackage& anyio = find(lock, "anyio");
  CHECK(anyio.version == "4.4.0");
  CHECK(anyio.source.kind == "registry");
  CHECK(anyio.source.location == "https://pypi.org/simple");
  REQUIRE(anyio.wheels.size() == 1);
  CHECK(anyio.wheels[0].filename == "anyio-4.4.0-py3-none-any.whl");
  CHECK(anyio.wheels[0].size == 86780u);
  CHECK(anyio.wheels[0].hash ==
        "sha256:c1b2d8f46a8a812513012e1107cb0e68c17159a7a594208005a57dc776e1bdc7");
  CHECK(anyio.wheels[0].url.starts_with("https://files.pythonhosted.org/packages/7b/a2/"));
  REQUIRE(anyio.sdist);
  CHECK(anyio.sdist->filename == "anyio-4.4.0.tar.gz");
  CHECK(anyio.sdist->size == 163930u);
  CHECK(anyio.marker.empty());
  REQUIRE(anyio.dependencies.size() == 2);
  CHECK(anyio.dependencies[0].normalized_name == "idna");
  CHECK_FALSE(anyio.requested);

  const LockedPackage& numpy = find(lock, "numpy");
  REQUIRE(numpy.wheels.size() == 3);
  CHECK(numpy.wheels[1].filename ==
        "numpy-2.0.0-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  CHECK(numpy.wheels[1].size == 19316583u);

  const LockedPackage& local = find(lock, "localwheel");
  CHECK(local.source.kind == "path");
  REQUIRE(local.wheels.size() == 1);
  CHECK(local.wheels[0].filename == "localwheel-0.3.0-py3-none-any.whl");
  CHECK(local.wheels[0].url.empty());
  CHECK_FALSE(local.wheels[0].size);

  const LockedPackage& tool = find(lock, "tool");
  CHECK(tool.source.kind == "git");
  CHECK(tool.wheels.empty());
  CHECK_FALSE(tool.sdist);

  // A direct URL's sdist records only hash and size: the file is the source URL.
  const LockedPackage& vendored = find(lock, "vendored");
  CHECK(vendored.source.kind == "url");
  REQUIRE(vendored.sdist);
  CHECK(vendored.sdist->filename == "vendored-1.0.tar.gz");
  CHECK(vendored.sdist->size == 10240u);
}

TEST_CASE("uv.lock: dependency edges carry markers, extras, and optional parts") {
  const LockFile lock = parse_uv_lock(kUvLock, "uv.lock");
  const LockedPackage& webapp = find(lock, "webapp");
  CHECK(webapp.requested);  // a workspace member
  CHECK(webapp.source.kind == "editable");
  CHECK(webapp.source.location == ".");
  REQUIRE(webapp.dependencies.size() == 6);
  CHECK(webapp.dependencies[1].name == "colorama");
  CHECK(webapp.dependencies[1].marker == "sys_platform == 'win32'");
  CHECK(webapp.dependencies[3].extras == std::set<std::string>{"standard"});
  CHECK(webapp.dependencies[4].name == "uvloop");
  CHECK(webapp.dependencies[4].for_extra == "fast");
  CHECK(webapp.dependencies[4].marker == "sys_platform != 'win32'");
  CHECK(webapp.dependencies[5].name == "pytest");
  CHECK(webapp.dependencies[5].for_group == "dev");
  CHECK(webapp.dependencies[5].for_extra.empty());
}

TEST_CASE("uv.lock: without a manifest the project at '.' is the requested one") {
  const LockFile lock = parse_uv_lock(
      "version = 1\n"
      "requires-python = \">=3.12\"\n\n"
      "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\nsource = { virtual = \".\" }\n\n"
      "[[package]]\nname = \"lib\"\nversion = \"0.2.0\"\nsource = { editable = \"libs/lib\" }\n",
      "uv.lock");
  REQUIRE(lock.packages.size() == 2);
  CHECK(lock.packages[0].requested);
  CHECK_FALSE(lock.packages[1].requested);
}

TEST_CASE("uv.lock: errors name the file, line and column") {
  const auto parse = [](std::string_view text, const std::string& file) {
    return parse_uv_lock(text, file);
  };
  CHECK(error_of(parse, "version = 1\n[[package]]\nname = \"x\"\nversion = \n", "uv.lock")
            .starts_with("uv.lock:4:"));
  CHECK(error_of(parse, "version = 2\n", "uv.lock") ==
        "uv.lock:1:11: unsupported uv.lock version (pkgsizer reads version 1)");
  CHECK(error_of(parse, "version = 1\n\n[[package]]\nversion = \"1.0\"\n", "uv.lock") ==
        "uv.lock:3:1: package[0].name is missing");
  CHECK(error_of(parse,
                 "version = 1\n[[package]]\nname = \"x\"\nsource = { registry = \"r\" }\n"
                 "wheels = [{ url = \"https://h/x-1-py3-none-any.whl\", size = -1 }]\n",
                 "uv.lock") ==
        "uv.lock:5:60: package 'x': wheels[0].size must be a non-negative integer of bytes");
  CHECK(error_of(parse, "version = 1\n[[package]]\nname = \"x\"\nsource = { mirror = \"m\" }\n",
                 "uv.lock")
            .starts_with("uv.lock:4:10: package 'x': source names none of registry"));
  CHECK(error_of(parse, "version = 1\n[[package]]\nname = \"x\"\nwheels = \"oops\"\n", "uv.lock") ==
        "uv.lock:4:10: package 'x': wheels must be an array, found a string");
}

namespace {

// PEP 751's example, with a platform-specific package, an sdist, an archive, a directory and
// a VCS checkout added.
constexpr std::string_view kPylock = R"~(lock-version = '1.0'
environments = ["sys_platform == 'win32'", "sys_platform == 'linux'"]
requires-python = '==3.12'
created-by = 'mousebender'

[[packages]]
name = 'attrs'
version = '25.1.0'
requires-python = '>=3.8'
wheels = [
  {name = 'attrs-25.1.0-py3-none-any.whl', upload-time = 2025-01-25T11:30:10.164985+00:00, url = 'https://files.pythonhosted.org/packages/fc/30/d4986a882011f9df997a55e6becd864812ccfcd821d64aac8570ee39f719/attrs-25.1.0-py3-none-any.whl', size = 63152, hashes = {sha256 = 'c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a'}},
]
[[packages.attestation-identities]]
environment = 'release-pypi'
kind = 'GitHub'
repository = 'python-attrs/attrs'
workflow = 'pypi-package.yml'

[[packages]]
name = 'cattrs'
version = '24.1.2'
requires-python = '>=3.8'
dependencies = [
    {name = 'attrs'},
]
index = 'https://pypi.org/simple'
wheels = [
  {name = 'cattrs-24.1.2-py3-none-any.whl', upload-time = 2024-09-22T14:58:34.812643+00:00, url = 'https://files.pythonhosted.org/packages/c8/d5/867e75361fc45f6de75fe277dd085627a9db5ebb511a87f27dc1396b5351/cattrs-24.1.2-py3-none-any.whl', size = 66446, hashes = {sha256 = '67c7495b760168d931a10233f979b28dc04daf853b30752246f4f8471c6d68d0'}},
]

[[packages]]
name = 'numpy'
version = '2.2.3'
requires-python = '>=3.10'
wheels = [
  {name = 'numpy-2.2.3-cp312-cp312-win_amd64.whl', upload-time = 2025-02-13T16:51:21.821880+00:00, url = 'https://files.pythonhosted.org/packages/42/6e/55580a538116d16ae7c9aa17d4edd56e83f42126cb1dfe7a684da7925d2c/numpy-2.2.3-cp312-cp312-win_amd64.whl', size = 12626357, hashes = {sha256 = '83807d445817326b4bcdaaaf8e8e9f1753da04341eceec705c001ff342002e5d'}},
  {url = 'https://files.pythonhosted.org/packages/39/04/78d2e7402fb479d893953fb78fa7045f7deb635ec095b6b4f0260223091a/numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl', size = 16116679, hashes = {sha256 = '3b787adbf04b0db1967798dba8da1af07e387908ed1553a0d6e74c084d1ceafe'}},
]

[[packages]]
name = 'pywin32'
version = '308'
marker = "sys_platform == 'win32'"
wheels = [
  {name = 'pywin32-308-cp312-cp312-win_amd64.whl', url = 'https://files.pythonhosted.org/packages/00/7c/d00d6bdd96de4344e06c4afbf218bc86b54436a94c01c71a8701f613aa56/pywin32-308-cp312-cp312-win_amd64.whl', size = 6545617, hashes = {sha512 = 'ab12', blake2b = 'cd34'}},
]

[[packages]]
name = 'legacy-only'
version = '0.9'
[packages.sdist]
name = 'legacy_only-0.9.tar.gz'
url = 'https://files.pythonhosted.org/packages/aa/bb/legacy_only-0.9.tar.gz'
size = 48213
hashes = {sha256 = '1111111111111111111111111111111111111111111111111111111111111111'}

[[packages]]
name = 'direct'
version = '1.2'
archive = {url = 'https://example.com/dl/direct-1.2-py3-none-any.whl', size = 2048, hashes = {sha256 = '2222'}}

[[packages]]
name = 'myproject'
directory = {path = '.', editable = true}

[[packages]]
name = 'tool'
vcs = {type = 'git', url = 'https://github.com/org/tool.git', commit-id = '7f0c1d2e3b4a59687f0c1d2e3b4a59687f0c1d2e'}

[tool.mousebender]
note = 'tool tables are ignored'
)~";

}  // namespace

TEST_CASE("pylock.toml (PEP 751): wheels with sizes, markers, every kind of source") {
  const LockFile lock = parse_pylock(kPylock, "pylock.toml");
  CHECK(lock.kind == InputKind::pylock_toml);
  REQUIRE(lock.packages.size() == 8);

  const LockedPackage& attrs = lock.packages[0];
  CHECK(attrs.name == "attrs");
  CHECK(attrs.version == "25.1.0");
  REQUIRE(attrs.wheels.size() == 1);
  CHECK(attrs.wheels[0].filename == "attrs-25.1.0-py3-none-any.whl");
  CHECK(attrs.wheels[0].size == 63152u);
  CHECK(attrs.wheels[0].hash ==
        "sha256:c75a69e28a550a7e93789579c22aa26b0f5b83b75dc4e08fe092980051e1090a");
  CHECK(attrs.marker.empty());

  const LockedPackage& cattrs = find(lock, "cattrs");
  CHECK(cattrs.source.kind == "registry");
  CHECK(cattrs.source.location == "https://pypi.org/simple");
  REQUIRE(cattrs.dependencies.size() == 1);
  CHECK(cattrs.dependencies[0].name == "attrs");

  // A wheel without `name` is named by its URL.
  const LockedPackage& numpy = find(lock, "numpy");
  REQUIRE(numpy.wheels.size() == 2);
  CHECK(numpy.wheels[1].filename ==
        "numpy-2.2.3-cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64.whl");
  CHECK(numpy.wheels[1].size == 16116679u);

  const LockedPackage& pywin32 = find(lock, "pywin32");
  CHECK(pywin32.marker == "sys_platform == 'win32'");
  CHECK(pywin32.wheels[0].hash == "sha512:ab12");  // the strongest known algorithm

  const LockedPackage& legacy = find(lock, "legacy-only");
  CHECK(legacy.wheels.empty());
  REQUIRE(legacy.sdist);
  CHECK(legacy.sdist->filename == "legacy_only-0.9.tar.gz");
  CHECK(legacy.sdist->size == 48213u);

  const LockedPackage& direct = find(lock, "direct");
  REQUIRE(direct.wheels.size() == 1);
  CHECK(direct.wheels[0].filename == "direct-1.2-py3-none-any.whl");
  CHECK(direct.source.kind == "url");

  const LockedPackage& project = find(lock, "myproject");
  CHECK(project.version.empty());
  CHECK(project.source.kind == "editable");
  CHECK(project.source.location == ".");
  CHECK(find(lock, "tool").source.kind == "git");
  CHECK(find(lock, "tool").source.location == "https://github.com/org/tool.git");
}

TEST_CASE("pylock.toml: errors") {
  const auto parse = [](std::string_view text, const std::string& file) {
    return parse_pylock(text, file);
  };
  CHECK(error_of(parse, "lock-version = '2.0'\ncreated-by = 'x'\n[[packages]]\nname = 'a'\n",
                 "pylock.toml") ==
        "pylock.toml:1:16: unsupported lock-version '2.0' (pkgsizer reads 1.x)");
  CHECK(error_of(parse, "created-by = 'x'\n", "pylock.toml") ==
        "pylock.toml:1:1: lock-version is missing");
  CHECK(error_of(parse, "lock-version = '1.0'\n", "pylock.toml") ==
        "pylock.toml: [[packages]] is missing");
  CHECK(error_of(parse, "lock-version = '1.0'\n[[packages]]\nname = 'a'\nwheels = [{size = 1}]\n",
                 "pylock.toml") ==
        "pylock.toml:4:11: package 'a': wheels[0].name, url or path is required");
  CHECK(error_of(parse,
                 "lock-version = '1.0'\n[[packages]]\nname = 'a'\nwheels = [{name = "
                 "'a-1-py3-none-any.whl', "
                 "hashes = 'sha256:x'}]\n",
                 "pylock.toml") ==
        "pylock.toml:4:52: package 'a': wheels[0].hashes must be a table, found a string");
  CHECK(error_of(parse, "lock-version = '1.0'\n[[packages]\n", "pylock.toml")
            .starts_with("pylock.toml:2:"));
}

namespace {

constexpr std::string_view kPoetryLock =
    R"~(# This file is automatically @generated by Poetry 1.8.3 and should not be changed by hand.

[[package]]
name = "certifi"
version = "2024.7.4"
description = "Python package for providing Mozilla's CA Bundle."
optional = false
python-versions = ">=3.6"
files = [
    {file = "certifi-2024.7.4-py3-none-any.whl", hash = "sha256:c198e21b1289c2ab85ee4e67bb4b4ef3ead0892059901a8d5b622f24a1101e90"},
    {file = "certifi-2024.7.4.tar.gz", hash = "sha256:5a1e7645bc0ec61a09e26c36f6106dd4cf40c6db3a1fb6352b0244e7fb057c7b"},
]

[[package]]
name = "colorama"
version = "0.4.6"
description = "Cross-platform colored terminal text."
optional = false
python-versions = "!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*,!=3.5.*,!=3.6.*,>=2.7"
files = [
    {file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:4f1d9991f5acc0ca119f9d443620b77f9d6b33703e51011c16baf57afb285fc6"},
    {file = "colorama-0.4.6.tar.gz", hash = "sha256:08695f5cb7ed6e0531a20572697297273c47b8cae5a63ffc6d6ed5c201be6e44"},
]

[[package]]
name = "requests"
version = "2.32.3"
description = "Python HTTP for Humans."
optional = false
python-versions = ">=3.8"
files = [
    {file = "requests-2.32.3-py3-none-any.whl", hash = "sha256:70761cfe03c773ceb22aa2f671b4757976145175cdfca038c02654d061d6dcc6"},
    {file = "requests-2.32.3.tar.gz", hash = "sha256:55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760"},
]

[package.dependencies]
certifi = ">=2017.4.17"
charset-normalizer = ">=2,<4"
colorama = {version = "*", markers = "platform_system == \"Windows\""}
idna = ">=2.5,<4"
PySocks = {version = ">=1.5.6,<1.5.7 || >1.5.7", optional = true}
urllib3 = [
    {version = ">=1.21.1,<2", markers = "python_version < \"3.10\""},
    {version = ">=1.21.1,<3", markers = "python_version >= \"3.10\""},
]

[package.extras]
socks = ["PySocks (>=1.5.6,!=1.5.7)"]
use-chardet-on-py3 = ["chardet (>=3.0.2,<6)"]

[[package]]
name = "torch"
version = "2.1.0+cpu"
description = "Tensors and Dynamic neural networks in Python with strong GPU acceleration"
optional = false
python-versions = ">=3.8.0"
files = [
    {file = "torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl", hash = "sha256:0e0b5ea8ab2e0a1e4b5e1d3b3a0e53a5d2c8c9f3e4a1b2c3d4e5f60718293a4b"},
    {file = "torch-2.1.0+cpu-cp311-cp311-win_amd64.whl", hash = "sha256:1f1c6fb9ac3f1b2c0e8d7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d"},
]

[package.source]
type = "legacy"
url = "https://download.pytorch.org/whl/cpu"
reference = "pytorch-cpu"

[[package]]
name = "mylib"
version = "0.1.0"
description = ""
optional = false
python-versions = "^3.11"
files = []
develop = true

[package.source]
type = "directory"
url = "../mylib"

[[package]]
name = "pytest"
version = "8.2.2"
description = "pytest: simple powerful testing with Python"
category = "dev"
optional = false
python-versions = ">=3.8"
files = [
    {file = "pytest-8.2.2-py3-none-any.whl", hash = "sha256:c434598117762e2bd304e526244f67bf66bbd7b5d6cf22138be51ff661980343"},
]

[metadata]
lock-version = "2.0"
python-versions = "^3.11"
content-hash = "b8e7d0a5d7e6c5f4b3a2918273645a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5"
)~";

}  // namespace

TEST_CASE("poetry.lock: files without sizes, dependencies, sources") {
  const LockFile lock = parse_poetry_lock(kPoetryLock, "poetry.lock");
  CHECK(lock.kind == InputKind::poetry_lock);
  REQUIRE(lock.packages.size() == 6);

  const LockedPackage& certifi = lock.packages[0];
  CHECK(certifi.name == "certifi");
  REQUIRE(certifi.wheels.size() == 1);
  CHECK(certifi.wheels[0].filename == "certifi-2024.7.4-py3-none-any.whl");
  CHECK_FALSE(certifi.wheels[0].size);  // poetry.lock records no sizes
  CHECK(certifi.wheels[0].url.empty());
  CHECK(certifi.wheels[0].hash.starts_with("sha256:c198e21b"));
  REQUIRE(certifi.sdist);
  CHECK(certifi.sdist->filename == "certifi-2024.7.4.tar.gz");
  CHECK(certifi.source.kind.empty());  // PyPI, which poetry.lock does not name

  const LockedPackage& requests = find(lock, "requests");
  REQUIRE(requests.dependencies.size() == 7);
  // toml++ visits keys in order of their names.
  CHECK(requests.dependencies[0].name == "PySocks");
  CHECK(requests.dependencies[0].for_extra == "socks");
  CHECK(requests.dependencies[1].name == "certifi");
  CHECK(requests.dependencies[1].marker.empty());
  CHECK(requests.dependencies[3].name == "colorama");
  CHECK(requests.dependencies[3].marker == "platform_system == \"Windows\"");
  CHECK(requests.dependencies[5].name == "urllib3");
  CHECK(requests.dependencies[5].marker == "python_version < \"3.10\"");
  CHECK(requests.dependencies[6].marker == "python_version >= \"3.10\"");

  const LockedPackage& torch = find(lock, "torch");
  CHECK(torch.version == "2.1.0+cpu");
  CHECK(torch.wheels.size() == 2);
  CHECK(torch.source.kind == "registry");
  CHECK(torch.source.location == "https://download.pytorch.org/whl/cpu");

  const LockedPackage& mylib = find(lock, "mylib");
  CHECK(mylib.source.kind == "editable");
  CHECK(mylib.source.location == "../mylib");
  CHECK(mylib.wheels.empty());

  CHECK(find(lock, "pytest").groups == std::vector<std::string>{"dev"});
}

TEST_CASE("poetry.lock 2.1: groups and markers per package") {
  const LockFile lock = parse_poetry_lock(
      R"~(# This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.

[[package]]
name = "colorama"
version = "0.4.6"
description = "Cross-platform colored terminal text."
optional = false
python-versions = "!=3.0.*,!=3.1.*,!=3.2.*,!=3.3.*,!=3.4.*,!=3.5.*,!=3.6.*,>=2.7"
groups = ["main", "dev"]
markers = {main = "platform_system == \"Windows\"", dev = "sys_platform == \"win32\""}
files = [
    {file = "colorama-0.4.6-py2.py3-none-any.whl", hash = "sha256:4f1d9991f5acc0ca119f9d443620b77f9d6b33703e51011c16baf57afb285fc6"},
]

[[package]]
name = "pywin32"
version = "308"
description = "Python for Window Extensions"
optional = false
python-versions = "*"
groups = ["main"]
markers = "sys_platform == \"win32\""
files = [
    {file = "pywin32-308-cp312-cp312-win_amd64.whl", hash = "sha256:00b3e11ef09ede56c6a43c71f2d31857cf7c54b0ab6e78ac659497abd2834f47"},
]

[metadata]
lock-version = "2.1"
python-versions = ">=3.12"
content-hash = "0000"
)~",
      "poetry.lock");
  REQUIRE(lock.packages.size() == 2);
  CHECK(lock.packages[0].groups == std::vector<std::string>{"main", "dev"});
  CHECK(lock.packages[0].marker ==
        "(platform_system == \"Windows\") or (sys_platform == \"win32\")");
  CHECK(lock.packages[1].marker == "sys_platform == \"win32\"");
}

TEST_CASE("poetry.lock: errors") {
  const auto parse = [](std::string_view text, const std::string& file) {
    return parse_poetry_lock(text, file);
  };
  CHECK(error_of(parse, "[[package]]\nname = \"a\"\n", "poetry.lock") ==
        "poetry.lock:1:1: package 'a': version is missing");
  CHECK(error_of(parse,
                 "[[package]]\nname = \"a\"\nversion = \"1\"\nfiles = [{hash = \"sha256:0\"}]\n",
                 "poetry.lock") == "poetry.lock:4:10: package 'a': files[0].file is missing");
  CHECK(error_of(parse, "title = \"not a lock\"\n", "poetry.lock") ==
        "poetry.lock: no [[package]] tables and no [metadata]: not a poetry.lock");
}

namespace {

// What `pip install --dry-run --report` writes (pip 23.2.1), trimmed to a few packages of
// each kind: from an index, a direct URL, an sdist with only the legacy hash, an editable
// checkout and a VCS one.
constexpr std::string_view kPipReport = R"~({
  "version": "1",
  "pip_version": "23.2.1",
  "install": [
    {
      "download_info": {
        "url": "https://files.pythonhosted.org/packages/70/8e/0e2d847013cb52cd35b38c009bb167a1a26b2ce6cd6965bf26b47bc0bf44/requests-2.31.0-py3-none-any.whl",
        "archive_info": {
          "hash": "sha256=58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f",
          "hashes": {
            "sha256": "58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f"
          }
        }
      },
      "is_direct": false,
      "requested": true,
      "metadata": {
        "metadata_version": "2.1",
        "name": "requests",
        "version": "2.31.0",
        "requires_dist": [
          "charset-normalizer (<4,>=2)",
          "idna (<4,>=2.5)",
          "urllib3 (<3,>=1.21.1)",
          "certifi (>=2017.4.17)",
          "PySocks (!=1.5.7,>=1.5.6) ; extra == 'socks'"
        ],
        "requires_python": ">=3.7"
      }
    },
    {
      "download_info": {
        "url": "https://files.pythonhosted.org/packages/c2/e7/a82b05cf63a603df6e68d59ae6a68bf5064484a0718ea5033660af4b54a9/idna-3.6-py3-none-any.whl",
        "archive_info": {
          "hashes": {
            "sha256": "c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f"
          }
        }
      },
      "is_direct": false,
      "requested": false,
      "metadata": {"metadata_version": "2.1", "name": "idna", "version": "3.6", "requires_python": ">=3.5"}
    },
    {
      "download_info": {
        "url": "https://files.pythonhosted.org/packages/cd/e5/af35f7ea75cf72f2cd079c95ee16797de7cd71f29ea7c68ae5ce7be1eda0/PyYAML-6.0.1.tar.gz",
        "archive_info": {"hash": "sha256=bfdf460b1736c775f2ba9f6a92bca30bc2095067b8a9d77876d1fad6cc3b4a43"}
      },
      "is_direct": false,
      "requested": true,
      "metadata": {"metadata_version": "2.1", "name": "PyYAML", "version": "6.0.1"}
    },
    {
      "download_info": {
        "url": "https://download.pytorch.org/whl/cpu/torch-2.1.0%2Bcpu-cp311-cp311-linux_x86_64.whl#sha256=aaaa",
        "archive_info": {"hashes": {"sha256": "aaaa"}}
      },
      "is_direct": true,
      "requested": true,
      "metadata": {"metadata_version": "2.1", "name": "torch", "version": "2.1.0+cpu"}
    },
    {
      "download_info": {"url": "file:///home/me/src/webapp", "dir_info": {"editable": true}},
      "is_direct": true,
      "requested": true,
      "metadata": {"metadata_version": "2.1", "name": "webapp", "version": "0.1.0"}
    },
    {
      "download_info": {
        "url": "https://github.com/org/tool.git",
        "vcs_info": {"vcs": "git", "requested_revision": "v0.5", "commit_id": "7f0c1d2e3b4a59687f0c1d2e3b4a59687f0c1d2e"}
      },
      "is_direct": true,
      "requested": true,
      "metadata": {"metadata_version": "2.1", "name": "tool", "version": "0.5.0"}
    }
  ],
  "environment": {
    "implementation_name": "cpython",
    "implementation_version": "3.11.7",
    "os_name": "posix",
    "platform_machine": "x86_64",
    "platform_release": "6.1.0-18-amd64",
    "platform_system": "Linux",
    "platform_version": "#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)",
    "python_full_version": "3.11.7",
    "platform_python_implementation": "CPython",
    "python_version": "3.11",
    "sys_platform": "linux"
  }
})~";

}  // namespace

TEST_CASE("pip report: the files pip chose, requested flags, the environment") {
  const LockFile lock = parse_pip_report(kPipReport, "report.json");
  CHECK(lock.kind == InputKind::pip_report);
  REQUIRE(lock.packages.size() == 6);

  const LockedPackage& requests = lock.packages[0];
  CHECK(requests.name == "requests");
  CHECK(requests.version == "2.31.0");
  CHECK(requests.requested);
  CHECK(requests.source.kind == "registry");
  REQUIRE(requests.wheels.size() == 1);
  CHECK(requests.wheels[0].filename == "requests-2.31.0-py3-none-any.whl");
  CHECK(requests.wheels[0].hash ==
        "sha256:58cd2187c01e70e6e26505bca751777aa9f2ee0b7f4300988b709f44e013003f");
  CHECK_FALSE(requests.wheels[0].size);  // pip's report has no sizes
  REQUIRE(requests.dependencies.size() == 5);
  CHECK(requests.dependencies[0].normalized_name == "charset-normalizer");
  CHECK(requests.dependencies[4].name == "PySocks");
  CHECK(requests.dependencies[4].marker == "extra == \"socks\"");

  CHECK_FALSE(lock.packages[1].requested);
  CHECK(lock.packages[1].wheels[0].hash ==
        "sha256:c05567e9c24a6b9faaa835c4821bad0590fbb9d5779e7caa6e1cc4978e7eb24f");

  const LockedPackage& pyyaml = find(lock, "pyyaml");
  CHECK(pyyaml.name == "PyYAML");
  CHECK(pyyaml.wheels.empty());
  REQUIRE(pyyaml.sdist);
  CHECK(pyyaml.sdist->filename == "PyYAML-6.0.1.tar.gz");
  CHECK(pyyaml.sdist->hash ==
        "sha256:bfdf460b1736c775f2ba9f6a92bca30bc2095067b8a9d77876d1fad6cc3b4a43");

  const LockedPackage& torch = find(lock, "torch");
  CHECK(torch.source.kind == "url");
  REQUIRE(torch.wheels.size() == 1);
  CHECK(torch.wheels[0].filename == "torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl");

  CHECK(find(lock, "webapp").source.kind == "editable");
  CHECK(find(lock, "webapp").source.location == "file:///home/me/src/webapp");
  CHECK(find(lock, "webapp").wheels.empty());
  CHECK(find(lock, "tool").source.kind == "git");

  REQUIRE(lock.environment);
  CHECK(lock.environment->python_version == "3.11");
  CHECK(lock.environment->sys_platform == "linux");
  CHECK(lock.environment->platform_machine == "x86_64");
  CHECK(lock.environment->platform_release == "6.1.0-18-amd64");
}

TEST_CASE("pip report: errors") {
  const auto parse = [](std::string_view text, const std::string& file) {
    return parse_pip_report(text, file);
  };
  const std::string syntax =
      error_of(parse, "{\n  \"install\": [\n    {,\n  ]\n}\n", "report.json");
  CHECK(syntax.starts_with("report.json:3:6: "));
  CHECK(syntax.find("syntax error") != std::string::npos);
  CHECK(error_of(parse, "[]", "report.json") ==
        "report.json: not a pip installation report: expected a JSON object");
  CHECK(error_of(parse, "{\"version\": \"1\"}", "report.json") ==
        "report.json: not a pip installation report: no \"install\" array");
  CHECK(error_of(parse, "{\"version\": \"2\", \"install\": []}", "report.json") ==
        "report.json: unsupported report version '2' (pkgsizer reads version 1)");
  CHECK(error_of(parse, "{\"install\": [{\"metadata\": {\"version\": \"1\"}}]}", "report.json") ==
        "report.json: install[0]: metadata.name is missing");
  CHECK(error_of(parse, "{\"install\": [{\"download_info\": {}}]}", "report.json") ==
        "report.json: install[0]: metadata is missing");
  CHECK(error_of(parse,
                 "{\"install\": [{\"metadata\": {\"name\": \"a\", \"version\": \"1\", "
                 "\"requires_dist\": [\"b >=\"]}}]}",
                 "report.json")
            .starts_with("report.json: install[0] (a): requires_dist: "));
}

TEST_CASE("detecting the kind of input") {
  CHECK(detect_input_kind("uv.lock", "") == InputKind::uv_lock);
  CHECK(detect_input_kind("project/poetry.lock", "") == InputKind::poetry_lock);
  CHECK(detect_input_kind("pylock.toml", "") == InputKind::pylock_toml);
  CHECK(detect_input_kind("deploy/pylock.prod.toml", "") == InputKind::pylock_toml);
  CHECK(detect_input_kind("pylock.a.b.toml", "") ==
        InputKind::requirements_txt);  // PEP 751: no dots in NAME
  CHECK(detect_input_kind("report.json", "") == InputKind::pip_report);
  CHECK(detect_input_kind("requirements.txt", "requests\n") == InputKind::requirements_txt);
  CHECK(detect_input_kind("requirements/dev.in", "-r base.txt\n") == InputKind::requirements_txt);
  // Content decides when the name does not.
  CHECK(detect_input_kind("locked", kUvLock) == InputKind::uv_lock);
  CHECK(detect_input_kind("locked", kPylock) == InputKind::pylock_toml);
  CHECK(detect_input_kind("locked", kPoetryLock) == InputKind::poetry_lock);
  CHECK(detect_input_kind("-", kPipReport) == InputKind::pip_report);
  CHECK(detect_input_kind("-", "flask>=3\n") == InputKind::requirements_txt);

  CHECK(input_kind_name(InputKind::uv_lock) == "uv.lock");
  CHECK(input_kind_name(InputKind::pip_report) == "pip report");
}

TEST_CASE("parse_lock_file dispatches by kind") {
  CHECK(parse_lock_file(InputKind::uv_lock, kUvLock, "uv.lock").packages.size() == 7);
  CHECK(parse_lock_file(InputKind::pylock_toml, kPylock, "pylock.toml").packages.size() == 8);
  CHECK(parse_lock_file(InputKind::poetry_lock, kPoetryLock, "poetry.lock").packages.size() == 6);
  CHECK(parse_lock_file(InputKind::pip_report, kPipReport, "r.json").packages.size() == 6);
  CHECK_THROWS_AS(parse_lock_file(InputKind::requirements_txt, "x", "r.txt"),
                  std::invalid_argument);
}

TEST_CASE("file names from URLs") {
  CHECK(filename_from_url(
            "https://files.pythonhosted.org/packages/ab/cd/six-1.16.0-py2.py3-none-any.whl") ==
        "six-1.16.0-py2.py3-none-any.whl");
  CHECK(filename_from_url("https://h/torch-2.1.0%2Bcpu-cp311-cp311-linux_x86_64.whl#sha256=abc") ==
        "torch-2.1.0+cpu-cp311-cp311-linux_x86_64.whl");
  CHECK(filename_from_url("https://h/x-1.0.tar.gz?token=1") == "x-1.0.tar.gz");
  CHECK(filename_from_url("x-1.0.tar.gz") == "x-1.0.tar.gz");
  CHECK(filename_from_url("https://h/bad%zz") == "bad%zz");
}

TEST_CASE("pip report: a number beyond a double's range is a LockFileError") {
  // nlohmann reports 1e400 as out_of_range, not parse_error; it escaped as exit code 10.
  CHECK(error_of(parse_pip_report, R"({"version": "1", "install": [], "x": 1e400})",
                 "report.json") == "report.json: not JSON: a number out of range");
}
