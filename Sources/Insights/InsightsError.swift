import Core

/// The errors of experiments, recommendations and attribution (API.md §21, §24).
public enum InsightsError: DomainError, Equatable {
    case experimentNotFound(String)
    case keyTaken(String)
    case alreadyStopped(String)

    public var code: String {
        switch self {
        case .experimentNotFound: "not_found"
        case .keyTaken: "key_taken"
        case .alreadyStopped: "invalid_state"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .experimentNotFound: .notFound
        case .keyTaken, .alreadyStopped: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .experimentNotFound(key): "Experiment \(key) was not found"
        case let .keyTaken(key): "An experiment with the key \(key) already exists"
        case let .alreadyStopped(key): "Experiment \(key) is already stopped"
        }
    }

    public var fieldErrors: [FieldError] {
        if case .keyTaken = self { return [FieldError(field: "key", message: "is taken")] }
        return []
    }
}
