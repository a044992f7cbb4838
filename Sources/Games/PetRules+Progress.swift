/// A pet as the API shows it (API.md §8).
public struct PetState: Sendable, Equatable {
    /// Starts at 1.
    public var level: Int64
    /// Total experience earned so far.
    public var xp: Int64
    /// Experience still missing to reach the next level.
    public var xpToNextLevel: Int64
    public var energy: Int64
    public var maxEnergy: Int64
    /// When energy will be full again (epoch seconds); `nil` when it is full.
    public var energyRefillAt: Int64?
}

/// What is stored per account and pet: energy as of `energyAt`, refilled lazily when read.
public struct StoredPet: Sendable, Equatable {
    public var level: Int64
    public var xp: Int64
    public var energy: Int64
    /// The moment `energy` was exact; while not full, partial progress towards the next point counts from here.
    public var energyAt: Int64

    public init(level: Int64, xp: Int64, energy: Int64, energyAt: Int64) {
        self.level = level
        self.xp = xp
        self.energy = energy
        self.energyAt = energyAt
    }
}

// Pure rules: no I/O, time passed in as epoch seconds.
extension PetRules {
    /// A new pet: level 1, no XP, full energy.
    public func newPet(at now: Int64) -> StoredPet {
        StoredPet(level: 1, xp: 0, energy: maxEnergy, energyAt: now)
    }

    /// Total XP needed to reach `level` (≥ 2). Beyond the file's list the gap keeps growing by the last increase.
    public func threshold(toReach level: Int64) -> Int64 {
        let index = Int(level - 2)
        if index < levelThresholds.count { return levelThresholds[max(0, index)] }
        let count = levelThresholds.count
        var total = levelThresholds[count - 1]
        var gap = total - levelThresholds[count - 2]
        let step = gap - (count >= 3 ? levelThresholds[count - 2] - levelThresholds[count - 3] : levelThresholds[0])
        for _ in count...index {
            gap += max(1, step)
            total += gap
        }
        return total
    }

    /// The level a pet with `xp` total experience has.
    public func level(forXP xp: Int64) -> Int64 {
        var level: Int64 = 1
        // Thresholds grow at least linearly, so this ends after O(√xp) steps.
        while xp >= threshold(toReach: level + 1) { level += 1 }
        return level
    }

    /// The pet's energy at `now` and the moment from which the next point is counted.
    public func refilled(_ pet: StoredPet, at now: Int64) -> StoredPet {
        var result = pet
        guard pet.energy < maxEnergy else {
            // Full energy does not keep counting: refill starts when energy is next spent.
            result.energyAt = now
            return result
        }
        let points = max(0, now - pet.energyAt) / energyRefillSeconds
        if pet.energy + points >= maxEnergy {
            result.energy = maxEnergy
            result.energyAt = now
        } else {
            result.energy = pet.energy + points
            result.energyAt = pet.energyAt + points * energyRefillSeconds
        }
        return result
    }

    /// The state shown to the player at `now`.
    public func state(of pet: StoredPet, at now: Int64) -> PetState {
        let current = refilled(pet, at: now)
        let refillAt = current.energy < maxEnergy
            ? current.energyAt + (maxEnergy - current.energy) * energyRefillSeconds
            : nil
        return PetState(
            level: current.level, xp: current.xp, xpToNextLevel: threshold(toReach: current.level + 1) - current.xp,
            energy: current.energy, maxEnergy: maxEnergy, energyRefillAt: refillAt
        )
    }
}
