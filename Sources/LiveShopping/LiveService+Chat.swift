import Accounts
import Core
import Foundation
import Storage

extension LiveService {
    /// Checks what a chat message needs before the body is read: the session exists and the caller is not muted.
    /// - Throws: `404`, `403` (muted).
    public func checkChat(sessionID: String, by caller: Principal) async throws {
        try await database.read { db in
            _ = try LiveStore.requireSession(sessionID, in: db)
            if try LiveStore.isMuted(caller.accountID, in: sessionID, db: db) { throw LiveError.muted }
        }
    }

    /// Posts a chat message: at most one per second per account.
    /// - Returns: the message.
    /// - Throws: `404`, `403` (muted), `409 invalid_state` (not live), `429 rate_limited`.
    public func postMessage(sessionID: String, by caller: Principal, text: String) async throws -> ChatMessage {
        let status = try await database.read { db in try LiveStore.requireSession(sessionID, in: db).status }
        guard status == .live else { throw LiveError.invalidState("Chat needs a live session; \(sessionID) is \(status.rawValue)") }
        let claim = try await chatLimit.take(caller.accountID, now: clock.now().timeIntervalSince1970)
        let now = self.now
        let id = ids.next("msg")
        let renderer = self.renderer
        do {
            let message = try await database.write { db -> ChatMessage in
                let s = try LiveStore.requireSession(sessionID, in: db)
                guard s.status == .live else { throw LiveError.invalidState("Chat needs a live session; \(sessionID) is \(s.status.rawValue)") }
                if try LiveStore.isMuted(caller.accountID, in: sessionID, db: db) { throw LiveError.muted }
                try LiveStore.insertMessage(id: id, sessionID: sessionID, accountID: caller.accountID, text: text, now: now, in: db)
                guard let message = try LiveStore.message(id, in: db) else { throw LiveError.messageNotFound(id) }
                try LiveStore.append(LiveEventName.messageCreated, renderer.json(message), session: sessionID, now: now, in: db)
                return message
            }
            hub.notify(sessionID)
            return message
        } catch {
            // A message that was not posted does not use up the second.
            await chatLimit.giveBack(claim)
            throw error
        }
    }

    /// Deletes a message (the host moderates); it still counts in the stats.
    /// - Throws: `404` (session, or a message not in it), `403` (not its host).
    public func deleteMessage(sessionID: String, messageID: String, by caller: Principal) async throws {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard try LiveStore.markMessageDeleted(messageID, session: sessionID, now: now, in: db) else {
                throw LiveError.messageNotFound(messageID)
            }
            try LiveStore.append(
                LiveEventName.messageDeleted, ["message_id": .string(messageID)], session: sessionID, now: now, in: db
            )
        }
        hub.notify(sessionID)
    }

    /// Checks the session and its host before the body of a host action is read.
    /// - Throws: `404`, `403`.
    public func checkHost(sessionID: String, by caller: Principal) async throws {
        try await database.read { db in
            try Self.requireHost(try LiveStore.requireSession(sessionID, in: db), caller)
        }
    }

    /// Mutes an account in a session for the rest of the session.
    /// - Throws: `404` (session or account), `403` (not its host).
    public func mute(sessionID: String, accountID: String, by caller: Principal) async throws {
        let now = self.now
        try await database.write { db in
            let s = try LiveStore.requireSession(sessionID, in: db)
            try Self.requireHost(s, caller)
            guard try AccountService.exists(accountID, in: db) else { throw LiveError.accountNotFound(accountID) }
            try LiveStore.mute(accountID, in: sessionID, now: now, db: db)
        }
    }

    // MARK: - Likes

    /// Adds likes. They are counted in memory and saved by the timer, and `likes` events are coalesced to at most
    /// two a second, so a storm of taps costs neither a write nor a fan-out each.
    /// - Returns: the session's like count including these.
    /// - Throws: `404`, `409 invalid_state` (not live).
    /// - Parameter count: reads the number of likes from the body; called after the session was found, so that an
    ///   unknown session is a `404` before a bad body is a `400` (API.md §12).
    public func like(sessionID: String, count readCount: @Sendable () throws -> Int64) async throws -> Int64 {
        let (status, stored) = try await database.read { db in
            let s = try LiveStore.requireSession(sessionID, in: db)
            return (s.status, s.likeCount)
        }
        let count = try readCount()
        guard status == .live else { throw LiveError.invalidState("Likes need a live session; \(sessionID) is \(status.rawValue)") }
        return likes.withLock { counters in
            // The stored count is used only the first time: later the memory total is ahead of the database.
            var counter = counters[sessionID] ?? LikeCounter(total: stored)
            counter.total += count
            counter.unsaved += count
            counter.changed = true
            counters[sessionID] = counter
            return counter.total
        }
    }
}
