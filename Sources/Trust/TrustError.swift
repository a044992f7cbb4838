import Core

public enum TrustError: DomainError, Equatable {
    case itemNotFound(String)
    case purposeNotFound(String)
    case noticeOutdated(current: String)

    public var code: String {
        switch self {
        case .itemNotFound, .purposeNotFound: "not_found"
        case .noticeOutdated: "notice_outdated"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .itemNotFound, .purposeNotFound: .notFound
        case .noticeOutdated: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .itemNotFound(id): "Inbox item \(id) was not found"
        case let .purposeNotFound(name): "There is no consent purpose \(name)"
        case let .noticeOutdated(current): "The privacy notice changed; read version \(current) and answer again"
        }
    }

    public var fieldErrors: [FieldError] {
        if case .noticeOutdated = self { return [FieldError(field: "notice_version", message: "is not the current version")] }
        return []
    }
}
