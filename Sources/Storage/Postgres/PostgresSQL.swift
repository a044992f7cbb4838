/// What the PostgreSQL engine does to the stores' SQL and values: pure functions, tested without a server.
public enum PostgresSQL {
    /// Rewrites SQLite's `?` parameters to PostgreSQL's `$1, $2, …`, leaving quoted text, quoted identifiers and
    /// comments alone. `??` never occurs in Basar's SQL; PostgreSQL's own `?` operators (jsonb) are not used.
    public static func placeholders(_ sql: String) -> String {
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var index = 0
        var quote: Character?
        var lineComment = false
        var previous: Character = " "
        for character in sql {
            defer { previous = character }
            if lineComment {
                if character == "\n" { lineComment = false }
                out.append(character)
                continue
            }
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
                continue
            }
            switch character {
            case "'", "\"":
                quote = character
                out.append(character)
            case "-" where previous == "-":
                lineComment = true
                out.append(character)
            case "?":
                index += 1
                out += "$\(index)"
            default:
                out.append(character)
            }
        }
        return out
    }

    /// A result value from its text form and type OID (https://www.postgresql.org/docs/15/datatype.html), mapped
    /// onto SQLite's storage classes that ``Row`` reads: integers, numbers, booleans as 0/1, bytea as bytes.
    public static func value(_ text: String, type: UInt32) -> SQLValue {
        switch type {
        case 20, 21, 23, 26:  // int8, int2, int4, oid
            return Int64(text).map(SQLValue.integer) ?? .text(text)
        case 16:  // bool
            return .integer(text == "t" ? 1 : 0)
        case 700, 701:  // float4, float8
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 1700:  // numeric: sum() and avg() of integers; an integral one stays an integer, as in SQLite
            if !text.contains("."), let integer = Int64(text) { return .integer(integer) }
            return Double(text).map(SQLValue.real) ?? .text(text)
        case 17:  // bytea, hex format: \x0a1b…
            return .blob(hexBytes(text.dropFirst(2)))
        default:
            return .text(text)
        }
    }

    private static func hexBytes(_ hex: Substring) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hex.utf8.count / 2)
        var high: UInt8?
        for unit in hex.utf8 {
            let nibble: UInt8 = switch unit {
            case 48...57: unit - 48
            case 97...102: unit - 87
            case 65...70: unit - 55
            default: 0
            }
            if let value = high {
                bytes.append(value << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    /// A statement taking the transaction-level advisory lock `key` of the connection's schema: advisory locks are
    /// per database, and schemas of one database (each test's, or several shops') must not wait for each other.
    public static func advisoryLock(_ key: Int32) -> String {
        "SELECT pg_advisory_xact_lock(\(key), hashtext(current_schema())) AS locked"
    }

    /// SQLSTATEs a write retries: the transaction lost a race and did nothing (serialization failure, deadlock).
    public static let retryableStates: Set<String> = ["40001", "40P01"]

    /// SQLite's extended result code for a SQLSTATE, so stores that check `isUniqueConstraintViolation` (and the
    /// problem mapping) work unchanged on both engines (https://www.postgresql.org/docs/15/errcodes-appendix.html).
    public static func sqliteCode(forState state: String) -> Int32 {
        switch state {
        case "23505": 2067  // unique_violation → SQLITE_CONSTRAINT_UNIQUE
        case "23503": 787  // foreign_key_violation → SQLITE_CONSTRAINT_FOREIGNKEY
        case "23514": 275  // check_violation → SQLITE_CONSTRAINT_CHECK
        case "23502": 1299  // not_null_violation → SQLITE_CONSTRAINT_NOTNULL
        case "40001", "40P01", "55P03": 5  // serialization failure, deadlock, lock not available → SQLITE_BUSY
        case "53300", "57P01", "57P02", "57P03", "08000", "08003", "08006": 14  // gone → SQLITE_CANTOPEN
        default: 1  // SQLITE_ERROR
        }
    }
}
