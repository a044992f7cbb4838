#if PostgreSQL
import CLibPQ

/// libpq's pipeline mode where it pays: every transaction opens with commands whose answers nobody waits for (a
/// read's BEGIN, a write's BEGIN and its lock), and a read ends with a COMMIT whose answer nobody needs. Sent in one
/// pipeline with the first statement, and the read's COMMIT read by the connection's next user, a one-statement
/// read costs one round trip instead of three, and a write holds the cluster's write lock one round trip less.
///
/// Part of a ``PostgresConnection``, on its queue; the connection's blocking mode is fine for these few small
/// commands, which fit the socket's buffers.
struct PostgresPipeline {
    /// Commands that open the transaction, sent with its first statement.
    var pendingBegin: [String] = []
    /// Pipelines sent whose answers are still unread.
    private var unreadSyncs = 0
    /// A pipeline could not be sent whole: what the server got is unknown, so the connection is reset
    /// (``PostgresConnection/recoverIfBroken()``), never read on.
    private(set) var broken = false

    /// Sends `commands` as one pipeline without reading their answers (``drain(_:)`` reads them).
    mutating func send(_ commands: [String], on handle: OpaquePointer) throws {
        guard enter(commands, on: handle), PQpipelineSync(handle) == 1 else { throw fail(handle, sql: commands.last) }
        unreadSyncs += 1
    }

    /// Reads the answers of pipelines sent earlier and leaves pipeline mode; the first failure among them is thrown.
    mutating func drain(_ handle: OpaquePointer) throws {
        guard unreadSyncs > 0, !broken else { return }
        var failure: SQLiteError?
        while unreadSyncs > 0 {
            let answers = readToSync(handle, sql: nil)
            PQclear(answers.last)
            failure = failure ?? answers.failure
            // A broken connection has nothing more to read.
            unreadSyncs = answers.reachedSync ? unreadSyncs - 1 : 0
        }
        PQexitPipelineMode(handle)
        if let failure { throw failure }
    }

    /// The pending BEGIN commands, a PREPARE if `sql` is new, and the prepared statement `name`, in one pipeline.
    /// - Returns: the statement's result; a failure of any of them is thrown once the pipeline was read.
    mutating func run(
        _ name: String, prepare sql: String?, _ values: [[CChar]?], _ lengths: [Int32], _ formats: [Int32],
        on handle: OpaquePointer
    ) throws -> OpaquePointer? {
        let begin = pendingBegin
        pendingBegin = []
        var sent = enter(begin, on: handle)
        if let sql, sent { sent = PQsendPrepare(handle, name, PostgresSQL.placeholders(sql), 0, nil) == 1 }
        if sent {
            sent = withCStrings(values) { pointers in
                PQsendQueryPrepared(handle, name, Int32(values.count), pointers, lengths, formats, 0) == 1
            }
        }
        guard sent, PQpipelineSync(handle) == 1 else { throw fail(handle, sql: sql) }
        // The statement's result is the last one before the sync.
        let answers = readToSync(handle, sql: sql)
        PQexitPipelineMode(handle)
        guard let last = answers.last, answers.failure == nil else {
            PQclear(answers.last)
            throw answers.failure ?? PostgresSQL.error(result: nil, connection: handle, sql: sql)
        }
        return last
    }

    /// Enters pipeline mode and sends `commands`, which take no parameters. - Returns: whether all were sent.
    private func enter(_ commands: [String], on handle: OpaquePointer) -> Bool {
        var sent = PQenterPipelineMode(handle) == 1
        for command in commands where sent { sent = PQsendQueryParams(handle, command, 0, nil, nil, nil, nil, 0) == 1 }
        return sent
    }

    /// Reads one pipeline's answers up to its sync (each command answers with its result and a null).
    /// - Returns: the last result before the sync, the caller's to clear; the first failure; and whether the sync
    ///   came (a broken connection ends the reading without one).
    private func readToSync(
        _ handle: OpaquePointer, sql: String?
    ) -> (last: OpaquePointer?, failure: SQLiteError?, reachedSync: Bool) {
        var last: OpaquePointer?
        var failure: SQLiteError?
        while true {
            guard let result = PQgetResult(handle) else {
                if PQstatus(handle) != CONNECTION_OK { return (last, failure, false) }
                continue
            }
            if PQresultStatus(result) == PGRES_PIPELINE_SYNC {
                PQclear(result)
                return (last, failure, true)
            }
            if PQresultStatus(result) == PGRES_FATAL_ERROR, failure == nil {
                failure = PostgresSQL.error(result: result, connection: handle, sql: sql)
            }
            PQclear(last)
            last = result
        }
    }

    private mutating func fail(_ handle: OpaquePointer, sql: String?) -> SQLiteError {
        broken = true
        return PostgresSQL.error(result: nil, connection: handle, sql: sql)
    }
}
#endif
