import Core
import Storage

/// A delivery address of an account (API.md §15).
public struct Address: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var name: String
    public var line1: String
    public var line2: String?
    public var postalCode: String
    public var city: String
    /// ISO 3166-1 alpha-2, upper case.
    public var country: String
    public var createdAt: Int64

    public init(
        id: String, accountID: String, name: String, line1: String, line2: String?, postalCode: String, city: String,
        country: String, createdAt: Int64
    ) {
        (self.id, self.accountID, self.name, self.line1, self.line2) = (id, accountID, name, line1, line2)
        (self.postalCode, self.city, self.country, self.createdAt) = (postalCode, city, country, createdAt)
    }
}

/// What a customer types; the route validates lengths, the service the rest.
public struct AddressDraft: Sendable, Equatable {
    public var name: String
    public var line1: String
    public var line2: String?
    public var postalCode: String
    public var city: String
    public var country: String

    public init(name: String, line1: String, line2: String?, postalCode: String, city: String, country: String) {
        (self.name, self.line1, self.line2, self.postalCode, self.city, self.country) =
            (name, line1, line2, postalCode, city, country)
    }
}

public enum AddressError: DomainError, Equatable {
    case notFound(String, field: String?)
    case limitReached

    public var code: String {
        switch self {
        case .notFound: "not_found"
        case .limitReached: "limit_reached"
        }
    }

    public var kind: ErrorKind {
        switch self {
        case .notFound: .notFound
        case .limitReached: .conflict
        }
    }

    public var detail: String {
        switch self {
        case let .notFound(id, _): "Address \(id) was not found"
        case .limitReached: "An account keeps at most \(AddressService.maxPerAccount) addresses; delete one first"
        }
    }

    public var fieldErrors: [FieldError] {
        if case let .notFound(_, field?) = self { return [FieldError(field: field, message: "does not exist")] }
        return []
    }
}

/// Addresses per account: at most 20, newest first, deleted for good (orders keep their own copy).
public final class AddressService: Sendable {
    public static let maxPerAccount: Int64 = 20

    private let database: Database
    private let clock: any WallClock
    private let ids: IDGenerator

    public init(database: Database, clock: any WallClock, ids: IDGenerator) {
        self.database = database
        self.clock = clock
        self.ids = ids
    }

    /// - Throws: `400` naming `country` when it is not two letters, `409 limit_reached` for the 21st.
    public func create(_ draft: AddressDraft, for accountID: String) async throws -> Address {
        let country = draft.country.uppercased()
        guard country.utf8.count == 2, country.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
            throw Failure.invalid("country", "must be an ISO 3166-1 alpha-2 code such as DE")
        }
        let address = Address(
            id: ids.next("adr"), accountID: accountID, name: draft.name, line1: draft.line1, line2: draft.line2,
            postalCode: draft.postalCode, city: draft.city, country: country, createdAt: clock.now().epochSeconds
        )
        try await database.write { db in try AddressStore.insert(address, limit: Self.maxPerAccount, in: db) }
        return address
    }

    public func addresses(of accountID: String) async throws -> [Address] {
        try await database.read { db in try AddressStore.addresses(of: accountID, in: db) }
    }

    /// - Throws: `404` for an address that is not the caller's.
    public func delete(_ id: String, of accountID: String) async throws {
        try await database.write { db in
            guard try AddressStore.delete(id, of: accountID, in: db) else { throw AddressError.notFound(id, field: nil) }
        }
    }

    /// Every address of an account (its data export).
    public static func addresses(of accountID: String, in db: any Transaction) throws -> [Address] {
        try AddressStore.addresses(of: accountID, in: db)
    }

    /// The caller's address inside a checkout. - Throws: `404` naming `address_id`.
    public static func address(_ id: String, of accountID: String, in db: any Transaction) throws -> Address {
        guard let address = try AddressStore.address(id, in: db), address.accountID == accountID else {
            throw AddressError.notFound(id, field: "address_id")
        }
        return address
    }
}
