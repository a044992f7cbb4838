extension Database {
    /// Copies every committed page from the WAL into the database file and truncates the WAL, so deleted content
    /// (erasure, API.md §24) is no longer in the WAL; with `secure_delete` on the writer, freed pages are zeroed too
    /// (https://sqlite.org/pragma.html#pragma_wal_checkpoint, #pragma_secure_delete). A reader still holding an old
    /// snapshot can keep frames alive, as can a copy of the background checkpointer (``WALCheckpointer``); both are
    /// short, so the checkpoint is retried a few times.
    /// PostgreSQL: nothing to do here; its WAL is recycled by its own checkpoints and VACUUM reclaims dead rows.
    public func checkpoint() async throws {
        guard let sqlite else { return }
        let checkpointer = sqlite.checkpointer
        for attempt in 0..<5 {
            await checkpointer.drain()
            let busy = try await sqlite.writer.run { connection -> Bool in
                if checkpointer.isCopying { return true }
                let rows = try connection.query("PRAGMA wal_checkpoint(TRUNCATE)")
                // The first column is 1 when a reader kept the checkpoint from finishing.
                if case .integer(let blocked)? = rows.first?[0] { return blocked != 0 }
                return false
            }
            if !busy { return }
            try await Task.sleep(for: .milliseconds(20 * (attempt + 1)))
        }
    }
}
