// libpq, loaded on first use. Only a history at a postgresql:// URL talks to PostgreSQL, yet an
// executable linked with libpq makes every command load it and the ~24 libraries it needs (TLS,
// Kerberos, LDAP) at start-up (as libcurl, predict/curl_api.hpp). So the executable does not
// link libpq: the first PostgreSQL history dlopen()s it.
#pragma once

#include <libpq-fe.h>

namespace pkgsizer::store {

// The libpq functions pkgsizer calls, with their own signatures (from libpq-fe.h).
struct LibpqApi {
  decltype(&::PQconnectdbParams) connectdb_params;
  decltype(&::PQstatus) status;
  decltype(&::PQerrorMessage) error_message;
  decltype(&::PQfinish) finish;
  decltype(&::PQexecParams) exec_params;
  decltype(&::PQresultStatus) result_status;
  decltype(&::PQresultErrorMessage) result_error_message;
  decltype(&::PQresultErrorField) result_error_field;
  decltype(&::PQntuples) ntuples;
  decltype(&::PQgetvalue) getvalue;
  decltype(&::PQgetlength) getlength;
  decltype(&::PQgetisnull) getisnull;
  decltype(&::PQcmdTuples) cmd_tuples;
  decltype(&::PQclear) clear;
  decltype(&::PQsetNoticeProcessor) set_notice_processor;
};

// Loads libpq once (thread-safe) and returns its functions. Throws pkgsizer::Error (kStore),
// naming the library, when it is missing or lacks a function.
const LibpqApi& libpq();

}  // namespace pkgsizer::store
