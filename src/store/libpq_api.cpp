#include "store/libpq_api.hpp"

#include <fmt/format.h>

#include "util/error.hpp"
#include "util/shared_library.hpp"

#ifndef PKGSIZER_LIBPQ_SONAME
#define PKGSIZER_LIBPQ_SONAME "libpq.so.5"
#endif

namespace pkgsizer::store {
namespace {

LibpqApi load_libpq() {
  const SharedLibrary loader(PKGSIZER_LIBPQ_SONAME, "libpq, needed for a PostgreSQL history",
                             ErrorCategory::kStore);
  LibpqApi api{};
  loader.load(api.connectdb_params, "PQconnectdbParams");
  loader.load(api.status, "PQstatus");
  loader.load(api.error_message, "PQerrorMessage");
  loader.load(api.finish, "PQfinish");
  loader.load(api.exec_params, "PQexecParams");
  loader.load(api.result_status, "PQresultStatus");
  loader.load(api.result_error_message, "PQresultErrorMessage");
  loader.load(api.result_error_field, "PQresultErrorField");
  loader.load(api.ntuples, "PQntuples");
  loader.load(api.getvalue, "PQgetvalue");
  loader.load(api.getlength, "PQgetlength");
  loader.load(api.getisnull, "PQgetisnull");
  loader.load(api.cmd_tuples, "PQcmdTuples");
  loader.load(api.clear, "PQclear");
  loader.load(api.set_notice_processor, "PQsetNoticeProcessor");
  return api;
}

}  // namespace

const LibpqApi& libpq() {
  static const LibpqApi api = load_libpq();  // a failed load throws, and is tried again next time
  return api;
}

}  // namespace pkgsizer::store
