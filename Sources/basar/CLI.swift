import Accounts
import App
import Core
import Foundation
import Storage

enum CLI {
    static let flagNames: Set<String> = [
        "help", "json", "demo", "quiet", "version", "test-clock", "dry-run", "bench-routes", "exit-with-parent",
    ]
    static let version = "basar 0.14.0"

    static let usage = """
        basar — the Basar server and its administration

        Usage:
          basar serve [--host 127.0.0.1] [--port 8080] [--db PATH] [--content ./Content] [--demo]
          basar accounts grant|revoke EMAIL ROLE [--db PATH]
          basar demo codes [--db PATH]
          basar retention run [--as-of DATE] [--dry-run] [--json] [--db PATH]
          basar feedback report [--from TIME] [--to TIME] [--json] [--db PATH]
          basar red-packets verify --seed HEX --total CENTS --count N [--json]
          basar backup --to FILE [--db PATH]
          basar check [--db PATH] [--json]
          basar campaign (create|list|show|pause|resume|codes) … [--db PATH] [--json]
          basar games verify --seed HEX --client-seed C --nonce N --game ID [--prize-table NAME] [--content DIR] [--json]

          basar help | --help | --version

        Every command takes --help. --db defaults to ./basar.sqlite; every command but serve refuses a --db file
        that does not exist (exit 65). A build with --traits PostgreSQL also takes --database postgres://USER@HOST:PORT/DB
        in place of --db on every command (add schema=NAME for a schema other than public). Exit codes: 0 done, 64 bad usage, 65 a named object or file that does not
        exist, 1 anything else.
        """

    static func run(_ raw: [String]) async -> Int32 {
        do {
            var args = try Arguments(raw, flagNames: flagNames)
            guard let command = args.positional.first else {
                if args.flag("version") { print(version); return 0 }
                print(usage)
                return args.flag("help") ? 0 : 64
            }
            switch command {
            case "help": print(usage)
            case "demo": try await DemoCommand.run(&args)
            case "retention": try await RetentionCommand.run(&args)
            case "feedback": try await FeedbackCommand.run(&args)
            case "red-packets": try await RedPacketsCommand.run(&args)
            case "serve": try await Serve.run(&args)
            case "accounts": try await AccountsCommand.run(&args)
            case "campaign": try await CampaignCommand.run(&args)
            case "backup": try await MaintenanceCommand.backup(&args)
            case "check": return try await MaintenanceCommand.check(&args)
            case "games": try await GamesCommand.run(&args)
            default: throw UsageError("unknown command '\(command)'\n\n\(usage)")
            }
            return 0
        } catch let error as UsageError {
            printError(error.message)
            return 64
        } catch let error as MissingError {
            printError(error.message)
            return 65
        } catch {
            printError("\(error)")
            return 1
        }
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("basar: \(message)\n".utf8))
    }

    /// Opens the database named by `--db` and brings its schema up to date.
    ///
    /// - Throws: ``MissingError`` when the file does not exist: only `serve` creates a database, so a typo never
    ///   turns into an empty database that every check calls healthy (API.md §14).
    static func openDatabase(_ args: inout Arguments) async throws -> Database {
        // API.md §23: --database names a PostgreSQL database, --db an SQLite file.
        let path = args.option("database") ?? args.option("db") ?? "basar.sqlite"
        let missing = MissingError("no database at \(path); start `basar serve --db \(path)` to create one, or pass --db PATH")
        guard Database.isPostgresURL(path) || FileManager.default.fileExists(atPath: path) else { throw missing }
        let database = try Database(path: path)
        guard try await database.hasMigrations() else {
            database.close()
            throw missing
        }
        try await database.migrate(BasarApp.migrations)
        return database
    }
}

enum Serve {
    static let help = """
        basar serve — run the HTTP server

        Options:
          --host HOST       address to bind (default 127.0.0.1)
          --port PORT       port to bind (default 8080; 0 picks a free one)
          --db PATH         SQLite database (default ./basar.sqlite)
          --database URL    PostgreSQL database, postgres://USER@HOST:PORT/DB (a build with --traits PostgreSQL)
          --content DIR     the Content folder (default ./Content)
          --fixtures DIR    the Fixtures folder for --demo (default ./Fixtures)
          --demo            load the demo data into an empty database
          --synchronous M   full (default: an acknowledged write survives a power cut) or normal (survives a
                            crash of the process; the last commits may be lost on a power cut)
          --wal-checkpoint-pages N
                            SQLite: WAL pages after which the writer copies them into the database file
                            (default 8192, 32 MiB; fewer keeps the WAL smaller, more stalls the writer less often)
          --log-level L     debug, info, warning or error (default info)
          --search-cache N  products that cached search pages may hold together (default 20000, about
                            10 MiB; 0 turns the cache off)
          --bench-routes    serve /bench/plaintext, /bench/json and /bench/echo for load tests
          --test-clock      let admins move time forward (GET/POST /v1/admin/test-clock); tests and demos only
          --exit-with-parent
                            stop gracefully once the process that started this one is gone (test harnesses and
                            supervisors that may be killed before they can stop it)
        """

    static func run(_ args: inout Arguments) async throws {
        if args.flag("help") { print(help); return }
        var configuration = AppConfiguration()
        configuration.host = args.option("host") ?? configuration.host
        if let port = try args.integer("port", 0...65535) { configuration.port = Int(port) }
        configuration.databasePath = args.option("database") ?? args.option("db") ?? configuration.databasePath
        if let content = args.option("content") { configuration.contentDirectory = URL(fileURLWithPath: content) }
        if let fixtures = args.option("fixtures") { configuration.fixturesDirectory = URL(fileURLWithPath: fixtures) }
        configuration.demo = args.flag("demo")
        configuration.testClock = args.flag("test-clock")
        configuration.benchRoutes = args.flag("bench-routes")
        if let mode = args.option("synchronous") {
            guard let parsed = Database.Synchronous(rawValue: mode.uppercased()) else {
                throw UsageError("--synchronous must be full or normal")
            }
            configuration.synchronous = parsed
        }
        if let pages = try args.integer("wal-checkpoint-pages", 100...Int64(Int32.max)) {
            configuration.walCheckpointPages = Int32(pages)
        }
        if let level = args.option("log-level") {
            let levels: [String: Logger.Level] = ["debug": .debug, "info": .info, "warning": .warning, "error": .error]
            guard let parsed = levels[level] else { throw UsageError("--log-level must be debug, info, warning or error") }
            configuration.logLevel = parsed
        }
        if let products = try args.integer("search-cache", 0...10_000_000) {
            configuration.searchCacheProducts = Int(products)
        }
        let exitWithParent = args.flag("exit-with-parent")
        try args.rejectUnknown()
        try requireFolders(configuration)
        if exitWithParent { watchParent() }
        let app = try await BasarApp(configuration)
        try await app.runUntilSignalled()
    }
}

extension Serve {
    /// Sends this process SIGTERM (the graceful stop) once its parent is gone, seen as a new parent process id:
    /// Linux's PR_SET_PDEATHSIG would fire when the spawning *thread* ends, which in a test runner is any time.
    static func watchParent() {
        let parent = getppid()
        Thread.detachNewThread {
            while getppid() == parent { Thread.sleep(forTimeInterval: 0.5) }
            kill(getpid(), SIGTERM)
        }
    }

    /// Names the folder that is missing instead of failing later with Foundation's file error (API.md §14).
    static func requireFolders(_ configuration: AppConfiguration) throws {
        let files = FileManager.default
        let here = files.currentDirectoryPath
        guard files.fileExists(atPath: configuration.contentDirectory.appendingPathComponent("games").path) else {
            throw MissingError(
                "the Content folder was not found at \(configuration.contentDirectory.path) (working directory \(here)); "
                    + "run from the project folder or pass --content DIR"
            )
        }
        if configuration.demo, !files.fileExists(atPath: configuration.fixturesDirectory.appendingPathComponent("demo").path) {
            throw MissingError(
                "--demo needs the Fixtures folder, not found at \(configuration.fixturesDirectory.path) "
                    + "(working directory \(here)); run from the project folder or pass --fixtures DIR"
            )
        }
    }
}

enum AccountsCommand {
    static let help = """
        basar accounts grant EMAIL ROLE — give an account a role (customer, host, merchant, agent, admin)
        basar accounts revoke EMAIL ROLE — take a role away again (every account stays a customer)

        Options:
          --db PATH   SQLite database (default ./basar.sqlite)
          --json      print the account as JSON
        """

    static func run(_ args: inout Arguments) async throws {
        if args.flag("help") { print(help); return }
        let words = Array(args.positional.dropFirst())
        guard let verb = words.first, verb == "grant" || verb == "revoke", words.count == 3 else {
            throw UsageError("usage: basar accounts grant|revoke EMAIL ROLE")
        }
        guard let role = Role(rawValue: words[2]) else {
            throw UsageError("unknown role '\(words[2])'; use customer, host, merchant, agent or admin")
        }
        let email = words[1].trimmedWhitespace.lowercased()
        let json = args.flag("json")
        let database = try await CLI.openDatabase(&args)
        try args.rejectUnknown()
        let account = try await database.write { db -> Account? in
            guard let id = try AccountService.accountID(email: email, in: db) else { return nil }
            return verb == "grant"
                ? try AccountService.grant(role, to: id, in: db) : try AccountService.revoke(role, from: id, in: db)
        }
        guard let account else { throw MissingError("no account has the email \(email)") }
        if json {
            let value: JSON = [
                "id": .string(account.id), "email": .string(account.email),
                "roles": .array(account.roles.map { .string($0.rawValue) }),
            ]
            print(value.serializedString())
        } else {
            print("\(account.email) now has the roles: \(account.roles.map(\.rawValue).joined(separator: ", "))")
        }
    }
}
