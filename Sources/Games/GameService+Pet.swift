import Core
import Coupons
import Storage

/// The answer to a pet action: the new state and the coupon a level reached awarded, if any.
public struct PetActionResult: Sendable {
    public var state: PetState
    public var coupon: Coupon?
}

extension GameService {
    /// The caller's pet at the clock's now; a pet never touched starts at level 1 with full energy.
    ///
    /// - Throws: `404` unknown game, `409 invalid_state` for a wheel or scratch card.
    public func petState(gameID: String, accountID: String) async throws -> PetState {
        let rules = try petRules(gameID)
        let now = self.now
        return try await database.read { db in
            let pet = try GameStore.pet(accountID, gameID, in: db) ?? rules.newPet(at: now)
            return rules.state(of: pet, at: now)
        }
    }

    /// Feeds or plays with the caller's pet in one transaction: spends energy, adds XP and, for each level reached,
    /// issues one coupon of the level campaign (none when that campaign cannot issue to the caller; the level counts
    /// anyway).
    ///
    /// - Parameter action: `feed` or `play` (the route validated it).
    /// - Throws: `404` unknown game, `409 invalid_state` for a wheel or scratch card, `409 not_enough_energy`.
    public func act(_ action: String, gameID: String, accountID: String) async throws -> PetActionResult {
        let rules = try petRules(gameID)
        guard let cost = rules.actions[action] else { throw Failure.invalid("action", "must be one of feed, play") }
        let now = self.now
        let ids = self.ids
        return try await database.write { db in
            // Read, spend and save stay one step: on PostgreSQL the account's row orders concurrent actions.
            try db.lockOwner(in: "accounts", key: accountID)
            var pet = rules.refilled(try GameStore.pet(accountID, gameID, in: db) ?? rules.newPet(at: now), at: now)
            guard pet.energy >= cost.energy else {
                throw GameError.notEnoughEnergy(needed: cost.energy, available: pet.energy)
            }
            pet.energy -= cost.energy
            pet.xp += cost.xp
            let reached = rules.level(forXP: pet.xp)
            var coupon: Coupon?
            if reached > pet.level {
                for _ in pet.level..<reached {
                    coupon = try Self.issueIfPossible(
                        key: rules.levelCampaignKey, to: accountID, couponID: ids.next("cpn"), now: now, in: db
                    ) ?? coupon
                }
                pet.level = reached
            }
            try GameStore.save(pet, accountID, gameID, now: now, in: db)
            try GameStore.insertPetAction(
                action, cost, levelAfter: pet.level, couponID: coupon?.id, accountID, gameID, now: now, in: db
            )
            return PetActionResult(state: rules.state(of: pet, at: now), coupon: coupon)
        }
    }

    func petRules(_ gameID: String) throws -> PetRules {
        let game = try game(gameID)
        guard let rules = game.pet else { throw GameError.wrongKind(gameID: gameID, kind: game.kind) }
        return rules
    }
}
