#include "store/history_location.hpp"

#include <catch2/catch.hpp>

using pkgsizer::store::is_postgres_url;
using pkgsizer::store::printable_location;
using pkgsizer::store::without_secrets;

TEST_CASE("is_postgres_url: the two schemes libpq accepts, nothing else") {
  CHECK(is_postgres_url("postgresql://ci@db/pkgsizer"));
  CHECK(is_postgres_url("postgres://db/pkgsizer"));
  CHECK(is_postgres_url("postgresql://"));
  CHECK_FALSE(is_postgres_url("/home/me/history.sqlite3"));
  CHECK_FALSE(is_postgres_url("postgresql:/db"));
  CHECK_FALSE(is_postgres_url("mysql://db"));
  CHECK_FALSE(is_postgres_url("./postgresql://x"));
}

TEST_CASE("printable_location: a URL without its password") {
  CHECK(printable_location("postgresql://ci:s3cret@db.example:5432/pkgsizer") ==
        "postgresql://ci@db.example:5432/pkgsizer");
  CHECK(printable_location("postgres://ci@db/x") == "postgres://ci@db/x");
  CHECK(printable_location("postgresql://db/x?sslmode=require&password=s3cret") ==
        "postgresql://db/x?sslmode=require");
  CHECK(printable_location("postgresql://db/x?password=s3cret&sslmode=require") ==
        "postgresql://db/x?sslmode=require");
  CHECK(printable_location("postgresql://db/x?password=s3cret") == "postgresql://db/x");
  CHECK(printable_location("postgresql://ci:p%40ss@db/x") == "postgresql://ci@db/x");
  CHECK(printable_location("postgresql://[::1]:5432/x") == "postgresql://[::1]:5432/x");
  CHECK(printable_location("postgresql://") == "postgresql://");
  CHECK(printable_location("/tmp/a:b@c/history.sqlite3") == "/tmp/a:b@c/history.sqlite3");
}

TEST_CASE("without_secrets: libpq's message quoting the URL loses the password") {
  const std::string url = "postgresql://ci:s3cret-pw@[bad";
  CHECK(without_secrets("missing \"]\" in URI: \"" + url + "\"", url) ==
        "missing \"]\" in URI: \"postgresql://ci@[bad\"");
  CHECK(without_secrets("the password s3cret-pw again", url) == "the password **** again");
  CHECK(without_secrets("nothing to hide", "postgresql://db/x") == "nothing to hide");
  CHECK(without_secrets("x marks", "postgresql://ci:x@db/x") == "x marks");
  CHECK(without_secrets("bad value q-s3cret", "postgresql://db/x?password=q-s3cret") ==
        "bad value ****");
}
