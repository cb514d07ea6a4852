#include <sqlite3.h>

/// SQLITE_TRANSIENT is a function-pointer macro Swift cannot import: binding text and
/// blobs with it makes SQLite copy the bytes before the call returns.
static inline int icelab_sqlite3_bind_text_transient(sqlite3_stmt *statement, int index, const char *text, int length) {
    return sqlite3_bind_text(statement, index, text, length, SQLITE_TRANSIENT);
}
