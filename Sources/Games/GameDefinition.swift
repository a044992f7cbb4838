import Core

/// The three kinds of mini-game (API.md §8).
public enum GameKind: String, Sendable, CaseIterable {
    case wheel, scratch, pet
}

/// One entry of a wheel or scratch card, in file order.
public struct Prize: Sendable, Equatable {
    /// What the player sees and what `basar games verify` prints; unique within its game.
    public var label: String
    /// The integer weight; the chance is weight ÷ total weight of the prizes still in the draw.
    public var weight: Int64
    /// The campaign (by its stable `key`) whose coupons this prize hands out; `nil` for "try again".
    public var campaignKey: String?

    public init(label: String, weight: Int64, campaignKey: String?) {
        self.label = label
        self.weight = weight
        self.campaignKey = campaignKey
    }
}

/// What one pet action costs and earns.
public struct PetAction: Sendable, Equatable {
    public var energy: Int64
    public var xp: Int64

    public init(energy: Int64, xp: Int64) {
        self.energy = energy
        self.xp = xp
    }
}

/// The rules of a pet game: energy that refills with time, actions, and levels that get harder.
public struct PetRules: Sendable, Equatable {
    public static let actionNames = ["feed", "play"]

    public var maxEnergy: Int64
    /// Seconds for one point of energy to come back.
    public var energyRefillSeconds: Int64
    /// `feed` and `play`.
    public var actions: [String: PetAction]
    /// Total XP needed to reach level 2, 3, …; the gaps between them grow, and beyond the list they keep growing by
    /// the list's last increase.
    public var levelThresholds: [Int64]
    /// The campaign whose coupon each level reached awards.
    public var levelCampaignKey: String

    public init(
        maxEnergy: Int64, energyRefillSeconds: Int64, actions: [String: PetAction], levelThresholds: [Int64],
        levelCampaignKey: String
    ) {
        self.maxEnergy = maxEnergy
        self.energyRefillSeconds = energyRefillSeconds
        self.actions = actions
        self.levelThresholds = levelThresholds
        self.levelCampaignKey = levelCampaignKey
    }
}

/// A game as defined by one file in `Content/games/`.
public struct GameDefinition: Sendable, Equatable {
    /// `game_…`, stable across releases.
    public var id: String
    public var kind: GameKind
    public var title: String
    public var description: String
    /// Plays per account per day in the deployment's time zone (wheel and scratch); `nil` for pets.
    public var dailyLimit: Int64?
    /// Wheel and scratch prizes in file order; empty for pets.
    public var prizes: [Prize]
    /// Pet rules; `nil` for wheel and scratch.
    public var pet: PetRules?
    /// The file it came from, for messages.
    public var file: String
    /// An experiment whose variants draw from their own prize tables; `nil` when the game names none.
    public var experiment: PrizeExperiment?

    public init(
        id: String, kind: GameKind, title: String, description: String, dailyLimit: Int64?, prizes: [Prize],
        pet: PetRules?, file: String, experiment: PrizeExperiment? = nil
    ) {
        self.id = id
        self.kind = kind
        self.title = title
        self.description = description
        self.dailyLimit = dailyLimit
        self.prizes = prizes
        self.pet = pet
        self.file = file
        self.experiment = experiment
    }

    /// Whether the game is played by drawing a prize (wheel, scratch) rather than raised (pet).
    public var isDraw: Bool { kind != .pet }
}
