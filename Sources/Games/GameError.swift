import Core

/// Why a game request cannot be done (codes of API.md §1).
public enum GameError: DomainError, Equatable {
    case gameNotFound(String)
    case dailyLimitReached(limit: Int64)
    /// Plays on a pet, or pet state and actions on a wheel or scratch card.
    case wrongKind(gameID: String, kind: GameKind)
    case notEnoughEnergy(needed: Int64, available: Int64)
    /// Every prize of the game is out of the draw.
    case nothingToWin(String)

    public var code: String {
        switch self {
        case .gameNotFound: "not_found"
        case .dailyLimitReached: "daily_limit_reached"
        case .wrongKind: "invalid_state"
        case .notEnoughEnergy: "not_enough_energy"
        case .nothingToWin: "sold_out"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .gameNotFound: .notFound
        case .dailyLimitReached, .wrongKind, .notEnoughEnergy, .nothingToWin: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .gameNotFound(id): "Game \(id) was not found"
        case let .dailyLimitReached(limit): "You have played \(limit) times today; come back tomorrow"
        case let .wrongKind(id, kind):
            kind == .pet ? "Game \(id) is a pet: feed and play with it instead" : "Game \(id) is a \(kind.rawValue), not a pet"
        case let .notEnoughEnergy(needed, available): "This needs \(needed) energy and \(available) is left"
        case let .nothingToWin(id): "No prize of game \(id) is left to win"
        }
    }
}
